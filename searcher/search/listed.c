#include "listed.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "docsort.h"
#include "schema.h"
#include "valuecursor.h"

/* ---- the lists of many documents, a thread a share of the shards ---- */

unsigned ws_listed_threads(ws_db *db, size_t n)
{
    return ws_valuesweep_threads(db, n);
}

/* The caller's function and its thread's context, behind the sweep's. */
typedef struct lister {
    ws_listed_fn fn;
    void *ctx;
} lister;

static ws_status list_one(void *ctx, size_t i, const char *v, size_t len)
{
    lister *l = ctx;
    ws_wordfield wf[2];
    if (ws_wordlist_decode(v, len, wf) != WS_OK)
        return WS_ENOTFOUND; /* damaged: the text is still there */
    return l->fn(l->ctx, i, wf, NULL);
}

/* ---- from the copy in memory ---- */

/* The documents' runs, handed to the threads as each asks for one: the
 * documents differ in length by a thousand times, and equal shares of
 * them kept a thread waiting for the other. */
#define RUN 256

/* A thread's runs of the documents, read from the cache's shards. */
typedef struct run {
    ws_db *db; /* for its deadline only: not read */
    const ws_wordshard *const *shard;
    unsigned nshards;
    const unsigned *docid;
    size_t n;
    atomic_size_t *next; /* the next run's first document, shared */
    ws_listed_fn fn;
    void *ctx;
    unsigned char *unlisted;
    atomic_int *stop;
    ws_status st;
} run;

/* Reads documents [from, to) of r's. */
static ws_status read_run(run *r, size_t from, size_t to)
{
    ws_status st = WS_OK;
    if (atomic_load_explicit(r->stop, memory_order_relaxed))
        return WS_OK;
    if (ws_db_past_deadline(r->db))
        return WS_ETIMEOUT;
    for (size_t i = from; i < to && st == WS_OK; i++) {
        /* the documents ahead fetched: a document's place, then its text */
        if (i + 16 < to)
            ws_wordshard_fetch(r->shard[(r->docid[i + 16] - 1) % r->nshards], r->docid[i + 16], 0);
        if (i + 8 < to)
            ws_wordshard_fetch(r->shard[(r->docid[i + 8] - 1) % r->nshards], r->docid[i + 8], 1);
        unsigned d = r->docid[i];
        ws_wordcached cw;
        st = ws_wordshard_doc(r->shard[(d - 1) % r->nshards], d, &cw);
        if (st == WS_OK)
            st = r->fn(r->ctx, i, cw.wf, &cw);
        r->unlisted[i] = st == WS_ENOTFOUND;
        if (st == WS_ENOTFOUND)
            st = WS_OK;
    }
    return st;
}

static void *run_cached(void *arg)
{
    run *r = arg;
    ws_status st = WS_OK;
    for (size_t from; st == WS_OK && (from = atomic_fetch_add(r->next, RUN)) < r->n;)
        st = read_run(r, from, from + RUN < r->n ? from + RUN : r->n);
    if (st != WS_OK)
        atomic_store(r->stop, 1);
    r->st = st;
    return NULL;
}

/* The documents from the shards' copies, by nt threads. */
static ws_status each_cached(ws_db *db, const ws_wordshard *const *shard, unsigned nshards,
                             const unsigned *docid, size_t n, ws_listed_fn fn, void *const *ctx,
                             unsigned nt, unsigned char *unlisted)
{
    atomic_int stop = 0;
    atomic_size_t next = 0;
    run r[WS_LISTED_MAX_THREADS];
    pthread_t th[WS_LISTED_MAX_THREADS];
    for (unsigned t = 0; t < nt; t++)
        r[t] = (run){db, shard, nshards, docid, n, &next, fn, ctx[t], unlisted, &stop, WS_OK};
    unsigned started = 1;
    for (unsigned t = 1; t < nt; t++, started++)
        if (pthread_create(&th[t], NULL, run_cached, &r[t]) != 0)
            break;
    /* a run no thread could be made for is read here, after this one's */
    for (unsigned t = 0; t < nt; t++)
        if (t == 0 || t >= started)
            run_cached(&r[t]);
    for (unsigned t = 1; t < started; t++)
        pthread_join(th[t], NULL);
    ws_status st = WS_OK;
    for (unsigned t = 0; t < nt && st == WS_OK; t++)
        st = r[t].st;
    return st;
}

int ws_listed_hold(ws_db *db, const ws_wordshard **shard, unsigned *ns)
{
    ws_wordcache *wc = ws_db_words(db);
    unsigned n = ws_valuecursor_shards(db), taken = 0;
    *ns = 0;
    if (!wc || !n || n > WS_VALUESWEEP_MAX_SHARDS)
        return 0;
    for (; taken < n; taken++) {
        ws_wordcache_take(wc, db, taken, &shard[taken]);
        if (!shard[taken])
            break;
    }
    if (taken < n) {
        ws_listed_release(db, shard, taken);
        return 0;
    }
    *ns = n;
    return 1;
}

void ws_listed_release(ws_db *db, const ws_wordshard **shard, unsigned ns)
{
    for (unsigned k = 0; k < ns; k++)
        ws_wordcache_put(ws_db_words(db), shard[k]);
}

ws_status ws_listed_each_held(ws_db *db, const ws_wordshard *const *shard, unsigned ns,
                              const unsigned *docid, size_t n, ws_listed_fn fn, void *const *ctx,
                              unsigned nctx, unsigned char *unlisted)
{
    unsigned want = ws_listed_threads(db, n);
    if (nctx > want)
        nctx = want;
    return each_cached(db, shard, ns, docid, n, fn, ctx, nctx ? nctx : 1, unlisted);
}

ws_status ws_listed_each(ws_db *db, const unsigned *docid, size_t n, ws_listed_fn fn,
                         void *const *ctx, unsigned nctx, unsigned char *unlisted)
{
    const ws_wordshard *shard[WS_VALUESWEEP_MAX_SHARDS];
    unsigned ns;
    if (ws_listed_hold(db, shard, &ns)) {
        ws_status st = ws_listed_each_held(db, shard, ns, docid, n, fn, ctx, nctx, unlisted);
        ws_listed_release(db, shard, ns);
        return st;
    }
    lister l[WS_LISTED_MAX_THREADS];
    void *lctx[WS_LISTED_MAX_THREADS];
    if (nctx > WS_LISTED_MAX_THREADS)
        nctx = WS_LISTED_MAX_THREADS;
    for (unsigned t = 0; t < nctx; t++) {
        l[t] = (lister){fn, ctx[t]};
        lctx[t] = &l[t];
    }
    return ws_valuesweep_each(db, WS_SLOT_WORDS, docid, n, list_one, lctx, nctx, unlisted);
}

/* ---- counts ---- */

/* docid[0..n) with their places, in rising docid order, into a new array. */
static ws_docplace *rising(const unsigned *docid, size_t n)
{
    ws_docplace *at = malloc((n ? n : 1) * sizeof *at);
    if (!at)
        return NULL;
    for (size_t i = 0; i < n; i++)
        at[i] = (ws_docplace){docid[i], (uint32_t)i};
    if (ws_docplace_sort(at, n) != WS_OK) {
        free(at);
        return NULL;
    }
    return at;
}

typedef struct counting {
    const ws_occ_patterns *ps;
    const ws_docplace *at;
    unsigned *counts;
} counting;

static ws_status count_one(void *ctx, size_t i, const ws_wordfield wf[2], const ws_wordcached *cw)
{
    (void)cw;
    counting *c = ctx;
    size_t k = 0;
    for (int f = 0; f < 2; f++) {
        ws_occ *occ = NULL;
        size_t m = 0;
        ws_status st = ws_occ_find_listed(c->ps, &wf[f], f == 0, &occ, &m);
        free(occ);
        if (st != WS_OK)
            return st;
        k += m;
    }
    c->counts[c->at[i].i] = (unsigned)k;
    return WS_OK;
}

ws_status ws_listed_count(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid, size_t n,
                          unsigned *counts)
{
    if (!n)
        return WS_OK;
    ws_docplace *at = rising(docid, n);
    unsigned *d = malloc(n * sizeof *d);
    unsigned char *unlisted = malloc(n ? n : 1);
    ws_status st = at && d && unlisted ? WS_OK : WS_ENOMEM;
    if (st == WS_OK) {
        for (size_t i = 0; i < n; i++)
            d[i] = at[i].docid;
        counting c = {ps, at, counts};
        void *ctx[WS_LISTED_MAX_THREADS];
        for (unsigned t = 0; t < WS_LISTED_MAX_THREADS; t++)
            ctx[t] = &c; /* each thread writes only its documents' counts */
        st = ws_listed_each(db, d, n, count_one, ctx, WS_LISTED_MAX_THREADS, unlisted);
        /* made without a list, or gone since it was listed: its reader
         * tells which */
        for (size_t i = 0; i < n && st == WS_OK; i++)
            if (unlisted[i])
                counts[at[i].i] = WS_LISTED_UNKNOWN;
    }
    free(unlisted);
    free(d);
    free(at);
    return st;
}
