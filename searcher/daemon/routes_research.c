/* routes_research.c - the instruments for research over HTTP: GET
 * /concordance, GET /trend. Each takes the query and the filters of /search (q, source,
 * type, from, to) and answers from this thread's searcher. */
#include "routes_int.h"

#include <stdio.h>
#include <string.h>

#include "concordance.h"
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
                                   "from and to must be dates: YYYY, YYYY-MM or YYYY-MM-DD");
            return -1;
        }
    }
    o->source = v[0];
    o->type = v[1];
    o->from = v[2];
    o->to = v[3];
    return 0;
}

static const char *const kwic_params[] = {"q",     "source", "type",   "from", "to",
                                          "width", "limit",  "cursor", "sort", NULL};

void ws__serve_concordance(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    ws__params ps;
    if (ws__params_parse(call, kwic_params, &ps, res) != 0)
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
    ws_searcher *s = bad ? NULL : ws__this_searcher(rt, res);
    if (s) {
        json_t *j = NULL;
        ws_status st = ws_concordance_json(s, &o, &j);
        int has_cursor = o.cursor && *o.cursor;
        if (st == WS_EMODIFIED && !has_cursor && ws_searcher_reopen(s) == WS_OK)
            st = ws_concordance_json(s, &o, &j);
        if (st == WS_OK)
            ws_http_response_json(res, 200, j);
        else if (st == WS_EMODIFIED && has_cursor)
            ws_http_response_error(res, 409, "%s", ws_searcher_errmsg(s));
        else
            ws__searcher_error(rt, res, s, st);
    }
    ws__params_free(&ps);
}

static const char *const trend_params[] = {"q", "by", "source", "type", "from", "to", NULL};

void ws__serve_trend(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    ws__params ps;
    if (ws__params_parse(call, trend_params, &ps, res) != 0)
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
    ws_searcher *s = bad ? NULL : ws__this_searcher(rt, res);
    if (s) {
        json_t *j = NULL;
        ws_status st = ws_trend_json(s, &o, &j);
        if (st == WS_EMODIFIED && ws_searcher_reopen(s) == WS_OK)
            st = ws_trend_json(s, &o, &j);
        if (st == WS_OK)
            ws_http_response_json(res, 200, j);
        else
            ws__searcher_error(rt, res, s, st);
    }
    ws__params_free(&ps);
}
