/* test_listed.c - the word lists of many documents read at once
 * (searcher/search/listed.h), a thread a share of the shards. An index of
 * three shards holds documents with lists, documents made without
 * (WS_INDEX_NO_WORDS) and documents deleted since; with one, two and three
 * threads, ws_listed_count gives each listed document the count of a
 * pattern that a substring count of its text gives, and WS_LISTED_UNKNOWN
 * to each other, wherever it stands in the docids asked; ws_listed_each
 * calls its function once for each listed document, from the thread that
 * owns its shard (the calling thread the first), and a failure in one
 * thread is what it returns. */
#include "check.h"
#include "analyzer.h"
#include "engine.h"
#include "fixture.h"
#include "index.h"
#include "lexicon.h"
#include "listed.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define NLISTED 900
#define NPLAIN  300
#define NDOCS   (NLISTED + NPLAIN)
#define NSHARDS 3

static const char *const deleted[] = {"d7", "d450", "d1010"};

static char bodies[NDOCS][512];
static unsigned expect_of[NDOCS]; /* of 政府, by a substring count */

/* Bodies of phrases drawn by a fixed LCG: 政府 0 to 7 times, beside words
 * that hold parts of it (政务, 府) and none. */
static void make_bodies(void)
{
    static const char *const parts[] = {"人民政府", "依法行政", "政务公开", "经济发展", "。",
                                        "，",       "府院",     "政府工作", "报告"};
    unsigned x = 12345;
    for (int i = 0; i < NDOCS; i++) {
        char *b = bodies[i];
        b[0] = '\0';
        int n = 1 + (int)((x = x * 1103515245u + 12345u) >> 16) % 12;
        for (int k = 0; k < n; k++) {
            x = x * 1103515245u + 12345u;
            strcat(b, parts[(x >> 16) % (sizeof parts / sizeof *parts)]);
        }
        unsigned c = 0;
        for (const char *at = b; (at = strstr(at, "政府")); at += strlen("政府"))
            c++;
        expect_of[i] = c;
    }
}

static int is_deleted(const char *id)
{
    for (size_t k = 0; k < sizeof deleted / sizeof *deleted; k++)
        if (!strcmp(id, deleted[k]))
            return 1;
    return 0;
}

static void put_docs(const char *dir, ws_analyzer *an, int from, int to, unsigned flags)
{
    char err[512];
    ws_index *ix = NULL;
    CHECK_INT(ws_index_open_flags(dir, NSHARDS, flags, &ix, err, sizeof err), WS_OK);
    for (int i = from; ix && i < to; i++) {
        char id[16];
        snprintf(id, sizeof id, "d%d", i);
        ws_doc *d = ws_fixture_doc(id, "通知", bodies[i], NULL, NULL, NULL);
        CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    }
    if (flags & WS_INDEX_NO_WORDS)
        for (size_t k = 0; ix && k < sizeof deleted / sizeof *deleted; k++)
            CHECK_INT(ws_index_delete(ix, deleted[k]), WS_OK);
    if (ix)
        CHECK_INT(ws_index_close(ix), WS_OK);
}

/* Which document (by its number in bodies) each docid 1..last is; -1 for
 * one deleted. */
static int *docs_by_docid(ws_db *db, unsigned last)
{
    int *of = calloc(last + 1, sizeof *of);
    for (unsigned d = 1; d <= last; d++) {
        char *data = NULL;
        of[d] = -1;
        if (ws_db_data(db, d, &data) != WS_OK)
            continue;
        json_t *j = json_loads(data, 0, NULL);
        const char *id = json_string_value(json_object_get(j, "id"));
        if (id && id[0] == 'd')
            of[d] = atoi(id + 1);
        CHECK(id && !is_deleted(id));
        json_decref(j);
        free(data);
    }
    return of;
}

typedef struct seen {
    pthread_t self;
    unsigned *calls; /* per index asked */
    unsigned *owner; /* per index: which ctx read it */
    unsigned t;      /* this ctx */
    const unsigned *docid;
    long fail_at;         /* return WS_EINVAL at this index (-1: never) */
    size_t damaged_every; /* WS_ENOTFOUND at each index it divides (0: never) */
} seen;

static ws_status note(void *ctx, size_t i, const ws_wordfield wf[2], const ws_wordcached *cw)
{
    seen *s = ctx;
    (void)cw;
    s->self = pthread_self();
    s->calls[i]++;
    s->owner[i] = s->t;
    (void)wf;
    if (s->damaged_every && i % s->damaged_every == 0)
        return WS_ENOTFOUND; /* as a list whose words do not read */
    return (long)i == s->fail_at ? WS_EINVAL : WS_OK;
}

static void test_each(ws_db *db, const unsigned *docid, size_t n, const int *of)
{
    unsigned *calls = calloc(n, sizeof *calls), *owner = calloc(n, sizeof *owner);
    unsigned char *unlisted = calloc(n, 1);
    seen s[NSHARDS];
    void *ctx[NSHARDS];
    for (unsigned t = 0; t < NSHARDS; t++) {
        s[t] = (seen){0, calls, owner, t, docid, -1, 0};
        ctx[t] = &s[t];
    }
    setenv(WS_LISTED_THREADS_ENV, "2", 1);
    CHECK_INT(ws_listed_threads(db, n), 2);
    CHECK_INT(ws_listed_each(db, docid, n, note, ctx, NSHARDS, unlisted), WS_OK);
    size_t wrong = 0, listed = 0;
    int shard_owner[NSHARDS] = {-1, -1, -1};
    for (size_t i = 0; i < n; i++) {
        int k = of[docid[i]];
        int has = k >= 0 && k < NLISTED;
        listed += has;
        wrong += unlisted[i] != !has || calls[i] != (unsigned)has;
        unsigned sh = (docid[i] - 1) % NSHARDS;
        if (has && shard_owner[sh] < 0)
            shard_owner[sh] = (int)owner[i];
        wrong += has && shard_owner[sh] != (int)owner[i];
    }
    CHECK_INT(wrong, 0);
    CHECK(listed >= NLISTED - 2);
    /* two threads over three shards: one reads two of them, the calling
     * thread one of its own */
    CHECK(shard_owner[0] != shard_owner[1] && shard_owner[0] == shard_owner[2]);
    CHECK(pthread_equal(s[0].self, pthread_self()));
    CHECK(!pthread_equal(s[1].self, pthread_self()));

    /* a list the function finds damaged is a document without one */
    for (unsigned t = 0; t < NSHARDS; t++)
        s[t].damaged_every = 5;
    CHECK_INT(ws_listed_each(db, docid, n, note, ctx, NSHARDS, unlisted), WS_OK);
    wrong = 0;
    for (size_t i = 0; i < n; i++) {
        int k = of[docid[i]];
        int has = k >= 0 && k < NLISTED && i % 5;
        wrong += unlisted[i] != !has;
    }
    CHECK_INT(wrong, 0);
    for (unsigned t = 0; t < NSHARDS; t++)
        s[t].damaged_every = 0;

    /* a failure in the thread of another shard is the answer */
    for (size_t i = 0; i < n; i++)
        if ((docid[i] - 1) % NSHARDS == 1 && of[docid[i]] >= 0 && of[docid[i]] < NLISTED) {
            for (unsigned t = 0; t < NSHARDS; t++)
                s[t].fail_at = (long)i;
            break;
        }
    CHECK_INT(ws_listed_each(db, docid, n, note, ctx, NSHARDS, unlisted), WS_EINVAL);
    unsetenv(WS_LISTED_THREADS_ENV);
    free(calls);
    free(owner);
    free(unlisted);
}

static void test_count(ws_db *db, const unsigned *docid, size_t n, const int *of)
{
    char pat[] = "政府";
    ws_occ_pattern p = {.text = pat, .len = strlen(pat)};
    ws_occ_patterns ps = {.p = &p, .n = 1};
    /* asked in falling docid order: the counts still land in place */
    unsigned *down = malloc(n * sizeof *down), *counts = malloc(n * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        down[i] = docid[n - 1 - i];
    for (int threads = 1; threads <= NSHARDS; threads++) {
        char v[8];
        snprintf(v, sizeof v, "%d", threads);
        setenv(WS_LISTED_THREADS_ENV, v, 1);
        CHECK_INT(ws_listed_threads(db, n), threads);
        memset(counts, 0, n * sizeof *counts);
        CHECK_INT(ws_listed_count(db, &ps, down, n, counts), WS_OK);
        size_t wrong = 0, some = 0;
        for (size_t i = 0; i < n; i++) {
            int k = of[down[i]];
            unsigned want = k >= 0 && k < NLISTED ? expect_of[k] : WS_LISTED_UNKNOWN;
            wrong += counts[i] != want;
            some += want != WS_LISTED_UNKNOWN && want > 0;
        }
        if (wrong)
            fprintf(stderr, "%d threads: %zu counts wrong\n", threads, wrong);
        CHECK_INT(wrong, 0);
        CHECK(some > NLISTED / 3);
    }
    unsetenv(WS_LISTED_THREADS_ENV);
    /* by default, a few documents are read by one thread */
    CHECK_INT(ws_listed_threads(db, 10), 1);
    free(down);
    free(counts);
}

int main(void)
{
    unsetenv("WENSUO_USER_DICT");
    unsetenv(WS_LISTED_THREADS_ENV);
    char err[512] = "", dir[WS_FIXTURE_PATH];
    ws_lexicon *lex = NULL;
    ws_analyzer *an = ws_fixture_analyzer(&lex);
    ws_fixture_tmpdir(dir, sizeof dir, "listed");
    make_bodies();
    put_docs(dir, an, 0, NLISTED, 0);
    put_docs(dir, an, NLISTED, NDOCS, WS_INDEX_NO_WORDS);
    ws_db *db = NULL;
    CHECK_INT(ws_db_open(dir, &db, err, sizeof err), WS_OK);
    if (db) {
        /* every docid there may be, the deleted ones among them */
        unsigned last = NSHARDS * NDOCS, *docid = malloc(last * sizeof *docid);
        for (unsigned d = 0; d < last; d++)
            docid[d] = d + 1;
        int *of = docs_by_docid(db, last);
        size_t found = 0;
        for (unsigned d = 1; d <= last; d++)
            found += of[d] >= 0;
        CHECK_INT(found, NDOCS - sizeof deleted / sizeof *deleted);
        test_count(db, docid, last, of);
        test_each(db, docid, last, of);
        free(of);
        free(docid);
        ws_db_close(db);
    }
    CHECK(ws_fixture_remove(dir) == 0);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    CHECK_DONE();
}
