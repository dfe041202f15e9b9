// engine.cc - the read side of the C API over Xapian (engine.h): the handle,
// a ranked page, the matches' documents, lists and statistics. The count by
// sets is counter.cc's, the keeper of a page at its deadline keeper.cc's, the
// facets facets.cc's and the Xapian query of a tree xapian_query.cc's. No
// exception leaves this file.
#include "engine.h"
#include "engine_int.h"

#include <xapian.h>

#include <algorithm>
#include <climits>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "counter.h"
#include "facets.h"
#include "keeper.h"
#include "layout.h"
#include "schema.h"
#include "vectors.h"
#include "xapian_query.h"
#include "xapian_status.h"

struct ws_db {
    std::string dir;
    Xapian::Database db;
    std::string errmsg;
    // how many documents cite a key (ws_db_cited), for the revision open:
    // cleared when a reopen moves on, so that a question asks Xapian (and
    // over the remote backend, each shard's server) only for new wholes
    std::unordered_map<uint64_t, unsigned> cited;
    // whether every shard is local: over the remote backend a value stream
    // is sent whole, so values are read document by document there
    bool local = true;
    // each local shard on its own, sharing its state with db (the same
    // revision, reopened with it): one thread may read one shard while
    // another reads another (ws_valuecursor_open_shard); empty over the
    // remote backend
    std::vector<Xapian::Database> shards;
    std::string vectors; // WS_VECTORS_KEY: the vectors its documents were made with
};

/* Whether the stub file in dir lists a remote shard ("remote ..."). */
static bool stub_has_remote(const std::string &dir)
{
    ws_stub stub;
    return ws_layout_read_stub(dir.c_str(), &stub, nullptr, 0) == WS_OK && stub.remote > 0;
}

/* Opens db->dir: shard by shard where its stub lists local shards alone,
 * as Xapian would from the stub, keeping each; else from the stub. */
static void open_shards(ws_db *db)
{
    ws_stub stub;
    if (ws_layout_read_stub(db->dir.c_str(), &stub, nullptr, 0) == WS_OK && !stub.remote &&
        stub.local) {
        for (unsigned i = 0; i < stub.local; i++) {
            char path[4096];
            if (ws_layout_shard_path(db->dir.c_str(), i, path, sizeof path) != WS_OK)
                break;
            db->shards.emplace_back(path);
            db->db.add_database(db->shards.back());
        }
        if (db->shards.size() == stub.local)
            return;
        db->shards.clear();
    }
    db->db = Xapian::Database(db->dir);
    db->local = !stub_has_remote(db->dir);
}

using ws::add_spies;
using ws::caught;
using ws::count_by_sets;
using ws::count_first;
using ws::count_set;
using ws::docs_t;
using ws::exact_set;
using ws::facets_of;
using ws::facets_of_docs;
using ws::global_docid;
using ws::keeper;
using ws::known_t;
using ws::map_error;
using ws::new_spies;
using ws::now_ms;
using ws::past_deadline;
using ws::remote_docs;
using ws::restriction;
using ws::spies_t;
using ws::within;
using ws::xapian_query;

WS_API ws_status ws_db_open(const char *dir, ws_db **out, char *errbuf, size_t errlen)
{
    *out = nullptr;
    try {
        auto db = std::make_unique<ws_db>();
        db->dir = dir;
        // An index that is there but incomplete is not served in part, and
        // a stub that would have Xapian run a program is not followed.
        ws_status lst = ws_layout_check_read(dir, errbuf, errlen);
        if (lst != WS_OK)
            return lst;
        open_shards(db.get());
        db->vectors = db->db.get_metadata(WS_VECTORS_KEY);
        std::string format = db->db.get_metadata(WS_FORMAT_KEY);
        if (format != WS_FORMAT && format != WS_FORMAT_PREV && db->db.get_doccount() > 0) {
            std::snprintf(errbuf, errlen,
                          "the index %s was built by an older Wensuo (index format %s, this one "
                          "reads %s and %s): its phrases would be answered wrongly; build it "
                          "again with wensuo-index",
                          dir, format.empty() ? "1" : format.c_str(), WS_FORMAT_PREV, WS_FORMAT);
            return WS_EINVAL;
        }
        *out = db.release();
        return WS_OK;
    } catch (const Xapian::Error &e) {
        std::string msg;
        ws_status st = map_error(e, msg);
        std::snprintf(errbuf, errlen, "cannot open the index %s: %s", dir, msg.c_str());
        return st;
    } catch (...) {
        std::snprintf(errbuf, errlen, "cannot open the index %s", dir);
        return WS_EINTERNAL;
    }
}

Xapian::Database &ws__db_xapian(ws_db *db)
{
    return db->db;
}

std::string &ws__db_message(ws_db *db)
{
    return db->errmsg;
}

const std::string &ws__db_dir(ws_db *db)
{
    return db->dir;
}

bool ws__db_local(const ws_db *db)
{
    return db->local;
}

size_t ws__db_nshards(const ws_db *db)
{
    return db->shards.size();
}

Xapian::Database &ws__db_shard(ws_db *db, size_t i)
{
    return db->shards[i];
}

WS_API const char *ws_db_vectors(const ws_db *db)
{
    return db->vectors.c_str();
}

WS_API void ws_db_close(ws_db *db)
{
    delete db;
}

WS_API ws_status ws_db_reopen(ws_db *db, int *changed)
{
    try {
        bool c = db->db.reopen();
        if (c)
            db->cited.clear();
        if (changed)
            *changed = c;
        return WS_OK;
    } catch (...) {
        return caught(db->errmsg);
    }
}

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
static void fill(const Xapian::Document &doc, ws_match *w, int hit_only)
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
    if (!db->local)
        return false;
    std::vector<std::pair<Xapian::docid, size_t>> order;
    order.reserve(n);
    for (size_t i = 0; i < n; i++)
        order.emplace_back(m[i].docid, i);
    std::sort(order.begin(), order.end());
    Xapian::ValueIterator v, end;
    try {
        v = db->db.valuestream_begin(slot);
        end = db->db.valuestream_end(slot);
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
static Xapian::Query dated(const Xapian::Query &q, bool with_date)
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

/* One ranked page of query, [offset, offset + limit), into hits (weight,
 * docid) with the number of matches; date_order 1 newest first, -1 oldest
 * first, 0 by relevance. The spies count every match examined. */
struct ranked {
    std::vector<std::pair<double, Xapian::docid>> hits;
    unsigned long total = 0;
    bool exact = true, partial = false;
};

static ranked rank_page(ws_db *db, const Xapian::Query &query, const ws_db_query *o,
                        unsigned offset, unsigned limit, unsigned check_at_least, int date_order,
                        spies_t &spies, const docs_t *set = nullptr)
{
    Xapian::Enquire enq(db->db);
    enq.set_query(query);
    enq.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
    if (date_order)
        enq.set_sort_by_value_then_relevance(WS_SLOT_DATE, date_order > 0);
    if (set) {
        /* a tree holding DOCS (its text checks had the time limit): every
         * match of the superset ranked, those of the set kept */
        Xapian::MSet ms;
        std::vector<Xapian::MSetIterator> kept = within(enq, *set, 0, db->db.get_doccount(), ms);
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
    if (o->time_limit > 0 && db->local) {
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
            Xapian::docid d = global_docid(db->db, kept[i].key);
            if (d)
                r.hits.emplace_back(kept[i].weight, d);
        }
    } else {
        for (auto it = ms.begin(); it != ms.end(); ++it)
            r.hits.emplace_back(it.get_weight(), *it);
    }
    return r;
}

static ws_status run_once(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out)
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
    if (o->count_first && !restricted && db->local)
        counted = count_first(db, q, o, &known, &count_cut);
    Xapian::Query query = xapian_query(q, false, false, &known);
    spies_t spies = new_spies(restricted || o->count_first ? &no_facets : o);
    ranked r = rank_page(db, oldest ? dated(query, true) : query, o, o->offset, o->limit,
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
            Xapian::Document doc = db->db.get_document(m->m[i].docid);
            read_whole(doc.get_value(WS_SLOT_WHOLE), o, &m->m[i]);
            if (!o->wholes_only)
                fill(doc, &m->m[i], o->hit_only);
        }
    }
    const docs_t *exact = restricted ? &set : counted.get();
    m->facets = exact ? (o->facets ? facets_of_docs(db->db, *exact, o->facets) : nullptr)
                      : facets_of(spies, m->total);
    *out = guard.release();
    return WS_OK;
}

static ws_status count_once(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out)
{
    if (ws_qtree_has(q, WS_QOP_DOCS)) {
        ws_mset *m = new_mset(0);
        std::unique_ptr<ws_mset, void (*)(ws_mset *)> guard(m, ws_mset_free);
        if (!db->local) {
            db->errmsg = remote_docs;
            return WS_EINVAL;
        }
        docs_t r = exact_set(db, q);
        m->total = r.size();
        m->exact = 1;
        if (o->facets)
            m->facets = facets_of_docs(db->db, r, o->facets);
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
    Xapian::Enquire enq(db->db);
    enq.set_query(xapian_query(q, true));
    enq.set_weighting_scheme(Xapian::BoolWeight());
    enq.set_docid_order(Xapian::Enquire::DONT_CARE);
    if (o->time_limit > 0)
        enq.set_time_limit(o->time_limit);
    spies_t spies = add_spies(enq, o);
    Xapian::MSet ms = enq.get_mset(0, 0, db->db.get_doccount());
    ws_mset *m = new_mset(0);
    std::unique_ptr<ws_mset, void (*)(ws_mset *)> guard(m, ws_mset_free);
    m->total = ms.get_matches_estimated();
    m->exact = ms.get_matches_lower_bound() == ms.get_matches_upper_bound();
    m->facets = facets_of(spies, m->total);
    *out = guard.release();
    return WS_OK;
}

static_assert(sizeof(Xapian::docid) <= sizeof(unsigned), "ws_match.docid holds a Xapian docid");

/* Runs f, reopening the database and trying again (twice at most) when a
 * writer has overwritten the revision it was reading; every exception
 * becomes a status with its message on the handle. */
template <typename F> static ws_status with_reopen(ws_db *db, F f)
{
    for (int attempt = 0;; attempt++) {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError &e) {
            if (attempt >= 2)
                return map_error(e, db->errmsg);
            try {
                db->db.reopen();
                db->cited.clear();
            } catch (...) {
            }
        } catch (...) {
            return caught(db->errmsg);
        }
    }
}

WS_API ws_status ws_db_run(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out)
{
    *out = nullptr;
    double t0 = now_ms();
    ws_status st = with_reopen(db, [&] { return run_once(db, q, o, out); });
    if (getenv("WS_T"))
        fprintf(stderr, "run %.1f ms\n", now_ms() - t0);
    return st;
}

WS_API ws_status ws_db_count(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out)
{
    *out = nullptr;
    double t0 = now_ms();
    ws_status st = with_reopen(db, [&] { return count_once(db, q, o, out); });
    if (getenv("WS_T"))
        fprintf(stderr, "count %.1f ms\n", now_ms() - t0);
    return st;
}

WS_API ws_status ws_db_cited(ws_db *db, const uint64_t *keys, size_t n, unsigned *counts)
{
    return with_reopen(db, [&] {
        if (db->cited.size() > WS_DB_CITED_CACHE)
            db->cited.clear();
        for (size_t i = 0; i < n; i++) {
            counts[i] = 0;
            if (!keys[i])
                continue;
            auto it = db->cited.find(keys[i]);
            if (it == db->cited.end()) {
                char t[WS_SCHEMA_CITE_TERM];
                Xapian::doccount c =
                    db->db.get_termfreq(std::string(t, ws_schema_cite_term(keys[i], t)));
                it = db->cited.emplace(keys[i], c).first;
            }
            counts[i] = it->second;
        }
        return WS_OK;
    });
}

WS_API ws_status ws_db_get(ws_db *db, const char *id, char **out)
{
    *out = nullptr;
    return with_reopen(db, [&] {
        char term[WS_TERM_MAX + 1];
        size_t len = ws_schema_id_term(id, term);
        Xapian::PostingIterator p = db->db.postlist_begin(std::string(term, len));
        if (p == db->db.postlist_end(std::string(term, len)))
            return WS_ENOTFOUND;
        std::string data = db->db.get_document(*p).get_data();
        *out = strdup(data.c_str());
        return *out ? WS_OK : WS_ENOMEM;
    });
}

WS_API ws_status ws_db_fill(ws_db *db, ws_match *m, int hit_only)
{
    return with_reopen(db, [&] {
        fill(db->db.get_document(m->docid), m, hit_only);
        return WS_OK;
    });
}

WS_API ws_status ws_db_fill_hits(ws_db *db, ws_match *m, size_t n)
{
    return with_reopen(db, [&] {
        read_in_order(db, WS_SLOT_HIT, m, n, [](ws_match *w, const std::string &v) {
            if (!w->hit && !v.empty() && !(w->hit = strdup(v.c_str())))
                throw std::bad_alloc();
        });
        return WS_OK;
    });
}

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

WS_API ws_status ws_db_stats(ws_db *db, unsigned long *docs, unsigned long *terms,
                             unsigned long long *bytes, unsigned *shards)
{
    try {
        // Statistics Xapian keeps with each revision: nothing walks the
        // terms, so that /stats costs the same on any index and does not
        // read posting lists (where a damaged block could bring down the
        // process rather than throw).
        *docs = db->db.get_doccount();
        *terms = (unsigned long)db->db.get_total_length();
        unsigned long long b = 0;
        std::error_code ec;
        for (auto &e : std::filesystem::recursive_directory_iterator(db->dir, ec))
            if (e.is_regular_file(ec))
                b += e.file_size(ec);
        *bytes = b;
        *shards = (unsigned)db->db.size();
        return WS_OK;
    } catch (...) {
        return caught(db->errmsg);
    }
}

WS_API const char *ws_db_errmsg(const ws_db *db)
{
    return db->errmsg.c_str();
}

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
                         known_t *known, std::shared_ptr<const docs_t> *counted)
{
    if (ws_status st = restriction(db, q, restricted, set))
        return st;
    if (!*restricted && db->local) {
        ws_db_query none = {};
        bool cut = false;
        *counted = count_first(db, q, &none, known, &cut);
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
        std::shared_ptr<const docs_t> counted;
        if (ws_status st = listing(db, q, &restricted, &set, &known, &counted))
            return st;
        if (counted) {
            restricted = true;
            set = *counted;
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
        Xapian::Enquire enq(db->db);
        enq.set_query(oldest ? dated(query, true) : query);
        if (order == WS_DB_ORDER_DOCID) {
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_docid_order(Xapian::Enquire::ASCENDING);
        } else {
            enq.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
            if (order != WS_DB_ORDER_RELEVANCE)
                enq.set_sort_by_value_then_relevance(WS_SLOT_DATE, !oldest);
        }
        Xapian::doccount all = db->db.get_doccount();
        Xapian::MSet ms = enq.get_mset(0, all ? all : 1, all), rest;
        if (oldest) { /* the undated last, as in run_once */
            Xapian::Enquire undated(db->db);
            undated.set_query(dated(query, false));
            undated.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
            rest = undated.get_mset(0, all ? all : 1, all);
        }
        if (!list_room(out, ms.size() + rest.size())) {
            ws_db_list_free(out);
            return WS_ENOMEM;
        }
        /* a tree holding DOCS: Xapian's matches are a superset (see xapian_query.h) */
        for (const Xapian::MSet *part : {&ms, &rest})
            for (auto it = part->begin(); it != part->end(); ++it) {
                if (restricted && !std::binary_search(set.begin(), set.end(), *it))
                    continue;
                out->docid[out->n] = *it;
                out->weight[out->n++] = it.get_weight();
            }
        return WS_OK;
    } catch (...) {
        ws_db_list_free(out);
        return caught(db->errmsg);
    }
}

WS_API ws_status ws_db_list_page(ws_db *db, const ws_qnode *q, ws_db_order order, size_t from,
                                 size_t n, ws_db_list *out, ws_db_list *every)
{
    *out = ws_db_list{};
    if (every)
        *every = ws_db_list{};
    if (order == WS_DB_ORDER_DOCID || from > UINT_MAX || n > UINT_MAX - from) {
        db->errmsg = "a page of matches is asked in an order by rank or date, within 2^32";
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
            const docs_t *all = restricted ? &set : counted.get();
            if (!all) { /* nothing counted first (the remote backend): listed */
                if (ws_status st = ws_db_list_all(db, q, WS_DB_ORDER_DOCID, every))
                    return st;
            } else if (!list_room(every, all->size())) {
                ws_db_list_free(every);
                return WS_ENOMEM;
            } else {
                for (Xapian::docid d : *all) {
                    every->docid[every->n] = d;
                    every->weight[every->n++] = 0;
                }
            }
        }
        Xapian::Query query = xapian_query(q, false, false, &known);
        bool oldest = order == WS_DB_ORDER_DATE_ASC;
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
        return caught(db->errmsg);
    }
}

WS_API ws_status ws_db_match_set(ws_db *db, const ws_qnode *q, ws_db_list *out)
{
    *out = ws_db_list{};
    if (!db->local) {
        db->errmsg = remote_docs;
        return WS_EINVAL;
    }
    try {
        docs_t set;
        if (!count_set(db, q, &set)) {
            if (ws_qtree_has(q, WS_QOP_DOCS))
                throw std::logic_error("a query with a text check holds what cannot be counted");
            /* what the counter does not know: Xapian's pass, in docid order */
            Xapian::Enquire enq(db->db);
            enq.set_query(xapian_query(q, true));
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_docid_order(Xapian::Enquire::ASCENDING);
            Xapian::doccount all = db->db.get_doccount();
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
        return caught(db->errmsg);
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
                                   unsigned window, ws_db_list *list)
{
    try {
        std::vector<Xapian::termpos> a, b;
        size_t k = 0;
        for (size_t i = 0; i < list->n; i++) {
            Xapian::docid d = list->docid[i];
            bool keep = false;
            for (size_t f = 0; f < nfields && !keep; f++) {
                positions_of(db->db, d, fields[f].a, fields[f].na, a);
                if (a.empty())
                    continue;
                positions_of(db->db, d, fields[f].b, fields[f].nb, b);
                keep = within_window(a, b, window);
            }
            if (keep)
                list->docid[k++] = d;
        }
        list->n = k;
        return WS_OK;
    } catch (...) {
        return caught(db->errmsg);
    }
}

WS_API void ws_db_list_free(ws_db_list *l)
{
    std::free(l->docid);
    std::free(l->weight);
    *l = ws_db_list{};
}

WS_API ws_status ws_db_data(ws_db *db, unsigned docid, char **out)
{
    *out = nullptr;
    try {
        std::string data = db->db.get_document(docid).get_data();
        *out = static_cast<char *>(std::malloc(data.size() + 1));
        if (!*out)
            return WS_ENOMEM;
        std::memcpy(*out, data.data(), data.size());
        (*out)[data.size()] = '\0';
        return WS_OK;
    } catch (const Xapian::DocNotFoundError &) {
        return WS_ENOTFOUND;
    } catch (...) {
        return caught(db->errmsg);
    }
}

WS_API ws_status ws_db_collection_freq(ws_db *db, const char *term, unsigned long long *out)
{
    *out = 0;
    try {
        *out = db->db.get_collection_freq(term);
        return WS_OK;
    } catch (...) {
        return caught(db->errmsg);
    }
}

/* The revision of each shard of dir, as text: a database of several shards
 * has no revision of its own. */
static std::string shard_revisions(const std::string &dir)
{
    ws_stub stub;
    std::string revs;
    if (ws_layout_read_stub(dir.c_str(), &stub, nullptr, 0) != WS_OK)
        return revs;
    for (unsigned i = 0; i < stub.local; i++) {
        char path[4096];
        if (ws_layout_shard_path(dir.c_str(), i, path, sizeof path) == WS_OK)
            revs += std::to_string(Xapian::Database(path).get_revision()) + ",";
    }
    return revs;
}

WS_API ws_status ws_db_view(ws_db *db, char *buf)
{
    try {
        // what the handle reads, and each shard's revision: a document
        // replaced by one of the same length moves only the latter
        std::string v = db->db.get_uuid() + "/" + std::to_string(db->db.get_doccount()) + "/" +
                        std::to_string(db->db.get_lastdocid()) + "/" +
                        std::to_string(db->db.get_total_length()) + "/" +
                        (db->local ? shard_revisions(db->dir) : std::string());
        // FNV-1a, 64 bits, twice (two seeds): a name, not a secret
        uint64_t h1 = 1469598103934665603ull, h2 = 1099511628211ull * 31;
        for (unsigned char c : v) {
            h1 = (h1 ^ c) * 1099511628211ull;
            h2 = (h2 ^ c) * 1099511628211ull + 7;
        }
        std::snprintf(buf, WS_DB_VIEW_LEN, "%016llx%016llx", (unsigned long long)h1,
                      (unsigned long long)h2);
        return WS_OK;
    } catch (...) {
        buf[0] = '\0';
        return caught(db->errmsg);
    }
}
