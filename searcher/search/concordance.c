#include "concordance.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "analyzer.h"
#include "kwiccursor.h"
#include "kwicline.h"
#include "occurrence.h"
#include "listed.h"
#include "matchpass.h"
#include "textdoc.h"
#include "search_int.h"
#include "sortkeep.h"
#include "strbuf.h"

int ws_kwic_sort_parse(const char *name, ws_kwic_sort *out)
{
    static const char *const names[] = {"date", "date_asc", "left", "right", "relevance"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, names[i])) {
            *out = (ws_kwic_sort)i;
            return 0;
        }
    return -1;
}

/* ---- the run ---- */

typedef struct run {
    ws_searcher *s;
    const ws_kwic_opts *o;
    ws_occ_patterns ps;
    ws_db_list list;
    ws_textdoc d;
    ws_kwicline l;
    unsigned width;
    ws_kwic_cb cb;
    void *ctx;
    /* Lines in document order read the list a page at a time (paged):
     * list holds the documents at [base, base + list.n) of the order, and
     * the first page counts over every match in docid order (all). */
    const ws_qnode *q;
    ws_db_order order;
    int paged;
    size_t base, chunk;
    ws_db_list all;
    unsigned *counts; /* the occurrences of each document of all (paged) or
                         list, from positions (positions.h), or NULL: its
                         text tells */
} run;

/* The text and occurrences of the run's i-th document into r->d. */
static ws_status load(run *r, size_t i)
{
    return ws_textdoc_load(ws__searcher_db(r->s), ws__searcher_analyzer(r->s), &r->ps,
                           r->list.docid[i - r->base], &r->d);
}

/* Whether document i of the order is in r->list, the page from i read
 * when it is not (each page longer than the last, for the documents it
 * skips); 0 past the last (or on a failure, in *st). */
static int at_hand(run *r, size_t i, ws_status *st)
{
    if (i >= r->base && i < r->base + r->list.n)
        return 1;
    if (!r->paged)
        return 0;
    ws_db_list_free(&r->list);
    r->base = i;
    *st = ws_db_list_page(ws__searcher_db(r->s), r->q, r->order, i, r->chunk, &r->list, NULL);
    r->chunk *= 2;
    return *st == WS_OK && r->list.n > 0;
}

/* The count positions gave document i of the order, or 1 when none is
 * known (its text tells). */
static unsigned count_of(const run *r, size_t i)
{
    if (!r->counts)
        return 1;
    if (!r->paged)
        return r->counts[i];
    unsigned d = r->list.docid[i - r->base];
    size_t lo = 0, hi = r->all.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->all.docid[mid] < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* a match of Xapian's the sets counted first do not hold: none there */
    return lo < r->all.n && r->all.docid[lo] == d ? r->counts[lo] : 0;
}

/* The first document of the order from *i on that is still in the index
 * into r->d, *i moved to it; 0 at the end or on a failure (in *st). Both
 * passes skip a document deleted since the list was made, and one that
 * positions say holds no occurrence (r->counts), unread. */
static int load_next(run *r, size_t *i, ws_status *st)
{
    *st = WS_OK;
    for (; at_hand(r, *i, st); ++*i) {
        if (!count_of(r, *i))
            continue;
        *st = load(r, *i);
        if (*st != WS_ENOTFOUND)
            return *st == WS_OK;
        *st = WS_OK;
    }
    return 0;
}

static ws_status run_by_document(run *r, const ws_kwiccursor *from, ws_kwic_totals *t,
                                 ws_kwiccursor *next)
{
    unsigned long limit = r->o->limit, emitted = 0;
    unsigned long i0 = from ? from->i : 0, j0 = from ? from->j : 0;
    int need_totals = !from;
    ws_status st = WS_OK;
    if (from) {
        t->occurrences = from->tocc;
        t->documents = from->tdocs;
    }
    unsigned long last_i = i0, last_j = j0;
    if (need_totals && r->counts) {
        size_t n = r->paged ? r->all.n : r->list.n;
        for (size_t i = 0; i < n; i++) {
            t->occurrences += r->counts[i];
            t->documents += r->counts[i] > 0;
        }
        need_totals = 0;
    }
    for (size_t i = i0;
         st == WS_OK && (need_totals || !limit || emitted < limit) && load_next(r, &i, &st); i++) {
        if (need_totals) {
            t->occurrences += r->d.nocc;
            t->documents += r->d.nocc > 0;
        }
        for (size_t j = i == i0 ? j0 : 0; j < r->d.nocc && st == WS_OK; j++) {
            if (limit && emitted >= limit)
                break;
            st = ws_kwicline_emit(&r->l, &r->d, j, r->width, r->cb, r->ctx);
            emitted++;
            last_i = i;
            last_j = j + 1;
        }
    }
    unsigned long before = from ? from->k : 0;
    /* a page of no line has no next: with a cursor whose totals were
     * forged higher it would name itself, and a client follow it for ever */
    if (st == WS_OK && limit && emitted && before + emitted < t->occurrences) {
        next->k = before + emitted;
        next->i = last_i;
        next->j = last_j;
    } else {
        next->k = 0; /* no next page */
    }
    return st;
}

/* What the lines of a sort by context are kept by (sortkeep.h): the sort,
 * the documents listed, then the query and each filter whole (present or
 * not), not a hash. */
static void sort_key(const ws_kwic_opts *o, size_t ndocs, ws_strbuf *b)
{
    const char *v[] = {o->s.query, o->s.source, o->s.type, o->s.from, o->s.to};
    char head[32];
    /* (and the documents listed, which the view and the query decide: a
     * check that the lines point into a list as long) */
    int n = snprintf(head, sizeof head, "%d:%zu:", (int)o->sort, ndocs);
    ws_strbuf_add(b, head, (size_t)n);
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        ws_strbuf_add(b, v[i] ? "+" : "-", 1);
        if (v[i])
            ws_strbuf_add(b, v[i], strlen(v[i]) + 1);
    }
}

/* Every line's key, sorted, into *out (the caller frees) and n; the
 * documents that hold one counted into t. */
static ws_status sort_lines(run *r, ws_kwic_totals *t, ws_kwicline_key **out, size_t *nout)
{
    ws_kwicline_key *keys = NULL;
    size_t n = 0, cap = 0;
    ws_status st = WS_OK;
    int left = r->o->sort == WS_KWIC_SORT_LEFT;
    for (size_t i = 0; st == WS_OK && load_next(r, &i, &st); i++) {
        t->documents += r->d.nocc > 0;
        if (n + r->d.nocc > WS_KWIC_MAX_SORTED) {
            ws__searcher_fail(r->s,
                              "more than %d lines to sort by their context "
                              "(WS_KWIC_MAX_SORTED): narrow the query or its filters, or sort "
                              "by date",
                              WS_KWIC_MAX_SORTED);
            st = WS_ETOOBIG;
            break;
        }
        if (n + r->d.nocc > cap) {
            cap = (n + r->d.nocc) * 2;
            ws_kwicline_key *g = realloc(keys, cap * sizeof *g);
            if (!g) {
                st = WS_ENOMEM;
                break;
            }
            keys = g;
        }
        for (size_t j = 0; j < r->d.nocc && st == WS_OK; j++) {
            size_t len;
            const char *text = ws_kwicline_text(&r->d, j, &len);
            keys[n].i = (uint32_t)i;
            keys[n].j = (uint32_t)j;
            st = ws_kwicline_key_make(&r->l.left, text, len, &r->d.occ[j], left, &keys[n]);
            n++;
        }
    }
    if (st == WS_OK && n)
        qsort(keys, n, sizeof *keys, ws_kwicline_key_cmp);
    if (st != WS_OK) {
        free(keys);
        keys = NULL;
        n = 0;
    }
    *out = keys;
    *nout = n;
    return st;
}

static ws_status run_by_context(run *r, const ws_kwiccursor *from, ws_kwic_totals *t,
                                ws_kwiccursor *next)
{
    ws_strbuf key = {0};
    sort_key(r->o, r->list.n, &key);
    /* the lines a page before sorted for this view and query, if kept */
    ws_sortkeep *kept = key.failed ? NULL : ws_sortkeep_find(next->view, key.s, key.len);
    ws_kwicline_key *made = NULL;
    const ws_kwicline_key *keys = NULL;
    size_t n = 0;
    ws_status st = WS_OK;
    unsigned long k0 = from ? from->k : 0, limit = r->o->limit;
    if (kept) {
        keys = ws_sortkeep_lines(kept, &n, &t->documents);
    } else if ((st = sort_lines(r, t, &made, &n)) == WS_OK) {
        keys = made;
        /* kept when a page follows */
        if (limit && k0 + limit < n && !key.failed &&
            (kept = ws_sortkeep_keep(next->view, key.s, key.len, made, n, sizeof *made,
                                     t->documents)) != NULL)
            made = NULL;
    }
    if (st == WS_OK && k0 > n) {
        ws__searcher_fail(r->s, "%s", ws_kwiccursor_not_ours);
        st = WS_EINVAL;
    }
    if (st == WS_OK) {
        t->occurrences = n;
        unsigned long end = limit && k0 + limit < n ? k0 + limit : n;
        long loaded = -1;
        for (unsigned long k = k0; k < end && st == WS_OK; k++) {
            if (keys[k].i >= r->list.n) {
                st = WS_EMODIFIED; /* kept for another list: never seen */
                break;
            }
            if ((long)keys[k].i != loaded) {
                st = load(r, keys[k].i);
                loaded = keys[k].i;
            }
            if (st == WS_OK && keys[k].j < r->d.nocc)
                st = ws_kwicline_emit(&r->l, &r->d, keys[k].j, r->width, r->cb, r->ctx);
        }
        next->k = end < n ? end : 0;
        next->i = next->j = 0;
    }
    ws_sortkeep_put(kept);
    free(made);
    free(key.s);
    return st;
}

/* The first page in document order needs the totals over every listed
 * document: from the index's positions or the word lists where they give
 * them (ws_matchpass_counts), so that only the documents of the page are
 * read, and from the stored text of the documents without a list. */
static ws_status count_all(run *r)
{
    const ws_db_list *l = r->paged ? &r->all : &r->list;
    ws_db *db = ws__searcher_db(r->s);
    ws_status st = ws_matchpass_counts(db, &r->ps, l->docid, l->n, &r->counts);
    for (size_t i = 0; i < l->n && st == WS_OK; i++) {
        if (r->counts[i] != WS_LISTED_UNKNOWN)
            continue;
        st = ws_textdoc_load(db, ws__searcher_analyzer(r->s), &r->ps, l->docid[i], &r->d);
        r->counts[i] = st == WS_OK ? (unsigned)r->d.nocc : 0;
        if (st == WS_ENOTFOUND)
            st = WS_OK;
    }
    if (st != WS_OK) {
        free(r->counts);
        r->counts = NULL;
    }
    return st;
}

ws_status ws_concordance_run(ws_searcher *s, const ws_kwic_opts *o, ws_kwic_cb cb, void *ctx,
                             ws_kwic_totals *totals)
{
    memset(totals, 0, sizeof *totals);
    unsigned width = o->width ? o->width : WS_KWIC_WIDTH;
    if (width > WS_KWIC_MAX_WIDTH) {
        ws__searcher_fail(s, "width %u is over the maximum of %d characters (WS_KWIC_MAX_WIDTH)",
                          width, WS_KWIC_MAX_WIDTH);
        return WS_EINVAL;
    }
    if (o->limit > WS_KWIC_MAX_LIMIT) {
        ws__searcher_fail(s, "limit %u is over the maximum of %d lines a page (WS_KWIC_MAX_LIMIT)",
                          o->limit, WS_KWIC_MAX_LIMIT);
        return WS_EINVAL;
    }
    run r = {.s = s, .o = o, .width = width, .cb = cb, .ctx = ctx};
    ws_qast *ast = NULL;
    ws_qnode *q = NULL;
    ws_status st = ws__searcher_plan(s, &o->s, &ast, &q);
    if (st == WS_OK)
        st = ws_occ_patterns_of(ws__searcher_analyzer(s), ast, ws__searcher_occ_flags(s), &r.ps);
    ws_qast_free(ast);
    if (st == WS_OK && !ws_occ_shown(&r.ps)) {
        ws__searcher_fail(s, "the query has no word or phrase to find in the text (filters and "
                             "NOT alone give no lines)");
        st = WS_EQUERY;
    }
    ws_kwiccursor from, next;
    memset(&from, 0, sizeof from);
    memset(&next, 0, sizeof next);
    int has_cursor = o->cursor && *o->cursor;
    if (st == WS_OK && (st = ws_db_view(ws__searcher_db(s), next.view)) != WS_OK)
        ws__searcher_fail(s, "%s", ws_db_errmsg(ws__searcher_db(s)));
    if (st == WS_OK && has_cursor)
        st = ws_kwiccursor_read(s, o, next.view, &from);
    ws_db_order order = o->sort == WS_KWIC_SORT_DATE_ASC    ? WS_DB_ORDER_DATE_ASC
                        : o->sort == WS_KWIC_SORT_RELEVANCE ? WS_DB_ORDER_RELEVANCE
                                                            : WS_DB_ORDER_DATE_DESC;
    int by_context = o->sort == WS_KWIC_SORT_LEFT || o->sort == WS_KWIC_SORT_RIGHT;
    /* a page of lines in document order needs the documents of that page in
     * order (and, on the first, every match counted, in any order); lines
     * by context, or every line at once, need every match in order */
    r.q = q;
    r.order = order;
    r.paged = !by_context && o->limit;
    r.chunk = (size_t)o->limit + 16;
    if (st == WS_OK && r.paged && !has_cursor) { /* the first page, and every match to count */
        st = ws_db_list_page(ws__searcher_db(s), q, order, 0, r.chunk, &r.list, &r.all);
        r.chunk *= 2;
    } else if (st == WS_OK && !r.paged)
        st = ws_db_list_all(ws__searcher_db(s), q, order, &r.list);
    if (st != WS_OK && !*ws_searcher_errmsg(s))
        ws__searcher_fail(s, "%s", ws_db_errmsg(ws__searcher_db(s)));
    if (st == WS_OK && !by_context && !has_cursor && (st = count_all(&r)) != WS_OK)
        ws__searcher_fail(s, "%s", ws_db_errmsg(ws__searcher_db(s)));
    if (st == WS_OK) {
        if (by_context)
            st = run_by_context(&r, has_cursor ? &from : NULL, totals, &next);
        else
            st = run_by_document(&r, has_cursor ? &from : NULL, totals, &next);
        if (st == WS_EMODIFIED)
            ws__searcher_fail(s, "the index changed while the lines were read; ask again");
        else if (st != WS_OK && !*ws_searcher_errmsg(s))
            ws__searcher_fail(s, "%s", ws_db_errmsg(ws__searcher_db(s)));
    }
    if (st == WS_OK && next.k) {
        next.made = has_cursor ? from.made : (long long)time(NULL);
        next.qhash = ws_kwiccursor_query_hash(o);
        next.sort = (unsigned)o->sort;
        next.tocc = totals->occurrences;
        next.tdocs = totals->documents;
        ws_kwiccursor_write(&next, totals->next);
    }
    ws_textdoc_clear(&r.d);
    free(r.counts);
    free(r.l.left.s);
    free(r.l.match.s);
    free(r.l.right.s);
    ws_db_list_free(&r.list);
    ws_db_list_free(&r.all);
    ws_occ_patterns_free(&r.ps);
    ws_qtree_free(q);
    return st;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static ws_status add_line(void *ctx, const ws_kwic_line *l)
{
    json_t *o = json_object();
    if (!o)
        return WS_ENOMEM;
    json_object_set_new(o, "id", str_or_null(l->id));
    json_object_set_new(o, "title", str_or_null(l->title));
    json_object_set_new(o, "date", str_or_null(l->date));
    json_object_set_new(o, "source", str_or_null(l->source));
    json_object_set_new(o, "type", str_or_null(l->type));
    json_object_set_new(o, "left", json_string(l->left));
    json_object_set_new(o, "match", json_string(l->match));
    json_object_set_new(o, "right", json_string(l->right));
    return json_array_append_new(ctx, o) == 0 ? WS_OK : WS_ENOMEM;
}

ws_status ws_concordance_json(ws_searcher *s, const ws_kwic_opts *o, json_t **out)
{
    *out = NULL;
    json_t *lines = json_array();
    if (!lines)
        return WS_ENOMEM;
    ws_kwic_totals t;
    ws_kwic_opts page = *o;
    if (!page.limit)
        page.limit = WS_KWIC_LIMIT;
    ws_status st = ws_concordance_run(s, &page, add_line, lines, &t);
    if (st != WS_OK) {
        json_decref(lines);
        return st;
    }
    *out = json_pack("{s:I, s:I, s:o, s:o}", "total_occurrences", (json_int_t)t.occurrences,
                     "total_documents", (json_int_t)t.documents, "lines", lines, "next",
                     *t.next ? json_string(t.next) : json_null());
    return *out ? WS_OK : WS_ENOMEM;
}
