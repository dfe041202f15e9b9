/* bench_ingest: documents posted to wensuo-searchd, how fast and how soon
 * they can be found, and what the ingest does to searches.
 *
 *   bench_ingest [--corpus DIR] [--clients N] [--docs N] [--threads N]
 *                [--shards N] [--batch N] [--max-body BYTES] [--searchd PATH]
 *                [--keep DIR]
 *
 * Imports the news corpus (tools/import_news.py: one JSON line per story),
 * starts wensuo-searchd on a new, empty index on a free loopback port, and
 * posts the stories one per request (or --batch N per request) from N
 * keep-alive clients on libuv; --max-body cuts each story's body short, for
 * the rate of small documents.
 * Meanwhile one client searches without pause (a mix of words, phrases and
 * two-word queries), and a prober measures the time from sending a post to
 * the moment GET /documents/{id} finds it, polling without pause. Every
 * 20th story is also fetched right after its answer: read-your-writes says
 * it must be there. When the ingest is over, the search client goes on
 * alone, and its latency then is the idle figure the ingest is compared
 * with (measured on the full index, so the comparison is not flattered).
 * Prints documents per second, the answer and visibility latencies (p50,
 * p99) and search latency while ingesting and idle. */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "array.h"
#include "bench_util.h"
#include "options.h"

#define MAX_CLIENTS  256
#define VERIFY_EVERY 20  /* stories fetched right after their answer */
#define PHASE_MAX_S  300 /* the ingest stops after this long whatever is left */
#define IDLE_MIN     300 /* idle searches at least */
#define PROBE_PAUSE  10  /* ms between two visibility probes */
#define PROBE_POLL   5   /* ms between two polls of one probe */
#define SEARCH_PAUSE 50  /* ms between two searches: 20 a second, as people search */

static const char *const queries[] = {
    "经济",           "乡村振兴",     "人工智能",         "碳达峰",    "疫情防控",
    "一带一路",       "科技 创新",    "外贸 增长",        "医疗 保障", "生态环境 保护",
    "\"高质量发展\"", "\"共同富裕\"", "\"中国式现代化\"", "粮食安全",  "\"新质生产力\"",
};
#define NQUERIES (sizeof queries / sizeof queries[0])

/* ---- samples ---- */

typedef struct samples {
    double *v;
    size_t n, cap;
} samples;

static void add_sample(samples *s, double ms)
{
    double *v = ws_array_room(s->v, s->n, &s->cap, sizeof *v, 1024);
    if (!v)
        return;
    s->v = v;
    s->v[s->n++] = ms;
}

static double pct(samples *s, double p)
{
    if (!s->n)
        return 0;
    qsort(s->v, s->n, sizeof *s->v, ws_bench_cmp_double);
    return s->v[(size_t)((double)(s->n - 1) * p + 0.5)];
}

/* ---- the corpus ---- */

typedef struct story {
    char *line; /* one JSON document */
    size_t len;
    char *path; /* /documents/{id}, escaped */
} story;

static story *stories;
static size_t nstories;

static char *escaped_path(const char *id)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(strlen("/documents/") + 3 * strlen(id) + 1);
    if (!out)
        return NULL;
    char *p = out + sprintf(out, "/documents/");
    for (const unsigned char *s = (const unsigned char *)id; *s; s++) {
        if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
            *s == '-' || *s == '.' || *s == '_') {
            *p++ = (char)*s;
        } else {
            *p++ = '%';
            *p++ = hex[*s >> 4];
            *p++ = hex[*s & 15];
        }
    }
    *p = '\0';
    return out;
}

/* Cuts s to at most max bytes, at a character boundary. */
static void cut_utf8(char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    s[max] = '\0';
}

static int load_stories(const char *path, size_t max, size_t max_body)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0, cap_st = 0;
    ssize_t n;
    while (nstories < max && (n = getline(&line, &cap, f)) > 0) {
        json_t *j = json_loadb(line, (size_t)n, 0, NULL);
        const char *id = json_string_value(json_object_get(j, "id"));
        char *small = NULL;
        if (id && max_body) { /* "small documents": the body cut short */
            const char *body = json_string_value(json_object_get(j, "body"));
            char *b = strdup(body ? body : "");
            if (!b)
                exit(1);
            cut_utf8(b, max_body);
            json_object_set_new(j, "body", json_string(b));
            free(b);
            if (!(small = json_dumps(j, JSON_COMPACT)))
                exit(1);
        }
        if (id) {
            if (nstories == cap_st) {
                cap_st = cap_st ? cap_st * 2 : 4096;
                stories = realloc(stories, cap_st * sizeof *stories);
                if (!stories)
                    exit(1);
            }
            story *s = &stories[nstories++];
            if (small) {
                size_t sl = strlen(small);
                s->line = realloc(small, sl + 2);
                if (s->line)
                    memcpy(s->line + sl, "\n", 2);
                s->len = sl + 1;
            } else {
                s->line = strndup(line, (size_t)n);
                s->len = (size_t)n;
            }
            s->path = escaped_path(id);
            if (!s->line || !s->path)
                exit(1);
        }
        json_decref(j);
    }
    free(line);
    fclose(f);
    return 0;
}

/* ---- HTTP over keep-alive connections ---- */

typedef struct hconn hconn;
typedef void (*hconn_cb)(hconn *c, int status);

struct hconn {
    uv_tcp_t tcp;
    uv_connect_t creq;
    uv_write_t wreq;
    char *in; /* the answer being read */
    size_t len, cap;
    char *out; /* the request being sent */
    hconn_cb done;
    int open;
    /* the role's state */
    int role;
    size_t story;   /* the (first) story posted, or the one fetched */
    size_t nposted; /* stories in the POST */
    double t0;
};

enum { R_INGEST, R_SEARCH, R_PROBE };

static uv_loop_t *loop;
static struct sockaddr_in daemon_addr;
static hconn clients[MAX_CLIENTS], searcher, prober;
static int nclients, ingest_open;
static size_t batch = 1; /* stories per POST */
static char *post_buf;   /* one POST's body, per client while it is built */
static size_t next_story, posted, verify_fail, post_errors, search_errors;
static double ingest_t0, ingest_ms;
static int ingesting = 1, stopping;
static samples ack_ms, visible_ms, search_busy_ms, search_idle_ms;
static int probe_wanted;
static uv_timer_t probe_timer, stop_timer;
static char last_error[256];

static void on_closed(uv_handle_t *h)
{
    (void)h;
}

static void hconn_close(hconn *c)
{
    if (c->open) {
        c->open = 0;
        uv_close((uv_handle_t *)&c->tcp, on_closed);
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    hconn *c = h->data;
    (void)suggested;
    if (c->cap - c->len < 65536) {
        size_t cap = c->cap ? c->cap * 2 : 131072;
        char *b = realloc(c->in, cap);
        if (!b) {
            *buf = uv_buf_init(NULL, 0);
            return;
        }
        c->in = b;
        c->cap = cap;
    }
    *buf = uv_buf_init(c->in + c->len, (unsigned)(c->cap - c->len));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    hconn *c = s->data;
    (void)buf;
    if (nread < 0) {
        if (ingesting)
            snprintf(last_error, sizeof last_error, "read: %s", uv_strerror((int)nread));
        hconn_close(c);
        if (c->done)
            c->done(c, -1);
        return;
    }
    c->len += (size_t)nread;
    char *end = c->len > 4 ? memmem(c->in, c->len, "\r\n\r\n", 4) : NULL;
    if (!end)
        return;
    size_t head = (size_t)(end - c->in) + 4;
    char *cl = memmem(c->in, head, "Content-Length: ", 16);
    size_t body = cl ? strtoul(cl + 16, NULL, 10) : 0;
    if (c->len < head + body)
        return;
    int status = c->len > 12 ? atoi(c->in + 9) : 0;
    if (status != 200 && status != 404 && ingesting)
        snprintf(last_error, sizeof last_error, "%d %.*s", status, (int)(body > 200 ? 200 : body),
                 c->in + head);
    memmove(c->in, c->in + head + body, c->len - head - body);
    c->len -= head + body;
    hconn_cb done = c->done;
    c->done = NULL;
    done(c, status);
}

static void on_written(uv_write_t *w, int status)
{
    hconn *c = w->data;
    free(c->out);
    c->out = NULL;
    if (status < 0) {
        snprintf(last_error, sizeof last_error, "write: %s", uv_strerror(status));
        hconn_close(c);
    }
}

/* Sends a request (head and body, the body may be NULL); done runs with the
 * status of the answer. */
static void hconn_send(hconn *c, const char *method, const char *path, const char *body,
                       size_t blen, hconn_cb done)
{
    size_t cap = strlen(path) + blen + 256;
    c->out = malloc(cap);
    if (!c->out)
        exit(1);
    int n = snprintf(c->out, cap, "%s %s HTTP/1.1\r\nHost: bench\r\n%sContent-Length: %zu\r\n\r\n",
                     method, path, body ? "Content-Type: application/x-ndjson\r\n" : "", blen);
    if (body)
        memcpy(c->out + n, body, blen);
    uv_buf_t b = uv_buf_init(c->out, (unsigned)((size_t)n + blen));
    c->done = done;
    c->wreq.data = c;
    if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &b, 1, on_written) != 0) {
        free(c->out);
        c->out = NULL;
        hconn_close(c);
    }
}

static void all_done(void);

/* ---- the ingest clients ---- */

static void post_next(hconn *c);
static void on_probe_answer(hconn *c, int status);

static void on_verified(hconn *c, int status)
{
    if (status != 200)
        verify_fail++;
    post_next(c);
}

static void on_posted(hconn *c, int status)
{
    if (status == 200) {
        add_sample(&ack_ms, ws_bench_now_ms() - c->t0);
        posted += c->nposted;
        if ((c->story / batch) % VERIFY_EVERY == 0) {
            hconn_send(c, "GET", stories[c->story].path, NULL, 0, on_verified);
            return;
        }
    } else if (status < 0) {
        ingest_open--;
        if (!ingest_open)
            all_done();
        return;
    } else {
        post_errors++;
    }
    post_next(c);
}

static void start_probe(size_t story, double t0)
{
    prober.story = story;
    prober.t0 = t0;
    hconn_send(&prober, "GET", stories[story].path, NULL, 0, on_probe_answer);
}

static void post_next(hconn *c)
{
    if (next_story >= nstories || stopping) {
        hconn_close(c);
        if (--ingest_open == 0)
            all_done();
        return;
    }
    c->story = next_story;
    c->nposted = nstories - next_story < batch ? nstories - next_story : batch;
    next_story += c->nposted;
    c->t0 = ws_bench_now_ms();
    if (c->nposted == 1) {
        story *s = &stories[c->story];
        hconn_send(c, "POST", "/documents", s->line, s->len, on_posted);
    } else {
        size_t len = 0;
        for (size_t i = 0; i < c->nposted; i++) {
            story *s = &stories[c->story + i];
            memcpy(post_buf + len, s->line, s->len);
            len += s->len;
        }
        hconn_send(c, "POST", "/documents", post_buf, len, on_posted);
    }
    if (probe_wanted && prober.open) {
        probe_wanted = 0;
        start_probe(c->story, c->t0);
    }
}

/* ---- the prober: post to visible ---- */

static void on_probe_pause(uv_timer_t *t)
{
    (void)t;
    if (ingesting)
        probe_wanted = 1;
}

static void on_probe_poll(uv_timer_t *t)
{
    (void)t;
    hconn_send(&prober, "GET", stories[prober.story].path, NULL, 0, on_probe_answer);
}

static void on_probe_answer(hconn *c, int status)
{
    if (status == 200) {
        add_sample(&visible_ms, ws_bench_now_ms() - c->t0);
        uv_timer_start(&probe_timer, on_probe_pause, PROBE_PAUSE, 0);
    } else if (status == 404 && ingesting) {
        uv_timer_start(&probe_timer, on_probe_poll, PROBE_POLL, 0);
    }
}

/* ---- the search client ---- */

static size_t search_next_q;
static char search_paths[NQUERIES][512];

static void search_next(hconn *c);
static uv_timer_t search_timer;

static void on_search_pause(uv_timer_t *t)
{
    (void)t;
    search_next(&searcher);
}

/* Ends the run: the loop returns once every handle is closed. */
static void finish(void)
{
    hconn_close(&searcher);
    hconn_close(&prober);
    if (!uv_is_closing((uv_handle_t *)&stop_timer)) {
        uv_close((uv_handle_t *)&stop_timer, NULL);
        uv_close((uv_handle_t *)&probe_timer, NULL);
        uv_close((uv_handle_t *)&search_timer, NULL);
    }
}

static void on_searched(hconn *c, int status)
{
    if (status < 0) {
        finish();
        return;
    }
    if (status != 200)
        search_errors++;
    add_sample(ingesting ? &search_busy_ms : &search_idle_ms, ws_bench_now_ms() - c->t0);
    uv_timer_start(&search_timer, on_search_pause, SEARCH_PAUSE, 0);
}

static void search_next(hconn *c)
{
    if (stopping ||
        (!ingesting &&
         search_idle_ms.n >= (search_busy_ms.n > IDLE_MIN ? search_busy_ms.n : IDLE_MIN))) {
        finish();
        return;
    }
    c->t0 = ws_bench_now_ms();
    hconn_send(c, "GET", search_paths[search_next_q++ % NQUERIES], NULL, 0, on_searched);
}

static void all_done(void)
{
    ingest_ms = ws_bench_now_ms() - ingest_t0;
    ingesting = 0;
}

static void on_stop(uv_timer_t *t)
{
    (void)t;
    fprintf(stderr, "bench_ingest: stopped after %d s\n", PHASE_MAX_S);
    stopping = 1;
}

static void on_connect(uv_connect_t *req, int status)
{
    hconn *c = req->data;
    if (status < 0) {
        fprintf(stderr, "bench_ingest: connect: %s\n", uv_strerror(status));
        exit(1);
    }
    uv_tcp_nodelay(&c->tcp, 1);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    if (c->role == R_INGEST)
        post_next(c);
    else if (c->role == R_SEARCH)
        search_next(c);
}

static void hconn_open(hconn *c, int role)
{
    memset(c, 0, sizeof *c);
    c->role = role;
    uv_tcp_init(loop, &c->tcp);
    c->tcp.data = c;
    c->creq.data = c;
    c->open = 1;
    uv_tcp_connect(&c->creq, &c->tcp, (const struct sockaddr *)&daemon_addr, on_connect);
}

/* ---- the daemon ---- */

static pid_t start_daemon(const char *searchd, const char *db, int threads, int shards, int *port)
{
    char t[16], s[16];
    snprintf(t, sizeof t, "%d", threads);
    snprintf(s, sizeof s, "%d", shards);
    const char *extra[] = {"--threads", t, "--shards", s, NULL};
    return ws_bench_start_daemon(searchd, db, extra, port);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: bench_ingest [--corpus DIR] [--clients N] [--docs N] [--threads N]\n"
            "                    [--shards N] [--batch N] [--max-body BYTES] [--searchd PATH]\n"
            "                    [--keep DIR]\n"
            "Posts the news stories of DIR (default %s) one per request from N\n"
            "clients (default 64) to a new wensuo-searchd, searching meanwhile.\n",
            WS_SHARED_DIR "/corpus/news/xinwenlianbo");
}

/* Imports the news stories of corpus into tmp/news.jsonl and loads at most
 * docs of them (0: all), cut to max_body bytes (0: whole); their total
 * size in *bytes, and post_buf made room for a batch of the longest. 0, or
 * -1 after saying why. */
static int prepare_stories(const char *corpus, const char *tmp, long docs, long max_body,
                           size_t *bytes)
{
    char cmd[8192], jsonl[512];
    snprintf(jsonl, sizeof jsonl, "%s/news.jsonl", tmp);
    snprintf(cmd, sizeof cmd, "python3 '%s/tools/import_news.py' -o '%s' '%s' 2>/dev/null",
             WS_SOURCE_DIR, jsonl, corpus);
    if (system(cmd) != 0 ||
        load_stories(jsonl, docs ? (size_t)docs : (size_t)-1, (size_t)max_body) != 0 || !nstories) {
        fprintf(stderr, "bench_ingest: cannot import %s\n", corpus);
        return -1;
    }
    size_t longest = 0;
    *bytes = 0;
    for (size_t i = 0; i < nstories; i++) {
        *bytes += stories[i].len;
        longest = stories[i].len > longest ? stories[i].len : longest;
    }
    if (!(post_buf = malloc(longest * batch + 1)))
        return -1;
    return 0;
}

/* The search requests, their queries percent-encoded. */
static void make_search_paths(void)
{
    for (size_t i = 0; i < NQUERIES; i++) {
        char *p = search_paths[i];
        p += sprintf(p, "/search?limit=10&q=");
        for (const unsigned char *s = (const unsigned char *)queries[i]; *s; s++)
            p += sprintf(p, "%%%02X", *s);
    }
}

/* Posts every story from the clients to the daemon at port, with the
 * searcher and the prober beside, until all are posted or the phase's
 * time is up. */
static void run_clients(int port)
{
    uv_loop_t l;
    loop = &l;
    uv_loop_init(loop);
    uv_ip4_addr("127.0.0.1", port, &daemon_addr);
    uv_timer_init(loop, &probe_timer);
    uv_timer_init(loop, &stop_timer);
    uv_timer_init(loop, &search_timer);
    uv_timer_start(&stop_timer, on_stop, PHASE_MAX_S * 1000, 0);
    ingest_t0 = ws_bench_now_ms();
    ingest_open = nclients;
    for (int i = 0; i < nclients; i++)
        hconn_open(&clients[i], R_INGEST);
    hconn_open(&searcher, R_SEARCH);
    hconn_open(&prober, R_PROBE);
    probe_wanted = 1;
    uv_run(loop, UV_RUN_DEFAULT);
    uv_loop_close(loop);
}

static void print_report(size_t bytes)
{
    double secs = ingest_ms / 1000;
    printf("ingest: %zu documents in %.1f s: %.0f documents/s (%.2f MB/s); %zu errors%s%s\n",
           posted, secs, (double)posted / secs, (double)bytes / 1e6 / secs, post_errors,
           *last_error ? ", last: " : "", last_error);
    printf("  answer (committed, visible): p50 %.1f ms, p99 %.1f ms\n", pct(&ack_ms, 0.5),
           pct(&ack_ms, 0.99));
    printf("  post to found by GET, polled (%zu probes): p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
           visible_ms.n, pct(&visible_ms, 0.5), pct(&visible_ms, 0.99), pct(&visible_ms, 1));
    printf("  read-your-writes: %zu of %zu fetched right after their answer were missing\n",
           verify_fail, (posted / batch + VERIFY_EVERY - 1) / VERIFY_EVERY);
    double bp50 = pct(&search_busy_ms, 0.5), bp99 = pct(&search_busy_ms, 0.99);
    double ip50 = pct(&search_idle_ms, 0.5), ip99 = pct(&search_idle_ms, 0.99);
    printf("search while ingesting (%zu): p50 %.1f ms, p99 %.1f ms\n", search_busy_ms.n, bp50,
           bp99);
    printf("search idle, full index (%zu): p50 %.1f ms, p99 %.1f ms\n", search_idle_ms.n, ip50,
           ip99);
    printf("  p99 ratio ingesting/idle: %.2f; %zu search errors\n", ip99 > 0 ? bp99 / ip99 : 0,
           search_errors);
}

int main(int argc, char **argv)
{
    const char *corpus = WS_SHARED_DIR "/corpus/news/xinwenlianbo";
    const char *searchd = WS_BINARY_DIR "/searcher/wensuo-searchd", *keep = NULL;
    long docs = 0, threads = 2, shards = 2, max_body = 0, nbatch = 1, nclient_opt = 64;
    int first;
    const ws_option opts[] = {
        {"corpus", WS_OPT_STRING, &corpus, 0, 0, NULL},
        {"clients", WS_OPT_NUMBER, &nclient_opt, 1, MAX_CLIENTS, NULL},
        {"docs", WS_OPT_NUMBER, &docs, 0, 100000000, NULL},
        {"threads", WS_OPT_NUMBER, &threads, 1, 1024, NULL},
        {"shards", WS_OPT_NUMBER, &shards, 1, 64, NULL},
        {"searchd", WS_OPT_STRING, &searchd, 0, 0, NULL},
        {"keep", WS_OPT_STRING, &keep, 0, 0, NULL},
        {"batch", WS_OPT_NUMBER, &nbatch, 1, 1000, NULL},
        {"max-body", WS_OPT_NUMBER, &max_body, 0, 1L << 40, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    int rc = ws_options_parse("bench_ingest", argc, argv, opts, &first);
    if (rc != 0 || first != argc) {
        usage(rc > 0 ? stdout : stderr);
        return rc > 0 ? 0 : 2;
    }
    nclients = (int)nclient_opt;
    if (nclients < 1 || nclients > MAX_CLIENTS || threads < 1 || shards < 1 || docs < 0 ||
        nbatch < 1 || nbatch > 1000 || max_body < 0) {
        usage(stderr);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    char tmp[] = "/tmp/wensuo-bench-ingest-XXXXXX";
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    char cmd[8192], db[512];
    snprintf(db, sizeof db, "%s", keep ? keep : tmp);
    if (!keep)
        strcat(db, "/index");
    batch = (size_t)nbatch;
    size_t bytes;
    if (prepare_stories(corpus, tmp, docs, max_body, &bytes) != 0)
        return 1;
    make_search_paths();
    int port = 0;
    pid_t pid = start_daemon(searchd, db, (int)threads, (int)shards, &port);
    if (pid < 0) {
        fprintf(stderr, "bench_ingest: cannot start %s\n", searchd);
        return 1;
    }
    printf("bench_ingest: %zu stories (%.0f bytes each on average%s), %zu per POST, %d clients, "
           "daemon with %ld threads, a new index of %ld shard(s)\n",
           nstories, (double)bytes / (double)nstories, max_body ? ", bodies cut short" : "", batch,
           nclients, threads, shards);
    fflush(stdout);
    run_clients(port);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    print_report(bytes);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_ingest: cannot remove %s\n", tmp);
    return post_errors || verify_fail ? 1 : 0;
}
