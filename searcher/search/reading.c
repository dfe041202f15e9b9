#include "reading.h"

#include <string.h>
#include "occurrence.h"
#include "proximity.h"
#include "schema.h"
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

/* Whether the document id matches q (parsed, its proximities not yet
 * decided; taken, and freed), into *matches: q restricted to the
 * document's id term, its proximities decided for that document alone,
 * listed. */
static ws_status matches_query(ws_searcher *s, const ws_occ_patterns *ps, ws_qnode *q,
                               const char *id, int *matches)
{
    char term[WS_KEY_TERM_MAX], legacy[WS_KEY_TERM_MAX];
    size_t tl = ws_schema_key_term(WS_KEY_ID, id, term), ll = ws_schema_id_legacy_term(id, legacy);
    ws_qnode *ids = ws_qtree_op(WS_QOP_OR), *t = ws_qtree_op(WS_QOP_AND);
    ws_qnode *a = ws_qtree_bool_term(term, tl), *b = ll ? ws_qtree_bool_term(legacy, ll) : NULL;
    int ok = ids && t && a && (!ll || b);
    if (ok) { /* (an add frees its kid when it fails) */
        ok = ws_qtree_add(ids, a) == 0;
        a = NULL;
        if (ok && b) {
            ok = ws_qtree_add(ids, b) == 0;
            b = NULL;
        }
    }
    if (!ok) {
        ws_qtree_free(a);
        ws_qtree_free(b);
        ws_qtree_free(q);
        ws_qtree_free(ids);
        ws_qtree_free(t);
        return WS_ENOMEM;
    }
    int added = ws_qtree_add(t, q) == 0;
    if (!added || ws_qtree_add(t, ids) < 0) {
        if (!added)
            ws_qtree_free(ids); /* (t has q no more: the add freed it) */
        ws_qtree_free(t);
        return WS_ENOMEM;
    }
    ws_db *db = ws__searcher_db(s);
    ws_proximity_stats stats;
    char err[512];
    ws_status st =
        ws_proximity_resolve(db, ws__searcher_analyzer(s), ps, &t, 0, &stats, err, sizeof err);
    if (st != WS_OK)
        ws__searcher_fail(s, "%s", err);
    ws_db_list list = {0};
    if (st == WS_OK && (st = ws_db_list_all(db, t, WS_DB_ORDER_DOCID, &list)) != WS_OK)
        ws__searcher_fail(s, "%s", ws_db_errmsg(db));
    *matches = list.n > 0;
    ws_db_list_free(&list);
    ws_qtree_free(t);
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
    if (st == WS_EQUERY && ast == NULL && strstr(ws_searcher_errmsg(s), "no word"))
        st = WS_OK; /* a query of filters alone: nothing to mark */
    if (st == WS_OK && ast)
        st = ws_occ_patterns_of(a, ast, ws__searcher_occ_flags(s), &ps);
    ws_qast_free(ast);
    json_t *doc = NULL;
    if (st == WS_OK)
        st = ws_searcher_get(s, id, &doc);
    int matches = 0, asked = q != NULL;
    if (st == WS_OK && q) {
        st = matches_query(s, &ps, q, id, &matches); /* (it takes q) */
        q = NULL;
        if (st != WS_OK && st != WS_ENOMEM) { /* (a proximity over remote shards) */
            asked = 0;                        /* not known: the occurrences are still the text's */
            st = WS_OK;
        }
    }
    ws_qtree_free(q);
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
    if (asked)
        json_object_set_new(doc, "matches", json_boolean(matches));
    *out = doc;
    return WS_OK;
}
