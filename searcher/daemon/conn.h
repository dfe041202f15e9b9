/* conn.h - the daemon's connections: each one's life (conn.c: reading,
 * parsing, dispatching, answering, lingering, timeouts) and what they share
 * (the caps, the budgets of bodies and answers, the turns of large and
 * heavy requests). daemon.c keeps one table, listens into it and closes it.
 * Internal to the daemon layer: programs see daemon.h. */
#ifndef WS_CONN_H
#define WS_CONN_H

#include <stddef.h>
#include <uv.h>

#include "routes.h"

#define WS__READ_BUF (64u << 10)
/* Answers waiting for their clients to read them, all connections together:
 * past this, an answer larger than WS__ANSWER_SMALL is replaced by a 503
 * (unless it is the only one held), and a WS_ROUTE_LARGE request is refused
 * as it comes unless a body's worth (WS_HTTP_MAX_BODY) is left for it and
 * for each one running (not those waiting their turn: one that starts past
 * the budget is made, then replaced by the 503 as it is sent). */
#define WS__ANSWER_BUDGET (64u << 20)
#define WS__ANSWER_SMALL  (64u << 10)

typedef struct ws__conn ws__conn;

/* Requests of one kind that run on at most max threads of the pool at
 * once (its threads less one, 1 at least), so that a search always finds
 * one; the others wait their turn on the loop, in order. */
typedef struct ws__turns {
    unsigned max;
    unsigned running; /* on the thread pool */
    unsigned waiting; /* in the queue from head */
    ws__conn *head, *tail;
} ws__turns;

/* The table of connections. The daemon sets the fields down to ctx before
 * the first connection, the rest zero; from then on they are conn.c's. */
typedef struct ws__conns {
    uv_loop_t *loop;
    ws_routes *rt;
    const uv_stream_t *tcp; /* the TCP listener: its connections may be remote */
    unsigned max_conns, idle_ms, request_ms;
    size_t body_budget; /* bytes left for request bodies (http.h) */
    int quiet, verbose;
    /* called after a connection is freed (with ctx): the daemon's shutdown
     * may be complete */
    void (*on_freed)(void *ctx);
    void *ctx;
    ws__conn *conns;            /* open connections (not closing) */
    unsigned nconns;            /* connections not yet freed */
    unsigned nopen;             /* connections not closing: what max_conns caps */
    int stopping;               /* after ws__conns_stop_all: no new connection, no keep-alive */
    size_t answers_held;        /* bytes of answers larger than WS__ANSWER_SMALL being written */
    ws__turns large;            /* WS_ROUTE_LARGE requests (documents) */
    ws__turns heavy;            /* WS_ROUTE_HEAVY requests, and each piece of their streams */
    char readbuf[WS__READ_BUF]; /* shared: each read is parsed before the next */
} ws__conns;

/* The listeners' callback: a listener's data is its table. */
void ws__conns_on_connection(uv_stream_t *server, int status);
void ws__conns_sweep(ws__conns *t);          /* closes idle and stalled connections */
void ws__conns_close_all(ws__conns *t);      /* closes every connection now */
void ws__conns_stop_all(ws__conns *t);       /* closes idle ones; the rest close once answered */
void ws__conns_close_handle(uv_handle_t *h); /* a connection's handle, from uv_walk */

#endif
