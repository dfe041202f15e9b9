#include "listed.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "schema.h"

/* Reads docid's word list through c (docids rising) into wf[2] (its title
 * and body, valid until c's next call). WS_ENOTFOUND when it has none, or
 * one that does not decode (damaged: its stored text decides); otherwise
 * as ws_valuecursor_get. */
static ws_status listed_get(ws_valuecursor *c, unsigned docid, ws_wordfield wf[2])
{
    const char *v;
    size_t len;
    ws_status st = ws_valuecursor_get(c, docid, &v, &len);
    if (st == WS_OK && ws_wordlist_decode(v, len, wf) != WS_OK)
        st = WS_ENOTFOUND; /* damaged: the text is still there */
    return st;
}

/* ---- the lists of many documents, a thread a share of the shards ---- */

unsigned ws_listed_threads(ws_db *db, size_t n)
{
    unsigned shards = ws_valuecursor_shards(db);
    const char *env = getenv(WS_LISTED_THREADS_ENV);
    long want = env && *env ? strtol(env, NULL, 10) : 0;
    if (want < 1) {
        /* a thread costs about what reading a few dozen lists does */
        if (n < WS_LISTED_MIN_SHARE * 2)
            return 1;
        want = sysconf(_SC_NPROCESSORS_ONLN);
    }
    unsigned t = want < 1                       ? 1
                 : want > WS_LISTED_MAX_THREADS ? WS_LISTED_MAX_THREADS
                                                : (unsigned)want;
    return t > shards ? (shards ? shards : 1) : t;
}

typedef struct share {
    ws_db *db;
    const unsigned *docid;
    size_t n;
    ws_listed_fn fn;
    void *ctx;
    unsigned char *unlisted;
    unsigned t, nt, nshards; /* thread t of nt reads shards t, t + nt, ... */
    atomic_int *stop;        /* set by the first share to fail */
    ws_valuecursor *c[WS_LISTED_MAX_SHARDS];
    ws_valuecursor *failed; /* the cursor that failed, for its message */
    ws_status st;
} share;

/* Reads sh's documents: each docid[i] of the shards it owns. */
static void *share_run(void *arg)
{
    share *sh = arg;
    ws_status st = WS_OK;
    for (size_t i = 0; i < sh->n && st == WS_OK; i++) {
        unsigned d = sh->docid[i], k = (d - 1) % sh->nshards;
        if (k % sh->nt != sh->t)
            continue;
        if (!(i & 63) && atomic_load_explicit(sh->stop, memory_order_relaxed))
            break;
        ws_valuecursor *c = sh->c[k];
        if (!c && (st = ws_valuecursor_open_shard(sh->db, k, WS_SLOT_WORDS, &sh->c[k])) != WS_OK)
            break;
        c = sh->c[k];
        ws_wordfield wf[2];
        st = listed_get(c, d, wf);
        int read = st == WS_OK;
        if (read)
            st = sh->fn(sh->ctx, i, wf);
        sh->unlisted[i] = st == WS_ENOTFOUND;
        if (st == WS_ENOTFOUND)
            st = WS_OK;
        else if (st != WS_OK && !read)
            sh->failed = c;
    }
    if (st != WS_OK)
        atomic_store(sh->stop, 1);
    sh->st = st;
    return NULL;
}

/* Reads every document with one cursor over the whole of db: an index read
 * over the remote backend, or too few documents to share. */
static ws_status each_whole(ws_db *db, const unsigned *docid, size_t n, ws_listed_fn fn, void *ctx,
                            unsigned char *unlisted)
{
    ws_valuecursor *c = NULL;
    ws_status st = ws_valuecursor_open(db, WS_SLOT_WORDS, &c);
    for (size_t i = 0; i < n && st == WS_OK; i++) {
        ws_wordfield wf[2];
        st = listed_get(c, docid[i], wf);
        if (st == WS_OK)
            st = fn(ctx, i, wf);
        unlisted[i] = st == WS_ENOTFOUND;
        if (st == WS_ENOTFOUND)
            st = WS_OK;
    }
    ws_valuecursor_close(c);
    return st;
}

ws_status ws_listed_each(ws_db *db, const unsigned *docid, size_t n, ws_listed_fn fn,
                         void *const *ctx, unsigned nctx, unsigned char *unlisted)
{
    unsigned nshards = ws_valuecursor_shards(db);
    unsigned nt = nctx < ws_listed_threads(db, n) ? nctx : ws_listed_threads(db, n);
    if (nt <= 1 || nshards > WS_LISTED_MAX_SHARDS)
        return each_whole(db, docid, n, fn, ctx[0], unlisted);
    atomic_int stop = 0;
    share sh[WS_LISTED_MAX_THREADS];
    pthread_t th[WS_LISTED_MAX_THREADS];
    unsigned started = 1;
    for (unsigned t = 0; t < nt; t++)
        sh[t] = (share){.db = db,
                        .docid = docid,
                        .n = n,
                        .fn = fn,
                        .ctx = ctx[t],
                        .unlisted = unlisted,
                        .t = t,
                        .nt = nt,
                        .nshards = nshards,
                        .stop = &stop};
    for (unsigned t = 1; t < nt; t++, started++)
        if (pthread_create(&th[t], NULL, share_run, &sh[t]) != 0)
            break;
    /* a share no thread could be made for is read here, after this one's */
    for (unsigned t = 0; t < nt; t++)
        if (t == 0 || t >= started)
            share_run(&sh[t]);
    for (unsigned t = 1; t < started; t++)
        pthread_join(th[t], NULL);
    ws_status st = WS_OK;
    for (unsigned t = 0; t < nt; t++) {
        if (st == WS_OK && sh[t].st != WS_OK) {
            st = sh[t].st;
            if (sh[t].failed)
                ws_valuecursor_blame(sh[t].failed);
        }
        for (unsigned k = 0; k < nshards; k++)
            ws_valuecursor_close(sh[t].c[k]);
    }
    return st;
}

/* ---- counts ---- */

typedef struct place {
    unsigned docid;
    size_t i;
} place;

static int by_docid(const void *x, const void *y)
{
    const place *a = x, *b = y;
    return a->docid < b->docid ? -1 : a->docid > b->docid;
}

/* docid[0..n) with their places, in rising docid order, into a new array. */
static place *rising(const unsigned *docid, size_t n)
{
    place *at = malloc((n ? n : 1) * sizeof *at);
    if (!at)
        return NULL;
    int sorted = 1;
    for (size_t i = 0; i < n; i++) {
        at[i] = (place){docid[i], i};
        sorted &= i == 0 || docid[i - 1] < docid[i];
    }
    if (!sorted)
        qsort(at, n, sizeof *at, by_docid);
    return at;
}

typedef struct counting {
    const ws_occ_patterns *ps;
    const place *at;
    unsigned *counts;
} counting;

static ws_status count_one(void *ctx, size_t i, const ws_wordfield wf[2])
{
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
    place *at = rising(docid, n);
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
