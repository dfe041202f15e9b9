// facets.cc - the facets of a query's matches (facets.h).
#include "facets.h"

#include <map>
#include <new>
#include <string>

#include "schema.h"

namespace ws
{

/* A facet counts the values of its slot, or of their first len bytes
 * (len 0: the whole value): the month is the date's "YYYY-MM", read from
 * the date slot rather than a slot of its own, so that every index has it. */
static const struct {
    unsigned bit, slot;
    size_t len;
    const char *name;
} facet_slots[] = {{WS_FACET_SOURCE, WS_SLOT_SOURCE, 0, "source"},
                   {WS_FACET_TYPE, WS_SLOT_TYPE, 0, "type"},
                   {WS_FACET_YEAR, WS_SLOT_YEAR, 0, "year"},
                   {WS_FACET_MONTH, WS_SLOT_DATE, 7, "month"}};

/* The key a facet counts value v under ("" for none). */
static std::string facet_key(size_t len, const std::string &v)
{
    return len && v.size() >= len ? v.substr(0, len) : len ? std::string() : v;
}

spies_t add_spies(Xapian::Enquire &enq, const ws_db_query *o)
{
    spies_t spies;
    for (auto &f : facet_slots) {
        if (o->facets & f.bit) {
            spies.emplace_back(new Xapian::ValueCountMatchSpy(f.slot));
            enq.add_matchspy(spies.back().get());
        } else {
            spies.emplace_back(nullptr);
        }
    }
    return spies;
}

spies_t new_spies(const ws_db_query *o)
{
    spies_t spies;
    for (auto &f : facet_slots)
        spies.emplace_back(o->facets & f.bit ? new Xapian::ValueCountMatchSpy(f.slot) : nullptr);
    return spies;
}

json_t *facets_of(const spies_t &spies, unsigned long total)
{
    json_t *all = nullptr;
    for (size_t i = 0; i < spies.size(); i++) {
        if (!spies[i])
            continue;
        if (!all && !(all = json_object()))
            throw std::bad_alloc();
        std::map<std::string, unsigned long> keyed;
        unsigned long sum = 0;
        for (auto v = spies[i]->values_begin(); v != spies[i]->values_end(); ++v) {
            std::string k = facet_key(facet_slots[i].len, *v);
            if (k.empty())
                continue;
            keyed[k] += v.get_termfreq();
            sum += v.get_termfreq();
        }
        json_t *counts = json_object();
        for (auto &kv : keyed)
            json_object_set_new(counts, kv.first.c_str(), json_integer((json_int_t)kv.second));
        if (sum < total)
            json_object_set_new(counts, "(none)", json_integer((json_int_t)(total - sum)));
        json_object_set_new(all, facet_slots[i].name, counts);
    }
    return all;
}

json_t *facets_of_docs(Xapian::Database &db, const std::vector<Xapian::docid> &r, unsigned which)
{
    json_t *all = json_object();
    if (!all)
        throw std::bad_alloc();
    for (auto &f : facet_slots) {
        if (!(which & f.bit))
            continue;
        std::map<std::string, unsigned long> counts;
        unsigned long with = 0;
        Xapian::ValueIterator v = db.valuestream_begin(f.slot), end = db.valuestream_end(f.slot);
        for (Xapian::docid d : r) {
            if (v == end)
                break;
            v.skip_to(d);
            if (v == end)
                break;
            if (v.get_docid() == d) {
                std::string k = facet_key(f.len, *v);
                if (!k.empty()) {
                    counts[k]++;
                    with++;
                }
            }
        }
        json_t *c = json_object();
        for (auto &kv : counts)
            json_object_set_new(c, kv.first.c_str(), json_integer((json_int_t)kv.second));
        if (with < r.size())
            json_object_set_new(c, "(none)", json_integer((json_int_t)(r.size() - with)));
        json_object_set_new(all, f.name, c);
    }
    return all;
}

} // namespace ws
