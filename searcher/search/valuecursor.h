/* valuecursor.h - one value slot of an index read for documents asked in
 * rising docid order: through Xapian's value stream, which keeps a slot's
 * values together in docid order, so that reading one document's after
 * another's costs a step along the stream rather than opening the
 * document (the word lists of collocates, schema.h's WS_SLOT_WORDS). Over
 * the remote backend, which sends a stream whole, each is read from its
 * document instead. Internal to the search layer. */
#ifndef WS_VALUECURSOR_H
#define WS_VALUECURSOR_H

#include <stddef.h>
#include "engine.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_valuecursor ws_valuecursor;

/* The slot that names each document's data (its stored JSON) rather than
 * a value: read by a lookup of the document each, in the same order. */
#define WS_VALUECURSOR_DATA 0xFFFFFFFFu

/* A cursor over slot of db (which must outlive it) into *out. WS_ENOMEM. */
ws_status ws_valuecursor_open(ws_db *db, unsigned slot, ws_valuecursor **out);
void ws_valuecursor_close(ws_valuecursor *c);

/* How many shards of db a cursor may read each on its own: 0 over the
 * remote backend or without a stub (engine_int.h's ws__db_nshards). */
unsigned ws_valuecursor_shards(const ws_db *db);

/* A cursor over slot of shard shard (< ws_valuecursor_shards) of db alone
 * into *out, asked for db's docids that shard holds (d - 1 = shard modulo
 * the shards; another is WS_EINVAL). Cursors over different shards of one
 * db may be read by different threads at once, while nothing else reads db;
 * each keeps its message for ws_valuecursor_blame. WS_EINVAL, WS_ENOMEM. */
ws_status ws_valuecursor_open_shard(ws_db *db, unsigned shard, unsigned slot, ws_valuecursor **out);

/* Gives db the message of a failure of c (ws_db_errmsg), from the thread
 * that reads db; nothing for a cursor over the whole of db, which sets it
 * itself. */
void ws_valuecursor_blame(ws_valuecursor *c);

/* The value of docid, which must be above the last one asked, into *out
 * and *len (the cursor's, valid until its next call): WS_ENOTFOUND when the
 * document has none (or is gone); WS_EMODIFIED when the revision read has
 * gone; another status with ws_db_errmsg saying why. */
ws_status ws_valuecursor_get(ws_valuecursor *c, unsigned docid, const char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
