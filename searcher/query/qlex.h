/* qlex.h - the query language's tokens (query.h): the tokenizer that
 * query.c's parser reads, and the state they share. Private to
 * searcher/query. */
#ifndef WS_QLEX_H
#define WS_QLEX_H

#include <stddef.h>
#include "query.h"

typedef enum tk {
    TK_EOF,
    TK_LP,
    TK_RP,
    TK_AND,
    TK_OR,
    TK_NOT,
    TK_PHRASE, /* text in [b, e) */
    TK_WORD,   /* a bare word, perhaps field:value or -word */
    TK_PROX,   /* NEAR/n, SENTENCE, PARAGRAPH: near, within */
} tk;

typedef struct parser {
    const char *s;
    size_t n, i;
    int depth;
    /* the current token */
    tk kind;
    size_t b, e, at;
    ws_near_kind near;
    unsigned within;
    unsigned nprox; /* proximities so far */
    char *err;
    size_t errlen;
    int failed;
    int toobig; /* the failure is a limit passed (WS_ETOOBIG) */
} parser;

/* Sets p's error (the first one only) and marks it failed. */
void ws__qlex_fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The character at byte offset i, counted from 1 in code points. */
size_t ws__qlex_char_at(const parser *p, size_t i);

/* Fails p for nesting past WS_QUERY_MAX_DEPTH. */
void ws__qlex_fail_depth(parser *p);

/* The length of an opening parenthesis, an opening quote or a closing
 * quote at byte i (ASCII or full width), or 0. */
size_t ws__qlex_open_paren(const parser *p, size_t i);
size_t ws__qlex_open_quote(const parser *p, size_t i);
size_t ws__qlex_close_quote(const parser *p, size_t i);

/* The proximity operator of the current token as written (NEAR/5), into
 * buf of len bytes, which it returns. */
const char *ws__qlex_prox_name(const parser *p, char *buf, size_t len);

/* Reads the token at p->i into p->kind, b, e (and near, within). */
void ws__qlex_next(parser *p);

#endif
