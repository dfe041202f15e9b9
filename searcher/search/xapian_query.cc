// xapian_query.cc - the Xapian query of a query tree (xapian_query.h).
#include "xapian_query.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace ws
{

/* Every document, as a query of its own: Xapian's Query::MatchAll is one
 * static object whose reference count is not atomic, and the counter
 * makes queries on a thread a shard (shardrank.h), so no query may share
 * a part with another thread's; the empty term is what MatchAll holds. */
static Xapian::Query match_all()
{
    return Xapian::Query(std::string());
}

Xapian::Query xapian_query(const ws_qnode *n, bool sets, bool neg, const known_t *known,
                           const term_factors_t *factors)
{
    using Q = Xapian::Query;
    if (sets && (n->op == WS_QOP_AND_MAYBE || n->op == WS_QOP_SCALE) && n->nkids)
        return xapian_query(n->kids[0], sets, neg, known, factors);
    switch (n->op) {
    case WS_QOP_CHECK:
        throw std::logic_error("a text check reached the engine unresolved");
    case WS_QOP_DOCS:
        if (neg)
            return Q::MatchNothing;
        return n->nkids ? xapian_query(n->kids[0], sets, neg, known, factors) : match_all();
    case WS_QOP_TERM:
        if (factors)
            return Q(Q::OP_SCALE_WEIGHT, Q(n->term, n->wqf ? n->wqf : 1, n->pos),
                     factors->at(n->term));
        return Q(n->term, n->wqf ? n->wqf : 1, n->pos);
    case WS_QOP_BOOL_TERM:
        return Q(Q::OP_SCALE_WEIGHT, Q(n->term), 0.0);
    case WS_QOP_ALL:
        return match_all();
    case WS_QOP_NOTHING:
        return Q::MatchNothing;
    case WS_QOP_RANGE:
        /* (an empty lower bound is none: Xapian makes OP_VALUE_GE "" its
         * MatchAll) */
        if (n->lo && *n->lo && n->hi)
            return Q(Q::OP_VALUE_RANGE, n->slot, n->lo, n->hi);
        if (n->lo && *n->lo)
            return Q(Q::OP_VALUE_GE, n->slot, n->lo);
        if (n->hi)
            return Q(Q::OP_VALUE_LE, n->slot, n->hi);
        return match_all();
    case WS_QOP_SCALE:
        return Q(Q::OP_SCALE_WEIGHT, xapian_query(n->kids[0], sets, neg, known, factors),
                 n->factor);
    default:
        break;
    }
    std::vector<Q> kids;
    kids.reserve(n->nkids);
    for (size_t i = 0; i < n->nkids; i++) {
        /* a phrase on a FILTER's weightless side whose matches are known:
         * that set, so that no position is read again */
        auto set = known && n->op == WS_QOP_FILTER && i > 0 ? known->find(n->kids[i])
                                                            : known_t::const_iterator();
        if (known && n->op == WS_QOP_FILTER && i > 0 && set != known->end())
            kids.push_back(set->second);
        else if (n->op == WS_QOP_AND_NOT && i > 0)
            /* what is taken away has no weight: its bare terms */
            kids.push_back(xapian_query(n->kids[i], true, !neg, known, factors));
        else
            kids.push_back(xapian_query(n->kids[i], sets, neg, known, factors));
    }
    static const struct {
        ws_qop ws;
        Q::op xapian;
    } ops[] = {{WS_QOP_AND, Q::OP_AND},         {WS_QOP_OR, Q::OP_OR},
               {WS_QOP_AND_NOT, Q::OP_AND_NOT}, {WS_QOP_AND_MAYBE, Q::OP_AND_MAYBE},
               {WS_QOP_FILTER, Q::OP_FILTER},   {WS_QOP_PHRASE, Q::OP_PHRASE},
               {WS_QOP_NEAR, Q::OP_NEAR},       {WS_QOP_SYNONYM, Q::OP_SYNONYM}};
    Q::op op = Q::OP_OR;
    for (auto &o : ops)
        if (o.ws == n->op)
            op = o.xapian;
    // AND_NOT, AND_MAYBE and FILTER take exactly two: fold the rest into an OR
    // (AND_NOT, AND_MAYBE) or an AND (FILTER).
    if ((op == Q::OP_AND_NOT || op == Q::OP_AND_MAYBE || op == Q::OP_FILTER) && kids.size() > 2) {
        Q rest(op == Q::OP_FILTER ? Q::OP_AND : Q::OP_OR, kids.begin() + 1, kids.end());
        return Q(op, kids[0], rest);
    }
    return Q(op, kids.begin(), kids.end(), n->window);
}

} // namespace ws
