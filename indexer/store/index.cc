// index.cc - the writable index over Xapian (index.h). With compact.cc
// (its compaction), iddoc.cc and the C++ files of searcher/search/ behind
// engine.h, the only places where Xapian is used; no exception leaves this
// file.
#include "index.h"

#include <xapian.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <vector>

#include "cites.h"
#include "lexicon.h"
#include "normalize.h"
#include "vectors.h"
#include "row.h"
#include "schema.h"
#include "utf8.h"
#include "xapian_status.h"
#include "termgen.h"
#include "wordlist.h"
#include "date.h"
#include "iddoc.h"
#include "index_int.h"
#include "layout.h"

struct ws_index {
    std::string dir;
    bool bulk = false; // commits without fsync; close syncs every file
    bool words = true; // documents get their word lists (wordlist.h)
    bool rows = true;  // and their export rows (row.h)
    std::vector<Xapian::WritableDatabase> shards;
    std::vector<std::string> errmsg; // one per shard, then one for the index
    std::vector<uint64_t> pending;   // per shard, bytes of text put since its commit
    // per shard, whether a transaction holds what was written since its
    // commit: Xapian 1.4 can drop uncommitted changes only inside one (a
    // close commits them), and a commit refused for want of room must drop
    // them, not leave them to the close
    std::vector<char> txn;
};

namespace ws_store
{

void set_err(char *buf, size_t len, const std::string &msg)
{
    if (buf && len)
        std::snprintf(buf, len, "%s", msg.c_str());
}

// The path of shard i of dir.
std::string shard_path(const std::string &dir, unsigned i)
{
    char buf[4096];
    if (ws_layout_shard_path(dir.c_str(), i, buf, sizeof buf) != WS_OK)
        throw Xapian::InvalidArgumentError("the index path is too long: " + dir);
    return buf;
}

// fsync of one file or folder; false with msg set on failure.
bool sync_path(const std::string &path, std::string &msg)
{
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        msg = "cannot sync " + path + ": " + strerror(errno);
        if (fd >= 0)
            close(fd);
        return false;
    }
    close(fd);
    return true;
}

// Every file of a folder and the folder itself, synced.
bool sync_folder(const std::string &path, std::string &msg)
{
    std::error_code ec;
    std::filesystem::directory_iterator it(path, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        std::error_code fec;
        if (it->is_regular_file(fec) && !sync_path(it->path().string(), msg))
            return false;
    }
    if (ec) {
        msg = "cannot list " + path + ": " + ec.message();
        return false;
    }
    return sync_path(path, msg);
}

} // namespace ws_store

using ws_store::set_err;
using ws_store::shard_path;
using ws_store::sync_folder;
using ws_store::sync_path;

namespace
{

/* Opens shard's transaction, if none is (every write goes inside one). */
void begin_writes(ws_index *ix, unsigned shard)
{
    if (!ix->txn[shard]) {
        ix->shards[shard].begin_transaction(false);
        ix->txn[shard] = 1;
    }
}

/* Ends shard's transaction, if one is open: its changes kept for the
 * commit that follows, or dropped. */
void end_writes(ws_index *ix, unsigned shard, bool keep)
{
    if (!ix->txn[shard])
        return;
    ix->txn[shard] = 0;
    if (keep)
        ix->shards[shard].commit_transaction();
    else
        ix->shards[shard].cancel_transaction();
}

using ws::caught;
using ws::map_error;

/* Whether shard's file system has room for a commit of what it holds:
 * Xapian 1.4 writes a commit's blocks anew, and one that runs out of room
 * partway can abort the process from inside Xapian (an exception thrown
 * while it unwinds another), past any catch; so a commit that cannot fit
 * is not begun. A commit takes about WS_INDEX_COMMIT_FACTOR bytes a byte
 * of text (the shared corpus: 2.2 GB of index for 203 MB of text), and
 * the files' own growth WS_INDEX_COMMIT_MIN. */
bool room_for_commit(ws_index *ix, unsigned shard, std::string &msg)
{
    struct statvfs fs;
    std::string path = shard_path(ix->dir, shard);
    if (statvfs(path.c_str(), &fs) != 0)
        return true; /* not known: Xapian says */
    uint64_t free_bytes = (uint64_t)fs.f_bavail * fs.f_frsize,
             need = WS_INDEX_COMMIT_MIN + WS_INDEX_COMMIT_FACTOR * ix->pending[shard];
    if (free_bytes >= need)
        return true;
    msg = "No space left on device: " + std::to_string(free_bytes >> 20) + " MB free on " + path +
          ", a commit of what was indexed since the last one needs about " +
          std::to_string(need >> 20) + " MB; not begun";
    return false;
}

struct term_sink {
    Xapian::Document *doc;
    const ws_vectors *vectors; /* NULL: none */
    ws_wordlist *words;        /* NULL: none */
    float acc[WS_VECTORS_DIM_MAX];
    size_t weighted = 0; /* terms added with a weight */
    size_t added = 0;    /* terms added, repeats counted */
};

extern "C" ws_status add_term(void *ctx, const char *term, size_t len, uint32_t pos,
                              ws_term_kind kind, const ws_token *tok)
{
    auto *s = static_cast<term_sink *>(ctx);
    if (kind == WS_TERM_TOKEN)
        return s->words ? ws_wordlist_token(s->words, tok) : WS_OK;
    if (s->vectors)
        ws_vectors_add_term(s->vectors, term, len, kind, tok, s->acc);
    bool weighless = kind == WS_TERM_GAP || kind == WS_TERM_SPACE || kind == WS_TERM_PUNCT ||
                     kind == WS_TERM_MARK_EDGE;
    s->weighted += !weighless;
    try {
        if (pos)
            s->doc->add_posting(std::string(term, len), pos, weighless ? 0 : 1);
        else
            s->doc->add_term(std::string(term, len));
        /* the map's size, looked at now and then: it costs nothing */
        if (!(++s->added & 4095) && s->doc->termlist_count() > WS_INDEX_MAX_DOC_TERMS)
            return WS_ETOOBIG;
    } catch (...) {
        return WS_EINTERNAL;
    }
    return WS_OK;
}

/* Returns the memory of a huge document to the system: its map of terms
 * was many small blocks, which the allocator otherwise keeps for the
 * process's life (the daemon held 2.5 GB after one such document). */
static void give_back()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

// Makes a bulk-built index durable: every file of every shard, the shard
// folders, the stub and the index folder, each synced once.
bool sync_tree(const std::string &dir, unsigned nshards, std::string &msg)
{
    for (unsigned i = 0; i < nshards; i++)
        if (!sync_folder(shard_path(dir, i), msg))
            return false;
    return sync_path(dir + "/" WS_LAYOUT_STUB, msg) && sync_path(dir, msg);
}

} // namespace

WS_API ws_status ws_index_open(const char *dir, unsigned nshards, ws_index **out, char *errbuf,
                               size_t errlen)
{
    return ws_index_open_flags(dir, nshards, 0, out, errbuf, errlen);
}

namespace
{

/* Refuses an index whose shards are of a format this program does not add
 * to (errbuf says why), and makes the empty shards of an older format (or
 * none) current. Every shard's format is looked at before any is written:
 * an empty shard made current beside one refused would leave a half-made
 * index, read as the new format. */
ws_status check_formats(ws_index *ix, const char *dir, char *errbuf, size_t errlen)
{
    size_t n = ix->shards.size();
    std::vector<bool> fresh(n, false);
    for (size_t i = 0; i < n; i++) {
        Xapian::WritableDatabase &sh = ix->shards[i];
        std::string format = sh.get_metadata(WS_FORMAT_KEY);
        int number = ws_schema_format_number(format.empty() ? "1" : format.c_str());
        if (sh.get_doccount() == 0 &&
            (format.empty() || (ws_schema_format_known(format.c_str()) &&
                                number < ws_schema_format_number(WS_FORMAT)))) {
            fresh[i] = true; /* no document to differ from */
        } else if (ws_schema_format_known(format.c_str()) &&
                   number < ws_schema_format_number(WS_FORMAT_WRITE_OLDEST)) {
            set_err(errbuf, errlen,
                    std::string("the index ") + dir + " (index format " + format +
                        ") was made before Wensuo kept 著 apart from 着 (and 乾 from 干, 俱 "
                        "from 具, ...: format " WS_FORMAT "): documents added now would not "
                        "match those it holds; it is still read, but build it again in a "
                        "new folder with wensuo-index to add to it");
            return WS_EINVAL;
        } else if (!ws_schema_format_known(format.empty() ? "1" : format.c_str())) {
            set_err(errbuf, errlen,
                    std::string("the index ") + dir + " was built by " +
                        (number > ws_schema_format_number(WS_FORMAT) ? "a newer" : "an older") +
                        " Wensuo (index format " + (format.empty() ? "1" : format) +
                        ", this one writes " + WS_FORMAT +
                        " and adds to " WS_FORMAT_WRITE_OLDEST " and later"
                        "); build it again in a new folder with wensuo-index");
            return WS_EINVAL;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!fresh[i])
            continue;
        ix->shards[i].set_metadata(WS_FORMAT_KEY, WS_FORMAT);
        ix->shards[i].set_metadata(WS_GAPS_KEY, "1");
        ix->shards[i].commit(); // now: a reader checks the first shard, which may stay empty
    }
    return WS_OK;
}

} // namespace

WS_API ws_status ws_index_open_flags(const char *dir, unsigned nshards, unsigned flags,
                                     ws_index **out, char *errbuf, size_t errlen)
{
    *out = nullptr;
    ws_index *ix = nullptr;
    std::string msg;
    try {
        ix = new ws_index;
        ix->dir = dir;
        char lerr[1024] = "";
        unsigned n = 0, orphans = 0;
        ws_status lst = ws_layout_check_write(dir, &n, &orphans, lerr, sizeof lerr);
        if (lst != WS_OK) {
            set_err(errbuf, errlen, lerr);
            delete ix;
            return lst;
        }
        bool creating = n == 0;
        if (creating) {
            // Shard folders without a stub are a creation that was cut short
            // only when they hold nothing; otherwise the stub was lost.
            for (unsigned i = 0; i < orphans; i++) {
                if (Xapian::Database(shard_path(dir, i)).get_doccount() != 0) {
                    set_err(errbuf, errlen,
                            std::string("the index ") + dir + " has shard folders but no " +
                                WS_LAYOUT_STUB
                                " listing them (was it removed?): it is not "
                                "opened, as its documents would be served or written in part. "
                                "If shard0 .. shard" +
                                std::to_string(orphans - 1) +
                                " are all the shards it had, write the stub again with: for k "
                                "in $(seq 0 " +
                                std::to_string(orphans - 1) + "); do echo auto shard$k; done > " +
                                dir +
                                "/" WS_LAYOUT_STUB
                                "; otherwise restore the index from a backup, or build it "
                                "again into a new folder with wensuo-index");
                    delete ix;
                    return WS_ECORRUPT;
                }
            }
            if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
                set_err(errbuf, errlen,
                        std::string("cannot create ") + dir + ": " + strerror(errno));
                delete ix;
                return WS_EIO;
            }
            n = nshards ? nshards : 1;
            if (orphans > n)
                n = orphans;                         // the cut creation's folders are all listed
            ix->bulk = (flags & WS_INDEX_BULK) != 0; // only an index this call creates
        }
        ix->words = (flags & WS_INDEX_NO_WORDS) == 0;
        ix->rows = (flags & WS_INDEX_NO_ROWS) == 0;
        if (n > WS_INDEX_MAX_SHARDS) {
            set_err(errbuf, errlen, "too many shards");
            delete ix;
            return WS_EINVAL;
        }
        for (unsigned i = 0; i < n; i++) {
            std::string path = shard_path(dir, i);
            // An existing index's shards are opened, never made: one that is
            // gone is refused above, not replaced by an empty one.
            ix->shards.emplace_back(path, (creating ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN) |
                                              Xapian::DB_BACKEND_GLASS |
                                              (ix->bulk ? Xapian::DB_NO_SYNC : 0));
        }
        if (ws_status fst = check_formats(ix, dir, errbuf, errlen)) {
            delete ix;
            return fst;
        }
        // The stub last: until it is there, the folder is a creation that was
        // cut short (empty shards), which the next open finishes.
        if (creating && (lst = ws_layout_write_stub(dir, n, lerr, sizeof lerr)) != WS_OK) {
            set_err(errbuf, errlen, lerr);
            delete ix;
            return lst;
        }
        ix->errmsg.resize(n + 1);
        ix->pending.assign(n, 0);
        ix->txn.assign(n, 0);
        *out = ix;
        return WS_OK;
    } catch (const Xapian::Error &e) {
        ws_status st = map_error(e, msg);
        if (st == WS_ELOCKED)
            msg = std::string("the index ") + dir +
                  " is being written by another process (wensuo-index or wensuo-searchd); "
                  "stop it or send the documents through the daemon (wensuo add)";
        set_err(errbuf, errlen, msg);
        delete ix;
        return st;
    } catch (const std::bad_alloc &) {
        set_err(errbuf, errlen, "out of memory");
        delete ix;
        return WS_ENOMEM;
    } catch (...) {
        set_err(errbuf, errlen, "unexpected exception");
        delete ix;
        return WS_EINTERNAL;
    }
}

WS_API ws_status ws_index_close(ws_index *ix)
{
    return ws_index_close_msg(ix, nullptr, 0);
}

WS_API ws_status ws_index_close_msg(ws_index *ix, char *errbuf, size_t errlen)
{
    if (!ix)
        return WS_OK;
    ws_status st = WS_OK;
    std::string msg;
    for (size_t i = 0; i < ix->shards.size(); i++) {
        try {
            std::string room;
            bool fits = room_for_commit(ix, (unsigned)i, room);
            if (!fits && ix->txn[i]) { /* what is pending is dropped: said so */
                st = WS_EIO;
                msg = "shard " + std::to_string(i) + ": " + room;
            }
            end_writes(ix, (unsigned)i, fits);
            ix->shards[i].commit();
            ix->shards[i].close();
        } catch (const Xapian::Error &e) {
            std::string m;
            st = map_error(e, m);
            msg = "shard " + std::to_string(i) + ": " + m;
        } catch (...) {
            st = WS_EINTERNAL;
            msg = "shard " + std::to_string(i) + ": unexpected exception";
        }
    }
    if (ix->bulk && st == WS_OK) {
        try {
            if (!sync_tree(ix->dir, (unsigned)ix->shards.size(), msg))
                st = WS_EIO;
        } catch (...) {
            st = WS_EIO;
            msg = "cannot sync " + ix->dir;
        }
    }
    if (st != WS_OK && errbuf)
        set_err(errbuf, errlen, msg);
    delete ix;
    return st;
}

WS_API unsigned ws_index_nshards(const ws_index *ix)
{
    return (unsigned)ix->shards.size();
}

WS_API unsigned ws_index_shard_of(const ws_index *ix, const char *id)
{
    return ws_schema_shard(id, (unsigned)ix->shards.size());
}

WS_API ws_status ws_index_check_vectors(ws_index *ix, const ws_vectors *v, char *errbuf,
                                        size_t errlen)
{
    try {
        std::string want = v ? ws_vectors_id(v) : "";
        for (auto &sh : ix->shards) {
            std::string have = sh.get_metadata(WS_VECTORS_KEY);
            if (!have.empty() && have != want) {
                set_err(errbuf, errlen,
                        "the index " + ix->dir + " was built with " +
                            (want.empty() ? "word vectors (" + have + "), and this program has none"
                                          : "other word vectors (" + have + ", not " + want + ")") +
                            ": index into a new folder, or set WENSUO_VECTORS to the file it was "
                            "built with");
                return WS_EINVAL;
            }
        }
        if (want.empty())
            return WS_OK;
        for (auto &sh : ix->shards) {
            if (sh.get_metadata(WS_VECTORS_KEY).empty()) {
                end_writes(ix, (unsigned)(&sh - &ix->shards[0]), true);
                sh.set_metadata(WS_VECTORS_KEY, want);
                sh.commit();
            }
        }
        return WS_OK;
    } catch (...) {
        std::string msg;
        ws_status st = caught(msg);
        set_err(errbuf, errlen, msg);
        return st;
    }
}

/* The export row (row.h) of a document's hit js: the string values, each
 * as a C string gives it, so that a row writes what the JSON would. */
static ws_status row_of(json_t *js, std::string &out)
{
    ws_row r = {};
    for (int i = 0; i < WS_ROW_COLUMNS; i++) {
        const char *v = json_string_value(json_object_get(js, ws_row_columns[i]));
        r.v[i] = v;
        r.len[i] = v ? std::strlen(v) : 0;
    }
    ws_strbuf b = {};
    ws_row_encode(&r, &b);
    if (b.failed) {
        std::free(b.s);
        return WS_ENOMEM;
    }
    out.assign(b.s, b.len);
    std::free(b.s);
    return WS_OK;
}

/* A term for each whole and article doc cites (self: its own key). */
static void add_cites(Xapian::Document &xd, const ws_doc *doc, uint64_t self)
{
    uint64_t cited[WS_CITES_MAX];
    size_t ncited = 0;
    for (const char *f : {doc->title, doc->body}) {
        if (f) {
            ncited = ws_cites_scan(f, strlen(f), self, cited, ncited);
            ncited = ws_cites_scan_articles(f, strlen(f), self, cited, ncited);
        }
    }
    for (size_t i = 0; i < ncited; i++) {
        char ct[WS_SCHEMA_CITE_TERM];
        xd.add_boolean_term(std::string(ct, ws_schema_cite_term(cited[i], ct)));
    }
}

/* The filter terms as a query writes them (ws_schema_key_term: a value too
 * long for a term gets a hashed one), and the values facets and sorts read. */
static void add_filters(Xapian::Document &xd, const ws_doc *doc)
{
    char ft[WS_KEY_TERM_MAX];
    if (doc->source && *doc->source) {
        xd.add_boolean_term(std::string(ft, ws_schema_key_term(WS_KEY_SOURCE, doc->source, ft)));
        xd.add_value(WS_SLOT_SOURCE, doc->source);
    }
    if (doc->type && *doc->type) {
        char *type = NULL;
        size_t tlen = 0;
        if (ws_normalize_type(doc->type, strlen(doc->type), &type, &tlen) != WS_OK)
            throw std::bad_alloc();
        std::string folded(type, tlen);
        free(type);
        xd.add_boolean_term(std::string(ft, ws_schema_key_term(WS_KEY_TYPE, folded.c_str(), ft)));
        xd.add_value(WS_SLOT_TYPE, folded);
    }
    if (doc->date && ws_date_valid(doc->date)) {
        xd.add_value(WS_SLOT_DATE, std::string(doc->date, 10));
        xd.add_value(WS_SLOT_YEAR, std::string(doc->date, 4));
        xd.add_boolean_term(WS_PFX_YEAR + std::string(doc->date, 4));
    }
}

/* Adds xd, whose id term is qterm, as the document of id, in place of the
 * one it had: by its term when that names id alone, else by the docid of
 * id's own document (iddoc.h), so that a short id never replaces a long one
 * that shares its term in an old index, and a long id's document of an old
 * index (under its old term) is replaced by one under its new term. */
static void put_doc(Xapian::WritableDatabase &db, const char *id, const std::string &qterm,
                    const Xapian::Document &xd)
{
    if (!ws::iddoc_checked(id)) {
        db.replace_document(qterm, xd);
        return;
    }
    Xapian::docid did = ws::iddoc_find(db, id);
    if (did)
        db.replace_document(did, xd);
    else
        db.add_document(xd);
}

/* What is stored of doc: the whole as the document's data, the hit (all
 * but the body) and the export row as values. WS_ENOMEM. */
static ws_status add_stored(ws_index *ix, Xapian::Document &xd, const ws_doc *doc)
{
    for (int with_body = 0; with_body < 2; with_body++) {
        json_t *js = ws_doc_to_json(doc, with_body);
        char *data = js ? json_dumps(js, JSON_COMPACT) : nullptr;
        std::string row;
        ws_status st = js && !with_body && ix->rows ? row_of(js, row) : WS_OK;
        json_decref(js);
        if (!data || st != WS_OK) {
            std::free(data);
            return WS_ENOMEM;
        }
        if (!row.empty())
            xd.add_value(WS_SLOT_ROW, row);
        std::unique_ptr<char, void (*)(void *)> own(data, free);
        if (with_body)
            xd.set_data(std::string(data));
        else
            xd.add_value(WS_SLOT_HIT, std::string(data));
    }
    return WS_OK;
}

WS_API ws_status ws_index_put(ws_index *ix, ws_analyzer *a, const ws_doc *doc)
{
    if (!doc || !doc->id || !*doc->id)
        return WS_EINVAL;
    unsigned shard = ws_index_shard_of(ix, doc->id);
    std::string &msg = ix->errmsg[shard];
    const char *why = nullptr;
    ws_status cst = ws_doc_check(doc, &why);
    if (cst != WS_OK) {
        msg = why;
        return cst;
    }
    try {
        Xapian::Document xd;
        ws_wordlist *wl = nullptr;
        if (ix->words && ws_wordlist_new(ws_analyzer_lexicon(a), &wl) != WS_OK) {
            msg = "out of memory";
            return WS_ENOMEM;
        }
        std::unique_ptr<ws_wordlist, void (*)(ws_wordlist *)> own_wl(wl, ws_wordlist_free);
        term_sink sink{&xd, ws_lexicon_vectors(ws_analyzer_lexicon(a)), wl, {}, 0};
        unsigned flags = WS_ANALYZE_JOIN_LINES | WS_TERMGEN_RUNS | (wl ? WS_TERMGEN_TOKENS : 0);
        ws_status st = WS_OK;
        const char *field_text[2] = {doc->title, doc->body};
        for (int f = 0; f < 2 && st == WS_OK; f++) {
            const char *t = field_text[f];
            size_t len = t ? strlen(t) : 0;
            uint32_t pos = 1;
            if (wl)
                st = ws_wordlist_begin(wl, a, t ? t : "", len);
            if (st == WS_OK && t)
                st = ws_termgen_run(a, t, len, f ? WS_FIELD_BODY : WS_FIELD_TITLE, flags, &pos,
                                    add_term, &sink);
        }
        // A text of nothing but marks and white space has only terms of no
        // weight: a document of length 0 with positions, which xapian-check
        // takes for damage. No phrase is made of marks alone: none is kept.
        if (st == WS_OK && !sink.weighted) {
            std::vector<std::string> gone;
            for (auto t = xd.termlist_begin(); t != xd.termlist_end(); ++t)
                if (t.positionlist_count())
                    gone.push_back(*t);
            for (const auto &t : gone)
                xd.remove_term(t);
        }
        const char *words = nullptr;
        size_t nwords = 0;
        if (st == WS_OK && wl)
            st = ws_wordlist_value(wl, &words, &nwords);
        if (words)
            xd.add_value(WS_SLOT_WORDS, std::string(words, nwords));
        size_t chars = 0;
        for (const char *t : field_text)
            chars += t ? ws_utf8_count(t, strlen(t)) : 0;
        xd.add_value(WS_SLOT_CHARS, std::to_string(chars));
        if (st == WS_ETOOBIG) {
            xd = Xapian::Document();
            give_back();
            msg = "more than " + std::to_string(WS_INDEX_MAX_DOC_TERMS) +
                  " distinct terms (WS_INDEX_MAX_DOC_TERMS: text of every character different, "
                  "as a table of codes is): split it into smaller documents";
            return st;
        }
        if (st != WS_OK) {
            msg = std::string("analysis failed: ") + ws_status_to_string(st);
            return st;
        }
        char idterm[WS_KEY_TERM_MAX];
        std::string qterm(idterm, ws_schema_key_term(WS_KEY_ID, doc->id, idterm));
        xd.add_boolean_term(qterm);
        /* the whole, and the key others cite it by (schema.h, cites.h) */
        uint64_t whole = ws_schema_whole(doc->id), self = ws_cites_key(doc->id, doc->title),
                 article = self ? ws_cites_article_key(doc->id, doc->title) : 0;
        int8_t vec[WS_VECTORS_DIM_MAX];
        ws_whole_value wv = {whole, self, article, nullptr, 0};
        if (sink.vectors && ws_vectors_quantize(sink.vectors, sink.acc, vec)) {
            wv.vec = vec;
            wv.dim = ws_vectors_dim(sink.vectors);
        }
        char wbuf[24 + WS_VECTORS_DIM_MAX];
        xd.add_value(WS_SLOT_WHOLE, std::string(wbuf, ws_schema_whole_encode(&wv, wbuf)));
        add_cites(xd, doc, self);
        add_filters(xd, doc);
        if (add_stored(ix, xd, doc) != WS_OK) {
            msg = "out of memory";
            return WS_ENOMEM;
        }
        bool huge = xd.termlist_count() > WS_INDEX_MAX_DOC_TERMS / 8;
        begin_writes(ix, shard);
        put_doc(ix->shards[shard], doc->id, qterm, xd);
        ix->pending[shard] +=
            (doc->title ? std::strlen(doc->title) : 0) + (doc->body ? std::strlen(doc->body) : 0);
        if (huge) {
            xd = Xapian::Document();
            give_back();
        }
        return WS_OK;
    } catch (...) {
        return caught(msg);
    }
}

WS_API ws_status ws_index_put_terms(ws_index *ix, const char *id, const char *const *terms,
                                    const uint32_t *pos, size_t n)
{
    unsigned shard = ws_index_shard_of(ix, id);
    std::string &msg = ix->errmsg[shard];
    try {
        Xapian::Document xd;
        for (size_t i = 0; i < n; i++) {
            if (std::strlen(terms[i]) > WS_TERM_MAX)
                continue;
            if (pos[i])
                xd.add_posting(terms[i], pos[i]);
            else
                xd.add_term(terms[i]);
        }
        char idterm[WS_KEY_TERM_MAX];
        std::string qterm(idterm, ws_schema_key_term(WS_KEY_ID, id, idterm));
        xd.add_boolean_term(qterm);
        begin_writes(ix, shard);
        put_doc(ix->shards[shard], id, qterm, xd);
        return WS_OK;
    } catch (...) {
        return caught(msg);
    }
}

WS_API ws_status ws_index_delete(ws_index *ix, const char *id)
{
    unsigned shard = ws_index_shard_of(ix, id);
    std::string &msg = ix->errmsg[shard];
    try {
        Xapian::WritableDatabase &db = ix->shards[shard];
        char idterm[WS_KEY_TERM_MAX];
        std::string qterm(idterm, ws_schema_key_term(WS_KEY_ID, id, idterm));
        begin_writes(ix, shard);
        if (!ws::iddoc_checked(id)) {
            if (!db.term_exists(qterm))
                return WS_ENOTFOUND;
            db.delete_document(qterm);
            return WS_OK;
        }
        // another id may share the term (iddoc.h): its own document only
        Xapian::docid did = ws::iddoc_find(db, id);
        if (!did)
            return WS_ENOTFOUND;
        db.delete_document(did);
        return WS_OK;
    } catch (...) {
        return caught(msg);
    }
}

WS_API ws_status ws_index_commit(ws_index *ix, unsigned shard)
{
    if (shard >= ix->shards.size())
        return WS_EINVAL;
    try {
        if (!room_for_commit(ix, shard, ix->errmsg[shard])) {
            end_writes(ix, shard, false); /* dropped: the close must not try it */
            ix->pending[shard] = 0;
            return WS_EIO;
        }
        end_writes(ix, shard, true);
        ix->shards[shard].commit();
        ix->pending[shard] = 0;
        return WS_OK;
    } catch (...) {
        return caught(ix->errmsg[shard]);
    }
}

WS_API ws_status ws_index_commit_all(ws_index *ix)
{
    ws_status st = WS_OK;
    for (unsigned i = 0; i < ix->shards.size(); i++) {
        ws_status s = ws_index_commit(ix, i);
        if (s != WS_OK && st == WS_OK)
            st = s;
    }
    return st;
}

WS_API unsigned long ws_index_doccount(ws_index *ix)
{
    unsigned long n = 0;
    try {
        for (auto &s : ix->shards)
            n += s.get_doccount();
    } catch (...) {
    }
    return n;
}

WS_API ws_status ws_index_count_dir(const char *dir, unsigned long *n)
{
    *n = 0;
    try {
        *n = Xapian::Database(dir).get_doccount();
        return WS_OK;
    } catch (...) {
        std::string msg;
        return caught(msg);
    }
}

WS_API const char *ws_index_errmsg(const ws_index *ix, unsigned shard)
{
    if (shard >= ix->errmsg.size())
        shard = (unsigned)ix->errmsg.size() - 1;
    return ix->errmsg[shard].c_str();
}
