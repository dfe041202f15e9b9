#include "listed.h"

#include <stdlib.h>
#include <string.h>
#include "schema.h"

ws_status ws_listed_get(ws_valuecursor *c, unsigned docid, ws_wordfield wf[2])
{
    const char *v;
    size_t len;
    ws_status st = ws_valuecursor_get(c, docid, &v, &len);
    if (st == WS_OK && ws_wordlist_decode(v, len, wf) != WS_OK)
        st = WS_ENOTFOUND; /* damaged: the text is still there */
    return st;
}

ws_status ws_listed_read(ws_valuecursor *c, const ws_occ_patterns *ps, unsigned docid,
                         ws_wordfield wf[2], ws_occ **occ, size_t *n, size_t *ntitle)
{
    *occ = NULL;
    *n = *ntitle = 0;
    ws_status st = ws_listed_get(c, docid, wf);
    if (st != WS_OK)
        return st;
    ws_occ *o[2] = {NULL, NULL};
    size_t k[2] = {0, 0};
    for (int f = 0; f < 2 && st == WS_OK; f++)
        st = ws_occ_find_listed(ps, &wf[f], f == 0, &o[f], &k[f]);
    st = ws_occ_join(st, o[0], k[0], o[1], k[1], occ, n);
    if (st != WS_OK)
        return st;
    *ntitle = k[0];
    return WS_OK;
}

typedef struct place {
    unsigned docid;
    size_t i;
} place;

static int by_docid(const void *x, const void *y)
{
    const place *a = x, *b = y;
    return a->docid < b->docid ? -1 : a->docid > b->docid;
}

/* docid[0..n) with their places, in rising docid order, into a new array. */
static place *rising(const unsigned *docid, size_t n)
{
    place *at = malloc((n ? n : 1) * sizeof *at);
    if (!at)
        return NULL;
    int sorted = 1;
    for (size_t i = 0; i < n; i++) {
        at[i] = (place){docid[i], i};
        sorted &= i == 0 || docid[i - 1] < docid[i];
    }
    if (!sorted)
        qsort(at, n, sizeof *at, by_docid);
    return at;
}

ws_status ws_listed_count(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid, size_t n,
                          unsigned *counts)
{
    place *at = rising(docid, n);
    if (!at)
        return WS_ENOMEM;
    ws_valuecursor *c = NULL;
    ws_status st = ws_valuecursor_open(db, WS_SLOT_WORDS, &c);
    for (size_t i = 0; i < n && st == WS_OK; i++) {
        unsigned d = at[i].docid;
        ws_wordfield wf[2];
        ws_occ *occ = NULL;
        size_t k = 0, nt = 0;
        st = ws_listed_read(c, ps, d, wf, &occ, &k, &nt);
        free(occ);
        counts[at[i].i] = (unsigned)k;
        if (st == WS_ENOTFOUND) {
            /* made without a list, or gone since it was listed: its
             * reader tells which */
            counts[at[i].i] = WS_LISTED_UNKNOWN;
            st = WS_OK;
        }
    }
    ws_valuecursor_close(c);
    free(at);
    return st;
}
