#include "export.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cachesweep.h"
#include "cell.h"
#include "docsort.h"
#include "engine.h"
#include "occurrence.h"
#include "search_int.h"
#include "snippet.h"
#include "row.h"
#include "strbuf.h"
#include "stub.h"
#include "valuecursor.h"
#include "valuesweep.h"

int ws_export_format_parse(const char *name, ws_export_format *out)
{
    static const char *const names[] = {"csv", "tsv", "jsonl"};
    for (int i = 0; i < 3; i++)
        if (!strcmp(name, names[i])) {
            *out = (ws_export_format)i;
            return 0;
        }
    return -1;
}

struct ws_export {
    ws_searcher *s;
    ws_export_format format;
    int snippets;
    char **fields; /* copies, NULL-terminated */
    size_t nfields;
    ws_occ_patterns ps;
    char **marks; /* the patterns' texts, for snippets (not owned) */
    ws_db_list list;
    size_t at;   /* the next match to write */
    int started; /* the header is out */
    int bare;    /* no column needs the body: read the document without it */
    /* then the hits of list[from, from + nhits), read a batch at a time in
     * docid order (NULL: read the document instead) */
    char **hits; /* the hit's JSON, or NULL (a line, or the document then) */
    struct line {
        size_t off, len; /* in text[t]; len 0: no line */
        unsigned t;
    } * lines; /* the lines made of rows, where the index has them */
    ws_strbuf text[WS_VALUESWEEP_MAX_THREADS]; /* made by the thread reading each shard */
    int rows; /* nothing but a row's columns is written: rows, where the index has them */
    int docs; /* the body is written, no snippet: whole documents read a batch at a time */
    size_t body_budget;
    size_t batch, from, nhits;
    /* a concordance: its options (strings copied) and where it stands */
    int kwic, kwic_done;
    unsigned kwic_left;  /* lines still to write when kwic_limit */
    int kwic_limit;      /* o->limit was given */
    unsigned kwic_lines; /* written by the page being run */
    ws_kwic_opts k;
    char *kstr[5];
    char cursor[WS_KWIC_CURSOR_MAX_BYTES];
    ws_strbuf *b; /* the piece being made */
};

static const char *const columns[] = {"id", "title", "date", "source", "type", "url", "score"};
#define NCOLUMNS 7

void ws_export_free(ws_export *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nfields; i++)
        free(e->fields[i]);
    free(e->fields);
    free(e->marks);
    for (size_t i = 0; i < 5; i++)
        free(e->kstr[i]);
    ws_occ_patterns_free(&e->ps);
    for (size_t i = 0; e->hits && i < e->nhits; i++)
        free(e->hits[i]);
    free(e->hits);
    free(e->lines);
    for (size_t t = 0; t < WS_VALUESWEEP_MAX_THREADS; t++)
        free(e->text[t].s);
    ws_db_list_free(&e->list);
    free(e);
}

static ws_status put_row(ws_export *e, ws_strbuf *b, const ws_row *r, double score);

/* What a thread that reads rows or documents works with
 * (ws_valuesweep_each). */
typedef struct row_reader {
    ws_export *e;
    const ws_docplace *order; /* the batch's documents in docid order */
    unsigned t;
} row_reader;

/* Makes the line of the row v[0..len) of the batch's order[k] into the
 * thread's text: formatting is a third of an export's work, and goes on
 * the threads that read. WS_ENOTFOUND for a row that does not decode (its
 * hit is written instead). */
static ws_status make_line(void *ctx, size_t k, const char *v, size_t len)
{
    row_reader *rr = ctx;
    ws_export *e = rr->e;
    ws_row r;
    if (ws_row_decode(v, len, &r) != WS_OK)
        return WS_ENOTFOUND;
    size_t i = rr->order[k].i;
    ws_strbuf *b = &e->text[rr->t];
    size_t off = b->len;
    ws_status st = put_row(e, b, &r, e->list.weight[e->from + i]);
    if (st == WS_OK && b->failed)
        st = WS_ENOMEM;
    if (st == WS_OK)
        e->lines[i] = (struct line){off, b->len - off, rr->t};
    return st;
}

static ws_status put_doc(ws_export *e, ws_strbuf *b, json_t *d, double score);

/* Makes the line of the document whose data (JSON) is v[0..len), the
 * batch's order[k], into the thread's text: parsing a document was two
 * thirds of an export with the bodies, and goes on the threads that read,
 * a shard each. WS_ENOTFOUND when its line would take the thread's text
 * past the budget (one document alone is always taken): it is read again
 * and written by itself after, so that a batch of long documents reads
 * those past the budget twice (the sweep reads a value before it is
 * offered); or when v does not parse (the same, which says why). */
static ws_status make_doc_line(void *ctx, size_t k, const char *v, size_t len)
{
    row_reader *rr = ctx;
    ws_export *e = rr->e;
    ws_strbuf *b = &e->text[rr->t];
    if (b->len && b->len + len > e->body_budget) /* (a line is about its document's size) */
        return WS_ENOTFOUND;
    json_t *d = json_loadb(v, len, 0, NULL);
    if (!d)
        return WS_ENOTFOUND;
    size_t i = rr->order[k].i, off = b->len;
    ws_status st = put_doc(e, b, d, e->list.weight[e->from + i]);
    json_decref(d);
    if (st == WS_OK && b->failed)
        st = WS_ENOMEM;
    if (st == WS_OK)
        e->lines[i] = (struct line){off, b->len - off, rr->t};
    return st;
}

/* Reads the lines of the batch's documents from their rows (or, with the
 * body, from the documents whole: make_doc_line), a thread a
 * shard; those without one are left for their hits. */
static ws_status read_rows(ws_export *e, const ws_docplace *order, const unsigned *docid, size_t n)
{
    unsigned char *missing = malloc(n ? n : 1);
    if (!missing)
        return WS_ENOMEM;
    row_reader rr[WS_VALUESWEEP_MAX_THREADS];
    void *ctx[WS_VALUESWEEP_MAX_THREADS];
    for (unsigned t = 0; t < WS_VALUESWEEP_MAX_THREADS; t++) {
        rr[t] = (row_reader){e, order, t};
        ctx[t] = &rr[t];
        if (e->docs && e->text[t].cap > 2 * e->body_budget) {
            /* a document longer than the budget made it grow: not kept
             * for the rest of the export */
            free(e->text[t].s);
            e->text[t] = (ws_strbuf){0};
        }
        e->text[t].len = 0;
    }
    ws_status st = ws_valuesweep_each(
        ws__searcher_db(e->s), e->docs ? WS_VALUECURSOR_DATA : WS_SLOT_ROW, docid, n,
        e->docs ? make_doc_line : make_line, ctx, WS_VALUESWEEP_MAX_THREADS, missing);
    free(missing);
    return st;
}

/* Reads the batch of e->batch matches from the list's from along the
 * value streams, in docid order: in the list's order (relevance or date)
 * each would cost a lookup of its own in the index, in docid order
 * neighbours share the index's blocks. Their rows (WS_SLOT_ROW) when
 * nothing else is written, else (or made before rows) their hits
 * (WS_SLOT_HIT); with the body, the documents whole (e->docs); a document
 * without a line or a hit is read whole after, by itself. */
static ws_status read_hits(ws_export *e, size_t from)
{
    for (size_t i = 0; i < e->nhits; i++)
        free(e->hits[i]);
    e->from = from;
    e->nhits = e->list.n - from < e->batch ? e->list.n - from : e->batch;
    ws_docplace *order = malloc(e->nhits * sizeof *order);
    unsigned *docid = malloc(e->nhits * sizeof *docid);
    if (!e->hits) {
        e->hits = calloc(e->batch, sizeof *e->hits);
        e->lines = calloc(e->batch, sizeof *e->lines);
    }
    if (!order || !docid || !e->hits || !e->lines) {
        free(order);
        free(docid);
        e->nhits = 0;
        return WS_ENOMEM;
    }
    for (size_t i = 0; i < e->nhits; i++) {
        order[i] = (ws_docplace){e->list.docid[e->from + i], (uint32_t)i};
        e->hits[i] = NULL;
        e->lines[i].len = 0;
    }
    if (ws_docplace_sort(order, e->nhits) != WS_OK) {
        free(order);
        free(docid);
        e->nhits = 0;
        return WS_ENOMEM;
    }
    size_t n = 0; /* the docids once each, rising */
    for (size_t k = 0; k < e->nhits; k++)
        if (!k || order[k].docid != order[k - 1].docid) {
            order[n] = order[k];
            docid[n++] = order[k].docid;
        }
    ws_status st = e->rows || e->docs ? read_rows(e, order, docid, n) : WS_OK;
    ws_valuecursor *hits = NULL;
    if (st == WS_OK && !e->docs) /* (a hit has no body) */
        st = ws_valuecursor_open(ws__searcher_db(e->s), WS_SLOT_HIT, &hits);
    for (size_t k = 0; k < n && st == WS_OK && hits; k++) {
        const char *v;
        size_t len, i = order[k].i;
        if (e->lines[i].len)
            continue;
        st = ws_valuecursor_get(hits, order[k].docid, &v, &len);
        if (st == WS_OK && !(e->hits[i] = strndup(v, len)))
            st = WS_ENOMEM;
        else if (st == WS_ENOTFOUND)
            st = WS_OK; /* gone, or made without one: its document is read */
    }
    ws_valuecursor_close(hits);
    free(order);
    free(docid);
    return st;
}

size_t ws_export_count(const ws_export *e)
{
    return e->list.n;
}

ws_status ws_export_open(ws_searcher *s, const ws_export_opts *o, ws_export **out)
{
    *out = NULL;
    ws_export *e = calloc(1, sizeof *e);
    if (!e)
        return WS_ENOMEM;
    e->s = s;
    e->format = o->format;
    e->snippets = o->snippets;
    e->batch = o->batch ? o->batch : WS_EXPORT_BATCH; /* (WS_EXPORT_BODY_BATCH: below) */
    size_t nf = 0;
    while (o->fields && o->fields[nf])
        nf++;
    if (nf > WS_EXPORT_MAX_FIELDS) {
        ws__searcher_fail(s, "fields lists %zu names; at most %d (WS_EXPORT_MAX_FIELDS)", nf,
                          WS_EXPORT_MAX_FIELDS);
        free(e);
        return WS_EINVAL;
    }
    for (size_t i = 0; i < nf; i++) {
        /* a column named twice would be two columns of one name in CSV and
         * one key in JSON lines: the formats would disagree */
        const char *twice = !strcmp(o->fields[i], "snippet") && o->snippets ? o->fields[i] : NULL;
        for (size_t c = 0; c < NCOLUMNS && !twice; c++)
            twice = !strcmp(o->fields[i], columns[c]) ? o->fields[i] : NULL;
        if (twice) {
            ws__searcher_fail(s,
                              "fields: \"%s\" is a column of every export already (id, title, "
                              "date, source, type, url, score; snippet with snippets=1)",
                              twice);
            free(e);
            return WS_EINVAL;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(o->fields[i], o->fields[j])) {
                ws__searcher_fail(s, "fields names \"%s\" twice", o->fields[i]);
                free(e);
                return WS_EINVAL;
            }
    }
    ws_status st = (e->fields = calloc(nf + 1, sizeof *e->fields)) ? WS_OK : WS_ENOMEM;
    for (size_t i = 0; i < nf && st == WS_OK; i++, e->nfields++)
        if (!(e->fields[i] = strdup(o->fields[i])))
            st = WS_ENOMEM;
    e->bare = !e->snippets;
    for (size_t i = 0; i < e->nfields; i++)
        e->bare &= strcmp(e->fields[i], "body") != 0;
    e->rows = e->bare && !e->nfields;
    /* a snippet is made by the searcher's analyzer, which one thread uses
     * at a time: documents with one are read and written one by one */
    e->docs = !e->bare && !e->snippets;
    if (e->docs && !o->batch)
        e->batch = WS_EXPORT_BODY_BATCH;
    e->body_budget = o->body_budget ? o->body_budget : WS_EXPORT_BODY_BUDGET;
    ws_qast *ast = NULL;
    ws_qnode *q = NULL;
    if (st == WS_OK)
        st = ws__searcher_plan(s, &o->s, &ast, &q);
    if (st == WS_OK)
        st = ws_occ_patterns_of(ws__searcher_analyzer(s), ast, ws__searcher_occ_flags(s), &e->ps);
    ws_qast_free(ast);
    if (st == WS_OK && e->ps.n && !(e->marks = calloc(e->ps.n, sizeof *e->marks)))
        st = WS_ENOMEM;
    for (size_t i = 0; st == WS_OK && i < e->ps.n; i++)
        e->marks[i] = e->ps.p[i].text;
    ws_db *db = ws__searcher_db(s);
    ws_db_order order = o->s.sort != WS_SORT_DATE ? WS_DB_ORDER_RELEVANCE
                        : o->oldest_first         ? WS_DB_ORDER_DATE_ASC
                                                  : WS_DB_ORDER_DATE_DESC;
    if (st == WS_OK && (st = ws_db_list_all(db, q, order, &e->list)) != WS_OK)
        ws__searcher_fail(s, "%s", ws_db_errmsg(db));
    ws_qtree_free(q);
    if (st != WS_OK) {
        ws_export_free(e);
        return st;
    }
    *out = e;
    return WS_OK;
}

/* Writes the value v[0..len) (NULL: none) as a CSV or TSV field. */
static void put_value_n(ws_export *e, ws_strbuf *b, const char *v, size_t len, int first)
{
    if (!first)
        ws_strbuf_add(b, e->format == WS_EXPORT_CSV ? "," : "\t", 1);
    if (v)
        ws_cell_put(b, v, len, e->format == WS_EXPORT_TSV);
}

/* Appends o (taken: freed here) as one line of JSON. */
static ws_status put_json_line(ws_strbuf *b, json_t *o)
{
    char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!line)
        return WS_ENOMEM;
    ws_strbuf_str(b, line);
    ws_strbuf_add(b, "\n", 1);
    free(line);
    return WS_OK;
}

/* Ends a CSV (CRLF, RFC 4180) or TSV line. */
static void end_line(const ws_export *e, ws_strbuf *b)
{
    ws_strbuf_str(b, e->format == WS_EXPORT_CSV ? "\r\n" : "\n");
}

static void put_value(ws_export *e, ws_strbuf *b, const char *v, int first)
{
    put_value_n(e, b, v, v ? strlen(v) : 0, first);
}

static void put_header(ws_export *e, ws_strbuf *b)
{
    if (e->format == WS_EXPORT_JSONL)
        return;
    if (e->format == WS_EXPORT_CSV)
        ws_strbuf_str(b, "\xEF\xBB\xBF");
    for (size_t i = 0; i < NCOLUMNS; i++)
        put_value(e, b, columns[i], i == 0);
    for (size_t i = 0; i < e->nfields; i++)
        put_value(e, b, e->fields[i], 0);
    if (e->snippets)
        put_value(e, b, "snippet", 0);
    end_line(e, b);
}

/* The snippet of body without its marks, or NULL. */
static char *plain_snippet(ws_export *e, const char *body, size_t len)
{
    char *snip = NULL;
    if (ws_snippet_make(ws__searcher_analyzer(e->s), body ? body : "", body ? len : 0, e->marks,
                        e->ps.n, &snip) != WS_OK)
        return NULL;
    char *r = ws_snippet_render(snip, "", "", 0);
    free(snip);
    return r;
}

static ws_status put_doc(ws_export *e, ws_strbuf *b, json_t *d, double score)
{
    char num[32];
    ws_cell_score(score, num);
    const char *vals[NCOLUMNS];
    for (size_t i = 0; i < NCOLUMNS - 1; i++)
        vals[i] = json_string_value(json_object_get(d, columns[i]));
    vals[NCOLUMNS - 1] = num;
    char *snip = NULL;
    if (e->snippets) {
        json_t *body = json_object_get(d, "body");
        snip = plain_snippet(e, json_string_value(body), json_string_length(body));
    }
    if (e->format == WS_EXPORT_JSONL) {
        json_t *o = json_object();
        for (size_t i = 0; i < NCOLUMNS - 1; i++)
            json_object_set_new(o, columns[i], vals[i] ? json_string(vals[i]) : json_null());
        json_object_set_new(o, "score", json_real(score));
        for (size_t i = 0; i < e->nfields; i++) {
            json_t *v = json_object_get(d, e->fields[i]);
            json_object_set(o, e->fields[i], v ? v : json_null());
        }
        if (e->snippets)
            json_object_set_new(o, "snippet", snip ? json_string(snip) : json_null());
        free(snip);
        return put_json_line(b, o);
    }
    for (size_t i = 0; i < NCOLUMNS; i++)
        put_value(e, b, vals[i], i == 0);
    for (size_t i = 0; i < e->nfields; i++) {
        json_t *v = json_object_get(d, e->fields[i]);
        char *dumped =
            v && !json_is_string(v) ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        put_value(e, b, dumped ? dumped : json_string_value(v), 0);
        free(dumped);
    }
    if (e->snippets)
        put_value(e, b, snip, 0);
    free(snip);
    end_line(e, b);
    return WS_OK;
}

/* Writes a row (row.h) with its score: what put_doc writes of the hit
 * the row was made from, without the hit's JSON to parse. */
static ws_status put_row(ws_export *e, ws_strbuf *b, const ws_row *r, double score)
{
    if (e->format == WS_EXPORT_JSONL) {
        json_t *o = json_object();
        for (size_t i = 0; i < WS_ROW_COLUMNS; i++)
            json_object_set_new(o, ws_row_columns[i],
                                r->v[i] ? json_stringn(r->v[i], r->len[i]) : json_null());
        json_object_set_new(o, "score", json_real(score));
        return put_json_line(b, o);
    }
    char num[32];
    ws_cell_put_row(b, r, e->format == WS_EXPORT_TSV);
    ws_strbuf_add(b, num, ws_cell_score(score, num));
    end_line(e, b);
    return WS_OK;
}

/* Writes match i's line from its hit (JSON), or from its document when
 * hit is NULL (none where it is gone). */
static ws_status put_read(ws_export *e, ws_strbuf *b, size_t i, const char *hit)
{
    char *data = NULL;
    ws_status st = WS_OK;
    if (hit && !(data = strdup(hit)))
        return WS_ENOMEM;
    if (!hit && (st = ws_db_data(ws__searcher_db(e->s), e->list.docid[i], &data)) != WS_OK)
        return st == WS_ENOTFOUND ? WS_OK : st;
    json_t *d = json_loads(data, 0, NULL);
    free(data);
    if (!d)
        return WS_ECORRUPT;
    st = put_doc(e, b, d, e->list.weight[i]);
    json_decref(d);
    return st;
}

/* Writes the lines of the matches from e->at on into b, up to a piece,
 * from the CSV cells the daemon's word cache keeps of their rows
 * (wordcache.h) when it holds every shard at the revision e reads: a line
 * is then a copy and a score, in the list's order, with nothing to read
 * or sort (making lines from the rows, in docid order on threads, was half
 * an export). Stops at a match without cells, which the caller writes as
 * it writes any; writes none without the cache. */
static ws_status lines_cached(ws_export *e, ws_strbuf *b)
{
    ws_db *db = ws__searcher_db(e->s);
    const ws_wordshard *shard[WS_CACHESWEEP_MAX_SHARDS];
    unsigned ns;
    if (!ws_cachesweep_hold(db, shard, &ns))
        return WS_OK;
    const unsigned *docid = e->list.docid;
    size_t n = e->list.n;
    for (size_t i = e->at; i < n && i < e->at + 16; i++)
        ws_wordshard_fetch_row(shard[ws_stub_shard(docid[i], ns)], docid[i], 0);
    while (e->at < n && b->len < WS_EXPORT_PIECE) {
        size_t i = e->at;
        /* the documents are far apart in memory: fetched ahead, where
         * each row is 16 matches on, its cells 8 on */
        if (i + 16 < n)
            ws_wordshard_fetch_row(shard[ws_stub_shard(docid[i + 16], ns)], docid[i + 16], 0);
        if (i + 8 < n)
            ws_wordshard_fetch_row(shard[ws_stub_shard(docid[i + 8], ns)], docid[i + 8], 1);
        const char *v;
        size_t len;
        if (ws_wordshard_csv(shard[ws_stub_shard(docid[i], ns)], docid[i], &v, &len) != WS_OK)
            break;
        char num[32];
        ws_strbuf_add(b, v, len);
        ws_strbuf_add(b, num, ws_cell_score(e->list.weight[i], num));
        ws_strbuf_add(b, "\r\n", 2);
        e->at++;
    }
    ws_cachesweep_release(db, shard, ns);
    return WS_OK;
}

static ws_status kwic_next(ws_export *e, ws_strbuf *b);

ws_status ws_export_next(ws_export *e, char **piece, size_t *len)
{
    *piece = NULL;
    *len = 0;
    ws_strbuf b = {0};
    ws_status st = WS_OK;
    if (e->kwic) {
        st = kwic_next(e, &b);
        if (st == WS_OK && b.failed)
            st = WS_ENOMEM;
        if (st != WS_OK || !b.len) {
            free(b.s);
            return st;
        }
        *piece = b.s;
        *len = b.len;
        return WS_OK;
    }
    /* a piece ends past WS_EXPORT_PIECE by its last line, about 200 bytes
     * without the body: grown by doubling, it copied itself 10 times */
    ws_strbuf_reserve(&b, WS_EXPORT_PIECE + 4096);
    if (!e->started) {
        put_header(e, &b);
        e->started = 1;
    }
    ws_db *db = ws__searcher_db(e->s);
    if (e->rows && e->format == WS_EXPORT_CSV)
        st = lines_cached(e, &b);
    while (st == WS_OK && e->at < e->list.n && b.len < WS_EXPORT_PIECE) {
        size_t i = e->at++;
        /* the body is most of a document: without it a row costs a tenth */
        int batched = e->bare || e->docs;
        if (batched && i >= e->from + e->nhits)
            st = read_hits(e, i);
        const struct line *l = batched && st == WS_OK ? &e->lines[i - e->from] : NULL;
        if (l && l->len)
            ws_strbuf_add(&b, e->text[l->t].s + l->off, l->len);
        else if (st == WS_OK)
            st = put_read(e, &b, i, batched ? e->hits[i - e->from] : NULL);
    }
    if (st == WS_OK && b.failed)
        st = WS_ENOMEM;
    if (st != WS_OK) {
        if (st == WS_EMODIFIED)
            ws__searcher_fail(e->s, "the index changed during the export (a writer overwrote the "
                                    "view it reads): export again");
        else
            ws__searcher_fail(e->s, "%s", ws_db_errmsg(db));
        free(b.s);
        return st;
    }
    if (!b.len) { /* the end (the room reserved above is not a piece) */
        free(b.s);
        return WS_OK;
    }
    *piece = b.s;
    *len = b.len;
    return WS_OK;
}

/* ---- concordance lines ---- */

static const char *const line_keys[] = {"id",   "title", "date",  "source",
                                        "type", "left",  "match", "right"};

static ws_status put_line(void *ctx, const ws_kwic_line *l)
{
    ws_export *e = ctx;
    const char *v[] = {l->id, l->title, l->date, l->source, l->type, l->left, l->match, l->right};
    if (e->format == WS_EXPORT_JSONL) {
        json_t *o = json_object();
        for (size_t i = 0; i < 8; i++)
            json_object_set_new(o, line_keys[i], v[i] ? json_string(v[i]) : json_null());
        e->kwic_lines++;
        return put_json_line(e->b, o);
    }
    for (size_t i = 0; i < 8; i++)
        put_value(e, e->b, v[i], i == 0);
    end_line(e, e->b);
    e->kwic_lines++;
    return WS_OK;
}

static ws_status discard(void *ctx, const ws_kwic_line *l)
{
    (void)ctx;
    (void)l;
    return WS_OK;
}

ws_status ws_export_kwic_open(ws_searcher *s, const ws_kwic_opts *o, ws_export_format format,
                              ws_export **out)
{
    *out = NULL;
    ws_export *e = calloc(1, sizeof *e);
    if (!e)
        return WS_ENOMEM;
    e->s = s;
    e->format = format;
    e->kwic = 1;
    e->k = *o;
    e->kwic_left = o->limit;
    e->kwic_limit = o->limit > 0;
    const char *src[5] = {o->s.query, o->s.source, o->s.type, o->s.from, o->s.to};
    const char **dst[5] = {&e->k.s.query, &e->k.s.source, &e->k.s.type, &e->k.s.from, &e->k.s.to};
    for (size_t i = 0; i < 5; i++)
        if (src[i] && !(*dst[i] = e->kstr[i] = strdup(src[i]))) {
            ws_export_free(e);
            return WS_ENOMEM;
        }
    if (o->cursor && strlen(o->cursor) >= sizeof e->cursor) {
        ws__searcher_fail(s, "the cursor is not one this server gave");
        ws_export_free(e);
        return WS_EINVAL;
    }
    snprintf(e->cursor, sizeof e->cursor, "%s", o->cursor ? o->cursor : "");
    ws_kwic_opts probe = e->k;
    ws_kwic_totals t;
    probe.limit = 1;
    probe.cursor = e->cursor;
    ws_status st = ws_concordance_run(s, &probe, discard, NULL, &t);
    if (st != WS_OK) {
        ws_export_free(e);
        return st;
    }
    *out = e;
    return WS_OK;
}

static ws_status kwic_next(ws_export *e, ws_strbuf *b)
{
    if (!e->started && e->format != WS_EXPORT_JSONL) {
        if (e->format == WS_EXPORT_CSV)
            ws_strbuf_str(b, "\xEF\xBB\xBF");
        for (size_t i = 0; i < 8; i++)
            put_value(e, b, line_keys[i], i == 0);
        end_line(e, b);
    }
    e->started = 1;
    if (e->kwic_done)
        return WS_OK;
    ws_kwic_totals t;
    e->b = b;
    e->k.limit = WS_EXPORT_KWIC_PAGE;
    if (e->kwic_limit && e->kwic_left < e->k.limit)
        e->k.limit = e->kwic_left;
    e->k.cursor = e->cursor;
    e->kwic_lines = 0;
    ws_status st = ws_concordance_run(e->s, &e->k, put_line, e, &t);
    if (st == WS_OK) {
        snprintf(e->cursor, sizeof e->cursor, "%s", t.next);
        e->kwic_done = !*t.next;
        if (e->kwic_limit) {
            e->kwic_left -= e->kwic_lines < e->kwic_left ? e->kwic_lines : e->kwic_left;
            e->kwic_done |= !e->kwic_left;
        }
    }
    return st;
}
