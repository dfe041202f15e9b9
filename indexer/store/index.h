/* index.h - the writable index: the C API over Xapian's WritableDatabase.
 *
 * An index is a directory holding N shards (shard0 ... shardN-1, each a Xapian
 * glass database) and a stub file XAPIANDB listing them, so that any Xapian
 * reader, and Xapian's remote backend, opens the whole as one database. A
 * document lives in the shard its id hashes to (schema.h), so that replacing
 * and deleting by id touch one shard, and N threads can write N shards at
 * once. The number of shards is fixed when the index is created.
 *
 * Every function catches every Xapian exception and maps it to a status; the
 * message is kept on the handle (ws_index_errmsg) until the next call on it.
 * Threads: the shards of one ws_index may be written by different threads at
 * once, each shard by one thread at a time; ws_index_open/close are not. */
#ifndef WS_INDEX_H
#define WS_INDEX_H

#include "analyzer.h"
#include "document.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_INDEX_MAX_SHARDS 64

typedef struct ws_index ws_index;

/* Opens the index in dir for writing, creating it with nshards shards (1 to
 * WS_INDEX_MAX_SHARDS) when it does not exist; an existing index keeps its own
 * number. Returns WS_ELOCKED when another process writes it. On failure *out
 * is NULL and errbuf says why. The caller frees *out with ws_index_close(). */
ws_status ws_index_open(const char *dir, unsigned nshards, ws_index **out, char *errbuf,
                        size_t errlen);

/* Flags of ws_index_open_flags(). */
#define WS_INDEX_BULK                                                                              \
    1u /* if this call creates the index: commits skip fsync, and                                  \
        * ws_index_close syncs every file once. A killed process                                   \
        * still leaves every commit; a power cut during the run                                    \
        * may not (run it again). An existing index ignores it. */

#define WS_INDEX_NO_WORDS                                                                          \
    2u /* documents written get no word list (text/wordlist.h): an                                 \
        * index about a fifth smaller, whose collocates read each                                  \
        * matching document's stored text instead (several times                                   \
        * slower) */

#define WS_INDEX_NO_ROWS                                                                           \
    4u /* documents written get no export row (schema/row.h), as an                                \
        * index made before them: for the tests of what reads them */

/* ws_index_open() with flags. */
ws_status ws_index_open_flags(const char *dir, unsigned nshards, unsigned flags, ws_index **out,
                              char *errbuf, size_t errlen);

/* Records in every shard the word vectors that documents will be given
 * vectors with (vectors.h; NULL for none), or refuses with WS_EINVAL and
 * errbuf saying why when the index holds documents made with other vectors
 * or with vectors while v is NULL: their vectors and the new ones would not
 * compare. Call once after opening, before writing, from one thread. */
struct ws_vectors;
ws_status ws_index_check_vectors(ws_index *ix, const struct ws_vectors *v, char *errbuf,
                                 size_t errlen);

/* Commits what is pending and closes; NULL is allowed. After a bulk build,
 * syncs the index to disk (WS_EIO when that fails). */
ws_status ws_index_close_msg(ws_index *ix, char *errbuf, size_t errlen);

/* ws_index_close_msg() without the message. */
ws_status ws_index_close(ws_index *ix);

unsigned ws_index_nshards(const ws_index *ix);

/* The shard that holds (or will hold) id. */
unsigned ws_index_shard_of(const ws_index *ix, const char *id);

/* The most distinct terms one document may have. Xapian builds a document
 * in memory as a map of its terms with their positions, some 300 bytes a
 * term: text of every character different (a random sample, a table of
 * codes) makes three terms a character, 2.6 GB for 8 MiB of it, where
 * prose of that size has a few hundred thousand. */
#define WS_INDEX_MAX_DOC_TERMS 2000000u

/* A commit is not begun without about this much free room on the shard's
 * file system: WS_INDEX_COMMIT_MIN bytes (a commit rewrites the root and
 * the path to each changed block of every table) and WS_INDEX_COMMIT_FACTOR
 * bytes a byte of text indexed since the last (ws_index_commit: WS_EIO, "No space
 * left on device", rather than Xapian running out partway). */
#define WS_INDEX_COMMIT_MIN    (16u << 20)
#define WS_INDEX_COMMIT_FACTOR 16u

/* Analyzes doc with a (the caller's, one per thread) and adds it to its
 * shard, replacing the document with the same id. Not visible to readers
 * until ws_index_commit of that shard. WS_ETOOBIG for a document of more
 * than WS_INDEX_MAX_DOC_TERMS distinct terms (nothing added), with
 * ws_index_errmsg saying so. */
ws_status ws_index_put(ws_index *ix, ws_analyzer *a, const ws_doc *doc);

/* Adds a document made of the given terms instead of analyzed text (term i
 * at position pos[i], 0 for none), replacing the one with the same id; for
 * tools that compare other analyses with Wensuo's (tools/bench_index). */
ws_status ws_index_put_terms(ws_index *ix, const char *id, const char *const *terms,
                             const uint32_t *pos, size_t n);

/* Deletes the document with this id; WS_ENOTFOUND when there is none. */
ws_status ws_index_delete(ws_index *ix, const char *id);

/* Commits one shard (atomic: after a crash the shard opens at its last
 * commit). */
ws_status ws_index_commit(ws_index *ix, unsigned shard);

/* Commits every shard. */
ws_status ws_index_commit_all(ws_index *ix);

/* Documents in the index (committed or not). */
unsigned long ws_index_doccount(ws_index *ix);

/* The documents the index in dir holds as committed, into *n (read after
 * ws_index_close: what a reader will find). WS_OK, or the status of the
 * failure to open it. */
ws_status ws_index_count_dir(const char *dir, unsigned long *n);

/* The message of the last error on shard (or on the index for shard
 * WS_INDEX_MAX_SHARDS); owned by the handle, valid until the next call. */
const char *ws_index_errmsg(const ws_index *ix, unsigned shard);

/* Compacts every shard in place (xapian-compact), for the smallest index. */
ws_status ws_index_compact(const char *dir, char *errbuf, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
