/* word_counts.c - word frequencies for the segmenter, estimated from text.
 *
 * friso-dict lists words without frequencies, so the segmenter cannot weigh
 * 新世纪 against 新 + 世纪 by how often each occurs. This tool estimates the
 * frequencies without supervision (Viterbi EM): it segments in-domain text
 * with the analyzer, counts the lexicon words on the paths it takes, loads
 * those counts into the lexicon (ws_lexicon_load_counts: the segmenter then
 * takes the most probable path of a unigram model) and segments again, as
 * many times as asked. It writes "word TAB count" lines, most frequent first,
 * which is what the lexicon loads (indexer/data/word_counts.tsv).
 *
 *   word_counts [-i ITERATIONS] [-m MIN_COUNT] [-o FILE] FILE...
 *
 * Each FILE is JSON lines as tools/import_*.py write them (title and body
 * are read; an article beside its whole law, a record with "law_id", is
 * skipped so that laws count once) or plain text. Counted: every token of
 * the analyzer's CJK words that is a lexicon word or a single character; ICU's
 * own words and numerals have fixed costs and are not counted. The first pass
 * uses the fixed costs; the built-in counts and $WENSUO_USER_DICT are ignored
 * throughout, so that the result depends on the lexicon and the text only.
 * MIN_COUNT (default 2) drops rarer words from the output; they count as
 * unseen. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "analyzer.h"
#include "collection.h"
#include "lexicon.h"

#define MAX_TEXTS_BYTES (4ull << 30) /* all the text is held in memory */

typedef struct text {
    size_t off, len;
} text;

typedef struct corpus {
    char *buf;
    size_t len, cap;
    text *t;
    size_t n, ncap;
} corpus;

typedef struct entry {
    uint32_t off, len, hash;
    uint64_t count;
} entry;

typedef struct counts {
    entry *e;
    size_t nslots, nused;
    char *keys;
    size_t klen, kcap;
    uint64_t total;
} counts;

static void die(const char *what)
{
    fprintf(stderr, "word_counts: %s\n", what);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        die("out of memory");
    return p;
}

/* ---- the text ---- */

static void add_text(void *ctx, const char *s, size_t len)
{
    corpus *c = ctx;
    if (len == 0)
        return;
    if (c->len + len > MAX_TEXTS_BYTES)
        die("more text than 4 GB");
    if (c->len + len > c->cap) {
        c->cap = (c->len + len) * 2;
        c->buf = xrealloc(c->buf, c->cap);
    }
    if (c->n == c->ncap) {
        c->ncap = c->ncap ? c->ncap * 2 : 4096;
        c->t = xrealloc(c->t, c->ncap * sizeof *c->t);
    }
    memcpy(c->buf + c->len, s, len);
    c->t[c->n++] = (text){c->len, len};
    c->len += len;
}

/* ---- counting ---- */

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h ? h : 1;
}

static void counts_init(counts *k)
{
    memset(k, 0, sizeof *k);
    k->nslots = 1 << 18;
    k->e = calloc(k->nslots, sizeof *k->e);
    if (!k->e)
        die("out of memory");
}

static entry *slot_of(counts *k, const char *s, size_t n, uint32_t h)
{
    size_t mask = k->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        entry *e = &k->e[i];
        if (!e->hash || (e->hash == h && e->len == n && !memcmp(k->keys + e->off, s, n)))
            return e;
    }
}

static void count(counts *k, const char *s, size_t n)
{
    uint32_t h = hash_bytes(s, n);
    entry *e = slot_of(k, s, n, h);
    k->total++;
    if (e->hash) {
        e->count++;
        return;
    }
    if (k->klen + n > k->kcap) {
        k->kcap = (k->klen + n) * 2 + 4096;
        k->keys = xrealloc(k->keys, k->kcap);
    }
    memcpy(k->keys + k->klen, s, n);
    *e = (entry){(uint32_t)k->klen, (uint32_t)n, h, 1};
    k->klen += n;
    if (++k->nused * 2 > k->nslots) {
        entry *old = k->e;
        size_t oldn = k->nslots;
        k->nslots *= 2;
        k->e = calloc(k->nslots, sizeof *k->e);
        if (!k->e)
            die("out of memory");
        for (size_t i = 0; i < oldn; i++)
            if (old[i].hash)
                *slot_of(k, k->keys + old[i].off, old[i].len, old[i].hash) = old[i];
        free(old);
    }
}

static void counts_free(counts *k)
{
    free(k->e);
    free(k->keys);
}

static ws_status on_token(void *ctx, const ws_token *t)
{
    if (t->kind == WS_TOKEN_HAN &&
        (t->nchars == 1 || (t->lexflags & (WS_LEX_WORD | WS_LEX_STOP | WS_LEX_UNIT))))
        count(ctx, t->text, t->len);
    return WS_OK;
}

static const counts *sorting;

static int by_count(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(sorting->keys + a->off, sorting->keys + b->off, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

static void write_counts(counts *k, const char *path, uint64_t min, const char *header)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t n = 0;
    for (size_t i = 0; i < k->nslots; i++)
        if (k->e[i].hash && k->e[i].count >= min)
            k->e[n++] = k->e[i];
    sorting = k;
    qsort(k->e, n, sizeof *k->e, by_count);
    if (header)
        fputs(header, f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%.*s\t%llu\n", (int)k->e[i].len, k->keys + k->e[i].off,
                (unsigned long long)k->e[i].count);
    if (fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    fprintf(stderr, "  %zu words of %llu tokens written to %s\n", n, (unsigned long long)k->total,
            path);
}

/* ---- one pass ---- */

static void pass(const corpus *c, const char *prev, counts *k)
{
    ws_lexicon *lex;
    ws_analyzer *an;
    char err[512];
    if (ws_lexicon_open_default(NULL, NULL, &lex, err, sizeof err) != WS_OK)
        die(err);
    if (prev && ws_lexicon_load_counts(lex, prev) != WS_OK)
        die("cannot read the counts of the pass before");
    if (ws_analyzer_new(lex, &an) != WS_OK)
        die("cannot make an analyzer");
    counts_init(k);
    for (size_t i = 0; i < c->n; i++) {
        uint32_t pos = 0;
        ws_status st = ws_analyzer_run(an, c->buf + c->t[i].off, c->t[i].len, WS_ANALYZE_JOIN_LINES,
                                       &pos, on_token, k);
        if (st != WS_OK)
            die(ws_status_to_string(st));
    }
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
}

static void usage(void)
{
    fputs("usage: word_counts [-i ITERATIONS] [-m MIN_COUNT] [-o FILE] FILE...\n"
          "  -i  passes after the first, each with the counts of the one before (default 2)\n"
          "  -m  leave out words counted fewer times (default 2)\n"
          "  -o  the counts file (default: standard output)\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    int iterations = 2;
    unsigned long long min = 2;
    const char *out = "/dev/stdout";
    int opt;
    while ((opt = getopt(argc, argv, "i:m:o:")) != -1) {
        if (opt == 'i')
            iterations = atoi(optarg);
        else if (opt == 'm')
            min = strtoull(optarg, NULL, 10);
        else if (opt == 'o')
            out = optarg;
        else
            usage();
    }
    if (optind >= argc || iterations < 0 || iterations > 20)
        usage();
    /* The result must depend on the lexicon and the text alone. */
    setenv("WENSUO_WORD_COUNTS", "", 1);
    unsetenv("WENSUO_USER_DICT");

    corpus c = {0};
    for (int i = optind; i < argc; i++)
        if (ws_collection_read(argv[i], add_text, &c) != 0)
            exit(1);
    fprintf(stderr, "word_counts: %zu texts, %.1f MB\n", c.n, c.len / 1e6);

    char tmp[] = "/tmp/word_counts_XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0)
        die("cannot make a temporary file");
    close(fd);
    for (int it = 0; it <= iterations; it++) {
        counts k;
        clock_t t0 = clock();
        pass(&c, it ? tmp : NULL, &k);
        fprintf(stderr, "pass %d: %.1f s\n", it + 1, (double)(clock() - t0) / CLOCKS_PER_SEC);
        if (it < iterations) {
            write_counts(&k, tmp, 1, NULL);
        } else {
            char header[4096], files[2048];
            ws_collection_names(files, sizeof files, argv + optind, argc - optind);
            snprintf(header, sizeof header,
                     "# Word counts for Wensuo's segmenter (lexicon.h), by tools/word_counts:\n"
                     "# %d passes of Viterbi EM over %zu texts (%.1f MB); %llu tokens;\n"
                     "# words counted fewer than %llu times left out. From:%s\n",
                     iterations + 1, c.n, c.len / 1e6, (unsigned long long)k.total, min, files);
            write_counts(&k, out, min, header);
        }
        counts_free(&k);
    }
    unlink(tmp);
    free(c.buf);
    free(c.t);
    return 0;
}
