// positions.cc - occurrences counted from positions (positions.h): whether
// they can be and are the cheaper, and the count, a thread a shard; the count
// in one database is poscounter.cc's. No exception leaves this file.
#include "positions.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "poscounter.h"
#include "engine_int.h"
#include "layout.h"
#include "normalize.h"
#include "schema.h"
#include "stub.h"
#include "utf8.h"
#include "valuesweep.h"
#include "xapian_status.h"

using ws::caught;

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

namespace
{

// Thread t of nt: counts the documents of shards t, t + nt, ... of db,
// each in the shard's own docids.
struct share {
    ws_db *db;
    const ws_occ_patterns *ps;
    const unsigned *docid;
    size_t n;
    unsigned *counts;
    bool any;
    unsigned t, nt;
    ws_status st;
    std::string msg;

    void run()
    {
        try {
            size_t ns = ws__db_nshards(db);
            std::vector<std::vector<std::pair<unsigned, size_t>>> of(ns);
            for (size_t i = 0; i < n; i++) {
                unsigned d = docid[i];
                if (!d) {
                    if (t == 0)
                        counts[i] = 0;
                    continue;
                }
                size_t k = ws_stub_shard(d, (unsigned)ns);
                if (k % nt == t)
                    of[k].emplace_back(ws_stub_local(d, (unsigned)ns), i);
            }
            for (size_t k = t; k < ns; k += nt)
                ws::positions_count_in(ws__db_shard(db, k), ps, of[k], counts, any);
        } catch (...) {
            st = caught(msg); // "out of memory" for std::bad_alloc
        }
    }
};

} // namespace

static ws_status count_all(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid, size_t n,
                           unsigned *counts, bool any)
{
    // the positions of each shard on a thread of its own (valuesweep.h's
    // policy): counting is reading posting and position lists, which a
    // shard's database does for one thread at a time
    unsigned nt = ws_valuesweep_threads(db, n);
    try {
        if (nt <= 1 || ws__db_nshards(db) < 2) {
            std::vector<std::pair<unsigned, size_t>> order(n);
            for (size_t i = 0; i < n; i++)
                order[i] = {docid[i], i};
            ws::positions_count_in(ws__db_xapian(db), ps, order, counts, any);
            return WS_OK;
        }
        std::vector<share> sh(nt, share{db, ps, docid, n, counts, any, 0, nt, WS_OK, {}});
        std::vector<std::thread> th;
        th.reserve(nt); // so that no thread is started before a throw of the vector's
        for (unsigned t = 0; t < nt; t++)
            sh[t].t = t;
        for (unsigned t = 1; t < nt; t++) {
            try {
                th.emplace_back([&sh, t] { sh[t].run(); });
            } catch (const std::system_error &) {
                sh[t].run(); // no thread to be had: counted here
            }
        }
        sh[0].run();
        for (auto &x : th)
            x.join();
        for (auto &x : sh)
            if (x.st != WS_OK) {
                ws__db_message(db) = x.msg;
                return x.st;
            }
        return WS_OK;
    } catch (const std::bad_alloc &) {
        return WS_ENOMEM;
    } catch (...) {
        return caught(ws__db_message(db));
    }
}

WS_API ws_status ws_positions_count(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid,
                                    size_t n, unsigned *counts)
{
    return count_all(db, ps, docid, n, counts, false);
}

WS_API ws_status ws_positions_any(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid,
                                  size_t n, unsigned *counts)
{
    return count_all(db, ps, docid, n, counts, true);
}
