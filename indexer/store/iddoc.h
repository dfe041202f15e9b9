// iddoc.h - the document of an id, for the writer (index.cc) and the readers
// (searcher/search/engine.cc, keeper.cc) alike, so that none mistakes one id
// for another. C++ only; Xapian's exceptions pass through to the caller's
// catch.
#ifndef WS_IDDOC_H
#define WS_IDDOC_H

#include <xapian.h>

namespace ws
{

// The docid of the document whose id is id in db, 0 when there is none.
// An id whose term is exact (ws_schema_key_term: short, and not shaped like
// an old index's hashed id) is its term's first document, as before. A
// hashed id, or one that an index made before the hashed forms may share a
// term with (ws_schema_id_ambiguous), is the document under its term whose
// stored id is id; a long id not found so is looked for under its old term
// (ws_schema_id_legacy_term), so that an old index still finds it. A
// document without a stored id (ws_index_put_terms) counts as the one. Two
// ids may so share a term (two long ids whose hashes collide, or a short id
// and an old long one) and each still finds its own document.
Xapian::docid iddoc_find(const Xapian::Database &db, const char *id);

// True when iddoc_find compares stored ids for id; otherwise its term alone
// names it, and the writer replaces and deletes by that term.
bool iddoc_checked(const char *id);

} // namespace ws

#endif
