#include "trend.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "array.h"
#include "document.h"
#include "matchpass.h"
#include "normalize.h"
#include "utf8.h"
#include "occurrence.h"
#include "row.h"
#include "search_int.h"
#include "schema.h"
#include "textdoc.h"
#include "valuecursor.h"

int ws_trend_by_parse(const char *name, ws_trend_by *out)
{
    for (int i = 0; i <= WS_TREND_TYPE; i++)
        if (!strcmp(name, ws_trend_by_name((ws_trend_by)i))) {
            *out = (ws_trend_by)i;
            return 0;
        }
    return -1;
}

const char *ws_trend_by_name(ws_trend_by by)
{
    static const char *const names[] = {"year", "quarter", "month", "source", "type"};
    return names[by];
}

/* ---- what every document brings: kept for one view ---- */

typedef struct docinfo {
    uint32_t chars;
    uint32_t date;         /* YYYYMMDD, 0 for none */
    uint32_t source, type; /* 1 + index into the names, 0 for none */
} docinfo;

typedef struct census {
    char view[WS_DB_VIEW_LEN];
    docinfo *by_docid; /* [0, ndocids) */
    size_t ndocids;
    json_t *names; /* name -> index, sources and types alike */
    json_t *list;  /* the names, in index order */
} census;

static pthread_mutex_t census_lock = PTHREAD_MUTEX_INITIALIZER;
static census *current; /* the last view counted, shared by every thread */

static void census_free(census *c)
{
    if (!c)
        return;
    free(c->by_docid);
    json_decref(c->names);
    json_decref(c->list);
    free(c);
}

/* The index of the name s[0..n) (NULL or empty: none, 0, one bucket as
 * the facets' "(none)"), added when new. */
static uint32_t name_of(census *c, const char *s, size_t n)
{
    if (!s || !n)
        return 0;
    json_t *v = json_object_getn(c->names, s, n);
    if (v)
        return (uint32_t)json_integer_value(v);
    json_array_append_new(c->list, json_stringn(s, n));
    uint32_t id = (uint32_t)json_array_size(c->list);
    json_object_setn_new(c->names, s, n, json_integer(id));
    return id;
}

/* The index of the type s[0..n) folded as the type slot keeps it
 * (index.cc, ws_normalize_type) and the facets and the type: filter take
 * it: News and news, ＮＥＷＳ and news are one type. 0 (no type) when
 * there is no memory to fold it. */
static uint32_t type_of(census *c, const char *s, size_t n)
{
    char *type = NULL;
    size_t len = 0;
    if (ws_normalize_type(s, n, &type, &len) != WS_OK)
        return 0;
    uint32_t id = name_of(c, type, len);
    free(type);
    return id;
}

/* YYYYMMDD of the date s[0..n) ("YYYY-MM-DD"), 0 for none. */
static uint32_t date_of(const char *s, size_t n)
{
    char d[11];
    if (!s || n < 10)
        return 0;
    memcpy(d, s, 10);
    d[10] = '\0';
    unsigned y, m, day;
    return sscanf(d, "%4u-%2u-%2u", &y, &m, &day) == 3 ? y * 10000 + m * 100 + day : 0;
}

static size_t len_of(const char *s)
{
    return s ? strlen(s) : 0;
}

static void census_set(census *c, unsigned docid, size_t chars, const ws_row *r)
{
    docinfo *di = &c->by_docid[docid];
    di->chars = chars > UINT32_MAX ? UINT32_MAX : (uint32_t)chars;
    di->date = date_of(r->v[2], r->len[2]);
    di->source = name_of(c, r->v[3], r->len[3]);
    di->type = r->v[4] ? type_of(c, r->v[4], r->len[4]) : 0;
}

/* A row of the date, source and type s[0..3) (NUL-terminated or NULL). */
static ws_row row_of(const char *const s[3])
{
    ws_row r;
    memset(&r, 0, sizeof r);
    for (int i = 0; i < 3; i++) {
        r.v[2 + i] = s[i];
        r.len[2 + i] = len_of(s[i]);
    }
    return r;
}

/* Counts docid in c: from its characters' value and its row's (schema.h),
 * read in rising docid order; from its hit's JSON where the row is
 * missing (an index made before rows), or from its stored text where an
 * index made before them lacks both. WS_ENOTFOUND for a document gone
 * since. */
static ws_status census_one(ws_searcher *s, census *c, ws_valuecursor *rows, ws_valuecursor *hits,
                            ws_valuecursor *chars, unsigned docid)
{
    const char *v, *h;
    size_t vlen, hlen;
    char num[24];
    ws_status st = ws_valuecursor_get(chars, docid, &v, &vlen);
    if (st == WS_OK && vlen < sizeof num) {
        memcpy(num, v, vlen);
        num[vlen] = '\0';
        ws_row r;
        ws_status rs = ws_valuecursor_get(rows, docid, &h, &hlen);
        if (rs == WS_OK && ws_row_decode(h, hlen, &r) == WS_OK) {
            census_set(c, docid, strtoull(num, NULL, 10), &r);
            return WS_OK;
        }
        if (rs != WS_OK && rs != WS_ENOTFOUND)
            return rs;
        st = ws_valuecursor_get(hits, docid, &h, &hlen);
        json_t *j = st == WS_OK ? json_loadb(h, hlen, 0, NULL) : NULL;
        if (j) {
            const char *f[3] = {json_string_value(json_object_get(j, "date")),
                                json_string_value(json_object_get(j, "source")),
                                json_string_value(json_object_get(j, "type"))};
            r = row_of(f);
            census_set(c, docid, strtoull(num, NULL, 10), &r);
            json_decref(j);
            return WS_OK;
        }
    }
    if (st != WS_OK && st != WS_ENOTFOUND)
        return st;
    ws_occ_patterns none = {0};
    ws_textdoc d = {0};
    st = ws_textdoc_load(ws__searcher_db(s), ws__searcher_analyzer(s), &none, docid, &d);
    if (st == WS_OK) {
        const char *f[3] = {d.date, d.source, d.type};
        ws_row r = row_of(f);
        census_set(c, docid, ws_textdoc_chars(&d), &r);
    }
    ws_textdoc_clear(&d);
    return st;
}

/* Reads every document of the view the searcher is at: its characters,
 * date, source and type. */
static ws_status census_make(ws_searcher *s, const char *view, census **out)
{
    *out = NULL;
    census *c = calloc(1, sizeof *c);
    if (!c || !(c->names = json_object()) || !(c->list = json_array())) {
        census_free(c);
        return WS_ENOMEM;
    }
    snprintf(c->view, sizeof c->view, "%s", view);
    ws_db *db = ws__searcher_db(s);
    ws_qnode *all = ws_qtree_op(WS_QOP_ALL);
    ws_db_list list = {0};
    ws_status st = all ? ws_db_list_all(db, all, WS_DB_ORDER_DOCID, &list) : WS_ENOMEM;
    ws_qtree_free(all);
    if (st == WS_OK) {
        c->ndocids = list.n ? list.docid[list.n - 1] + 1 : 0;
        c->by_docid = calloc(c->ndocids ? c->ndocids : 1, sizeof *c->by_docid);
        if (!c->by_docid)
            st = WS_ENOMEM;
    }
    ws_valuecursor *rows = NULL, *hits = NULL, *chars = NULL;
    if (st == WS_OK && (st = ws_valuecursor_open(db, WS_SLOT_ROW, &rows)) == WS_OK &&
        (st = ws_valuecursor_open(db, WS_SLOT_HIT, &hits)) == WS_OK)
        st = ws_valuecursor_open(db, WS_SLOT_CHARS, &chars);
    for (size_t i = 0; i < list.n && st == WS_OK; i++) {
        st = census_one(s, c, rows, hits, chars, list.docid[i]);
        if (st == WS_ENOTFOUND)
            st = WS_OK;
    }
    ws_valuecursor_close(rows);
    ws_valuecursor_close(hits);
    ws_valuecursor_close(chars);
    ws_db_list_free(&list);
    if (st != WS_OK) {
        census_free(c);
        return st;
    }
    *out = c;
    return WS_OK;
}

/* The census of the searcher's view, made when it is not the current one.
 * It is the caller's until census_release. */
static ws_status census_get(ws_searcher *s, census **out)
{
    char view[WS_DB_VIEW_LEN];
    ws_status st = ws_db_view(ws__searcher_db(s), view);
    if (st != WS_OK)
        return st;
    pthread_mutex_lock(&census_lock);
    if (current && !strcmp(current->view, view)) {
        *out = current;
        return WS_OK; /* held under the lock until released */
    }
    pthread_mutex_unlock(&census_lock);
    census *c = NULL;
    if ((st = census_make(s, view, &c)) != WS_OK)
        return st;
    pthread_mutex_lock(&census_lock);
    census_free(current);
    current = c;
    *out = c;
    return WS_OK;
}

static void census_release(void)
{
    pthread_mutex_unlock(&census_lock);
}

/* ---- buckets ---- */

typedef struct series {
    unsigned long docs, occ;
} series;

typedef struct bucket {
    char key[64]; /* "" for null */
    unsigned long docs, chars;
    series *q;  /* one per query */
    int filled; /* a period without documents (fill_periods) */
} bucket;

/* The buckets, found by their code (code_of) in an open-addressed table:
 * a bucket is looked up for every document of the view, and making its
 * key's text for each was most of a trend's time. */
typedef struct buckets {
    bucket *b;
    size_t n, cap, nq;
    uint32_t *code; /* the table: a code + 1 (0: free), and its bucket */
    uint32_t *at;
    size_t tcap; /* a power of 2, at least twice n */
} buckets;

/* A number for the bucket of di by by: the same for documents of one
 * bucket, different for others, 0 for null. */
static uint32_t code_of(const docinfo *di, ws_trend_by by)
{
    unsigned y = di->date / 10000, m = di->date / 100 % 100;
    switch (by) {
    case WS_TREND_YEAR:
        return di->date ? 1 + y : 0;
    case WS_TREND_QUARTER:
        return di->date ? 1 + y * 100 + (m ? (m - 1) / 3 + 1 : 1) : 0;
    case WS_TREND_MONTH:
        return di->date ? 1 + y * 100 + m : 0;
    case WS_TREND_SOURCE:
        return di->source;
    case WS_TREND_TYPE:
        return di->type;
    }
    return 0;
}

static size_t slot_of(const buckets *bs, uint32_t code)
{
    size_t i = (code * 2654435761u) & (bs->tcap - 1);
    while (bs->code[i] && bs->code[i] != code + 1)
        i = (i + 1) & (bs->tcap - 1);
    return i;
}

/* Doubles the table. */
static int grow(buckets *bs)
{
    buckets nb = *bs;
    nb.tcap = bs->tcap ? bs->tcap * 2 : 64;
    nb.code = calloc(nb.tcap, sizeof *nb.code);
    nb.at = calloc(nb.tcap, sizeof *nb.at);
    if (!nb.code || !nb.at) {
        free(nb.code);
        free(nb.at);
        return -1;
    }
    for (size_t i = 0; i < bs->tcap; i++)
        if (bs->code[i]) {
            size_t j = slot_of(&nb, bs->code[i] - 1);
            nb.code[j] = bs->code[i];
            nb.at[j] = bs->at[i];
        }
    free(bs->code);
    free(bs->at);
    *bs = nb;
    return 0;
}

static void key_of(const census *c, const docinfo *di, ws_trend_by by, char *key)
{
    unsigned y = di->date / 10000, m = di->date / 100 % 100;
    key[0] = '\0';
    switch (by) {
    case WS_TREND_YEAR:
        if (di->date)
            snprintf(key, 64, "%04u", y);
        break;
    case WS_TREND_QUARTER:
        if (di->date)
            snprintf(key, 64, "%04u-Q%u", y, m ? (m - 1) / 3 + 1 : 1);
        break;
    case WS_TREND_MONTH:
        if (di->date)
            snprintf(key, 64, "%04u-%02u", y, m);
        break;
    case WS_TREND_SOURCE:
    case WS_TREND_TYPE: {
        uint32_t id = by == WS_TREND_SOURCE ? di->source : di->type;
        if (id)
            snprintf(key, 64, "%s", json_string_value(json_array_get(c->list, id - 1)));
        break;
    }
    }
}

/* The bucket of di by by, made when it is the first of it. */
static bucket *bucket_of(buckets *bs, const census *c, const docinfo *di, ws_trend_by by)
{
    uint32_t code = code_of(di, by);
    size_t i = bs->tcap ? slot_of(bs, code) : 0;
    if (bs->tcap && bs->code[i])
        return &bs->b[bs->at[i]];
    if ((bs->n + 1) * 2 > bs->tcap) {
        if (grow(bs) != 0)
            return NULL;
        i = slot_of(bs, code);
    }
    bucket *g = ws_array_room(bs->b, bs->n, &bs->cap, sizeof *g, 64);
    if (!g)
        return NULL;
    bs->b = g;
    bucket *b = &bs->b[bs->n];
    memset(b, 0, sizeof *b);
    key_of(c, di, by, b->key);
    if (!(b->q = calloc(bs->nq, sizeof *b->q)))
        return NULL;
    bs->code[i] = code + 1;
    bs->at[i] = (uint32_t)bs->n++;
    return b;
}

/* Time order, null last (keys are zero-padded: their text sorts as time). */
static int by_key(const void *x, const void *y)
{
    const bucket *a = x, *b = y;
    if (!*a->key != !*b->key)
        return *a->key ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* Most documents first, then by key, null last. */
static int by_docs(const void *x, const void *y)
{
    const bucket *a = x, *b = y;
    if (!*a->key != !*b->key)
        return *a->key ? -1 : 1;
    if (a->docs != b->docs)
        return a->docs > b->docs ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* Periods as numbers that count on by one (a year, quarter or month), from
 * a bucket's key or a filter's date (YYYY[-MM[-DD]]: its first month, or
 * with last its last); -1 for none. */
static long period_of_date(const char *d, ws_trend_by by, int last)
{
    unsigned y = 0, m = 0;
    int n = d ? sscanf(d, "%4u-%2u", &y, &m) : 0;
    if (n < 1)
        return -1;
    if (n < 2 || m < 1 || m > 12)
        m = last ? 12 : 1;
    return by == WS_TREND_YEAR      ? (long)y
           : by == WS_TREND_QUARTER ? (long)(y * 4 + (m - 1) / 3)
                                    : (long)(y * 12 + m - 1);
}

static long period_of_key(const char *key, ws_trend_by by)
{
    unsigned y, q;
    if (by == WS_TREND_QUARTER && sscanf(key, "%4u-Q%1u", &y, &q) == 2)
        return (long)(y * 4 + q - 1);
    return period_of_date(key, by, 0);
}

static void key_of_period(long p, ws_trend_by by, char *key)
{
    if (by == WS_TREND_YEAR)
        snprintf(key, 64, "%04ld", p);
    else if (by == WS_TREND_QUARTER)
        snprintf(key, 64, "%04ld-Q%ld", p / 4, p % 4 + 1);
    else
        snprintf(key, 64, "%04ld-%02ld", p / 12, p % 12 + 1);
}

/* The periods between the first and the last counted (from the filter's
 * from to its to, when given, as long as that stays under
 * WS_TREND_MAX_PERIODS) that no document falls in, added as buckets of
 * zeros: a time series read into a spreadsheet or pandas had holes where
 * a month had no document. bs is sorted by key; it stays so. */
static ws_status fill_periods(buckets *bs, ws_trend_by by, const char *from, const char *to)
{
    size_t dated = 0;
    while (dated < bs->n && *bs->b[dated].key)
        dated++;
    long lo = dated ? period_of_key(bs->b[0].key, by) : -1,
         hi = dated ? period_of_key(bs->b[dated - 1].key, by) : -1;
    long f = period_of_date(from, by, 0), t = period_of_date(to, by, 1);
    long wlo = f >= 0 && (lo < 0 || f < lo) ? f : lo, whi = t >= 0 && (hi < 0 || t > hi) ? t : hi;
    if (wlo < 0 || whi < 0 || whi - wlo >= WS_TREND_MAX_PERIODS) {
        wlo = lo; /* the counted span alone (dates are four-digit years) */
        whi = hi;
    }
    if (wlo < 0 || whi < wlo || (size_t)(whi - wlo + 1) == dated)
        return WS_OK;
    size_t n = (size_t)(whi - wlo + 1) + (bs->n - dated);
    bucket *nb = calloc(n, sizeof *nb);
    if (!nb)
        return WS_ENOMEM;
    size_t k = 0, j = 0;
    for (long p = wlo; p <= whi; p++) {
        if (j < dated && period_of_key(bs->b[j].key, by) == p) {
            nb[k++] = bs->b[j++];
            continue;
        }
        key_of_period(p, by, nb[k].key);
        nb[k].filled = 1;
        if (!(nb[k++].q = calloc(bs->nq ? bs->nq : 1, sizeof *nb->q))) {
            for (size_t i = 0; i < k; i++)
                if (nb[i].filled)
                    free(nb[i].q);
            free(nb);
            return WS_ENOMEM;
        }
    }
    for (; j < bs->n; j++) /* the null bucket, last */
        nb[k++] = bs->b[j];
    free(bs->b);
    bs->b = nb;
    bs->n = bs->cap = k;
    return WS_OK;
}

/* Adds the occurrences of query k to the buckets. */
static ws_status count_query(ws_searcher *s, const census *c, const ws_trend_opts *o, size_t k,
                             buckets *bs)
{
    ws_search_opts so = o->s;
    so.query = o->queries[k];
    ws_matchpass p = {0};
    ws_status st = ws_matchpass_plan(s, &so, &p);
    if ((st == WS_EQUERY || st == WS_ETOOBIG) && o->nqueries > 1) {
        /* which of the queries, since "at character 1" names none: its
         * start after the reason, which a long query must not push out */
        char why[1024];
        snprintf(why, sizeof why, "%s", ws_searcher_errmsg(s));
        size_t n = strlen(so.query), cut = ws_utf8_clip(so.query, n, 80);
        ws__searcher_fail(s, "query %zu (%.*s%s): %s", k + 1, (int)cut, so.query,
                          cut < n ? "…" : "", why);
    }
    if (st == WS_OK && !ws_occ_shown(&p.ps)) {
        ws__searcher_fail(s, "query %zu (%s) has no word or phrase to count", k + 1, so.query);
        st = WS_EQUERY;
    }
    if (st == WS_OK)
        st = ws_matchpass_list(&p);
    if (st == WS_OK)
        st = ws_matchpass_count(&p); /* positions or word lists: no stored text */
    p.below = c->ndocids; /* the rest are not in the census: the view moved (caught below) */
    while (st == WS_OK && ws_matchpass_next(&p, &st)) {
        bucket *b = bucket_of(bs, c, &c->by_docid[p.list.docid[p.next - 1]], o->by);
        if (!b) {
            st = WS_ENOMEM;
            break;
        }
        b->q[k].docs++;
        b->q[k].occ += p.d.nocc;
    }
    ws_matchpass_clear(&p);
    return st;
}

ws_status ws_trend_json(ws_searcher *s, const ws_trend_opts *o, json_t **out)
{
    *out = NULL;
    if (!o->nqueries || o->nqueries > WS_TREND_MAX_QUERIES) {
        ws__searcher_fail(s, "a trend takes 1 to %d queries (WS_TREND_MAX_QUERIES), not %zu",
                          WS_TREND_MAX_QUERIES, o->nqueries);
        return WS_EINVAL;
    }
    ws_db *db = ws__searcher_db(s);
    ws_qnode *every = NULL;
    ws_db_list list = {0};
    buckets bs = {.nq = o->nqueries};
    census *c = NULL;
    ws_status st = ws__searcher_every(s, &o->s, &every);
    if (st == WS_OK && (st = census_get(s, &c)) != WS_OK)
        ws__searcher_fail(s, "%s", ws_db_errmsg(db));
    /* trends are counted one at a time (the census's lock): the time one
     * waited for another's is not its own count's */
    ws_db_restart_deadline(db);
    if (st == WS_OK && (st = ws_db_list_all(db, every, WS_DB_ORDER_DOCID, &list)) != WS_OK)
        ws__searcher_fail(s, "%s", ws_db_errmsg(db));
    for (size_t i = 0; i < list.n && st == WS_OK; i++) {
        if (list.docid[i] >= c->ndocids)
            continue;
        const docinfo *di = &c->by_docid[list.docid[i]];
        bucket *b = bucket_of(&bs, c, di, o->by);
        if (!b) {
            st = WS_ENOMEM;
            break;
        }
        b->docs++;
        b->chars += di->chars;
    }
    for (size_t k = 0; k < o->nqueries && st == WS_OK; k++)
        st = count_query(s, c, o, k, &bs);
    if (c)
        census_release();
    if (st == WS_EMODIFIED)
        ws__searcher_fail(s, "the index changed while the trend was counted; ask again");
    json_t *arr = st == WS_OK ? json_array() : NULL;
    if (st == WS_OK) {
        int timed = o->by < WS_TREND_SOURCE;
        if (bs.n) /* (no bucket: filters that pass no document; qsort takes no NULL) */
            qsort(bs.b, bs.n, sizeof *bs.b, timed ? by_key : by_docs);
        if (timed && (st = fill_periods(&bs, o->by, o->s.from, o->s.to)) != WS_OK) {
            json_decref(arr);
            arr = NULL;
        }
    }
    if (st == WS_OK) {
        for (size_t i = 0; i < bs.n; i++) {
            const bucket *b = &bs.b[i];
            json_t *ser = json_array();
            for (size_t k = 0; k < o->nqueries; k++)
                json_array_append_new(ser, json_pack("{s:s, s:I, s:I}", "q", o->queries[k],
                                                     "documents", (json_int_t)b->q[k].docs,
                                                     "occurrences", (json_int_t)b->q[k].occ));
            json_array_append_new(arr, json_pack("{s:o, s:I, s:I, s:o}", "key",
                                                 *b->key ? json_string(b->key) : json_null(),
                                                 "documents", (json_int_t)b->docs, "characters",
                                                 (json_int_t)b->chars, "series", ser));
        }
        *out = json_pack("{s:s, s:o}", "by", ws_trend_by_name(o->by), "buckets", arr);
        if (!*out)
            st = WS_ENOMEM;
    }
    for (size_t i = 0; i < bs.n; i++)
        free(bs.b[i].q);
    free(bs.b);
    free(bs.code);
    free(bs.at);
    ws_db_list_free(&list);
    ws_qtree_free(every);
    return st;
}
