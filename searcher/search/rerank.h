/* rerank.h - the reranking of a question's window: documents that are parts
 * of a whole, and what the whole says.
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
 * is a whole of one). Measured on the legal questions (tools/eval.py), over
 * the best 200 matches: nDCG@10 0.399 -> 0.412, Recall@100 0.685 -> 0.723,
 * MRR@10 0.415 -> 0.427. Only relaxed plans (questions) are ranked so: a
 * keyword query's documents hold every word, and there the whole says less. */
#ifndef WS_PARTS_H
#define WS_PARTS_H

#include "engine.h"
#include "status.h"

/* How many matches are ranked this way; a page further down takes more.
 * Measured on the legal questions: 100 / 150 / 200 / 300 / 1000 matches ->
 * Recall@100 0.685 / 0.705 / 0.723 / 0.729 / 0.735, nDCG@10 0.399 / 0.412
 * from 150 on; time per question 3.8 / - / 4.2 / 4.6 / - ms. */
#define WS_PARTS_DEPTH 200
/* The whole's share, and how many of its best parts make it. Measured on
 * the legal questions: share 0.3 / 0.5 / 1.0 -> nDCG@10 0.412 / 0.412 /
 * 0.411; best 5 / 10 parts -> 0.411 / 0.412. */
#define WS_PARTS_SHARE 0.5
#define WS_PARTS_BEST  10
/* The static rank of a whole that other documents cite (cites.h): to each
 * part's fused weight, WS_PARTS_CITED times the best fused weight in the
 * window times log(1 + the documents citing its whole). Documents, not
 * wholes: a law of 500 articles that each cite 《民法典》 counts 500 (the
 * count is a term frequency, which Xapian keeps for free). Measured on the
 * legal questions, over the reranking above: see README, "Figures". */
#define WS_PARTS_CITED 0.04
/* The same for the article a part is, by the documents citing it by number
 * (民法典第五百七十七条: cites.h): a code's general articles, that courts and
 * regulations cite again and again, answer more questions than their words
 * show. Measured as above. */
#define WS_PARTS_CITED_ARTICLE 0.04
/* Only the first this many matches in Xapian's order are looked up for it:
 * each article is a term frequency of its own to read (200 cost 0.5 ms a
 * question, most of them for articles nobody cites); in Python over the
 * same run, the first 200 / 100 / 50 / 30 gave nDCG@10 0.455 / 0.455 /
 * 0.455 / 0.453. */
#define WS_PARTS_ARTICLES 50
/* What the words mean: WS_PARTS_VECTOR times the best fused weight times
 * the cosine of the match's vector and the question's (vectors.h; 0 when
 * either has none, or when it is below 0: no match in the window falls
 * below the weights after it). Measured on the legal questions, with the citations
 * above: 0.8 / 1.0 / 1.3 / 1.6 / 2.0 -> nDCG@10 0.456 / 0.458 / 0.459 /
 * 0.458 / 0.456 (Python, over the product's best 200). */
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
