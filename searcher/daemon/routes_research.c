/* routes_research.c - the instruments for research over HTTP: GET
 * /concordance (JSON pages, or every line streamed as CSV, TSV or JSON
 * lines), GET /trend, GET /collocates, GET /export (streamed). Each takes the query and the filters
 * of /search (q, source, type, from, to) and answers from this thread's searcher. */
#include "routes_int.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collocates.h"
#include "concordance.h"
#include "export.h"
#include "strbuf.h"
#include "trend.h"
#include "date.h"
#include "document.h"
#include "query.h"

/* The query and filters of ps into o, checked as /search checks them: 0, or
 * -1 with res set to a 400. */
static int filter_opts(const ws__params *ps, ws_search_opts *o, ws_http_response *res)
{
    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < ps->n; i++)
        if (!strcmp(ps->key[i], "q") && strlen(ps->val[i]) > WS_QUERY_MAX_BYTES) {
            ws_http_response_error(res, 400, "the query is longer than %d bytes",
                                   WS_QUERY_MAX_BYTES);
            return -1;
        }
    o->query = ws__param(ps, "q");
    if (!o->query) {
        ws_http_response_error(res, 400, "missing parameter q (the query)");
        return -1;
    }
    const char *const names[] = {"source", "type", "from", "to"};
    const char *v[4];
    for (size_t i = 0; i < 4; i++) {
        v[i] = ws__param(ps, names[i]);
        if (v[i] && !*v[i])
            v[i] = NULL;
        if (v[i] && strlen(v[i]) > WS_DOC_MAX_FIELD) {
            ws_http_response_error(res, 400, "%s is longer than %u bytes", names[i],
                                   WS_DOC_MAX_FIELD);
            return -1;
        }
        if (i >= 2 && v[i] && !ws_date_bound_valid(v[i])) {
            ws_http_response_error(res, 400,
                                   "%s \"%.*s\" is not a date: use YYYY-MM-DD, YYYY-MM or "
                                   "YYYY, with a day the calendar has",
                                   names[i], (int)ws_utf8_clip(v[i], strlen(v[i]), 64), v[i]);
            return -1;
        }
    }
    o->source = v[0];
    o->type = v[1];
    o->from = v[2];
    o->to = v[3];
    return 0;
}

static const char *const kwic_params[] = {"q",     "source", "type", "from",   "to", "width",
                                          "limit", "cursor", "sort", "format", NULL};

/* ---- streamed answers: each has a searcher of its own, so that it reads
 * one view of the index from start to end whatever the thread's searcher
 * does meanwhile ---- */

static const char *const content_types[] = {"text/csv; charset=utf-8",
                                            "text/tab-separated-values; charset=utf-8",
                                            "application/x-ndjson; charset=utf-8"};
static const char *const extensions[] = {"csv", "tsv", "jsonl"};

typedef struct streamed {
    ws_searcher *s;
    ws_export *e;
    ws_export_format format;
    unsigned count_ms; /* each piece's time limit (ws_searcher_set_deadline) */
    ws_readgate *gate;
    ws_readgate_stream held; /* the writer's second commit waits for it */
    char disposition[640];   /* the header naming the file, res->extra */
} streamed;

/* A stream's state, its view held from the writer from now (before its
 * searcher opens the index: a commit between would go unseen), or NULL. */
static streamed *streamed_new(ws_routes *rt)
{
    streamed *x = calloc(1, sizeof *x);
    if (x) {
        x->gate = rt->gate;
        ws_readgate_stream_begin(x->gate, &x->held);
    }
    return x;
}

static void streamed_free(void *ctx)
{
    streamed *x = ctx;
    ws_export_free(x->e);
    ws_searcher_close(x->s);
    ws_readgate_stream_end(x->gate, &x->held);
    free(x);
}

static int export_piece(void *ctx, char **piece, size_t *len)
{
    streamed *x = ctx;
    ws_searcher_set_deadline(x->s, x->count_ms);
    ws_status st = ws_export_next(x->e, piece, len);
    ws_searcher_set_deadline(x->s, 0);
    if (st == WS_ETIMEOUT)
        fprintf(stderr,
                "wensuo-searchd: export cut short: a piece took longer than %u ms "
                "(--count-time-limit)\n",
                x->count_ms);
    else if (st != WS_OK)
        fprintf(stderr, "wensuo-searchd: export cut short: %s\n", ws_searcher_errmsg(x->s));
    return st != WS_OK;
}

/* A searcher of the answer's own, or NULL with res set to a 503. */
static ws_searcher *own_searcher(ws_routes *rt, ws_http_response *res)
{
    char err[512];
    ws_searcher *s = NULL;
    if (ws__searcher_open(rt, &s, err, sizeof err) != WS_OK) {
        ws_http_response_error(res, 503, "%s", err);
        return NULL;
    }
    return s;
}

/* x's Content-Disposition: the file named after the query, as the page
 * names its links' (common.js, exportName), which browsers put after the
 * header's own name: wensuo-碳达峰-hits.csv, percent-encoded (RFC 6266's
 * filename*), its first 40 characters, those no file system takes in a
 * name as _; a plain wensuo.csv first for a client that reads no other. */
static void name_file(streamed *x, const char *q, const char *what)
{
    const char *ext = extensions[x->format];
    char enc[40 * 12 + 1]; /* 40 characters, percent-encoded */
    size_t n = 0, chars = 0, len = q ? strlen(q) : 0;
    int gap = 0;
    for (size_t i = 0; i < len && chars < 40 && n + 12 < sizeof enc;) {
        size_t k = ws_utf8_seq((const unsigned char *)q + i, len - i);
        unsigned char c = (unsigned char)q[i];
        if (k == 1 && (c < 0x20 || strchr("\\/:*?\"<>| \t", c))) {
            if (!gap && n)
                enc[n++] = '_';
            gap = 1;
        } else {
            for (size_t j = 0; j < k; j++) {
                unsigned char b = (unsigned char)q[i + j];
                n += (size_t)snprintf(enc + n, sizeof enc - n,
                                      (b & 0x80) || !strchr("-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                            "abcdefghijklmnopqrstuvwxyz",
                                                            b)
                                          ? "%%%02X"
                                          : "%c",
                                      b);
            }
            gap = 0;
            chars++;
        }
        i += k;
    }
    while (n && enc[n - 1] == '_')
        n--;
    snprintf(x->disposition, sizeof x->disposition,
             "Content-Disposition: attachment; filename=\"wensuo.%s\"; "
             "filename*=UTF-8''wensuo-%.*s-%s.%s\r\n",
             ext, n ? (int)n : 6, n ? enc : "export", what, ext);
}

static void stream_answer(ws_http_response *res, streamed *x)
{
    ws_http_response_clear(res);
    res->status = 200;
    res->content_type = content_types[x->format];
    res->extra = x->disposition;
    res->stream = export_piece;
    res->stream_free = streamed_free;
    res->stream_ctx = x;
}

/* Every line of a concordance, streamed as CSV, TSV or JSON lines: the
 * query is checked first, so that an error is still a plain 400. */
static void stream_concordance(ws_routes *rt, const ws_kwic_opts *o, ws_export_format f,
                               ws_http_response *res)
{
    streamed *x = streamed_new(rt);
    if (!x) {
        ws_http_response_error(res, 503, "out of memory");
        return;
    }
    x->format = f;
    x->count_ms = rt->count_ms;
    if ((x->s = own_searcher(rt, res))) {
        ws_searcher_set_deadline(x->s, rt->count_ms);
        ws_status st = ws_export_kwic_open(x->s, o, f, &x->e);
        ws_searcher_set_deadline(x->s, 0);
        if (st == WS_OK) {
            name_file(x, o->s.query, "lines");
            stream_answer(res, x);
            return;
        }
        if (st == WS_EMODIFIED && o->cursor && *o->cursor)
            ws_http_response_error(res, 409, "%s", ws_searcher_errmsg(x->s));
        else
            ws__searcher_error(rt, res, x->s, st);
    }
    streamed_free(x);
}

void ws__serve_concordance(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    ws__params ps;
    if (ws__params_parse(call, kwic_params, NULL, &ps, res) != 0)
        return;
    ws_kwic_opts o;
    memset(&o, 0, sizeof o);
    const char *v;
    long n = 0;
    int bad = filter_opts(&ps, &o.s, res);
    if (!bad && (v = ws__param(&ps, "width")) && (n = ws__number(v, WS_KWIC_MAX_WIDTH)) < 1) {
        ws_http_response_error(res, 400,
                               "width must be a number from 1 to %d (characters on each side)",
                               WS_KWIC_MAX_WIDTH);
        bad = -1;
    }
    o.width = (unsigned)n;
    n = 0;
    if (!bad && (v = ws__param(&ps, "limit")) && (n = ws__number(v, WS_KWIC_MAX_LIMIT)) < 1) {
        ws_http_response_error(res, 400, "limit must be a number from 1 to %d (lines a page)",
                               WS_KWIC_MAX_LIMIT);
        bad = -1;
    }
    o.limit = (unsigned)n;
    if (!bad && (v = ws__param(&ps, "sort")) && *v && ws_kwic_sort_parse(v, &o.sort) != 0) {
        ws_http_response_error(res, 400, "sort must be date, date_asc, left, right or relevance");
        bad = -1;
    }
    o.cursor = ws__param(&ps, "cursor");
    ws_export_format format = WS_EXPORT_CSV;
    if (!bad && (v = ws__param(&ps, "format")) && *v && strcmp(v, "json") != 0) {
        if (ws_export_format_parse(v, &format) != 0) {
            ws_http_response_error(res, 400, "format must be json, csv, tsv or jsonl");
            bad = -1;
        } else if (!bad) {
            /* every line from the cursor on, or the first limit of them */
            stream_concordance(rt, &o, format, res);
            ws__params_free(&ps);
            return;
        }
    }
    /* the gate first: a view taken outside it may be overwritten while this
     * waits for a commit, and its first read then fails */
    if (!bad)
        ws_readgate_enter(rt->gate);
    ws_searcher *s = bad ? NULL : ws__this_searcher(rt, res);
    if (s) {
        json_t *j = NULL;
        ws_searcher_set_deadline(s, rt->count_ms);
        ws_status st = ws_concordance_json(s, &o, &j);
        int has_cursor = o.cursor && *o.cursor;
        if (st == WS_EMODIFIED && !has_cursor && ws_searcher_reopen(s) == WS_OK)
            st = ws_concordance_json(s, &o, &j);
        ws_searcher_set_deadline(s, 0);
        if (st == WS_OK)
            ws_http_response_json(res, 200, j);
        else if (st == WS_EMODIFIED && has_cursor)
            ws_http_response_error(res, 409, "%s", ws_searcher_errmsg(s));
        else
            ws__searcher_error(rt, res, s, st);
    }
    if (!bad)
        ws_readgate_leave(rt->gate);
    ws__params_free(&ps);
}

static const char *const trend_params[] = {"q", "by", "source", "type", "from", "to", NULL};
static const char *const trend_many[] = {"q", NULL}; /* queries side by side */

void ws__serve_trend(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    ws__params ps;
    if (ws__params_parse(call, trend_params, trend_many, &ps, res) != 0)
        return;
    ws_trend_opts o;
    memset(&o, 0, sizeof o);
    const char *queries[WS_ROUTES_MAX_PARAMS];
    int bad = filter_opts(&ps, &o.s, res);
    for (size_t i = 0; !bad && i < ps.n; i++)
        if (!strcmp(ps.key[i], "q"))
            queries[o.nqueries++] = ps.val[i];
    o.queries = queries;
    if (!bad && o.nqueries > WS_TREND_MAX_QUERIES) {
        ws_http_response_error(res, 400, "at most %d queries (q=) side by side, not %zu",
                               WS_TREND_MAX_QUERIES, o.nqueries);
        bad = -1;
    }
    const char *v = ws__param(&ps, "by");
    if (!bad && v && *v && ws_trend_by_parse(v, &o.by) != 0) {
        ws_http_response_error(res, 400, "by must be year, quarter, month, source or type");
        bad = -1;
    }
    /* the gate first: a view taken outside it may be overwritten while this
     * waits for a commit, and its first read then fails */
    if (!bad)
        ws_readgate_enter(rt->gate);
    ws_searcher *s = bad ? NULL : ws__this_searcher(rt, res);
    if (s) {
        json_t *j = NULL;
        ws_searcher_set_deadline(s, rt->count_ms);
        ws_status st = ws_trend_json(s, &o, &j);
        if (st == WS_EMODIFIED && ws_searcher_reopen(s) == WS_OK)
            st = ws_trend_json(s, &o, &j);
        ws_searcher_set_deadline(s, 0);
        if (st == WS_OK)
            ws_http_response_json(res, 200, j);
        else
            ws__searcher_error(rt, res, s, st);
    }
    if (!bad)
        ws_readgate_leave(rt->gate);
    ws__params_free(&ps);
}

static const char *const coll_params[] = {"q",      "source", "type",      "from", "to",
                                          "window", "limit",  "min_count", NULL};

void ws__serve_collocates(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    ws__params ps;
    if (ws__params_parse(call, coll_params, NULL, &ps, res) != 0)
        return;
    ws_coll_opts o;
    memset(&o, 0, sizeof o);
    const char *v;
    long n = 0;
    int bad = filter_opts(&ps, &o.s, res);
    if (!bad && (v = ws__param(&ps, "window")) && (n = ws__number(v, WS_COLL_MAX_WINDOW)) < 1) {
        ws_http_response_error(res, 400,
                               "window must be a number from 1 to %d (words on each side)",
                               WS_COLL_MAX_WINDOW);
        bad = -1;
    }
    o.window = (unsigned)n;
    n = 0;
    if (!bad && (v = ws__param(&ps, "limit")) && (n = ws__number(v, WS_COLL_MAX_LIMIT)) < 1) {
        ws_http_response_error(res, 400, "limit must be a number from 1 to %d (collocates listed)",
                               WS_COLL_MAX_LIMIT);
        bad = -1;
    }
    o.limit = (unsigned)n;
    n = 0;
    if (!bad && (v = ws__param(&ps, "min_count")) &&
        (n = ws__number(v, WS_COLL_MAX_OCCURRENCES)) < 1) {
        ws_http_response_error(res, 400, "min_count must be a number from 1 to %d",
                               WS_COLL_MAX_OCCURRENCES);
        bad = -1;
    }
    o.min_count = (unsigned long)n;
    /* the gate first: a view taken outside it may be overwritten while this
     * waits for a commit, and its first read then fails */
    if (!bad)
        ws_readgate_enter(rt->gate);
    ws_searcher *s = bad ? NULL : ws__this_searcher(rt, res);
    if (s) {
        json_t *j = NULL;
        ws_searcher_set_deadline(s, rt->count_ms);
        ws_status st = ws_collocates_json(s, &o, &j);
        if (st == WS_EMODIFIED && ws_searcher_reopen(s) == WS_OK)
            st = ws_collocates_json(s, &o, &j);
        ws_searcher_set_deadline(s, 0);
        if (st == WS_OK)
            ws_http_response_json(res, 200, j);
        else
            ws__searcher_error(rt, res, s, st);
    }
    if (!bad)
        ws_readgate_leave(rt->gate);
    ws__params_free(&ps);
}

static const char *const export_params[] = {"q",      "source", "type",     "from", "to",
                                            "format", "fields", "snippets", "sort", NULL};

void ws__serve_export(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    ws__params ps;
    if (ws__params_parse(call, export_params, NULL, &ps, res) != 0)
        return;
    ws_export_opts o;
    memset(&o, 0, sizeof o);
    int bad = filter_opts(&ps, &o.s, res);
    const char *v = ws__param(&ps, "format");
    if (!bad && (!v || ws_export_format_parse(v, &o.format) != 0)) {
        ws_http_response_error(res, 400, "format must be csv, tsv or jsonl");
        bad = -1;
    }
    if (!bad && (v = ws__param(&ps, "sort")) && *v && strcmp(v, "relevance") != 0) {
        if (strcmp(v, "date") == 0 || strcmp(v, "date_asc") == 0) {
            o.s.sort = WS_SORT_DATE;
            o.oldest_first = v[4] == '_';
        } else {
            ws_http_response_error(res, 400, "sort must be relevance, date or date_asc");
            bad = -1;
        }
    }
    if (!bad && (v = ws__param(&ps, "snippets"))) {
        if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
            ws_http_response_error(res, 400, "snippets must be 0 or 1");
            bad = -1;
        }
        o.snippets = v[0] == '1';
    }
    /* fields=a,b,c: split in a copy */
    char *fields = NULL;
    const char *names[WS_EXPORT_MAX_FIELDS + 1];
    size_t nf = 0;
    if (!bad && (v = ws__param(&ps, "fields")) && *v && (fields = strdup(v))) {
        for (char *save = NULL, *f = strtok_r(fields, ",", &save); f && !bad;
             f = strtok_r(NULL, ",", &save)) {
            if (nf == WS_EXPORT_MAX_FIELDS) {
                ws_http_response_error(res, 400,
                                       "fields lists more than %d names (WS_EXPORT_MAX_FIELDS)",
                                       WS_EXPORT_MAX_FIELDS);
                bad = -1;
                break;
            }
            names[nf++] = f;
        }
    }
    names[nf] = NULL;
    o.fields = names;
    streamed *x = bad ? NULL : streamed_new(rt);
    if (!bad && !x)
        ws_http_response_error(res, 503, "out of memory");
    if (x && (x->s = own_searcher(rt, res))) {
        x->format = o.format;
        x->count_ms = rt->count_ms;
        ws_searcher_set_deadline(x->s, rt->count_ms);
        ws_status st = ws_export_open(x->s, &o, &x->e);
        ws_searcher_set_deadline(x->s, 0);
        if (st == WS_OK) {
            name_file(x, o.s.query, "hits");
            stream_answer(res, x);
            x = NULL;
        } else {
            ws__searcher_error(rt, res, x->s, st);
        }
    }
    if (x)
        streamed_free(x);
    free(fields);
    ws__params_free(&ps);
}
