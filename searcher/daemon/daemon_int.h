/* daemon_int.h - what daemon.c (listeners, signals, the writer, the drop
 * folder, shutdown) and conn.c (one connection's life) share. Not a public
 * header: programs see daemon.h. */
#ifndef WS_DAEMON_INT_H
#define WS_DAEMON_INT_H

#include <uv.h>

#include "daemon.h"
#include "mailbox.h"
#include "routes.h"
#include "watch.h"
#include "writer.h"

#define WS__READ_BUF (64u << 10)
/* Answers waiting for their clients to read them, all connections together:
 * past this, an answer larger than WS__ANSWER_SMALL is replaced by a 503
 * (unless it is the only one held), and a WS_ROUTE_LARGE request is refused
 * before it runs unless a body's worth (WS_HTTP_MAX_BODY) is left for it
 * and for each one already running. */
#define WS__ANSWER_BUDGET (64u << 20)
#define WS__ANSWER_SMALL  (64u << 10)

typedef struct ws__conn ws__conn;

struct ws_daemon {
    uv_loop_t loop;
    uv_tcp_t tcp;
    uv_pipe_t pipe;
    uv_signal_t sigint, sigterm;
    uv_timer_t sweep;    /* closes idle and stalled connections */
    uv_timer_t deadline; /* ends a shutdown that takes too long */
    uv_timer_t retake;   /* tries again to open the writer */
    ws_mailbox mailbox;  /* the writer's callbacks, back on the loop */
    int has_tcp, has_pipe, port;
    char *unix_path;
    ws_routes *rt;
    /* writing */
    char *db;
    const ws_lexicon *lex;
    unsigned shards;
    ws_writer *writer; /* NULL: read-only for now */
    ws_watch *watch;   /* NULL: no drop folder */
    int watch_stopped;
    /* connections */
    ws__conn *conns; /* open connections (not closing) */
    unsigned nconns; /* connections not yet freed */
    unsigned nopen;  /* connections not closing: what max_conns caps */
    unsigned max_conns, idle_ms, request_ms, shutdown_ms;
    size_t body_budget;     /* bytes left for request bodies (http.h) */
    size_t answers_held;    /* bytes of answers larger than WS__ANSWER_SMALL being written */
    unsigned large_running; /* WS_ROUTE_LARGE requests on the thread pool */
    unsigned large_max;     /* at most that many: the pool's threads less one, 1 at least */
    unsigned large_waiting; /* the others, in the queue from large_head */
    ws__conn *large_head, *large_tail;
    int stopping, stopped, quiet, verbose;
    char readbuf[WS__READ_BUF]; /* shared: each read is parsed before the next */
};

/* conn.c */
void ws__conn_on_connection(uv_stream_t *server, int status); /* the listeners' callback */
void ws__conn_sweep(ws_daemon *d);          /* closes idle and stalled connections */
void ws__conn_close_all(ws_daemon *d);      /* closes every connection now */
void ws__conn_stop_all(ws_daemon *d);       /* closes idle ones; the rest close once answered */
void ws__conn_close_handle(uv_handle_t *h); /* a connection's handle, from uv_walk */

/* daemon.c: ends the loop once stopping and nothing is left in hand. */
void ws__daemon_maybe_stopped(ws_daemon *d);

#endif
