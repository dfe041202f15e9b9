// shardrank.cc - every match ranked shard by shard on threads, with the
// whole index's statistics (shardrank.h).
#include "shardrank.h"
#include "engine_int.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "mset.h"
#include "schema.h"
#include "stub.h"
#include "xapian_query.h"

extern "C" {
#include "crew.h"
}

namespace
{

/* Xapian's BM25 parameters as ws_db_list_all ranks with them (dblist.cc):
 * k1, k2 (0: no document-length term of its own), k3, b, min_normlen. */
const double K1 = 1.2, K3 = 1, B = 0.75, MIN_NORMLEN = 0.5;

/* BM25 whose inverse document frequency comes in the factor (the term's
 * scale, xapian_query's factors) and whose average document length is the
 * whole index's, not the shard's: a term's weight in a document of one
 * shard is then what Xapian's BM25Weight gives it over the whole index,
 * the same operations in the same order on the same doubles. */
class index_bm25 : public Xapian::Weight
{
  public:
    explicit index_bm25(double average_length) : average_(average_length)
    {
        need_stat(WQF);
        need_stat(WDF);
        need_stat(DOC_LENGTH);
    }

    index_bm25 *clone() const override
    {
        return new index_bm25(average_);
    }

    void init(double factor) override
    {
        double wqf = get_wqf();
        termweight_ = factor;
        termweight_ *= (K3 + 1) * wqf / (K3 + wqf);
        termweight_ *= (K1 + 1);
        len_factor_ = average_ != 0 ? 1 / average_ : 0;
    }

    double get_sumpart(Xapian::termcount wdf, Xapian::termcount len,
                       Xapian::termcount) const override
    {
        double normlen = std::max(len * len_factor_, MIN_NORMLEN);
        double w = wdf;
        double denom = K1 * (normlen * B + (1 - B)) + w;
        return termweight_ * (w / denom);
    }

    /* (w / denom < 1: denom is w plus a positive part) */
    double get_maxpart() const override
    {
        return termweight_;
    }

    double get_sumextra(Xapian::termcount, Xapian::termcount) const override
    {
        return 0;
    }

    double get_maxextra() const override
    {
        return 0;
    }

  private:
    double average_, termweight_ = 0, len_factor_ = 0;
};

/* Whether q's weight is a sum of its terms' BM25 weights, each term scaled
 * (its factor, or 0 for a term that does not weigh): no phrase or
 * proximity, synonym or elite set, no match of everything. */
bool summed(const Xapian::Query &q, bool scaled)
{
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
        return scaled;
    case Xapian::Query::LEAF_POSTING_SOURCE:
    case Xapian::Query::LEAF_MATCH_NOTHING:
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE:
        return true;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SCALE_WEIGHT:
        for (size_t i = 0; i < q.get_num_subqueries(); i++)
            if (!summed(q.get_subquery(i), q.get_type() == Xapian::Query::OP_SCALE_WEIGHT))
                return false;
        return true;
    default:
        return false;
    }
}

void terms_of(const ws_qnode *n, std::vector<std::string> *out)
{
    if (n->op == WS_QOP_TERM)
        out->push_back(n->term);
    for (size_t i = 0; i < n->nkids; i++)
        terms_of(n->kids[i], out);
}

typedef std::vector<std::pair<double, Xapian::docid>> ranked_t;

/* Every match Xapian's matcher weighs, with its weight, as it weighs it:
 * asking for no page (get_mset(0, 0, all)) spares the matcher a page of
 * every match to build and sort, which was two thirds of its time. */
class every_match : public Xapian::MatchSpy
{
  public:
    explicit every_match(ranked_t *out) : out_(out)
    {
    }
    void operator()(const Xapian::Document &doc, double wt) override
    {
        out_->emplace_back(wt, doc.get_docid());
    }

  private:
    ranked_t *out_;
};

/* Sorts v by weight falling, keeping the order of equal weights: a radix
 * sort on the weights' bits (a weight is never negative, and a double
 * that is not orders as its bits do), a byte at a time, the bytes that
 * every weight shares skipped. A quarter of what std::sort took. */
void sort_by_weight(ranked_t *v)
{
    size_t n = v->size();
    if (n < 2)
        return;
    std::vector<uint64_t> key(n), key2(n);
    ranked_t tmp(n);
    for (size_t i = 0; i < n; i++) {
        double w = (*v)[i].first == 0 ? 0.0 : (*v)[i].first; /* -0 as 0 */
        uint64_t bits;
        std::memcpy(&bits, &w, sizeof bits);
        key[i] = ~bits; /* falling */
    }
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((key[i] >> shift) & 0xff) + 1]++;
        if (count[((key[0] >> shift) & 0xff) + 1] == n)
            continue; /* one byte for all */
        for (size_t b = 1; b < 257; b++)
            count[b] += count[b - 1];
        for (size_t i = 0; i < n; i++) {
            size_t to = count[(key[i] >> shift) & 0xff]++;
            key2[to] = key[i];
            tmp[to] = (*v)[i];
        }
        key.swap(key2);
        v->swap(tmp);
    }
}

/* One shard's ranking, on a thread of its own. */
struct share {
    Xapian::Database *shard;
    Xapian::Query query;
    double average;
    unsigned k, n; /* shard k of n */
    int date;      /* by date (newest first, 1; oldest, -1) then relevance, or 0 */
    ranked_t ranked;
    std::vector<std::string> keys; /* by date: each match's date */
    std::exception_ptr failed;
};

/* A shard's matches by date, then relevance: Xapian's page of them with
 * their dates, which the merge compares. */
void rank_by_date(share *sh, Xapian::Enquire &enq)
{
    enq.set_sort_by_value_then_relevance(WS_SLOT_DATE, sh->date > 0);
    Xapian::doccount all = sh->shard->get_doccount();
    Xapian::MSet ms = enq.get_mset(0, all ? all : 1, all);
    sh->ranked.reserve(ms.size());
    sh->keys.reserve(ms.size());
    for (auto it = ms.begin(); it != ms.end(); ++it) {
        sh->ranked.emplace_back(it.get_weight(), ws_stub_global(*it, sh->k, sh->n));
        sh->keys.push_back(it.get_sort_key());
    }
}

void *rank_share(void *arg)
{
    share *sh = static_cast<share *>(arg);
    try {
        Xapian::Enquire enq(*sh->shard);
        enq.set_query(sh->query);
        enq.set_weighting_scheme(index_bm25(sh->average));
        if (sh->date) {
            rank_by_date(sh, enq);
            return nullptr;
        }
        every_match spy(&sh->ranked);
        enq.add_matchspy(&spy);
        Xapian::doccount all = sh->shard->get_doccount();
        enq.get_mset(0, 0, all);
        /* the matcher meets the matches by docid rising, so that a stable
         * sort by weight leaves equal weights by docid, as Xapian's order
         * does; were it ever otherwise, they are sorted by both */
        bool rising = true;
        for (size_t i = 1; i < sh->ranked.size() && rising; i++)
            rising = sh->ranked[i - 1].second < sh->ranked[i].second;
        if (rising)
            sort_by_weight(&sh->ranked);
        else
            std::sort(sh->ranked.begin(), sh->ranked.end(), [](const auto &a, const auto &b) {
                return a.first > b.first || (a.first == b.first && a.second < b.second);
            });
        for (auto &m : sh->ranked)
            m.second = ws_stub_global(m.second, sh->k, sh->n);
    } catch (...) {
        sh->failed = std::current_exception();
    }
    return nullptr;
}

/* Whether a comes before b in the merged list: by date (when date is
 * not 0: falling for 1, rising for -1), then weight falling, then docid
 * rising, as Xapian orders them over the whole index. */
bool before(const share &sa, size_t a, const share &sb, size_t b, int date)
{
    if (date) {
        int c = sa.keys[a].compare(sb.keys[b]);
        if (c)
            return date > 0 ? c > 0 : c < 0;
    }
    const auto &x = sa.ranked[a], &y = sb.ranked[b];
    return x.first > y.first || (x.first == y.first && x.second < y.second);
}

/* Ranks queries[k] over shard k of db, each on a thread, in the order
 * date says (share::date), and appends the shards' lists merged to *out. */
void rank_phase(ws_db *db, const std::vector<Xapian::Query> &queries, double average, int date,
                ranked_t *out)
{
    size_t n = queries.size();
    std::vector<share> shares(n);
    for (unsigned k = 0; k < n; k++) {
        shares[k].shard = &ws__db_shard(db, k);
        shares[k].query = queries[k];
        shares[k].average = average;
        shares[k].k = k;
        shares[k].n = (unsigned)n;
        shares[k].date = date;
    }
    ws_crew_run(rank_share, shares.data(), sizeof shares[0], (unsigned)n);
    size_t total = 0;
    for (auto &sh : shares) {
        if (sh.failed)
            std::rethrow_exception(sh.failed);
        total += sh.ranked.size();
    }
    out->reserve(out->size() + total);
    std::vector<size_t> at(n, 0);
    for (size_t i = 0; i < total; i++) {
        size_t best = n;
        for (size_t k = 0; k < n; k++)
            if (at[k] < shares[k].ranked.size() &&
                (best == n || before(shares[k], at[k], shares[best], at[best], date)))
                best = k;
        out->push_back(shares[best].ranked[at[best]++]);
    }
}

} // namespace

namespace ws
{

bool rank_by_shard(ws_db *db, const ws_qnode *q, const passed_t &sets, ws_db_order order,
                   std::vector<std::pair<double, Xapian::docid>> *out)
{
    out->clear();
    if (!ws__db_by_shard(db))
        return false;
    size_t n = ws__db_nshards(db);
    Xapian::Database &whole = ws__db_xapian(db);
    /* the factor Xapian's BM25 multiplies a term's weight by, from the
     * whole index's documents and the term's */
    Xapian::doccount docs = whole.get_doccount();
    std::vector<std::string> terms;
    terms_of(q, &terms);
    term_factors_t factors;
    for (const std::string &t : terms) {
        Xapian::doccount tf = whole.get_termfreq(t);
        double tw = (docs - tf + 0.5) / (tf + 0.5);
        if (tw < 2)
            tw = tw * 0.5 + 1;
        factors[t] = std::log(tw);
    }
    /* each shard's query its own: Xapian shares a query's parts between
     * copies without a lock, so no part may be shared between threads */
    std::vector<Xapian::Query> queries(n);
    for (unsigned k = 0; k < n; k++) {
        known_t known;
        for (auto &s : sets)
            known.emplace(s.first, docs_query(whole, s.second));
        try {
            queries[k] = xapian_query(q, false, false, &known, &factors);
        } catch (const Xapian::UnimplementedError &) {
            return false; /* a phrase of scaled terms, which Xapian refuses */
        }
        if (!k && !summed(queries[k], false))
            return false;
    }
    double average = whole.get_avlength();
    if (order != WS_DB_ORDER_DATE_ASC) {
        rank_phase(db, queries, average, order == WS_DB_ORDER_DATE_DESC, out);
        return true;
    }
    /* oldest first: the dated by date, then the undated by relevance, as
     * dblist.cc's ranking over the whole index does */
    std::vector<Xapian::Query> part(n);
    for (unsigned k = 0; k < n; k++)
        part[k] = dated(queries[k], true);
    rank_phase(db, part, average, -1, out);
    for (unsigned k = 0; k < n; k++)
        part[k] = dated(queries[k], false);
    ranked_t undated;
    rank_phase(db, part, average, 0, &undated);
    out->insert(out->end(), undated.begin(), undated.end());
    return true;
}

} // namespace ws
