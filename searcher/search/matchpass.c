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

ws_status ws_matchpass_count(ws_matchpass *p)
{
    ws_db *db = ws__searcher_db(p->s);
    int exact = 0;
    if (!p->list.n || !ws_positions_cheaper(&p->ps))
        return WS_OK;
    ws_status st = ws_positions_exact(db, &exact);
    if (st == WS_OK && exact) {
        p->counts = malloc(p->list.n * sizeof *p->counts);
        st = p->counts ? ws_positions_count(db, &p->ps, p->list.docid, p->list.n, p->counts)
                       : WS_ENOMEM;
    }
    if (st != WS_OK) {
        free(p->counts);
        p->counts = NULL;
        if (st != WS_ENOMEM)
            ws__searcher_fail(p->s, "%s", ws_db_errmsg(db));
    }
    return st;
}

ws_status ws_matchpass_words(ws_matchpass *p)
{
    if (p->words)
        return WS_OK;
    ws_db *db = ws__searcher_db(p->s);
    ws_status st = ws_valuecursor_open(db, WS_SLOT_WORDS, &p->words);
    if (st != WS_OK && st != WS_ENOMEM)
        ws__searcher_fail(p->s, "%s", ws_db_errmsg(db));
    return st;
}

/* Reads docid's word list into p: WS_OK, WS_ENOTFOUND when it has none
 * that reads (then its stored text decides), another status on a failure. */
static ws_status read_words(ws_matchpass *p, unsigned docid)
{
    ws_occ *occ;
    size_t n, ntitle;
    ws_status st = ws_listed_read(p->words, &p->ps, docid, p->wf, &occ, &n, &ntitle);
    if (st != WS_OK)
        return st;
    ws_textdoc_clear(&p->d);
    p->d.occ = occ;
    p->d.nocc = n;
    p->d.ntitle = ntitle;
    p->has_words = 1;
    return WS_OK;
}

int ws_matchpass_next(ws_matchpass *p, ws_status *st)
{
    while (p->next < p->list.n) {
        size_t i = p->next++;
        unsigned docid = p->list.docid[i];
        if (docid >= p->below)
            continue;
        if (p->counts) {
            if (!p->counts[i])
                continue;
            ws_textdoc_clear(&p->d);
            p->d.nocc = p->counts[i];
            return 1;
        }
        p->has_words = 0;
        *st = p->words ? read_words(p, docid) : WS_ENOTFOUND;
        if (*st == WS_OK) {
            if (p->d.nocc)
                return 1;
            continue;
        }
        if (*st != WS_ENOTFOUND)
            return 0;
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
    ws_valuecursor_close(p->words);
    ws_textdoc_clear(&p->d);
    ws_db_list_free(&p->list);
    ws_occ_patterns_free(&p->ps);
    ws_qtree_free(p->q);
    ws_qast_free(p->ast);
    memset(p, 0, sizeof *p);
}
