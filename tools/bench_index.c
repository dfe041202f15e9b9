/* bench_index: indexing speed and index size, side by side in one run.
 *
 *   bench_index [--shards N] [--batch N] [--batch-kb N] [--work DIR] FILE.jsonl...
 *
 * Reads the documents into memory, then times on the same text:
 *   1. ICU word breaking alone (locale zh), one thread;
 *   2. Wensuo's analysis alone (terms generated, nothing written), one thread;
 *   3. Xapian fed plain ICU words (positional), one thread, one database;
 *   4. Wensuo's indexing: N shards written by N threads;
 * and prints MB/s, documents/s, the time relative to ICU's, the CPU time
 * (user + system, all threads: the figure to compare on a busy machine), and
 * the size of both indexes before and after compaction. Both indexes commit
 * every --batch documents or --batch-kb of text, whichever comes first (per
 * shard for Wensuo; the defaults are wensuo-index's). */
#include <dirent.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>
#include <unistd.h>

#include "analyzer.h"
#include "index.h"
#include "lexicon.h"
#include "reader.h"
#include "termgen.h"

typedef struct corpus {
    ws_doc **d;
    size_t n, cap;
    size_t bytes;
} corpus;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned batch = 100;
static size_t batch_bytes = 512 * 1024;

static ws_status keep(void *ctx, ws_doc *doc)
{
    corpus *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        ws_doc **d = realloc(c->d, cap * sizeof *d);
        if (!d) {
            ws_doc_free(doc);
            return WS_ENOMEM;
        }
        c->d = d;
        c->cap = cap;
    }
    c->d[c->n++] = doc;
    c->bytes += (doc->title ? strlen(doc->title) : 0) + (doc->body ? strlen(doc->body) : 0);
    return WS_OK;
}

static void warn(void *ctx, const char *file, long line, int refused, const char *reason)
{
    (void)refused;
    (void)ctx;
    fprintf(stderr, "%s:%ld: %s\n", file, line, reason);
}

static unsigned long long du(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return 0;
    if (!S_ISDIR(sb.st_mode))
        return (unsigned long long)sb.st_size;
    unsigned long long total = 0;
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        total += du(p);
    }
    if (d)
        closedir(d);
    return total;
}

/* ICU's words of s, each passed to cb. */
typedef void (*word_cb)(void *ctx, const char *w, size_t len);

static size_t icu_words(UBreakIterator *bi, const char *s, UChar **buf, size_t *cap, word_cb cb,
                        void *ctx)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = 0;
    size_t len = strlen(s);
    if (len * 2 + 2 > *cap) {
        *cap = len * 2 + 2;
        *buf = realloc(*buf, *cap * sizeof **buf);
    }
    u_strFromUTF8(*buf, (int32_t)*cap, &n, s, (int32_t)len, &err);
    if (U_FAILURE(err))
        return 0;
    ubrk_setText(bi, *buf, n, &err);
    size_t words = 0;
    int32_t b = ubrk_first(bi);
    for (int32_t e = ubrk_next(bi); e != UBRK_DONE; b = e, e = ubrk_next(bi)) {
        if (ubrk_getRuleStatus(bi) < UBRK_WORD_NUMBER)
            continue;
        words++;
        if (cb) {
            char w[256];
            int32_t wl = 0;
            err = U_ZERO_ERROR;
            u_strToUTF8(w, sizeof w - 1, &wl, *buf + b, e - b, &err);
            if (U_SUCCESS(err) && wl < (int32_t)sizeof w)
                cb(ctx, w, (size_t)wl);
        }
    }
    return words;
}

typedef struct plain {
    char **terms;
    uint32_t *pos;
    size_t n, cap;
} plain;

static void collect(void *ctx, const char *w, size_t len)
{
    plain *p = ctx;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 1024;
        p->terms = realloc(p->terms, p->cap * sizeof *p->terms);
        p->pos = realloc(p->pos, p->cap * sizeof *p->pos);
    }
    p->terms[p->n] = strndup(w, len);
    p->pos[p->n] = (uint32_t)p->n + 1;
    p->n++;
}

static ws_status count_term(void *ctx, const char *t, size_t len, uint32_t pos, ws_term_kind k,
                            const ws_token *tok)
{
    (void)t, (void)len, (void)pos, (void)k, (void)tok;
    (*(size_t *)ctx)++;
    return WS_OK;
}

typedef struct job {
    corpus *c;
    ws_index *ix;
    const ws_lexicon *lex;
    unsigned shard;
    ws_status st;
} job;

static void *index_shard(void *arg)
{
    job *j = arg;
    ws_analyzer *a;
    j->st = ws_analyzer_new(j->lex, &a);
    unsigned since = 0;
    size_t since_bytes = 0;
    for (size_t i = 0; i < j->c->n && j->st == WS_OK; i++) {
        const ws_doc *d = j->c->d[i];
        if (ws_index_shard_of(j->ix, d->id) != j->shard)
            continue;
        j->st = ws_index_put(j->ix, a, d);
        since_bytes += (d->title ? strlen(d->title) : 0) + (d->body ? strlen(d->body) : 0);
        if (++since == batch || since_bytes >= batch_bytes) {
            since = 0;
            since_bytes = 0;
            j->st = ws_index_commit(j->ix, j->shard);
        }
    }
    if (j->st == WS_OK)
        j->st = ws_index_commit(j->ix, j->shard);
    ws_analyzer_free(a);
    return NULL;
}

static void row(const char *what, double secs, double cpu, double mb, size_t docs, double icu)
{
    printf("%-38s %8.2f s %8.2f MB/s %9.0f docs/s %7.1fx ICU %8.2f s CPU\n", what, secs, mb / secs,
           docs / secs, secs / icu, cpu);
}

/* ICU's word breaker, with the UTF-16 buffer it reads from. */
typedef struct breaker {
    UBreakIterator *bi;
    UChar *buf;
    size_t cap;
} breaker;

/* A phase's wall and CPU seconds. */
typedef struct timed {
    double secs, cpu;
} timed;

/* Reads the options (into the batch globals and *shards, *work); the index
 * in argv of the first file, or -1 after printing the usage. */
static int read_args(int argc, char **argv, unsigned *shards, const char **work)
{
    static const struct option opts[] = {{"shards", required_argument, 0, 's'},
                                         {"batch", required_argument, 0, 'b'},
                                         {"batch-kb", required_argument, 0, 'k'},
                                         {"work", required_argument, 0, 'w'},
                                         {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "s:b:k:w:", opts, NULL)) != -1) {
        if (c == 's')
            *shards = (unsigned)atoi(optarg);
        else if (c == 'b')
            batch = (unsigned)atoi(optarg) ? (unsigned)atoi(optarg) : 1;
        else if (c == 'k')
            batch_bytes = (size_t)(atoi(optarg) > 0 ? atoi(optarg) : 1) * 1024;
        else if (c == 'w')
            *work = optarg;
        else
            optind = argc; /* --help or a bad option: the usage below */
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: bench_index [--shards N] [--batch N] [--batch-kb N] [--work DIR] "
                        "FILE.jsonl...\n");
        return -1;
    }
    if (!*shards) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        *shards = n > 1 ? (unsigned)n : 1;
    }
    return optind;
}

/* 1. ICU word breaking alone: its wall time, which the other rows are
 * compared with. */
static double time_icu(const corpus *co, double mb, breaker *br)
{
    size_t words = 0;
    double t = now(), ct = cpu_now();
    for (size_t i = 0; i < co->n; i++) {
        if (co->d[i]->title)
            words += icu_words(br->bi, co->d[i]->title, &br->buf, &br->cap, NULL, NULL);
        if (co->d[i]->body)
            words += icu_words(br->bi, co->d[i]->body, &br->buf, &br->cap, NULL, NULL);
    }
    double icu = now() - t;
    row("ICU word breaking alone (1 thread)", icu, cpu_now() - ct, mb, co->n, icu);
    (void)words;
    return icu;
}

/* 2. Wensuo's analysis alone; the terms it made. */
static size_t time_analysis(const corpus *co, double mb, double icu, const ws_lexicon *lex)
{
    ws_analyzer *a;
    ws_analyzer_new(lex, &a);
    size_t terms = 0;
    double t = now(), ct = cpu_now();
    for (size_t i = 0; i < co->n; i++) {
        uint32_t pos = 1;
        if (co->d[i]->title)
            ws_termgen_run(a, co->d[i]->title, strlen(co->d[i]->title), WS_FIELD_TITLE,
                           WS_ANALYZE_JOIN_LINES, &pos, count_term, &terms);
        pos = 1;
        if (co->d[i]->body)
            ws_termgen_run(a, co->d[i]->body, strlen(co->d[i]->body), WS_FIELD_BODY,
                           WS_ANALYZE_JOIN_LINES, &pos, count_term, &terms);
    }
    row("Wensuo analysis alone (1 thread)", now() - t, cpu_now() - ct, mb, co->n, icu);
    ws_analyzer_free(a);
    return terms;
}

/* 3. Plain ICU words into a Xapian database at dir, one thread, committed
 * as Wensuo's shards are. 0 with the time and the terms written, or -1. */
static int time_plain(const corpus *co, const char *dir, breaker *br, timed *out,
                      size_t *plain_terms)
{
    char errbuf[1024];
    ws_index *ix;
    if (ws_index_open_flags(dir, 1, WS_INDEX_BULK, &ix, errbuf, sizeof errbuf) != WS_OK) {
        fprintf(stderr, "%s\n", errbuf);
        return -1;
    }
    size_t since_bytes = 0;
    unsigned since = 0;
    double t = now(), ct = cpu_now();
    for (size_t i = 0; i < co->n; i++) {
        plain p = {0};
        if (co->d[i]->title)
            icu_words(br->bi, co->d[i]->title, &br->buf, &br->cap, collect, &p);
        if (co->d[i]->body)
            icu_words(br->bi, co->d[i]->body, &br->buf, &br->cap, collect, &p);
        *plain_terms += p.n;
        ws_index_put_terms(ix, co->d[i]->id, (const char *const *)p.terms, p.pos, p.n);
        for (size_t k = 0; k < p.n; k++)
            free(p.terms[k]);
        free(p.terms);
        free(p.pos);
        since_bytes += (co->d[i]->title ? strlen(co->d[i]->title) : 0) +
                       (co->d[i]->body ? strlen(co->d[i]->body) : 0);
        if (++since == batch || since_bytes >= batch_bytes) {
            since = 0;
            since_bytes = 0;
            ws_index_commit_all(ix);
        }
    }
    ws_index_close(ix);
    out->secs = now() - t;
    out->cpu = cpu_now() - ct;
    return 0;
}

/* 4. Wensuo's indexing into dir, one thread a shard. 0 with the time and
 * *failed set when a shard failed, or -1 when dir cannot be opened. */
static int time_wensuo(corpus *co, const char *dir, unsigned shards, const ws_lexicon *lex,
                       timed *out, int *failed)
{
    char errbuf[1024];
    ws_index *ix;
    if (ws_index_open_flags(dir, shards, WS_INDEX_BULK, &ix, errbuf, sizeof errbuf) != WS_OK) {
        fprintf(stderr, "%s\n", errbuf);
        return -1;
    }
    job *jobs = calloc(shards, sizeof *jobs);
    pthread_t *th = calloc(shards, sizeof *th);
    double t = now(), ct = cpu_now();
    for (unsigned s = 0; s < shards; s++) {
        jobs[s] = (job){co, ix, lex, s, WS_OK};
        pthread_create(&th[s], NULL, index_shard, &jobs[s]);
    }
    for (unsigned s = 0; s < shards; s++)
        pthread_join(th[s], NULL);
    ws_index_close(ix);
    out->secs = now() - t;
    out->cpu = cpu_now() - ct;
    for (unsigned s = 0; s < shards; s++)
        if (jobs[s].st != WS_OK)
            *failed = 1;
    free(jobs);
    free(th);
    return 0;
}

/* The index's size in bytes after compacting it. */
static unsigned long long compacted_size(const char *work, const char *name)
{
    char dir[4096], errbuf[1024];
    snprintf(dir, sizeof dir, "%s/%s", work, name);
    ws_index_compact(dir, errbuf, sizeof errbuf);
    return du(dir);
}

int main(int argc, char **argv)
{
    unsigned shards = 0;
    const char *work = "/tmp/wensuo-bench-index";
    int first = read_args(argc, argv, &shards, &work);
    if (first < 0)
        return 2;
    corpus co = {0};
    for (int i = first; i < argc; i++)
        if (ws_reader_read_file(argv[i], argv[i], keep, warn, &co) != WS_OK)
            return 1;
    double mb = co.bytes / 1e6;
    printf("corpus: %zu documents, %.1f MB of text; %u shards on %ld cores\n\n", co.n, mb, shards,
           sysconf(_SC_NPROCESSORS_ONLN));

    UErrorCode err = U_ZERO_ERROR;
    breaker br = {ubrk_open(UBRK_WORD, "zh", NULL, 0, &err), NULL, 0};
    double icu = time_icu(&co, mb, &br);
    char errbuf[1024];
    ws_lexicon *lex;
    if (ws_lexicon_open_default(NULL, NULL, &lex, errbuf, sizeof errbuf) != WS_OK) {
        fprintf(stderr, "%s\n", errbuf);
        return 1;
    }
    size_t terms = time_analysis(&co, mb, icu, lex);

    char dir[4096];
    snprintf(dir, sizeof dir, "rm -rf '%s' && mkdir -p '%s'", work, work);
    if (system(dir) != 0)
        return 1;
    snprintf(dir, sizeof dir, "%s/plain", work);
    timed plain_t;
    size_t plain_terms = 0;
    if (time_plain(&co, dir, &br, &plain_t, &plain_terms) != 0)
        return 1;
    row("Xapian fed plain ICU words (1 thread)", plain_t.secs, plain_t.cpu, mb, co.n, icu);
    unsigned long long plain_raw = du(dir);

    snprintf(dir, sizeof dir, "%s/wensuo", work);
    timed ws_t;
    int failed = 0;
    if (time_wensuo(&co, dir, shards, lex, &ws_t, &failed) != 0)
        return 1;
    char what[64];
    snprintf(what, sizeof what, "Wensuo indexing (%u threads)", shards);
    row(what, ws_t.secs, ws_t.cpu, mb, co.n, icu);
    unsigned long long ws_raw = du(dir);

    unsigned long long ws_comp = compacted_size(work, "wensuo");
    unsigned long long plain_comp = compacted_size(work, "plain");
    printf("\n%-38s %8.1f MB raw %8.1f MB compacted (%.2fx the text)\n", "plain ICU words index",
           plain_raw / 1e6, plain_comp / 1e6, plain_comp / 1e6 / mb);
    printf("%-38s %8.1f MB raw %8.1f MB compacted (%.2fx the text)\n", "Wensuo index", ws_raw / 1e6,
           ws_comp / 1e6, ws_comp / 1e6 / mb);
    printf("\nterms per document: plain ICU %.0f, Wensuo %.0f (words, characters, pairs)\n",
           (double)plain_terms / co.n, (double)terms / co.n);
    printf("Wensuo indexing / plain ICU words into Xapian: %.2fx the time, %.2fx the CPU "
           "(batch %u documents or %zu KB)\n",
           ws_t.secs / plain_t.secs, ws_t.cpu / plain_t.cpu, batch, batch_bytes / 1024);
    ubrk_close(br.bi);
    free(br.buf);
    for (size_t i = 0; i < co.n; i++)
        ws_doc_free(co.d[i]);
    free(co.d);
    ws_lexicon_free(lex);
    return failed;
}
