/* conn_int.h - what conn.c and pool.c share: one connection. Not a public
 * header: the daemon sees conn.h.
 *
 * The loop owns every connection; it is freed (ws__conn_free) once its
 * handle is closed and no work of it is in the pool or waits its turn. */
#ifndef WS_CONN_INT_H
#define WS_CONN_INT_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "conn.h"
#include "http.h"
#include "mailbox.h"
#include "routes.h"

struct ws__conn {
    union {
        uv_handle_t handle;
        uv_stream_t stream;
        uv_tcp_t tcp;
        uv_pipe_t pipe;
    } h;
    ws__conns *t;
    ws__conn *prev, *next;
    ws_http_parser hp;
    ws_route_call call;
    const ws_route *route;
    ws_http_response res;
    uv_work_t work;
    uv_write_t write_req, continue_req;
    uv_shutdown_t shutdown_req;
    char head[1024];
    char *pending; /* bytes read past the request being answered */
    size_t pending_len;
    uint64_t last_active;     /* uv_now() of the last read or completed write */
    uint64_t request_start;   /* uv_now() of the first byte of the request being read, or 0 */
    size_t answer_held;       /* what the answer being written holds of t->answers_held */
    ws_letter answered;       /* posted by a write handler when its answer is in res */
    unsigned busy : 1;        /* the request is on the thread pool or waits for a commit */
    unsigned in_pool : 1;     /* its handler runs on the thread pool */
    ws__turns *turn;          /* the turns it runs or waits in (large, heavy), or NULL */
    ws__conn *turn_next;      /* in that queue, waiting */
    unsigned piece_waits : 1; /* what waits its turn is a piece of its stream */
    unsigned answer_in : 1;   /* a deferred answer has come */
    unsigned writing : 1;
    unsigned reading : 1;
    unsigned closing : 1;
    unsigned closed : 1; /* the close callback has run */
    unsigned eof : 1;    /* the peer closed its side */
    unsigned close_after : 1;
    unsigned local : 1; /* loopback peer or Unix socket */
    unsigned head_only : 1;
    unsigned rejected : 1;   /* over the connection cap: answered 503 */
    unsigned lingering : 1;  /* answered an unreadable request: draining */
    unsigned stream_end : 1; /* the last chunk of a streamed answer is being written */
    char *piece;             /* a streamed answer's piece being made or written */
    size_t piece_len;
    int piece_failed;
    char chunk_head[24];
    uint64_t linger_start;
};

/* One connection's life (conn.c), for pool.c; on the loop. */

/* Frees c and what it holds, and counts it out of the table; only once its
 * handle is closed (c->closed) and it is no longer busy. */
void ws__conn_free(ws__conn *c);

/* Unlinks c from the table and closes its handle; its memory goes in the
 * close callback, or when its work is done if it is busy. Again is harmless. */
void ws__conn_close(ws__conn *c);

/* Sends c->res; the connection stays open for the next request unless
 * either side wants it closed. */
void ws__conn_respond(ws__conn *c);

/* The request is done (its answer is in c->res): answer it, or free the
 * connection if it was closed meanwhile. status: the pool's (UV_ECANCELED). */
void ws__conn_request_done(ws__conn *c, int status);

/* The write callback of an answer (and of a stream's last chunk): reads
 * the next request, lingers or closes. */
void ws__conn_on_written(uv_write_t *w, int status);

#endif
