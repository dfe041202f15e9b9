// mset.h - a ranked page of a query's matches (engine.h's ws_mset): the
// page as Xapian ranks it, by relevance or by date with the undated last,
// cut at its deadline (keeper.h) or to a set (counter.h); its matches'
// wholes, hits and stored documents read; and the count of every match.
// ws_db_run, ws_db_count, ws_db_fill and ws_db_fill_hits (engine.cc) call
// these within their retry, and dblist.cc ranks its pages with rank_page.
// For the C++ files of this layer; C++ only, not a public header.
//
// The handle db is the caller's throughout; an mset made here is the
// caller's (ws_mset_free). Each function may throw (a Xapian error,
// std::bad_alloc): the entry point calling it catches.
#ifndef WS_MSET_H
#define WS_MSET_H

#include <xapian.h>

#include <utility>
#include <vector>

#include "counter.h"
#include "engine.h"
#include "facets.h"
#include "qtree.h"
#include "status.h"

namespace ws
{

/* One ranked page of query, [offset, offset + limit), into hits (weight,
 * docid) with the number of matches; date_order 1 newest first, -1 oldest
 * first, 0 by relevance. The spies count every match examined. */
struct ranked {
    std::vector<std::pair<double, Xapian::docid>> hits;
    unsigned long total = 0;
    bool exact = true, partial = false;
};

ranked rank_page(ws_db *db, const Xapian::Query &query, const ws_db_query *o, unsigned offset,
                 unsigned limit, unsigned check_at_least, int date_order, spies_t &spies,
                 const docs_t *set = nullptr);

/* q cut to the documents with a date (with_date) or to those without one:
 * oldest first is the two in turn (mset.cc says why). */
Xapian::Query dated(const Xapian::Query &q, bool with_date);

/* One attempt of ws_db_run and of ws_db_count: *out the caller's. */
ws_status run_once(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out);
ws_status count_once(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out);

/* Reads the hit, and the stored document unless hit_only and hit is there;
 * what is read already stays (a retry after a reopen reads only the rest). */
void fill(const Xapian::Document &doc, ws_match *w, int hit_only);

/* The hit of each of m[0..n) that has none yet, in docid order (one pass
 * over the slot); those it leaves without one are for fill. */
void fill_hits(ws_db *db, ws_match *m, size_t n);

} // namespace ws

#endif
