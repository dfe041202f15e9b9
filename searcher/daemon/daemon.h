/* daemon.h - the search daemon's server: a libuv loop with listeners on TCP
 * and, optionally, a Unix socket; connections that speak HTTP/1.1 (http.h)
 * with keep-alive and pipelining; requests dispatched to the route table
 * (routes.h), whose index work runs on libuv's thread pool so that the loop
 * never waits for Xapian.
 *
 * Writing: unless told read-only the daemon holds the index's only writer
 * (writer.h) for POST /documents, DELETE /documents/{id} and the drop
 * folder (watch.h). When the writer cannot be opened at start (another
 * process writes the index, or it cannot be written) the daemon serves
 * read-only, says why on stderr, answers writes 503, and tries again every
 * 2 s, taking over as soon as it can.
 *
 * Limits: at most max_connections open connections; at the cap a new one
 * takes the place of the one that has waited longest for its client (idle,
 * or sending a request), and only when every connection is being answered
 * is it answered 503 and closed. A connection that sends nothing, stalls
 * inside a request or does not read its answer for idle_timeout_ms is
 * closed (408 when a request had begun), and a request whose line, headers
 * and body have not all come within request_timeout_ms of its first byte
 * is answered 408 and closed, however steadily its bytes trickle. SIGINT/SIGTERM stop the
 * listeners, let every request already received finish and be answered, then close; a second
 * signal, or shutdown_timeout_ms, closes what is left.
 *
 * Threads: every function is called from the thread that runs the loop.
 * The size of the thread pool is UV_THREADPOOL_SIZE, which the program must
 * set before ws_daemon_new(). */
#ifndef WS_DAEMON_H
#define WS_DAEMON_H

#include "lexicon.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_DAEMON_DEFAULT_HOST    "127.0.0.1"
#define WS_DAEMON_DEFAULT_PORT    7700
#define WS_DAEMON_MAX_CONNECTIONS 1024
#define WS_DAEMON_IDLE_TIMEOUT_MS 30000
#define WS_DAEMON_REQUEST_MS      30000 /* a request's line, headers and body, as a whole */
#define WS_DAEMON_QUERY_MS        500   /* a search's matching (ws_search_opts.time_limit) */
/* an instrument's exact count (concordance, trend, collocates, the opening
 * and each piece of an export): past it the answer is an error, not a
 * guess. Several times the slowest such request seen on the shared
 * corpus's 170,728 documents (tools/README.md), while a hostile query (60
 * characters OR'd NEAR 60 others) held the instruments' thread for a
 * minute, and the requests queued behind it longer */
#define WS_DAEMON_COUNT_MS    30000
#define WS_DAEMON_SHUTDOWN_MS 30000
#define WS_DAEMON_SOCKET_MODE 0660 /* the Unix socket's, whatever the umask */

typedef struct ws_daemon_config {
    const char *db;               /* index folder (required) */
    const ws_lexicon *lex;        /* must outlive the daemon */
    const char *synonyms;         /* NULL: the default */
    const char *host;             /* NULL: no TCP listener */
    int port;                     /* 0: any free port (see ws_daemon_port) */
    const char *unix_path;        /* NULL: no Unix socket */
    unsigned socket_mode;         /* its permissions (0: WS_DAEMON_SOCKET_MODE) */
    unsigned threads;             /* the pool's size, as set by the program (for /stats) */
    unsigned max_connections;     /* 0: WS_DAEMON_MAX_CONNECTIONS */
    unsigned idle_timeout_ms;     /* 0: WS_DAEMON_IDLE_TIMEOUT_MS */
    unsigned request_timeout_ms;  /* 0: WS_DAEMON_REQUEST_MS */
    unsigned query_time_limit_ms; /* 0: WS_DAEMON_QUERY_MS */
    unsigned count_time_limit_ms; /* 0: WS_DAEMON_COUNT_MS */
    unsigned shutdown_timeout_ms; /* 0: WS_DAEMON_SHUTDOWN_MS */
    int quiet;                    /* no log lines on stderr */
    int verbose;                  /* a log line for every request */
    unsigned debug_delay_ms;      /* for tests: index requests sleep this long first */
    int writable;                 /* hold the writer (else read-only) */
    unsigned shards;              /* of an index created by the daemon (0: 1) */
    const char *write_token;      /* NULL: writes only from loopback or the Unix socket */
    const char *watch_dir;        /* NULL: no drop folder (needs writable) */
    unsigned word_cache_mb;       /* the word cache's memory at most (wordkeep.h); 0: none */
} ws_daemon_config;

typedef struct ws_daemon ws_daemon;

/* Binds and listens (a stale Unix socket file left by a dead daemon is
 * replaced; a live one is not). On failure *out is NULL and errbuf says why.
 * The caller frees *out with ws_daemon_free(). */
ws_status ws_daemon_new(const ws_daemon_config *cfg, ws_daemon **out, char *errbuf, size_t errlen);

/* The TCP port listened on (useful after port 0), or 0. */
int ws_daemon_port(const ws_daemon *d);

/* Serves until SIGINT or SIGTERM and the shutdown that follows; WS_OK then. */
ws_status ws_daemon_run(ws_daemon *d);

/* Frees the daemon after ws_daemon_run() returned (or instead of it);
 * removes the Unix socket file. NULL is allowed. */
void ws_daemon_free(ws_daemon *d);

#ifdef __cplusplus
}
#endif
#endif
