// compact.cc - an index compacted shard by shard (index.h,
// ws_index_compact), safe against a kill at any point; no exception leaves
// this file.
#include "index.h"

#include <xapian.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <sys/stat.h>

#include "index_int.h"
#include "layout.h"
#include "xapian_status.h"

using ws::map_error;
using ws_store::set_err;
using ws_store::shard_path;
using ws_store::sync_folder;
using ws_store::sync_path;

namespace
{

bool exists(const std::string &p)
{
    struct stat sb;
    return lstat(p.c_str(), &sb) == 0;
}

// rename(), then a sync of the folder, so that the order of the renames is
// the order on disk.
bool rename_synced(const std::string &dir, const std::string &from, const std::string &to,
                   std::string &msg)
{
    if (std::rename(from.c_str(), to.c_str()) != 0) {
        msg = "cannot rename " + from + " to " + to + ": " + strerror(errno);
        return false;
    }
    return sync_path(dir, msg);
}

// Undoes or finishes what a compaction that was killed left (layout.h):
// shardK gone and shardK.old there means the kill came between the two
// renames, and the old shard goes back; shardK there with shardK.old means
// the swap was done and the old one is removed; shardK.compact is always an
// unfinished copy.
bool recover(const std::string &dir, unsigned n, std::string &msg)
{
    for (unsigned i = 0; i < WS_INDEX_MAX_SHARDS; i++) {
        std::string path = shard_path(dir, i);
        std::string tmp = path + ".compact", old = path + ".old";
        if (i < n && !exists(path) && exists(old) && !rename_synced(dir, old, path, msg))
            return false;
        std::filesystem::remove_all(tmp);
        if (i < n && exists(path))
            std::filesystem::remove_all(old);
    }
    return sync_path(dir, msg);
}

} // namespace

// Safe against a kill at any point: the compacted copy is made and synced
// beside the shard, and only then swapped in by two renames; whatever a
// kill leaves, the next run puts right first (recover), and an index found
// so is refused by everything else until then (layout.h).
WS_API ws_status ws_index_compact(const char *dir, char *errbuf, size_t errlen)
{
    std::string msg;
    try {
        char lerr[1024] = "";
        unsigned n = 0, orphans = 0;
        ws_status lst = ws_layout_stub_shards(dir, &n, lerr, sizeof lerr);
        if (lst != WS_OK) {
            set_err(errbuf, errlen, lerr);
            return lst;
        }
        // the lock before anything is undone: another compaction's copy in
        // the making looks like one a kill left
        int fd = -1;
        if ((lst = ws_layout_lock_compaction(dir, &fd, lerr, sizeof lerr)) != WS_OK) {
            set_err(errbuf, errlen, lerr);
            return lst;
        }
        struct unlock {
            int fd;
            ~unlock()
            {
                ws_layout_unlock(fd);
            }
        } unlock_at_end{fd};
        if (!recover(dir, n, msg)) {
            set_err(errbuf, errlen, msg);
            return WS_EIO;
        }
        if ((lst = ws_layout_check_write(dir, &n, &orphans, lerr, sizeof lerr)) != WS_OK) {
            set_err(errbuf, errlen, lerr);
            return lst;
        }
        for (unsigned i = 0; i < n; i++) {
            std::string path = shard_path(dir, i);
            std::string tmp = path + ".compact", old = path + ".old";
            std::filesystem::remove_all(tmp);
            {
                // Opened for writing to hold the lock while it is copied.
                Xapian::WritableDatabase db(path, Xapian::DB_OPEN);
                db.compact(tmp, Xapian::DBCOMPACT_NO_RENUMBER);
            }
            if (!sync_folder(tmp, msg) || !rename_synced(dir, path, old, msg) ||
                !rename_synced(dir, tmp, path, msg)) {
                set_err(errbuf, errlen, msg);
                return WS_EIO;
            }
            std::filesystem::remove_all(old);
        }
        return WS_OK;
    } catch (const Xapian::Error &e) {
        ws_status st = map_error(e, msg);
        if (st == WS_ELOCKED)
            msg = std::string("the index ") + dir +
                  " is being written by another process (wensuo-index or wensuo-searchd): "
                  "compact it when that has stopped";
        set_err(errbuf, errlen, msg);
        return st;
    } catch (const std::exception &e) {
        set_err(errbuf, errlen, e.what());
        return WS_EIO;
    } catch (...) {
        set_err(errbuf, errlen, "unexpected exception");
        return WS_EINTERNAL;
    }
}
