// keeper.cc - the match spy that ends a ranking at its deadline (keeper.h).
#include "keeper.h"

#include <memory>

#include <jansson.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "iddoc.h"
#include "schema.h"

namespace ws
{

keeper::keeper(size_t k, int date_order, double seconds)
    : k_(k), date_order_(date_order),
      end_(std::chrono::steady_clock::now() +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(
               std::chrono::duration<double>(seconds)))
{
}

void keeper::operator()(const Xapian::Document &doc, double wt)
{
    if (!(++seen_ & 255) && std::chrono::steady_clock::now() > end_)
        throw past_deadline();
    if (!k_)
        return;
    entry e{wt, doc.get_docid(), date_order_ ? doc.get_value(WS_SLOT_DATE) : std::string(), {}};
    auto worse = [this](const entry &a, const entry &b) { return better(a, b); };
    if (heap_.size() == k_ && !better(e, heap_.front()))
        return;
    /* a value read, cheaper than a term list; the id is parsed from it
     * only when the deadline comes */
    if ((e.key = doc.get_value(WS_SLOT_HIT)).empty()) {
        /* its id term, short or hashed (schema.h) */
        for (const char *pfx : {WS_PFX_ID, WS_PFX_HASHED WS_PFX_ID}) {
            Xapian::TermIterator t = doc.termlist_begin();
            t.skip_to(pfx);
            if (t != doc.termlist_end() && (*t).compare(0, strlen(pfx), pfx) == 0) {
                e.key = *t;
                break;
            }
        }
    }
    if (heap_.size() == k_) {
        std::pop_heap(heap_.begin(), heap_.end(), worse);
        heap_.back() = std::move(e);
    } else {
        heap_.push_back(std::move(e));
    }
    std::push_heap(heap_.begin(), heap_.end(), worse);
}

std::vector<keeper::entry> keeper::best() const
{
    std::vector<entry> v = heap_;
    std::sort(v.begin(), v.end(), [this](const entry &a, const entry &b) { return better(a, b); });
    return v;
}

/* Xapian's order: the date newest (date_order 1) or oldest (-1) first when
 * sorted by it, then the weight, then the docid */
bool keeper::better(const entry &a, const entry &b) const
{
    if (date_order_ && a.date != b.date)
        return date_order_ > 0 ? a.date > b.date : a.date < b.date;
    if (a.weight != b.weight)
        return a.weight > b.weight;
    return a.docid < b.docid;
}

Xapian::docid global_docid(Xapian::Database &db, const std::string &key)
{
    if (!key.empty() && key[0] == '{') {
        /* a hit value: its id, which another id may share a term with */
        std::unique_ptr<json_t, void (*)(json_t *)> j(
            json_loadb(key.data(), key.size(), 0, nullptr), json_decref);
        const char *id = json_string_value(json_object_get(j.get(), "id"));
        return id ? iddoc_find(db, id) : 0; /* may throw: j is freed then too */
    }
    if (key.empty())
        return 0;
    /* an id term, of a document stored without its id: nothing to compare */
    Xapian::PostingIterator p = db.postlist_begin(key);
    return p == db.postlist_end(key) ? 0 : *p;
}

} // namespace ws
