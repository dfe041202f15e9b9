/* plan.h - from a parsed query (query.h) to a query over index terms
 * (qtree.h), through the same analyzer that indexed the documents.
 *
 * A run of plain words (a TEXT node) is a keyword query: each of its pieces
 * between spaces is required as written, as a quoted phrase is: a verbatim
 * stretch of the normalized body or title (the phrase of its character
 * pairs, checked by its characters' positions), whatever the segmentation,
 * or one of its synonyms put in place of a word of it. Segmentation only
 * ranks: the word terms themselves and the title weigh up the documents
 * that have them. The relaxed plan, whose matches follow the exact ones when
 * these are too few (a long question), ORs the words, their pairs and
 * characters, the documents that hold every word weighed far above. */
#ifndef WS_PLAN_H
#define WS_PLAN_H

#include "analyzer.h"
#include "qtree.h"
#include "query.h"
#include "synonyms.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_plan {
    ws_qnode *query;   /* the strict plan: exactly the documents that match
                          the query as written */
    ws_qnode *relaxed; /* the relaxed plan, NULL when it would be the same */
    char **marks;      /* normalized stretches the strict plan requires, to
                          highlight in its matches */
    size_t nmarks;
    char **loose_marks; /* normalized words and phrases of the query, to
                           highlight in a relaxed match (and its vector) */
    size_t nloose_marks;
    size_t units; /* words of the query (a run of single characters: one) */
} ws_plan;

/* Builds the plans of ast into *out (the caller frees with ws_plan_free).
 * WS_ETOOBIG with errbuf saying so when the query has more than
 * WS_QUERY_MAX_TERMS words; WS_EQUERY when it has no searchable word. */
/* flags: WS_PLAN_SPACES when the index has the space and punctuation
 * terms (schema.h's WS_PFX_SPACE and WS_PFX_PUNCT; engine.h's
 * ws_db_spaces), so that a phrase with white space or punctuation in it
 * requires them there, as the concordance finds it ("网络 安全" is not
 * 网络和安全 nor 网络安全, "《民法典》" not 民法典 alone); without them such a
 * phrase matches its words in order with the space or mark, without it, or
 * with any one token in its place, and a mark at its ends is not asked
 * for. */
#define WS_PLAN_SPACES 1u
ws_status ws_plan_build(ws_analyzer *a, const ws_synonyms *syn, const ws_qast *ast, unsigned flags,
                        ws_plan *out, char *errbuf, size_t errlen);
void ws_plan_free(ws_plan *p);

/* The filter that a SOURCE, TYPE or DATE node stands for (the one builder of
 * filters, for the query's own and for a search's parameters alike), as a new
 * node the caller owns; NULL for another kind, or out of memory. */
ws_qnode *ws_plan_filter(const ws_qast *n);

#ifdef __cplusplus
}
#endif
#endif
