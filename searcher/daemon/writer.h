/* writer.h - the daemon's one writer: a thread that owns the index for
 * writing and applies submitted batches in group commits.
 *
 * A batch (documents to add or replace, ids to delete) is applied and then
 * committed together with every other batch that was waiting, so that many
 * small posts cost one commit (the shards of a group are applied and
 * committed in parallel, a thread each); its done callback runs, on the
 * writer thread,
 * only after that commit is on disk (or failed). A group holds at most
 * WS_WRITER_MAX_GROUP_DOCS documents and WS_WRITER_MAX_GROUP_TEXT bytes of
 * text, and a shard commits every WS_WRITER_SLICE_TEXT bytes within one,
 * since what Xapian holds until a commit grows with the text (random CJK,
 * a new pair of characters every character, costs ~90 times its size):
 * large posts arriving together are committed one after another, not as
 * one. The generation counter
 * grows after every successful commit: a searcher that has seen an older
 * generation must reopen before it answers, which makes a write visible to
 * the very next search. A failed group (full disk, read-only index, an
 * index that cannot be reopened) fails every batch in it and leaves the
 * writer ready for the next one; its changes may still have reached the
 * disk in part (Xapian commits what is pending when the index is closed,
 * and shards commit one by one), so a caller reports "not committed, send
 * again", which is safe because adding by id replaces. The message of a
 * failure starts "No space left on device" when the index's file system has
 * less than WS_WRITER_FULL_BYTES free, and "the file system of the index is
 * read-only" when it is mounted so.
 *
 * For tests: while the file named by $WENSUO_TEST_FAIL_WRITES (read at
 * open) exists, every group fails before touching the index, with a "No
 * space left on device (simulated)" message.  */
#ifndef WS_WRITER_H
#define WS_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include "document.h"
#include "lexicon.h"
#include "readgate.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_WRITER_MAX_GROUP_DOCS 20000 /* documents in one commit at most */
#define WS_WRITER_MAX_GROUP_TEXT                                                                   \
    (8u << 20) /* bytes of titles and bodies in a group at most                                    \
                  (one batch larger than this is a group alone) */
#define WS_WRITER_SLICE_TEXT                                                                       \
    (8u << 20)                          /* a shard commits after this much text, so that           \
                                           Xapian's buffer of a large batch stays bounded */
#define WS_WRITER_MAX_QUEUE  1024       /* batches waiting at most */
#define WS_WRITER_NICE       10         /* the writer's threads' nice value: searches first */
#define WS_WRITER_FULL_BYTES (1u << 20) /* a failed commit with less free is a full disk */

typedef struct ws_writer ws_writer;

/* Called once per batch, on the writer thread: st is WS_OK when the batch
 * is committed; msg (valid during the call) says what failed otherwise;
 * deleted counts the ids that existed. */
typedef void (*ws_writer_done_cb)(void *ctx, ws_status st, const char *msg, size_t added,
                                  size_t deleted);

/* Opens dir for writing (creating it with nshards shards if new) and starts
 * the thread. Each commit goes through gate (readgate.h; NULL for none),
 * which must outlive the writer. WS_ELOCKED when another process writes the index, WS_EIO when
 * it cannot be written at all (a read-only file system, no permission). On
 * failure *out is NULL and errbuf says why; free with ws_writer_close(). */
ws_status ws_writer_open(const char *dir, const ws_lexicon *lex, unsigned nshards,
                         ws_readgate *gate, ws_writer **out, char *errbuf, size_t errlen);

/* Queues a batch. The writer takes docs (the array and each document) and
 * ids (the array and each string), whatever the result. WS_ETOOBIG when the
 * queue is full (try later); otherwise done will be called exactly once. */
ws_status ws_writer_submit(ws_writer *w, ws_doc **docs, size_t ndocs, char **ids, size_t nids,
                           ws_writer_done_cb done, void *ctx);

/* The number of successful commits so far (thread-safe). */
uint64_t ws_writer_generation(const ws_writer *w);

/* The documents committed and the ids deleted so far, from every source
 * (POST, DELETE, the drop folder); thread-safe. */
void ws_writer_changes(const ws_writer *w, uint64_t *added, uint64_t *deleted);

/* Finishes every queued batch (calling their callbacks), commits, stops
 * the thread and closes the index. NULL is allowed. */
void ws_writer_close(ws_writer *w);

#ifdef __cplusplus
}
#endif
#endif
