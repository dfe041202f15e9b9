#include "search.h"
#include "rerank.h"
#include "search_int.h"

#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "analyzer.h"
#include "document.h"
#include "engine.h"
#include "occurrence.h"
#include "plan.h"
#include "proximity.h"
#include "query.h"
#include "schema.h"
#include "snippet.h"
#include "termgen.h"
#include "vectors.h"
#include "date.h"

/* A query of this many words or more gets relaxed hits after its exact
 * matches when these are fewer than WS_RELAX_FILL (a first page, whatever
 * page is asked, so that every page of a query comes from the same list);
 * a query of fewer, only when it has no exact match. */
#define WS_RELAX_MIN_WORDS 3
#define WS_RELAX_FILL      10

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

struct ws_searcher {
    ws_db *db;
    ws_analyzer *a;
    const ws_vectors *vectors; /* the lexicon's, when the index was made with them */
    ws_synonyms *syn;
    char err[1024];
};

ws_status ws_searcher_open(const char *dir, const ws_lexicon *lex, const char *synonyms,
                           ws_searcher **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    ws_searcher *s = calloc(1, sizeof *s);
    if (!s)
        return WS_ENOMEM;
    ws_status st = ws_db_open(dir, &s->db, errbuf, errlen);
    if (st == WS_OK && (st = ws_analyzer_new(lex, &s->a)) != WS_OK)
        snprintf(errbuf, errlen, "cannot create an analyzer: %s", ws_status_to_string(st));
    /* a question's vector compares only with documents' made by the same
     * vectors: with an index made by others, or none, it is not made */
    const ws_vectors *v = ws_lexicon_vectors(lex);
    if (st == WS_OK && v && !strcmp(ws_db_vectors(s->db), ws_vectors_id(v)))
        s->vectors = v;
    if (!synonyms)
        synonyms = getenv("WENSUO_SYNONYMS");
    if (st == WS_OK && synonyms && *synonyms)
        st = ws_synonyms_load(synonyms, &s->syn, errbuf, errlen);
    if (st != WS_OK) {
        ws_searcher_close(s);
        return st;
    }
    *out = s;
    return WS_OK;
}

void ws_searcher_close(ws_searcher *s)
{
    if (!s)
        return;
    ws_db_close(s->db);
    ws_analyzer_free(s->a);
    ws_synonyms_free(s->syn);
    free(s);
}

ws_status ws_searcher_reopen(ws_searcher *s)
{
    ws_status st = ws_db_reopen(s->db, NULL);
    if (st != WS_OK)
        snprintf(s->err, sizeof s->err, "%s", ws_db_errmsg(s->db));
    return st;
}

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

const char *ws_searcher_errmsg(const ws_searcher *s)
{
    return s->err;
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
    ws_status st = ws_occ_patterns_of(s->a, ast, &ps);
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

/* The query of o parsed and planned, its filters added and its
 * proximities resolved into *plan (the caller frees it), with what the
 * proximity checks saw in *prox; on failure nothing is left to free. */
static ws_status plan_search(ws_searcher *s, const ws_search_opts *o, ws_plan *plan,
                             ws_proximity_stats *prox)
{
    ws_qast *ast = NULL;
    ws_status st = ws_query_parse(o->query, &ast, s->err, sizeof s->err);
    if (st != WS_OK)
        return st;
    st = ws_plan_build(s->a, s->syn, ast, plan, s->err, sizeof s->err);
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
    ws_status st = plan_search(s, o, &plan, &prox);
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
    r->facets = fs->facets;
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

ws_status ws_searcher_get_text(ws_searcher *s, const char *id, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    ws_status st = ws_db_get(s->db, id, out);
    if (st != WS_OK) {
        snprintf(s->err, sizeof s->err, "%s",
                 st == WS_ENOTFOUND ? "no document with this id" : ws_db_errmsg(s->db));
        return st;
    }
    *len = strlen(*out);
    return WS_OK;
}

ws_status ws_searcher_get(ws_searcher *s, const char *id, json_t **out)
{
    char *data = NULL;
    size_t len;
    *out = NULL;
    ws_status st = ws_searcher_get_text(s, id, &data, &len);
    if (st != WS_OK)
        return st;
    *out = json_loadb(data, len, 0, NULL);
    free(data);
    return *out ? WS_OK : WS_ECORRUPT;
}

/* The files the searcher's lexicon was made from, and how many words each
 * gave: which dictionaries, counts and new words its queries are cut by. */
static json_t *lexicon_json(const ws_lexicon *lex)
{
    const ws_lexicon_source *src;
    size_t n;
    ws_lexicon_sources(lex, &src, &n);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "file", src[i].path, "kind",
                                           src[i].kind, "words", (json_int_t)src[i].words));
    return a;
}

ws_status ws_searcher_stats(ws_searcher *s, json_t **out)
{
    unsigned long docs, terms;
    unsigned long long bytes;
    unsigned shards;
    ws_status st = ws_db_stats(s->db, &docs, &terms, &bytes, &shards);
    if (st != WS_OK) {
        snprintf(s->err, sizeof s->err, "%s", ws_db_errmsg(s->db));
        return st;
    }
    /* which word vectors the index was made with and the searcher has, and
     * whether questions use them (only when the two are the same) */
    const ws_vectors *v = ws_lexicon_vectors(ws_analyzer_lexicon(s->a));
    const char *made = ws_db_vectors(s->db);
    *out =
        json_pack("{s:I, s:I, s:I, s:I, s:{s:o, s:o, s:b}}", "documents", (json_int_t)docs, "terms",
                  (json_int_t)terms, "index_bytes", (json_int_t)bytes, "shards", (json_int_t)shards,
                  "vectors", "index", *made ? json_string(made) : json_null(), "searcher",
                  v ? json_string(ws_vectors_id(v)) : json_null(), "in_use", s->vectors != NULL);
    if (*out)
        json_object_set_new(*out, "lexicon", lexicon_json(ws_analyzer_lexicon(s->a)));
    return *out ? WS_OK : WS_ENOMEM;
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

ws_db *ws__searcher_db(ws_searcher *s)
{
    return s->db;
}

ws_analyzer *ws__searcher_analyzer(ws_searcher *s)
{
    return s->a;
}

void ws__searcher_fail(ws_searcher *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
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
    ws_status st = ws_query_parse(o->query, ast, s->err, sizeof s->err);
    if (st != WS_OK)
        return st;
    ws_plan plan;
    st = ws_plan_build(s->a, s->syn, *ast, &plan, s->err, sizeof s->err);
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
