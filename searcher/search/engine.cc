// engine.cc - the read side of the C API over Xapian (engine.h): the handle,
// its retry when a writer overwrites what it reads, its documents and
// statistics. A ranked page and its matches' documents are mset.cc's, the
// lists of every match dblist.cc's, the count by sets counter.cc's, the
// keeper of a page at its deadline keeper.cc's, the facets facets.cc's and
// the Xapian query of a tree xapian_query.cc's. No exception leaves this
// file.
#include "engine.h"
#include "engine_int.h"

#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "counter.h"
#include "iddoc.h"
#include "layout.h"
#include "mset.h"
#include "schema.h"
#include "xapian_status.h"

extern "C" {
#include "crew.h"
}

struct ws_db {
    std::string dir;
    Xapian::Database db;
    std::string errmsg;
    // how many documents cite a key (ws_db_cited), for the revision open:
    // cleared when a reopen moves on, so that a question asks Xapian (and
    // over the remote backend, each shard's server) only for new wholes
    std::unordered_map<uint64_t, unsigned> cited;
    // whether every shard is local: over the remote backend a value stream
    // is sent whole, so values are read document by document there
    bool local = true;
    // each local shard on its own, sharing its state with db (the same
    // revision, reopened with it): one thread may read one shard while
    // another reads another (ws_valuecursor_open_shard); empty over the
    // remote backend
    std::vector<Xapian::Database> shards;
    std::string vectors; // WS_VECTORS_KEY: the vectors its documents were made with
    bool spaces = false; // of format 4 or later: every document has its space terms
    bool folded = false; // of format 4 or older: 著 and the rest of normalize.h's kept
                         // characters folded (着), so that a query holding one finds nothing
    double deadline = 0; // ws_db_set_deadline
    double budget = 0;   // and how long it was from when it was set
    ws_wordcache *words = nullptr; // ws_db_set_words: not the handle's
};

/* Whether the stub file in dir lists a remote shard ("remote ..."). */
static bool stub_has_remote(const std::string &dir)
{
    ws_stub stub;
    return ws_layout_read_stub(dir.c_str(), &stub, nullptr, 0) == WS_OK && stub.remote > 0;
}

/* Opens db->dir: shard by shard where its stub lists local shards alone,
 * as Xapian would from the stub, keeping each; else from the stub. */
static void open_shards(ws_db *db)
{
    ws_stub stub;
    if (ws_layout_read_stub(db->dir.c_str(), &stub, nullptr, 0) == WS_OK && !stub.remote &&
        stub.local) {
        for (unsigned i = 0; i < stub.local; i++) {
            char path[4096];
            if (ws_layout_shard_path(db->dir.c_str(), i, path, sizeof path) != WS_OK)
                break;
            db->shards.emplace_back(path);
            db->db.add_database(db->shards.back());
        }
        if (db->shards.size() == stub.local)
            return;
        db->shards.clear();
    }
    db->db = Xapian::Database(db->dir);
    db->local = !stub_has_remote(db->dir);
}

using ws::caught;
using ws::map_error;

WS_API ws_status ws_db_open(const char *dir, ws_db **out, char *errbuf, size_t errlen)
{
    *out = nullptr;
    try {
        auto db = std::make_unique<ws_db>();
        db->dir = dir;
        // An index that is there but incomplete is not served in part, and
        // a stub that would have Xapian run a program is not followed.
        ws_status lst = ws_layout_check_read(dir, errbuf, errlen);
        if (lst != WS_OK)
            return lst;
        open_shards(db.get());
        db->vectors = db->db.get_metadata(WS_VECTORS_KEY);
        std::string format = db->db.get_metadata(WS_FORMAT_KEY);
        int number = ws_schema_format_number(format.empty() ? "1" : format.c_str());
        // the oldest of the shards (a writer from before one could leave them
        // apart); over the remote backend the first's
        for (const Xapian::Database &sh : db->shards) {
            std::string f = sh.get_metadata(WS_FORMAT_KEY);
            int k = ws_schema_format_number(f.empty() ? "1" : f.c_str());
            if (sh.get_doccount() > 0 && k < number)
                number = k;
        }
        db->spaces = number >= 4;
        db->folded = number < 5 && db->db.get_doccount() > 0;
        if (!ws_schema_format_known(format.empty() ? "1" : format.c_str()) &&
            db->db.get_doccount() > 0) {
            std::snprintf(errbuf, errlen,
                          "the index %s was built by %s Wensuo (index format %s, this one "
                          "reads %s to %s): its phrases would be answered wrongly; build it "
                          "again with wensuo-index",
                          dir,
                          ws_schema_format_number(format.c_str()) >
                                  ws_schema_format_number(WS_FORMAT)
                              ? "a newer"
                              : "an older",
                          format.empty() ? "1" : format.c_str(), WS_FORMAT_OLDEST, WS_FORMAT);
            return WS_EINVAL;
        }
        *out = db.release();
        return WS_OK;
    } catch (const Xapian::Error &e) {
        std::string msg;
        ws_status st = map_error(e, msg);
        std::snprintf(errbuf, errlen, "cannot open the index %s: %s", dir, msg.c_str());
        return st;
    } catch (...) {
        std::snprintf(errbuf, errlen, "cannot open the index %s", dir);
        return WS_EINTERNAL;
    }
}

Xapian::Database &ws__db_xapian(ws_db *db)
{
    return db->db;
}

std::string &ws__db_message(ws_db *db)
{
    return db->errmsg;
}

const std::string &ws__db_dir(ws_db *db)
{
    return db->dir;
}

bool ws__db_local(const ws_db *db)
{
    return db->local;
}

size_t ws__db_nshards(const ws_db *db)
{
    return db->shards.size();
}

Xapian::Database &ws__db_shard(ws_db *db, size_t i)
{
    return db->shards[i];
}

bool ws__db_by_shard(const ws_db *db)
{
    const char *env = std::getenv("WS_BY_SHARD");
    return db->local && db->shards.size() >= 2 && db->shards.size() <= WS_CREW_MAX &&
           !(env && !std::strcmp(env, "0"));
}

WS_API const char *ws_db_vectors(const ws_db *db)
{
    return db->vectors.c_str();
}

WS_API int ws_db_folded(const ws_db *db)
{
    return db->folded;
}

WS_API int ws_db_spaces(const ws_db *db)
{
    return db->spaces;
}

WS_API void ws_db_close(ws_db *db)
{
    delete db;
}

WS_API ws_status ws_db_reopen(ws_db *db, int *changed)
{
    try {
        bool c = db->db.reopen();
        if (c)
            db->cited.clear();
        if (changed)
            *changed = c;
        return WS_OK;
    } catch (...) {
        return caught(db->errmsg);
    }
}

/* Runs f, reopening the database and trying again (twice at most) when a
 * writer has overwritten the revision it was reading; every exception
 * becomes a status with its message on the handle. */
template <typename F> static ws_status with_reopen(ws_db *db, F f)
{
    for (int attempt = 0;; attempt++) {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError &e) {
            if (attempt >= 2)
                return map_error(e, db->errmsg);
            try {
                db->db.reopen();
                db->cited.clear();
            } catch (...) {
            }
        } catch (...) {
            return caught(db->errmsg);
        }
    }
}

WS_API ws_status ws_db_run(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out)
{
    *out = nullptr;
    return with_reopen(db, [&] { return ws::run_once(db, q, o, out); });
}

WS_API ws_status ws_db_count(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out)
{
    *out = nullptr;
    return with_reopen(db, [&] { return ws::count_once(db, q, o, out); });
}

WS_API ws_status ws_db_cited(ws_db *db, const uint64_t *keys, size_t n, unsigned *counts)
{
    return with_reopen(db, [&] {
        if (db->cited.size() > WS_DB_CITED_CACHE)
            db->cited.clear();
        for (size_t i = 0; i < n; i++) {
            counts[i] = 0;
            if (!keys[i])
                continue;
            auto it = db->cited.find(keys[i]);
            if (it == db->cited.end()) {
                char t[WS_SCHEMA_CITE_TERM];
                Xapian::doccount c =
                    db->db.get_termfreq(std::string(t, ws_schema_cite_term(keys[i], t)));
                it = db->cited.emplace(keys[i], c).first;
            }
            counts[i] = it->second;
        }
        return WS_OK;
    });
}

WS_API ws_status ws_db_get(ws_db *db, const char *id, char **out)
{
    *out = nullptr;
    return with_reopen(db, [&] {
        Xapian::docid did = ws::iddoc_find(db->db, id);
        if (!did)
            return WS_ENOTFOUND;
        std::string data = db->db.get_document(did).get_data();
        *out = strdup(data.c_str());
        return *out ? WS_OK : WS_ENOMEM;
    });
}

WS_API ws_status ws_db_fill(ws_db *db, ws_match *m, int hit_only)
{
    return with_reopen(db, [&] {
        ws::fill(db->db.get_document(m->docid), m, hit_only);
        return WS_OK;
    });
}

WS_API ws_status ws_db_fill_hits(ws_db *db, ws_match *m, size_t n)
{
    return with_reopen(db, [&] {
        ws::fill_hits(db, m, n);
        return WS_OK;
    });
}

WS_API ws_status ws_db_stats(ws_db *db, unsigned long *docs, unsigned long *terms,
                             unsigned long long *bytes, unsigned *shards)
{
    try {
        // Statistics Xapian keeps with each revision: nothing walks the
        // terms, so that /stats costs the same on any index and does not
        // read posting lists (where a damaged block could bring down the
        // process rather than throw).
        *docs = db->db.get_doccount();
        *terms = (unsigned long)db->db.get_total_length();
        unsigned long long b = 0;
        std::error_code ec;
        if (stub_has_remote(db->dir))
            b = WS_DB_BYTES_UNKNOWN;
        else
            for (auto &e : std::filesystem::recursive_directory_iterator(db->dir, ec))
                if (e.is_regular_file(ec))
                    b += e.file_size(ec);
        *bytes = b;
        *shards = (unsigned)db->db.size();
        return WS_OK;
    } catch (...) {
        return caught(db->errmsg);
    }
}

WS_API ws_status ws_db_doccount(ws_db *db, unsigned long *docs)
{
    try {
        *docs = db->db.get_doccount();
        return WS_OK;
    } catch (...) {
        return caught(db->errmsg);
    }
}

WS_API const char *ws_db_errmsg(const ws_db *db)
{
    return db->errmsg.c_str();
}

WS_API ws_status ws_db_data(ws_db *db, unsigned docid, char **out)
{
    *out = nullptr;
    try {
        std::string data = db->db.get_document(docid).get_data();
        *out = static_cast<char *>(std::malloc(data.size() + 1));
        if (!*out)
            return WS_ENOMEM;
        std::memcpy(*out, data.data(), data.size());
        (*out)[data.size()] = '\0';
        return WS_OK;
    } catch (const Xapian::DocNotFoundError &) {
        return WS_ENOTFOUND;
    } catch (...) {
        return caught(db->errmsg);
    }
}

WS_API ws_status ws_db_collection_freq(ws_db *db, const char *term, unsigned long long *out)
{
    *out = 0;
    try {
        *out = db->db.get_collection_freq(term);
        return WS_OK;
    } catch (...) {
        return caught(db->errmsg);
    }
}

/* The revision of each shard of dir, as text: a database of several shards
 * has no revision of its own. */
static std::string shard_revisions(const std::string &dir)
{
    ws_stub stub;
    std::string revs;
    if (ws_layout_read_stub(dir.c_str(), &stub, nullptr, 0) != WS_OK)
        return revs;
    for (unsigned i = 0; i < stub.local; i++) {
        char path[4096];
        if (ws_layout_shard_path(dir.c_str(), i, path, sizeof path) == WS_OK)
            revs += std::to_string(Xapian::Database(path).get_revision()) + ",";
    }
    return revs;
}

WS_API ws_status ws_db_view(ws_db *db, char *buf)
{
    try {
        // what the handle reads, and each shard's revision: a document
        // replaced by one of the same length moves only the latter. The
        // revisions the handle reads, not those on disk: a stream reading
        // one revision to its end (the writer holds back for it) pages
        // through its own cursors while commits go on
        std::string revs;
        for (const Xapian::Database &sh : db->shards)
            revs += std::to_string(sh.get_revision()) + ",";
        if (db->shards.empty() && db->local)
            revs = shard_revisions(db->dir);
        std::string v = db->db.get_uuid() + "/" + std::to_string(db->db.get_doccount()) + "/" +
                        std::to_string(db->db.get_lastdocid()) + "/" +
                        std::to_string(db->db.get_total_length()) + "/" + revs;
        // FNV-1a, 64 bits, twice (two seeds): a name, not a secret
        uint64_t h1 = 1469598103934665603ull, h2 = 1099511628211ull * 31;
        for (unsigned char c : v) {
            h1 = (h1 ^ c) * 1099511628211ull;
            h2 = (h2 ^ c) * 1099511628211ull + 7;
        }
        std::snprintf(buf, WS_DB_VIEW_LEN, "%016llx%016llx", (unsigned long long)h1,
                      (unsigned long long)h2);
        return WS_OK;
    } catch (...) {
        buf[0] = '\0';
        return caught(db->errmsg);
    }
}

WS_API ws_status ws_db_shard_view(ws_db *db, unsigned k, char *buf, unsigned *lastdocid)
{
    buf[0] = '\0';
    *lastdocid = 0;
    if (k >= db->shards.size())
        return WS_EINVAL;
    try {
        Xapian::Database &sh = db->shards[k];
        std::string v = sh.get_uuid() + "@" + std::to_string(sh.get_revision());
        if (v.size() >= WS_DB_SHARD_VIEW_LEN)
            return WS_EINVAL; // (a UUID is 36 characters, a revision at most 10)
        std::memcpy(buf, v.c_str(), v.size() + 1);
        *lastdocid = sh.get_lastdocid();
        return WS_OK;
    } catch (...) {
        buf[0] = '\0';
        return caught(db->errmsg);
    }
}

WS_API void ws_db_set_words(ws_db *db, ws_wordcache *wc)
{
    db->words = wc;
}

WS_API ws_wordcache *ws_db_words(ws_db *db)
{
    return db->words;
}

WS_API void ws_db_set_deadline(ws_db *db, double at)
{
    db->deadline = at;
    db->budget = at > 0 ? at - ws_db_now() : 0;
}

WS_API void ws_db_restart_deadline(ws_db *db)
{
    if (db->deadline > 0)
        db->deadline = ws_db_now() + db->budget;
}

WS_API double ws_db_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

WS_API int ws_db_past_deadline(const ws_db *db)
{
    return db->deadline > 0 && ws_db_now() > db->deadline;
}
