// facets.h - the facets of a query's matches (ws_mset.facets, engine.h): how
// many carry each source, type, year and month, counted either by match
// spies over what Xapian's match examines, or from the value streams over a
// set of documents the counter made (counter.h). For the C++ files of this
// layer; C++ only, not a public header. Each function may throw (a Xapian
// error, std::bad_alloc): the entry point calling it catches.
#ifndef WS_FACETS_H
#define WS_FACETS_H

#include <jansson.h>
#include <xapian.h>

#include <memory>
#include <vector>

#include "engine.h"

namespace ws
{

/* One spy per facet (WS_FACET_* order), nullptr for a facet not asked. The
 * vector owns them; an Enquire they are added to only points at them, so
 * they must outlive its get_mset. */
typedef std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies_t;

/* A match spy on enq for each facet of o (nullptr for the others). */
spies_t add_spies(Xapian::Enquire &enq, const ws_db_query *o);

/* The same spies, for the caller to add to the enquiries it makes. */
spies_t new_spies(const ws_db_query *o);

/* The facets the spies counted over total matches, with "(none)" for the
 * documents that have no value, or NULL when none was asked. A new
 * reference: the caller's. */
json_t *facets_of(const spies_t &spies, unsigned long total);

/* The facets of the documents r (docids of db, sorted): each slot's value
 * stream read in docid order, the documents without a value under
 * "(none)". A new reference (an empty object when which asks none): the
 * caller's. */
json_t *facets_of_docs(Xapian::Database &db, const std::vector<Xapian::docid> &r, unsigned which);

} // namespace ws

#endif
