/* rerank.h - the reranking of a question's window: documents that are parts
 * of a whole, what cites them, and what their words mean.
 *
 * An id "WHOLE#PART" names a part of WHOLE (ws_schema_whole): the law
 * importer gives each article of a law the id "<law>#第五十四条".
 *
 * A question's words are spread over the articles of the law that answers it,
 * so a part of a whole that many parts match is likelier to answer than an
 * equally scored part of a whole that only it matches. ws_rerank_window adds to
 * each match's weight a share of its whole's: the sum of the whole's best
 * WS_PARTS_BEST weights among the matches, divided by WS_PARTS_BEST (a whole
 * with fewer matching parts counts the rest as 0; a document that is no part
 * is a whole of one). Only relaxed plans (questions) are ranked so: a keyword
 * query's documents hold every word, and there the whole says less.
 *
 * Each constant below was chosen on the legal questions' dev split
 * (tools/eval.py); tools/README.md, "How the ranking constants were chosen",
 * gives the figures. */
#ifndef WS_RERANK_H
#define WS_RERANK_H

#include "engine.h"
#include "status.h"

/* How many matches are ranked this way: recall grows little past it while
 * the time a question takes grows with it. */
#define WS_PARTS_DEPTH 200
/* The whole's share, and how many of its best parts make it (the figures
 * are flat around these). */
#define WS_PARTS_SHARE 0.5
#define WS_PARTS_BEST  10
/* The static rank of a whole that other documents cite (cites.h): to each
 * part's fused weight, WS_PARTS_CITED times the best fused weight in the
 * window times log(1 + the documents citing its whole). Documents, not
 * wholes: a law of 500 articles that each cite 《民法典》 counts 500 (the
 * count is a term frequency, which Xapian keeps for free). */
#define WS_PARTS_CITED 0.04
/* The same for the article a part is, by the documents citing it by number
 * (民法典第五百七十七条: cites.h): a code's general articles, that courts and
 * regulations cite again and again, answer more questions than their words
 * show. */
#define WS_PARTS_CITED_ARTICLE 0.04
/* Only the first this many matches in Xapian's order are looked up for it:
 * each article is a term frequency of its own to read, and the articles
 * further down did not change the ranking. */
#define WS_PARTS_ARTICLES 50
/* What the words mean: WS_PARTS_VECTOR times the best fused weight times
 * the cosine of the match's vector and the question's (vectors.h; 0 when
 * either has none, or when it is below 0: no match in the window falls
 * below the weights after it). */
#define WS_PARTS_VECTOR 1.3

/* Reorders the first WS_PARTS_DEPTH matches of ms->m, best first, by weight
 * plus WS_PARTS_SHARE times the whole's weight plus the whole's citations
 * and the article's (cited[i] documents cite match i's whole, and
 * article_cited[i] its article, for i below WS_PARTS_DEPTH and ms->n;
 * either may be NULL for none) plus the similarity of meaning (each
 * match's sim, WS_PARTS_VECTOR), and
 * sets each weight to that sum; the matches after them stay as they are (as
 * a search engine's rescore window: pages past it follow on, in Xapian's
 * order). A match whose whole is 0 (not known) is a whole of its own. Fails
 * only for memory. */
ws_status ws_rerank_window(ws_mset *ms, const unsigned *cited, const unsigned *article_cited);

#endif
