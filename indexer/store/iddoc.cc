// iddoc.cc - the document of an id (iddoc.h).
#include "iddoc.h"

#include <jansson.h>

#include <cstring>
#include <string>

#include "schema.h"

namespace ws
{

namespace
{

// 1 when the document stored id as its id, or stored none (terms alone);
// the hit value holds it, or the whole data in a document made without one.
bool stored_id_is(const Xapian::Database &db, Xapian::docid did, const char *id)
{
    Xapian::Document d = db.get_document(did);
    std::string js = d.get_value(WS_SLOT_HIT);
    if (js.empty())
        js = d.get_data();
    if (js.empty())
        return true;
    json_t *j = json_loadb(js.data(), js.size(), 0, nullptr);
    const char *stored = json_string_value(json_object_get(j, "id"));
    bool same = !stored || !std::strcmp(stored, id);
    json_decref(j);
    return same;
}

// The first document under term whose stored id is id, 0 when none.
Xapian::docid checked(const Xapian::Database &db, const std::string &term, const char *id)
{
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
        if (stored_id_is(db, *p, id))
            return *p;
    return 0;
}

} // namespace

bool iddoc_checked(const char *id)
{
    char t[WS_KEY_TERM_MAX];
    size_t n = ws_schema_key_term(WS_KEY_ID, id, t);
    return ws_schema_key_hashed(t, n) || ws_schema_id_ambiguous(id);
}

Xapian::docid iddoc_find(const Xapian::Database &db, const char *id)
{
    char t[WS_KEY_TERM_MAX];
    std::string term(t, ws_schema_key_term(WS_KEY_ID, id, t));
    if (!iddoc_checked(id)) {
        Xapian::PostingIterator p = db.postlist_begin(term);
        return p == db.postlist_end(term) ? 0 : *p;
    }
    if (Xapian::docid d = checked(db, term, id))
        return d;
    size_t old = ws_schema_id_legacy_term(id, t);
    return old ? checked(db, std::string(t, old), id) : 0;
}

} // namespace ws
