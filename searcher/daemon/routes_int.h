/* routes_int.h - what routes.c and routes_write.c share: the routes' state.
 * Not a public header: the daemon sees only routes.h. */
#ifndef WS_ROUTES_INT_H
#define WS_ROUTES_INT_H

#include <stdatomic.h>
#include <uv.h>

#include "analyzer.h"
#include "routes.h"
#include "search.h"

/* One thread's view of the index; lives until ws_routes_free(). */
typedef struct ws__worker {
    ws_searcher *s;
    ws_analyzer *a;
    uint64_t reopened_ns;
    uint64_t generation; /* of the writer when s was last reopened */
    struct ws__worker *next;
} ws__worker;

struct ws_routes {
    char *db;
    char *synonyms;
    const ws_lexicon *lex;
    uint64_t reopen_ns;
    unsigned threads, delay_ms, query_ms, count_ms;
    uint64_t started_ns;
    uv_key_t key; /* -> this thread's worker */
    uv_mutex_t lock;
    ws__worker *workers; /* every thread's, for ws_routes_free() */
    atomic_ulong requests, queries;
    atomic_uint connections;
    /* writing */
    ws_mailbox *mailbox;
    char *token; /* NULL: no token */
    size_t token_len;
    ws_writer *_Atomic writer;  /* NULL: the daemon does not write now */
    ws_readgate *gate;          /* the daemon's; the instruments' reads go through it */
    struct ws_wordcache *words; /* the daemon's; NULL: none */
    char why_not[512];          /* why, under lock */
    /* the parser of POST bodies (routes_write.c) */
    uv_thread_t parser;
    uv_mutex_t plock;
    uv_cond_t pmore;
    struct ws__write_job *phead, *ptail;
    int pstop, has_parser;
};

/* The query-string parameters of a request (routes.c). */
typedef struct ws__params {
    size_t n;
    char *key[WS_ROUTES_MAX_PARAMS];
    char *val[WS_ROUTES_MAX_PARAMS];
} ws__params;

/* Splits the query string of call into ps, accepting only the names of
 * known (a NULL-terminated list), each at most once but those of many
 * (NULL-terminated, or NULL for none): 0, or -1 with res set to a 400. */
int ws__params_parse(const ws_route_call *call, const char *const *known, const char *const *many,
                     ws__params *ps, ws_http_response *res);
void ws__params_free(ws__params *ps);
/* The value of the parameter named key (the last, of one of many), or
 * NULL; owned by ps. */
const char *ws__param(const ws__params *ps, const char *key);
/* A decimal number up to max; -1 when it is not one. */
long ws__number(const char *s, long max);

/* This thread's searcher, up to date (NULL with res set to a 503), and the
 * answer to a failed call of it (routes.c). */
ws_searcher *ws__this_searcher(ws_routes *rt, ws_http_response *res);

/* ws_searcher_open of the routes' index, tried again (WS_ROUTES_RETRIES)
 * while a writer discards the revision it opens. */
ws_status ws__searcher_open(ws_routes *rt, ws_searcher **out, char *err, size_t errlen);
void ws__searcher_error(ws_routes *rt, ws_http_response *res, ws_searcher *s, ws_status st);

/* The instruments for research (routes_research.c), on the thread pool. */
void ws__serve_concordance(ws_routes *rt, ws_route_call *call, ws_http_response *res);
void ws__serve_trend(ws_routes *rt, ws_route_call *call, ws_http_response *res);
void ws__serve_export(ws_routes *rt, ws_route_call *call, ws_http_response *res);
void ws__serve_collocates(ws_routes *rt, ws_route_call *call, ws_http_response *res);

/* Why a write request is refused before its body is read: 0, or the
 * status (403, 400, 415, 503) with *msg (static). post: POST /documents,
 * else DELETE /documents/{id}. */
int ws__write_refusal(ws_routes *rt, const ws_http_request *req, int has_query, int post,
                      const char **msg);

/* The write endpoints (routes_write.c), on the loop. */
void ws__serve_post(ws_routes *rt, ws_route_call *call, ws_http_response *res);
void ws__serve_delete(ws_routes *rt, ws_route_call *call, ws_http_response *res);

/* Starts the parser thread of POST bodies (WS_ENOMEM); stops it, once no
 * request is in hand (NULL-safe for one never started). */
ws_status ws__writes_start(ws_routes *rt);
void ws__writes_stop(ws_routes *rt);

#endif
