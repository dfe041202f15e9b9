// xapian_query.h - the Xapian query of a query tree (qtree.h), for the C++
// files of this layer that hand one to Xapian: the ranking (mset.cc), the
// lists (dblist.cc) and the counter (counter.cc). C++ only; not a public header.
#ifndef WS_XAPIAN_QUERY_H
#define WS_XAPIAN_QUERY_H

#include <xapian.h>

#include <map>
#include <string>

#include "qtree.h"

namespace ws
{

/* Phrases whose matches are known, each with the query of that set. */
typedef std::map<const ws_qnode *, Xapian::Query> known_t;

/* Each weighted term's factor: what a query ranked shard by shard
 * (shardrank.h) scales its terms by. */
typedef std::map<std::string, double> term_factors_t;

/* The Xapian query of n; with sets, only the set it matches (what weighs
 * alone left out). A DOCS node stands for what weighs its documents (its
 * kid), a superset of them, or under a NOT (neg) for no document, a subset:
 * the tree is then a superset of its matches, which the caller cuts to the
 * set the counter makes of it (counter.h: within, restriction). A phrase of
 * known (made by the counter) is its set of documents. The query holds no
 * pointer into n or known: it is the caller's, n may go first. Throws
 * std::logic_error for a text check left unresolved (WS_QOP_CHECK).
 * With factors, each term (WS_QOP_TERM) is scaled by its factor there
 * (each has one: std::out_of_range otherwise). */
Xapian::Query xapian_query(const ws_qnode *n, bool sets = false, bool neg = false,
                           const known_t *known = nullptr, const term_factors_t *factors = nullptr);

} // namespace ws

#endif
