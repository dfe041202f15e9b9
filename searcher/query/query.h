/* query.h - the query language, parsed into a tree (no analysis yet).
 *
 *   words and CJK runs        碳达峰 政策
 *   "quoted phrases"          "用地面积" (also “…”)
 *   AND, OR, NOT, -word       碳达峰 OR 碳中和, 政策 -草案, NOT 草案
 *   fields                    title:国务院 source:经济法 type:law
 *   dates                     date:2024-01-01..2024-12-31, date:2020.., date:..2019-06
 * A word NAME:VALUE whose NAME is Latin letters and no field is refused.
 *   parentheses               (碳达峰 OR 碳中和) AND 能源
 *   proximity                 国家 NEAR/10 安全, 人民 SENTENCE 政府, A PARAGRAPH B
 * The operands of a proximity are words, quoted phrases (title: allowed) or
 * alternatives of them in parentheses ((碳达峰 OR 碳中和) NEAR/5 目标); it
 * binds tighter than juxtaposition, and two do not chain (A NEAR/5 B NEAR/5
 * C is refused: AND two of them).
 * Juxtaposed terms are ANDed; a run of plain words is one TEXT node, which
 * the planner treats as a keyword query. Operators are upper case only. */
#ifndef WS_QUERY_H
#define WS_QUERY_H

#include <stddef.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Named limits on a query. */
#define WS_QUERY_MAX_BYTES 4096 /* query string */
#define WS_QUERY_MAX_TERMS 256  /* terms of the expanded query */
#define WS_QUERY_MAX_DEPTH 32   /* nesting of parentheses and NOT */
#define WS_QUERY_MAX_NEAR  1000 /* n of NEAR/n: characters between the two */
#define WS_QUERY_MAX_PROX                                                                          \
    8 /* proximity operators in one query: each is                                                 \
         checked against the text of every document                                                \
         that holds both of its sides */

/* A query of this many words or more is a question: planned from the start
 * as "any of the words" (BM25), the words that ask (如何, 是否) left out. */
#define WS_QUESTION_WORDS 6

typedef enum ws_qast_kind {
    WS_QAST_TEXT,   /* plain words: text */
    WS_QAST_PHRASE, /* a quoted phrase: text */
    WS_QAST_AND,    /* kids */
    WS_QAST_OR,
    WS_QAST_NOT,    /* one kid */
    WS_QAST_SOURCE, /* text: a source to filter by */
    WS_QAST_TYPE,
    WS_QAST_DATE, /* lo, hi: YYYY[-MM[-DD]], either may be "" */
    WS_QAST_NEAR, /* kids[0] and kids[1] near each other, as near says */
} ws_qast_kind;

/* What "near" means for a WS_QAST_NEAR. */
typedef enum ws_near_kind {
    WS_NEAR_CHARS,     /* at most within characters between them, either order */
    WS_NEAR_SENTENCE,  /* in one sentence */
    WS_NEAR_PARAGRAPH, /* in one paragraph */
} ws_near_kind;

typedef struct ws_qast {
    ws_qast_kind kind;
    int title;     /* TEXT/PHRASE: only in the title */
    char *text;    /* TEXT, PHRASE, SOURCE, TYPE */
    char *lo, *hi; /* DATE */
    struct ws_qast **kids;
    size_t nkids;
    ws_near_kind near; /* NEAR: its kind, */
    unsigned within;   /* the most characters between (WS_NEAR_CHARS), */
    unsigned prox;     /* and its number: the query's proximities are
                          numbered 0, 1, ... in the order they are written */
} ws_qast;

/* Parses q. On WS_EQUERY (or WS_ETOOBIG past WS_QUERY_MAX_BYTES / depth)
 * *out is NULL and errbuf says what is wrong and where. The caller frees *out
 * with ws_qast_free(). */
ws_status ws_query_parse(const char *q, ws_qast **out, char *errbuf, size_t errlen);
void ws_qast_free(ws_qast *n);

/* 1 when the range lo..hi (valid bounds, either NULL or "" for open) holds
 * a day: hi covers its whole year or month. */
int ws_query_dates_ordered(const char *lo, const char *hi);

#ifdef __cplusplus
}
#endif
#endif
