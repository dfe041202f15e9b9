/* wordcache.h - the word lists (wordlist.h) of an index's local shards,
 * held in memory and decoded, each shard at the revision it was read at:
 * what the counting instruments read (listed.h) in place of Xapian's value
 * streams while a shard's copy is at the revision a request reads.
 *
 * Why: the collocates of a common term read the lists of half the index.
 * Read from the index, a third of that time was copying its blocks (the
 * kernel's and Xapian's copies), a fifth stepping over the words' varints,
 * and a sixth tallying the words by their text; held here, each word is a
 * number in its shard's dictionary and its place a 32-bit offset, so that
 * the words around a match are found by a binary search and counted in an
 * array (tools/README.md has the figures). What Elasticsearch's fielddata
 * is to its significant-terms aggregation.
 *
 * Cost: about the lists' own size (their text, normalized) plus 8 bytes a
 * word and 350 bytes a document (its row twice: as stored, and as CSV);
 * for the shared corpus's 170,728 documents about 520 MB, made in a few
 * seconds by reading every list once per shard and revision. The daemon
 * keeps one (daemon.h, the keeper in wordkeep.h); a command-line run
 * reads its lists once and would not gain.
 *
 * Threads: ws_wordcache_refresh runs on one thread at a time; the others
 * may be called from any thread. A shard taken stays as it was until put
 * back, whatever is refreshed meanwhile. */
#ifndef WS_WORDCACHE_H
#define WS_WORDCACHE_H

#include <stddef.h>
#include <stdint.h>
#include "engine.h"
#include "status.h"
#include "wordlist.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The memory a cache may take, by default, in MiB (its shards together:
 * one that would pass it is not made, and its lists are read from the
 * index as without a cache). */
#define WS_WORDCACHE_DEFAULT_MB 4096

/* Set in a word's number for a stop word (wordlist.h: a word is one by its
 * place, not by its text alone). */
#define WS_WORDCACHE_STOP 0x80000000u

/* The most shards of an index a cache holds (an index of more is read
 * from the index, as without one). */
#define WS_WORDCACHE_MAX_SHARDS 64

typedef struct ws_wordcache ws_wordcache;
typedef struct ws_wordshard ws_wordshard;

/* One document's lists as a shard holds them: its title (0) and body (1),
 * as ws_wordlist_decode gives them, and for each field its n words, each
 * as the byte its text starts at (rising) and its number in the shard's
 * dictionary (| WS_WORDCACHE_STOP); a word's end is its start plus its
 * length (ws_wordshard_lengths). Valid while the shard is taken. */
typedef struct ws_wordcached {
    ws_wordfield wf[2];
    const uint32_t *start[2];
    const uint32_t *id[2];
    size_t n[2];
    const ws_wordshard *shard;
    unsigned k; /* the shard's number in its index */
} ws_wordcached;

/* An empty cache that may take max_bytes into *out (free with
 * ws_wordcache_free, once no shard of it is taken). WS_ENOMEM. */
ws_status ws_wordcache_new(size_t max_bytes, ws_wordcache **out);
void ws_wordcache_free(ws_wordcache *c);

/* Brings the copy of each local shard of db (read by this thread alone
 * meanwhile) to the revision db reads, reading the lists of the shards
 * whose revision moved since (the copy of the older revision dropped
 * first). *made: the shards copied. A copy is of every shard or of none:
 * WS_ETOOBIG when one would pass the memory allowed, and then none is kept
 * (nor tried again, quietly, until that shard's revision moves).
 * WS_EMODIFIED when db's revision was overwritten while read (reopen it
 * and try again); WS_ETIMEOUT after ws_wordcache_cancel; WS_ENOMEM;
 * another with ws_db_errmsg(db). */
ws_status ws_wordcache_refresh(ws_wordcache *c, ws_db *db, unsigned *made);

/* Stops a ws_wordcache_refresh under way on another thread (it returns
 * WS_ETIMEOUT within a thousand documents) and every one after: for a
 * daemon that is stopping. */
void ws_wordcache_cancel(ws_wordcache *c);

/* Shard k of db's copy when the cache holds it at the revision db reads
 * into *out (the cache's, valid until ws_wordcache_put), NULL when it does
 * not (not made yet, made at another revision, or not at all). */
void ws_wordcache_take(ws_wordcache *c, ws_db *db, unsigned k, const ws_wordshard **out);
void ws_wordcache_put(ws_wordcache *c, const ws_wordshard *s);

/* Document docid (db's numbering, of the shard s is) into *out: WS_OK, or
 * WS_ENOTFOUND when it has no list (none made, or gone). */
ws_status ws_wordshard_doc(const ws_wordshard *s, unsigned docid, ws_wordcached *out);

/* Document docid's export row (schema.h's WS_SLOT_ROW: row.h) into *v
 * and *len (the shard's, valid while it is taken): WS_OK, or WS_ENOTFOUND
 * when it has none. A cache holds the rows too, so that an export's
 * lines are made without reading the index (export.h). */
ws_status ws_wordshard_row(const ws_wordshard *s, unsigned docid, const char **v, size_t *len);

/* Document docid's export row as CSV cells, each followed by a comma
 * (ws_cell_put_row): what its line in a CSV export begins with, the score
 * after. Into *v and *len (the shard's, valid while it is taken): WS_OK,
 * or WS_ENOTFOUND when it has no row, or one that does not decode. */
ws_status ws_wordshard_csv(const ws_wordshard *s, unsigned docid, const char **v, size_t *len);

/* Asks the processor to fetch where docid's row is (stage 0) or, once
 * that is in, its CSV cells (stage 1), ahead of ws_wordshard_csv. */
void ws_wordshard_fetch_row(const ws_wordshard *s, unsigned docid, int stage);

/* Asks the processor to fetch what ws_wordshard_doc reads of docid
 * (stage 0: where its fields are) or, once that is in, the start of its
 * texts and words (stage 1), ahead of reading them: the documents of a
 * sweep are far apart in memory. Reads nothing itself (stage 1 reads
 * what stage 0 fetched). */
void ws_wordshard_fetch(const ws_wordshard *s, unsigned docid, int stage);

/* The shard's dictionary: how many words, each word's length in bytes
 * (by number, WS_WORDCACHE_STOP not set), and a word's text (len bytes,
 * NUL after). Valid while the shard is taken. */
size_t ws_wordshard_size(const ws_wordshard *s);
const uint32_t *ws_wordshard_lengths(const ws_wordshard *s);
const char *ws_wordshard_word(const ws_wordshard *s, uint32_t id, size_t *len);

/* What a cache holds now: the shards copied, their documents and words,
 * and the bytes they take. */
typedef struct ws_wordcache_stats {
    unsigned shards;
    unsigned long long documents, words, bytes;
} ws_wordcache_stats;
void ws_wordcache_stat(ws_wordcache *c, ws_wordcache_stats *out);

#ifdef __cplusplus
}
#endif
#endif
