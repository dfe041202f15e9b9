/* searchplan.c - the plan of a search (searchplan.h). */
#include "searchplan.h"
#include "search_int.h"
#include "searcher.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "engine.h"
#include "normalize.h"
#include "occurrence.h"
#include "query.h"
#include "utf8.h"

/* Queries whose proximities were decided lately, kept with the view of the
 * index they were decided on (which names the index: its uuid), by every
 * searcher of the process: a concordance asks again for each page, and a
 * researcher pages, exports (on a searcher of its own) and draws the trend
 * of one query, each request on whichever searcher is free. */
#define PROX_CACHE 8

typedef struct prox_entry {
    char *key;         /* the tree before (its dump) and the view */
    ws_qnode *decided; /* the tree after */
    unsigned long used;
} prox_entry;

static pthread_mutex_t prox_lock = PTHREAD_MUTEX_INITIALIZER;
static prox_entry prox[PROX_CACHE];
static unsigned long prox_clock;

/* The extra filters of opts (source, type, from, to) around q. */
static ws_qnode *filtered(ws_searcher *s, ws_qnode *q, const ws_search_opts *o, ws_status *st)
{
    ws_qnode *f = ws_qtree_op(WS_QOP_AND);
    if (!f) {
        *st = WS_ENOMEM;
        return q;
    }
    if (o->source && *o->source) {
        ws_qast n = {.kind = WS_QAST_SOURCE, .text = (char *)o->source};
        ws_qtree_add(f, ws_plan_filter(&n));
    }
    if (o->type && *o->type) {
        ws_qast n = {.kind = WS_QAST_TYPE, .text = (char *)o->type};
        ws_qtree_add(f, ws_plan_filter(&n));
    }
    const char *from = o->from && *o->from ? o->from : NULL;
    const char *to = o->to && *o->to ? o->to : NULL;
    if ((from && !ws_date_bound_valid(from)) || (to && !ws_date_bound_valid(to))) {
        snprintf(s->err, sizeof s->err,
                 "bad date \"%s\": use YYYY-MM-DD, YYYY-MM or YYYY, with a day the calendar has",
                 from && !ws_date_bound_valid(from) ? from : to);
        *st = WS_EINVAL;
        ws_qtree_free(f);
        return q;
    }
    if (!ws_query_dates_ordered(from, to)) {
        snprintf(s->err, sizeof s->err, "the dates from %s to %s: the range ends before it starts",
                 from, to);
        *st = WS_EINVAL;
        ws_qtree_free(f);
        return q;
    }
    if (from || to) {
        ws_qast n = {
            .kind = WS_QAST_DATE, .lo = (char *)(from ? from : ""), .hi = (char *)(to ? to : "")};
        ws_qtree_add(f, ws_plan_filter(&n));
    }
    if (!f->nkids) {
        ws_qtree_free(f);
        return q;
    }
    ws_qnode *r = ws_qtree_op(WS_QOP_FILTER);
    if (!r) {
        ws_qtree_free(f);
        *st = WS_ENOMEM;
        return q;
    }
    ws_qtree_add(r, q);
    ws_qtree_add(r, f);
    return r;
}

/* Replaces the proximity checks of *q (planned from ast, parsed from text)
 * by the documents that pass them (proximity.h), within time_limit seconds
 * (0: no limit), or by what the cache kept of the same on this view. */
static ws_status resolve(ws_searcher *s, const char *text, const ws_qast *ast, ws_qnode **q,
                         double time_limit, ws_proximity_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    if (!ws_qtree_has(*q, WS_QOP_CHECK))
        return WS_OK;
    /* decided lately on this view? */
    char *key = NULL, view[WS_DB_VIEW_LEN];
    size_t klen = 0;
    FILE *f = ws_db_view(s->db, view) == WS_OK ? open_memstream(&key, &klen) : NULL;
    if (f) {
        /* the text for what the tree does not say (NEAR/5 or /10), the
         * tree for the filters */
        fprintf(f, "%s|", text);
        ws_qtree_dump(*q, f);
        fprintf(f, "|%s", view);
        if (fclose(f) != 0) {
            free(key);
            key = NULL;
        }
    }
    ws_qnode *copy = NULL;
    pthread_mutex_lock(&prox_lock);
    for (size_t i = 0; key && i < PROX_CACHE && !copy; i++) {
        prox_entry *e = &prox[i];
        if (e->key && !strcmp(e->key, key) && (copy = ws_qtree_copy(e->decided)))
            e->used = ++prox_clock;
    }
    pthread_mutex_unlock(&prox_lock);
    if (copy) {
        ws_qtree_free(*q);
        *q = copy;
        free(key);
        return WS_OK;
    }
    ws_occ_patterns ps;
    ws_status st = ws_occ_patterns_of(s->a, ast, ws__searcher_occ_flags(s), &ps);
    if (st == WS_OK)
        st = ws_proximity_resolve(s->db, s->a, &ps, q, time_limit, stats, s->err, sizeof s->err);
    ws_occ_patterns_free(&ps);
    if (st == WS_OK && key && !stats->cut && (copy = ws_qtree_copy(*q))) {
        pthread_mutex_lock(&prox_lock);
        prox_entry *e = &prox[0], old;
        for (size_t i = 1; i < PROX_CACHE; i++)
            if (prox[i].used < e->used)
                e = &prox[i];
        old = *e;
        *e = (prox_entry){key, copy, ++prox_clock};
        pthread_mutex_unlock(&prox_lock);
        key = NULL;
        free(old.key); /* freed outside the lock: a tree can be long */
        ws_qtree_free(old.decided);
    }
    free(key);
    return st;
}

/* WS_EQUERY, s->err saying why, for a query holding a character the
 * normalization now keeps (著) on an index made before (format 4 or older),
 * whose documents hold it folded (着): it would find nothing, silently. */
static ws_status folded_check(ws_searcher *s, const char *query)
{
    if (!query || !ws_db_folded(s->db))
        return WS_OK;
    size_t len = strlen(query);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = ws_utf8_decode((const unsigned char *)query + i, len - i, &cp);
        if (k <= 0)
            break;
        uint32_t norm[WS_NORM_MAX]; /* (a compatibility form of one too: U+FA5F) */
        int nn = ws_normalize_cp(cp, norm), kept = -1;
        for (int j = 0; j < nn && kept < 0; j++)
            if (ws_normalize_kept(norm[j]))
                kept = j;
        if (kept >= 0) {
            char ch[5] = {0}, folded[5] = {0};
            cp = norm[kept];
            ws_utf8_encode(cp, ch);
            ws_utf8_encode(ws_normalize_lex_key(cp), folded);
            snprintf(s->err, sizeof s->err,
                     "this index was made before Wensuo kept %s apart from %s (index format 4 "
                     "or older): it holds every %s as %s, so the query would find none; build "
                     "it again with wensuo-index (or ask for %s, which finds both there)",
                     ch, folded, ch, folded, folded);
            return WS_EQUERY;
        }
        i += (size_t)k;
    }
    return WS_OK;
}

/* The query of o parsed and planned, its filters added and its
 * proximities resolved into *plan (the caller frees it), with what the
 * proximity checks saw in *prox; on failure nothing is left to free. */
ws_status ws_searchplan_build(ws_searcher *s, const ws_search_opts *o, ws_plan *plan,
                              ws_proximity_stats *prox)
{
    ws_qast *ast = NULL;
    ws_status st = folded_check(s, o->query);
    if (st == WS_OK)
        st = ws_query_parse(o->query, &ast, s->err, sizeof s->err);
    if (st != WS_OK)
        return st;
    st = ws_plan_build(s->a, s->syn, ast, ws_db_spaces(s->db) ? WS_PLAN_SPACES : 0, plan, s->err,
                       sizeof s->err);
    if (st != WS_OK) {
        ws_qast_free(ast);
        return st;
    }
    plan->query = filtered(s, plan->query, o, &st);
    if (plan->relaxed && st == WS_OK)
        plan->relaxed = filtered(s, plan->relaxed, o, &st);
    if (st == WS_OK)
        st = resolve(s, o->query, ast, &plan->query, o->time_limit, prox);
    ws_qast_free(ast);
    if (st != WS_OK) {
        ws_plan_free(plan);
        return st;
    }
    if (getenv("WENSUO_DEBUG_QUERY")) {
        ws_qtree_dump(plan->query, stderr);
        fputc('\n', stderr);
        if (prox->holding)
            fprintf(stderr,
                    "proximity: %zu documents hold both sides, %zu left by positions, %zu "
                    "checked, %zu passed%s\n",
                    prox->holding, prox->candidates, prox->checked, prox->passed,
                    prox->cut ? " (cut by the time limit)" : "");
        if (plan->relaxed) {
            fputs("relaxed: ", stderr);
            ws_qtree_dump(plan->relaxed, stderr);
            fputc('\n', stderr);
        }
    }
    return WS_OK;
}

ws_status ws__searcher_plan(ws_searcher *s, const ws_search_opts *o, ws_qast **ast, ws_qnode **q)
{
    ws_status st = ws__searcher_parse(s, o, ast, q);
    ws_proximity_stats prox = {0};
    if (st == WS_OK && (st = resolve(s, o->query, *ast, q, 0, &prox)) != WS_OK) {
        ws_qast_free(*ast);
        ws_qtree_free(*q);
        *ast = NULL;
        *q = NULL;
    }
    return st;
}

ws_status ws__searcher_parse(ws_searcher *s, const ws_search_opts *o, ws_qast **ast, ws_qnode **q)
{
    *ast = NULL;
    *q = NULL;
    s->err[0] = '\0';
    if (!o->query) {
        snprintf(s->err, sizeof s->err, "no query");
        return WS_EQUERY;
    }
    ws_status st = folded_check(s, o->query);
    if (st == WS_OK)
        st = ws_query_parse(o->query, ast, s->err, sizeof s->err);
    if (st != WS_OK)
        return st;
    ws_plan plan;
    st = ws_plan_build(s->a, s->syn, *ast, ws_db_spaces(s->db) ? WS_PLAN_SPACES : 0, &plan, s->err,
                       sizeof s->err);
    if (st == WS_OK) {
        plan.query = filtered(s, plan.query, o, &st);
        if (st == WS_OK) {
            *q = plan.query;
            plan.query = NULL;
        }
        ws_plan_free(&plan);
    }
    if (st != WS_OK) {
        ws_qast_free(*ast);
        *ast = NULL;
    }
    return st;
}

ws_status ws__searcher_every(ws_searcher *s, const ws_search_opts *o, ws_qnode **q)
{
    ws_status st = WS_OK;
    s->err[0] = '\0';
    ws_qnode *all = ws_qtree_op(WS_QOP_ALL);
    *q = all ? filtered(s, all, o, &st) : NULL;
    if (!all)
        st = WS_ENOMEM;
    if (st != WS_OK) {
        ws_qtree_free(*q);
        *q = NULL;
    }
    return st;
}
