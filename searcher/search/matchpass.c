#include "matchpass.h"

#include <stdint.h>
#include <string.h>

ws_status ws_matchpass_plan(ws_searcher *s, const ws_search_opts *o, ws_matchpass *p)
{
    p->s = s;
    p->below = SIZE_MAX;
    ws_status st = ws__searcher_plan(s, o, &p->ast, &p->q);
    if (st == WS_OK)
        st = ws_occ_patterns_of(ws__searcher_analyzer(s), p->ast, &p->ps);
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

int ws_matchpass_next(ws_matchpass *p, ws_status *st)
{
    while (p->next < p->list.n) {
        unsigned docid = p->list.docid[p->next++];
        if (docid >= p->below)
            continue;
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
    ws_textdoc_clear(&p->d);
    ws_db_list_free(&p->list);
    ws_occ_patterns_free(&p->ps);
    ws_qtree_free(p->q);
    ws_qast_free(p->ast);
    memset(p, 0, sizeof *p);
}
