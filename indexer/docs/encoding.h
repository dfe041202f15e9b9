/* encoding.h - the encoding of a file's text, as the reader judges it.
 *
 * Valid UTF-8 is kept; text that is valid UTF-8 but for a few bytes is
 * damaged UTF-8 and refused; anything else is read as GB18030/GBK and
 * converted (ICU), or refused when it is not that either. NUL bytes and a
 * leading byte order mark are dropped. The conversion itself is
 * ws_reader_to_utf8 (reader.h), defined in encoding.c.
 * Internal to the docs layer: callers see reader.h. */
#ifndef WS_ENCODING_H
#define WS_ENCODING_H

#include <stddef.h>

/* What a text holds, by its bytes. */
typedef struct ws__utf8_scan {
    size_t bad;   /* bytes that start no valid sequence */
    size_t multi; /* valid multi-byte sequences */
    size_t nul;   /* NUL bytes */
} ws__utf8_scan;

/* Counts data[0..len) into *sc: text with no bad and no NUL byte needs no
 * ws_reader_to_utf8. */
void ws__encoding_scan(const char *data, size_t len, ws__utf8_scan *sc);

/* Where data[0..len) stops being UTF-8 as ws_reader_to_utf8 judges it (NUL
 * bytes dropped first): the offset from 0 of the first byte that starts no
 * valid sequence into *at (len when none) and its line, from 1, into
 * *line; so that one damaged byte of a refused file can be found. */
void ws__encoding_first_bad(const char *data, size_t len, size_t *at, size_t *line);

#endif
