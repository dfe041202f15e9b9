#include "occurrence.h"

#include <stdlib.h>
#include <string.h>
#include "normalize.h"

static int ascii_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether cp ends a run of plain words: a space, or punctuation other than
 * what joins the parts of a number or a Latin word (949.21, covid-19). */
static int splits(uint32_t cp)
{
    if (ws_char_is_han(cp) || ws_char_is_alnum(cp))
        return 0;
    return !(cp == '.' || cp == '-' || cp == '_' || cp == '%' || cp == '+' || cp == '#' ||
             cp == '/' || cp == '@' || cp == '&' || cp == '\'');
}

static ws_status add(ws_analyzer *a, const char *s, size_t len, int title, ws_occ_patterns *out)
{
    char *norm = NULL;
    size_t nlen = 0, *map = NULL;
    ws_status st = ws_analyzer_normalize(a, s, len, 0, &norm, &nlen, &map);
    free(map);
    if (st != WS_OK)
        return st;
    for (size_t i = 0; i < out->n; i++)
        if (out->p[i].len == nlen && out->p[i].title_only == title &&
            !memcmp(out->p[i].text, norm, nlen)) {
            free(norm);
            return WS_OK;
        }
    if (!nlen || out->n == WS_OCC_MAX_PATTERNS) {
        free(norm);
        return WS_OK;
    }
    ws_occ_pattern *np = realloc(out->p, (out->n + 1) * sizeof *np);
    if (!np) {
        free(norm);
        return WS_ENOMEM;
    }
    out->p = np;
    out->p[out->n++] = (ws_occ_pattern){norm, nlen, title};
    return WS_OK;
}

/* A run of plain words: each piece between spaces and punctuation. */
static ws_status add_text(ws_analyzer *a, const char *s, int title, ws_occ_patterns *out)
{
    size_t len = strlen(s), b = 0;
    ws_status st = WS_OK;
    for (size_t i = 0; i <= len && st == WS_OK;) {
        uint32_t cp = 0;
        int n = i < len ? ws_utf8_decode((const unsigned char *)s + i, len - i, &cp) : 1;
        uint32_t norm[WS_NORM_MAX];
        int nn = i < len ? ws_normalize_cp(cp, norm) : 0;
        if (i == len || (nn >= 1 && splits(norm[0]))) {
            if (i > b)
                st = add(a, s + b, i - b, title, out);
            b = i + (size_t)n;
        }
        i += (size_t)n;
    }
    return st;
}

static ws_status walk(ws_analyzer *a, const ws_qast *n, ws_occ_patterns *out)
{
    switch (n->kind) {
    case WS_QAST_TEXT:
        return add_text(a, n->text, n->title, out);
    case WS_QAST_PHRASE:
        return add(a, n->text, strlen(n->text), n->title, out);
    case WS_QAST_AND:
    case WS_QAST_OR:
        for (size_t i = 0; i < n->nkids; i++) {
            ws_status st = walk(a, n->kids[i], out);
            if (st != WS_OK)
                return st;
        }
        return WS_OK;
    default: /* NOT and filters hold no pattern */
        return WS_OK;
    }
}

ws_status ws_occ_patterns_of(ws_analyzer *a, const ws_qast *ast, ws_occ_patterns *out)
{
    memset(out, 0, sizeof *out);
    ws_status st = walk(a, ast, out);
    if (st != WS_OK)
        ws_occ_patterns_free(out);
    return st;
}

void ws_occ_patterns_free(ws_occ_patterns *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        free(ps->p[i].text);
    free(ps->p);
    memset(ps, 0, sizeof *ps);
}

static int cmp_occ(const void *x, const void *y)
{
    const ws_occ *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end > b->end ? -1 : a->end < b->end; /* the longest first */
}

/* Where in the input the match [b, e) of the normalized text ends: after the
 * input character its last character comes from. */
static size_t src_end(const char *text, size_t len, const char *norm, const size_t *map, size_t b,
                      size_t e)
{
    size_t last = e - 1;
    while (last > b && ((unsigned char)norm[last] & 0xC0) == 0x80)
        last--;
    size_t o = map[last];
    if (o >= len)
        return len;
    o++;
    while (o < len && ((unsigned char)text[o] & 0xC0) == 0x80)
        o++;
    return o;
}

ws_status ws_occ_find(ws_analyzer *a, const ws_occ_patterns *ps, const char *text, size_t len,
                      int title, ws_occ **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!ps->n || !len)
        return WS_OK;
    char *norm = NULL;
    size_t nlen = 0, *map = NULL;
    ws_status st = ws_analyzer_normalize(a, text, len, WS_ANALYZE_JOIN_LINES, &norm, &nlen, &map);
    if (st != WS_OK)
        return st;
    ws_occ *occ = NULL;
    size_t nocc = 0, cap = 0;
    for (size_t k = 0; k < ps->n && st == WS_OK; k++) {
        const ws_occ_pattern *p = &ps->p[k];
        if (p->title_only && !title)
            continue;
        int word_b = ascii_alnum(p->text[0]), word_e = ascii_alnum(p->text[p->len - 1]);
        const char *at = norm;
        while ((at = memmem(at, nlen - (size_t)(at - norm), p->text, p->len))) {
            size_t b = (size_t)(at - norm), e = b + p->len;
            if ((word_b && b > 0 && ascii_alnum(norm[b - 1])) ||
                (word_e && e < nlen && ascii_alnum(norm[e]))) {
                at++;
                continue;
            }
            if (nocc == cap) {
                cap = cap ? cap * 2 : 16;
                ws_occ *g = realloc(occ, cap * sizeof *g);
                if (!g) {
                    st = WS_ENOMEM;
                    break;
                }
                occ = g;
            }
            /* normalized offsets for now: mapped back once sorted */
            occ[nocc++] = (ws_occ){b, e, (unsigned)k};
            at = norm + e;
        }
    }
    if (st == WS_OK && nocc) {
        qsort(occ, nocc, sizeof *occ, cmp_occ);
        /* two patterns that overlap (碳达峰 OR 达峰): the one that starts
         * first, the longer at one start, stands for both */
        size_t k = 0, last_e = 0;
        for (size_t i = 0; i < nocc; i++) {
            if (k && occ[i].start < last_e)
                continue;
            last_e = occ[i].end;
            occ[k++] = occ[i];
        }
        nocc = k;
        for (size_t i = 0; i < nocc; i++) {
            size_t b = occ[i].start, e = occ[i].end;
            occ[i].start = map[b];
            occ[i].end = src_end(text, len, norm, map, b, e);
        }
    }
    free(norm);
    free(map);
    if (st != WS_OK || !nocc) {
        free(occ);
        return st;
    }
    *out = occ;
    *n = nocc;
    return WS_OK;
}
