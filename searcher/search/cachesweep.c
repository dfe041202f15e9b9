#include "cachesweep.h"

#include <stdatomic.h>
#include "crew.h"
#include "stub.h"
#include "valuecursor.h"

/* The documents a thread takes at a time. */
#define RUN 256

int ws_cachesweep_hold(ws_db *db, const ws_wordshard **shard, unsigned *ns)
{
    ws_wordcache *wc = ws_db_words(db);
    unsigned n = ws_valuecursor_shards(db), taken = 0;
    *ns = 0;
    if (!wc || !n || n > WS_CACHESWEEP_MAX_SHARDS)
        return 0;
    for (; taken < n; taken++) {
        ws_wordcache_take(wc, db, taken, &shard[taken]);
        if (!shard[taken])
            break;
    }
    if (taken < n) {
        ws_cachesweep_release(db, shard, taken);
        return 0;
    }
    *ns = n;
    return 1;
}

void ws_cachesweep_release(ws_db *db, const ws_wordshard **shard, unsigned ns)
{
    for (unsigned k = 0; k < ns; k++)
        ws_wordcache_put(ws_db_words(db), shard[k]);
}

/* A thread's share of a sweep. */
typedef struct run {
    ws_db *db; /* for its deadline only: not read */
    const ws_wordshard *const *shard;
    unsigned nshards;
    const unsigned *docid;
    size_t n;
    atomic_size_t *next; /* the next run's first document, shared */
    ws_cachesweep_fn fn;
    void *ctx;
    unsigned char *missing;
    int texts;
    atomic_int *stop;
    ws_status st;
} run;

static const ws_wordshard *shard_of(const run *r, unsigned docid)
{
    return r->shard[ws_stub_shard(docid, r->nshards)];
}

/* Reads documents [from, to) of r's. */
static ws_status read_run(run *r, size_t from, size_t to)
{
    if (atomic_load_explicit(r->stop, memory_order_relaxed))
        return WS_OK;
    if (ws_db_past_deadline(r->db))
        return WS_ETIMEOUT;
    ws_status st = WS_OK;
    for (size_t i = from; i < to && st == WS_OK; i++) {
        /* the documents ahead fetched: a document's place, then its text */
        if (i + 16 < to)
            ws_wordshard_fetch(shard_of(r, r->docid[i + 16]), r->docid[i + 16], 0);
        if (i + 8 < to && r->texts)
            ws_wordshard_fetch(shard_of(r, r->docid[i + 8]), r->docid[i + 8], 1);
        st = r->fn(r->ctx, i, shard_of(r, r->docid[i]), r->docid[i]);
        r->missing[i] = st == WS_ENOTFOUND;
        if (st == WS_ENOTFOUND)
            st = WS_OK;
    }
    return st;
}

static void *run_all(void *arg)
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

ws_status ws_cachesweep_each(ws_db *db, const ws_wordshard *const *shard, unsigned ns,
                             const unsigned *docid, size_t n, ws_cachesweep_fn fn, void *const *ctx,
                             unsigned nt, int texts, unsigned char *missing)
{
    atomic_int stop = 0;
    atomic_size_t next = 0;
    run r[WS_CACHESWEEP_MAX_THREADS];
    nt = nt < 1 ? 1 : nt > WS_CACHESWEEP_MAX_THREADS ? WS_CACHESWEEP_MAX_THREADS : nt;
    for (unsigned t = 0; t < nt; t++)
        r[t] = (run){db, shard, ns, docid, n, &next, fn, ctx[t], missing, texts, &stop, WS_OK};
    ws_crew_run(run_all, r, sizeof *r, nt);
    ws_status st = WS_OK;
    for (unsigned t = 0; t < nt && st == WS_OK; t++)
        st = r[t].st;
    return st;
}
