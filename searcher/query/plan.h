/* plan.h - from a parsed query (query.h) to a query over index terms
 * (qtree.h), through the same analyzer that indexed the documents.
 *
 * A run of plain words (a TEXT node) is a keyword query: each word is
 * required, matched as a substring (the phrase of its character pairs, so
 * that a word is found even where the document was segmented differently),
 * except stop words; the word terms themselves, the whole CJK run as a
 * phrase, and the title weigh up the documents that have them. The relaxed
 * plan, used when the strict one finds too little (a long question), ORs all
 * of those, the documents that hold every word still weighed far above. */
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
    ws_qnode *query;   /* the strict plan */
    ws_qnode *relaxed; /* the relaxed plan, NULL when it would be the same */
    char **marks;      /* normalized words and phrases to highlight */
    size_t nmarks;
    size_t units; /* words of the query (a run of single characters: one) */
} ws_plan;

/* Builds the plans of ast into *out (the caller frees with ws_plan_free).
 * WS_ETOOBIG with errbuf saying so when the query has more than
 * WS_QUERY_MAX_TERMS words; WS_EQUERY when it has no searchable word. */
ws_status ws_plan_build(ws_analyzer *a, const ws_synonyms *syn, const ws_qast *ast, ws_plan *out,
                        char *errbuf, size_t errlen);
void ws_plan_free(ws_plan *p);

/* The filter that a SOURCE, TYPE or DATE node stands for (the one builder of
 * filters, for the query's own and for a search's parameters alike), as a new
 * node the caller owns; NULL for another kind, or out of memory. */
ws_qnode *ws_plan_filter(const ws_qast *n);

#ifdef __cplusplus
}
#endif
#endif
