#include "concordance.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "analyzer.h"
#include "occurrence.h"
#include "listed.h"
#include "matchpass.h"
#include "textdoc.h"
#include "utf8.h"
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

/* The text an occurrence stands in. */
static const char *occ_text(const ws_textdoc *d, size_t j, size_t *len)
{
    *len = j < d->ntitle ? d->tlen : d->blen;
    return j < d->ntitle ? d->title : d->body;
}

/* ---- lines ---- */

/* Whether the code point starting at s[i] is a Han ideograph (a rough test,
 * enough to tell a hard wrap inside CJK text from a line break). */
static int han_at(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (i >= len || c < 0xE3 || c > 0xE9)
        return 0;
    return 1; /* U+3000..U+9FFF: CJK punctuation, kana, ideographs */
}

/* Appends text[b, e) as one line: a line break inside CJK text (a hard
 * wrap, which the analyzer joins) disappears, any other run of line breaks
 * and tabs is one space, a CR is dropped. A break that ends a paragraph
 * (after the end of a sentence: 。\n国家, ws_analyzer_paragraph_end) is a
 * space, although the analyzer joins it too, as a line break shown. */
static void add_flat(ws_strbuf *sb, const char *text, size_t len, size_t b, size_t e)
{
    size_t from = b;
    for (size_t i = b; i < e; i++) {
        char c = text[i];
        if (c != '\n' && c != '\r' && c != '\t')
            continue;
        ws_strbuf_add(sb, text + from, i - from);
        size_t k = i;
        int breaks = 0, other = 0;
        while (k < e && (text[k] == '\n' || text[k] == '\r' || text[k] == '\t')) {
            breaks += text[k] == '\n';
            other += text[k] == '\t';
            k++;
        }
        size_t prev = i > 0 ? ws_utf8_prev(text, i) : i;
        size_t past;
        int wrap = breaks == 1 && !other && i > 0 && han_at(text, len, prev) && k < len &&
                   han_at(text, len, k) && !ws_analyzer_paragraph_end(text, len, i, &past);
        if (!wrap && (breaks || other))
            ws_strbuf_add(sb, " ", 1);
        from = k;
        i = k - 1;
    }
    ws_strbuf_add(sb, text + from, e - from);
}

/* Whether text[i] is a byte add_flat drops or makes a space of with the
 * others beside it: counted for no character of the line here, so that a
 * wrap joined away leaves no character short; the space one makes is cut
 * off after (trim_to). */
static int flat_break(char c)
{
    return c == '\n' || c == '\r' || c == '\t';
}

/* The start of the width characters before b. */
static size_t left_start(const char *text, size_t b, unsigned width)
{
    size_t i = b;
    for (unsigned n = 0; i > 0 && n < width;) {
        i = ws_utf8_prev(text, i);
        n += !flat_break(text[i]);
    }
    return i;
}

static size_t right_end(const char *text, size_t len, size_t e, unsigned width)
{
    size_t i = e;
    for (unsigned n = 0; i < len && n < width;) {
        n += !flat_break(text[i]);
        i = ws_utf8_next(text, len, i);
    }
    return i;
}

/* Cuts sb's text (a context made by add_flat) to its width characters
 * nearest the match: its last ones on the left, its first on the right. */
static void trim_to(ws_strbuf *sb, unsigned width, int left)
{
    size_t n = ws_utf8_count(sb->s, sb->len);
    if (n <= width)
        return;
    if (left) {
        size_t cut = 0;
        for (size_t k = 0; k < n - width; k++)
            cut = ws_utf8_next(sb->s, sb->len, cut);
        memmove(sb->s, sb->s + cut, sb->len - cut);
        sb->len -= cut;
    } else {
        size_t keep = 0;
        for (unsigned k = 0; k < width; k++)
            keep = ws_utf8_next(sb->s, sb->len, keep);
        sb->len = keep;
    }
}

typedef struct liner {
    ws_strbuf left, match, right;
} liner;

static ws_status emit(liner *l, const ws_textdoc *d, size_t j, unsigned width, ws_kwic_cb cb,
                      void *ctx)
{
    size_t len;
    const char *text = occ_text(d, j, &len);
    const ws_occ *o = &d->occ[j];
    l->left.len = l->match.len = l->right.len = 0;
    ws_strbuf_add(&l->left, "", 0);
    ws_strbuf_add(&l->match, "", 0);
    ws_strbuf_add(&l->right, "", 0);
    add_flat(&l->left, text, len, left_start(text, o->start, width), o->start);
    add_flat(&l->match, text, len, o->start, o->end);
    add_flat(&l->right, text, len, o->end, right_end(text, len, o->end, width));
    if (l->left.failed || l->match.failed || l->right.failed)
        return WS_ENOMEM;
    trim_to(&l->left, width, 1);
    trim_to(&l->right, width, 0);
    l->left.s[l->left.len] = l->match.s[l->match.len] = l->right.s[l->right.len] = '\0';
    ws_kwic_line line = {d->id,  d->title,  d->date,    d->source, d->type,
                         d->url, l->left.s, l->match.s, l->right.s};
    return cb(ctx, &line);
}

/* ---- cursors ---- */

typedef struct cursor {
    char view[WS_DB_VIEW_LEN];
    long long made;
    unsigned long long qhash;
    unsigned sort;
    unsigned long k;    /* lines before the page */
    unsigned long i, j; /* document (in the list) and occurrence of its first line */
    unsigned long tocc, tdocs;
} cursor;

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void b64_encode(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned char)s[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)s[i + 2];
        out[o++] = b64[v >> 18 & 63];
        out[o++] = b64[v >> 12 & 63];
        if (i + 1 < n)
            out[o++] = b64[v >> 6 & 63];
        if (i + 2 < n)
            out[o++] = b64[v & 63];
    }
    out[o] = '\0';
}

/* -1 for a character outside the alphabet. */
static int b64_decode(const char *s, char *out, size_t cap)
{
    size_t o = 0, bits = 0;
    unsigned v = 0;
    for (; *s; s++) {
        const char *p = strchr(b64, *s);
        if (!p || o + 1 >= cap)
            return -1;
        v = v << 6 | (unsigned)(p - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)(v >> bits & 0xFF);
        }
    }
    out[o] = '\0';
    return 0;
}

static unsigned long long fnv(unsigned long long h, const char *s)
{
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (h ^ 0xFF) * 1099511628211ull; /* a field ends: "a","bc" is not "ab","c" */
}

static unsigned long long query_hash(const ws_kwic_opts *o)
{
    unsigned long long h = 1469598103934665603ull;
    h = fnv(h, o->s.query);
    h = fnv(h, o->s.source);
    h = fnv(h, o->s.type);
    h = fnv(h, o->s.from);
    return fnv(h, o->s.to);
}

/* k2: i counts along ws_db_list_page's order; a k1 cursor counted along
 * ws_db_list_all's, and is refused as not this server's. */
static void cursor_write(const cursor *c, char *out)
{
    char raw[256];
    int n = snprintf(raw, sizeof raw, "k2:%s:%lld:%llx:%u:%lu:%lu:%lu:%lu:%lu", c->view, c->made,
                     c->qhash, c->sort, c->k, c->i, c->j, c->tocc, c->tdocs);
    b64_encode(raw, (size_t)n, out);
}

/* What a cursor that is not this server's, or makes no sense, is told. */
static const char NOT_OURS[] = "the cursor is not one this server gave: pass back \"next\" as it "
                               "came, or leave it out for the first page";

static ws_status cursor_read(ws_searcher *s, const ws_kwic_opts *o, const char *view, cursor *c)
{
    char raw[WS_KWIC_CURSOR_MAX_BYTES];
    int used = 0;
    if (strlen(o->cursor) >= WS_KWIC_CURSOR_MAX_BYTES || b64_decode(o->cursor, raw, sizeof raw) ||
        strspn(raw, "k0123456789abcdef:") != strlen(raw) ||
        sscanf(raw, "k2:%47[0-9a-f]:%lld:%llx:%u:%lu:%lu:%lu:%lu:%lu%n", c->view, &c->made,
               &c->qhash, &c->sort, &c->k, &c->i, &c->j, &c->tocc, &c->tdocs, &used) != 9 ||
        raw[used] != '\0' || c->k > c->tocc || c->tdocs > c->tocc) {
        /* (only digits, hex and colons: sscanf would take a sign and wrap
         * it; and the places and totals it carries must agree) */
        ws__searcher_fail(s, "%s", NOT_OURS);
        return WS_EINVAL;
    }
    if (c->qhash != query_hash(o) || c->sort != (unsigned)o->sort) {
        ws__searcher_fail(s, "the cursor belongs to another query, filter or sort: pass the same "
                             "q, source, type, from, to and sort as for the first page");
        return WS_EINVAL;
    }
    long long age = (long long)time(NULL) - c->made;
    if (age > WS_KWIC_CURSOR_MAX_AGE || age < -60) {
        ws__searcher_fail(s,
                          "the cursor is older than %d seconds (WS_KWIC_CURSOR_MAX_AGE): "
                          "start again from the first page",
                          WS_KWIC_CURSOR_MAX_AGE);
        return WS_EINVAL;
    }
    if (strcmp(c->view, view) != 0) {
        ws__searcher_fail(s, "the index has changed since this cursor was made (documents were "
                             "added, replaced or deleted): its next lines would not follow on; "
                             "start again from the first page");
        return WS_EMODIFIED;
    }
    return WS_OK;
}

/* ---- context keys, for sorting by left or right ---- */

#define KEY_CHARS 10 /* the nearest characters */
#define KEY_BYTES (KEY_CHARS * 4)

typedef struct skey {
    uint32_t i, j; /* document in the list, occurrence in the document */
    uint8_t len;
    unsigned char key[KEY_BYTES];
} skey;

/* The KEY_CHARS characters nearest the occurrence as the line shows them,
 * leftwards (read from the match outwards) or rightwards, in UTF-8. */
static ws_status make_key(ws_strbuf *sb, const char *text, size_t len, const ws_occ *o, int left,
                          skey *k)
{
    sb->len = 0;
    if (left)
        add_flat(sb, text, len, left_start(text, o->start, KEY_CHARS), o->start);
    else
        add_flat(sb, text, len, o->end, right_end(text, len, o->end, KEY_CHARS));
    if (sb->failed)
        return WS_ENOMEM;
    k->len = 0;
    if (!left) {
        size_t n = 0;
        for (unsigned c = 0; n < sb->len && c < KEY_CHARS; c++)
            n = ws_utf8_next(sb->s, sb->len, n);
        memcpy(k->key, sb->s, n);
        k->len = (uint8_t)n;
        return WS_OK;
    }
    size_t e = sb->len;
    for (unsigned c = 0; e > 0 && c < KEY_CHARS; c++) {
        size_t b = ws_utf8_prev(sb->s, e);
        memcpy(k->key + k->len, sb->s + b, e - b);
        k->len += (uint8_t)(e - b);
        e = b;
    }
    return WS_OK;
}

static int cmp_key(const void *x, const void *y)
{
    const skey *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->key, b->key, n);
    if (c)
        return c;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

/* ---- the run ---- */

typedef struct run {
    ws_searcher *s;
    const ws_kwic_opts *o;
    ws_occ_patterns ps;
    ws_db_list list;
    ws_textdoc d;
    liner l;
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

static ws_status run_by_document(run *r, const cursor *from, ws_kwic_totals *t, cursor *next)
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
            st = emit(&r->l, &r->d, j, r->width, r->cb, r->ctx);
            emitted++;
            last_i = i;
            last_j = j + 1;
        }
    }
    unsigned long before = from ? from->k : 0;
    if (st == WS_OK && limit && before + emitted < t->occurrences) {
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
static ws_status sort_lines(run *r, ws_kwic_totals *t, skey **out, size_t *nout)
{
    skey *keys = NULL;
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
            skey *g = realloc(keys, cap * sizeof *g);
            if (!g) {
                st = WS_ENOMEM;
                break;
            }
            keys = g;
        }
        for (size_t j = 0; j < r->d.nocc && st == WS_OK; j++) {
            size_t len;
            const char *text = occ_text(&r->d, j, &len);
            keys[n].i = (uint32_t)i;
            keys[n].j = (uint32_t)j;
            st = make_key(&r->l.left, text, len, &r->d.occ[j], left, &keys[n]);
            n++;
        }
    }
    if (st == WS_OK && n)
        qsort(keys, n, sizeof *keys, cmp_key);
    if (st != WS_OK) {
        free(keys);
        keys = NULL;
        n = 0;
    }
    *out = keys;
    *nout = n;
    return st;
}

static ws_status run_by_context(run *r, const cursor *from, ws_kwic_totals *t, cursor *next)
{
    ws_strbuf key = {0};
    sort_key(r->o, r->list.n, &key);
    /* the lines a page before sorted for this view and query, if kept */
    ws_sortkeep *kept = key.failed ? NULL : ws_sortkeep_find(next->view, key.s, key.len);
    skey *made = NULL;
    const skey *keys = NULL;
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
        ws__searcher_fail(r->s, "%s", NOT_OURS);
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
                st = emit(&r->l, &r->d, keys[k].j, r->width, r->cb, r->ctx);
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
        st = ws_occ_patterns_of(ws__searcher_analyzer(s), ast, &r.ps);
    ws_qast_free(ast);
    if (st == WS_OK && !ws_occ_shown(&r.ps)) {
        ws__searcher_fail(s, "the query has no word or phrase to find in the text (filters and "
                             "NOT alone give no lines)");
        st = WS_EQUERY;
    }
    cursor from, next;
    memset(&from, 0, sizeof from);
    memset(&next, 0, sizeof next);
    int has_cursor = o->cursor && *o->cursor;
    if (st == WS_OK && (st = ws_db_view(ws__searcher_db(s), next.view)) != WS_OK)
        ws__searcher_fail(s, "%s", ws_db_errmsg(ws__searcher_db(s)));
    if (st == WS_OK && has_cursor)
        st = cursor_read(s, o, next.view, &from);
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
        next.qhash = query_hash(o);
        next.sort = (unsigned)o->sort;
        next.tocc = totals->occurrences;
        next.tdocs = totals->documents;
        cursor_write(&next, totals->next);
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
