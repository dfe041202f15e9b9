// valuecursor.cc - the C API of valuecursor.h over Xapian's value streams.

#include "valuecursor.h"

#include <xapian.h>

#include <new>
#include <string>

#include "engine_int.h"
#include "xapian_status.h"

using ws::caught;

struct ws_valuecursor {
    ws_db *db;
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
        c->slot = slot;
        c->stream = ws__db_local(db);
        *out = c;
        return WS_OK;
    } catch (...) {
        return caught(ws__db_message(db));
    }
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
    try {
        Xapian::Database &db = ws__db_xapian(c->db);
        if (!c->stream) {
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
            c->it.skip_to(docid);
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
        return caught(ws__db_message(c->db));
    }
}
