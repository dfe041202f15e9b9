/* bench_daemon: the cost of serving searches over HTTP, measured.
 *
 *   bench_daemon [--db DIR] [--corpus DIR] [--threads N] [--rounds N] [--searchd PATH]
 *
 * Builds an index of the shared corpus in DIR when there is none (the
 * importers of tools/, then wensuo-index), starts wensuo-searchd on it on a
 * free loopback port, and drives it with keep-alive clients on libuv, each
 * sending the next query as soon as the last answer is read, over a mix of
 * single words, two-word queries, phrases, questions and filtered queries.
 * Prints p50/p99 latency at concurrency 1 and 32, the throughput at
 * saturation, and the same queries run in-process through ws_searcher_run(),
 * so that the cost of HTTP, JSON and the thread hand-off shows as a ratio.
 * Every phase is bounded in requests and in time. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "bench_util.h"
#include "lexicon.h"
#include "search.h"
#include "layout.h"

#define PHASE_MAX_S 120 /* a phase stops after this long whatever its count */
#define MAX_CLIENTS 256

enum { K_WORD, K_TWO, K_PHRASE, K_QUESTION, K_FILTER, K_COUNT };
static const char *const kind_name[K_COUNT] = {"word", "two words", "phrase", "question",
                                               "filtered"};

typedef struct bq {
    int kind;
    const char *q, *source, *type, *from, *to;
    int by_date;
} bq;

/* What researchers of Chinese policy, law and news ask. */
static const bq mix[] = {
    {.kind = K_WORD, .q = "经济"},
    {.kind = K_WORD, .q = "疫情防控"},
    {.kind = K_WORD, .q = "乡村振兴"},
    {.kind = K_WORD, .q = "人工智能"},
    {.kind = K_WORD, .q = "碳达峰"},
    {.kind = K_WORD, .q = "知识产权"},
    {.kind = K_WORD, .q = "劳动合同"},
    {.kind = K_WORD, .q = "生态环境"},
    {.kind = K_WORD, .q = "一带一路"},
    {.kind = K_WORD, .q = "消费者"},
    {.kind = K_WORD, .q = "粮食安全"},
    {.kind = K_WORD, .q = "房地产"},
    {.kind = K_TWO, .q = "乡村振兴 金融"},
    {.kind = K_TWO, .q = "劳动合同 解除"},
    {.kind = K_TWO, .q = "人工智能 治理"},
    {.kind = K_TWO, .q = "生态环境 保护"},
    {.kind = K_TWO, .q = "科技 创新"},
    {.kind = K_TWO, .q = "食品 安全"},
    {.kind = K_TWO, .q = "外贸 增长"},
    {.kind = K_TWO, .q = "医疗 保障"},
    {.kind = K_PHRASE, .q = "\"高质量发展\""},
    {.kind = K_PHRASE, .q = "\"共同富裕\""},
    {.kind = K_PHRASE, .q = "\"正当防卫\""},
    {.kind = K_PHRASE, .q = "\"中国式现代化\""},
    {.kind = K_PHRASE, .q = "\"新质生产力\""},
    {.kind = K_PHRASE, .q = "\"依法治国\""},
    {.kind = K_QUESTION, .q = "劳动合同到期不续签有补偿吗"},
    {.kind = K_QUESTION, .q = "什么是正当防卫"},
    {.kind = K_QUESTION, .q = "如何申请劳动仲裁"},
    {.kind = K_QUESTION, .q = "未成年人犯罪怎么处理"},
    {.kind = K_QUESTION, .q = "房屋租赁合同纠纷如何解决"},
    {.kind = K_QUESTION, .q = "网络诈骗如何认定"},
    {.kind = K_QUESTION, .q = "新能源汽车有什么支持政策"},
    {.kind = K_QUESTION, .q = "今年经济增长的预期目标是多少"},
    {.kind = K_FILTER, .q = "经济", .source = "新闻联播"},
    {.kind = K_FILTER, .q = "疫情", .from = "2022", .to = "2022-12"},
    {.kind = K_FILTER, .q = "科技创新", .by_date = 1},
    {.kind = K_FILTER, .q = "合同", .type = "law"},
    {.kind = K_FILTER, .q = "改革", .from = "2024", .by_date = 1},
    {.kind = K_FILTER, .q = "政府工作报告", .from = "2010", .to = "2020"},
};
#define NMIX (sizeof mix / sizeof mix[0])

/* ---- latency statistics ---- */

typedef struct sample {
    double ms;
    int kind;
} sample;

typedef struct stats {
    double p50, p99, mean;
    size_t n;
} stats;

/* Percentiles of the samples of kind (-1: all). */
static stats stats_of(const sample *s, size_t n, int kind)
{
    stats st = {0};
    double *v = malloc((n ? n : 1) * sizeof *v), sum = 0;
    if (!v)
        return st;
    for (size_t i = 0; i < n; i++)
        if (kind < 0 || s[i].kind == kind) {
            v[st.n++] = s[i].ms;
            sum += s[i].ms;
        }
    if (st.n) {
        qsort(v, st.n, sizeof *v, ws_bench_cmp_double);
        st.p50 = v[(st.n - 1) / 2];
        st.p99 = v[(size_t)((double)(st.n - 1) * 0.99 + 0.5)];
        st.mean = sum / (double)st.n;
    }
    free(v);
    return st;
}

/* ---- requests ---- */

static void add_escaped(char *out, size_t cap, const char *name, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(out);
    if (!value)
        return;
    n += (size_t)snprintf(out + n, cap - n, "%s%s=", strchr(out, '?') ? "&" : "?", name);
    for (const unsigned char *p = (const unsigned char *)value; *p && n + 4 < cap; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_')
            out[n++] = (char)*p;
        else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    out[n] = '\0';
}

static char requests[NMIX][1024];

static void build_requests(void)
{
    for (size_t i = 0; i < NMIX; i++) {
        char path[900] = "/search";
        add_escaped(path, sizeof path, "q", mix[i].q);
        add_escaped(path, sizeof path, "source", mix[i].source);
        add_escaped(path, sizeof path, "type", mix[i].type);
        add_escaped(path, sizeof path, "from", mix[i].from);
        add_escaped(path, sizeof path, "to", mix[i].to);
        if (mix[i].by_date)
            add_escaped(path, sizeof path, "sort", "date");
        snprintf(requests[i], sizeof requests[i], "GET %s HTTP/1.1\r\nHost: bench\r\n\r\n", path);
    }
}

static void opts_of(const bq *b, ws_search_opts *o)
{
    memset(o, 0, sizeof *o);
    o->query = b->q;
    o->source = b->source;
    o->type = b->type;
    o->from = b->from;
    o->to = b->to;
    o->sort = b->by_date ? WS_SORT_DATE : WS_SORT_RELEVANCE;
}

/* ---- the load generator ---- */

typedef struct phase phase;

typedef struct client {
    uv_tcp_t tcp;
    uv_connect_t conn;
    uv_write_t wr;
    phase *ph;
    char *buf;
    size_t len, cap;
    size_t qi;
    double t0;
    int open;
} client;

struct phase {
    uv_loop_t *loop;
    uv_timer_t timer;
    int port;
    size_t next, total, done;
    sample *samples;
    size_t errors;
    int nopen;
    client *clients;
    int nclients;
    int timed_out;
    char why[256];
};

static void client_send(client *c);

static void on_closed(uv_handle_t *h)
{
    client *c = h->data;
    c->ph->nopen--;
    if (c->ph->nopen == 0)
        uv_close((uv_handle_t *)&c->ph->timer, NULL);
}

static void client_close(client *c)
{
    if (c->open) {
        c->open = 0;
        uv_close((uv_handle_t *)&c->tcp, on_closed);
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    client *c = h->data;
    if (c->cap - c->len < 65536) {
        size_t cap = c->cap ? c->cap * 2 : 131072;
        char *b = realloc(c->buf, cap);
        if (!b) {
            *buf = uv_buf_init(NULL, 0);
            return;
        }
        c->buf = b;
        c->cap = cap;
    }
    (void)suggested;
    *buf = uv_buf_init(c->buf + c->len, (unsigned)(c->cap - c->len));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    client *c = s->data;
    phase *ph = c->ph;
    (void)buf;
    if (nread < 0) {
        snprintf(ph->why, sizeof ph->why, "read: %s", uv_strerror((int)nread));
        ph->errors++;
        client_close(c);
        return;
    }
    c->len += (size_t)nread;
    char *end = c->len > 4 ? memmem(c->buf, c->len, "\r\n\r\n", 4) : NULL;
    if (!end)
        return;
    size_t head = (size_t)(end - c->buf) + 4;
    char *cl = memmem(c->buf, head, "Content-Length: ", 16);
    size_t body = cl ? strtoul(cl + 16, NULL, 10) : 0;
    if (c->len < head + body)
        return;
    if (strncmp(c->buf, "HTTP/1.1 200", 12) != 0) {
        ph->errors++;
        snprintf(ph->why, sizeof ph->why, "%.*s", (int)strcspn(c->buf, "\r"), c->buf);
    }
    ph->samples[ph->done].ms = ws_bench_now_ms() - c->t0;
    ph->samples[ph->done].kind = mix[c->qi].kind;
    ph->done++;
    memmove(c->buf, c->buf + head + body, c->len - head - body);
    c->len -= head + body;
    client_send(c);
}

static void on_written(uv_write_t *w, int status)
{
    client *c = w->data;
    if (status < 0) {
        snprintf(c->ph->why, sizeof c->ph->why, "write: %s", uv_strerror(status));
        c->ph->errors++;
        client_close(c);
    }
}

static void client_send(client *c)
{
    phase *ph = c->ph;
    if (ph->next >= ph->total || ph->timed_out) {
        client_close(c);
        return;
    }
    c->qi = ph->next++ % NMIX;
    uv_buf_t b = uv_buf_init(requests[c->qi], (unsigned)strlen(requests[c->qi]));
    c->t0 = ws_bench_now_ms();
    c->wr.data = c;
    if (uv_write(&c->wr, (uv_stream_t *)&c->tcp, &b, 1, on_written) != 0)
        client_close(c);
}

static void on_connect(uv_connect_t *req, int status)
{
    client *c = req->data;
    if (status < 0) {
        snprintf(c->ph->why, sizeof c->ph->why, "connect: %s", uv_strerror(status));
        c->ph->errors++;
        client_close(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    client_send(c);
}

static void on_phase_timeout(uv_timer_t *t)
{
    phase *ph = t->data;
    ph->timed_out = 1;
    for (int i = 0; i < ph->nclients; i++)
        client_close(&ph->clients[i]);
}

/* Sends total requests from nclients keep-alive connections; returns the
 * elapsed seconds (samples in ph->samples[0..ph->done)). */
static double run_phase(phase *ph, int port, int nclients, size_t total)
{
    uv_loop_t loop;
    uv_loop_init(&loop);
    memset(ph, 0, sizeof *ph);
    ph->loop = &loop;
    ph->port = port;
    ph->total = total;
    ph->samples = calloc(total, sizeof *ph->samples);
    ph->clients = calloc((size_t)nclients, sizeof *ph->clients);
    ph->nclients = nclients;
    struct sockaddr_in addr;
    uv_ip4_addr("127.0.0.1", port, &addr);
    uv_timer_init(&loop, &ph->timer);
    ph->timer.data = ph;
    uv_timer_start(&ph->timer, on_phase_timeout, PHASE_MAX_S * 1000, 0);
    double t0 = ws_bench_now_ms();
    for (int i = 0; i < nclients; i++) {
        client *c = &ph->clients[i];
        c->ph = ph;
        uv_tcp_init(&loop, &c->tcp);
        c->tcp.data = c;
        c->conn.data = c;
        c->open = 1;
        ph->nopen++;
        uv_tcp_connect(&c->conn, &c->tcp, (const struct sockaddr *)&addr, on_connect);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    double el = (ws_bench_now_ms() - t0) / 1000;
    for (int i = 0; i < nclients; i++)
        free(ph->clients[i].buf);
    free(ph->clients);
    uv_loop_close(&loop);
    return el;
}

/* ---- the daemon and the index ---- */

static pid_t start_daemon(const char *searchd, const char *db, int threads, int *port)
{
    char t[16];
    snprintf(t, sizeof t, "%d", threads);
    const char *extra[] = {"--threads", t, NULL};
    return ws_bench_start_daemon(searchd, db, extra, port);
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Imports the shared corpus and indexes it into db. */
static int build_index(const char *corpus, const char *db)
{
    char cmd[4096];
    const char *parts[] = {"news", "laws", "reports"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd, "python3 '%s/tools/import_%s.py' -o '%s.%s.jsonl' '%s'",
                 WS_SOURCE_DIR, parts[i], db, parts[i], corpus);
        fprintf(stderr, "bench_daemon: %s\n", cmd);
        if (system(cmd) != 0)
            return -1;
    }
    snprintf(cmd, sizeof cmd,
             "'%s/indexer/wensuo-index' --db '%s' --quiet '%s.news.jsonl' '%s.laws.jsonl' "
             "'%s.reports.jsonl'",
             WS_BINARY_DIR, db, db, db, db);
    fprintf(stderr, "bench_daemon: %s\n", cmd);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- in-process ---- */

/* One pass over the mix through ws_searcher_run(); samples appended to out
 * (which has room) unless out is NULL (warm-up). */
static void local_round(ws_searcher *s, sample *out, size_t *n)
{
    for (size_t i = 0; i < NMIX; i++) {
        ws_search_opts o;
        ws_results *res = NULL;
        opts_of(&mix[i], &o);
        double t0 = ws_bench_now_ms();
        ws_status rc = ws_searcher_run(s, &o, &res);
        double ms = ws_bench_now_ms() - t0;
        if (rc != WS_OK)
            fprintf(stderr, "bench_daemon: %s: %s\n", mix[i].q, ws_searcher_errmsg(s));
        ws_results_free(res);
        if (out) {
            out[*n].ms = ms;
            out[(*n)++].kind = mix[i].kind;
        }
    }
}

static void print_row(const char *name, const stats *s, double rps)
{
    printf("  %-24s %8.2f %8.2f %8.2f %9.0f\n", name, s->p50, s->p99, s->mean, rps);
}

/* The command line. */
typedef struct config {
    const char *db, *corpus, *searchd;
    int threads, rounds;
} config;

/* Reads the command line into cf. -1 when the benchmark may run; otherwise
 * the exit status (0 after --help, 2 after saying what is wrong). */
static int read_args(int argc, char **argv, config *cf)
{
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},
        {"corpus", required_argument, 0, 'c'},
        {"threads", required_argument, 0, 't'},
        {"rounds", required_argument, 0, 'r'},
        {"searchd", required_argument, 0, 's'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "d:c:t:r:s:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            cf->db = optarg;
            break;
        case 'c':
            cf->corpus = optarg;
            break;
        case 't':
            cf->threads = atoi(optarg);
            break;
        case 'r':
            cf->rounds = atoi(optarg);
            break;
        case 's':
            cf->searchd = optarg;
            break;
        default:
            fprintf(c == 'h' ? stdout : stderr,
                    "usage: bench_daemon [--db DIR] [--corpus DIR] [--threads N] [--rounds N]\n"
                    "                    [--searchd PATH]\n"
                    "Indexes the shared corpus into DIR (default %s) unless it holds an index,\n"
                    "then compares wensuo-searchd with in-process searches.\n",
                    cf->db);
            return c == 'h' ? 0 : 2;
        }
    }
    if (cf->rounds < 1 || cf->rounds > 1000 || cf->threads < 0 || cf->threads > 64) {
        fprintf(stderr, "bench_daemon: --rounds 1..1000, --threads 0..64\n");
        return 2;
    }
    if (!cf->threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        cf->threads = n > 0 ? (int)n : 1;
    }
    return -1;
}

/* Builds the index of the corpus when cf->db holds none. -1 when there is
 * an index; otherwise the exit status (77 when there is nothing to index). */
static int ensure_index(const config *cf)
{
    char stub[4096];
    snprintf(stub, sizeof stub, "%s/" WS_LAYOUT_STUB, cf->db);
    if (exists(stub))
        return -1;
    if (!exists(cf->corpus)) {
        printf("SKIP: no index at %s and no corpus at %s\n", cf->db, cf->corpus);
        return 77;
    }
    if (build_index(cf->corpus, cf->db) != 0) {
        fprintf(stderr, "bench_daemon: cannot build the index %s\n", cf->db);
        return 1;
    }
    return -1;
}

/* The daemon's concurrencies, the first alternated with in-process rounds. */
static const int conc[] = {1, 32, 64};
#define NCONC (sizeof conc / sizeof conc[0])

/* What was measured. */
typedef struct measured {
    sample *local, *c1; /* in-process and concurrency-1 latencies */
    size_t nlocal, nc1;
    stats daemon[NCONC];
    double rps[NCONC];
    int failed;
} measured;

/* Warms both sides the same way, then alternates one in-process pass and
 * one pass through the daemon, so that whatever else the machine does
 * weighs on both sides of the ratio alike. */
static void measure_alternating(ws_searcher *s, int port, const config *cf, measured *m)
{
    phase ph;
    local_round(s, NULL, NULL);
    run_phase(&ph, port, cf->threads, NMIX * (size_t)cf->threads);
    free(ph.samples);
    m->local = calloc((size_t)cf->rounds * NMIX, sizeof *m->local);
    m->c1 = calloc((size_t)cf->rounds * NMIX, sizeof *m->c1);
    double c1_s = 0;
    for (int r = 0; r < cf->rounds && m->local && m->c1; r++) {
        local_round(s, m->local, &m->nlocal);
        c1_s += run_phase(&ph, port, 1, NMIX);
        if (ph.errors || ph.done < NMIX) {
            fprintf(stderr, "bench_daemon: concurrency 1: %zu of %zu answered, %zu errors (%s)\n",
                    ph.done, NMIX, ph.errors, ph.why);
            m->failed = 1;
        }
        memcpy(m->c1 + m->nc1, ph.samples, ph.done * sizeof *m->c1);
        m->nc1 += ph.done;
        free(ph.samples);
    }
    m->daemon[0] = stats_of(m->c1, m->nc1, -1);
    m->rps[0] = c1_s > 0 ? (double)m->nc1 / c1_s : 0;
}

/* The daemon alone at the higher concurrencies. */
static void measure_saturation(int port, const config *cf, measured *m)
{
    phase ph;
    for (size_t i = 1; i < NCONC; i++) {
        size_t total = NMIX * (size_t)cf->rounds * 4;
        double el = run_phase(&ph, port, conc[i], total);
        if (ph.errors || ph.done < total) {
            fprintf(stderr, "bench_daemon: concurrency %d: %zu of %zu answered, %zu errors (%s)\n",
                    conc[i], ph.done, total, ph.errors, ph.why);
            m->failed = 1;
        }
        m->daemon[i] = stats_of(ph.samples, ph.done, -1);
        m->rps[i] = el > 0 ? (double)ph.done / el : 0;
        free(ph.samples);
    }
}

static void print_report(const config *cf, const measured *m)
{
    stats loc = stats_of(m->local, m->nlocal, -1);
    double loc_sum = loc.mean * (double)loc.n;
    printf("latency in ms                  p50      p99     mean     req/s\n");
    print_row("in-process, 1 thread", &loc, loc_sum > 0 ? 1000.0 * (double)loc.n / loc_sum : 0);
    print_row("daemon, concurrency 1", &m->daemon[0], m->rps[0]);
    print_row("daemon, concurrency 32", &m->daemon[1], m->rps[1]);
    print_row("daemon, concurrency 64", &m->daemon[2], m->rps[2]);
    double sat = m->rps[1] > m->rps[2] ? m->rps[1] : m->rps[2];
    printf("\nthroughput at saturation: %.0f searches/s (%d threads)\n", sat, cf->threads);
    printf("daemon / in-process at concurrency 1: %.2fx mean, %.2fx p50\n\n",
           loc.mean > 0 ? m->daemon[0].mean / loc.mean : 0,
           loc.p50 > 0 ? m->daemon[0].p50 / loc.p50 : 0);
    printf("by kind, concurrency 1     in-process p50/p99     daemon p50/p99\n");
    for (int k = 0; k < K_COUNT; k++) {
        stats a = stats_of(m->local, m->nlocal, k), b = stats_of(m->c1, m->nc1, k);
        printf("  %-22s %9.2f %8.2f %12.2f %8.2f\n", kind_name[k], a.p50, a.p99, b.p50, b.p99);
    }
}

int main(int argc, char **argv)
{
    config cf = {"/tmp/wensuo-bench-index", WS_SHARED_DIR "/corpus",
                 WS_BINARY_DIR "/searcher/wensuo-searchd", 0, 10};
    int rc = read_args(argc, argv, &cf);
    if (rc < 0)
        rc = ensure_index(&cf);
    if (rc >= 0)
        return rc;
    signal(SIGPIPE, SIG_IGN);
    build_requests();

    char err[1024];
    ws_lexicon *lex = NULL;
    ws_searcher *s = NULL;
    if (ws_lexicon_open_default(NULL, NULL, &lex, err, sizeof err) != WS_OK ||
        ws_searcher_open(cf.db, lex, NULL, &s, err, sizeof err) != WS_OK) {
        fprintf(stderr, "bench_daemon: %s\n", err);
        ws_lexicon_free(lex);
        return 1;
    }
    unsigned long docs = 0;
    json_t *js = NULL;
    if (ws_searcher_stats(s, &js) == WS_OK)
        docs = (unsigned long)json_integer_value(json_object_get(js, "documents"));
    json_decref(js);

    int port = 0;
    pid_t pid = start_daemon(cf.searchd, cf.db, cf.threads, &port);
    if (pid < 0) {
        fprintf(stderr, "bench_daemon: cannot start %s\n", cf.searchd);
        ws_searcher_close(s);
        ws_lexicon_free(lex);
        return 1;
    }
    int counts[K_COUNT] = {0};
    for (size_t i = 0; i < NMIX; i++)
        counts[mix[i].kind]++;
    printf("index %s: %lu documents; %zu queries (%d words, %d two-word, %d phrases, "
           "%d questions, %d filtered); daemon with %d threads; 10 hits with snippets each\n\n",
           cf.db, docs, NMIX, counts[K_WORD], counts[K_TWO], counts[K_PHRASE], counts[K_QUESTION],
           counts[K_FILTER], cf.threads);

    measured m;
    memset(&m, 0, sizeof m);
    measure_alternating(s, port, &cf, &m);
    ws_searcher_close(s);
    ws_lexicon_free(lex);
    measure_saturation(port, &cf, &m);
    kill(pid, SIGTERM);
    int wst = 0;
    waitpid(pid, &wst, 0);
    print_report(&cf, &m);
    free(m.c1);
    free(m.local);
    if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
        fprintf(stderr, "bench_daemon: the daemon exited with status %d\n", wst);
        m.failed = 1;
    }
    return m.failed;
}
