/* wensuo-searchd: serves an index over HTTP (see daemon.h and routes.h). */
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stdfd.h"
#include "options.h"
#include "daemon.h"
#include "wordcache.h"
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
            "                      [--query-time-limit MS] [--count-time-limit MS]\n"
            "                      [--max-connections N]\n"
            "                      [--shutdown-timeout MS] [--dict FILE] [--synonyms FILE]\n"
            "                      [--read-only | [--write-token TOKEN] [--watch DIR]]\n"
            "                      [--shards N] [--word-cache MB] [--quiet] [--verbose]\n"
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
            "  --count-time-limit MS  an instrument's exact count (concordance, trend,\n"
            "                      collocates, a piece of an export) takes MS at most, else\n"
            "                      its answer is a 503 saying so (default %d)\n"
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
            "  --word-cache MB     keep the index's word lists in memory, up to MB, for\n"
            "                      the instruments (collocates most: searcher/README.md;\n"
            "                      default %d or a quarter of the memory, 0 for none)\n"
            "  --quiet             no log on stderr (the start line on stdout stays)\n"
            "  --verbose           log every request on stderr\n"
            "  --allow-stub-programs  open an index whose XAPIANDB has lines other than\n"
            "                      \"auto PATH\" and \"remote HOST:PORT\" (Xapian runs\n"
            "                      \"remote :PROGRAM\" lines as commands)\n"
            "  --debug-delay MS    make every index request take MS longer (for tests)\n",
            WS_DAEMON_DEFAULT_HOST, WS_DAEMON_DEFAULT_PORT, WS_DAEMON_IDLE_TIMEOUT_MS,
            WS_DAEMON_REQUEST_MS, WS_DAEMON_QUERY_MS, WS_DAEMON_COUNT_MS, WS_DAEMON_MAX_CONNECTIONS,
            WS_DAEMON_SHUTDOWN_MS, WS_WORDCACHE_DEFAULT_MB);
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

/* The word cache's memory when none is asked: WS_WORDCACHE_DEFAULT_MB, or
 * a quarter of the machine's memory when that is less, so that a laptop
 * serving a corpus larger than it can hold keeps the room it needs for
 * the index's pages and everything else. */
static long default_word_cache(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || size <= 0)
        return WS_WORDCACHE_DEFAULT_MB;
    unsigned long long quarter = (unsigned long long)pages * (unsigned long long)size / 4 >> 20;
    return quarter < WS_WORDCACHE_DEFAULT_MB ? (long)quarter : WS_WORDCACHE_DEFAULT_MB;
}

/* The command line, read. */
typedef struct args {
    const char *db, *listen, *unix_path, *dict, *synonyms, *token, *watch, *socket_mode_arg;
    long threads, idle, maxconn, shutdown_ms, delay, shards, reqms, queryms, countms, word_cache;
    int quiet, verbose, read_only, allow_programs;
    unsigned socket_mode;
    char *host; /* NULL with --listen none; the caller frees it */
    int port;
} args;

/* Says why the command line is refused: the exit status 2. */
static int refuse(args *a, const char *why)
{
    fprintf(stderr, "wensuo-searchd: %s\n", why);
    free(a->host);
    a->host = NULL;
    return 2;
}

/* Reads and checks the command line into a. -1 when the daemon may start;
 * otherwise the exit status (0 after --help, 2 after saying what is wrong),
 * with nothing left to free. */
static int read_args(int argc, char **argv, args *a)
{
    int first;
    const ws_option opts[] = {
        {"db", WS_OPT_STRING, &a->db, 0, 0, NULL},
        {"listen", WS_OPT_STRING, &a->listen, 0, 0, NULL},
        {"unix", WS_OPT_STRING, &a->unix_path, 0, 0, NULL},
        {"threads", WS_OPT_NUMBER, &a->threads, 1, MAX_THREADS, NULL},
        {"idle-timeout", WS_OPT_NUMBER, &a->idle, 1, 24L * 3600 * 1000, NULL},
        {"request-timeout", WS_OPT_NUMBER, &a->reqms, 1, 24L * 3600 * 1000, NULL},
        {"query-time-limit", WS_OPT_NUMBER, &a->queryms, 1, 24L * 3600 * 1000, NULL},
        {"count-time-limit", WS_OPT_NUMBER, &a->countms, 1, 24L * 3600 * 1000, NULL},
        {"max-connections", WS_OPT_NUMBER, &a->maxconn, 1, 1000000, NULL},
        {"shutdown-timeout", WS_OPT_NUMBER, &a->shutdown_ms, 1, 24L * 3600 * 1000, NULL},
        {"dict", WS_OPT_STRING, &a->dict, 0, 0, NULL},
        {"synonyms", WS_OPT_STRING, &a->synonyms, 0, 0, NULL},
        {"quiet", WS_OPT_FLAG, &a->quiet, 0, 0, NULL},
        {"verbose", WS_OPT_FLAG, &a->verbose, 0, 0, NULL},
        {"debug-delay", WS_OPT_NUMBER, &a->delay, 0, 60000, NULL},
        {"read-only", WS_OPT_FLAG, &a->read_only, 0, 0, NULL},
        {"write-token", WS_OPT_STRING, &a->token, 0, 0, NULL},
        {"watch", WS_OPT_STRING, &a->watch, 0, 0, NULL},
        {"shards", WS_OPT_NUMBER, &a->shards, 1, WS_INDEX_MAX_SHARDS, NULL},
        {"socket-mode", WS_OPT_STRING, &a->socket_mode_arg, 0, 0, NULL},
        {"allow-stub-programs", WS_OPT_FLAG, &a->allow_programs, 0, 0, NULL},
        {"word-cache", WS_OPT_NUMBER, &a->word_cache, 0, 1L << 20, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    a->word_cache = default_word_cache();
    int rc = ws_options_parse("wensuo-searchd", argc, argv, opts, &first);
    if (rc != 0) {
        if (rc > 0)
            usage(stdout);
        return rc > 0 ? 0 : 2;
    }
    if (!a->db || first < argc) {
        usage(stderr);
        return 2;
    }
    a->socket_mode = WS_DAEMON_SOCKET_MODE;
    if (a->socket_mode_arg) {
        char *end;
        errno = 0;
        long m = strtol(a->socket_mode_arg, &end, 8);
        if (errno || end == a->socket_mode_arg || *end || m < 1 || m > 0777) {
            fprintf(stderr, "wensuo-searchd: --socket-mode %s: expected octal 1 to 0777\n",
                    a->socket_mode_arg);
            return 2;
        }
        a->socket_mode = (unsigned)m;
    }
    if (a->allow_programs)
        setenv(WS_LAYOUT_ALLOW_ENV, "1", 1);
    a->port = WS_DAEMON_DEFAULT_PORT;
    if (!a->listen) {
        a->host = strdup(WS_DAEMON_DEFAULT_HOST);
    } else if (strcmp(a->listen, "none") != 0 && parse_listen(a->listen, &a->host, &a->port) != 0) {
        fprintf(stderr, "wensuo-searchd: --listen %s: expected HOST:PORT\n", a->listen);
        return 2;
    }
    if (!a->host && !a->unix_path)
        return refuse(a, "--listen none needs --unix PATH");
    if (!a->token)
        a->token = getenv("WENSUO_WRITE_TOKEN");
    if (a->token && !*a->token)
        a->token = NULL;
    if (a->read_only && a->watch)
        return refuse(a, "--watch needs a daemon that writes: drop --read-only");
    if (a->watch && ws_layout_overlaps(a->db, a->watch))
        return refuse(a, "--watch DIR is the index's folder, inside it or holds it: the drop "
                         "folder's files are moved away, and the index's would be; give a "
                         "folder of its own");
    if (a->token && strlen(a->token) < 16)
        return refuse(a, "the write token must be at least 16 characters");
    return -1;
}

/* The defaults that depend on the machine, and the process's settings. */
static void prepare_process(args *a)
{
    if (!a->shards)
        a->shards = ws_layout_default_shards();
    if (!a->threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        a->threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
    }
    /* libuv sizes its thread pool from this when the pool first starts. */
    char tbuf[24];
    snprintf(tbuf, sizeof tbuf, "%ld", a->threads);
    setenv("UV_THREADPOOL_SIZE", tbuf, 1);
    signal(SIGPIPE, SIG_IGN);
    raise_fd_limit();
}

/* Makes the daemon of a over the lexicon lex, and opens the index once to
 * fail now rather than at the first query (the writer has created it when
 * it was missing). 0 with *d, or -1 after saying why. */
static int open_daemon(const args *a, ws_lexicon *lex, ws_daemon **d)
{
    char err[1024];
    char stub[4096];
    struct stat sb;
    int is_new =
        !a->read_only &&
        (ws_layout_path(a->db, WS_LAYOUT_STUB, stub, sizeof stub) != WS_OK || stat(stub, &sb) != 0);
    int was_there = stat(a->db, &sb) == 0; /* an empty folder given for a new index */
    ws_daemon_config cfg = {
        .db = a->db,
        .lex = lex,
        .synonyms = a->synonyms,
        .host = a->host,
        .port = a->port,
        .unix_path = a->unix_path,
        .socket_mode = a->socket_mode,
        .threads = (unsigned)a->threads,
        .max_connections = (unsigned)a->maxconn,
        .idle_timeout_ms = (unsigned)a->idle,
        .request_timeout_ms = (unsigned)a->reqms,
        .query_time_limit_ms = (unsigned)a->queryms,
        .count_time_limit_ms = (unsigned)a->countms,
        .shutdown_timeout_ms = (unsigned)a->shutdown_ms,
        .quiet = a->quiet,
        .verbose = a->verbose,
        .debug_delay_ms = (unsigned)a->delay,
        .writable = !a->read_only,
        .shards = (unsigned)a->shards,
        .write_token = a->token,
        .watch_dir = a->watch,
        .word_cache_mb = (unsigned)a->word_cache,
    };
    *d = NULL;
    if (ws_daemon_new(&cfg, d, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo-searchd: %s\n", err);
        return -1;
    }
    ws_searcher *probe = NULL;
    if (ws_searcher_open(a->db, lex, a->synonyms, &probe, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo-searchd: %s\n", err);
        ws_daemon_free(*d);
        *d = NULL;
        return -1;
    }
    ws_searcher_close(probe);
    if (is_new && !a->quiet)
        fprintf(stderr, "wensuo-searchd: created a new, empty index in %s (%ld shards)%s\n", a->db,
                a->shards,
                was_there ? ""
                          : ": no such folder was there; if you meant an index already "
                            "made, check --db");
    return 0;
}

/* One line on stdout that scripts can read (the port when it was 0). */
static void say_listening(const args *a, ws_daemon *d)
{
    if (a->host) {
        int v6 = strchr(a->host, ':') != NULL;
        printf("wensuo-searchd: listening on http://%s%s%s:%d", v6 ? "[" : "", a->host,
               v6 ? "]" : "", ws_daemon_port(d));
        if (a->unix_path)
            printf(" and unix:%s", a->unix_path);
    } else {
        printf("wensuo-searchd: listening on unix:%s", a->unix_path);
    }
    printf(" (index %s, %ld threads)\n", a->db, a->threads);
    fflush(stdout);
}

static int run(int argc, char **argv)
{
    args a;
    memset(&a, 0, sizeof a);
    int rc = read_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    prepare_process(&a);
    char err[1024];
    ws_lexicon *lex = NULL;
    if (ws_lexicon_open_default(NULL, a.dict, &lex, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo-searchd: %s\n", err);
        free(a.host);
        return 1;
    }
    ws_daemon *d = NULL;
    if (open_daemon(&a, lex, &d) != 0) {
        ws_lexicon_free(lex);
        free(a.host);
        return 1;
    }
    say_listening(&a, d);
    ws_status st = ws_daemon_run(d);
    ws_daemon_free(d);
    ws_lexicon_free(lex);
    free(a.host);
    if (!a.quiet)
        fprintf(stderr, "wensuo-searchd: stopped\n");
    return st == WS_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    /* before any file is opened; its one line of output, where it
     * listens, is no result whose loss its stop should report */
    ws_stdfd_guard();
    return run(argc, argv);
}
