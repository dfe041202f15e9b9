#include "search.h"
#include "rerank.h"
#include "searcher.h"
#include "searchplan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "analyzer.h"
#include "document.h"
#include "engine.h"
#include "plan.h"
#include "proximity.h"
#include "query.h"
#include "schema.h"
#include "snippet.h"
#include "termgen.h"
#include "vectors.h"

/* A query of this many words or more gets relaxed hits after its exact
 * matches when these are fewer than WS_RELAX_FILL (a first page, whatever
 * page is asked, so that every page of a query comes from the same list);
 * a query of fewer, only when it has no exact match. */
#define WS_RELAX_MIN_WORDS 3
#define WS_RELAX_FILL      10

ws_status ws_search_sort_parse(const char *s, ws_sort *out, char *errbuf, size_t errlen)
{
    if (!strcmp(s, "relevance"))
        *out = WS_SORT_RELEVANCE;
    else if (!strcmp(s, "date"))
        *out = WS_SORT_DATE;
    else if (!strcmp(s, "date_asc"))
        *out = WS_SORT_DATE_ASC;
    else {
        snprintf(errbuf, errlen,
                 "sort must be relevance, date (newest first) or date_asc (oldest first)");
        return WS_EINVAL;
    }
    return WS_OK;
}

ws_status ws_search_facets_parse(const char *s, unsigned *out, char *errbuf, size_t errlen)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"source", WS_FACET_SOURCE},
                 {"type", WS_FACET_TYPE},
                 {"year", WS_FACET_YEAR},
                 {"month", WS_FACET_MONTH}};
    *out = 0;
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, ","), i;
        for (i = 0; n && i < sizeof names / sizeof *names; i++)
            if (n == strlen(names[i].name) && !strncmp(p, names[i].name, n))
                break;
        if (n && i == sizeof names / sizeof *names) {
            snprintf(errbuf, errlen,
                     "unknown facet \"%.*s\": the facets are source, type, year and month",
                     (int)(n < 64 ? n : 64), p);
            return WS_EINVAL;
        }
        if (n)
            *out |= names[i].bit;
        p += n + (p[n] == ',');
    }
    return WS_OK;
}

void ws_results_free(ws_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhits; i++) {
        ws_hit *h = &r->hits[i];
        free(h->id);
        free(h->title);
        free(h->date);
        free(h->source);
        free(h->type);
        free(h->url);
        free(h->snippet);
    }
    free(r->hits);
    if (r->facets)
        json_decref(r->facets);
    free(r);
}

static char *str_of(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? strdup(v) : NULL;
}

/* ws_rerank_window over the window, with the citations of its wholes, and
 * of the articles among Xapian's first WS_PARTS_ARTICLES. */
static ws_status rerank(ws_searcher *s, ws_mset *ms)
{
    size_t n = ms->n < WS_PARTS_DEPTH ? ms->n : WS_PARTS_DEPTH;
    uint64_t keys[2 * WS_PARTS_DEPTH];
    unsigned cited[2 * WS_PARTS_DEPTH];
    for (size_t i = 0; i < n; i++) {
        keys[i] = ms->m[i].cite;
        keys[n + i] = i < WS_PARTS_ARTICLES ? ms->m[i].article : 0;
    }
    ws_status st = ws_db_cited(s->db, keys, 2 * n, cited);
    return st == WS_OK ? ws_rerank_window(ms, cited, cited + n) : st;
}

typedef struct query_words {
    const ws_vectors *v;
    float acc[WS_VECTORS_DIM_MAX];
} query_words;

static ws_status add_word(void *ctx, const char *term, size_t len, uint32_t pos, ws_term_kind kind,
                          const ws_token *tok)
{
    (void)pos;
    query_words *w = ctx;
    ws_vectors_add_term(w->v, term, len, kind, tok, w->acc);
    return WS_OK;
}

/* The vector of the plan's words (the words and phrases it marks: not
 * those excluded, nor operators or fields) into out (vectors.h), by the
 * same terms a document's is made of; 0 when there are no vectors or no
 * word has one. */
static unsigned query_vector(ws_searcher *s, const ws_plan *plan, int8_t *out)
{
    query_words w = {.v = s->vectors};
    if (!w.v)
        return 0;
    for (size_t i = 0; i < plan->nloose_marks; i++) {
        uint32_t pos = 1;
        const char *m = plan->loose_marks[i];
        if (ws_termgen_run(s->a, m, strlen(m), WS_FIELD_BODY, 0, &pos, add_word, &w) != WS_OK)
            return 0;
    }
    return ws_vectors_quantize(w.v, w.acc, out) ? ws_vectors_dim(w.v) : 0;
}

/* Runs q, a relaxed plan of plan: over its best WS_PARTS_DEPTH matches
 * (more when the page reaches further), parts of a whole that many parts
 * match go up (rerank.h); then the page of dq is kept. A page sorted by
 * date is left as it is. */
static ws_status run_relaxed(ws_searcher *s, const ws_plan *plan, const ws_qnode *q, ws_db_query dq,
                             ws_mset **out)
{
    /* a page past the window is Xapian's order as it is (rerank.h) */
    if (dq.sort_by_date || dq.offset >= WS_PARTS_DEPTH)
        return ws_db_run(s->db, q, &dq, out);
    int8_t qvec[WS_VECTORS_DIM_MAX];
    if ((dq.dim = query_vector(s, plan, qvec)))
        dq.vec = qvec;
    unsigned offset = dq.offset, limit = dq.limit;
    dq.offset = 0;
    dq.limit = offset + limit > WS_PARTS_DEPTH ? offset + limit : WS_PARTS_DEPTH;
    dq.wholes_only = 1; /* hits and bodies only for the page, below */
    ws_status st = ws_db_run(s->db, q, &dq, out);
    if (st == WS_OK)
        st = rerank(s, *out);
    if (st != WS_OK)
        goto fail;
    ws_mset_keep(*out, offset, limit);
    if (dq.hit_only && (st = ws_db_fill_hits(s->db, (*out)->m, (*out)->n)) != WS_OK)
        goto fail;
    for (size_t i = 0; i < (*out)->n; i++) {
        ws_match *m = &(*out)->m[i];
        if (dq.hit_only && m->hit)
            continue;
        /* a document deleted since the match (seen only when the reader had
         * to reopen) is left out below, having nothing to show */
        st = ws_db_fill(s->db, m, dq.hit_only);
        if (st != WS_OK && st != WS_ENOTFOUND)
            goto fail;
    }
    return WS_OK;
fail:
    ws_mset_free(*out);
    *out = NULL;
    return st;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Appends the hits of ms to r (room made by the caller), each marked
 * relaxed or not, its snippet made with marks[0..nmarks). */
static ws_status add_hits(ws_searcher *s, const ws_search_opts *o, const ws_mset *ms,
                          char *const *marks, size_t nmarks, int relaxed, ws_results *r)
{
    ws_status st = WS_OK;
    for (size_t i = 0; i < ms->n && st == WS_OK; i++) {
        /* Without a snippet the hit needs no body: its fields come from the
         * small copy of the document in WS_SLOT_HIT (decoding a hundred
         * bodies took a fifth of a question's time). */
        int bare = o->no_snippets && ms->m[i].hit;
        const char *src = bare ? ms->m[i].hit : ms->m[i].data;
        json_t *d = src ? json_loads(src, 0, NULL) : NULL;
        if (!d)
            continue; /* nothing to show: not a hit */
        ws_hit *h = &r->hits[r->nhits++];
        h->score = ms->m[i].weight;
        h->relaxed = relaxed;
        h->id = str_of(d, "id");
        h->title = str_of(d, "title");
        h->date = str_of(d, "date");
        h->source = str_of(d, "source");
        h->type = str_of(d, "type");
        h->url = str_of(d, "url");
        const char *body = json_string_value(json_object_get(d, "body"));
        if (!o->no_snippets)
            st = ws_snippet_make(s->a, body ? body : "",
                                 body ? json_string_length(json_object_get(d, "body")) : 0, marks,
                                 nmarks, &h->snippet);
        json_decref(d);
    }
    return st;
}

/* The relaxed hits that follow the total exact matches on the page of dq
 * (of the relaxed plan's matches that are not exact ones) into *out, or
 * NULL when the page ends before them. */
static ws_status run_relaxed_after(ws_searcher *s, const ws_plan *plan, ws_db_query dq,
                                   unsigned long total, ws_mset **out)
{
    *out = NULL;
    unsigned long end = (unsigned long)dq.offset + dq.limit;
    if (end <= total)
        return WS_OK;
    unsigned long from = dq.offset > total ? dq.offset : total;
    ws_qnode *q = ws_qtree_op(WS_QOP_AND_NOT);
    if (!q)
        return WS_ENOMEM;
    ws_qtree_add(q, ws_qtree_copy(plan->relaxed));
    ws_qtree_add(q, ws_qtree_copy(plan->query));
    if (q->nkids != 2) {
        ws_qtree_free(q);
        return WS_ENOMEM;
    }
    dq.offset = (unsigned)(from - total);
    dq.limit = (unsigned)(end - from);
    /* its total is an estimate: counting every document that holds one of
     * the words would cost a visit to most of the index */
    dq.check_at_least = dq.offset + dq.limit;
    dq.facets = 0;
    dq.count_first = 0;
    ws_status st = run_relaxed(s, plan, q, dq, out);
    ws_qtree_free(q);
    return st;
}

ws_status ws_searcher_run(ws_searcher *s, const ws_search_opts *o, ws_results **out)
{
    double t0 = now_ms();
    *out = NULL;
    s->err[0] = '\0';
    unsigned limit = o->limit ? o->limit : 10;
    /* the daemon's words for the same (routes.c) */
    if (limit > WS_SEARCH_MAX_LIMIT) {
        snprintf(s->err, sizeof s->err, "limit must be a number from 1 to %d", WS_SEARCH_MAX_LIMIT);
        return WS_EINVAL;
    }
    if ((unsigned long)o->offset + limit > WS_SEARCH_MAX_WINDOW) {
        snprintf(s->err, sizeof s->err, "offset + limit must not pass %d", WS_SEARCH_MAX_WINDOW);
        return WS_EINVAL;
    }
    if (!o->query) {
        snprintf(s->err, sizeof s->err, "no query");
        return WS_EQUERY;
    }
    ws_plan plan;
    ws_proximity_stats prox = {0};
    ws_status st = ws_searchplan_build(s, o, &plan, &prox);
    if (st != WS_OK)
        return st;
    int question = plan.relaxed && plan.units >= WS_QUESTION_WORDS;
    /* The page of exact matches, counted first by sets (the exact total and
     * facets; the page then reads no position a second time). Where the
     * counter cannot, Xapian skips the documents that cannot reach the
     * page, so that its total may be an estimate ... */
    ws_db_query dq = {.offset = o->offset,
                      .limit = limit,
                      .sort_by_date = o->sort == WS_SORT_DATE || o->sort == WS_SORT_DATE_ASC,
                      .oldest_first = o->sort == WS_SORT_DATE_ASC,
                      .check_at_least = o->offset + limit,
                      .time_limit = o->time_limit,
                      .hit_only = o->no_snippets,
                      .facets = o->facets,
                      /* a question's words are almost never all together:
                       * its ranking knows that it found none */
                      .count_first = !question};
    ws_mset *ms = NULL, *count = NULL, *rms = NULL;
    st = ws_db_run(s->db, plan.query, &dq, &ms);
    /* ... counted then in a pass of its own, without weights, with the
     * facets, unless the page came with them */
    if (st == WS_OK && !ms->count_cut && (!ms->exact || (o->facets && !ms->facets))) {
        /* a time limit of its own: an exact count is worth the wait of a
         * second pass, and a ranking cut short leaves it none */
        ws_db_query cq = {.facets = o->facets, .time_limit = o->time_limit};
        st = ws_db_count(s->db, plan.query, &cq, &count);
    }
    unsigned long total = count ? count->total : ms ? ms->total : 0;
    int exact = count ? count->exact : ms ? ms->exact : 1;
    if (!exact && ms && ms->total > total)
        total = ms->total; /* a count cut short knows less than the page */
    /* Too few: the documents that hold some of the words follow, when there
     * is no exact match, when a query of several words has fewer than a
     * first page, and always for a question (which almost never has its
     * words all together: 764 of 772 legal questions), after every exact
     * match and apart from them. */
    if (st == WS_OK && plan.relaxed &&
        (question || total == 0 || (plan.units >= WS_RELAX_MIN_WORDS && total < WS_RELAX_FILL)))
        st = run_relaxed_after(s, &plan, dq, total, &rms);
    if (st != WS_OK) {
        snprintf(s->err, sizeof s->err, "%s", ws_db_errmsg(s->db));
        ws_mset_free(ms);
        ws_mset_free(count);
        ws_plan_free(&plan);
        return st;
    }
    size_t room = ms->n + (rms ? rms->n : 0);
    ws_results *r = calloc(1, sizeof *r);
    if (!r || !(r->hits = calloc(room ? room : 1, sizeof *r->hits))) {
        free(r);
        ws_mset_free(ms);
        ws_mset_free(count);
        ws_mset_free(rms);
        ws_plan_free(&plan);
        return WS_ENOMEM;
    }
    r->total = total;
    r->estimated = !exact;
    r->partial = ms->partial;
    if (prox.cut) {
        /* the proximities were checked in part: the page is the best of the
         * documents that passed, the total what passed in the share checked
         * taken to the whole */
        r->partial = 1;
        r->estimated = 1;
        if (prox.checked)
            r->total =
                (unsigned long)((double)total * (double)prox.candidates / (double)prox.checked);
    }
    ws_mset *fs = count ? count : ms;
    /* facets of the documents that passed a proximity checked in part would
     * add up to a sample of the total: left out, as a count cut short
     * leaves them */
    r->facets = prox.cut ? NULL : fs->facets;
    if (!prox.cut)
        fs->facets = NULL;
    st = add_hits(s, o, ms, plan.marks, plan.nmarks, 0, r);
    if (st == WS_OK && rms) {
        r->relaxed_total = rms->total;
        r->relaxed_estimated = !rms->exact;
        st = add_hits(s, o, rms, plan.loose_marks, plan.nloose_marks, 1, r);
    }
    ws_mset_free(ms);
    ws_mset_free(count);
    ws_mset_free(rms);
    ws_plan_free(&plan);
    if (st != WS_OK) {
        ws_results_free(r);
        return st;
    }
    r->took_ms = now_ms() - t0;
    *out = r;
    return WS_OK;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *ws_results_to_json(const ws_results *r, const char *open_mark, const char *close_mark)
{
    json_t *hits = json_array();
    for (size_t i = 0; hits && i < r->nhits; i++) {
        const ws_hit *h = &r->hits[i];
        char *snip = h->snippet ? ws_snippet_render(h->snippet, open_mark, close_mark, 1) : NULL;
        json_t *o = json_object();
        json_object_set_new(o, "id", str_or_null(h->id));
        json_object_set_new(o, "title", str_or_null(h->title));
        json_object_set_new(o, "date", str_or_null(h->date));
        json_object_set_new(o, "source", str_or_null(h->source));
        json_object_set_new(o, "type", str_or_null(h->type));
        if (h->url && *h->url)
            json_object_set_new(o, "url", json_string(h->url));
        json_object_set_new(o, "score", json_real(h->score));
        json_object_set_new(o, "snippet", str_or_null(snip));
        if (h->relaxed)
            json_object_set_new(o, "relaxed", json_true());
        free(snip);
        json_array_append_new(hits, o);
    }
    json_t *j = json_object();
    json_object_set_new(j, "total", json_integer((json_int_t)r->total));
    if (r->estimated)
        json_object_set_new(j, "estimated", json_true());
    if (r->partial)
        json_object_set_new(j, "partial", json_true());
    if (r->relaxed_total) {
        json_object_set_new(j, "relaxed_total", json_integer((json_int_t)r->relaxed_total));
        if (r->relaxed_estimated)
            json_object_set_new(j, "relaxed_estimated", json_true());
    }
    json_object_set_new(j, "hits", hits);
    if (r->facets)
        json_object_set(j, "facets", r->facets);
    return j;
}
