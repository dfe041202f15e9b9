/* test_wordcache.c - the word lists held in memory (searcher/search/
 * wordcache.h) count what the lists in the index count. The bundled sample
 * corpus (corpus/: laws, news, policy, web pages; Simplified and
 * Traditional, Latin words, numbers, stop words, titles) goes into a
 * three-shard index, each file twice (once with its word list, once
 * without) and a few deleted. Then:
 * - every listed document's copy holds the words its list in the index
 *   holds (text, place, stop word), and the unlisted ones none;
 * - collocates (wincount.h counts them from the copy) give the very answer
 *   the lists in the index give, for words, phrases, Latin words, OR,
 *   proximities, fields and filters, windows 1 to 10, with 1, 2 and 3
 *   threads;
 * - an export's lines made from the copy's rows are the index's;
 * - a shard written after the copy is read from the index (its copy is of
 *   another revision) and the answer is still the index's; refreshed, the
 *   copy is used again;
 * - a cache allowed less memory than every shard takes holds none (not
 *   some: a request reads the copies only when it has all), and the
 *   answers stay the index's; a cancelled one stops copying. */
#include "check.h"
#include "analyzer.h"
#include "collocates.h"
#include "engine.h"
#include "export.h"
#include "fixture.h"
#include "index.h"
#include "lexicon.h"
#include "cachesweep.h"
#include "listed.h"
#include "search.h"
#include "search_int.h"
#include "wordcache.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define NSHARDS 3
#define MAXDOCS 64

static char *texts[MAXDOCS], *titles[MAXDOCS];
static size_t ntexts;

/* The bundled corpus, and a few documents made here. */
static void read_corpus(void)
{
    ntexts = ws_fixture_corpus(texts, titles, MAXDOCS - 3);
    CHECK(ntexts >= 15);
    /* words far from even in length: a run of long Latin words, then
     * Chinese text, so that where an occurrence falls in the text is no
     * guide to its word (wincount.c looks for it from there) */
    size_t cap = 200000;
    char *skew = malloc(cap);
    size_t n = 0;
    for (int i = 0; i < 3000; i++)
        n += (size_t)snprintf(skew + n, cap - n, "internationalization%d ", i);
    for (int i = 0; i < 400 && n + 200 < cap; i++)
        n += (size_t)snprintf(skew + n, cap - n, "推进数据管理%s，促进经济发展。",
                              i % 7 ? "" : "的规定");
    texts[ntexts] = skew;
    titles[ntexts++] = strdup("数据管理 skewed");
    /* and the other way round: the Chinese text first */
    char *back = malloc(cap);
    n = 0;
    for (int i = 0; i < 400 && n + 200 < cap; i++)
        n += (size_t)snprintf(back + n, cap - n, "推进数据管理%s，促进经济发展。",
                              i % 5 ? "" : "的规定");
    for (int i = 0; i < 3000 && n + 40 < cap; i++)
        n += (size_t)snprintf(back + n, cap - n, "internationalization%d ", i);
    texts[ntexts] = back;
    titles[ntexts++] = strdup("skewed 数据管理");
    /* a title that CSV must quote and disarm (the copy keeps its row as
     * CSV cells: they are the cells the index's row makes) */
    texts[ntexts] = strdup("推进数据管理，促进经济发展。");
    titles[ntexts++] = strdup("=HYPERLINK(\"x\"),数据管理\r\n\"发展\"");
}

static void put(const char *dir, ws_analyzer *an, unsigned flags, const char *suffix, size_t from,
                size_t to)
{
    char err[512];
    ws_index *ix = NULL;
    CHECK_INT(ws_index_open_flags(dir, NSHARDS, flags, &ix, err, sizeof err), WS_OK);
    for (size_t i = from; ix && i < to; i++) {
        char id[64];
        snprintf(id, sizeof id, "c%zu%s", i, suffix);
        ws_doc *d = ws_fixture_doc(id, titles[i], texts[i], i % 2 ? "2023-05-01" : "2021-01-09",
                                   i % 3 ? "江川" : "临江", i % 2 ? "law" : "news");
        CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    }
    if (ix && flags) {
        CHECK_INT(ws_index_delete(ix, "c3"), WS_OK);
        CHECK_INT(ws_index_delete(ix, "c8-plain"), WS_OK);
    }
    if (ix)
        CHECK_INT(ws_index_close(ix), WS_OK);
}

/* ---- the copy holds the index's words ---- */

typedef struct seen {
    size_t cached, words;
} seen;

static ws_status compare(void *ctx, size_t i, const ws_wordfield wf[2], const ws_wordcached *cw)
{
    (void)i;
    seen *s = ctx;
    CHECK(cw != NULL);
    if (!cw)
        return WS_OK;
    s->cached++;
    const uint32_t *len = ws_wordshard_lengths(cw->shard);
    for (int f = 0; f < 2; f++) {
        ws_word *w = NULL;
        size_t cap = 0, n = 0;
        CHECK_INT(ws_wordfield_words(&wf[f], &w, &cap, &n), WS_OK);
        CHECK_INT(cw->n[f], n);
        CHECK(cw->wf[f].text == wf[f].text && cw->wf[f].len == wf[f].len);
        for (size_t j = 0; j < n && j < cw->n[f]; j++) {
            uint32_t id = cw->id[f][j] & ~WS_WORDCACHE_STOP;
            size_t wl = 0;
            const char *word = ws_wordshard_word(cw->shard, id, &wl);
            CHECK_INT(cw->start[f][j], w[j].start);
            CHECK_INT(len[id], w[j].end - w[j].start);
            CHECK(wl == w[j].end - w[j].start && !memcmp(word, wf[f].text + w[j].start, wl));
            CHECK_INT(!!(cw->id[f][j] & WS_WORDCACHE_STOP), !!w[j].stop);
            s->words++;
        }
        free(w);
    }
    return WS_OK;
}

/* Every document of db, read from its cache: each listed one compared. */
static void test_copy(ws_db *db, size_t listed)
{
    unsigned last = (unsigned)(NSHARDS * (2 * ntexts + 2)), *docid = malloc(last * sizeof *docid);
    unsigned char *unlisted = malloc(last);
    for (unsigned d = 0; d < last; d++)
        docid[d] = d + 1;
    seen s[3] = {{0, 0}, {0, 0}, {0, 0}};
    void *ctx[3] = {&s[0], &s[1], &s[2]};
    const ws_wordshard *shard[WS_VALUESWEEP_MAX_SHARDS];
    unsigned ns = 0;
    CHECK(ws_cachesweep_hold(db, shard, &ns));
    CHECK_INT(ns, NSHARDS);
    if (ns) {
        CHECK_INT(ws_listed_each_held(db, shard, ns, docid, last, compare, ctx, 3, unlisted),
                  WS_OK);
        ws_cachesweep_release(db, shard, ns);
    }
    CHECK_INT(s[0].cached + s[1].cached + s[2].cached, listed);
    fprintf(stderr, "%zu words compared\n", s[0].words + s[1].words + s[2].words);
    CHECK(s[0].words + s[1].words + s[2].words > 3000);
    free(unlisted);
    free(docid);
}

/* ---- the same exports ---- */

/* The whole export of q by s, as one string (or its status). */
static char *export_of(ws_searcher *s, const char *q, ws_export_format f, const char *const *fields)
{
    ws_export_opts o = {.format = f, .fields = fields};
    o.s.query = q;
    ws_export *e = NULL;
    ws_status st = ws_export_open(s, &o, &e);
    size_t len = 0;
    char *all = calloc(1, 1);
    for (char *piece = NULL; st == WS_OK; free(piece)) {
        size_t n = 0;
        if ((st = ws_export_next(e, &piece, &n)) != WS_OK || !n)
            break;
        all = realloc(all, len + n + 1);
        memcpy(all + len, piece, n);
        all[len += n] = '\0';
    }
    ws_export_free(e);
    if (st != WS_OK) {
        all = realloc(all, 64);
        snprintf(all, 64, "status %d", (int)st);
    }
    return all;
}

/* The rows (export.h) read from the cache make the lines the index's make. */
static void same_exports(ws_searcher *cached, ws_searcher *plain, const char *when)
{
    static const char *const qs[] = {"发展", "管理 OR 数据", "title:条例", "的"};
    static const char *const body[] = {"body", NULL};
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++)
        for (int f = WS_EXPORT_CSV; f <= WS_EXPORT_JSONL; f++)
            for (int k = 0; k < 2; k++) {
                char *a = export_of(cached, qs[i], (ws_export_format)f, k ? body : NULL);
                char *b = export_of(plain, qs[i], (ws_export_format)f, k ? body : NULL);
                if (strcmp(a, b))
                    fprintf(stderr, "%s: export of %s (%d, %d) differs:\n%.300s\n%.300s\n", when,
                            qs[i], f, k, a, b);
                CHECK(!strcmp(a, b));
                CHECK(i == 3 || strlen(a) > 200);
                free(a);
                free(b);
            }
}

/* ---- the same answers ---- */

typedef struct ask {
    const char *q, *source, *from;
    unsigned window, min_count;
} ask;

static const ask asks[] = {
    {"发展", NULL, NULL, 5, 0},
    {"管理", NULL, NULL, 1, 0},
    {"数据", NULL, NULL, 10, 0},
    {"人民政府", NULL, NULL, 3, 0},
    {"城市 OR 农田", NULL, NULL, 5, 2},
    {"\"数字 经济\"", NULL, NULL, 5, 0},
    {"5g", NULL, NULL, 4, 0},
    {"covid-19", NULL, NULL, 5, 0},
    {"管理 NEAR/8 数据", NULL, NULL, 5, 0},
    {"发展 SENTENCE 经济", NULL, NULL, 2, 0},
    {"保护 PARAGRAPH 环境", NULL, NULL, 5, 0},
    {"title:条例", NULL, NULL, 5, 0},
    {"的", NULL, NULL, 5, 0},
    {"規定", NULL, NULL, 5, 0},
    {"发展", "江川", "2022", 5, 0},
    {"市 -城市", NULL, NULL, 6, 0},
};

/* Every ask's answer by s, as text (or its status). */
static void answers(ws_searcher *s, char **out)
{
    for (size_t i = 0; i < sizeof asks / sizeof *asks; i++) {
        ws_coll_opts o = {.window = asks[i].window, .limit = 1000, .min_count = asks[i].min_count};
        o.s.query = asks[i].q;
        o.s.source = asks[i].source;
        o.s.from = asks[i].from;
        json_t *j = NULL;
        ws_status st = ws_collocates_json(s, &o, &j);
        char *text = j ? json_dumps(j, JSON_SORT_KEYS) : NULL;
        if (!text) {
            text = malloc(64);
            snprintf(text, 64, "status %d", (int)st);
        }
        out[i] = text;
        json_decref(j);
    }
}

static void same_answers(ws_searcher *cached, ws_searcher *plain, const char *when)
{
    enum { N = sizeof asks / sizeof *asks };
    char *a[N], *b[N];
    static const char *const threads[] = {"1", "2", "3"};
    for (size_t t = 0; t < 3; t++) {
        setenv(WS_LISTED_THREADS_ENV, threads[t], 1);
        answers(cached, a);
        answers(plain, b);
        for (size_t i = 0; i < N; i++) {
            if (strcmp(a[i], b[i]))
                fprintf(stderr, "%s, %s threads, %s:\n  cached %.300s\n  index  %.300s\n", when,
                        threads[t], asks[i].q, a[i], b[i]);
            CHECK(!strcmp(a[i], b[i]));
            CHECK(t || strncmp(a[i], "status", 6) || i == 12); /* the stop word has none */
            free(a[i]);
            free(b[i]);
        }
    }
    unsetenv(WS_LISTED_THREADS_ENV);
}

int main(void)
{
    unsetenv("WENSUO_USER_DICT");
    unsetenv(WS_LISTED_THREADS_ENV);
    char err[512] = "", dir[WS_FIXTURE_PATH];
    ws_lexicon *lex = NULL;
    ws_analyzer *an = ws_fixture_analyzer(&lex);
    ws_fixture_tmpdir(dir, sizeof dir, "wordcache");
    read_corpus();
    put(dir, an, 0, "", 0, ntexts);
    put(dir, an, WS_INDEX_NO_WORDS, "-plain", 0, ntexts);
    size_t listed = ntexts - 1; /* c3 deleted */

    ws_searcher *cached = NULL, *plain = NULL;
    ws_db *keeper = NULL;
    ws_wordcache *wc = NULL;
    CHECK_INT(ws_searcher_open(dir, lex, NULL, &cached, err, sizeof err), WS_OK);
    CHECK_INT(ws_searcher_open(dir, lex, NULL, &plain, err, sizeof err), WS_OK);
    CHECK_INT(ws_db_open(dir, &keeper, err, sizeof err), WS_OK);
    CHECK_INT(ws_wordcache_new((size_t)1 << 30, &wc), WS_OK);
    if (cached && plain && keeper && wc) {
        unsigned made = 0;
        CHECK_INT(ws_wordcache_refresh(wc, keeper, &made), WS_OK);
        CHECK_INT(made, NSHARDS);
        CHECK_INT(ws_wordcache_refresh(wc, keeper, &made), WS_OK);
        CHECK_INT(made, 0); /* nothing moved */
        ws_wordcache_stats ss;
        ws_wordcache_stat(wc, &ss);
        CHECK_INT(ss.shards, NSHARDS);
        CHECK_INT(ss.documents, listed);
        ws_searcher_set_words(cached, wc);
        test_copy(ws__searcher_db(cached), listed);
        same_answers(cached, plain, "at the copy's revision");
        same_exports(cached, plain, "at the copy's revision");

        /* one shard written since: its copy is of another revision */
        ws_index *ix = NULL;
        CHECK_INT(ws_index_open_flags(dir, NSHARDS, 0, &ix, err, sizeof err), WS_OK);
        if (ix) {
            ws_doc *d = ws_fixture_doc("new", "发展管理数据", "数据管理促进发展。发展数据管理。",
                                       "2024-01-01", "江川", "news");
            CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
            CHECK_INT(ws_index_close(ix), WS_OK);
        }
        CHECK_INT(ws_searcher_reopen(cached), WS_OK);
        CHECK_INT(ws_searcher_reopen(plain), WS_OK);
        const ws_wordshard *shard[WS_VALUESWEEP_MAX_SHARDS];
        unsigned ns = 0;
        CHECK(!ws_cachesweep_hold(ws__searcher_db(cached), shard, &ns));
        same_answers(cached, plain, "a shard written since");
        same_exports(cached, plain, "a shard written since");
        CHECK_INT(ws_db_reopen(keeper, NULL), WS_OK);
        CHECK_INT(ws_wordcache_refresh(wc, keeper, &made), WS_OK);
        CHECK_INT(made, 1);
        CHECK(ws_cachesweep_hold(ws__searcher_db(cached), shard, &ns));
        ws_cachesweep_release(ws__searcher_db(cached), shard, ns);
        test_copy(ws__searcher_db(cached), listed + 1);
        same_answers(cached, plain, "refreshed");
        same_exports(cached, plain, "refreshed");

        /* room for some shards but not every one: none kept (a request
         * reads the copies only when there is one of each), and not tried
         * again until the index moves; answers the same */
        ws_wordcache_stat(wc, &ss);
        ws_wordcache *small = NULL;
        CHECK_INT(ws_wordcache_new((size_t)(ss.bytes / NSHARDS * 2), &small), WS_OK);
        CHECK_INT(ws_wordcache_refresh(small, keeper, &made), WS_ETOOBIG);
        ws_wordcache_stat(small, &ss);
        CHECK_INT(ss.shards, 0);
        CHECK_INT(ss.bytes, 0);
        CHECK_INT(ws_wordcache_refresh(small, keeper, &made), WS_OK);
        CHECK_INT(made, 0);
        ws_wordcache_stat(small, &ss);
        CHECK_INT(ss.shards, 0);
        ws_searcher_set_words(cached, small);
        CHECK(!ws_cachesweep_hold(ws__searcher_db(cached), shard, &ns));
        same_answers(cached, plain, "no room");
        ws_searcher_set_words(cached, NULL);
        ws_wordcache_free(small);

        /* cancelled (a daemon stopping): the copy stops, none kept */
        ws_wordcache *stopped = NULL;
        CHECK_INT(ws_wordcache_new((size_t)1 << 30, &stopped), WS_OK);
        ws_wordcache_cancel(stopped);
        CHECK_INT(ws_wordcache_refresh(stopped, keeper, &made), WS_ETIMEOUT);
        ws_wordcache_stat(stopped, &ss);
        CHECK_INT(ss.shards, 0);
        ws_wordcache_free(stopped);
    }
    ws_searcher_close(cached);
    ws_searcher_close(plain);
    ws_wordcache_free(wc);
    ws_db_close(keeper);
    for (size_t i = 0; i < ntexts; i++) {
        free(texts[i]);
        free(titles[i]);
    }
    CHECK(ws_fixture_remove(dir) == 0);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    CHECK_DONE();
}
