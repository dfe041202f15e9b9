/* kwiccursor.c - the cursor of a concordance's page (kwiccursor.h). */
#include "kwiccursor.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include "search_int.h"

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

unsigned long long ws_kwiccursor_query_hash(const ws_kwic_opts *o)
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
void ws_kwiccursor_write(const ws_kwiccursor *c, char *out)
{
    char raw[256];
    int n = snprintf(raw, sizeof raw, "k2:%s:%lld:%llx:%u:%lu:%lu:%lu:%lu:%lu", c->view, c->made,
                     c->qhash, c->sort, c->k, c->i, c->j, c->tocc, c->tdocs);
    b64_encode(raw, (size_t)n, out);
}

/* What a cursor that is not this server's, or makes no sense, is told. */
const char ws_kwiccursor_not_ours[] =
    "the cursor is not one this server gave: pass back \"next\" as it "
    "came, or leave it out for the first page";

ws_status ws_kwiccursor_read(ws_searcher *s, const ws_kwic_opts *o, const char *view,
                             ws_kwiccursor *c)
{
    char raw[WS_KWIC_CURSOR_MAX_BYTES];
    int used = 0;
    if (strlen(o->cursor) >= WS_KWIC_CURSOR_MAX_BYTES || b64_decode(o->cursor, raw, sizeof raw) ||
        strspn(raw, "k0123456789abcdef:") != strlen(raw) ||
        sscanf(raw, "k2:%47[0-9a-f]:%lld:%llx:%u:%lu:%lu:%lu:%lu:%lu%n", c->view, &c->made,
               &c->qhash, &c->sort, &c->k, &c->i, &c->j, &c->tocc, &c->tdocs, &used) != 9 ||
        raw[used] != '\0' || c->k > c->tocc || c->tdocs > c->tocc || c->i > 0xFFFFFFFFul) {
        /* (only digits, hex and colons: sscanf would take a sign and wrap
         * it; and the places and totals it carries must agree, a place
         * among the matches within Xapian's 2^32 documents) */
        ws__searcher_fail(s, "%s", ws_kwiccursor_not_ours);
        return WS_EINVAL;
    }
    if (c->qhash != ws_kwiccursor_query_hash(o) || c->sort != (unsigned)o->sort) {
        ws__searcher_fail(s, "the cursor belongs to another query, filter or sort: pass the same "
                             "q, source, type, from, to and sort as for the first page");
        return WS_EINVAL;
    }
    long long age = (long long)time(NULL) - c->made;
    if (age < -60) { /* made in the future: by no clock of this server's */
        ws__searcher_fail(s, "%s", ws_kwiccursor_not_ours);
        return WS_EINVAL;
    }
    if (age > WS_KWIC_CURSOR_MAX_AGE) {
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
    /* the totals it carries: a page follows only where there were lines,
     * in documents of this view, counted within what JSON's numbers hold */
    unsigned long docs = 0;
    ws_status st = ws_db_doccount(ws__searcher_db(s), &docs);
    if (st != WS_OK) {
        ws__searcher_fail(s, "%s", ws_db_errmsg(ws__searcher_db(s)));
        return st;
    }
    if (!c->tocc || !c->tdocs || c->tdocs > docs || c->tocc > WS_KWIC_CURSOR_MAX_TOTAL) {
        ws__searcher_fail(s, "%s", ws_kwiccursor_not_ours);
        return WS_EINVAL;
    }
    return WS_OK;
}
