/* occurrence.h - where a query's terms stand in a document's text, as
 * written: the instruments (concordance, trend, the reading view) count and
 * show these.
 *
 * The patterns are the query's positive terms (query.h): each quoted phrase,
 * and each space-separated run of plain words, normalized as the analyzer
 * normalizes text (NFKC, case folding, Traditional -> Simplified); terms under
 * NOT and filters are not patterns. A text is normalized the same way, with
 * hard-wrapped lines joined (analyzer.h), the patterns found in it as
 * substrings, left to right and without overlap (as Python's str.count
 * counts), and each occurrence mapped back to the byte range of the
 * original text it covers. A pattern that begins or ends with a Latin letter
 * or digit matches only where the text has no letter or digit beside it
 * (`ai` is not found in `maid`), as snippets mark. */
#ifndef WS_OCCURRENCE_H
#define WS_OCCURRENCE_H

#include <stddef.h>
#include "analyzer.h"
#include "query.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most patterns a query gives (a query has at most WS_QUERY_MAX_TERMS
 * words, each at most one pattern). */
#define WS_OCC_MAX_PATTERNS WS_QUERY_MAX_TERMS

typedef struct ws_occ_pattern {
    char *text; /* normalized, NUL-terminated */
    size_t len;
    int title_only; /* title:... */
} ws_occ_pattern;

typedef struct ws_occ_patterns {
    ws_occ_pattern *p;
    size_t n;
} ws_occ_patterns;

/* One occurrence: [start, end) bytes of the original text. */
typedef struct ws_occ {
    size_t start, end;
    unsigned pattern; /* index into the patterns */
} ws_occ;

/* The patterns of ast into *out (the caller frees with ws_occ_patterns_free).
 * A query with no positive term gives none. WS_ENOMEM. */
ws_status ws_occ_patterns_of(ws_analyzer *a, const ws_qast *ast, ws_occ_patterns *out);
void ws_occ_patterns_free(ws_occ_patterns *ps);

/* The occurrences of the patterns in text[0..len) (a title when title is
 * set, else a body) into a new array *out of *n (the caller frees; NULL when
 * none), in text order. WS_ENOMEM. */
ws_status ws_occ_find(ws_analyzer *a, const ws_occ_patterns *ps, const char *text, size_t len,
                      int title, ws_occ **out, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
