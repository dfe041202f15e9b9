// engine_int.h - what the other C++ files of this layer (counter.cc,
// positions.cc) take from an index handle: its Xapian database, its message
// and where its shards are. The handle stays its owner's (engine.h). C++
// only; not a public header.
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

#endif
