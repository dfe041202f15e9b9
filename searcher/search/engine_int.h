// engine_int.h - what the other C++ files of this layer (mset.cc,
// dblist.cc, counter.cc, positions.cc, poscounter.cc) take from an index
// handle: its Xapian database, its message and where its shards are. The
// handle stays its owner's (engine.h). C++ only; not a public header.
#ifndef WS_ENGINE_INT_H
#define WS_ENGINE_INT_H

#include <xapian.h>

#include <string>

#include "engine.h"

// The database the handle reads (at the revision it is at) and the message
// ws_db_errmsg returns; valid while db is.
Xapian::Database &ws__db_xapian(ws_db *db);
std::string &ws__db_message(ws_db *db);
// The folder it was opened on.
const std::string &ws__db_dir(ws_db *db);
// Whether every shard it reads is local (none over the remote backend).
bool ws__db_local(const ws_db *db);
// Its local shards, each a database of its own that shares its state with
// the handle's (what it reads, and its reopens): shard i holds the handle's
// documents i + 1, i + 1 + n, ... (Xapian's interleaving), as its
// documents 1, 2, .... One thread may read one while another reads
// another, but none while the handle is read. 0 over the remote backend,
// or for an index without a stub.
size_t ws__db_nshards(const ws_db *db);
Xapian::Database &ws__db_shard(ws_db *db, size_t i);
// Whether a query's matches are counted and ranked a shard a thread
// (shardrank.h): two to WS_CREW_MAX local shards, and WS_BY_SHARD in the
// environment is not 0 (the tests' and benchmarks' switch to compare with
// the whole index on one thread).
bool ws__db_by_shard(const ws_db *db);

#endif
