/* wordkeep.h - the daemon's word cache (searcher/search/wordcache.h) kept
 * at the revision of the index: a thread of its own opens the index,
 * copies its shards' word lists, and every WS_WORDKEEP_POLL_MS reopens it
 * and copies again the shards whose revision moved. After a copy it rests
 * at least WS_WORDKEEP_REST times as long as the copy took, so that a
 * writer that commits all the time costs the machine a share of a core
 * and no more; a copy the writer overwrote while it was read is tried
 * again after a rest that doubles each time, up to WS_WORDKEEP_MAX_REST_MS.
 * Meanwhile the instruments read the shards that moved from the index
 * itself, as without a cache (listed.h), and count the same.
 *
 * Owned by the daemon: ws_wordkeep_new (the cache, which the routes are
 * given), ws_wordkeep_run once the daemon listens (a daemon that cannot
 * start copies nothing), ws_wordkeep_stop once no searcher reads the cache
 * any more. */
#ifndef WS_WORDKEEP_H
#define WS_WORDKEEP_H

#include <stddef.h>
#include "status.h"
#include "wordcache.h"

#define WS_WORDKEEP_POLL_MS     1000
#define WS_WORDKEEP_REST        4
#define WS_WORDKEEP_MAX_REST_MS 60000

typedef struct ws_wordkeep ws_wordkeep;

/* A keeper of a cache of at most max_bytes for the index in db (which
 * may not exist yet) into *out, its thread not started; quiet: no line on
 * stderr when a copy is made or given up. WS_ENOMEM. */
ws_status ws_wordkeep_new(const char *db, size_t max_bytes, int quiet, ws_wordkeep **out);

/* Starts its thread. WS_EIO when no thread could be started. */
ws_status ws_wordkeep_run(ws_wordkeep *k);

/* The cache kept: the keeper's, valid until ws_wordkeep_stop. NULL for a
 * NULL keeper. */
ws_wordcache *ws_wordkeep_cache(ws_wordkeep *k);

/* Stops the thread (a copy under way stops within a thousand documents)
 * and frees the cache. NULL is allowed. */
void ws_wordkeep_stop(ws_wordkeep *k);

#endif
