/* encoding.h - the encoding of a file's text, as the reader judges it.
 *
 * Valid UTF-8 is kept. Text that is not is decoded only when its encoding
 * is known well, and refused otherwise (never indexed as mojibake):
 *   - an HTML page's declared charset (<meta charset>, or http-equiv
 *     Content-Type) is honoured when ICU has a converter for it, but for
 *     Latin-1, windows-1252 or ASCII (a server's or editor's default) on
 *     bytes that ICU's detection rates Chinese, Japanese or Korean above
 *     every Western charset: those are read as the detection below reads
 *     them; Latin-1 is read as windows-1252, as browsers do;
 *   - text that is valid UTF-8 but for a few bytes, or but for its last
 *     character cut off, is damaged UTF-8: refused;
 *   - else ICU's charset detection (ucsdet) judges it: Big5, Shift_JIS,
 *     EUC-JP or EUC-KR when it is sure of one (WS_ENCODING_SURE) and rates
 *     it above GB18030; else GB18030 (GBK, GB2312), the common case of
 *     Chinese government files, when the text is valid GB18030 throughout.
 * Each is converted with ICU's converter for the charset, stopping at the
 * first byte that is not of it (the text is then refused). NUL bytes and a
 * leading byte order mark are dropped. The conversion of reader.h,
 * ws_reader_to_utf8, is ws__encoding_decode without a hint.
 * Internal to the docs layer: callers see reader.h. */
#ifndef WS_ENCODING_H
#define WS_ENCODING_H

#include <stddef.h>

#include "status.h"

/* The confidence (0 to 100, ICU's) from which a detected Big5, Shift_JIS,
 * EUC-JP or EUC-KR is believed. Measured on 400 files of the shared corpus
 * cut to 5 to 100,000 characters: converted to Big5 (Traditional), each of
 * 50 characters or more was rated Big5 from 86 up, and GB18030 lower; to
 * GB18030, none was rated another of them above GB18030. Below about 30
 * characters ICU cannot tell Big5 from GB18030 (10 each), and such a text
 * is read as GB18030, as before detection, when it is valid GB18030. */
#define WS_ENCODING_SURE 50

/* Bytes of the lines that hold a byte past ASCII that ICU's detection
 * reads (its own buffer is 8 KiB: it looks no further). */
#define WS_ENCODING_SAMPLE 8192

/* What a text holds, by its bytes. */
typedef struct ws__utf8_scan {
    size_t bad;   /* bytes that start no valid sequence */
    size_t multi; /* valid multi-byte sequences */
    size_t nul;   /* NUL bytes */
} ws__utf8_scan;

/* What the caller knows of the text besides its bytes. */
typedef struct ws__encoding_hint {
    const char *declared; /* the charset the text declares (an HTML page's), or NULL */
    int markup;           /* 1 for HTML: the detection then leaves the tags out */
} ws__encoding_hint;

/* How a text was read, or why it was not: for the reader's messages. */
typedef struct ws__encoding_verdict {
    char charset[48]; /* read as ("UTF-8", "GB18030", "Big5", ...); on WS_EENCODING what
                         the text was taken for, or "" */
    int confidence;   /* ICU's detection's confidence in charset, 0 to 100; -1 when
                         charset did not come from detection */
    long line;        /* on WS_EENCODING: the line, from 1, of the first byte that could
                         not be read; 0 when none in particular */
    char why[320];    /* on WS_EENCODING: why the text is refused, one sentence */
} ws__encoding_verdict;

/* Counts data[0..len) into *sc: text with no bad and no NUL byte needs no
 * ws_reader_to_utf8. */
void ws__encoding_scan(const char *data, size_t len, ws__utf8_scan *sc);

/* Where data[0..len) stops being UTF-8 as ws_reader_to_utf8 judges it (NUL
 * bytes dropped first): the offset from 0 of the first byte that starts no
 * valid sequence into *at (len when none) and its line, from 1, into
 * *line; so that one damaged byte of a refused file can be found. */
void ws__encoding_first_bad(const char *data, size_t len, size_t *at, size_t *line);

/* Converts data[0..len) to UTF-8 as the header comment says, into a new
 * string *out of *out_len bytes (the caller frees it). hint may be NULL.
 * *v (never NULL) says what the text was read as, or on WS_EENCODING why it
 * was refused. WS_EENCODING, WS_ENOMEM, WS_EICU (no converter could be
 * opened); *out is NULL on failure. Byte offsets in v->why count from 0, in
 * the text with its NUL bytes dropped. */
ws_status ws__encoding_decode(const char *data, size_t len, const ws__encoding_hint *hint,
                              char **out, size_t *out_len, ws__encoding_verdict *v);

#endif
