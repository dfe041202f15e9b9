/* wincount.h - the words around a query's occurrences counted by their
 * numbers in the word cache (wordcache.h): for each occurrence, the words
 * within N words before the first word it touches and after the last,
 * each place once however many windows hold it, none that an occurrence
 * touches, no stop word; what collocates.h counts, as mark_windows does
 * there from a list's words.
 *
 * Why a noun of its own: the cache's arrays are far larger than a core's
 * cache, so a document's words are a wait for memory each time they are
 * first read. The occurrences are queued, many documents' at once, and
 * the places each needs fetched ahead of reading them, so that the waits
 * overlap (tools/README.md has the figures).
 *
 * One counter a thread; the shards counted from must stay taken until the
 * counts are read. */
#ifndef WS_WINCOUNT_H
#define WS_WINCOUNT_H

#include <stddef.h>
#include <stdint.h>
#include "occurrence.h"
#include "status.h"
#include "wordcache.h"

typedef struct ws_wincount ws_wincount;

/* A counter of the words within window words of the occurrences into
 * *out (free with ws_wincount_free). WS_ENOMEM. */
ws_status ws_wincount_new(unsigned window, ws_wincount **out);
void ws_wincount_free(ws_wincount *w);

/* Counts (or queues to count) the words around occ[0..n) (text order,
 * byte ranges of field f's text) in field f of cw. WS_ENOMEM. */
ws_status ws_wincount_add(ws_wincount *w, const ws_wordcached *cw, int f, const ws_occ *occ,
                          size_t n);

/* Counts what is queued. WS_ENOMEM. */
ws_status ws_wincount_flush(ws_wincount *w);

/* Adds what `from` counted (flushed) to `into`'s counts (flushed),
 * shard[0..ns) being the shards both counted from. WS_ENOMEM. */
ws_status ws_wincount_merge(ws_wincount *into, const ws_wincount *from,
                            const ws_wordshard *const *shard, unsigned ns);

/* The counts of shard k's words by their number (ws_wordshard_size of
 * them), or NULL when none was counted there; w's, valid until it is
 * freed. Flush first. */
const uint32_t *ws_wincount_counts(const ws_wincount *w, unsigned k);

#endif
