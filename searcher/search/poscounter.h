// poscounter.h - the occurrences of a query's patterns (occurrence.h)
// counted from one database's positions, document by document (positions.h
// says what is counted and why the count is exact; poscounter.cc, at
// from_wdfs, when no position list is read). positions.cc calls it over the
// handle's database, or over each shard on a thread of its own. For the C++
// files of this layer; C++ only, not a public header.
#ifndef WS_POSCOUNTER_H
#define WS_POSCOUNTER_H

#include <xapian.h>

#include <cstddef>
#include <utility>
#include <vector>

#include "occurrence.h"

namespace ws
{

/* Counts into counts the documents of xdb in order (each a docid of xdb
 * and where its count goes: counts[second], the caller's; 0 for docid 0),
 * sorting order; with any, a count is only nonzero exactly where ps occurs
 * (ws_positions_any). xdb and ps are the caller's. May throw (a Xapian
 * error, std::bad_alloc): the entry point calling it catches. */
void positions_count_in(Xapian::Database &xdb, const ws_occ_patterns *ps,
                        std::vector<std::pair<unsigned, size_t>> &order, unsigned *counts,
                        bool any);

} // namespace ws

#endif
