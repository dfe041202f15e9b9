/* layout.h - the one place that knows how an index lies on disk.
 *
 * An index is a folder holding shards (Xapian glass databases named shard0,
 * shard1, ...) and a stub file, XAPIANDB, that lists them one a line as
 * "auto shardN" (or "remote HOST:PORT" for a shard another machine serves
 * with xapian-tcpsrv), so that Xapian opens the folder as one database. */
#ifndef WS_LAYOUT_H
#define WS_LAYOUT_H

#include <stddef.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_LAYOUT_STUB "XAPIANDB"
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

/* The shard count of a new index made without one: the cores, from 1 to
 * WS_LAYOUT_DEFAULT_SHARDS_MAX. */
unsigned ws_layout_default_shards(void);

#ifdef __cplusplus
}
#endif
#endif
