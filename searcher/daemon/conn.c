/* conn.c - one connection of wensuo-searchd: reading, parsing, dispatching,
 * answering, lingering and timeouts; its work on the thread pool is
 * pool.c's.
 *
 * A connection reads and parses bytes until one request is complete, then
 * stops reading until that request is answered (so pipelined requests are
 * answered in order and a fast client cannot queue unbounded work); the bytes
 * already read past the request wait in conn->pending. Index work goes to the
 * thread pool; a connection whose request is in the pool, or whose write
 * waits for the writer's commit, is "busy" and is freed only when both its
 * handle is closed and its request is done. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "conn_int.h"
#include "pool.h"

#define LINGER_IDLE_MS 1000 /* a lingering connection silent this long is closed */
#define LINGER_MAX_MS  10000

typedef ws__conn conn;

static void conn_input(conn *c, const char *data, size_t len);
static void release_answer(conn *c);
static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

/* ---- connection life ---- */

void ws__conn_free(conn *c)
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
        ws__conn_free(c);
}

void ws__conn_close(conn *c)
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
void ws__conn_respond(conn *c)
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
        ws__conn_close(c);
        return;
    }
    uv_buf_t bufs[2];
    unsigned nb = 1;
    bufs[0] = uv_buf_init(c->head, (unsigned)hl);
    if (c->res.body_len && !c->head_only)
        bufs[nb++] = uv_buf_init(c->res.body, (unsigned)c->res.body_len);
    if (uv_write(&c->write_req, &c->h.stream, bufs, nb, ws__conn_on_written) != 0) {
        release_answer(c);
        ws__conn_close(c);
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
    ws__conn_respond(c);
}

/* The request is done (its answer is in c->res): answer it, or free the
 * connection if it was closed meanwhile. */
void ws__conn_request_done(conn *c, int status)
{
    c->busy = 0;
    c->answer_in = 0;
    if (c->closing) {
        if (c->closed)
            ws__conn_free(c);
        return;
    }
    if (status == UV_ECANCELED)
        ws_http_response_error(&c->res, 503, "the daemon is shutting down");
    ws__conn_respond(c);
}

static void on_answered(ws_letter *l)
{
    conn *c = (conn *)((char *)l - offsetof(conn, answered));
    c->answer_in = 1;
    if (!c->in_pool)
        ws__conn_request_done(c, 0);
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
        ws__conn_respond(c);
        return;
    }
    /* no fetching what would only wait for its client: each such request
     * running counts as a body's worth beside the answers held. Not those
     * waiting their turn, which hold nothing yet: counted, ten clients
     * reading small documents at once were refused, with nothing held (an
     * answer made past the budget is still replaced by a 503 when it is
     * sent: ws__conn_respond) */
    if ((c->route->flags & WS_ROUTE_LARGE) &&
        t->answers_held + (t->large.running + 1) * (size_t)WS_HTTP_MAX_BODY > WS__ANSWER_BUDGET) {
        ws_http_response_error(&c->res, 503,
                               "too many large answers wait for their clients; try again");
        c->res.extra = "Retry-After: 1\r\n";
        ws__conn_respond(c);
        return;
    }
    /* they leave a thread of the pool to the searches: past their max
     * running, they wait their turn on the loop */
    if (ws__pool_wait_turn(c, 0))
        return;
    if (c->route->flags & WS_ROUTE_WORKER) {
        ws__pool_start_work(c);
        return;
    }
    ws_routes_run(t->rt, c->route, &c->call, &c->res);
    if (c->call.deferred && !c->answer_in) {
        c->busy = 1;
        return;
    }
    c->answer_in = 0;
    ws__conn_respond(c);
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
            ws__conn_close(c);
        else
            conn_fail(c, 400, "the request ended early");
        return;
    }
    if (uv_read_start(&c->h.stream, on_alloc, on_read) == 0)
        c->reading = 1;
    else
        ws__conn_close(c);
}

void ws__conn_on_written(uv_write_t *w, int status)
{
    conn *c = w->data;
    c->writing = 0;
    release_answer(c);
    if (c->res.stream && !c->head_only && !c->closing && status >= 0 && !c->stream_end &&
        c->res.status == 200 && !c->piece_failed && c->res.stream_ctx) {
        /* the head is out: the pieces follow */
        c->last_active = uv_now(c->t->loop);
        c->res.status = 0; /* marks the head as sent */
        ws__pool_stream_next(c);
        return;
    }
    ws_http_response_clear(&c->res);
    ws_route_call_clear(&c->call);
    c->route = NULL;
    c->head_only = 0;
    if (c->closing)
        return;
    if (status < 0) {
        ws__conn_close(c);
        return;
    }
    if (c->close_after) {
        if (c->hp.error_status)
            conn_linger(c);
        else
            ws__conn_close(c);
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
        ws__conn_close(c);
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
                ws__conn_close(c);
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
                    ws__conn_close(c);
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
            ws__conn_close(c);
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
        ws__conn_close(c);
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
    ws__conn_close(victim);
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
        ws__conn_close(c);
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
        ws__conn_close(c);
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
        ws__conn_close(c);
}

/* ---- timeouts and shutdown ---- */

void ws__conns_sweep(ws__conns *t)
{
    uint64_t now = uv_now(t->loop);
    for (conn *c = t->conns, *next; c; c = next) {
        next = c->next;
        if (c->lingering) {
            if (now - c->last_active >= LINGER_IDLE_MS || now - c->linger_start >= LINGER_MAX_MS)
                ws__conn_close(c);
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
            ws__conn_close(c); /* idle, or not reading what it asked for */
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
        ws__conn_close(c);
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
            ws__conn_close(c);
    }
}

void ws__conns_close_handle(uv_handle_t *h)
{
    ws__conn_close(h->data);
}
