// index_int.h - what the writable index's two files share (index.cc, the
// index; compact.cc, its compaction): C++ only, private to indexer/store.
#ifndef WS_INDEX_INT_H
#define WS_INDEX_INT_H

#include <cstddef>
#include <string>

namespace ws_store
{

// msg into buf (len bytes), cut to fit.
void set_err(char *buf, size_t len, const std::string &msg);

// The path of shard i of dir; throws Xapian::InvalidArgumentError when it
// is too long.
std::string shard_path(const std::string &dir, unsigned i);

// fsync of one file or folder; false with msg set on failure.
bool sync_path(const std::string &path, std::string &msg);

// Every file of a folder and the folder itself, synced (a shard).
bool sync_folder(const std::string &path, std::string &msg);

} // namespace ws_store

#endif
