#include "valuesweep.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include "cachesweep.h"
#include "crew.h"
#include "schema.h"
#include "stub.h"
#include "valuecursor.h"

unsigned ws_valuesweep_threads(ws_db *db, size_t n)
{
    unsigned shards = ws_valuecursor_shards(db);
    const char *env = getenv(WS_VALUESWEEP_THREADS_ENV);
    long want = env && *env ? strtol(env, NULL, 10) : 0;
    if (want < 1) {
        /* a thread costs about what reading a few dozen values does */
        if (n < WS_VALUESWEEP_MIN_SHARE * 2)
            return 1;
        want = sysconf(_SC_NPROCESSORS_ONLN);
    }
    unsigned t = want < 1                           ? 1
                 : want > WS_VALUESWEEP_MAX_THREADS ? WS_VALUESWEEP_MAX_THREADS
                                                    : (unsigned)want;
    return t > shards ? (shards ? shards : 1) : t;
}

typedef struct share {
    ws_db *db;
    unsigned slot;
    const unsigned *docid;
    size_t n;
    ws_valuesweep_fn fn;
    void *ctx;
    unsigned char *missing;
    unsigned t, nt, nshards; /* thread t of nt reads shards t, t + nt, ... */
    atomic_int *stop;        /* set by the first share to fail */
    ws_valuecursor *c[WS_VALUESWEEP_MAX_SHARDS];
    ws_valuecursor *failed; /* the cursor that failed, for its message */
    ws_status st;
} share;

/* Reads sh's documents: each docid[i] of the shards it owns. */
static void *share_run(void *arg)
{
    share *sh = arg;
    ws_status st = WS_OK;
    for (size_t i = 0; i < sh->n && st == WS_OK; i++) {
        unsigned d = sh->docid[i], k = ws_stub_shard(d, sh->nshards);
        if (k % sh->nt != sh->t)
            continue;
        if (!(i & 63) && atomic_load_explicit(sh->stop, memory_order_relaxed))
            break;
        if (!(i & 63) && ws_db_past_deadline(sh->db)) {
            st = WS_ETIMEOUT;
            break;
        }
        if (!sh->c[k] && (st = ws_valuecursor_open_shard(sh->db, k, sh->slot, &sh->c[k])) != WS_OK)
            break;
        const char *v;
        size_t len;
        st = ws_valuecursor_get(sh->c[k], d, &v, &len);
        int read = st == WS_OK;
        if (read)
            st = sh->fn(sh->ctx, i, v, len);
        sh->missing[i] = st == WS_ENOTFOUND;
        if (st == WS_ENOTFOUND)
            st = WS_OK;
        else if (st != WS_OK && !read)
            sh->failed = sh->c[k];
    }
    if (st != WS_OK)
        atomic_store(sh->stop, 1);
    sh->st = st;
    return NULL;
}

/* Reads every document with one cursor over the whole of db: an index read
 * over the remote backend, or too few documents to share. */
static ws_status each_whole(ws_db *db, unsigned slot, const unsigned *docid, size_t n,
                            ws_valuesweep_fn fn, void *ctx, unsigned char *missing)
{
    ws_valuecursor *c = NULL;
    ws_status st = ws_valuecursor_open(db, slot, &c);
    for (size_t i = 0; i < n && st == WS_OK; i++) {
        const char *v;
        size_t len;
        if (!(i & 63) && ws_db_past_deadline(db)) {
            st = WS_ETIMEOUT;
            break;
        }
        st = ws_valuecursor_get(c, docid[i], &v, &len);
        if (st == WS_OK)
            st = fn(ctx, i, v, len);
        missing[i] = st == WS_ENOTFOUND;
        if (st == WS_ENOTFOUND)
            st = WS_OK;
    }
    ws_valuecursor_close(c);
    return st;
}

/* ---- the rows from the word cache ---- */

typedef struct cached {
    ws_valuesweep_fn fn;
    void *ctx;
} cached;

static ws_status row_cached(void *ctx, size_t i, const ws_wordshard *s, unsigned docid)
{
    cached *c = ctx;
    const char *v;
    size_t len;
    ws_status st = ws_wordshard_row(s, docid, &v, &len);
    return st == WS_OK ? c->fn(c->ctx, i, v, len) : st;
}

/* The rows of db's documents from its word cache when it holds every
 * shard at the revision db reads: *done set then. */
static ws_status rows_cached(ws_db *db, const unsigned *docid, size_t n, ws_valuesweep_fn fn,
                             void *const *ctx, unsigned nt, unsigned char *missing, int *done)
{
    const ws_wordshard *shard[WS_CACHESWEEP_MAX_SHARDS];
    unsigned ns;
    *done = ws_cachesweep_hold(db, shard, &ns);
    if (!*done)
        return WS_OK;
    cached c[WS_VALUESWEEP_MAX_THREADS];
    void *cctx[WS_VALUESWEEP_MAX_THREADS];
    nt = nt < 1 ? 1 : nt > WS_VALUESWEEP_MAX_THREADS ? WS_VALUESWEEP_MAX_THREADS : nt;
    for (unsigned t = 0; t < nt; t++) {
        c[t] = (cached){fn, ctx[t]};
        cctx[t] = &c[t];
    }
    ws_status st = ws_cachesweep_each(db, shard, ns, docid, n, row_cached, cctx, nt, 0, missing);
    ws_cachesweep_release(db, shard, ns);
    return st;
}

ws_status ws_valuesweep_each(ws_db *db, unsigned slot, const unsigned *docid, size_t n,
                             ws_valuesweep_fn fn, void *const *ctx, unsigned nctx,
                             unsigned char *missing)
{
    if (slot == WS_SLOT_ROW) {
        unsigned want = ws_valuesweep_threads(db, n);
        int done = 0;
        ws_status st =
            rows_cached(db, docid, n, fn, ctx, nctx < want ? nctx : want, missing, &done);
        if (done)
            return st;
    }
    unsigned nshards = ws_valuecursor_shards(db);
    unsigned want = ws_valuesweep_threads(db, n);
    unsigned nt = nctx < want ? nctx : want;
    if (nt <= 1 || nshards > WS_VALUESWEEP_MAX_SHARDS)
        return each_whole(db, slot, docid, n, fn, ctx[0], missing);
    atomic_int stop = 0;
    share sh[WS_VALUESWEEP_MAX_THREADS];
    for (unsigned t = 0; t < nt; t++)
        sh[t] = (share){.db = db,
                        .slot = slot,
                        .docid = docid,
                        .n = n,
                        .fn = fn,
                        .ctx = ctx[t],
                        .missing = missing,
                        .t = t,
                        .nt = nt,
                        .nshards = nshards,
                        .stop = &stop};
    ws_crew_run(share_run, sh, sizeof *sh, nt);
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
