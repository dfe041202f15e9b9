/* analyzer_fixture.h - what the analyzer tests share (test_analyzer,
 * test_lexicon, test_termgen): the default lexicon and its analyzer, the
 * tokens of ws_analyzer_run and the terms of ws_termgen_run collected in
 * arrays, and finding, counting and checking a token or a term among them.
 *
 * The helpers check with check.h, whose count of failures is each test
 * file's own: so they are defined here, static inline, in the test that
 * includes this header (one per program), rather than in a source of their
 * own, whose failures no test would count. */
#ifndef WS_ANALYZER_FIXTURE_H
#define WS_ANALYZER_FIXTURE_H

#include "check.h"
#include "analyzer.h"
#include "fixture.h"
#include "lexicon.h"
#include "schema.h"
#include "termgen.h"

#include <stdint.h>
#include <stdlib.h>

static ws_lexicon *lex;
static ws_analyzer *an;

/* ---- collecting tokens and terms ---------------------------------------- */

typedef struct tk {
    char *text;
    size_t len, start, end;
    uint32_t pos, nchars;
    ws_token_kind kind;
    unsigned lexflags, parts;
} tk;

typedef struct toks {
    tk *t;
    size_t n, cap;
} toks;

typedef struct term {
    char *term;
    size_t len;
    uint32_t pos;
    ws_term_kind kind;
    size_t start, end; /* of the token it came from */
} term;

typedef struct terms {
    term *t;
    size_t n, cap;
} terms;

static inline ws_status on_tok(void *ctx, const ws_token *t)
{
    toks *v = ctx;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->t = realloc(v->t, v->cap * sizeof *v->t);
        if (!v->t)
            return WS_ENOMEM;
    }
    char *copy = malloc(t->len + 1);
    if (!copy)
        return WS_ENOMEM;
    memcpy(copy, t->text, t->len + 1);
    v->t[v->n++] =
        (tk){copy, t->len, t->start, t->end, t->pos, t->nchars, t->kind, t->lexflags, t->parts};
    return WS_OK;
}

static inline ws_status on_term(void *ctx, const char *s, size_t len, uint32_t pos,
                                ws_term_kind kind, const ws_token *tok)
{
    terms *v = ctx;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 256;
        v->t = realloc(v->t, v->cap * sizeof *v->t);
        if (!v->t)
            return WS_ENOMEM;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return WS_ENOMEM;
    memcpy(copy, s, len);
    copy[len] = '\0';
    v->t[v->n++] = (term){copy, len, pos, kind, tok->start, tok->end};
    return WS_OK;
}

static inline void toks_free(toks *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->t[i].text);
    free(v->t);
    memset(v, 0, sizeof *v);
}

static inline void terms_free(terms *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->t[i].term);
    free(v->t);
    memset(v, 0, sizeof *v);
}

static inline ws_status analyze_with(ws_analyzer *a, const char *s, size_t len, unsigned flags,
                                     toks *out)
{
    uint32_t pos = 1;
    memset(out, 0, sizeof *out);
    return ws_analyzer_run(a, s, len, flags, &pos, on_tok, out);
}

static inline toks analyze(const char *s, unsigned flags)
{
    toks v;
    CHECK_INT(analyze_with(an, s, strlen(s), flags, &v), WS_OK);
    return v;
}

static inline ws_status terms_with(const char *s, size_t len, unsigned flags, terms *out)
{
    uint32_t pos = 1;
    memset(out, 0, sizeof *out);
    return ws_termgen_run(an, s, len, WS_FIELD_BODY, flags, &pos, on_term, out);
}

static inline terms terms_of(const char *s, unsigned flags)
{
    terms v;
    CHECK_INT(terms_with(s, strlen(s), flags, &v), WS_OK);
    return v;
}

static inline const tk *find_tok(const toks *v, const char *text, int kind)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->t[i].text, text) && (kind == 0 || (int)v->t[i].kind == kind))
            return &v->t[i];
    return NULL;
}

static inline const term *find_term(const terms *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->t[i].term, s))
            return &v->t[i];
    return NULL;
}

static inline size_t count_term(const terms *v, const char *s)
{
    size_t n = 0;
    for (size_t i = 0; i < v->n; i++)
        n += !strcmp(v->t[i].term, s);
    return n;
}

/* A positioned term s at exactly pos. */
static inline int term_at(const terms *v, const char *s, uint32_t pos)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->t[i].pos == pos && !strcmp(v->t[i].term, s))
            return 1;
    return 0;
}

#define CHECK_TERM(v, s)                                                                           \
    do {                                                                                           \
        if (!find_term(&(v), (s))) {                                                               \
            fprintf(stderr, "%s:%d: no term \"%s\"\n", __FILE__, __LINE__, (s));                   \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

#define CHECK_NO_TERM(v, s)                                                                        \
    do {                                                                                           \
        if (find_term(&(v), (s))) {                                                                \
            fprintf(stderr, "%s:%d: unexpected term \"%s\"\n", __FILE__, __LINE__, (s));           \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

#define CHECK_TOK(v, s, kind)                                                                      \
    do {                                                                                           \
        if (!find_tok(&(v), (s), (kind))) {                                                        \
            fprintf(stderr, "%s:%d: no token \"%s\" (kind %d); tokens:", __FILE__, __LINE__, (s),  \
                    (int)(kind));                                                                  \
            for (size_t i_ = 0; i_ < (v).n; i_++)                                                  \
                fprintf(stderr, " %s", (v).t[i_].text);                                            \
            fputc('\n', stderr);                                                                   \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

/* ---- setup ------------------------------------------------------------- */

/* The analyzer over the default lexicon, in an and lex. */
static inline void analyzer_setup(void)
{
    /* the built-in defaults, whatever the environment says */
    unsetenv("WENSUO_USER_DICT");
    unsetenv("WENSUO_WORD_COUNTS");
    unsetenv("WENSUO_NEW_WORDS");
    an = ws_fixture_analyzer(&lex);
    CHECK(ws_lexicon_size(lex) > 100000);
}

static inline void analyzer_teardown(void)
{
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
}

#endif
