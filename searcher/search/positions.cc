// positions.cc - occurrences counted from positions (positions.h). No
// exception leaves this file.
#include "positions.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine_int.h"
#include "layout.h"
#include "normalize.h"
#include "schema.h"
#include "utf8.h"
#include "xapian_status.h"

namespace
{

using ws::caught;

// One term's postings, walked in docid order, and its positions in the
// document last asked for.
struct walked {
    std::string term;
    Xapian::PostingIterator it, end;
    bool started = false;
    Xapian::docid at = 0; // the document asked for last
    bool has = false;     // whether it holds the term
    bool read = false;    // whether pos holds its positions
    Xapian::termcount wdf = 0;
    std::vector<Xapian::termpos> pos;
};

// Moves t to d (which must not go down from one call to the next): t.has
// and t.wdf say whether and how often d holds it.
void locate(Xapian::Database &db, walked &t, Xapian::docid d)
{
    if (t.at == d)
        return;
    t.at = d;
    t.read = false;
    t.pos.clear();
    if (!t.started) {
        t.it = db.postlist_begin(t.term);
        t.end = db.postlist_end(t.term);
        t.started = true;
    }
    if (t.it != t.end && *t.it < d)
        t.it.skip_to(d);
    t.has = t.it != t.end && *t.it == d;
    t.wdf = t.has ? t.it.get_wdf() : 0;
}

// The positions of t in d, empty when d lacks it.
const std::vector<Xapian::termpos> &positions_in(Xapian::Database &db, walked &t, Xapian::docid d)
{
    locate(db, t, d);
    if (t.has && !t.read)
        for (auto p = t.it.positionlist_begin(); p != t.it.positionlist_end(); ++p)
            t.pos.push_back(*p);
    t.read = true;
    return t.pos;
}

// A pattern in one field: the terms of its characters and of the field's
// gaps (indices into the walked terms).
struct in_field {
    std::vector<size_t> chars;
    size_t gap;
};

struct counter {
    Xapian::Database &db;
    std::vector<walked> terms;
    std::vector<in_field> field[2]; // body, title
    std::vector<std::pair<Xapian::termpos, Xapian::termpos>> occ;

    explicit counter(Xapian::Database &d) : db(d)
    {
    }

    size_t term(const std::string &t)
    {
        for (size_t i = 0; i < terms.size(); i++)
            if (terms[i].term == t)
                return i;
        terms.emplace_back();
        terms.back().term = t;
        return terms.size() - 1;
    }

    void add(const ws_occ_pattern &p, int title)
    {
        const char *uni = title ? WS_PFX_TITLE_UNI : WS_PFX_UNI;
        in_field f;
        f.gap = term(title ? WS_PFX_TITLE_GAP : WS_PFX_GAP);
        for (size_t i = 0; i < p.len;) {
            uint32_t cp;
            int n =
                ws_utf8_decode(reinterpret_cast<const unsigned char *>(p.text) + i, p.len - i, &cp);
            f.chars.push_back(term(uni + std::string(p.text + i, static_cast<size_t>(n))));
            i += static_cast<size_t>(n);
        }
        field[title].push_back(std::move(f));
    }

    // Appends to occ the occurrences of f in d, [first, past last)
    // positions, left to right without overlap (as memmem finds them).
    void find(const in_field &f, Xapian::docid d)
    {
        size_t k = f.chars.size();
        const auto &first = positions_in(db, terms[f.chars[0]], d);
        if (first.empty())
            return;
        std::vector<const std::vector<Xapian::termpos> *> rest(k);
        for (size_t i = 1; i < k; i++) {
            rest[i] = &positions_in(db, terms[f.chars[i]], d);
            if (rest[i]->empty())
                return;
        }
        const auto &gaps = k > 1 ? positions_in(db, terms[f.gap], d) : first;
        std::vector<size_t> at(k, 0);
        size_t g = 0;
        Xapian::termpos end = 0;
        for (Xapian::termpos p : first) {
            if (p < end)
                continue;
            bool ok = true;
            for (size_t i = 1; i < k && ok; i++) {
                const auto &v = *rest[i];
                while (at[i] < v.size() && v[at[i]] < p + i)
                    at[i]++;
                ok = at[i] < v.size() && v[at[i]] == p + i;
            }
            if (ok && k > 1) {
                // no white space between the characters: no gap in (p, p + k)
                while (g < gaps.size() && gaps[g] <= p)
                    g++;
                ok = g == gaps.size() || gaps[g] >= p + k;
            }
            if (ok) {
                end = static_cast<Xapian::termpos>(p + k);
                occ.emplace_back(p, end);
            }
        }
    }

    unsigned count(Xapian::docid d)
    {
        unsigned n = 0;
        for (int title = 0; title < 2; title++) {
            occ.clear();
            if (field[title].size() == 1 && field[title][0].chars.size() == 1) {
                // one character alone: each of its positions is one
                walked &t = terms[field[title][0].chars[0]];
                locate(db, t, d);
                n += t.wdf;
                continue;
            }
            for (const in_field &f : field[title])
                find(f, d);
            if (field[title].size() < 2) {
                n += static_cast<unsigned>(occ.size());
                continue;
            }
            // of two that overlap, the one that starts first, the longer at
            // one start (occurrence.c's settle)
            std::sort(occ.begin(), occ.end(), [](const auto &a, const auto &b) {
                return a.first != b.first ? a.first < b.first : a.second > b.second;
            });
            Xapian::termpos end = 0;
            for (const auto &o : occ)
                if (o.first >= end) {
                    n++;
                    end = o.second;
                }
        }
        return n;
    }
};

} // namespace

WS_API int ws_positions_can_count(const ws_occ_patterns *ps)
{
    if (!ps->n || ps->nnear)
        return 0;
    for (size_t k = 0; k < ps->n; k++) {
        const ws_occ_pattern *p = &ps->p[k];
        if (!p->len || p->near)
            return 0;
        for (size_t i = 0; i < p->len;) {
            uint32_t cp = 0;
            int n = ws_utf8_decode(reinterpret_cast<const unsigned char *>(p->text) + i, p->len - i,
                                   &cp);
            if (n <= 0 || !ws_char_is_han(cp))
                return 0;
            i += static_cast<size_t>(n);
        }
    }
    return 1;
}

WS_API int ws_positions_cheaper(const ws_occ_patterns *ps)
{
    if (!ws_positions_can_count(ps))
        return 0;
    try {
        std::vector<std::string> chars;
        bool gaps = false;
        for (size_t k = 0; k < ps->n; k++) {
            const ws_occ_pattern *p = &ps->p[k];
            size_t n = 0;
            for (size_t i = 0; i < p->len; n++) {
                uint32_t cp = 0;
                int l = ws_utf8_decode(reinterpret_cast<const unsigned char *>(p->text) + i,
                                       p->len - i, &cp);
                std::string c(p->text + i, static_cast<size_t>(l));
                if (std::find(chars.begin(), chars.end(), c) == chars.end())
                    chars.push_back(c);
                i += static_cast<size_t>(l);
            }
            gaps |= n > 1;
        }
        // a pattern of one character alone is counted by its wdf: no list
        if (ps->n == 1 && chars.size() == 1)
            return 1;
        return chars.size() + gaps <= WS_POSITIONS_MAX_LISTS;
    } catch (...) {
        return 0;
    }
}

WS_API ws_status ws_positions_exact(ws_db *db, int *yes)
{
    *yes = 0;
    try {
        const std::string &dir = ws__db_dir(db);
        ws_stub stub;
        if (ws_layout_read_stub(dir.c_str(), &stub, nullptr, 0) != WS_OK || stub.remote ||
            !stub.local)
            return WS_OK;
        Xapian::doccount docs = 0;
        for (unsigned i = 0; i < stub.local; i++) {
            char path[4096];
            if (ws_layout_shard_path(dir.c_str(), i, path, sizeof path) != WS_OK)
                return WS_OK;
            Xapian::Database shard(path);
            if (shard.get_metadata(WS_GAPS_KEY) != "1")
                return WS_OK;
            docs += shard.get_doccount();
        }
        // every shard the handle reads is one of those
        *yes = docs == ws__db_xapian(db).get_doccount();
        return WS_OK;
    } catch (...) {
        return caught(ws__db_message(db));
    }
}

WS_API ws_status ws_positions_count(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid,
                                    size_t n, unsigned *counts)
{
    try {
        counter c(ws__db_xapian(db));
        for (size_t k = 0; k < ps->n; k++) {
            c.add(ps->p[k], 1);
            if (!ps->p[k].title_only)
                c.add(ps->p[k], 0);
        }
        // in docid order, so that each posting list is read once, forwards
        std::vector<std::pair<unsigned, size_t>> order(n);
        for (size_t i = 0; i < n; i++)
            order[i] = {docid[i], i};
        std::sort(order.begin(), order.end());
        for (const auto &o : order)
            counts[o.second] = o.first ? c.count(o.first) : 0;
        return WS_OK;
    } catch (const std::bad_alloc &) {
        return WS_ENOMEM;
    } catch (...) {
        return caught(ws__db_message(db));
    }
}
