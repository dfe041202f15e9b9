// valuecursor.cc - the C API of valuecursor.h over Xapian's value streams.

#include "valuecursor.h"

#include <xapian.h>

#include <new>
#include <string>

#include "engine_int.h"
#include "stub.h"
#include "xapian_status.h"

using ws::caught;

// How far ahead (in a shard's docids) a value is reached by stepping along
// the stream rather than by skip_to: a step costs decoding one value's
// length, a skip_to past the chunk a lookup from the root.
static const Xapian::docid STEP_AHEAD = 16;

struct ws_valuecursor {
    ws_db *db;
    Xapian::Database *xdb;           // db's, or one of its shards
    unsigned shard = 0, nshards = 1; // which of db's docids xdb holds (1: all)
    std::string msg;                 // a shard cursor's message, for ws_valuecursor_blame
    unsigned slot;
    bool stream; // false: each value from its document (remote shards)
    bool started = false;
    Xapian::ValueIterator it, end;
    std::string value;
};

WS_API ws_status ws_valuecursor_open(ws_db *db, unsigned slot, ws_valuecursor **out)
{
    *out = nullptr;
    try {
        auto *c = new (std::nothrow) ws_valuecursor;
        if (!c)
            return WS_ENOMEM;
        c->db = db;
        c->xdb = &ws__db_xapian(db);
        c->slot = slot;
        c->stream = ws__db_local(db);
        *out = c;
        return WS_OK;
    } catch (...) {
        return caught(ws__db_message(db));
    }
}

WS_API unsigned ws_valuecursor_shards(const ws_db *db)
{
    return (unsigned)ws__db_nshards(db);
}

WS_API ws_status ws_valuecursor_open_shard(ws_db *db, unsigned shard, unsigned slot,
                                           ws_valuecursor **out)
{
    *out = nullptr;
    if (shard >= ws__db_nshards(db))
        return WS_EINVAL;
    auto *c = new (std::nothrow) ws_valuecursor;
    if (!c)
        return WS_ENOMEM;
    c->db = db;
    c->xdb = &ws__db_shard(db, shard);
    c->shard = shard;
    c->nshards = (unsigned)ws__db_nshards(db);
    c->slot = slot;
    c->stream = true;
    *out = c;
    return WS_OK;
}

WS_API void ws_valuecursor_blame(ws_valuecursor *c)
{
    if (c->nshards > 1 && !c->msg.empty())
        ws__db_message(c->db) = c->msg;
}

WS_API void ws_valuecursor_close(ws_valuecursor *c)
{
    delete c;
}

WS_API ws_status ws_valuecursor_get(ws_valuecursor *c, unsigned docid, const char **out,
                                    size_t *len)
{
    *out = nullptr;
    *len = 0;
    std::string &msg = c->nshards > 1 ? c->msg : ws__db_message(c->db);
    if (c->nshards > 1) {
        if (ws_stub_shard(docid, c->nshards) != c->shard)
            return WS_EINVAL;
        docid = ws_stub_local(docid, c->nshards); // the shard's own number for it
    }
    try {
        Xapian::Database &db = *c->xdb;
        if (c->slot == WS_VALUECURSOR_DATA) {
            c->value = db.get_document(docid).get_data();
        } else if (!c->stream) {
            c->value = db.get_document(docid).get_value(c->slot);
        } else {
            if (!c->started) {
                try {
                    c->it = db.valuestream_begin(c->slot);
                    c->end = db.valuestream_end(c->slot);
                } catch (const Xapian::UnimplementedError &) {
                    c->stream = false; // a backend without value streams
                    return ws_valuecursor_get(c, docid, out, len);
                }
                c->started = true;
            }
            if (c->it == c->end)
                return WS_ENOTFOUND;
            // Xapian's skip_to looks its chunk up from the B-tree's root
            // whenever the docid is past the chunk at hand, reading blocks
            // again: the rows of an export of half the index took 40% more
            // reads than stepping along the leaves as they are, the word
            // lists of a proximity in a fifth of it 44% more (a step onto
            // a chunk reads it whole, but a word list is a chunk of its
            // own, often in the block at hand).
            Xapian::docid at = c->it.get_docid();
            if (at < docid && docid - at <= STEP_AHEAD) {
                do
                    ++c->it;
                while (c->it != c->end && c->it.get_docid() < docid);
            } else {
                c->it.skip_to(docid);
            }
            if (c->it == c->end || c->it.get_docid() != docid)
                return WS_ENOTFOUND;
            c->value = *c->it;
        }
        if (c->value.empty())
            return WS_ENOTFOUND;
        *out = c->value.data();
        *len = c->value.size();
        return WS_OK;
    } catch (const Xapian::DocNotFoundError &) {
        return WS_ENOTFOUND;
    } catch (...) {
        return caught(msg);
    }
}
