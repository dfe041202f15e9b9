/* snippet.h - the best passage of a document for a query, with the matches
 * marked, cut on character boundaries.
 *
 * The text is normalized as the analyzer does (so 國務院 in a document is
 * found by 国务院, and a word broken across a printed line is found whole),
 * the query's words and phrases are searched in it, and the window of about
 * WS_SNIPPET_CHARS characters holding the most of them is cut from the
 * original text, with each match between \x01 and \x02. */
#ifndef WS_SNIPPET_H
#define WS_SNIPPET_H

#include <stddef.h>
#include "analyzer.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_SNIPPET_CHARS       120
#define WS_SNIPPET_MAX_MATCHES 2000
/* The text is normalized a stretch of about WS_SNIPPET_SCAN bytes at a
 * time, from its start, until one holds a match, and no further than
 * WS_SNIPPET_SCAN_MAX bytes: a snippet costs what the text up to its first
 * match does, not the whole of a long document (a 12 MB one took a second
 * for each hit shown). A document whose matches all lie past it shows its
 * opening. */
#define WS_SNIPPET_SCAN     (256u << 10)
#define WS_SNIPPET_SCAN_MAX (4u << 20)
/* Bytes a stretch begins before the last one ended, twice a whole query
 * (WS_QUERY_MAX_BYTES), so that a match across the cut is found whole. */
#define WS_SNIPPET_OVERLAP 8192u

/* A new NUL-terminated snippet of text in *out (the caller frees it); marks
 * are normalized strings (plan.h). With no match, the opening of the text. */
ws_status ws_snippet_make(ws_analyzer *a, const char *text, size_t len, char *const *marks,
                          size_t nmarks, char **out);

/* The snippet with \x01/\x02 replaced by open/close and, when escape_html is
 * set, &, < and > escaped. A new string the caller frees, or NULL. */
char *ws_snippet_render(const char *snippet, const char *open, const char *close, int escape_html);

#ifdef __cplusplus
}
#endif
#endif
