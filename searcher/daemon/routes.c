/* routes.c - the route table and the read endpoints of the daemon. */
#include "routes_int.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "analyzer.h"
#include "asset.h"
#include "document.h"
#include "explain.h"
#include "reading.h"
#include "search.h"
#include "wordcache.h"

/* ---- the route table ---- */

static void serve_asset(ws_routes *rt, ws_route_call *call, ws_http_response *res);
static void serve_health(ws_routes *rt, ws_route_call *call, ws_http_response *res);
static void serve_search(ws_routes *rt, ws_route_call *call, ws_http_response *res);
static void serve_document(ws_routes *rt, ws_route_call *call, ws_http_response *res);
static void serve_analyze(ws_routes *rt, ws_route_call *call, ws_http_response *res);
static void serve_stats(ws_routes *rt, ws_route_call *call, ws_http_response *res);
/* the instruments for research: routes_research.c */

static const ws_route routes[] = {
    {"GET", "/", 0, serve_asset},
    {"GET", "/static/", WS_ROUTE_PREFIX, serve_asset},
    {"GET", "/health", 0, serve_health},
    {"GET", "/search", WS_ROUTE_WORKER, serve_search},
    {"GET", "/documents/", WS_ROUTE_PREFIX | WS_ROUTE_WORKER | WS_ROUTE_LARGE, serve_document},
    {"GET", "/analyze", WS_ROUTE_WORKER, serve_analyze},
    {"GET", "/stats", WS_ROUTE_WORKER, serve_stats},
    {"GET", "/concordance", WS_ROUTE_WORKER | WS_ROUTE_HEAVY, ws__serve_concordance},
    {"GET", "/trend", WS_ROUTE_WORKER | WS_ROUTE_HEAVY, ws__serve_trend},
    {"GET", "/collocates", WS_ROUTE_WORKER | WS_ROUTE_HEAVY, ws__serve_collocates},
    {"GET", "/export", WS_ROUTE_WORKER | WS_ROUTE_HEAVY, ws__serve_export},
    {"POST", "/documents", WS_ROUTE_WORKER | WS_ROUTE_WRITE, ws__serve_post},
    {"DELETE", "/documents/", WS_ROUTE_PREFIX | WS_ROUTE_WORKER | WS_ROUTE_WRITE, ws__serve_delete},
};
#define NROUTES (sizeof routes / sizeof routes[0])

static int path_matches(const ws_route *r, const char *path)
{
    if (r->flags & WS_ROUTE_PREFIX)
        return strncmp(path, r->path, strlen(r->path)) == 0;
    return strcmp(path, r->path) == 0;
}

const ws_route *ws_routes_match(ws_routes *rt, const ws_http_request *req, ws_route_call *call,
                                ws_http_response *res)
{
    atomic_fetch_add(&rt->requests, 1);
    call->req = req;
    call->tail = NULL;
    ws_status st = ws_http_request_target(req, &call->path, &call->query, &call->query_len);
    if (st != WS_OK) {
        ws_http_response_error(res, st == WS_ENOMEM ? 503 : 400,
                               "the request target is not a "
                               "valid URL");
        return NULL;
    }
    const char *method = http_method_str(req->method == HTTP_HEAD ? HTTP_GET : req->method);
    size_t allow_len = 0;
    res->allow[0] = '\0';
    for (size_t i = 0; i < NROUTES; i++) {
        const ws_route *r = &routes[i];
        if (!path_matches(r, call->path))
            continue;
        if (strcmp(r->method, method) == 0) {
            if (r->flags & WS_ROUTE_PREFIX)
                call->tail = call->path + strlen(r->path);
            res->allow[0] = '\0'; /* (the methods of the routes passed: a 405's alone) */
            return r;
        }
        int n = snprintf(res->allow + allow_len, sizeof res->allow - allow_len, "%s%s",
                         allow_len ? ", " : "", r->method);
        if (n > 0 && (size_t)n < sizeof res->allow - allow_len)
            allow_len += (size_t)n;
        if (strcmp(r->method, "GET") == 0 && allow_len + 6 < sizeof res->allow)
            allow_len +=
                (size_t)snprintf(res->allow + allow_len, sizeof res->allow - allow_len, ", HEAD");
    }
    if (allow_len) {
        ws_http_response_error(res, 405, "%s is not allowed on %s (allowed: %s)", method,
                               call->path, res->allow);
        return NULL;
    }
    ws_http_response_error(res, 404, "no such endpoint: %s (try /search?q=...)", call->path);
    return NULL;
}

int ws_routes_admit(ws_routes *rt, const ws_http_request *req, const char **msg)
{
    char *path;
    const char *query;
    size_t query_len;
    if (ws_http_request_target(req, &path, &query, &query_len) != WS_OK)
        return 0; /* ws_routes_match answers it */
    int status = 0;
    const char *method = http_method_str(req->method);
    for (size_t i = 0; i < NROUTES; i++) {
        const ws_route *r = &routes[i];
        if (path_matches(r, path) && strcmp(r->method, method) == 0) {
            if (r->flags & WS_ROUTE_WRITE)
                status =
                    ws__write_refusal(rt, req, query_len != 0, !(r->flags & WS_ROUTE_PREFIX), msg);
            break;
        }
    }
    free(path);
    return status;
}

void ws_route_call_clear(ws_route_call *call)
{
    free(call->path);
    memset(call, 0, sizeof *call);
}

/* ---- the threads' searchers ---- */

static ws__worker *this_worker(ws_routes *rt, ws_http_response *res)
{
    ws__worker *w = uv_key_get(&rt->key);
    if (w)
        return w;
    if (!(w = calloc(1, sizeof *w))) {
        ws_http_response_error(res, 503, "out of memory");
        return NULL;
    }
    uv_mutex_lock(&rt->lock);
    w->next = rt->workers;
    rt->workers = w;
    uv_mutex_unlock(&rt->lock);
    uv_key_set(&rt->key, w);
    return w;
}

/* The writer's generation: the number of its commits so far. */
static uint64_t writer_generation(ws_routes *rt)
{
    ws_writer *wr = atomic_load(&rt->writer);
    return wr ? ws_writer_generation(wr) : 0;
}

/* This thread's searcher, opened or brought up to date; NULL with res set
 * when the index cannot be opened. It is reopened when older than
 * reopen_ns (commits by other processes) or when the daemon's writer has
 * committed since the last reopen (read-your-writes: the generation is
 * read before the reopen, so the reopen sees at least that commit). */
ws_status ws__searcher_open(ws_routes *rt, ws_searcher **out, char *err, size_t errlen)
{
    /* the open reads the index's metadata too, and a writer committing
     * every few documents can discard the revision it opened meanwhile */
    ws_status st = ws_searcher_open(rt->db, rt->lex, rt->synonyms, out, err, errlen);
    for (int tries = 0; st == WS_EMODIFIED && tries < WS_ROUTES_RETRIES; tries++)
        st = ws_searcher_open(rt->db, rt->lex, rt->synonyms, out, err, errlen);
    if (st == WS_OK)
        ws_searcher_set_words(*out, rt->words);
    return st;
}

static ws_searcher *this_searcher(ws_routes *rt, ws_http_response *res)
{
    ws__worker *w = this_worker(rt, res);
    if (!w)
        return NULL;
    uint64_t now = uv_hrtime();
    uint64_t gen = writer_generation(rt);
    if (w->s && (now - w->reopened_ns >= rt->reopen_ns || gen != w->generation)) {
        w->reopened_ns = now;
        w->generation = gen;
        if (ws_searcher_reopen(w->s) != WS_OK) { /* start afresh below */
            ws_searcher_close(w->s);
            w->s = NULL;
        }
    }
    if (!w->s) {
        char err[512];
        if (ws__searcher_open(rt, &w->s, err, sizeof err) != WS_OK) {
            w->s = NULL;
            ws_http_response_error(res, 503, "%s", err);
            return NULL;
        }
        w->reopened_ns = now;
        w->generation = gen;
    }
    return w->s;
}

static ws_analyzer *this_analyzer(ws_routes *rt, ws_http_response *res)
{
    ws__worker *w = this_worker(rt, res);
    if (!w)
        return NULL;
    if (!w->a && ws_analyzer_new(rt->lex, &w->a) != WS_OK) {
        w->a = NULL;
        ws_http_response_error(res, 503, "cannot create an analyzer");
        return NULL;
    }
    return w->a;
}

/* The HTTP answer to a failed search call. After a failure of the index
 * rather than of the request, this thread's searcher is dropped, so that the
 * next request opens the index afresh (it may have been replaced). */
static void searcher_error(ws_routes *rt, ws_http_response *res, ws_searcher *s, ws_status st)
{
    int code;
    switch (st) {
    case WS_EINVAL:
    case WS_EQUERY:
    case WS_ETOOBIG:
    case WS_EENCODING:
        code = 400;
        break;
    case WS_ENOTFOUND:
        code = 404;
        break;
    case WS_ENOMEM:
    case WS_EMODIFIED:
    case WS_ELOCKED:
        code = 503;
        break;
    case WS_ETIMEOUT: /* the request's weight, not the index's fault */
        ws_http_response_error(res, 503,
                               "the count took longer than this daemon's limit of %u ms "
                               "(--count-time-limit): ask a narrower query (fewer "
                               "alternatives, a filter by source, type or date)",
                               rt->count_ms);
        return;
    default:
        code = 500;
        break;
    }
    const char *msg = ws_searcher_errmsg(s);
    ws_http_response_error(res, code, "%s", msg && *msg ? msg : ws_status_to_string(st));
    ws__worker *w = uv_key_get(&rt->key);
    if (code >= 500 && w && w->s == s) {
        ws_searcher_close(s);
        w->s = NULL;
    }
}

/* ---- query-string parameters ---- */

typedef ws__params params;

static void params_free(params *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->key[i]);
        free(ps->val[i]);
    }
    ps->n = 0;
}

static char *decode(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    size_t n;
    if (out && (ws_http_url_decode(s, len, 1, out, &n) != WS_OK || !ws_http_utf8_valid(out, n))) {
        free(out);
        return NULL;
    }
    return out;
}

/* Whether key is one of names (a NULL-terminated list, or NULL). */
static int listed(const char *const *names, const char *key)
{
    for (size_t i = 0; names && names[i]; i++)
        if (strcmp(names[i], key) == 0)
            return 1;
    return 0;
}

/* Splits the query string of call into ps, accepting only the names of
 * known (a NULL-terminated list), each once but those of many (NULL:
 * none): a parameter given twice would otherwise be answered by one of
 * its values, silently. 0, or -1 with res set to a 400. */
static int params_parse(const ws_route_call *call, const char *const *known,
                        const char *const *many, params *ps, ws_http_response *res)
{
    ps->n = 0;
    const char *p = call->query, *end = call->query ? call->query + call->query_len : NULL;
    while (p && p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if (stop > p) {
            const char *eq = memchr(p, '=', (size_t)(stop - p));
            const char *kend = eq ? eq : stop;
            if (ps->n == WS_ROUTES_MAX_PARAMS) {
                ws_http_response_error(res, 400, "more than %d parameters", WS_ROUTES_MAX_PARAMS);
                params_free(ps);
                return -1;
            }
            char *k = decode(p, (size_t)(kend - p));
            char *v = eq ? decode(eq + 1, (size_t)(stop - eq - 1)) : strdup("");
            if (!k || !v) {
                free(k);
                free(v);
                /* (NUL is UTF-8, but no C string of a parameter holds it) */
                ws_http_response_error(res, 400,
                                       memmem(p, (size_t)(stop - p), "%00", 3)
                                           ? "a parameter holds %%00 (NUL), which none may"
                                           : "a parameter is not valid percent-encoded UTF-8");
                params_free(ps);
                return -1;
            }
            ps->key[ps->n] = k;
            ps->val[ps->n++] = v;
            if (!listed(known, k)) {
                ws_http_response_error(res, 400, "unknown parameter '%.64s'", k);
                params_free(ps);
                return -1;
            }
            for (size_t i = 0; i + 1 < ps->n && !listed(many, k); i++)
                if (strcmp(ps->key[i], k) == 0) {
                    ws_http_response_error(res, 400, "parameter '%.64s' given twice", k);
                    params_free(ps);
                    return -1;
                }
        }
        p = stop + 1;
    }
    return 0;
}

/* The value of the parameter named key (the last of those of many), or NULL. */
static const char *param(const params *ps, const char *key)
{
    for (size_t i = ps->n; i-- > 0;)
        if (strcmp(ps->key[i], key) == 0)
            return ps->val[i];
    return NULL;
}

/* Parses a decimal number up to max; -1 when it is not one. */
static long number(const char *s, long max)
{
    long v = 0;
    if (!s || !*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > max)
            return -1;
    }
    return v;
}

/* ---- the handlers ---- */

static double ms_since(uint64_t ns)
{
    return (double)(uv_hrtime() - ns) / 1e6;
}

static const char *const search_params[] = {"q",    "limit", "offset", "sort",     "source", "type",
                                            "from", "to",    "facets", "snippets", NULL};

/* Fills opts from ps; 0, or -1 with res set to a 400. */
static int search_opts(const params *ps, ws_search_opts *opts, ws_http_response *res)
{
    memset(opts, 0, sizeof *opts);
    opts->query = param(ps, "q");
    if (!opts->query) {
        ws_http_response_error(res, 400, "missing parameter q (the query)");
        return -1;
    }
    if (strlen(opts->query) > WS_QUERY_MAX_BYTES) {
        ws_http_response_error(res, 400, "the query is longer than %d bytes", WS_QUERY_MAX_BYTES);
        return -1;
    }
    const char *s;
    long limit = 10, offset = 0;
    if ((s = param(ps, "limit")) && (limit = number(s, WS_SEARCH_MAX_LIMIT)) < 1) {
        ws_http_response_error(res, 400, "limit must be a number from 1 to %d",
                               WS_SEARCH_MAX_LIMIT);
        return -1;
    }
    if ((s = param(ps, "offset")) && (offset = number(s, WS_SEARCH_MAX_WINDOW)) < 0) {
        ws_http_response_error(res, 400, "offset must be a number from 0 to %d",
                               WS_SEARCH_MAX_WINDOW);
        return -1;
    }
    if (offset + limit > WS_SEARCH_MAX_WINDOW) {
        ws_http_response_error(res, 400, "offset + limit must not pass %d", WS_SEARCH_MAX_WINDOW);
        return -1;
    }
    opts->limit = (unsigned)limit;
    opts->offset = (unsigned)offset;
    char err[256];
    if ((s = param(ps, "sort")) && *s && ws_search_sort_parse(s, &opts->sort, err, sizeof err)) {
        ws_http_response_error(res, 400, "%s", err);
        return -1;
    }
    const char *const fields[] = {"source", "type"};
    for (size_t i = 0; i < 2; i++) {
        s = param(ps, fields[i]);
        if (s && strlen(s) > WS_DOC_MAX_FIELD) {
            ws_http_response_error(res, 400, "%s is longer than %u bytes", fields[i],
                                   WS_DOC_MAX_FIELD);
            return -1;
        }
    }
    opts->source = (s = param(ps, "source")) && *s ? s : NULL;
    opts->type = (s = param(ps, "type")) && *s ? s : NULL;
    opts->from = (s = param(ps, "from")) && *s ? s : NULL;
    opts->to = (s = param(ps, "to")) && *s ? s : NULL;
    /* from and to are checked by the search itself, in the words of the
     * local search */
    if ((s = param(ps, "facets")) && ws_search_facets_parse(s, &opts->facets, err, sizeof err)) {
        ws_http_response_error(res, 400, "%s", err);
        return -1;
    }
    if ((s = param(ps, "snippets"))) {
        if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0) {
            ws_http_response_error(res, 400, "snippets must be 0 or 1");
            return -1;
        }
        opts->no_snippets = s[0] == '0';
    }
    return 0;
}

static void serve_search(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    params ps;
    ws_search_opts opts;
    if (params_parse(call, search_params, NULL, &ps, res) != 0)
        return;
    if (search_opts(&ps, &opts, res) != 0) {
        params_free(&ps);
        return;
    }
    opts.time_limit = rt->query_ms / 1000.0;
    ws_searcher *s = this_searcher(rt, res);
    ws_results *r = NULL;
    ws_status st = s ? ws_searcher_run(s, &opts, &r) : WS_OK;
    /* a writer committing every few documents can overwrite a slow
     * reader's view twice in one search (Xapian keeps two revisions): a
     * few tries on the newest view, before a 503 says to ask again */
    for (int tries = 0;
         s && st == WS_EMODIFIED && tries < WS_ROUTES_RETRIES && ws_searcher_reopen(s) == WS_OK;
         tries++)
        st = ws_searcher_run(s, &opts, &r);
    params_free(&ps);
    if (!s)
        return;
    if (st != WS_OK) {
        searcher_error(rt, res, s, st);
        return;
    }
    ws_http_response_json(res, 200, ws_results_to_json(r, "<b>", "</b>"));
    ws_results_free(r);
    if (res->status != 200)
        return;
    /* took_ms goes in as text: through a JSON double 12.22 would print as
     * 12.220000000000001, and the rest stays byte for byte the local JSON. */
    char *b = realloc(res->body, res->body_len + 32);
    if (b && res->body_len > 2 && b[res->body_len - 1] == '}') {
        res->body = b;
        res->body_len = res->body_len - 1 +
                        (size_t)snprintf(b + res->body_len - 1, 33, ",\"took_ms\":%.3f}",
                                         ms_since(call->received_ns));
    } else if (b) {
        res->body = b;
    }
    atomic_fetch_add(&rt->queries, 1);
}

static const char *const no_params[] = {NULL};

/* GET /documents/{id}[?q=QUERY]: with a query, where its terms stand
 * (reading.h). */
static const char *const document_params[] = {"q", NULL};

static void serve_document(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    params ps;
    if (params_parse(call, document_params, NULL, &ps, res) != 0)
        return;
    const char *id = call->tail;
    const char *q = param(&ps, "q");
    ws_searcher *s = NULL;
    if (!id || !*id)
        ws_http_response_error(res, 400, "missing document id: /documents/{id}");
    else if (!ws_http_utf8_valid(id, strlen(id)))
        ws_http_response_error(res, 400, "the document id is not valid UTF-8");
    else if (q && strlen(q) > WS_QUERY_MAX_BYTES)
        ws_http_response_error(res, 400, "the query is longer than %d bytes", WS_QUERY_MAX_BYTES);
    else
        s = this_searcher(rt, res);
    /* without q the stored text is the answer as it is: a document of 8 MiB
     * is one copy of it, not a parsed tree and a new text made from it */
    int reading = q && *q;
    json_t *doc = NULL;
    char *text = NULL;
    size_t len = 0;
    ws_status st = !s        ? WS_OK
                   : reading ? ws_reading_json(s, id, q, &doc)
                             : ws_searcher_get_text(s, id, &text, &len);
    if (s && st == WS_EMODIFIED && ws_searcher_reopen(s) == WS_OK)
        st = reading ? ws_reading_json(s, id, q, &doc) : ws_searcher_get_text(s, id, &text, &len);
    if (s && st == WS_ENOTFOUND) {
        ws_http_response_error(res, 404, "no document with id %s", id);
    } else if (s && st != WS_OK) {
        searcher_error(rt, res, s, st);
    } else if (s && reading) {
        ws_http_response_json(res, 200, doc);
    } else if (s) {
        ws_http_response_clear(res);
        res->status = 200;
        res->body = text;
        res->body_len = len;
    }
    params_free(&ps);
}

static const char *const analyze_params[] = {"text", NULL};

static void serve_analyze(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    params ps;
    if (params_parse(call, analyze_params, NULL, &ps, res) != 0)
        return;
    const char *text = param(&ps, "text");
    ws_analyzer *a = text ? this_analyzer(rt, res) : NULL;
    if (!text)
        ws_http_response_error(res, 400, "missing parameter text");
    if (a) {
        json_t *out = NULL;
        ws_status st = ws_explain_json(a, text, strlen(text), &out);
        if (st == WS_OK)
            ws_http_response_json(res, 200, out);
        else
            ws_http_response_error(res, st == WS_ENOMEM ? 503 : 400, "cannot analyze: %s",
                                   ws_status_to_string(st));
    }
    params_free(&ps);
}

static void serve_stats(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    params ps;
    if (params_parse(call, no_params, NULL, &ps, res) != 0)
        return;
    ws_searcher *s = this_searcher(rt, res);
    if (!s)
        return;
    json_t *j = NULL;
    ws_status st = ws_searcher_stats(s, &j);
    if (st != WS_OK) {
        searcher_error(rt, res, s, st);
        return;
    }
    json_object_set_new(j, "uptime_s",
                        json_integer((json_int_t)((uv_hrtime() - rt->started_ns) / 1000000000u)));
    json_object_set_new(j, "queries", json_integer((json_int_t)atomic_load(&rt->queries)));
    json_object_set_new(j, "requests", json_integer((json_int_t)atomic_load(&rt->requests)));
    json_object_set_new(j, "connections", json_integer(atomic_load(&rt->connections)));
    json_object_set_new(j, "threads", json_integer(rt->threads));
    json_object_set_new(j, "writable", json_boolean(atomic_load(&rt->writer) != NULL));
    json_object_set_new(j, "generation", json_integer((json_int_t)writer_generation(rt)));
    /* the writer's counts, so that the drop folder's documents are in them */
    uint64_t added = 0, deleted = 0;
    ws_writer *wr = atomic_load(&rt->writer);
    if (wr)
        ws_writer_changes(wr, &added, &deleted);
    json_object_set_new(j, "added", json_integer((json_int_t)added));
    json_object_set_new(j, "deleted", json_integer((json_int_t)deleted));
    ws_wordcache_stats wcs = {0};
    if (rt->words)
        ws_wordcache_stat(rt->words, &wcs);
    json_object_set_new(j, "word_cache",
                        rt->words
                            ? json_pack("{s:I, s:I, s:I, s:I}", "shards", (json_int_t)wcs.shards,
                                        "documents", (json_int_t)wcs.documents, "words",
                                        (json_int_t)wcs.words, "bytes", (json_int_t)wcs.bytes)
                            : json_null());
    ws_http_response_json(res, 200, j);
}

static void serve_health(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    (void)rt;
    params ps;
    /* (as every route: an unknown parameter is an error) */
    if (params_parse(call, no_params, NULL, &ps, res) != 0)
        return;
    params_free(&ps);
    ws_http_response_json(res, 200, json_pack("{s:s}", "status", "ok"));
}

/* The search page's files (asset.h), answered from the daemon's memory; a
 * browser that holds the current version gets a 304. */
static void serve_asset(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    (void)rt;
    const ws_asset *a = ws_asset_find(call->path);
    if (!a) {
        ws_http_response_error(res, 404, "no such file: %s", call->path);
        return;
    }
    ws_http_response_clear(res);
    res->extra = a->headers;
    res->content_type = a->content_type;
    if (ws_asset_unchanged(a, ws_http_request_header(call->req, "If-None-Match"))) {
        res->status = 304;
        return;
    }
    if (!(res->body = malloc(a->len))) {
        ws_http_response_error(res, 503, "out of memory");
        return;
    }
    memcpy(res->body, a->data, a->len);
    res->body_len = a->len;
    res->status = 200;
    res->content_type = a->content_type;
}

/* ---- for the other route files (routes_int.h) ---- */

ws_searcher *ws__this_searcher(ws_routes *rt, ws_http_response *res)
{
    return this_searcher(rt, res);
}

void ws__searcher_error(ws_routes *rt, ws_http_response *res, ws_searcher *s, ws_status st)
{
    searcher_error(rt, res, s, st);
}

int ws__params_parse(const ws_route_call *call, const char *const *known, const char *const *many,
                     ws__params *ps, ws_http_response *res)
{
    return params_parse(call, known, many, ps, res);
}

void ws__params_free(ws__params *ps)
{
    params_free(ps);
}

const char *ws__param(const ws__params *ps, const char *key)
{
    return param(ps, key);
}

long ws__number(const char *s, long max)
{
    return number(s, max);
}

/* ---- life cycle ---- */

void ws_routes_run(ws_routes *rt, const ws_route *route, ws_route_call *call, ws_http_response *res)
{
    call->deferred = 0;
    if (rt->delay_ms && (route->flags & WS_ROUTE_WORKER))
        uv_sleep(rt->delay_ms);
    route->handler(rt, call, res);
}

void ws_routes_set_connections(ws_routes *rt, unsigned n)
{
    atomic_store(&rt->connections, n);
}

void ws_routes_set_writer(ws_routes *rt, ws_writer *w, const char *why_not)
{
    uv_mutex_lock(&rt->lock);
    if (!w)
        snprintf(rt->why_not, sizeof rt->why_not, "%s", why_not ? why_not : "no writer");
    uv_mutex_unlock(&rt->lock);
    atomic_store(&rt->writer, w);
}

ws_status ws_routes_new(const ws_routes_config *cfg, ws_routes **out)
{
    *out = NULL;
    ws_routes *rt = calloc(1, sizeof *rt);
    if (!rt)
        return WS_ENOMEM;
    rt->db = strdup(cfg->db);
    rt->synonyms = cfg->synonyms ? strdup(cfg->synonyms) : NULL;
    rt->token = cfg->write_token ? strdup(cfg->write_token) : NULL;
    int have_key = 0;
    if (!rt->db || (cfg->synonyms && !rt->synonyms) || (cfg->write_token && !rt->token) ||
        !(have_key = !uv_key_create(&rt->key)) || uv_mutex_init(&rt->lock) != 0) {
        if (have_key)
            uv_key_delete(&rt->key);
        free(rt->db);
        free(rt->synonyms);
        free(rt->token);
        free(rt);
        return WS_ENOMEM;
    }
    rt->token_len = rt->token ? strlen(rt->token) : 0;
    rt->mailbox = cfg->mailbox;
    rt->gate = cfg->gate;
    rt->words = cfg->words;
    atomic_store(&rt->writer, NULL);
    snprintf(rt->why_not, sizeof rt->why_not, "this daemon was started read-only (--read-only)");
    if (rt->mailbox && ws__writes_start(rt) != WS_OK) {
        ws_routes_free(rt);
        return WS_ENOMEM;
    }
    rt->lex = cfg->lex;
    rt->reopen_ns = (uint64_t)(cfg->reopen_ms ? cfg->reopen_ms : WS_ROUTES_REOPEN_MS) * 1000000u;
    rt->threads = cfg->threads;
    rt->delay_ms = cfg->delay_ms;
    rt->query_ms = cfg->query_ms;
    rt->count_ms = cfg->count_ms;
    rt->started_ns = uv_hrtime();
    *out = rt;
    return WS_OK;
}

void ws_routes_free(ws_routes *rt)
{
    if (!rt)
        return;
    ws__writes_stop(rt);
    for (ws__worker *w = rt->workers, *next; w; w = next) {
        next = w->next;
        ws_searcher_close(w->s);
        ws_analyzer_free(w->a);
        free(w);
    }
    uv_mutex_destroy(&rt->lock);
    uv_key_delete(&rt->key);
    free(rt->db);
    free(rt->synonyms);
    free(rt->token);
    free(rt);
}
