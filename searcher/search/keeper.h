// keeper.h - the match spy that ends a ranking at its deadline and keeps the
// page (mset.cc's rank_page). For the C++ files of this layer; C++ only,
// not a public header.
#ifndef WS_KEEPER_H
#define WS_KEEPER_H

#include <xapian.h>

#include <chrono>
#include <string>
#include <vector>

namespace ws
{

/* What the keeper throws, out of Enquire::get_mset, at the deadline. */
struct past_deadline {
};

/* Xapian's time limit only ends the counting past the page: the matcher
 * still visits every candidate, so a date sort or an OR of 256 common
 * characters ran for seconds under a limit of 500 ms. This spy, which the
 * matcher calls for every document it examines, keeps the best of the page
 * as the matcher would rank them and ends the match at the deadline by
 * throwing; the page is then the best of the documents examined. Local
 * shards only: a remote one would need it serialised. The caller owns it
 * and keeps it past get_mset (an Enquire only points at its spies). */
class keeper : public Xapian::MatchSpy
{
  public:
    struct entry {
        double weight;
        Xapian::docid docid; /* in its shard, for the order of equals */
        std::string date;
        std::string key; /* its hit value, or its id term when it has none:
                            the spy's document is reused for the next match,
                            and knows only its docid within its shard */
    };

    /* Keeps the best k; date_order 1 newest first, -1 oldest first, 0 by
     * relevance; the deadline seconds from now. */
    keeper(size_t k, int date_order, double seconds);

    void operator()(const Xapian::Document &doc, double wt) override;

    /* The kept documents, best first. */
    std::vector<entry> best() const;

    /* The documents examined. */
    unsigned long seen() const
    {
        return seen_;
    }

  private:
    bool better(const entry &a, const entry &b) const;

    size_t k_;
    int date_order_;
    std::chrono::steady_clock::time_point end_;
    unsigned long seen_ = 0;
    std::vector<entry> heap_; /* the worst kept on top */
};

/* The docid in db of a document the keeper kept, from its key (a hit value
 * or an id term); 0 when it is not found. */
Xapian::docid global_docid(Xapian::Database &db, const std::string &key);

} // namespace ws

#endif
