#include "matchpass.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "listed.h"
#include "positions.h"
#include "schema.h"

ws_status ws_matchpass_plan(ws_searcher *s, const ws_search_opts *o, ws_matchpass *p)
{
    p->s = s;
    p->below = SIZE_MAX;
    ws_status st = ws__searcher_plan(s, o, &p->ast, &p->q);
    if (st == WS_OK)
        st =
            ws_occ_patterns_of(ws__searcher_analyzer(s), p->ast, ws__searcher_occ_flags(s), &p->ps);
    return st;
}

ws_status ws_matchpass_list(ws_matchpass *p)
{
    ws_db *db = ws__searcher_db(p->s);
    ws_status st = ws_db_list_all(db, p->q, WS_DB_ORDER_DOCID, &p->list);
    if (st != WS_OK)
        ws__searcher_fail(p->s, "%s", ws_db_errmsg(db));
    return st;
}

ws_status ws_matchpass_counts(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid, size_t n,
                              unsigned **out)
{
    *out = NULL;
    int exact = 0;
    if (!n)
        return WS_OK;
    ws_status st = ws_positions_cheaper(ps) ? ws_positions_exact(db, &exact) : WS_OK;
    unsigned *counts = st == WS_OK ? malloc(n * sizeof *counts) : NULL;
    if (st == WS_OK && !counts)
        return WS_ENOMEM;
    if (st == WS_OK)
        st = exact ? ws_positions_count(db, ps, docid, n, counts)
                   : ws_listed_count(db, ps, docid, n, counts);
    if (st != WS_OK)
        free(counts);
    else
        *out = counts;
    return st;
}

ws_status ws_matchpass_count(ws_matchpass *p)
{
    ws_db *db = ws__searcher_db(p->s);
    ws_status st = ws_matchpass_counts(db, &p->ps, p->list.docid, p->list.n, &p->counts);
    if (st != WS_OK && st != WS_ENOMEM)
        ws__searcher_fail(p->s, "%s", ws_db_errmsg(db));
    return st;
}

int ws_matchpass_next(ws_matchpass *p, ws_status *st)
{
    while (p->next < p->list.n) {
        size_t i = p->next++;
        unsigned docid = p->list.docid[i];
        if (docid >= p->below)
            continue;
        if (p->counts && p->counts[i] != WS_LISTED_UNKNOWN) {
            if (!p->counts[i])
                continue;
            ws_textdoc_clear(&p->d);
            p->d.nocc = p->counts[i];
            return 1;
        }
        *st = ws_textdoc_load(ws__searcher_db(p->s), ws__searcher_analyzer(p->s), &p->ps, docid,
                              &p->d);
        if (*st == WS_ENOTFOUND)
            continue;
        if (*st != WS_OK)
            return 0;
        if (p->d.nocc)
            return 1;
    }
    *st = WS_OK;
    return 0;
}

void ws_matchpass_clear(ws_matchpass *p)
{
    free(p->counts);
    ws_textdoc_clear(&p->d);
    ws_db_list_free(&p->list);
    ws_occ_patterns_free(&p->ps);
    ws_qtree_free(p->q);
    ws_qast_free(p->ast);
    memset(p, 0, sizeof *p);
}
