/* daemon.c - wensuo-searchd as a whole: listeners, signals and shutdown,
 * the writer (opened at start, or taken over later when another process
 * held it) and the drop folder. One connection's life is in conn.c. */
#include "daemon.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "conn.h"
#include "layout.h"
#include "mailbox.h"
#include "wordkeep.h"
#include "routes.h"
#include "watch.h"
#include "writer.h"

#define BACKLOG     511
#define BODY_BUDGET (256u << 20) /* request bodies in memory at once, all connections */
#define RETAKE_MS   2000         /* how often a daemon without its writer tries again */

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
    ws_readgate *gate; /* the routes' long reads and the writer's commits */
    ws_wordkeep *keep; /* the word cache's keeper; NULL: none */
    ws_watch *watch;   /* NULL: no drop folder */
    int watch_stopped;
    ws__conns conns; /* every connection (conn.c) */
    unsigned shutdown_ms;
    int stopping, stopped, quiet, verbose;
};

/* ---- the writer ---- */

static void on_retake(uv_timer_t *t);

/* Opens the writer. When that fails (another process writes the index, or
 * it cannot be written at all) the daemon serves read-only, says why, and
 * tries again every RETAKE_MS. */
static void take_writer(ws_daemon *d, int first)
{
    char err[1024];
    ws_writer *w = NULL;
    if (ws_writer_open(d->db, d->lex, d->shards, d->gate, &w, err, sizeof err) == WS_OK) {
        d->writer = w;
        ws_routes_set_writer(d->rt, w, NULL);
        if (d->watch)
            ws_watch_set_writer(d->watch, w);
        uv_timer_stop(&d->retake);
        if (!first && !d->quiet)
            fprintf(stderr, "wensuo-searchd: the index can be written again; writing it now\n");
        return;
    }
    ws_routes_set_writer(d->rt, NULL, err);
    char rerr[1024];
    if (first) {
        /* an index that cannot be read either is refused by the caller,
         * whose reason says it: not served, read-only or otherwise */
        if (!d->quiet && ws_layout_check_read(d->db, rerr, sizeof rerr) == WS_OK)
            fprintf(stderr,
                    "wensuo-searchd: warning: serving read-only: %s; writes answer 503 until "
                    "the index can be written (tried again every %d s)\n",
                    err, RETAKE_MS / 1000);
        uv_timer_start(&d->retake, on_retake, RETAKE_MS, RETAKE_MS);
    }
}

static void on_retake(uv_timer_t *t)
{
    ws_daemon *d = t->data;
    if (!d->writer && !d->stopping)
        take_writer(d, 0);
}

/* ---- shutdown ---- */

static void on_sweep(uv_timer_t *t)
{
    ws_daemon *d = t->data;
    ws__conns_sweep(&d->conns);
}

static void on_deadline(uv_timer_t *t)
{
    ws_daemon *d = t->data;
    if (!d->quiet)
        fprintf(stderr, "wensuo-searchd: shutdown timeout: closing %u connections\n",
                d->conns.nconns);
    ws__conns_close_all(&d->conns);
}

/* The loop ends when nothing is left in hand: no connection (a write being
 * committed keeps its connection), no file of the drop folder. Only then
 * is the mailbox closed, for no writer callback can come any more. */
static void maybe_stopped(ws_daemon *d)
{
    if (!d->stopping || d->stopped || d->conns.nconns || !d->watch_stopped)
        return;
    d->stopped = 1;
    uv_close((uv_handle_t *)&d->sigint, NULL);
    uv_close((uv_handle_t *)&d->sigterm, NULL);
    uv_close((uv_handle_t *)&d->sweep, NULL);
    uv_close((uv_handle_t *)&d->deadline, NULL);
    uv_close((uv_handle_t *)&d->retake, NULL);
    ws_mailbox_close(&d->mailbox);
}

static void on_conn_freed(void *d)
{
    maybe_stopped(d);
}

static void on_watch_stopped(void *arg)
{
    ws_daemon *d = arg;
    d->watch_stopped = 1;
    maybe_stopped(d);
}

static void on_signal(uv_signal_t *s, int signum)
{
    ws_daemon *d = s->data;
    if (d->stopping) { /* a second signal: do not wait any longer */
        ws__conns_close_all(&d->conns);
        return;
    }
    d->stopping = 1;
    if (!d->quiet)
        fprintf(stderr, "wensuo-searchd: %s: finishing %u connections\n", strsignal(signum),
                d->conns.nconns);
    if (d->has_tcp)
        uv_close((uv_handle_t *)&d->tcp, NULL);
    if (d->has_pipe)
        uv_close((uv_handle_t *)&d->pipe, NULL);
    uv_timer_stop(&d->retake);
    ws__conns_stop_all(&d->conns);
    if (d->watch)
        ws_watch_stop(d->watch, on_watch_stopped, d);
    uv_timer_start(&d->deadline, on_deadline, d->shutdown_ms, 0);
    maybe_stopped(d);
}

/* ---- listeners ---- */

static ws_status listen_tcp(ws_daemon *d, const char *host, int port, char *err, size_t errlen)
{
    struct addrinfo hints, *ai = NULL;
    char ports[16];
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    snprintf(ports, sizeof ports, "%d", port);
    int e = getaddrinfo(host, ports, &hints, &ai);
    if (e != 0) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(e));
        return WS_EINVAL;
    }
    if ((e = uv_tcp_init(&d->loop, &d->tcp)) == 0) {
        d->has_tcp = 1;
        d->tcp.data = &d->conns;
        e = uv_tcp_bind(&d->tcp, ai->ai_addr, 0);
    }
    freeaddrinfo(ai);
    if (e == 0)
        e = uv_listen((uv_stream_t *)&d->tcp, BACKLOG, ws__conns_on_connection);
    if (e != 0) {
        snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, uv_strerror(e));
        return WS_EIO;
    }
    struct sockaddr_storage ss;
    int len = sizeof ss;
    if (uv_tcp_getsockname(&d->tcp, (struct sockaddr *)&ss, &len) == 0)
        d->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                 : ((struct sockaddr_in *)&ss)->sin_port);
    return WS_OK;
}

/* 1 when something accepts connections on the Unix socket at path. */
static int socket_alive(const char *path)
{
    struct sockaddr_un sa;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 1; /* cannot tell: do not remove it */
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int alive = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 || errno != ECONNREFUSED;
    close(fd);
    return alive;
}

static ws_status listen_unix(ws_daemon *d, const char *path, unsigned mode, char *err,
                             size_t errlen)
{
    struct sockaddr_un sa;
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "the Unix socket path %s is longer than %zu bytes", path,
                 sizeof sa.sun_path - 1);
        return WS_EINVAL;
    }
    int e = uv_pipe_init(&d->loop, &d->pipe, 0);
    if (e == 0) {
        d->has_pipe = 1;
        d->pipe.data = &d->conns;
        e = uv_pipe_bind(&d->pipe, path);
        struct stat sb;
        if (e == UV_EADDRINUSE && lstat(path, &sb) == 0 && S_ISSOCK(sb.st_mode) &&
            !socket_alive(path)) { /* left by a daemon that died */
            unlink(path);
            e = uv_pipe_bind(&d->pipe, path);
        }
    }
    /* The mode is set before listen(): until then a connect() is refused,
     * so no one connects through the umask's mode in between. Whoever may
     * connect may write (writes from the socket need no token). */
    if (e == 0 && chmod(path, mode) != 0) {
        snprintf(err, errlen, "cannot set the mode of %s: %s", path, strerror(errno));
        return WS_EIO;
    }
    if (e == 0)
        e = uv_listen((uv_stream_t *)&d->pipe, BACKLOG, ws__conns_on_connection);
    if (e == UV_EADDRINUSE) {
        snprintf(err, errlen, "cannot listen on %s: another process (a daemon?) listens there",
                 path);
        return WS_EIO;
    }
    if (e != 0) {
        /* libuv reports a missing folder as "permission denied" */
        char dir[sizeof sa.sun_path];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        struct stat sb;
        if (slash)
            *slash = '\0';
        if (slash && slash != dir && stat(dir, &sb) != 0 && errno == ENOENT)
            snprintf(err, errlen, "cannot listen on %s: the folder %s does not exist", path, dir);
        else
            snprintf(err, errlen, "cannot listen on %s: %s", path, uv_strerror(e));
        return WS_EIO;
    }
    if (!(d->unix_path = strdup(path)))
        return WS_ENOMEM;
    return WS_OK;
}

/* The connections the process's file descriptors allow, at most want: the
 * soft limit raised to the hard one, less what the index's files take (a
 * few a shard for each thread's view, the writer's, a stream's, the word
 * cache keeper's: views beyond the threads') and a margin. Past the limit
 * accept() fails and libuv resets the newcomers, where under the cap the
 * oldest idle connection makes room (conn.c, make_room). */
static unsigned fit_connections(unsigned want, unsigned threads, unsigned views, unsigned shards,
                                int quiet)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return want;
    if (rl.rlim_cur < rl.rlim_max) {
        struct rlimit up = {rl.rlim_max, rl.rlim_max};
        if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 1048576)
            up.rlim_cur = 1048576;
        if (setrlimit(RLIMIT_NOFILE, &up) == 0)
            rl.rlim_cur = up.rlim_cur;
    }
    if (rl.rlim_cur == RLIM_INFINITY)
        return want;
    rlim_t reserve =
        64 + (rlim_t)(threads + views) * 6 * (shards ? shards : ws_layout_default_shards());
    unsigned fit = rl.rlim_cur > reserve + 16 ? (unsigned)(rl.rlim_cur - reserve) : 16;
    if (fit >= want)
        return want;
    if (!quiet)
        fprintf(stderr,
                "wensuo-searchd: %u connections at most, not %u: the process may open %lu "
                "files (ulimit -n), and the index's files take some\n",
                fit, want, (unsigned long)rl.rlim_cur);
    return fit;
}

ws_status ws_daemon_new(const ws_daemon_config *cfg, ws_daemon **out, char *err, size_t errlen)
{
    *out = NULL;
    err[0] = '\0';
    if (!cfg->db || !cfg->lex || (!cfg->host && !cfg->unix_path)) {
        snprintf(err, errlen, "an index and a place to listen are needed");
        return WS_EINVAL;
    }
    if (cfg->watch_dir && !cfg->writable) {
        snprintf(err, errlen, "--watch needs a daemon that writes the index (not --read-only)");
        return WS_EINVAL;
    }
    ws_daemon *d = calloc(1, sizeof *d);
    if (!d || !(d->db = strdup(cfg->db))) {
        free(d);
        snprintf(err, errlen, "out of memory");
        return WS_ENOMEM;
    }
    d->lex = cfg->lex;
    d->shards = cfg->shards;
    ws__conns *t = &d->conns;
    t->loop = &d->loop;
    t->tcp = (uv_stream_t *)&d->tcp;
    t->max_conns =
        fit_connections(cfg->max_connections ? cfg->max_connections : WS_DAEMON_MAX_CONNECTIONS,
                        cfg->threads, cfg->word_cache_mb ? 5 : 4, cfg->shards, cfg->quiet);
    t->idle_ms = cfg->idle_timeout_ms ? cfg->idle_timeout_ms : WS_DAEMON_IDLE_TIMEOUT_MS;
    t->request_ms = cfg->request_timeout_ms ? cfg->request_timeout_ms : WS_DAEMON_REQUEST_MS;
    t->large.max = t->heavy.max = cfg->threads > 1 ? cfg->threads - 1 : 1;
    t->body_budget = BODY_BUDGET;
    t->quiet = cfg->quiet;
    t->verbose = cfg->verbose;
    t->on_freed = on_conn_freed;
    t->ctx = d;
    d->shutdown_ms = cfg->shutdown_timeout_ms ? cfg->shutdown_timeout_ms : WS_DAEMON_SHUTDOWN_MS;
    d->quiet = cfg->quiet;
    d->verbose = cfg->verbose;
    d->watch_stopped = 1;
    if (uv_loop_init(&d->loop) != 0) {
        free(d->db);
        free(d);
        snprintf(err, errlen, "cannot start the event loop");
        return WS_ENOMEM;
    }
    /* Every handle is initialised before anything can fail, so that
     * ws_daemon_free() can close them all. */
    uv_signal_init(&d->loop, &d->sigint);
    uv_signal_init(&d->loop, &d->sigterm);
    uv_timer_init(&d->loop, &d->sweep);
    uv_timer_init(&d->loop, &d->deadline);
    uv_timer_init(&d->loop, &d->retake);
    d->sigint.data = d->sigterm.data = d;
    d->sweep.data = d->deadline.data = d->retake.data = d;
    ws_status st = WS_OK;
    if (cfg->writable && ws_readgate_new(&d->gate) != WS_OK) {
        snprintf(err, errlen, "out of memory");
        st = WS_ENOMEM;
    }
    if (st == WS_OK && cfg->word_cache_mb &&
        ws_wordkeep_new(cfg->db, (size_t)cfg->word_cache_mb << 20, cfg->quiet, &d->keep) != WS_OK) {
        snprintf(err, errlen, "out of memory");
        st = WS_ENOMEM;
    }
    if (st == WS_OK && ws_mailbox_init(&d->mailbox, &d->loop) != 0) {
        snprintf(err, errlen, "cannot start the event loop");
        st = WS_ENOMEM;
    }
    ws_routes_config rc = {
        .db = cfg->db,
        .lex = cfg->lex,
        .synonyms = cfg->synonyms,
        .threads = cfg->threads,
        .delay_ms = cfg->debug_delay_ms,
        .query_ms = cfg->query_time_limit_ms ? cfg->query_time_limit_ms : WS_DAEMON_QUERY_MS,
        .count_ms = cfg->count_time_limit_ms ? cfg->count_time_limit_ms : WS_DAEMON_COUNT_MS,
        .mailbox = &d->mailbox,
        .write_token = cfg->write_token,
        .gate = d->gate,
        .words = ws_wordkeep_cache(d->keep),
    };
    if (st == WS_OK && (st = ws_routes_new(&rc, &d->rt)) != WS_OK)
        snprintf(err, errlen, "out of memory");
    t->rt = d->rt;
    /* where it listens first: a daemon that cannot listen leaves no new
     * index behind it */
    if (st == WS_OK && cfg->host)
        st = listen_tcp(d, cfg->host, cfg->port, err, errlen);
    if (st == WS_OK && cfg->unix_path)
        st = listen_unix(d, cfg->unix_path,
                         cfg->socket_mode ? cfg->socket_mode : WS_DAEMON_SOCKET_MODE, err, errlen);
    if (st == WS_OK && cfg->writable)
        take_writer(d, 1);
    /* copied once the daemon listens: one that cannot start reads nothing */
    if (st == WS_OK && d->keep && (st = ws_wordkeep_run(d->keep)) != WS_OK)
        snprintf(err, errlen, "cannot start the word cache's thread");
    if (st == WS_OK && cfg->watch_dir) {
        st = ws_watch_new(&d->loop, cfg->watch_dir, &d->mailbox, cfg->quiet, cfg->verbose,
                          &d->watch, err, errlen);
        if (st == WS_OK) {
            d->watch_stopped = 0;
            if (d->writer)
                ws_watch_set_writer(d->watch, d->writer);
        }
    }
    if (st == WS_OK) {
        uv_signal_start(&d->sigint, on_signal, SIGINT);
        uv_signal_start(&d->sigterm, on_signal, SIGTERM);
        uint64_t period = (t->idle_ms < t->request_ms ? t->idle_ms : t->request_ms) / 4;
        period = period < 10 ? 10 : period > 1000 ? 1000 : period;
        uv_timer_start(&d->sweep, on_sweep, period, period);
    }
    if (st != WS_OK) {
        ws_daemon_free(d);
        return st;
    }
    *out = d;
    return WS_OK;
}

int ws_daemon_port(const ws_daemon *d)
{
    return d->has_tcp ? d->port : 0;
}

ws_status ws_daemon_run(ws_daemon *d)
{
    uv_run(&d->loop, UV_RUN_DEFAULT);
    return WS_OK;
}

static void close_any(uv_handle_t *h, void *arg)
{
    ws_daemon *d = arg;
    if (uv_is_closing(h))
        return;
    int is_conn = (h->type == UV_TCP || h->type == UV_NAMED_PIPE) && h != (uv_handle_t *)&d->tcp &&
                  h != (uv_handle_t *)&d->pipe;
    if (is_conn)
        ws__conns_close_handle(h);
    else
        uv_close(h, NULL);
}

void ws_daemon_free(ws_daemon *d)
{
    if (!d)
        return;
    d->stopped = 1; /* the handles are closed here, not in maybe_stopped() */
    if (d->watch)
        ws_watch_stop(d->watch, NULL, NULL);
    ws_mailbox_close(&d->mailbox);
    uv_walk(&d->loop, close_any, d);
    uv_run(&d->loop, UV_RUN_DEFAULT);
    uv_loop_close(&d->loop);
    /* Nothing is queued for the writer any more: every write was answered
     * before the loop could end. */
    if (d->rt)
        ws_routes_set_writer(d->rt, NULL, "the daemon has stopped");
    ws_writer_close(d->writer);
    ws_watch_free(d->watch);
    if (d->unix_path)
        unlink(d->unix_path);
    ws_routes_free(d->rt);
    ws_wordkeep_stop(d->keep); /* no searcher reads its cache any more */
    ws_readgate_free(d->gate);
    free(d->unix_path);
    free(d->db);
    free(d);
}
