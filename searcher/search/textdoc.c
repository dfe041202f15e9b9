#include "textdoc.h"

#include <stdlib.h>
#include <string.h>
#include "utf8.h"

void ws_textdoc_clear(ws_textdoc *d)
{
    if (d->j)
        json_decref(d->j);
    free(d->occ);
    memset(d, 0, sizeof *d);
}

static const char *field(json_t *o, const char *k, size_t *len)
{
    json_t *v = json_object_get(o, k);
    if (len)
        *len = json_is_string(v) ? json_string_length(v) : 0;
    return json_string_value(v);
}

ws_status ws_textdoc_load(ws_db *db, ws_analyzer *a, const ws_occ_patterns *ps, unsigned docid,
                          ws_textdoc *d)
{
    ws_textdoc_clear(d);
    if (ws_db_past_deadline(db))
        return WS_ETIMEOUT;
    char *data = NULL;
    ws_status st = ws_db_data(db, docid, &data);
    if (st != WS_OK)
        return st;
    d->j = json_loads(data, 0, NULL);
    free(data);
    if (!d->j)
        return WS_ECORRUPT;
    d->id = field(d->j, "id", NULL);
    d->title = field(d->j, "title", &d->tlen);
    d->date = field(d->j, "date", NULL);
    d->source = field(d->j, "source", NULL);
    d->type = field(d->j, "type", NULL);
    d->url = field(d->j, "url", NULL);
    d->body = field(d->j, "body", &d->blen);
    ws_occ *t = NULL, *b = NULL;
    size_t nt = 0, nb = 0;
    st = d->title ? ws_occ_find(a, ps, d->title, d->tlen, 1, &t, &nt) : WS_OK;
    if (st == WS_OK && d->body)
        st = ws_occ_find(a, ps, d->body, d->blen, 0, &b, &nb);
    st = ws_occ_join(st, t, nt, b, nb, &d->occ, &d->nocc);
    if (st != WS_OK)
        return st;
    d->ntitle = nt;
    return WS_OK;
}

static size_t code_points(const char *s, size_t len)
{
    return ws_utf8_count(s, len);
}

size_t ws_textdoc_chars(const ws_textdoc *d)
{
    return (d->title ? code_points(d->title, d->tlen) : 0) +
           (d->body ? code_points(d->body, d->blen) : 0);
}
