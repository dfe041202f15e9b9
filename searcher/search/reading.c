#include "reading.h"

#include <string.h>
#include "occurrence.h"
#include "search_int.h"
#include "utf8.h"

/* [[start, end], ...] of occ in code points of text. */
static json_t *spans(const char *text, const ws_occ *occ, size_t n)
{
    json_t *a = json_array();
    size_t byte = 0, chars = 0;
    for (size_t i = 0; a && i < n; i++) {
        size_t at[2] = {occ[i].start, occ[i].end}, cp[2];
        for (int k = 0; k < 2; k++) {
            if (at[k] > byte) {
                chars += ws_utf8_count(text + byte, at[k] - byte);
                byte = at[k];
            }
            cp[k] = chars;
        }
        json_array_append_new(a, json_pack("[I, I]", (json_int_t)cp[0], (json_int_t)cp[1]));
    }
    return a;
}

static ws_status field_spans(ws_analyzer *a, const ws_occ_patterns *ps, json_t *doc,
                             const char *name, json_t *into)
{
    json_t *v = json_object_get(doc, name);
    const char *text = json_string_value(v);
    ws_occ *occ = NULL;
    size_t n = 0;
    ws_status st =
        text ? ws_occ_find(a, ps, text, json_string_length(v), !strcmp(name, "title"), &occ, &n)
             : WS_OK;
    if (st == WS_OK)
        json_object_set_new(into, name, text ? spans(text, occ, n) : json_array());
    free(occ);
    return st;
}

ws_status ws_reading_json(ws_searcher *s, const char *id, const char *query, json_t **out)
{
    *out = NULL;
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.query = query;
    ws_qast *ast = NULL;
    ws_qnode *q = NULL;
    ws_occ_patterns ps = {0};
    ws_analyzer *a = ws__searcher_analyzer(s);
    ws_status st = ws__searcher_parse(s, &o, &ast, &q);
    ws_qtree_free(q);
    if (st == WS_EQUERY && ast == NULL && strstr(ws_searcher_errmsg(s), "no word"))
        st = WS_OK; /* a query of filters alone: nothing to mark */
    if (st == WS_OK && ast)
        st = ws_occ_patterns_of(a, ast, ws__searcher_occ_flags(s), &ps);
    ws_qast_free(ast);
    json_t *doc = NULL;
    if (st == WS_OK)
        st = ws_searcher_get(s, id, &doc);
    json_t *occ = st == WS_OK ? json_object() : NULL;
    if (st == WS_OK && !occ)
        st = WS_ENOMEM;
    if (st == WS_OK)
        st = field_spans(a, &ps, doc, "title", occ);
    if (st == WS_OK)
        st = field_spans(a, &ps, doc, "body", occ);
    ws_occ_patterns_free(&ps);
    if (st != WS_OK) {
        json_decref(occ);
        json_decref(doc);
        return st;
    }
    json_object_set_new(doc, "occurrences", occ);
    *out = doc;
    return WS_OK;
}
