/* cachesweep.h - many documents read from the word cache's copies
 * (wordcache.h) at once: the shards at the revision a handle reads taken
 * for the while, and the documents shared between threads that each take
 * the next run of them as they finish one (the documents differ in length
 * by a thousand times: equal shares kept a thread waiting for the other),
 * each document's place in the cache fetched ahead of reading it. What
 * the word lists (listed.h) and the export's rows (valuesweep.h) are read
 * with when the cache holds them. Internal to the search layer. */
#ifndef WS_CACHESWEEP_H
#define WS_CACHESWEEP_H

#include <stddef.h>
#include "crew.h"
#include "engine.h"
#include "status.h"
#include "wordcache.h"

/* The most shards and threads a sweep takes. */
#define WS_CACHESWEEP_MAX_SHARDS  WS_WORDCACHE_MAX_SHARDS
#define WS_CACHESWEEP_MAX_THREADS WS_CREW_MAX

/* The copies of every shard of db in its word cache (ws_db_words) at the
 * revision db reads, taken into shard[0..*ns) (WS_CACHESWEEP_MAX_SHARDS
 * room): 1 when there is one of each, to be given back with
 * ws_cachesweep_release; else 0, none taken. */
int ws_cachesweep_hold(ws_db *db, const ws_wordshard **shard, unsigned *ns);
void ws_cachesweep_release(ws_db *db, const ws_wordshard **shard, unsigned ns);

/* Takes document docid[i] (held in s); ctx is the calling thread's own.
 * WS_ENOTFOUND: the document is not there to use (missing[i] is set);
 * any other status but WS_OK stops every thread. */
typedef ws_status (*ws_cachesweep_fn)(void *ctx, size_t i, const ws_wordshard *s, unsigned docid);

/* Calls fn(ctx[t], i, ...) for each docid[i] (i < n) of the shards held,
 * shard[0..ns) (docid d is shard (d - 1) % ns's), by nt threads (t = 0
 * the calling one), setting missing[i] to whether fn returned
 * WS_ENOTFOUND; with texts set, each document's texts and words are
 * fetched ahead (ws_wordshard_fetch: fn reads them), else only where it
 * is (its row: rows lie in docid order, which the processor follows by
 * itself). Stops at db's deadline (WS_ETIMEOUT). The first status but
 * WS_OK and WS_ENOTFOUND that fn returns is returned. */
ws_status ws_cachesweep_each(ws_db *db, const ws_wordshard *const *shard, unsigned ns,
                             const unsigned *docid, size_t n, ws_cachesweep_fn fn, void *const *ctx,
                             unsigned nt, int texts, unsigned char *missing);

#endif
