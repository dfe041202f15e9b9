/* occurrence.h - where a query's terms stand in a document's text, as
 * written: the instruments (concordance, trend, the reading view) count and
 * show these.
 *
 * The patterns are the query's positive terms (query.h): each quoted phrase,
 * and each space-separated piece of a run of plain words, normalized as the analyzer
 * normalizes text (NFKC, case folding, Traditional -> Simplified); terms under
 * NOT and filters are not patterns. A text is normalized the same way, with
 * hard-wrapped lines joined (analyzer.h), the patterns found in it as
 * substrings, left to right and without overlap (as Python's str.count
 * counts), and each occurrence mapped back to the byte range of the
 * original text it covers. A pattern that begins or ends with a Latin letter
 * (é too) or digit matches only where the text has no such letter or digit
 * beside it (`ai` is not found in `maid`, café not in cafés), as snippets
 * mark.
 *
 * A proximity (query.h: A NEAR/n B, A SENTENCE B, A PARAGRAPH B) gives the
 * patterns of its two sides, which are found only there: an occurrence of a
 * side counts when it and one of the other side's, not overlapping it, are
 * at most n characters apart (of the normalized text: a hard wrap joined is
 * none), in one sentence or in one paragraph of the same field (title or
 * body). Sentences end at 。！？；!? (NFKC makes the full-width ones ASCII,
 * so ; too) and at the end of a paragraph; paragraphs end where the
 * analyzer says (ws_analyzer_ends_paragraph). Under NOT a proximity shows
 * no occurrence, but its check is still there for the search to decide
 * which documents it excludes (ws_occ_near_holds). */
#ifndef WS_OCCURRENCE_H
#define WS_OCCURRENCE_H

#include <stddef.h>
#include "analyzer.h"
#include "query.h"
#include "status.h"
#include "wordlist.h"

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
    unsigned near;  /* 0: found wherever it stands; k + 1: a side of the
                       proximity numbered k (query.h's prox), found there only */
    unsigned side;  /* which side of it: 0 or 1 */
} ws_occ_pattern;

typedef struct ws_occ_near {
    ws_near_kind kind;
    unsigned within; /* WS_NEAR_CHARS: the most characters between */
    int shown;       /* not under NOT: its occurrences are the query's */
} ws_occ_near;

typedef struct ws_occ_patterns {
    ws_occ_pattern *p;
    size_t n;
    ws_occ_near near[WS_QUERY_MAX_PROX]; /* by number */
    size_t nnear;
} ws_occ_patterns;

/* One occurrence: [start, end) bytes of the original text. */
typedef struct ws_occ {
    size_t start, end;
    unsigned pattern; /* index into the patterns */
} ws_occ;

/* A flag of ws_occ_patterns_of: the index has no punctuation terms (one
 * made before index format 4, engine.h's ws_db_spaces), where /search
 * matches a mark of a piece by any token: a run of plain words is then cut
 * at punctuation too (碳达峰、碳中和 gives 碳达峰 and 碳中和), so that the
 * counts are of the documents /search finds there. */
#define WS_OCC_CUT_MARKS 1u

/* The patterns of ast into *out (the caller frees with ws_occ_patterns_free);
 * flags 0 or WS_OCC_CUT_MARKS. A query with no positive term gives none.
 * WS_ENOMEM. */
ws_status ws_occ_patterns_of(ws_analyzer *a, const ws_qast *ast, unsigned flags,
                             ws_occ_patterns *out);
void ws_occ_patterns_free(ws_occ_patterns *ps);

/* How many of the patterns may give an occurrence (those under NOT none):
 * 0 for a query with nothing to show. */
size_t ws_occ_shown(const ws_occ_patterns *ps);

/* The occurrences of the patterns in text[0..len) (a title when title is
 * set, else a body) into a new array *out of *n (the caller frees; NULL when
 * none), in text order. WS_ENOMEM. */
ws_status ws_occ_find(ws_analyzer *a, const ws_occ_patterns *ps, const char *text, size_t len,
                      int title, ws_occ **out, size_t *n);

/* ws_occ_find over a field of a word list (wordlist.h: its text already
 * normalized, its paragraphs as the text's line breaks gave them): the
 * occurrences as byte ranges of that text. WS_ENOMEM. */
ws_status ws_occ_find_listed(const ws_occ_patterns *ps, const ws_wordfield *wf, int title,
                             ws_occ **out, size_t *n);

/* Whether text[0..len) (a title when title is set) has a pair of the
 * proximity numbered k (< ps->nnear) into *holds: what WS_QOP_CHECK k asks
 * of a document, in its title or its body. WS_ENOMEM. */
ws_status ws_occ_near_holds(ws_analyzer *a, const ws_occ_patterns *ps, unsigned k, const char *text,
                            size_t len, int title, int *holds);

/* The occurrences of a title, title[0..nt), and of its body, body[0..nb)
 * (both malloc'ed or NULL, both taken), as one array into *out (the
 * caller frees; NULL when none) of *n, the title's first. When st is not
 * WS_OK (the finding failed), both are freed and st returned; else
 * WS_ENOMEM or WS_OK. */
ws_status ws_occ_join(ws_status st, ws_occ *title, size_t nt, ws_occ *body, size_t nb, ws_occ **out,
                      size_t *n);

/* ws_occ_near_holds over a field of a word list. WS_ENOMEM. */
ws_status ws_occ_near_holds_listed(const ws_occ_patterns *ps, unsigned k, const ws_wordfield *wf,
                                   int title, int *holds);

#ifdef __cplusplus
}
#endif
#endif
