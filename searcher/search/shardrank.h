// shardrank.h - every match of a query ranked by BM25 (or by date, then
// BM25) as Xapian ranks them over the whole index, but each shard on a
// thread of its own: what ws_db_list_all ranks an export and the other
// instruments' lists with (dblist.cc). C++ only; not a public header.
//
// Why: Xapian matches the shards of an index one after the other on one
// thread, and ranking every one of a common term's matches was half of
// its export (93,073 for 人民: 20 ms of 45).
//
// Same weights, same order: Xapian gives every shard the statistics of the
// whole index (its documents, their average length, each term's documents);
// a shard matched alone would have its own. Here each term is scaled by
// its inverse document frequency over the whole index (the factor Xapian's
// BM25 multiplies by, computed the same way) and each shard is weighed
// with the index's average length, so that each match's weight is the
// very double Xapian gives it; the shards' lists, each by weight falling
// then docid rising (by date first, when asked: then Xapian's page of a
// shard, whose dates the merge compares), are merged in that order, which
// is Xapian's. A query
// whose weight is not a sum over its terms (a phrase or proximity Xapian
// checks, a synonym, a match of everything) is ranked by Xapian as before.
// test_shardrank compares both on every kind of query.
//
// The counter (counter.h's count_first) counts shard by shard on threads
// too, and merges the shards' sets.
//
// WS_BY_SHARD=0 in the environment counts and ranks over the whole index
// on one thread (to compare the two, and to time them).
#ifndef WS_SHARDRANK_H
#define WS_SHARDRANK_H

#include <xapian.h>

#include <utility>
#include <vector>

#include "counter.h"
#include "engine.h"
#include "qtree.h"

namespace ws
{

/* The matches of q over db in order (relevance; or by date, newest or
 * oldest first, then relevance, the undated last: as ws_db_list_all;
 * not WS_DB_ORDER_DOCID), (weight, docid of the whole index) each, into
 * *out; sets: the phrases the counter checked (count_first), as the
 * query made with their known sets. False, *out empty, when the index is
 * not of at least two local shards or the query is not one ranked the
 * same shard by shard: the caller ranks it. Throws what Xapian throws
 * (the caller's entry point catches). */
bool rank_by_shard(ws_db *db, const ws_qnode *q, const passed_t &sets, ws_db_order order,
                   std::vector<std::pair<double, Xapian::docid>> *out);

} // namespace ws

#endif
