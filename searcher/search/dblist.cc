// dblist.cc - every match of a query, for the instruments (engine.h's
// "every match" section: ws_db_list_all, ws_db_list_page, ws_db_match_set,
// ws_db_near_filter): listed whole or a page at a time, in rank, date or
// docid order, from the sets counted first where the counter can. A list
// is the caller's (ws_db_list_free). No exception leaves this file.
#include "dblist.h"
#include "engine_int.h"

#include <xapian.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "counter.h"
#include "facets.h"
#include "mset.h"
#include "schema.h"
#include "shardrank.h"
#include "valuecursor.h"
#include "xapian_query.h"
#include "xapian_status.h"

using ws::caught;
using ws::count_first;
using ws::count_set;
using ws::dated;
using ws::docs_t;
using ws::known_t;
using ws::rank_page;
using ws::ranked;
using ws::remote_docs;
using ws::restriction;
using ws::spies_t;
using ws::xapian_query;

/* Room for n matches in out. */
static bool list_room(ws_db_list *out, size_t n)
{
    out->docid = static_cast<unsigned *>(std::malloc((n ? n : 1) * sizeof *out->docid));
    out->weight = static_cast<double *>(std::malloc((n ? n : 1) * sizeof *out->weight));
    return out->docid && out->weight;
}

/* What listing q's matches starts from: *restricted and *set when the tree
 * holds DOCS; otherwise, on a local index, the matches counted by sets
 * first (a phrase's positions read only where its word witness does not
 * tell, counter.h) into *counted, and each phrase's set into *known, so
 * that ranking reads no position twice. */
static ws_status listing(ws_db *db, const ws_qnode *q, bool *restricted, docs_t *set,
                         known_t *known, std::shared_ptr<const docs_t> *counted,
                         ws::passed_t *sets = nullptr)
{
    if (ws_status st = restriction(db, q, restricted, set))
        return st;
    if (!*restricted && ws__db_local(db)) {
        ws_db_query none = {};
        bool cut = false;
        *counted = count_first(db, q, &none, known, &cut, sets);
    }
    return WS_OK;
}

WS_API ws_status ws_db_list_all(ws_db *db, const ws_qnode *q, ws_db_order order, ws_db_list *out)
{
    *out = ws_db_list{};
    try {
        bool oldest = order == WS_DB_ORDER_DATE_ASC;
        bool restricted;
        docs_t set;
        known_t known;
        ws::passed_t sets;
        std::shared_ptr<const docs_t> counted;
        if (ws_status st = listing(db, q, &restricted, &set, &known, &counted, &sets))
            return st;
        if (counted) {
            restricted = true;
            set = *counted;
        }
        std::vector<std::pair<double, Xapian::docid>> shards_ranked;
        if (order != WS_DB_ORDER_DOCID && ws::rank_by_shard(db, q, sets, order, &shards_ranked)) {
            if (!list_room(out, shards_ranked.size())) {
                ws_db_list_free(out);
                return WS_ENOMEM;
            }
            /* a tree holding DOCS: the matches are a superset (as below) */
            ws::doc_marks in(restricted ? set : docs_t());
            for (auto &m : shards_ranked)
                if (!restricted || in.has(m.second)) {
                    out->docid[out->n] = m.second;
                    out->weight[out->n++] = m.first;
                }
            return WS_OK;
        }
        Xapian::Query query = xapian_query(q, false, false, &known);
        if (restricted && order == WS_DB_ORDER_DOCID) {
            if (!list_room(out, set.size())) {
                ws_db_list_free(out);
                return WS_ENOMEM;
            }
            for (Xapian::docid d : set) {
                out->docid[out->n] = d;
                out->weight[out->n++] = 0;
            }
            return WS_OK;
        }
        Xapian::Enquire enq(ws__db_xapian(db));
        enq.set_query(oldest ? dated(query, true) : query);
        if (order == WS_DB_ORDER_DOCID) {
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_docid_order(Xapian::Enquire::ASCENDING);
        } else {
            enq.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
            if (order != WS_DB_ORDER_RELEVANCE)
                enq.set_sort_by_value_then_relevance(WS_SLOT_DATE, !oldest);
        }
        Xapian::doccount all = ws__db_xapian(db).get_doccount();
        Xapian::MSet ms = enq.get_mset(0, all ? all : 1, all), rest;
        if (oldest) { /* the undated last, as in run_once */
            Xapian::Enquire undated(ws__db_xapian(db));
            undated.set_query(dated(query, false));
            undated.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
            rest = undated.get_mset(0, all ? all : 1, all);
        }
        if (!list_room(out, ms.size() + rest.size())) {
            ws_db_list_free(out);
            return WS_ENOMEM;
        }
        /* a tree holding DOCS: Xapian's matches are a superset (see xapian_query.h) */
        ws::doc_marks in(restricted ? set : docs_t());
        for (const Xapian::MSet *part : {&ms, &rest})
            for (auto it = part->begin(); it != part->end(); ++it) {
                if (restricted && !in.has(*it))
                    continue;
                out->docid[out->n] = *it;
                out->weight[out->n++] = it.get_weight();
            }
        return WS_OK;
    } catch (...) {
        ws_db_list_free(out);
        return caught(ws__db_message(db));
    }
}

/* The matches of all (docids rising) that the first upto places in date
 * order (newest first, or oldest first: the dated ones) can hold: each
 * whose date sorts at or before the upto-th's, the ties of that date all
 * kept, so that Xapian ranks these alone and orders them as it would
 * among all (by date, then relevance: BM25 reads the collection's
 * statistics, not the matches'). Ranking a first page of 人民政府 by date
 * weighed and sorted all 35,457 matches. Null when no fewer would be
 * ranked: the places reach past the dated matches, half of all tie, the
 * backend is remote, or the dates could not be read (Xapian, reading them
 * again, says why). */
static std::shared_ptr<const docs_t> date_window(ws_db *db, const docs_t &all, size_t upto,
                                                 bool oldest)
{
    if (!ws__db_local(db) || upto == 0 || all.size() / 2 < upto)
        return nullptr;
    ws_valuecursor *c = nullptr;
    if (ws_valuecursor_open(db, WS_SLOT_DATE, &c) != WS_OK)
        throw std::bad_alloc();
    std::unique_ptr<ws_valuecursor, void (*)(ws_valuecursor *)> guard(c, ws_valuecursor_close);
    std::vector<std::string> date(all.size()); /* "" for none */
    std::vector<const std::string *> dated;
    dated.reserve(all.size());
    for (size_t i = 0; i < all.size(); i++) {
        const char *v;
        size_t len;
        ws_status st = ws_valuecursor_get(c, all[i], &v, &len);
        if (st == WS_ENOTFOUND)
            continue;
        if (st != WS_OK)
            return nullptr;
        date[i].assign(v, len);
        if (len)
            dated.push_back(&date[i]);
    }
    if (dated.size() <= upto)
        return nullptr;
    auto before = [oldest](const std::string *a, const std::string *b) {
        return oldest ? *a < *b : *a > *b;
    };
    std::nth_element(dated.begin(), dated.begin() + (ptrdiff_t)(upto - 1), dated.end(), before);
    const std::string last = *dated[upto - 1];
    auto set = std::make_shared<docs_t>();
    for (size_t i = 0; i < all.size(); i++)
        if (!date[i].empty() && (oldest ? date[i] <= last : date[i] >= last))
            set->push_back(all[i]);
    if (set->size() > all.size() / 2)
        return nullptr;
    return set;
}

WS_API ws_status ws_db_list_page(ws_db *db, const ws_qnode *q, ws_db_order order, size_t from,
                                 size_t n, ws_db_list *out, ws_db_list *every)
{
    *out = ws_db_list{};
    if (every)
        *every = ws_db_list{};
    if (order == WS_DB_ORDER_DOCID || from > UINT_MAX || n > UINT_MAX - from) {
        ws__db_message(db) = "a page of matches is asked in an order by rank or date, within 2^32";
        return WS_EINVAL;
    }
    try {
        bool restricted;
        docs_t set;
        known_t known;
        std::shared_ptr<const docs_t> counted; /* not a restriction: a page ranks few */
        if (ws_status st = listing(db, q, &restricted, &set, &known, &counted))
            return st;
        if (every) {
            const docs_t *listed = restricted ? &set : counted.get();
            if (!listed) { /* nothing counted first (the remote backend): listed */
                if (ws_status st = ws_db_list_all(db, q, WS_DB_ORDER_DOCID, every))
                    return st;
            } else if (!list_room(every, listed->size())) {
                ws_db_list_free(every);
                return WS_ENOMEM;
            } else {
                for (Xapian::docid d : *listed) {
                    every->docid[every->n] = d;
                    every->weight[every->n++] = 0;
                }
            }
        }
        Xapian::Query query = xapian_query(q, false, false, &known);
        bool oldest = order == WS_DB_ORDER_DATE_ASC;
        const docs_t *all = restricted ? &set : counted.get();
        std::shared_ptr<const docs_t> window;
        if (order != WS_DB_ORDER_RELEVANCE && all)
            window = date_window(db, *all, from + n, oldest);
        if (window)
            query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                  ws::docs_query(ws__db_xapian(db), window));
        ws_db_query o = {};
        spies_t spies;
        const docs_t *within_set = restricted ? &set : nullptr;
        ranked r =
            rank_page(db, oldest ? dated(query, true) : query, &o, (unsigned)from, (unsigned)n, 0,
                      order == WS_DB_ORDER_RELEVANCE ? 0
                      : oldest                       ? -1
                                                     : 1,
                      spies, within_set);
        if (oldest && r.hits.size() < n) { /* the undated after the dated, as in run_once */
            unsigned long n_dated = r.hits.size() ? from + r.hits.size() : r.total;
            unsigned at = from > n_dated ? (unsigned)(from - n_dated) : 0;
            unsigned more = (unsigned)(n - r.hits.size());
            ranked u = rank_page(db, dated(query, false), &o, at, more, 0, 0, spies, within_set);
            r.hits.insert(r.hits.end(), u.hits.begin(), u.hits.end());
        }
        if (!list_room(out, r.hits.size())) {
            ws_db_list_free(out);
            if (every)
                ws_db_list_free(every);
            return WS_ENOMEM;
        }
        for (auto &h : r.hits) {
            out->docid[out->n] = h.second;
            out->weight[out->n++] = h.first;
        }
        return WS_OK;
    } catch (...) {
        ws_db_list_free(out);
        if (every)
            ws_db_list_free(every);
        return caught(ws__db_message(db));
    }
}

WS_API ws_status ws_db_match_set(ws_db *db, const ws_qnode *q, ws_db_list *out)
{
    *out = ws_db_list{};
    if (!ws__db_local(db)) {
        ws__db_message(db) = remote_docs;
        return WS_EINVAL;
    }
    try {
        docs_t set;
        if (!count_set(db, q, &set)) {
            if (ws_qtree_has(q, WS_QOP_DOCS))
                throw std::logic_error("a query with a text check holds what cannot be counted");
            /* what the counter does not know: Xapian's pass, in docid order */
            Xapian::Enquire enq(ws__db_xapian(db));
            enq.set_query(xapian_query(q, true));
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_docid_order(Xapian::Enquire::ASCENDING);
            Xapian::doccount all = ws__db_xapian(db).get_doccount();
            Xapian::MSet ms = enq.get_mset(0, all ? all : 1, all);
            for (auto it = ms.begin(); it != ms.end(); ++it)
                set.push_back(*it);
        }
        if (!list_room(out, set.size()))
            throw std::bad_alloc();
        for (Xapian::docid d : set) {
            out->docid[out->n] = d;
            out->weight[out->n++] = 0;
        }
        return WS_OK;
    } catch (...) {
        ws_db_list_free(out);
        return caught(ws__db_message(db));
    }
}

/* The positions in document d of the terms t[0..n), sorted. */
static void positions_of(Xapian::Database &db, Xapian::docid d, const char *const *t, size_t n,
                         std::vector<Xapian::termpos> &out)
{
    out.clear();
    for (size_t i = 0; i < n; i++)
        for (auto p = db.positionlist_begin(d, t[i]); p != db.positionlist_end(d, t[i]); ++p)
            out.push_back(*p);
    if (n > 1)
        std::sort(out.begin(), out.end());
}

/* Whether some x of a and y of b (both sorted) are at most window apart. */
static bool within_window(const std::vector<Xapian::termpos> &a,
                          const std::vector<Xapian::termpos> &b, unsigned window)
{
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        Xapian::termpos x = a[i], y = b[j];
        if ((x > y ? x - y : y - x) <= window)
            return true;
        if (x < y)
            i++;
        else
            j++;
    }
    return false;
}

WS_API ws_status ws_db_near_filter(ws_db *db, const ws_db_near *fields, size_t nfields,
                                   unsigned window, double deadline, int *cut, ws_db_list *list)
{
    *cut = 0;
    try {
        std::vector<Xapian::termpos> a, b;
        size_t k = 0;
        for (size_t i = 0; i < list->n; i++) {
            Xapian::docid d = list->docid[i];
            if (!(i & 63) && ws_db_past_deadline(db))
                return WS_ETIMEOUT;
            if (deadline > 0 && !(i & 63) && ws_db_now() > deadline) {
                *cut = 1; // the rest unsieved
                for (; i < list->n; i++)
                    list->docid[k++] = list->docid[i];
                break;
            }
            bool keep = false;
            for (size_t f = 0; f < nfields && !keep; f++) {
                positions_of(ws__db_xapian(db), d, fields[f].a, fields[f].na, a);
                if (a.empty())
                    continue;
                positions_of(ws__db_xapian(db), d, fields[f].b, fields[f].nb, b);
                keep = within_window(a, b, window);
            }
            if (keep)
                list->docid[k++] = d;
        }
        list->n = k;
        return WS_OK;
    } catch (...) {
        return caught(ws__db_message(db));
    }
}

WS_API void ws_db_list_free(ws_db_list *l)
{
    std::free(l->docid);
    std::free(l->weight);
    *l = ws_db_list{};
}
