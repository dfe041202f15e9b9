// poscounter.cc - occurrences counted from one database's positions
// (poscounter.h): the wdfs judge each document, the passes decide those
// they leave, the positions the rest. Exceptions go to positions.cc's entry
// points.
#include "poscounter.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "counter.h"
#include "schema.h"
#include "utf8.h"

namespace
{

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

// A pattern in one field: the terms of its characters, of its pairs (pair i
// is characters i and i + 1) and of the field's gaps (indices into the
// walked terms), and whether it can overlap itself (a proper prefix of it
// is also its suffix: 哈哈, 啊哦啊).
struct in_field {
    std::vector<size_t> chars;
    std::vector<size_t> pairs;
    size_t gap;
    // its witnesses: its text as one word term and as one run term (two or
    // three words side by side), none when not to be used
    std::vector<size_t> witness;
    bool overlaps;
    bool distinct; // no character twice
    // the documents whose count waits for split_free and have a gap
    // (need_split), and of those the ones where a gap stands right after
    // one of its characters but the last (suspects)
    std::vector<Xapian::docid> need_split, suspects;
    // the documents whose count waits for the phrase (need), and of those
    // the ones where its characters stand at consecutive positions
    // (Xapian's phrase match, run once over need)
    std::vector<Xapian::docid> need, phrase;
};

constexpr size_t none = ~size_t(0);

// What the wdfs say of a pattern in a document, before any position is read
// or pass made.
struct verdict {
    enum : unsigned char {
        EXACT,     // n
        CHAIN,     // n where no gap parts a pair (split_free), else READ
        READ,      // only its positions tell
        PHRASE,    // none outside the phrase; inside, only positions tell
        PHRASE_ONE // none outside the phrase; inside, one where split_free
    } kind;
    Xapian::termcount n;
};

// Whether an occurrence of a can share a position with one of b: where one
// holds the other, or a proper suffix of one is a proper prefix of the
// other.
bool can_overlap(const std::vector<size_t> &a, const std::vector<size_t> &b)
{
    if (std::search(a.begin(), a.end(), b.begin(), b.end()) != a.end() ||
        std::search(b.begin(), b.end(), a.begin(), a.end()) != b.end())
        return true;
    for (size_t l = 1; l < std::min(a.size(), b.size()); l++) {
        auto n = static_cast<std::ptrdiff_t>(l);
        if (std::equal(a.end() - n, a.end(), b.begin()) ||
            std::equal(b.end() - n, b.end(), a.begin()))
            return true;
    }
    return false;
}

// Whether a run of characters has a proper prefix that is also its suffix.
bool self_overlapping(const std::vector<size_t> &c)
{
    for (size_t l = 1; l < c.size(); l++)
        if (std::equal(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(l),
                       c.end() - static_cast<std::ptrdiff_t>(l)))
            return true;
    return false;
}

struct counter {
    Xapian::Database &db;
    std::vector<walked> terms;
    std::vector<in_field> field[2]; // body, title
    // whether no occurrence of one pattern of the field can share a
    // position with one of another (can_overlap)
    bool apart[2] = {true, true};
    std::vector<std::pair<Xapian::termpos, Xapian::termpos>> occ;
    // whether a document's count need only be nonzero where it is: a word
    // witness then decides (ws_positions_any)
    bool any = false;

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
        const char *bi = title ? WS_PFX_TITLE_BI : WS_PFX_BI;
        in_field f;
        f.gap = term(title ? WS_PFX_TITLE_GAP : WS_PFX_GAP);
        std::string prev;
        for (size_t i = 0; i < p.len;) {
            uint32_t cp;
            int n =
                ws_utf8_decode(reinterpret_cast<const unsigned char *>(p.text) + i, p.len - i, &cp);
            std::string c(p.text + i, static_cast<size_t>(n));
            f.chars.push_back(term(uni + c));
            if (!prev.empty())
                f.pairs.push_back(term(bi + prev + c));
            prev = c;
            i += static_cast<size_t>(n);
        }
        f.overlaps = self_overlapping(f.chars);
        for (const char *pfx :
             {title ? WS_PFX_TITLE_WORD : WS_PFX_WORD, title ? WS_PFX_TITLE_RUN : WS_PFX_RUN}) {
            std::string w = std::string(pfx) + std::string(p.text, p.len);
            if (f.chars.size() > 1 && !f.overlaps && w.size() <= WS_TERM_MAX)
                f.witness.push_back(term(w));
        }
        std::vector<size_t> sorted = f.chars;
        std::sort(sorted.begin(), sorted.end());
        f.distinct = std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
        for (const in_field &g : field[title])
            if (can_overlap(g.chars, f.chars))
                apart[title] = false;
        field[title].push_back(std::move(f));
    }

    // What the wdfs alone say of f in d, without a position: 0 when it
    // cannot occur, its exact count, or what else decides it (verdict).
    //
    // The indexer adds a pair term for each two CJK characters at
    // consecutive positions of one field (termgen.h), so that the wdf of
    // pair i is the number of positions q where character i stands at q
    // and character i + 1 at q + 1. Each occurrence holds every pair of f
    // once for each time the pair is in f, and occurrences counted do not
    // overlap: a pair met m times in f with a wdf under m rules f out, and
    // the least wdf of a pair divided by its times in f, U, bounds the
    // count from above.
    //
    // The word witness bounds it from below: the wdf L of f's text as one
    // word term (no prefix in the body, S in the title) is the number of
    // times the analyzer cut f as one word in the field, and each such
    // word is an occurrence as the positions define it. A word term of two
    // or more CJK characters comes only from a HAN token (no Latin token,
    // compound or punctuation mark is made of CJK characters alone, which
    // test_termgen checks for every code point of ws_char_is_han; a
    // compound always holds an ASCII digit or joiner); a HAN token is one
    // stretch of touching ideographic pieces of the word breaker over the
    // normalized text (steps 1-3 of analyzer.h: a hard wrap inside CJK text
    // is already dropped there, while white space, a kept line break, a
    // paragraph break or any other code point ends the stretch), its text
    // is the normalized characters whose U terms it adds, each at the next
    // position, and a gap term stands only before a token's first
    // character. So a word f is f's characters at consecutive positions
    // with no gap between, and tokens do not share a position: L <= count
    // <= U, and L == U is the count, with no position read. The witness is
    // taken only for runs that cannot overlap themselves (f.witness is empty
    // otherwise), whose occurrences all stand apart. For one that can
    // (哈哈), counted left to right without overlap, the bounds would
    // hold as well (that count is the most occurrences standing apart),
    // but such a word is rare and its run seldom the word alone (哈哈哈 is
    // 哈|哈哈), so positions decide there. A word longer than a term may
    // be (WS_TERM_MAX) has no term: L is 0, still a bound.
    //
    // The run term (R in the body, TR in the title: two or three HAN
    // tokens side by side, at consecutive positions with no gap between,
    // termgen.h) adds to L: each of its places is f's characters at
    // consecutive positions with no gap between too, and a place is cut
    // one way, as one word or as one run, never both, so that the two
    // wdfs count distinct occurrences. An index made before the run terms
    // has none: L is lower, still a bound.
    //
    // Where no gap parts a pair of f (split_free), every such pair stands
    // in the text without white space inside, and f starts at p exactly where pair i
    // stands at p + i for every i: the count is the size of the
    // intersection of the sets T_i = {q - i : pair i at q}. A character j
    // inside f (0 < j < k - 1) with as many positions as pair j - 1 has
    // (every one of them preceded by character j - 1) makes T_j a subset
    // of T_{j-1}; with as many as pair j (every one followed by character
    // j + 1), T_{j-1} a subset of T_j. Where these make one T_m a subset of
    // every other, the intersection is T_m, of the wdf of pair m: the
    // count, when f cannot overlap itself (else only when it is 0 or 1).
    // A run of two different characters (no character inside) is its
    // pair's wdf.
    verdict from_wdfs(in_field &f, Xapian::docid d)
    {
        size_t k = f.chars.size();
        if (k == 1) {
            walked &t = terms[f.chars[0]];
            locate(db, t, d);
            return {verdict::EXACT, t.wdf}; // each of its positions is one
        }
        std::vector<Xapian::termcount> w(k - 1);
        Xapian::termcount bound = ~Xapian::termcount(0);
        for (size_t i = 0; i < k - 1; i++) {
            walked &t = terms[f.pairs[i]];
            locate(db, t, d);
            size_t times =
                static_cast<size_t>(std::count(f.pairs.begin(), f.pairs.end(), f.pairs[i]));
            if (t.wdf < times)
                return {verdict::EXACT, 0};
            w[i] = t.wdf;
            bound = std::min(bound, static_cast<Xapian::termcount>(t.wdf / times));
        }
        Xapian::termcount words = 0;
        for (size_t x : f.witness) {
            walked &t = terms[x];
            locate(db, t, d);
            words += t.wdf;
        }
        if (words && words >= bound)
            return {verdict::EXACT, bound}; // L == U (L > U cannot be)
        if (words && any)
            return {verdict::EXACT, words}; // L occurrences at least: it holds f
        // left[j]: T_j within T_{j-1}; right[j]: T_{j-1} within T_j
        std::vector<char> left(k - 1, 0), right(k - 1, 0);
        for (size_t j = 1; j < k - 1; j++) {
            walked &c = terms[f.chars[j]];
            locate(db, c, d);
            left[j] = c.wdf == w[j - 1];
            right[j] = c.wdf == w[j];
        }
        for (size_t m = 0; m < k - 1; m++) {
            bool ok = true;
            for (size_t j = 1; j <= m && ok; j++)
                ok = left[j];
            for (size_t j = m + 1; j < k - 1 && ok; j++)
                ok = right[j];
            if (ok && (!f.overlaps || w[m] <= 1))
                return wait_split(f, d, {verdict::CHAIN, w[m]});
        }
        // A word witness says that d holds f: no phrase to check.
        if (words)
            return {verdict::READ, 0};
        // Where the pairs do not chain: an occurrence is the characters at
        // consecutive positions (where Xapian's phrase match finds them) with
        // no gap between, and there are at most U. So none outside the
        // phrase's documents, and one where U is 1 and no gap parts a pair.
        // Only for runs of distinct characters, whose phrase has no term
        // twice.
        if (!f.distinct)
            return {verdict::READ, 0};
        f.need.push_back(d);
        if (bound == 1)
            return wait_split(f, d, {verdict::PHRASE_ONE, 1});
        return {verdict::PHRASE, 0};
    }

    // v, which holds where no gap parts a pair of f in d: without a gap term
    // in the field none does (a CHAIN is then EXACT); else d waits for the
    // pass that finds the suspects (make_suspects).
    verdict wait_split(in_field &f, Xapian::docid d, verdict v)
    {
        walked &gap = terms[f.gap];
        locate(db, gap, d);
        if (!gap.has)
            return v.kind == verdict::CHAIN ? verdict{verdict::EXACT, v.n} : v;
        f.need_split.push_back(d);
        return v;
    }

    // Whether no pair of f in d stands across white space, so that the
    // wdfs of its pairs are of pairs written together. Without a gap term in
    // the field, none does. Else a gap at q parts pair i where character i
    // stands at q - 1 and i + 1 at q: the positions of every second
    // character of f (1, 3, ...: one of each pair) and of the gaps rule
    // that out for each pair, two or three lists where the count from
    // positions reads k + 1.
    bool split_free(in_field &f, Xapian::docid d)
    {
        walked &gap = terms[f.gap];
        locate(db, gap, d);
        if (!gap.has)
            return true;
        if (!std::binary_search(f.suspects.begin(), f.suspects.end(), d))
            return true;
        const auto &gaps = positions_in(db, gap, d);
        size_t k = f.chars.size();
        for (size_t j = 1; j < k; j += 2) {
            const auto &at = positions_in(db, terms[f.chars[j]], d);
            // pair j - 1 (ends at j) is parted by a gap at a position of j;
            // pair j (starts at j) by a gap right after one
            for (Xapian::termpos q : gaps) {
                if (std::binary_search(at.begin(), at.end(), q))
                    return false;
                if (j + 1 < k && q > 0 && std::binary_search(at.begin(), at.end(), q - 1))
                    return false;
            }
        }
        return true;
    }

    // Appends to out, sorted, every document q matches: one pass of
    // Xapian's matcher, weightless and in docid order, which reads each
    // term's positions through one cursor for all documents.
    void matching(const Xapian::Query &q, std::vector<Xapian::docid> &out)
    {
        Xapian::Enquire enq(db);
        enq.set_query(q);
        enq.set_weighting_scheme(Xapian::BoolWeight());
        enq.set_docid_order(Xapian::Enquire::ASCENDING);
        Xapian::doccount all = db.get_doccount();
        Xapian::MSet ms = enq.get_mset(0, all ? all : 1);
        for (auto it = ms.begin(); it != ms.end(); ++it)
            out.push_back(*it);
        std::sort(out.begin(), out.end());
    }

    // A gap can part pair i only where it stands right after character
    // i: Xapian's phrase match finds the documents of f.need_split where
    // one does (a character and the gap at the next position), in one pass
    // that reads their positions through one cursor a term, where reading
    // them here takes a cursor a list. Only those documents need the
    // positions of the gaps and characters.
    void make_suspects(in_field &f)
    {
        std::vector<Xapian::Query> after;
        const std::string &gap = terms[f.gap].term;
        for (size_t i = 0; i + 1 < f.chars.size(); i++) {
            Xapian::Query two[] = {Xapian::Query(terms[f.chars[i]].term), Xapian::Query(gap)};
            after.emplace_back(Xapian::Query::OP_PHRASE, two, two + 2, 2);
        }
        matching(Xapian::Query(Xapian::Query::OP_FILTER,
                               Xapian::Query(Xapian::Query::OP_OR, after.begin(), after.end()),
                               ws::docs_query(db, sorted_set(f.need_split))),
                 f.suspects);
    }

    // docs (gathered in docid order) as a set to filter a query by.
    static std::shared_ptr<const ws::docs_t> sorted_set(std::vector<Xapian::docid> &docs)
    {
        std::sort(docs.begin(), docs.end());
        docs.erase(std::unique(docs.begin(), docs.end()), docs.end());
        return std::make_shared<const ws::docs_t>(docs);
    }

    // The documents of f.need where the characters of f stand at
    // consecutive positions: one pass of Xapian's phrase match (one cursor
    // a term) filtered by them, so that no other document reads a
    // position.
    void make_phrase(in_field &f)
    {
        std::vector<Xapian::Query> chars;
        for (size_t c : f.chars)
            chars.emplace_back(terms[c].term);
        matching(Xapian::Query(Xapian::Query::OP_FILTER,
                               Xapian::Query(Xapian::Query::OP_PHRASE, chars.begin(), chars.end(),
                                             chars.size()),
                               ws::docs_query(db, sorted_set(f.need))),
                 f.phrase);
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

    // The number of patterns in both fields: the verdicts of a document.
    size_t slots() const
    {
        return field[0].size() + field[1].size();
    }

    // What the wdfs say of each pattern in d, into v[0..slots()), body
    // first; the documents left to the passes go to their pattern's lists.
    void judge(Xapian::docid d, verdict *v)
    {
        for (auto &fs : field)
            for (in_field &f : fs)
                *v++ = from_wdfs(f, d);
    }

    // Runs the passes of every pattern over the documents that wait for
    // them, then rewinds the walked terms for the positions read in docid
    // order again.
    void passes()
    {
        for (auto &fs : field)
            for (in_field &f : fs) {
                if (!f.need_split.empty())
                    make_suspects(f);
                if (!f.need.empty())
                    make_phrase(f);
            }
        for (walked &t : terms) {
            t.started = false;
            t.at = 0;
            t.has = t.read = false;
            t.pos.clear();
        }
    }

    // The count of f in d from its verdict v, the passes made, or -1 where
    // only its positions tell.
    long resolve(in_field &f, Xapian::docid d, verdict v)
    {
        switch (v.kind) {
        case verdict::EXACT:
            return static_cast<long>(v.n);
        case verdict::CHAIN:
            return split_free(f, d) ? static_cast<long>(v.n) : -1;
        case verdict::READ:
            return -1;
        case verdict::PHRASE:
        case verdict::PHRASE_ONE:
            if (!std::binary_search(f.phrase.begin(), f.phrase.end(), d))
                return 0;
            return v.kind == verdict::PHRASE_ONE && split_free(f, d) ? 1 : -1;
        }
        return -1;
    }

    // The count of d from its verdicts v (judge), the passes made: each
    // field's patterns that can occur, one left alone counted from its
    // verdict where that tells, else from the positions.
    unsigned count(Xapian::docid d, const verdict *v)
    {
        unsigned n = 0;
        std::vector<const in_field *> left;
        for (int title = 0; title < 2; title++) {
            occ.clear();
            // a pattern that cannot occur takes no part in the settling
            // below; where every one left is known and none can overlap
            // another, the settling keeps every occurrence: their sum
            left.clear();
            long sum = 0;
            for (in_field &f : field[title]) {
                long c = resolve(f, d, *v++);
                if (c != 0) {
                    left.push_back(&f);
                    sum = sum < 0 || c < 0 ? -1 : sum + c;
                }
            }
            if (sum >= 0 && (left.size() < 2 || apart[title])) {
                n += static_cast<unsigned>(sum);
                continue;
            }
            for (const in_field *f : left)
                find(*f, d);
            if (left.size() < 2) {
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

// Counts into counts the documents of xdb in order (each a docid of xdb and
// where its count goes; 0 for none): in docid order, so that each posting
// list is read once, forwards: first what the wdfs say, then the phrases
// over the documents that wait for them, then the positions of those left.
void ws::positions_count_in(Xapian::Database &xdb, const ws_occ_patterns *ps,
                            std::vector<std::pair<unsigned, size_t>> &order, unsigned *counts,
                            bool any)
{
    counter c(xdb);
    c.any = any;
    for (size_t k = 0; k < ps->n; k++) {
        c.add(ps->p[k], 1);
        if (!ps->p[k].title_only)
            c.add(ps->p[k], 0);
    }
    std::sort(order.begin(), order.end());
    size_t n = order.size(), k = c.slots();
    std::vector<verdict> v(n * k);
    for (size_t i = 0; i < n; i++)
        if (order[i].first)
            c.judge(order[i].first, &v[i * k]);
    c.passes();
    for (size_t i = 0; i < n; i++)
        counts[order[i].second] = order[i].first ? c.count(order[i].first, &v[i * k]) : 0;
}
