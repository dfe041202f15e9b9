/* pool.c - a connection's work on the thread pool (pool.h): a request's
 * handler, the turns of large and heavy requests, and the pieces of a
 * streamed answer. */
#include "pool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "conn_int.h"

typedef ws__conn conn;

static void start_waiting(ws__turns *q);
static void turn_done(conn *c);
static void stream_piece(conn *c);

/* ---- a request's work, and the turns ---- */

static void on_work(uv_work_t *w)
{
    conn *c = w->data;
    ws_routes_run(c->t->rt, c->route, &c->call, &c->res);
}

/* A deferred answer waits for two things, in either order: the handler's
 * return (on_work_done) and the writer's letter (on_answered). */
static void on_work_done(uv_work_t *w, int status)
{
    conn *c = w->data;
    c->in_pool = 0;
    turn_done(c);
    if (c->call.deferred && !c->answer_in && status != UV_ECANCELED)
        return; /* on_answered finishes */
    ws__conn_request_done(c, status);
}

/* The turns c's requests take (large documents, heavy instruments), or NULL. */
static ws__turns *turns_of(conn *c)
{
    unsigned f = c->route ? c->route->flags : 0;
    return f & WS_ROUTE_LARGE ? &c->t->large : f & WS_ROUTE_HEAVY ? &c->t->heavy : NULL;
}

/* 1 when c must wait its turn (queued, busy), 0 when it may run now. */
int ws__pool_wait_turn(conn *c, int piece)
{
    ws__turns *q = turns_of(c);
    if (!q || q->running < q->max)
        return 0;
    c->busy = 1;
    c->piece_waits = (unsigned)piece;
    c->turn = q;
    c->turn_next = NULL;
    if (q->tail)
        q->tail->turn_next = c;
    else
        q->head = c;
    q->tail = c;
    q->waiting++;
    return 1;
}

static void turn_take(conn *c)
{
    if ((c->turn = turns_of(c)) != NULL)
        c->turn->running++;
}

/* c's work is done: its turn goes to the next that waits. */
static void turn_done(conn *c)
{
    ws__turns *q = c->turn;
    if (!q)
        return;
    c->turn = NULL;
    q->running--;
    start_waiting(q);
}

/* Hands c's request to the thread pool (503 when it cannot). */
void ws__pool_start_work(conn *c)
{
    ws__conns *t = c->t;
    c->work.data = c;
    if (uv_queue_work(t->loop, &c->work, on_work, on_work_done) == 0) {
        c->busy = c->in_pool = 1;
        turn_take(c);
        return;
    }
    c->busy = 0;
    ws_http_response_error(&c->res, 503, "cannot queue the request");
    ws__conn_respond(c);
}

/* 1 when c's client has gone (reset its connection): one that waits its
 * turn is not read, so only the kernel knows. The end of its bytes is no
 * sign, since a client may shut its side after its request and still read
 * the answer (test_fuzz_http does); bytes sent after the request
 * (pipelined) say it is there. */
static int peer_gone(conn *c)
{
    uv_os_fd_t fd;
    char b;
    if (uv_fileno(&c->h.handle, &fd) != 0)
        return 0;
    ssize_t n = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
}

/* Starts what waits in q while fewer than q->max run: a request, or the
 * next piece of a stream; one whose connection was closed meanwhile is
 * freed instead. */
static void start_waiting(ws__turns *q)
{
    while (q->head && q->running < q->max) {
        conn *c = q->head;
        if (!(q->head = c->turn_next))
            q->tail = NULL;
        q->waiting--;
        c->turn = NULL;
        if (!c->closing && peer_gone(c)) /* no work for a client that left */
            ws__conn_close(c);
        if (c->closing) {
            c->busy = 0;
            c->piece_waits = 0;
            if (c->closed)
                ws__conn_free(c);
            continue;
        }
        if (c->piece_waits) {
            c->piece_waits = 0;
            stream_piece(c);
        } else {
            ws__pool_start_work(c);
        }
    }
}

/* ---- a streamed answer (http.h): one piece made on the pool, then
 * written, then the next ---- */

static void on_piece_work(uv_work_t *w)
{
    conn *c = w->data;
    c->piece = NULL;
    c->piece_len = 0;
    c->piece_failed = c->res.stream(c->res.stream_ctx, &c->piece, &c->piece_len) != 0;
}

static void on_piece_written(uv_write_t *w, int status);

static void on_piece_done(uv_work_t *w, int status)
{
    conn *c = w->data;
    c->busy = c->in_pool = 0;
    turn_done(c);
    if (c->closing) {
        if (c->closed)
            ws__conn_free(c);
        return;
    }
    if (status == UV_ECANCELED || c->piece_failed) {
        ws__conn_close(c); /* without the last chunk: the client knows it is cut */
        return;
    }
    uv_buf_t bufs[3];
    unsigned nb = 0;
    if (!c->piece_len) {
        static char last[] = "0\r\n\r\n";
        c->stream_end = 1;
        bufs[nb++] = uv_buf_init(last, sizeof last - 1);
    } else {
        static char crlf[] = "\r\n";
        int n = snprintf(c->chunk_head, sizeof c->chunk_head, "%zx\r\n", c->piece_len);
        bufs[nb++] = uv_buf_init(c->chunk_head, (unsigned)n);
        bufs[nb++] = uv_buf_init(c->piece, (unsigned)c->piece_len);
        bufs[nb++] = uv_buf_init(crlf, 2);
    }
    if (uv_write(&c->write_req, &c->h.stream, bufs, nb, on_piece_written) != 0) {
        ws__conn_close(c);
        return;
    }
    c->writing = 1;
}

/* Makes the next piece of c's stream on the pool. */
static void stream_piece(conn *c)
{
    c->work.data = c;
    if (uv_queue_work(c->t->loop, &c->work, on_piece_work, on_piece_done) != 0) {
        c->busy = 0;
        ws__conn_close(c);
        return;
    }
    c->busy = c->in_pool = 1;
    turn_take(c);
}

/* Each piece of a heavy stream takes its turn as a request does: an
 * export or a concordance sent as a file holds no thread between its
 * pieces, nor while its client reads. */
void ws__pool_stream_next(conn *c)
{
    if (!ws__pool_wait_turn(c, 1))
        stream_piece(c);
}

static void on_piece_written(uv_write_t *w, int status)
{
    conn *c = w->data;
    free(c->piece);
    c->piece = NULL;
    if (c->stream_end || c->closing || status < 0) {
        c->stream_end = 0;
        ws__conn_on_written(w, status);
        return;
    }
    c->writing = 0;
    c->last_active = uv_now(c->t->loop);
    ws__pool_stream_next(c);
}
