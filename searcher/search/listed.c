#include "listed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cachesweep.h"
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

static ws_status list_cached(void *ctx, size_t i, const ws_wordshard *s, unsigned docid)
{
    lister *l = ctx;
    ws_wordcached cw;
    ws_status st = ws_wordshard_doc(s, docid, &cw);
    return st == WS_OK ? l->fn(l->ctx, i, cw.wf, &cw) : st;
}

ws_status ws_listed_each_held(ws_db *db, const ws_wordshard *const *shard, unsigned ns,
                              const unsigned *docid, size_t n, ws_listed_fn fn, void *const *ctx,
                              unsigned nctx, unsigned char *unlisted)
{
    unsigned want = ws_listed_threads(db, n);
    unsigned nt = nctx < want ? nctx : want;
    lister l[WS_LISTED_MAX_THREADS];
    void *lctx[WS_LISTED_MAX_THREADS];
    nt = nt < 1 ? 1 : nt > WS_LISTED_MAX_THREADS ? WS_LISTED_MAX_THREADS : nt;
    for (unsigned t = 0; t < nt; t++) {
        l[t] = (lister){fn, ctx[t]};
        lctx[t] = &l[t];
    }
    return ws_cachesweep_each(db, shard, ns, docid, n, list_cached, lctx, nt, 1, unlisted);
}

ws_status ws_listed_each(ws_db *db, const unsigned *docid, size_t n, ws_listed_fn fn,
                         void *const *ctx, unsigned nctx, unsigned char *unlisted)
{
    const ws_wordshard *shard[WS_CACHESWEEP_MAX_SHARDS];
    unsigned ns;
    if (ws_cachesweep_hold(db, shard, &ns)) {
        ws_status st = ws_listed_each_held(db, shard, ns, docid, n, fn, ctx, nctx, unlisted);
        ws_cachesweep_release(db, shard, ns);
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
