/* reader.h - turns files into documents, by extension.
 *
 *   .txt   title = first non-empty line, body = the rest
 *   .md    title = first '#' heading, body = the text
 *   .jsonl one document a line with the fields of document.h
 *   .html  title = <title> (or first <h1>), body = the visible text (libxml2)
 * .txt and .md may open with a front matter block ("---" line, "key: value"
 * lines, "---" line) giving id, date, source, type, url or other metadata.
 *
 * Text that is not UTF-8 is converted (ICU) when its encoding is known well:
 * an HTML page's declared charset, else GB18030, Big5, Shift_JIS, EUC-JP or
 * EUC-KR as ICU's detection judges it (encoding.h); any other text is refused
 * with WS_EENCODING and a message naming the file. A .jsonl line that is not
 * UTF-8 is skipped with a message, unless the whole file is in one such
 * encoding. NUL bytes are dropped. Every limit (WS_DOC_MAX_BYTES, line length of JSONL)
 * is checked and reported, never crashed on. */
#ifndef WS_READER_H
#define WS_READER_H

#include "document.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called for every document read. The callee takes ownership of doc (frees it
 * with ws_doc_free) and returns WS_OK to go on, anything else to stop. */
typedef ws_status (*ws_reader_emit_cb)(void *ctx, ws_doc *doc);

/* Called for every problem that lets reading go on: "file:line: reason"
 * (line is 0 when the whole file is meant). refused is 1 when input is
 * left out (a document, a line, the file), 0 for a note on a document that
 * is still indexed (a front matter line ignored, a page cut short). */
typedef void (*ws_reader_warn_cb)(void *ctx, const char *file, long line, int refused,
                                  const char *reason);

/* 1 when the reader knows this file's extension. */
int ws_reader_supports(const char *path);

/* Reads one file. default_id is the id given to .txt/.md/.html documents that
 * set none in front matter (callers pass a path); .jsonl lines must carry their
 * own "id" (a line without one is reported and skipped).
 * Returns WS_OK when the file was read (even if some lines were skipped),
 * WS_EIO / WS_EENCODING / WS_ETOOBIG when the whole file was refused (warn has
 * been called with the reason), or what emit returned. */
ws_status ws_reader_read_file(const char *path, const char *default_id, ws_reader_emit_cb emit,
                              ws_reader_warn_cb warn, void *ctx);

/* The same over a buffer already in memory (name is used in messages and to
 * choose the format by its extension). */
ws_status ws_reader_read_buffer(const char *name, const char *data, size_t len,
                                const char *default_id, ws_reader_emit_cb emit,
                                ws_reader_warn_cb warn, void *ctx);

/* Converts data to valid UTF-8 in a new buffer (*out, *out_len; free()):
 * UTF-8 is kept (a BOM dropped), GB18030/GBK, Big5, Shift_JIS, EUC-JP and
 * EUC-KR are converted as ICU's detection judges them (encoding.h), NUL bytes
 * dropped. WS_EENCODING when the encoding is none of them or not told. */
ws_status ws_reader_to_utf8(const char *data, size_t len, char **out, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
