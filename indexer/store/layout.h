/* layout.h - the one place that knows how an index lies on disk.
 *
 * An index is a folder holding shards (Xapian glass databases named shard0,
 * shard1, ...) and a stub file, XAPIANDB, that lists them one a line as
 * "auto shardN" (or "remote HOST:PORT" for a shard another machine serves
 * with xapian-tcpsrv), so that Xapian opens the folder as one database.
 *
 * An index folder DIR holds:
 *   DIR/XAPIANDB        the stub: one line "auto shardK" per shard, K from 0
 *                       up, which Xapian reads to open the shards as one
 *   DIR/shardK          shard K, a Xapian glass database (has DIR/shardK/iamglass)
 *   DIR/shardK.compact  a compacted copy being made by ws_index_compact()
 *   DIR/shardK.old      the shard it replaces, until it is removed
 * The last two exist only while a compaction runs; found otherwise, they are
 * what a compaction that was killed left, which ws_index_compact() undoes or
 * finishes before it starts again.
 *
 * Only a missing or empty folder is a new index: a folder that is there but
 * incomplete (stub lost or garbled, a shard folder gone, leftovers of a
 * compaction) is refused with a message that says how to recover, never
 * re-created over what is left (its documents would be served in part, and
 * re-posting them would put them twice in other shards).
 *
 * A stub made by hand may name other databases (test_remote.sh serves shards
 * over xapian-tcpsrv): readers accept "auto PATH" and "remote HOST:PORT"
 * lines, blank lines and "#" comments. Any other line, above all "remote
 * :PROGRAM ARGS", which Xapian runs as a command when it opens the stub, is
 * refused unless $WENSUO_ALLOW_STUB_PROGRAMS is 1 (the programs' option
 * --allow-stub-programs sets it).
 *
 * Threads: every function may be called from any thread. */
#ifndef WS_LAYOUT_H
#define WS_LAYOUT_H

#include <stddef.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_LAYOUT_STUB      "XAPIANDB"
#define WS_LAYOUT_ALLOW_ENV "WENSUO_ALLOW_STUB_PROGRAMS"
#define WS_LAYOUT_MAX_STUB  (64u << 10) /* bytes of a stub at most */
#define WS_LAYOUT_PATH_MAX  4096
/* An index created without a shard count gets one shard per core, at most
 * this many: writes and compaction run per shard, while every search visits
 * them all. */
#define WS_LAYOUT_DEFAULT_SHARDS_MAX 8

/* What a stub lists. */
typedef struct ws_stub {
    unsigned local;  /* "auto shardN" lines */
    unsigned remote; /* "remote ..." lines */
} ws_stub;

/* Reads dir's stub into *out. WS_ENOTFOUND (and *out zeroed) when there is
 * none; WS_EIO with errbuf saying why when it cannot be read. */
ws_status ws_layout_read_stub(const char *dir, ws_stub *out, char *errbuf, size_t errlen);

/* Writes a stub listing shard0..shard{n-1} to dir, durably (written to a
 * temporary file, synced, renamed into place). WS_EIO with errbuf on failure. */
ws_status ws_layout_write_stub(const char *dir, unsigned n, char *errbuf, size_t errlen);

/* Writes dir/name into buf (cap bytes); WS_ETOOBIG when it does not fit. */
ws_status ws_layout_path(const char *dir, const char *name, char *buf, size_t cap);

/* Writes the path of shard i of dir into buf (cap bytes); WS_ETOOBIG when it
 * does not fit. */
ws_status ws_layout_shard_path(const char *dir, unsigned i, char *buf, size_t cap);

/* Checks dir as an index to write. WS_OK with *nshards = the shards its stub
 * lists, each there; or *nshards = 0 when dir is missing or holds nothing
 * but shard folders shard0 .. shard{*orphans - 1} and no stub (a creation
 * that was cut short: the caller checks that they hold no document before
 * it takes dir as new). Otherwise WS_ECORRUPT (WS_EINVAL for a folder that
 * is not an index) with err saying what is wrong and how to recover. */
ws_status ws_layout_check_write(const char *dir, unsigned *nshards, unsigned *orphans, char *err,
                                size_t errlen);

/* Checks dir as an index to read: its stub's lines (above), the stubs
 * those name in turn (stub.h), and when they are all "auto shardK" lines,
 * that the index is whole as for writing. A plain Xapian database is left
 * to Xapian, unless it is one shard of a Wensuo index (refused: it holds
 * part of the documents); a path that is no folder must be a single-file
 * database or a stub file by the same rule (stub.h). WS_OK; WS_ENOTFOUND
 * when dir does not exist; WS_EIO when it cannot be listed; WS_EINVAL for
 * a folder that is empty or holds no index; WS_ECORRUPT for
 * a stub that is garbled or lost beside its shards: err says why and how
 * to recover. */
ws_status ws_layout_check_read(const char *dir, char *err, size_t errlen);

/* The number of shards dir's stub lists, the stub alone checked (for
 * ws_index_compact(), which then repairs what a compaction left). WS_OK, or
 * WS_ECORRUPT with err saying why. */
ws_status ws_layout_stub_shards(const char *dir, unsigned *n, char *err, size_t errlen);

/* Whether the folder other is dir, lies inside it or holds it (after
 * symbolic links and "..", as far as the folders exist): a drop folder
 * that does would take the index's own files for documents to move away.
 * 1 or 0. */
int ws_layout_overlaps(const char *dir, const char *other);

/* Takes the lock of a compaction of dir (an exclusive flock of its stub,
 * which no other program locks), so that two compactions cannot undo each
 * other's copies and the other programs can tell a compaction running from
 * one that was stopped: WS_OK with *fd to give to ws_layout_unlock;
 * WS_ELOCKED with err saying so when another holds it; WS_EIO. */
ws_status ws_layout_lock_compaction(const char *dir, int *fd, char *err, size_t errlen);
void ws_layout_unlock(int fd);

/* The shard count of a new index made without one: the cores, from 1 to
 * WS_LAYOUT_DEFAULT_SHARDS_MAX. */
unsigned ws_layout_default_shards(void);

#ifdef __cplusplus
}
#endif
#endif
