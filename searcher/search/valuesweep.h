/* valuesweep.h - one value slot of many documents read at once, each shard
 * by a thread of its own. Reading values along Xapian's value streams is
 * mostly copying the index's blocks, and a Xapian database is read by one
 * thread at a time; its shards, each a database of its own, are not. What
 * the word lists (listed.h) and the export's rows (export.h) are read with.
 * Internal to the search layer. */
#ifndef WS_VALUESWEEP_H
#define WS_VALUESWEEP_H

#include <stddef.h>
#include "crew.h"
#include "engine.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most threads, and shards, ws_valuesweep_each shares documents over;
 * and the fewest documents it gives a thread. */
#define WS_VALUESWEEP_MAX_THREADS WS_CREW_MAX
#define WS_VALUESWEEP_MAX_SHARDS  64
#define WS_VALUESWEEP_MIN_SHARE   256

/* Takes document docid[i]'s value v[0..len) (valid during the call); ctx
 * is the calling thread's own. WS_ENOTFOUND: the value is not one the
 * caller can use (damaged), the document is taken as one without; any
 * other status but WS_OK stops every thread. */
typedef ws_status (*ws_valuesweep_fn)(void *ctx, size_t i, const char *v, size_t len);

/* How many threads ws_valuesweep_each would read n documents of db with:
 * one a shard at most, one a core at most, one under 2
 * WS_VALUESWEEP_MIN_SHARE documents or over the remote backend.
 * $WENSUO_LIST_THREADS, when set to a number from 1, is taken for the cores
 * and for any n: to bound what one request takes of a machine that serves
 * many, and for the tests to share small sets. */
#define WS_VALUESWEEP_THREADS_ENV "WENSUO_LIST_THREADS"
unsigned ws_valuesweep_threads(ws_db *db, size_t n);

/* Calls fn(ctx[t], i, v, len) for each document docid[i] (i < n, docids
 * rising) that has a value in slot, and sets missing[i] (n of them) to 1
 * for each other (none, refused by fn, or gone), 0 for these. The
 * documents of one shard are read by one thread, in docid order, t = 0
 * being the calling thread's; up to nctx threads of
 * ws_valuesweep_threads(db, n). Until this returns, nothing else may read
 * db, and fn may touch only its ctx, what is read-only, and memory of its i
 * alone. The export's rows (WS_SLOT_ROW) are read from db's word cache
 * (wordcache.h) when it holds every shard at the revision db reads, by
 * threads that share the documents whatever their shards. The first
 * status fn returns that is not WS_OK or WS_ENOTFOUND, or
 * a failure of reading (WS_EMODIFIED when the revision read has gone,
 * another with ws_db_errmsg saying why), is returned. */
ws_status ws_valuesweep_each(ws_db *db, unsigned slot, const unsigned *docid, size_t n,
                             ws_valuesweep_fn fn, void *const *ctx, unsigned nctx,
                             unsigned char *missing);

#ifdef __cplusplus
}
#endif
#endif
