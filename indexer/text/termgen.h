/* termgen.h - the index terms of a field's text (schema.h), from the analyzer.
 *
 * For every CJK character: the character at its position, and the pair it
 * makes with the previous character of the same run (no position), passed
 * right after the character that ends it; for every CJK word of two or more
 * characters: the word (no position); with WS_TERMGEN_RUNS, for every two
 * and three CJK words side by side: their run (no position); for every Latin
 * word, number and compound: the word at its position, and for a word that
 * marks part in several runs of letters and digits (949.21, covid-19,
 * pm2.5, not 5g) each run (no position), so that its parts find it too, as
 * a concordance finds them; where white space stands between two CJK
 * characters at consecutive positions (国 务院 across the start of an
 * analyzer's chunk, and everywhere in an index made before white space took
 * a position: analyzer.h), a gap term at the second's position: with it
 * the characters' positions tell exactly where a run of them stands in the
 * text (searcher/search/positions.h); and where white space took a position
 * of its own between two tokens, a space term there, and a punctuation
 * term at each mark's position, so that a phrase with white space or a
 * mark in it can require them where the query has them (网络 安全 is not
 * 网络和安全, 《民法典》 not 民法典 alone: searcher/query/plan.h).
 * Documents and queries both get their terms here.
 *
 * Why the characters hold the positions and the pairs do not: Xapian keeps
 * one position entry per term and document, and its key costs more than the
 * positions in it. A document has about 2.5 times as many distinct pairs as
 * distinct characters, so positional pairs made the position table half the
 * index. A phrase is now the pairs, required and weighted, checked by the
 * characters' positions (searcher/query/plan.c). */
#ifndef WS_TERMGEN_H
#define WS_TERMGEN_H

#include <stdint.h>
#include "analyzer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ws_field {
    WS_FIELD_BODY = 0,
    WS_FIELD_TITLE = 1,
} ws_field;

typedef enum ws_term_kind {
    WS_TERM_WORD = 0,      /* a word (CJK or Latin) or compound */
    WS_TERM_UNI = 1,       /* a CJK character */
    WS_TERM_BI = 2,        /* a CJK character pair */
    WS_TERM_GAP = 3,       /* white space between two CJK characters at consecutive
                              positions, at the second's position (no weight) */
    WS_TERM_RUN = 4,       /* two or three CJK words side by side (no position),
                              with WS_TERMGEN_RUNS only */
    WS_TERM_TOKEN = 5,     /* no term: the token itself (an empty term at its
                              position), with WS_TERMGEN_TOKENS only */
    WS_TERM_SPACE = 6,     /* white space that took a position between two
                              tokens (analyzer.h), at it (no weight), passed
                              before the token after it */
    WS_TERM_PUNCT = 7,     /* a punctuation mark or symbol at its position (no
                              weight) */
    WS_TERM_MARK_EDGE = 8, /* of a run of one mark (ws_analyzer_mark_runs):
                              its first k marks, k = 1, 2, ..., at its
                              position (no weight) */
} ws_term_kind;

/* A flag of ws_termgen_run beside the analyzer's (analyzer.h): also the run
 * terms, for documents. Each run of two or three CJK words the analyzer cut
 * side by side (consecutive positions, no white space between: no gap
 * term) is a term of its own, the words' text joined (人民 政府 gives
 * R人民政府), so that its wdf counts the places where that text stands cut
 * so. A word term counts the places where its text stands as one word;
 * together they bound from below how often a run of characters occurs,
 * where the pairs' wdfs bound it from above (searcher/search/positions.h):
 * where the two meet, a count needs no position. Queries do not use them. */
#define WS_TERMGEN_RUNS 0x100u

/* A flag of ws_termgen_run: also every token of the analysis (punctuation
 * too), as a WS_TERM_TOKEN before its terms, so that the indexer lists a
 * document's words (wordlist.h) in the one analysis that makes its terms. */
#define WS_TERMGEN_TOKENS 0x200u

/* One term: term[0..len) with its prefix, NUL-terminated, valid during the
 * callback; pos is 0 for a term without position. tok is the token it came
 * from (for a pair: the token of its second character). */
typedef ws_status (*ws_term_cb)(void *ctx, const char *term, size_t len, uint32_t pos,
                                ws_term_kind kind, const ws_token *tok);

/* The terms of text for field; positions start at *pos and *pos is advanced.
 * flags are the analyzer's (WS_ANALYZE_JOIN_LINES for documents) and
 * WS_TERMGEN_RUNS. */
ws_status ws_termgen_run(ws_analyzer *a, const char *text, size_t len, ws_field field,
                         unsigned flags, uint32_t *pos, ws_term_cb cb, void *ctx);

/* The number of marks of text[0..len) when it is a run of one mark that
 * the analyzer makes one token (ws_analyzer_mark_runs: ——, ......), each
 * *width bytes; 0 for any other text. */
size_t ws_termgen_mark_run(const char *text, size_t len, size_t *width);

/* The prefix of a term kind in a field. */
const char *ws_termgen_prefix(ws_field field, ws_term_kind kind);

#ifdef __cplusplus
}
#endif
#endif
