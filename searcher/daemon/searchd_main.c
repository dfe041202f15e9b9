/* wensuo-searchd: serves an index over HTTP (see daemon.h and routes.h). */
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "daemon.h"
#include "index.h"
#include "lexicon.h"
#include "search.h"
#include "layout.h"

#define MAX_THREADS 128

static void usage(FILE *f)
{
    fprintf(f,
            "usage: wensuo-searchd --db DIR [--listen HOST:PORT] [--unix PATH] [--threads N]\n"
            "                      [--idle-timeout MS] [--request-timeout MS]\n"
            "                      [--query-time-limit MS] [--max-connections N]\n"
            "                      [--shutdown-timeout MS] [--dict FILE] [--synonyms FILE]\n"
            "                      [--read-only | [--write-token TOKEN] [--watch DIR]]\n"
            "                      [--shards N] [--quiet] [--verbose]\n"
            "Serves the index in DIR over HTTP/1.1 (GET /search, /documents/{id}, /analyze,\n"
            "/stats, /health, a search page at /; POST /documents, DELETE /documents/{id}),\n"
            "holding its only writer; a missing index is created.\n"
            "  --listen HOST:PORT  TCP address (default %s:%d; port 0 picks a free one;\n"
            "                      'none' for no TCP listener)\n"
            "  --unix PATH         also listen on a Unix socket\n"
            "  --socket-mode MODE  its permissions in octal (default 0660: the daemon's\n"
            "                      user and group may connect, and so write)\n"
            "  --threads N         threads searching the index (default: the cores)\n"
            "  --idle-timeout MS   close connections idle this long (default %d)\n"
            "  --request-timeout MS  a request (line, headers, body) must come within MS\n"
            "                      of its first byte (default %d)\n"
            "  --query-time-limit MS  a search matches for MS at most; its answer then says\n"
            "                      \"partial\": true (default %d)\n"
            "  --max-connections N open connections at most (default %d)\n"
            "  --shutdown-timeout MS  on SIGTERM, wait this long for requests (default %d)\n"
            "  --dict FILE         the user dictionary the index was built with\n"
            "                      (default $WENSUO_USER_DICT)\n"
            "  --synonyms FILE     the synonyms file (default $WENSUO_SYNONYMS)\n"
            "  --read-only         do not write the index (writes answer 503)\n"
            "  --write-token TOKEN also take writes from other machines that send\n"
            "                      'Authorization: Bearer TOKEN' (default $WENSUO_WRITE_TOKEN;\n"
            "                      without it, writes come only from loopback or --unix)\n"
            "  --watch DIR         index files dropped into DIR, then move them to DIR/done/\n"
            "                      (or DIR/failed/ with NAME.error)\n"
            "  --shards N          shards of an index created here (default: the cores, at\n"
            "                      most 8, as wensuo-index)\n"
            "  --quiet             no log on stderr (the start line on stdout stays)\n"
            "  --verbose           log every request on stderr\n"
            "  --allow-stub-programs  open an index whose XAPIANDB has lines other than\n"
            "                      \"auto PATH\" and \"remote HOST:PORT\" (Xapian runs\n"
            "                      \"remote :PROGRAM\" lines as commands)\n"
            "  --debug-delay MS    make every index request take MS longer (for tests)\n",
            WS_DAEMON_DEFAULT_HOST, WS_DAEMON_DEFAULT_PORT, WS_DAEMON_IDLE_TIMEOUT_MS,
            WS_DAEMON_REQUEST_MS, WS_DAEMON_QUERY_MS, WS_DAEMON_MAX_CONNECTIONS,
            WS_DAEMON_SHUTDOWN_MS);
}

/* Splits HOST:PORT, [V6]:PORT or PORT into host (a new string) and port. */
static int parse_listen(const char *s, char **host, int *port)
{
    const char *colon;
    size_t hlen;
    const char *h = s;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return -1;
        h = s + 1;
        hlen = (size_t)(close - h);
        colon = close + 1;
    } else if ((colon = strrchr(s, ':'))) {
        hlen = (size_t)(colon - s);
    } else {
        h = WS_DAEMON_DEFAULT_HOST;
        hlen = strlen(h);
        colon = s - 1;
    }
    long p;
    if (ws_options_number(colon + 1, 0, 65535, &p) != 0 || hlen == 0)
        return -1;
    *host = strndup(h, hlen);
    *port = (int)p;
    return *host ? 0 : -1;
}

/* Room for every connection: the default soft limit (1024 fds) is lower
 * than the connection cap allows. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

int main(int argc, char **argv)
{
    const char *db = NULL, *listen = NULL, *unix_path = NULL, *dict = NULL, *synonyms = NULL;
    const char *token = NULL, *watch = NULL;
    long threads = 0, idle = 0, maxconn = 0, shutdown_ms = 0, delay = 0, shards = 0, reqms = 0,
         queryms = 0;
    const char *socket_mode_arg = NULL;
    int quiet = 0, verbose = 0, read_only = 0, allow_programs = 0, first;
    const ws_option opts[] = {
        {"db", 'd', WS_OPT_STRING, &db, 0, 0},
        {"listen", 'l', WS_OPT_STRING, &listen, 0, 0},
        {"unix", 'u', WS_OPT_STRING, &unix_path, 0, 0},
        {"threads", 't', WS_OPT_NUMBER, &threads, 1, MAX_THREADS},
        {"idle-timeout", 0, WS_OPT_NUMBER, &idle, 1, 24L * 3600 * 1000},
        {"request-timeout", 0, WS_OPT_NUMBER, &reqms, 1, 24L * 3600 * 1000},
        {"query-time-limit", 0, WS_OPT_NUMBER, &queryms, 1, 24L * 3600 * 1000},
        {"max-connections", 0, WS_OPT_NUMBER, &maxconn, 1, 1000000},
        {"shutdown-timeout", 0, WS_OPT_NUMBER, &shutdown_ms, 1, 24L * 3600 * 1000},
        {"dict", 0, WS_OPT_STRING, &dict, 0, 0},
        {"synonyms", 0, WS_OPT_STRING, &synonyms, 0, 0},
        {"quiet", 'q', WS_OPT_FLAG, &quiet, 0, 0},
        {"verbose", 'v', WS_OPT_FLAG, &verbose, 0, 0},
        {"debug-delay", 0, WS_OPT_NUMBER, &delay, 0, 60000},
        {"read-only", 0, WS_OPT_FLAG, &read_only, 0, 0},
        {"write-token", 0, WS_OPT_STRING, &token, 0, 0},
        {"watch", 0, WS_OPT_STRING, &watch, 0, 0},
        {"shards", 0, WS_OPT_NUMBER, &shards, 1, WS_INDEX_MAX_SHARDS},
        {"socket-mode", 0, WS_OPT_STRING, &socket_mode_arg, 0, 0},
        {"allow-stub-programs", 0, WS_OPT_FLAG, &allow_programs, 0, 0},
        {NULL, 0, 0, NULL, 0, 0},
    };
    int rc = ws_options_parse("wensuo-searchd", argc, argv, opts, &first);
    if (rc != 0) {
        if (rc > 0)
            usage(stdout);
        return rc > 0 ? 0 : 2;
    }
    if (!db || first < argc) {
        usage(stderr);
        return 2;
    }
    unsigned socket_mode = WS_DAEMON_SOCKET_MODE;
    if (socket_mode_arg) {
        char *end;
        errno = 0;
        long m = strtol(socket_mode_arg, &end, 8);
        if (errno || end == socket_mode_arg || *end || m < 1 || m > 0777) {
            fprintf(stderr, "wensuo-searchd: --socket-mode %s: expected octal 1 to 0777\n",
                    socket_mode_arg);
            return 2;
        }
        socket_mode = (unsigned)m;
    }
    if (allow_programs)
        setenv(WS_LAYOUT_ALLOW_ENV, "1", 1);
    char *host = NULL;
    int port = WS_DAEMON_DEFAULT_PORT;
    if (!listen) {
        host = strdup(WS_DAEMON_DEFAULT_HOST);
    } else if (strcmp(listen, "none") != 0 && parse_listen(listen, &host, &port) != 0) {
        fprintf(stderr, "wensuo-searchd: --listen %s: expected HOST:PORT\n", listen);
        return 2;
    }
    if (!host && !unix_path) {
        fprintf(stderr, "wensuo-searchd: --listen none needs --unix PATH\n");
        free(host);
        return 2;
    }
    if (!token)
        token = getenv("WENSUO_WRITE_TOKEN");
    if (token && !*token)
        token = NULL;
    if (read_only && watch) {
        fprintf(stderr, "wensuo-searchd: --watch needs a daemon that writes: drop --read-only\n");
        free(host);
        return 2;
    }
    if (token && strlen(token) < 16) {
        fprintf(stderr, "wensuo-searchd: the write token must be at least 16 characters\n");
        free(host);
        return 2;
    }
    if (!shards)
        shards = ws_layout_default_shards();
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
    }
    /* libuv sizes its thread pool from this when the pool first starts. */
    char tbuf[24];
    snprintf(tbuf, sizeof tbuf, "%ld", threads);
    setenv("UV_THREADPOOL_SIZE", tbuf, 1);
    signal(SIGPIPE, SIG_IGN);
    raise_fd_limit();

    char err[1024];
    ws_lexicon *lex = NULL;
    if (ws_lexicon_open_default(NULL, dict, &lex, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo-searchd: %s\n", err);
        free(host);
        return 1;
    }
    char stub[4096];
    struct stat sb;
    int is_new = !read_only && (ws_layout_path(db, WS_LAYOUT_STUB, stub, sizeof stub) != WS_OK ||
                                stat(stub, &sb) != 0);

    ws_daemon_config cfg = {
        .db = db,
        .lex = lex,
        .synonyms = synonyms,
        .host = host,
        .port = port,
        .unix_path = unix_path,
        .socket_mode = socket_mode,
        .threads = (unsigned)threads,
        .max_connections = (unsigned)maxconn,
        .idle_timeout_ms = (unsigned)idle,
        .request_timeout_ms = (unsigned)reqms,
        .query_time_limit_ms = (unsigned)queryms,
        .shutdown_timeout_ms = (unsigned)shutdown_ms,
        .quiet = quiet,
        .verbose = verbose,
        .debug_delay_ms = (unsigned)delay,
        .writable = !read_only,
        .shards = (unsigned)shards,
        .write_token = token,
        .watch_dir = watch,
    };
    ws_daemon *d = NULL;
    if (ws_daemon_new(&cfg, &d, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo-searchd: %s\n", err);
        ws_lexicon_free(lex);
        free(host);
        return 1;
    }
    /* Fail now, not at the first query, when the index cannot be opened
     * (the writer has created it when it was missing). */
    ws_searcher *probe = NULL;
    if (ws_searcher_open(db, lex, synonyms, &probe, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo-searchd: %s\n", err);
        ws_daemon_free(d);
        ws_lexicon_free(lex);
        free(host);
        return 1;
    }
    ws_searcher_close(probe);
    if (is_new && !quiet)
        fprintf(stderr, "wensuo-searchd: created a new, empty index in %s (%ld shards)\n", db,
                shards);
    /* One line on stdout that scripts can read (the port when it was 0). */
    if (host) {
        int v6 = strchr(host, ':') != NULL;
        printf("wensuo-searchd: listening on http://%s%s%s:%d", v6 ? "[" : "", host, v6 ? "]" : "",
               ws_daemon_port(d));
        if (unix_path)
            printf(" and unix:%s", unix_path);
    } else {
        printf("wensuo-searchd: listening on unix:%s", unix_path);
    }
    printf(" (index %s, %ld threads)\n", db, threads);
    fflush(stdout);

    ws_status st = ws_daemon_run(d);
    ws_daemon_free(d);
    ws_lexicon_free(lex);
    free(host);
    if (!quiet)
        fprintf(stderr, "wensuo-searchd: stopped\n");
    return st == WS_OK ? 0 : 1;
}
