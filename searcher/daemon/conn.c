/* conn.c - one connection of wensuo-searchd: reading, parsing, dispatching,
 * answering, lingering and timeouts.
 *
 * A connection reads and parses bytes until one request is complete, then
 * stops reading until that request is answered (so pipelined requests are
 * answered in order and a fast client cannot queue unbounded work); the bytes
 * already read past the request wait in conn->pending. Index work goes to the
 * thread pool; a connection whose request is in the pool, or whose write
 * waits for the writer's commit, is "busy" and is freed only when both its
 * handle is closed and its request is done. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "conn.h"
#include "http.h"
#include "mailbox.h"

#define LINGER_IDLE_MS 1000 /* a lingering connection silent this long is closed */
#define LINGER_MAX_MS  10000

typedef ws__conn conn;

struct ws__conn {
    union {
        uv_handle_t handle;
        uv_stream_t stream;
        uv_tcp_t tcp;
        uv_pipe_t pipe;
    } h;
    ws__conns *t;
    conn *prev, *next;
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
    conn *turn_next;          /* in that queue, waiting */
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

static void conn_input(conn *c, const char *data, size_t len);
static void release_answer(conn *c);
static void start_waiting(ws__turns *q);
static void turn_done(conn *c);
static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

/* ---- connection life ---- */

static void conn_free(conn *c)
{
    ws__conns *t = c->t;
    release_answer(c);
    free(c->piece);
    ws_http_parser_free(&c->hp);
    ws_route_call_clear(&c->call);
    ws_http_response_clear(&c->res);
    free(c->pending);
    if (!c->rejected) {
        t->nconns--;
        ws_routes_set_connections(t->rt, t->nconns);
    }
    free(c);
    t->on_freed(t->ctx);
}

static void on_conn_closed(uv_handle_t *h)
{
    conn *c = h->data;
    c->closed = 1;
    if (!c->busy)
        conn_free(c);
}

static void conn_close(conn *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    if (!c->rejected) { /* unlink */
        c->t->nopen--;
        if (c->prev)
            c->prev->next = c->next;
        else
            c->t->conns = c->next;
        if (c->next)
            c->next->prev = c->prev;
        c->prev = c->next = NULL;
    }
    uv_close(&c->h.handle, on_conn_closed);
}

static void conn_read_stop(conn *c)
{
    if (c->reading) {
        uv_read_stop(&c->h.stream);
        c->reading = 0;
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    conn *c = h->data;
    *buf = uv_buf_init(c->t->readbuf, WS__READ_BUF);
}

static void on_written(uv_write_t *w, int status);
static void conn_linger(conn *c);

/* One log line for the request answered: the path is the client's,
 * percent-decoded, so a %0A in it would start a line of the client's
 * choosing (and ESC sequences would reach the operator's terminal):
 * control bytes and the backslash are written as \xNN. */
static void log_request(const conn *c)
{
    const char *path = c->call.path ? c->call.path : "-";
    char buf[4096];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)path;
    for (; *p && n + 8 < sizeof buf; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02x", *p);
        else
            buf[n++] = (char)*p;
    }
    buf[n] = '\0';
    fprintf(stderr, "wensuo-searchd: %s %s%s -> %d\n",
            c->hp.complete ? http_method_str(c->hp.req.method) : "-", buf, *p ? "..." : "",
            c->res.status);
}

/* Gives back what the answer written held of the answers' budget. */
static void release_answer(conn *c)
{
    c->t->answers_held -= c->answer_held;
    c->answer_held = 0;
}

/* Sends c->res; the connection stays open for the next request unless
 * either side wants it closed. */
static void conn_respond(conn *c)
{
    ws__conns *t = c->t;
    int keep = c->hp.complete && c->hp.req.keep_alive && !c->res.close && !c->eof && !t->stopping &&
               !c->close_after;
    if (!keep)
        c->close_after = 1;
    /* Clients that do not read hold their answers: a large one is sent
     * only while the answers held by all stay within their budget (or it
     * is the only one), else the client is asked to come back. */
    size_t body_len = c->head_only ? 0 : c->res.body_len;
    if (body_len > WS__ANSWER_SMALL) {
        if (t->answers_held && t->answers_held + body_len > WS__ANSWER_BUDGET) {
            ws_http_response_error(&c->res, 503,
                                   "too many large answers wait for their clients; try again");
            c->res.extra = "Retry-After: 1\r\n";
        } else {
            c->answer_held = body_len;
            t->answers_held += body_len;
        }
    }
    if (!t->quiet && (c->res.status == 500 || c->res.status == 503 || t->verbose))
        log_request(c);
    size_t hl = ws_http_response_head(&c->res, keep, c->head, sizeof c->head);
    if (!hl) {
        release_answer(c);
        conn_close(c);
        return;
    }
    uv_buf_t bufs[2];
    unsigned nb = 1;
    bufs[0] = uv_buf_init(c->head, (unsigned)hl);
    if (c->res.body_len && !c->head_only)
        bufs[nb++] = uv_buf_init(c->res.body, (unsigned)c->res.body_len);
    if (uv_write(&c->write_req, &c->h.stream, bufs, nb, on_written) != 0) {
        release_answer(c);
        conn_close(c);
        return;
    }
    c->writing = 1;
}

/* Answers an error and closes: used for requests that cannot be parsed. */
static void conn_fail(conn *c, int status, const char *msg)
{
    conn_read_stop(c);
    ws_http_response_error(&c->res, status, "%s", msg);
    c->res.close = 1;
    c->close_after = 1;
    conn_respond(c);
}

static void on_work(uv_work_t *w)
{
    conn *c = w->data;
    ws_routes_run(c->t->rt, c->route, &c->call, &c->res);
}

/* The request is done (its answer is in c->res): answer it, or free the
 * connection if it was closed meanwhile. */
static void conn_request_done(conn *c, int status)
{
    c->busy = 0;
    c->answer_in = 0;
    if (c->closing) {
        if (c->closed)
            conn_free(c);
        return;
    }
    if (status == UV_ECANCELED)
        ws_http_response_error(&c->res, 503, "the daemon is shutting down");
    conn_respond(c);
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
    conn_request_done(c, status);
}

static void on_answered(ws_letter *l)
{
    conn *c = (conn *)((char *)l - offsetof(conn, answered));
    c->answer_in = 1;
    if (!c->in_pool)
        conn_request_done(c, 0);
}

/* The turns c's requests take (large documents, heavy instruments), or NULL. */
static ws__turns *turns_of(conn *c)
{
    unsigned f = c->route ? c->route->flags : 0;
    return f & WS_ROUTE_LARGE ? &c->t->large : f & WS_ROUTE_HEAVY ? &c->t->heavy : NULL;
}

/* 1 when c must wait its turn (queued, busy), 0 when it may run now. */
static int wait_turn(conn *c, int piece)
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
static void start_work(conn *c)
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
    conn_respond(c);
}

static void stream_piece(conn *c);

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
            conn_close(c);
        if (c->closing) {
            c->busy = 0;
            c->piece_waits = 0;
            if (c->closed)
                conn_free(c);
            continue;
        }
        if (c->piece_waits) {
            c->piece_waits = 0;
            stream_piece(c);
        } else {
            start_work(c);
        }
    }
}

static void conn_dispatch(conn *c)
{
    ws__conns *t = c->t;
    ws_http_request *req = &c->hp.req;
    req->from_local = c->local;
    c->head_only = req->method == HTTP_HEAD;
    c->call.received_ns = uv_hrtime();
    c->route = ws_routes_match(t->rt, req, &c->call, &c->res);
    c->call.answered = &c->answered;
    if (!c->route) {
        conn_respond(c);
        return;
    }
    /* no fetching what would only wait for its client: each such request
     * running or waiting counts as a body's worth */
    if ((c->route->flags & WS_ROUTE_LARGE) &&
        t->answers_held + (t->large.running + t->large.waiting + 1) * (size_t)WS_HTTP_MAX_BODY >
            WS__ANSWER_BUDGET) {
        ws_http_response_error(&c->res, 503,
                               "too many large answers wait for their clients; try again");
        c->res.extra = "Retry-After: 1\r\n";
        conn_respond(c);
        return;
    }
    /* they leave a thread of the pool to the searches: past their max
     * running, they wait their turn on the loop */
    if (wait_turn(c, 0))
        return;
    if (c->route->flags & WS_ROUTE_WORKER) {
        start_work(c);
        return;
    }
    ws_routes_run(t->rt, c->route, &c->call, &c->res);
    if (c->call.deferred && !c->answer_in) {
        c->busy = 1;
        return;
    }
    c->answer_in = 0;
    conn_respond(c);
}

/* Parses what is pending and, if no request is then in progress, reads on. */
static void conn_resume(conn *c)
{
    if (c->pending) {
        char *p = c->pending;
        size_t n = c->pending_len;
        c->pending = NULL;
        c->pending_len = 0;
        conn_input(c, p, n);
        free(p);
    }
    if (c->busy || c->writing || c->closing || c->reading)
        return;
    if (c->eof) { /* the peer has closed its side: nothing more will come */
        if (ws_http_parser_idle(&c->hp))
            conn_close(c);
        else
            conn_fail(c, 400, "the request ended early");
        return;
    }
    if (uv_read_start(&c->h.stream, on_alloc, on_read) == 0)
        c->reading = 1;
    else
        conn_close(c);
}

/* ---- a streamed answer (http.h): one piece made on the pool, then
 * written, then the next ---- */

static void stream_next(conn *c);

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
            conn_free(c);
        return;
    }
    if (status == UV_ECANCELED || c->piece_failed) {
        conn_close(c); /* without the last chunk: the client knows it is cut */
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
        conn_close(c);
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
        conn_close(c);
        return;
    }
    c->busy = c->in_pool = 1;
    turn_take(c);
}

/* Each piece of a heavy stream takes its turn as a request does: an
 * export or a concordance sent as a file holds no thread between its
 * pieces, nor while its client reads. */
static void stream_next(conn *c)
{
    if (!wait_turn(c, 1))
        stream_piece(c);
}

static void on_written(uv_write_t *w, int status);

static void on_piece_written(uv_write_t *w, int status)
{
    conn *c = w->data;
    free(c->piece);
    c->piece = NULL;
    if (c->stream_end || c->closing || status < 0) {
        c->stream_end = 0;
        on_written(w, status);
        return;
    }
    c->writing = 0;
    c->last_active = uv_now(c->t->loop);
    stream_next(c);
}

static void on_written(uv_write_t *w, int status)
{
    conn *c = w->data;
    c->writing = 0;
    release_answer(c);
    if (c->res.stream && !c->head_only && !c->closing && status >= 0 && !c->stream_end &&
        c->res.status == 200 && !c->piece_failed && c->res.stream_ctx) {
        /* the head is out: the pieces follow */
        c->last_active = uv_now(c->t->loop);
        c->res.status = 0; /* marks the head as sent */
        stream_next(c);
        return;
    }
    ws_http_response_clear(&c->res);
    ws_route_call_clear(&c->call);
    c->route = NULL;
    c->head_only = 0;
    if (c->closing)
        return;
    if (status < 0) {
        conn_close(c);
        return;
    }
    if (c->close_after) {
        if (c->hp.error_status)
            conn_linger(c);
        else
            conn_close(c);
        return;
    }
    c->last_active = uv_now(c->t->loop);
    c->request_start = 0;
    ws_http_parser_next(&c->hp);
    conn_resume(c);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
    (void)req;
    (void)status; /* the sweep or the peer's EOF ends the connection */
}

/* After an error answer to a request that was not read whole (413, 431,
 * garbage), read and drop what the client still sends for a while before
 * closing: closing with unread bytes would reset the connection, and the
 * client would lose the answer. */
static void conn_linger(conn *c)
{
    c->lingering = 1;
    c->linger_start = c->last_active = uv_now(c->t->loop);
    if (uv_shutdown(&c->shutdown_req, &c->h.stream, on_shutdown) != 0 ||
        (!c->reading && uv_read_start(&c->h.stream, on_alloc, on_read) != 0)) {
        conn_close(c);
        return;
    }
    c->reading = 1;
}

static void on_continue_written(uv_write_t *w, int status)
{
    (void)w;
    (void)status; /* a failure shows in the next read or write */
}

static void conn_input(conn *c, const char *data, size_t len)
{
    while (len > 0 && !c->closing) {
        size_t used = 0;
        ws_http_result r = ws_http_parser_feed(&c->hp, data, len, &used);
        data += used;
        len -= used;
        if (!c->request_start && !ws_http_parser_idle(&c->hp))
            c->request_start = uv_now(c->t->loop);
        if (c->hp.send_continue) {
            static char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
            uv_buf_t b = uv_buf_init(cont, sizeof cont - 1);
            c->hp.send_continue = 0;
            c->continue_req.data = c;
            if (uv_write(&c->continue_req, &c->h.stream, &b, 1, on_continue_written) != 0) {
                conn_close(c);
                return;
            }
        }
        if (r == WS_HTTP_ERROR) {
            conn_fail(c, c->hp.error_status, c->hp.error_msg);
            return;
        }
        if (r == WS_HTTP_REQUEST) {
            conn_read_stop(c);
            if (len) {
                c->pending = malloc(len);
                if (!c->pending) {
                    conn_close(c);
                    return;
                }
                memcpy(c->pending, data, len);
                c->pending_len = len;
            }
            conn_dispatch(c);
            return;
        }
        if (used == 0) /* cannot happen with http_parser; never spin */
            break;
    }
}

/* The parser's ws_http_head_cb: refuses a write the peer may not make
 * before its body takes memory or time. */
static int on_head(void *ctx, ws_http_request *req, const char **msg)
{
    conn *c = ctx;
    req->from_local = c->local;
    return ws_routes_admit(c->t->rt, req, msg);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    conn *c = s->data;
    if (c->lingering) {
        if (nread < 0)
            conn_close(c);
        else
            c->last_active = uv_now(c->t->loop);
        return;
    }
    if (nread > 0) {
        c->last_active = uv_now(c->t->loop);
        conn_input(c, buf->base, (size_t)nread);
    } else if (nread == UV_EOF) {
        c->eof = 1;
        conn_read_stop(c);
        if (!c->busy && !c->writing)
            conn_resume(c);
    } else if (nread < 0) {
        conn_close(c);
    }
}

static int peer_is_local(conn *c)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;
    if (uv_tcp_getpeername(&c->h.tcp, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
        return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    }
    if (ss.ss_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)&ss)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a))
            return 1;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return 0;
}

/* 1 when a connection that has started no request has bytes waiting in the
 * kernel: a request sent but not yet read, because the loop was late (a
 * connection accepted in the same turn as this one, say). */
static int has_unread_request(conn *c)
{
    uv_os_fd_t fd;
    int n = 0;
    if (c->request_start || uv_fileno(&c->h.handle, &fd) != 0)
        return 0;
    return ioctl(fd, FIONREAD, &n) == 0 && n > 0;
}

/* At the cap, a new connection takes the place of the one that has waited
 * longest for its client: idle between requests, or still sending one
 * (the oldest request, or the oldest silence, goes first). One that is
 * being answered is never taken, nor one whose whole request waits unread
 * in the kernel. So connections that trickle bytes, however many, cannot
 * keep a new client out; a client that is sending a request at a normal pace
 * is far younger than they are. 1 when a place was made. */
static int make_room(ws__conns *t)
{
    conn *victim = NULL;
    uint64_t oldest = UINT64_MAX;
    for (conn *c = t->conns; c; c = c->next) {
        if (c->busy || c->writing || has_unread_request(c))
            continue;
        uint64_t since = c->lingering ? 0 : c->request_start ? c->request_start : c->last_active;
        if (since < oldest) {
            oldest = since;
            victim = c;
        }
    }
    if (!victim)
        return 0;
    conn_close(victim);
    return 1;
}

void ws__conns_on_connection(uv_stream_t *server, int status)
{
    ws__conns *t = server->data;
    if (status < 0) {
        if (!t->quiet)
            fprintf(stderr, "wensuo-searchd: accept: %s\n", uv_strerror(status));
        return;
    }
    conn *c = calloc(1, sizeof *c);
    if (!c)
        return; /* the kernel keeps the connection queued; retried on the next one */
    c->t = t;
    int is_tcp = server == t->tcp;
    int e = is_tcp ? uv_tcp_init(t->loop, &c->h.tcp) : uv_pipe_init(t->loop, &c->h.pipe, 0);
    if (e != 0) {
        free(c);
        return;
    }
    c->h.handle.data = c;
    c->write_req.data = c;
    c->continue_req.data = c;
    c->answered.cb = on_answered;
    ws_http_parser_init(&c->hp, &t->body_budget, on_head, c);
    if (uv_accept(server, &c->h.stream) != 0 || t->stopping) {
        c->rejected = 1;
        conn_close(c);
        return;
    }
    if (t->nopen >= t->max_conns && !make_room(t)) {
        static char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
                             "Content-Type: application/json; charset=utf-8\r\n"
                             "Content-Length: 37\r\nConnection: close\r\n\r\n"
                             "{\"error\":\"too many open connections\"}";
        uv_buf_t b = uv_buf_init(busy, sizeof busy - 1);
        uv_try_write(&c->h.stream, &b, 1); /* best effort: never wait for such a client */
        c->rejected = 1;
        conn_close(c);
        return;
    }
    if (is_tcp) {
        uv_tcp_nodelay(&c->h.tcp, 1);
        c->local = peer_is_local(c);
    } else {
        c->local = 1;
    }
    c->next = t->conns;
    if (t->conns)
        t->conns->prev = c;
    t->conns = c;
    t->nconns++;
    t->nopen++;
    ws_routes_set_connections(t->rt, t->nconns);
    c->last_active = uv_now(t->loop);
    if (uv_read_start(&c->h.stream, on_alloc, on_read) == 0)
        c->reading = 1;
    else
        conn_close(c);
}

/* ---- timeouts and shutdown ---- */

void ws__conns_sweep(ws__conns *t)
{
    uint64_t now = uv_now(t->loop);
    for (conn *c = t->conns, *next; c; c = next) {
        next = c->next;
        if (c->lingering) {
            if (now - c->last_active >= LINGER_IDLE_MS || now - c->linger_start >= LINGER_MAX_MS)
                conn_close(c);
            continue;
        }
        if (!c->busy && !c->writing && c->request_start &&
            now - c->request_start >= t->request_ms) {
            c->last_active = now; /* the 408 itself gets one idle period */
            conn_fail(c, 408, "the request was not complete within the request timeout");
            continue;
        }
        if (c->busy || now - c->last_active < t->idle_ms)
            continue;
        if (c->writing || ws_http_parser_idle(&c->hp)) {
            conn_close(c); /* idle, or not reading what it asked for */
        } else {
            c->last_active = now; /* the 408 itself gets one more period */
            conn_fail(c, 408, "the request was not complete within the idle timeout");
        }
    }
}

void ws__conns_close_all(ws__conns *t)
{
    for (conn *c = t->conns, *next; c; c = next) {
        next = c->next;
        conn_close(c);
    }
}

void ws__conns_stop_all(ws__conns *t)
{
    t->stopping = 1;
    for (conn *c = t->conns, *next; c; c = next) {
        next = c->next;
        if (c->busy || c->writing)
            c->close_after = 1; /* answer what was asked, then close */
        else
            conn_close(c);
    }
}

void ws__conns_close_handle(uv_handle_t *h)
{
    conn_close(h->data);
}
