/* listed.h - the word lists (indexer/text/wordlist.h) of many documents
 * read at once, instead of their stored JSON: the text there is already
 * normalized and cut into words, so finding a query's patterns costs a
 * search of it, with no JSON to decode, nothing to inflate and no
 * normalization. Reading them is mostly copying the index's blocks, so
 * each shard's are read by a thread of its own. What the counting
 * instruments use where the index's positions do not give a count
 * (positions.h: a Latin word, a proximity), and what collocates and the
 * proximity checks read. Internal to the search layer. */
#ifndef WS_LISTED_H
#define WS_LISTED_H

#include <limits.h>
#include <stddef.h>
#include "cachesweep.h"
#include "engine.h"
#include "occurrence.h"
#include "valuesweep.h"
#include "wordcache.h"
#include "wordlist.h"

/* The most threads ws_listed_each shares documents over, and the fewest
 * documents it gives a thread (the sweep's: valuesweep.h). */
#define WS_LISTED_MAX_THREADS WS_VALUESWEEP_MAX_THREADS
#define WS_LISTED_MIN_SHARE   WS_VALUESWEEP_MIN_SHARE

/* Takes document docid[i]'s list (wf: its title and body, valid during the
 * call; cw: the same with its words numbered, when read from the index's
 * copy in memory, else NULL); ctx is the calling thread's own.
 * WS_ENOTFOUND: the list is damaged (ws_wordfield_words refused it), the
 * document is taken as one without; any other status but WS_OK stops every
 * thread. */
typedef ws_status (*ws_listed_fn)(void *ctx, size_t i, const ws_wordfield wf[2],
                                  const ws_wordcached *cw);

/* How many threads ws_listed_each would read n documents of db with
 * (ws_valuesweep_threads: $WENSUO_LIST_THREADS bounds them). */
#define WS_LISTED_THREADS_ENV WS_VALUESWEEP_THREADS_ENV
unsigned ws_listed_threads(ws_db *db, size_t n);

/* Calls fn(ctx[t], i, wf) for each document docid[i] (i < n, docids
 * rising) that has a list that reads, and sets unlisted[i] (n of them) to 1
 * for each other (none, damaged, or gone: its stored text decides), 0 for
 * these. The documents of one shard are read by one thread, in docid
 * order, t = 0 being the calling thread's; up to nctx threads of
 * ws_listed_threads(db, n) (a Xapian database reads one shard a thread at
 * a time: engine_int.h), so that reading lists, which is mostly copying
 * blocks of the index, goes on every core. When db's word cache
 * (ws_db_words) holds every shard at the revision db reads, the lists are
 * read from it instead, the documents shared between the threads in
 * equal runs whatever their shards. Until this returns, nothing
 * else may read db, and fn may touch only its ctx, what is read-only, and
 * memory of its i alone. The first status fn returns that is not WS_OK,
 * or a failure of reading (WS_EMODIFIED when the revision read has gone,
 * another with ws_db_errmsg saying why), is returned. */
ws_status ws_listed_each(ws_db *db, const unsigned *docid, size_t n, ws_listed_fn fn,
                         void *const *ctx, unsigned nctx, unsigned char *unlisted);

/* ws_listed_each from the shards of db's word cache held by
 * ws_cachesweep_hold (cw never NULL): for a caller that reads the shards'
 * dictionaries after (collocates). */
ws_status ws_listed_each_held(ws_db *db, const ws_wordshard *const *shard, unsigned ns,
                              const unsigned *docid, size_t n, ws_listed_fn fn, void *const *ctx,
                              unsigned nctx, unsigned char *unlisted);

/* A count ws_listed_count could not take: the document has no list. */
#define WS_LISTED_UNKNOWN UINT_MAX

/* counts[i] = the occurrences of ps in document docid[i] (in any order),
 * for i < n, from the word lists; WS_LISTED_UNKNOWN for a document without
 * one, or deleted since (reading its stored text tells which, and its
 * count). WS_EMODIFIED when the revision read has gone, WS_ENOMEM, or
 * another status with ws_db_errmsg saying why. */
ws_status ws_listed_count(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid, size_t n,
                          unsigned *counts);

#endif
