// mset.cc - a ranked page of a query's matches (mset.h): the page ranked,
// its matches' documents read, every match counted. No exception leaves the
// entry points of this file (ws_mset_free, ws_mset_keep); the others throw
// to engine.cc's.
#include "mset.h"
#include "engine_int.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "keeper.h"
#include "schema.h"
#include "vectors.h"
#include "xapian_query.h"
#include "xapian_status.h"

using ws::add_spies;
using ws::count_by_sets;
using ws::count_first;
using ws::docs_t;
using ws::exact_set;
using ws::facets_of;
using ws::facets_of_docs;
using ws::global_docid;
using ws::keeper;
using ws::known_t;
using ws::new_spies;
using ws::past_deadline;
using ws::ranked;
using ws::remote_docs;
using ws::restriction;
using ws::spies_t;
using ws::within;
using ws::xapian_query;

WS_API void ws_mset_free(ws_mset *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        std::free(m->m[i].data);
        std::free(m->m[i].hit);
    }
    std::free(m->m);
    if (m->facets)
        json_decref(m->facets);
    std::free(m);
}

/* Reads the hit, and the stored document unless hit_only and hit is there;
 * what is read already stays (a retry after a reopen reads only the rest). */
void ws::fill(const Xapian::Document &doc, ws_match *w, int hit_only)
{
    if (!w->hit) {
        std::string hit = doc.get_value(WS_SLOT_HIT);
        if (!hit.empty() && !(w->hit = strdup(hit.c_str())))
            throw std::bad_alloc();
    }
    if (w->data || (w->hit && hit_only))
        return; /* the stored document stays unread */
    std::string data = doc.get_data();
    if (!(w->data = strdup(data.c_str())))
        throw std::bad_alloc();
}

/* Sets w's whole, citation keys and similarity from its WS_SLOT_WHOLE
 * value (schema.h). */
static void read_whole(const std::string &whole, const ws_db_query *o, ws_match *w)
{
    ws_whole_value v;
    ws_schema_whole_decode(whole.data(), whole.size(), &v);
    w->whole = v.whole;
    w->cite = v.cite;
    w->article = v.article;
    if (o->vec && v.vec && v.dim == static_cast<size_t>(o->dim))
        w->sim = ws_vectors_cosine(o->vec, v.vec, o->dim);
}

/* Calls f(match, value) with slot's value for each of m[0..n) that has
 * one, in one pass over the slot's value stream in docid order: reading the
 * values document by document, in rank order, opened a value chunk afresh
 * for most (on the legal questions, 13% of a question's reads). False,
 * having read nothing, over the remote backend (which sends a value stream
 * whole: 131 ms a question instead of 87) or one without value streams. */
template <typename F>
static bool read_in_order(ws_db *db, unsigned slot, ws_match *m, size_t n, F f)
{
    if (!ws__db_local(db))
        return false;
    std::vector<std::pair<Xapian::docid, size_t>> order;
    order.reserve(n);
    for (size_t i = 0; i < n; i++)
        order.emplace_back(m[i].docid, i);
    std::sort(order.begin(), order.end());
    Xapian::ValueIterator v, end;
    try {
        v = ws__db_xapian(db).valuestream_begin(slot);
        end = ws__db_xapian(db).valuestream_end(slot);
    } catch (const Xapian::UnimplementedError &) {
        return false;
    }
    for (auto &d : order) {
        if (v == end)
            break;
        v.skip_to(d.first);
        if (v != end && v.get_docid() == d.first)
            f(&m[d.second], *v);
    }
    return true;
}

/* Oldest first puts the documents without a date last, as newest first
 * does: a plain ascending sort by value would put them first, ahead of the
 * oldest (11,179 of the laws have none), and a key maker that sorts them
 * last is refused by Xapian's remote backend. So oldest first is two
 * queries: the dated matches by date, then the undated ones by relevance
 * (what a sort by value then relevance gives among equal values). */
Xapian::Query ws::dated(const Xapian::Query &q, bool with_date)
{
    Xapian::Query any(Xapian::Query::OP_VALUE_GE, WS_SLOT_DATE, "0");
    return with_date ? Xapian::Query(Xapian::Query::OP_FILTER, q, any)
                     : Xapian::Query(Xapian::Query::OP_AND_NOT, q, any);
}

static ws_mset *new_mset(size_t n)
{
    ws_mset *m = static_cast<ws_mset *>(std::calloc(1, sizeof *m));
    if (!m)
        throw std::bad_alloc();
    m->m = static_cast<ws_match *>(std::calloc(n ? n : 1, sizeof *m->m));
    if (!m->m) {
        std::free(m);
        throw std::bad_alloc();
    }
    return m;
}

static const ws_db_query no_facets = {};

ranked ws::rank_page(ws_db *db, const Xapian::Query &query, const ws_db_query *o, unsigned offset,
                     unsigned limit, unsigned check_at_least, int date_order, spies_t &spies,
                     const docs_t *set)
{
    Xapian::Enquire enq(ws__db_xapian(db));
    enq.set_query(query);
    enq.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
    if (date_order)
        enq.set_sort_by_value_then_relevance(WS_SLOT_DATE, date_order > 0);
    if (set) {
        /* a tree holding DOCS (its text checks had the time limit): every
         * match of the superset ranked, those of the set kept */
        Xapian::MSet ms;
        std::vector<Xapian::MSetIterator> kept =
            within(enq, *set, 0, ws__db_xapian(db).get_doccount(), ms);
        ranked r;
        r.total = kept.size();
        for (size_t i = offset; i < kept.size() && i - offset < limit; i++)
            r.hits.emplace_back(kept[i].get_weight(), *kept[i]);
        return r;
    }
    if (o->time_limit > 0)
        enq.set_time_limit(o->time_limit);
    for (auto &spy : spies)
        if (spy)
            enq.add_matchspy(spy.get());
    std::unique_ptr<keeper> keep;
    if (o->time_limit > 0 && ws__db_local(db)) {
        keep.reset(new keeper((size_t)offset + limit, date_order, o->time_limit));
        enq.add_matchspy(keep.get());
    }
    auto started = std::chrono::steady_clock::now();
    Xapian::MSet ms;
    bool cut = false;
    try {
        ms = enq.get_mset(offset, limit, check_at_least);
    } catch (const past_deadline &) {
        cut = true;
    }
    /* Xapian does not say whether its own time limit ended the counting; a
     * match that took at least that long was ended by it */
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    ranked r;
    r.total = cut ? keep->seen() : ms.get_matches_estimated();
    r.partial = cut || (o->time_limit > 0 && took.count() >= o->time_limit);
    r.exact = !r.partial && ms.get_matches_lower_bound() == ms.get_matches_upper_bound();
    if (cut) {
        std::vector<keeper::entry> kept = keep->best();
        for (size_t i = offset; i < kept.size(); i++) {
            Xapian::docid d = global_docid(ws__db_xapian(db), kept[i].key);
            if (d)
                r.hits.emplace_back(kept[i].weight, d);
        }
    } else {
        for (auto it = ms.begin(); it != ms.end(); ++it)
            r.hits.emplace_back(it.get_weight(), *it);
    }
    return r;
}

ws_status ws::run_once(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out)
{
    bool oldest = o->sort_by_date && o->oldest_first;
    /* a tree holding DOCS: its matches counted first, Xapian ranking them */
    bool restricted;
    docs_t set;
    if (ws_status st = restriction(db, q, &restricted, &set))
        return st;
    const docs_t *within_set = restricted ? &set : nullptr;
    known_t known;
    std::shared_ptr<const docs_t> counted;
    bool count_cut = false;
    if (o->count_first && !restricted && ws__db_local(db))
        counted = count_first(db, q, o, &known, &count_cut);
    Xapian::Query query = xapian_query(q, false, false, &known);
    spies_t spies = new_spies(restricted || o->count_first ? &no_facets : o);
    ranked r = ws::rank_page(db, oldest ? dated(query, true) : query, o, o->offset, o->limit,
                             o->check_at_least,
                             !o->sort_by_date ? 0
                             : oldest         ? -1
                                              : 1,
                             spies, within_set);
    if (oldest) {
        /* the undated after the dated: from where the page has run past
         * them (a sort by value reads every match, so their count is exact
         * unless a time limit cut it) */
        unsigned long n_dated = r.hits.size() ? o->offset + r.hits.size() : r.total;
        unsigned from = o->offset > n_dated ? o->offset - (unsigned)n_dated : 0;
        unsigned n = o->limit > r.hits.size() ? o->limit - (unsigned)r.hits.size() : 0;
        ranked u = rank_page(db, dated(query, false), o, from, n, from + n, 0, spies, within_set);
        r.hits.insert(r.hits.end(), u.hits.begin(), u.hits.end());
        r.total += u.total;
        r.exact = r.exact && u.exact;
        r.partial = r.partial || u.partial;
    }
    ws_mset *m = new_mset(r.hits.size());
    std::unique_ptr<ws_mset, void (*)(ws_mset *)> guard(m, ws_mset_free);
    m->total = counted ? counted->size() : r.total;
    m->partial = r.partial;
    m->exact = counted ? 1 : r.exact;
    m->count_cut = count_cut;
    for (auto &h : r.hits) {
        ws_match *w = &m->m[m->n++];
        w->weight = h.first;
        w->docid = h.second;
    }
    if (!o->wholes_only ||
        !read_in_order(db, WS_SLOT_WHOLE, m->m, m->n,
                       [&](ws_match *w, const std::string &v) { read_whole(v, o, w); })) {
        for (size_t i = 0; i < m->n; i++) {
            Xapian::Document doc = ws__db_xapian(db).get_document(m->m[i].docid);
            read_whole(doc.get_value(WS_SLOT_WHOLE), o, &m->m[i]);
            if (!o->wholes_only)
                fill(doc, &m->m[i], o->hit_only);
        }
    }
    const docs_t *exact = restricted ? &set : counted.get();
    m->facets = exact ? (o->facets ? facets_of_docs(ws__db_xapian(db), *exact, o->facets) : nullptr)
                      : facets_of(spies, m->total);
    *out = guard.release();
    return WS_OK;
}

ws_status ws::count_once(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out)
{
    if (ws_qtree_has(q, WS_QOP_DOCS)) {
        ws_mset *m = new_mset(0);
        std::unique_ptr<ws_mset, void (*)(ws_mset *)> guard(m, ws_mset_free);
        if (!ws__db_local(db)) {
            ws__db_message(db) = remote_docs;
            return WS_EINVAL;
        }
        docs_t r = exact_set(db, q);
        m->total = r.size();
        m->exact = 1;
        if (o->facets)
            m->facets = facets_of_docs(ws__db_xapian(db), r, o->facets);
        *out = guard.release();
        return WS_OK;
    }
    {
        ws_mset *m = new_mset(0);
        std::unique_ptr<ws_mset, void (*)(ws_mset *)> guard(m, ws_mset_free);
        if (count_by_sets(db, q, o, m)) {
            *out = guard.release();
            return WS_OK;
        }
    }
    Xapian::Enquire enq(ws__db_xapian(db));
    enq.set_query(xapian_query(q, true));
    enq.set_weighting_scheme(Xapian::BoolWeight());
    enq.set_docid_order(Xapian::Enquire::DONT_CARE);
    if (o->time_limit > 0)
        enq.set_time_limit(o->time_limit);
    spies_t spies = add_spies(enq, o);
    Xapian::MSet ms = enq.get_mset(0, 0, ws__db_xapian(db).get_doccount());
    ws_mset *m = new_mset(0);
    std::unique_ptr<ws_mset, void (*)(ws_mset *)> guard(m, ws_mset_free);
    m->total = ms.get_matches_estimated();
    m->exact = ms.get_matches_lower_bound() == ms.get_matches_upper_bound();
    m->facets = facets_of(spies, m->total);
    *out = guard.release();
    return WS_OK;
}

static_assert(sizeof(Xapian::docid) <= sizeof(unsigned), "ws_match.docid holds a Xapian docid");

WS_API void ws_mset_keep(ws_mset *m, size_t from, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (i >= from && i - from < n) {
            m->m[k++] = m->m[i];
        } else {
            std::free(m->m[i].data);
            std::free(m->m[i].hit);
        }
    }
    m->n = k;
}

void ws::fill_hits(ws_db *db, ws_match *m, size_t n)
{
    read_in_order(db, WS_SLOT_HIT, m, n, [](ws_match *w, const std::string &v) {
        if (!w->hit && !v.empty() && !(w->hit = strdup(v.c_str())))
            throw std::bad_alloc();
    });
}
