// counter.h - the exact count of a query's matches, by sets of docids: the
// total and facets of ws_db_count and of a page asked with count_first
// (engine.h), and the set that a tree holding DOCS is cut to. For the C++
// files of this layer; C++ only, not a public header.
//
// The set a query matches, made of sorted docid lists: postlists read
// whole, intersected, merged and subtracted; a phrase checked by Xapian's
// phrase match only in the documents that hold all its pairs and not its
// witness (the stretch as one indexed word, where the lexicon makes one:
// 国务院 in 12,856 of the 13,835 documents holding it, or as one run term
// of two or three words side by side: 人民 政府); dates read from
// the value stream for the documents left. No weights, no heap. A page
// asked with count_first is counted so first, then ranked with each
// checked phrase as the set that passed it, so that the page and the total
// read the positions once.
//
// The handle db is the caller's throughout. Each function may throw (a
// Xapian error, std::bad_alloc, std::logic_error): the entry point calling
// it catches.
#ifndef WS_COUNTER_H
#define WS_COUNTER_H

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "engine.h"
#include "qtree.h"
#include "status.h"
#include "xapian_query.h"

namespace ws
{

/* Docids of the whole index, sorted. */
typedef std::vector<Xapian::docid> docs_t;

/* Membership in a docs_t, a bit a docid up to its last: asking each of
 * Xapian's 93,073 matches of 人民 whether it is in the set by a binary
 * search was a twentieth of exporting them. */
class doc_marks
{
  public:
    explicit doc_marks(const docs_t &set) : bits(set.empty() ? 0 : set.back() / 64 + 1)
    {
        for (Xapian::docid d : set)
            bits[d / 64] |= uint64_t(1) << (d % 64);
    }
    bool has(Xapian::docid d) const
    {
        return d / 64 < bits.size() && (bits[d / 64] >> (d % 64) & 1);
    }

  private:
    std::vector<uint64_t> bits;
};

/* Milliseconds of CLOCK_MONOTONIC: the counter's deadlines. */
double now_ms();

/* The message of a tree holding DOCS (a proximity) over a remote shard. */
extern const char remote_docs[];

/* The count by sets into m->total, m->exact and (when o asks) m->facets,
 * which m then owns; or false, m untouched, when the query holds what the
 * counter cannot count (then Xapian's pass does) or the backend is remote
 * (a value stream and every position list would cross the network). When
 * o->time_limit runs out: true, m->total 0 and m->exact 0 (not known: the
 * caller keeps its estimate). */
bool count_by_sets(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset *m);

/* The documents q matches into *out, with no time limit; false, *out
 * untouched, when the counter cannot count q. */
bool count_set(ws_db *db, const ws_qnode *q, docs_t *out);

/* The documents q matches, by the counter (sorted); for a tree holding DOCS
 * this is the only way to know them, so that one it cannot count fails
 * (std::logic_error). */
docs_t exact_set(ws_db *db, const ws_qnode *q);

/* For a tree holding DOCS, *restricted true and *set the documents it
 * matches (Xapian's matches of it are a superset, see xapian_query.h); such
 * a tree needs every shard local (WS_EINVAL, the reason in ws_db_errmsg). */
ws_status restriction(ws_db *db, const ws_qnode *q, bool *restricted, docs_t *set);

/* Xapian's matches of enq (a tree holding DOCS: a superset of its matches,
 * see xapian_query.h) in its order, cut to set (sorted): the first want of
 * them (every one for 0), as iterators of *ms, valid while ms is. A
 * MatchDecider cannot do it: over several shards it sees each shard's own
 * docids. */
std::vector<Xapian::MSetIterator> within(Xapian::Enquire &enq, const docs_t &set,
                                         Xapian::doccount want, Xapian::doccount all,
                                         Xapian::MSet &ms);

/* Each phrase the counter checked, with the documents that passed it. */
typedef std::map<const ws_qnode *, std::shared_ptr<const docs_t>> passed_t;

/* The documents q matches, by the counter, with in *known each phrase it
 * checked as the query of the documents that passed it (a weightless
 * posting source that shares them, so that the query may outlive the set
 * returned), and in *sets (unless NULL) those documents; NULL (known
 * empty) when the counter cannot count q, *cut set when it ran out of
 * o->time_limit. */
std::shared_ptr<const docs_t> count_first(ws_db *db, const ws_qnode *q, const ws_db_query *o,
                                          known_t *known, bool *cut, passed_t *sets = nullptr);

/* The documents of set (docids of db, the whole index, sorted) as a
 * weightless query over db, which shares set, so that the query may
 * outlive the pointer passed: to FILTER a query by them. */
Xapian::Query docs_query(Xapian::Database &db, std::shared_ptr<const docs_t> set);

} // namespace ws

#endif
