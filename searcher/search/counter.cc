// counter.cc - the exact count of a query's matches, by sets of docids
// (counter.h).
#include "counter.h"
#include "schema.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "engine_int.h"
#include "facets.h"
#include "stub.h"

extern "C" {
#include "crew.h"
}

namespace ws
{

double now_ms()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

namespace
{

/* A set of documents (docids of the whole index, sorted) as a weightless
 * query, so that the ranking reads a phrase's known matches, not their
 * positions. The matcher clones it for each shard and opens it on that
 * shard alone: the shard is found by its UUID in the index's ("UUID:UUID",
 * in the order of the shards, whose docids interleave). */
class set_source : public Xapian::PostingSource
{
  public:
    set_source(std::shared_ptr<const docs_t> all, std::vector<std::string> shards)
        : all_(std::move(all)), shards_(std::move(shards))
    {
    }

    void init(const Xapian::Database &db) override
    {
        std::string uuid = db.get_uuid();
        size_t n = shards_.size() ? shards_.size() : 1, k = 0;
        while (k < shards_.size() && shards_[k] != uuid)
            k++;
        if (n > 1 && k == n)
            throw std::logic_error("a shard of the index that the index does not list");
        mine_.clear();
        for (Xapian::docid d : *all_)
            if (ws_stub_shard(d, (unsigned)n) == k)
                mine_.push_back(ws_stub_local(d, (unsigned)n));
        at_ = 0;
        started_ = false;
        set_maxweight(0);
    }

    Xapian::doccount get_termfreq_min() const override
    {
        return (Xapian::doccount)mine_.size();
    }
    Xapian::doccount get_termfreq_est() const override
    {
        return (Xapian::doccount)mine_.size();
    }
    Xapian::doccount get_termfreq_max() const override
    {
        return (Xapian::doccount)mine_.size();
    }

    void next(double) override
    {
        if (started_)
            at_++;
        started_ = true;
    }

    void skip_to(Xapian::docid d, double) override
    {
        started_ = true;
        at_ = (size_t)(std::lower_bound(mine_.begin() + (ptrdiff_t)at_, mine_.end(), d) -
                       mine_.begin());
    }

    bool at_end() const override
    {
        return at_ >= mine_.size();
    }

    Xapian::docid get_docid() const override
    {
        return mine_[at_];
    }

    set_source *clone() const override
    {
        return new set_source(all_, shards_);
    }

  private:
    std::shared_ptr<const docs_t> all_;
    std::vector<std::string> shards_; /* empty for an index of one shard */
    docs_t mine_;                     /* in this shard's docids */
    size_t at_ = 0;
    bool started_ = false;
};

struct unsupported {
};
struct out_of_time {
};

struct counter {
    Xapian::Database &db;
    double deadline;                /* ms of CLOCK_MONOTONIC, 0 for none */
    unsigned shard = 0, shards = 1; /* db is shard `shard` of `shards` (its docids its own) */
    unsigned ticks = 0;
    /* when set, each phrase checked with the documents that passed it */
    std::map<const ws_qnode *, docs_t> *passed = nullptr;

    void tick()
    {
        if (deadline > 0 && !(++ticks & 1023) && now_ms() > deadline)
            throw out_of_time();
    }

    docs_t postlist(const std::string &term)
    {
        docs_t v;
        v.reserve(db.get_termfreq(term));
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
            tick();
            v.push_back(*p);
        }
        return v;
    }

    static docs_t both(const docs_t &a, const docs_t &b)
    {
        docs_t r;
        std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(r));
        return r;
    }

    /* The documents of cand whose positions hold phrase n. cand is what
     * the queries of base (the other kids of n's AND: its pairs, a date
     * range) left, at most most documents. The documents of cand holding
     * the witness (the stretch as one indexed word) pass unread; the others
     * are checked by Xapian's own phrase match over base without the
     * witness. Xapian reads each term's positions through one cursor that
     * walks its documents in docid order, so that each block of the
     * position table is read once; a position list opened apart for each
     * document (Database::positionlist_begin) starts a cursor of its own,
     * which reads two blocks for each document and term: 16 reads of 8 KB
     * for each of the 5,830 documents of 依法追究刑事责任. */
    docs_t phrase(const ws_qnode *n, const docs_t &cand, std::vector<Xapian::Query> base,
                  size_t most)
    {
        using Q = Xapian::Query;
        docs_t held, found;
        if (n->term && !base.empty()) {
            /* the stretch as one word (S in the title) or as a run of two or
             * three words side by side (R, TR; termgen.h) */
            std::string run = n->term[0] == WS_PFX_TITLE_WORD[0]
                                  ? std::string(WS_PFX_TITLE_RUN) + (n->term + 1)
                                  : std::string(WS_PFX_RUN) + n->term;
            docs_t witness, word = postlist(n->term), runs = postlist(run);
            std::set_union(word.begin(), word.end(), runs.begin(), runs.end(),
                           std::back_inserter(witness));
            std::set_intersection(cand.begin(), cand.end(), witness.begin(), witness.end(),
                                  std::back_inserter(held));
            /* inside the AND, so that the phrase is checked only in what
             * the AND_NOT lets through */
            Q all(Q::OP_AND, base.begin(), base.end());
            Q either(Q::OP_OR, Q(n->term), Q(run));
            base.assign(1, Q(Q::OP_AND_NOT, all, either));
        }
        if (held.size() < cand.size()) {
            base.push_back(ws::xapian_query(n, true));
            Xapian::Enquire enq(db);
            enq.set_query(Q(Q::OP_AND, base.begin(), base.end()));
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_docid_order(Xapian::Enquire::DONT_CARE);
            if (deadline > 0) {
                double left = deadline - now_ms();
                if (left <= 0)
                    throw out_of_time();
                enq.set_time_limit(left / 1e3);
            }
            Xapian::MSet ms = enq.get_mset(0, (Xapian::doccount)most, (Xapian::doccount)most);
            if (deadline > 0 && now_ms() > deadline)
                throw out_of_time(); /* Xapian's limit may have cut it short */
            docs_t m;
            m.reserve(ms.size());
            for (auto it = ms.begin(); it != ms.end(); ++it)
                m.push_back(*it);
            std::sort(m.begin(), m.end());
            std::set_intersection(m.begin(), m.end(), cand.begin(), cand.end(),
                                  std::back_inserter(found));
        }
        docs_t r;
        r.reserve(held.size() + found.size());
        std::merge(held.begin(), held.end(), found.begin(), found.end(), std::back_inserter(r));
        return r;
    }

    /* The documents of cand whose value in n's slot lies in its range. */
    docs_t range(const ws_qnode *n, const docs_t &cand)
    {
        docs_t r;
        std::string lo = n->lo ? n->lo : "", hi = n->hi ? n->hi : "";
        Xapian::ValueIterator v = db.valuestream_begin(n->slot), end = db.valuestream_end(n->slot);
        for (Xapian::docid d : cand) {
            tick();
            if (v == end)
                break;
            v.skip_to(d);
            if (v == end)
                break;
            if (v.get_docid() != d)
                continue;
            std::string x = *v;
            if ((!n->lo || x >= lo) && (!n->hi || x <= hi))
                r.push_back(d);
        }
        return r;
    }

    docs_t all()
    {
        return postlist("");
    }

    /* The kids of n, an AND or FILTER, with those of its AND and FILTER
     * kids in their place: a filter's date range (an AND of one RANGE) is
     * then checked in the documents the text left, not in every document. */
    static void conjuncts(const ws_qnode *n, std::vector<const ws_qnode *> &out)
    {
        for (size_t i = 0; i < n->nkids; i++) {
            const ws_qnode *k = n->kids[i];
            if (k->op == WS_QOP_AND || k->op == WS_QOP_FILTER)
                conjuncts(k, out);
            else
                out.push_back(k);
        }
    }

    /* The documents that match every kid of an AND or FILTER: the sets of
     * the others intersected, then phrases and ranges checked in what is
     * left (a phrase's pairs come beside it in a FILTER's AND). */
    docs_t all_of(const ws_qnode *n)
    {
        std::vector<docs_t> sets;
        std::vector<const ws_qnode *> kids, checks;
        std::vector<Xapian::Query> base; /* what a phrase is checked within */
        conjuncts(n, kids);
        for (const ws_qnode *k : kids) {
            if (k->op == WS_QOP_PHRASE || k->op == WS_QOP_RANGE) {
                checks.push_back(k);
            } else {
                sets.push_back(eval(k));
                base.push_back(ws::xapian_query(k, true));
            }
        }
        std::sort(sets.begin(), sets.end(),
                  [](const docs_t &a, const docs_t &b) { return a.size() < b.size(); });
        docs_t r = sets.empty() ? candidates_of(checks) : std::move(sets[0]);
        for (size_t i = 1; i < sets.size() && !r.empty(); i++)
            r = both(r, sets[i]);
        size_t most = r.size();
        /* ranges first: a date narrows more cheaply than positions */
        std::stable_sort(checks.begin(), checks.end(), [](const ws_qnode *a, const ws_qnode *b) {
            return a->op == WS_QOP_RANGE && b->op != WS_QOP_RANGE;
        });
        for (const ws_qnode *c : checks) {
            if (r.empty())
                break;
            if (c->op == WS_QOP_RANGE) {
                r = range(c, r);
                base.push_back(ws::xapian_query(c, true));
            } else {
                r = phrase(c, r, base, most);
                if (passed)
                    (*passed)[c] = r;
            }
        }
        return r;
    }

    /* Where checks alone must find their documents: a phrase's own terms
     * (all of them), else every document. */
    docs_t candidates_of(const std::vector<const ws_qnode *> &checks)
    {
        for (const ws_qnode *c : checks) {
            if (c->op != WS_QOP_PHRASE)
                continue;
            docs_t r;
            bool first = true;
            for (size_t i = 0; i < c->nkids; i++) {
                if (c->kids[i]->op != WS_QOP_TERM)
                    throw unsupported();
                docs_t p = postlist(c->kids[i]->term);
                r = first ? std::move(p) : both(r, p);
                first = false;
            }
            return r;
        }
        return all();
    }

    docs_t eval(const ws_qnode *n)
    {
        switch (n->op) {
        case WS_QOP_TERM:
        case WS_QOP_BOOL_TERM:
            return postlist(n->term);
        case WS_QOP_ALL:
            return all();
        case WS_QOP_NOTHING:
            return {};
        case WS_QOP_DOCS: {
            docs_t r; /* (the whole index's docids: those of the shard, as its own) */
            for (size_t i = 0; i < n->ndocs; i++)
                if (n->docs[i] && ws_stub_shard(n->docs[i], shards) == shard)
                    r.push_back(ws_stub_local(n->docs[i], shards));
            return r;
        }
        case WS_QOP_CHECK:
            throw std::logic_error("a text check reached the engine unresolved");
        case WS_QOP_SCALE:
        case WS_QOP_AND_MAYBE:
            if (!n->nkids)
                throw unsupported();
            return eval(n->kids[0]);
        case WS_QOP_AND:
        case WS_QOP_FILTER:
        case WS_QOP_PHRASE:
        case WS_QOP_RANGE: {
            if (n->op == WS_QOP_PHRASE || n->op == WS_QOP_RANGE) {
                ws_qnode one = {};
                one.op = WS_QOP_AND;
                const ws_qnode *kid = n;
                one.kids = const_cast<ws_qnode **>(&kid);
                one.nkids = 1;
                return all_of(&one);
            }
            return all_of(n);
        }
        case WS_QOP_OR:
        case WS_QOP_SYNONYM: {
            docs_t r;
            for (size_t i = 0; i < n->nkids; i++) {
                docs_t k = eval(n->kids[i]), u;
                u.reserve(r.size() + k.size());
                std::set_union(r.begin(), r.end(), k.begin(), k.end(), std::back_inserter(u));
                r.swap(u);
            }
            return r;
        }
        case WS_QOP_AND_NOT: {
            if (!n->nkids)
                throw unsupported();
            docs_t r = eval(n->kids[0]);
            for (size_t i = 1; i < n->nkids && !r.empty(); i++) {
                docs_t k = eval(n->kids[i]), d;
                std::set_difference(r.begin(), r.end(), k.begin(), k.end(), std::back_inserter(d));
                r.swap(d);
            }
            return r;
        }
        default:
            throw unsupported(); /* NEAR and what comes: Xapian's own pass */
        }
    }
};

} // namespace

bool count_by_sets(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset *m)
{
    if (!ws__db_local(db))
        return false;
    counter c{ws__db_xapian(db), o->time_limit > 0 ? now_ms() + o->time_limit * 1e3 : 0};
    try {
        docs_t r = c.eval(q);
        m->total = r.size();
        m->exact = 1;
        if (o->facets)
            m->facets = facets_of_docs(ws__db_xapian(db), r, o->facets);
        return true;
    } catch (const unsupported &) {
        return false;
    } catch (const out_of_time &) {
        m->total = 0; /* not known: the caller keeps its estimate */
        m->exact = 0;
        return true;
    } catch (const Xapian::UnimplementedError &) {
        return false;
    }
}

std::vector<Xapian::MSetIterator> within(Xapian::Enquire &enq, const docs_t &set,
                                         Xapian::doccount want, Xapian::doccount all,
                                         Xapian::MSet &ms)
{
    all = all ? all : 1;
    Xapian::doccount ask = want ? std::min(all, std::max<Xapian::doccount>(4 * want, 1000)) : all;
    doc_marks in(set);
    for (;;) {
        ms = enq.get_mset(0, ask, ask);
        std::vector<Xapian::MSetIterator> kept;
        for (auto it = ms.begin(); it != ms.end() && (!want || kept.size() < want); ++it)
            if (in.has(*it))
                kept.push_back(it);
        if ((want && kept.size() >= want) || ms.size() < ask || ask >= all)
            return kept;
        ask = ask > all / 4 ? all : ask * 4;
    }
}

const char remote_docs[] =
    "proximity operators (NEAR/n, SENTENCE, PARAGRAPH) need an index whose shards are all local";

bool count_set(ws_db *db, const ws_qnode *q, docs_t *out)
{
    counter c{ws__db_xapian(db), 0};
    try {
        *out = c.eval(q);
        return true;
    } catch (const unsupported &) {
        return false;
    }
}

docs_t exact_set(ws_db *db, const ws_qnode *q)
{
    counter c{ws__db_xapian(db), 0};
    try {
        return c.eval(q);
    } catch (const unsupported &) {
        throw std::logic_error("a query with a text check holds what cannot be counted");
    }
}

ws_status restriction(ws_db *db, const ws_qnode *q, bool *restricted, docs_t *set)
{
    *restricted = ws_qtree_has(q, WS_QOP_DOCS);
    if (*restricted && !ws__db_local(db)) {
        ws__db_message(db) = remote_docs;
        return WS_EINVAL;
    }
    if (*restricted)
        *set = exact_set(db, q);
    return WS_OK;
}

namespace
{

/* One shard's count, on a thread of its own (count_first). */
struct count_share {
    count_share(Xapian::Database &shard, double deadline, unsigned k, unsigned n,
                const ws_qnode *q_)
        : c{shard, deadline}, q(q_)
    {
        c.shard = k;
        c.shards = n;
    }
    counter c;
    const ws_qnode *q;
    docs_t all;
    std::map<const ws_qnode *, docs_t> passed;
    enum { DONE, UNSUPPORTED, OUT_OF_TIME, FAILED } outcome = DONE;
    std::exception_ptr failed;
};

void *count_one(void *arg)
{
    count_share *sh = static_cast<count_share *>(arg);
    sh->c.passed = &sh->passed;
    try {
        sh->all = sh->c.eval(sh->q);
    } catch (const unsupported &) {
        sh->outcome = count_share::UNSUPPORTED;
    } catch (const out_of_time &) {
        sh->outcome = count_share::OUT_OF_TIME;
    } catch (const Xapian::UnimplementedError &) {
        sh->outcome = count_share::UNSUPPORTED;
    } catch (...) {
        sh->outcome = count_share::FAILED;
        sh->failed = std::current_exception();
    }
    return nullptr;
}

/* The shards' sets (each of its own docids) as one of the whole index's. */
docs_t merged(std::vector<const docs_t *> parts, unsigned n)
{
    docs_t r, next;
    for (unsigned k = 0; k < n; k++) {
        docs_t g;
        g.reserve(parts[k]->size());
        for (Xapian::docid d : *parts[k])
            g.push_back(ws_stub_global(d, k, n));
        next.clear();
        next.reserve(r.size() + g.size());
        std::merge(r.begin(), r.end(), g.begin(), g.end(), std::back_inserter(next));
        r.swap(next);
    }
    return r;
}

/* Counts q shard by shard on threads (engine_int.h: ws__db_by_shard),
 * into *all and *passed as counting the whole index would; throws as
 * counter does when a shard could not be counted. */
void count_by_shard(ws_db *db, const ws_qnode *q, double deadline, docs_t *all,
                    std::map<const ws_qnode *, docs_t> *passed)
{
    unsigned n = (unsigned)ws__db_nshards(db);
    std::vector<count_share> shares;
    shares.reserve(n);
    for (unsigned k = 0; k < n; k++)
        shares.emplace_back(ws__db_shard(db, k), deadline, k, n, q);
    ws_crew_run(count_one, shares.data(), sizeof shares[0], n);
    for (auto &sh : shares)
        if (sh.outcome == count_share::FAILED)
            std::rethrow_exception(sh.failed);
    for (auto &sh : shares)
        if (sh.outcome == count_share::UNSUPPORTED)
            throw unsupported();
    for (auto &sh : shares)
        if (sh.outcome == count_share::OUT_OF_TIME)
            throw out_of_time();
    std::vector<const docs_t *> parts;
    for (auto &sh : shares)
        parts.push_back(&sh.all);
    *all = merged(parts, n);
    /* a phrase a shard did not check passed none of it: what it was ANDed
     * with matched nothing there before it */
    const docs_t none;
    for (auto &sh : shares)
        for (auto &p : sh.passed) {
            if (passed->count(p.first))
                continue;
            parts.clear();
            for (auto &other : shares) {
                auto it = other.passed.find(p.first);
                parts.push_back(it == other.passed.end() ? &none : &it->second);
            }
            (*passed)[p.first] = merged(parts, n);
        }
}

} // namespace

std::shared_ptr<const docs_t> count_first(ws_db *db, const ws_qnode *q, const ws_db_query *o,
                                          known_t *known, bool *cut, passed_t *sets)
{
    std::map<const ws_qnode *, docs_t> passed;
    counter c{ws__db_xapian(db), o->time_limit > 0 ? now_ms() + o->time_limit * 1e3 : 0};
    c.passed = &passed;
    auto all = std::make_shared<docs_t>();
    try {
        if (ws__db_by_shard(db))
            count_by_shard(db, q, c.deadline, all.get(), &passed);
        else
            *all = c.eval(q);
    } catch (const unsupported &) {
        return nullptr;
    } catch (const out_of_time &) {
        *cut = true;
        return nullptr;
    } catch (const Xapian::UnimplementedError &) {
        return nullptr;
    }
    for (auto &p : passed) {
        auto set = std::make_shared<const docs_t>(std::move(p.second));
        known->emplace(p.first, docs_query(c.db, set));
        if (sets)
            sets->emplace(p.first, set);
    }
    return all;
}

Xapian::Query docs_query(Xapian::Database &db, std::shared_ptr<const docs_t> set)
{
    if (set->empty())
        return Xapian::Query(Xapian::Query::MatchNothing);
    std::vector<std::string> shards; /* none for one */
    std::string uuids = db.get_uuid();
    if (uuids.find(':') != std::string::npos) {
        size_t at = 0;
        for (size_t colon; (colon = uuids.find(':', at)) != std::string::npos; at = colon + 1)
            shards.push_back(uuids.substr(at, colon - at));
        shards.push_back(uuids.substr(at));
    }
    return Xapian::Query((new set_source(std::move(set), std::move(shards)))->release());
}

} // namespace ws
