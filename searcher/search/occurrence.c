#include "occurrence.h"

#include <stdlib.h>
#include <string.h>
#include "array.h"
#include "normalize.h"
#include "utf8.h"

/* Whether cp ends a piece of a run of plain words: white space, as the
 * search's plan cuts them (searcher/query/plan.h), which requires each
 * piece verbatim, its punctuation too (碳达峰、碳中和 is one piece). */
static int splits(uint32_t cp, int cut_marks)
{
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r')
        return 1;
    /* before index format 4 (WS_OCC_CUT_MARKS): punctuation too, other
     * than what joins the parts of a number or a Latin word (949.21,
     * covid-19) */
    if (!cut_marks || ws_char_is_han(cp) || ws_char_is_alnum(cp))
        return 0;
    return !(cp == '.' || cp == '-' || cp == '_' || cp == '%' || cp == '+' || cp == '#' ||
             cp == '/' || cp == '@' || cp == '&' || cp == '\'');
}

/* s[0..*len) with each run of white space made one space, and none at
 * either end, in place: a space of a pattern stands for any run of it, as
 * the index's space term does (termgen.h): ws_utf8_match_spaced. */
static void squeeze(char *s, size_t *len)
{
    size_t o = 0;
    for (size_t i = 0; i < *len; i++) {
        if (ws_utf8_blank(s[i]) || s[i] == '\n') {
            if (o && s[o - 1] != ' ')
                s[o++] = ' ';
            continue;
        }
        s[o++] = s[i];
    }
    if (o && s[o - 1] == ' ')
        o--;
    s[o] = '\0';
    *len = o;
}

/* Where the patterns being added go: wherever (near 0) or a proximity's
 * side. */
typedef struct adding {
    unsigned near, side;
    int cut_marks; /* WS_OCC_CUT_MARKS */
} adding;

static ws_status add(ws_analyzer *a, const char *s, size_t len, int title, adding to,
                     ws_occ_patterns *out)
{
    char *norm = NULL;
    size_t nlen = 0, *map = NULL;
    ws_status st = ws_analyzer_normalize(a, s, len, 0, &norm, &nlen, &map);
    free(map);
    if (st != WS_OK)
        return st;
    squeeze(norm, &nlen);
    for (size_t i = 0; i < out->n; i++)
        if (out->p[i].len == nlen && out->p[i].title_only == title && out->p[i].near == to.near &&
            out->p[i].side == to.side && !memcmp(out->p[i].text, norm, nlen)) {
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
    out->p[out->n++] = (ws_occ_pattern){norm, nlen, title, to.near, to.side};
    return WS_OK;
}

/* A run of plain words: each piece between spaces (and marks: splits). */
static ws_status add_text(ws_analyzer *a, const char *s, int title, adding to, ws_occ_patterns *out)
{
    size_t len = strlen(s), b = 0;
    ws_status st = WS_OK;
    for (size_t i = 0; i <= len && st == WS_OK;) {
        uint32_t cp = 0;
        int n = i < len ? ws_utf8_decode((const unsigned char *)s + i, len - i, &cp) : 1;
        uint32_t norm[WS_NORM_MAX];
        int nn = i < len ? ws_normalize_cp(cp, norm) : 0;
        if (i == len || (nn >= 1 && splits(norm[0], to.cut_marks))) {
            if (i > b)
                st = add(a, s + b, i - b, title, to, out);
            b = i + (size_t)n;
        }
        i += (size_t)n;
    }
    return st;
}

/* Adds the patterns of n; under a NOT (neg) only those of its proximities,
 * which the search still has to decide. */
static ws_status walk(ws_analyzer *a, const ws_qast *n, int neg, adding to, ws_occ_patterns *out)
{
    switch (n->kind) {
    case WS_QAST_TEXT:
        return neg && !to.near ? WS_OK : add_text(a, n->text, n->title, to, out);
    case WS_QAST_PHRASE:
        return neg && !to.near ? WS_OK : add(a, n->text, strlen(n->text), n->title, to, out);
    case WS_QAST_AND:
    case WS_QAST_OR:
    case WS_QAST_NOT:
        for (size_t i = 0; i < n->nkids; i++) {
            ws_status st = walk(a, n->kids[i], neg || n->kind == WS_QAST_NOT, to, out);
            if (st != WS_OK)
                return st;
        }
        return WS_OK;
    case WS_QAST_NEAR:
        if (n->prox >= WS_QUERY_MAX_PROX)
            return WS_OK;
        out->near[n->prox] = (ws_occ_near){n->near, n->within, !neg};
        if (out->nnear <= n->prox)
            out->nnear = n->prox + 1;
        for (size_t i = 0; i < n->nkids && i < 2; i++) {
            ws_status st =
                walk(a, n->kids[i], neg, (adding){n->prox + 1, (unsigned)i, to.cut_marks}, out);
            if (st != WS_OK)
                return st;
        }
        return WS_OK;
    default: /* filters hold no pattern */
        return WS_OK;
    }
}

ws_status ws_occ_patterns_of(ws_analyzer *a, const ws_qast *ast, unsigned flags,
                             ws_occ_patterns *out)
{
    memset(out, 0, sizeof *out);
    ws_status st = walk(a, ast, 0, (adding){0, 0, (flags & WS_OCC_CUT_MARKS) != 0}, out);
    if (st != WS_OK)
        ws_occ_patterns_free(out);
    return st;
}

size_t ws_occ_shown(const ws_occ_patterns *ps)
{
    size_t n = 0;
    for (size_t i = 0; i < ps->n; i++)
        n += !ps->p[i].near || ps->near[ps->p[i].near - 1].shown;
    return n;
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

/* A field's text as the patterns are found in it: normalized (steps 1-3 of
 * the analyzer, hard wraps joined), with the map back to the input. */
typedef struct field {
    const char *text;
    size_t len;
    int title;
    char *norm;
    size_t nlen, *map;          /* map NULL: a word list's text */
    const ws_wordfield *listed; /* the word list's field, or NULL */
} field;

static ws_status field_open(ws_analyzer *a, const char *text, size_t len, int title, field *f)
{
    memset(f, 0, sizeof *f);
    f->text = text;
    f->len = len;
    f->title = title;
    return ws_analyzer_normalize(a, text, len, WS_ANALYZE_JOIN_LINES, &f->norm, &f->nlen, &f->map);
}

/* A word list's field (wordlist.h): its text is already normalized. */
static void field_listed(const ws_wordfield *wf, int title, field *f)
{
    memset(f, 0, sizeof *f);
    f->text = wf->text;
    f->len = wf->len;
    f->title = title;
    f->norm = (char *)wf->text;
    f->nlen = wf->len;
    f->listed = wf;
}

static void field_close(field *f)
{
    if (f->listed)
        return;
    free(f->norm);
    free(f->map);
}

/* A growing array of occurrences. */
typedef struct occs {
    ws_occ *o;
    size_t n, cap;
} occs;

static ws_status push(occs *v, ws_occ x)
{
    ws_occ *g = ws_array_room(v->o, v->n, &v->cap, sizeof *g, 16);
    if (!g)
        return WS_ENOMEM;
    v->o = g;
    v->o[v->n++] = x;
    return WS_OK;
}

/* Appends to v the occurrences (offsets of the normalized text) of the
 * patterns of ps that stand where near and side say, each left to right
 * and without overlap. */
static ws_status find(const ws_occ_patterns *ps, const field *f, unsigned near, unsigned side,
                      occs *v)
{
    for (size_t k = 0; k < ps->n; k++) {
        const ws_occ_pattern *p = &ps->p[k];
        if ((p->title_only && !f->title) || p->near != near || (near && p->side != side))
            continue;
        const char *at = f->norm;
        size_t covers = 0;
        while ((at = ws_utf8_find_spaced(at, f->nlen - (size_t)(at - f->norm), p->text, p->len,
                                         &covers))) {
            size_t b = (size_t)(at - f->norm), e = b + covers;
            if (!ws_normalize_apart(f->norm, f->nlen, b, e, p->text, p->len)) {
                at++;
                continue;
            }
            if (push(v, (ws_occ){b, e, (unsigned)k}) != WS_OK)
                return WS_ENOMEM;
            at = f->norm + e;
        }
    }
    return WS_OK;
}

/* Sorts v[from..) and keeps, of two that overlap (碳达峰 OR 达峰), the one
 * that starts first, the longer at one start. */
static void settle(occs *v, size_t from)
{
    ws_occ *o = v->o + from;
    size_t n = v->n - from, k = 0, last_e = 0;
    if (!n)
        return;
    /* one pattern's are found in order: most lists need no sort (qsort
     * compared n log n times, 4% of a proximity's trend) */
    size_t i = 1;
    while (i < n && cmp_occ(&o[i - 1], &o[i]) < 0)
        i++;
    if (i < n)
        qsort(o, n, sizeof *o, cmp_occ);
    for (size_t i = 0; i < n; i++) {
        if (k && o[i].start < last_e)
            continue;
        last_e = o[i].end;
        o[k++] = o[i];
    }
    v->n = from + k;
}

/* ---- proximity ---- */

/* Where the units (sentences or paragraphs) of a field start, as offsets of
 * its normalized text, in order: a unit holds the offsets from its start
 * to the next's. */
typedef struct units {
    size_t *at;
    size_t n, cap;
} units;

static ws_status unit_at(units *u, size_t at)
{
    if (u->n && u->at[u->n - 1] >= at)
        return WS_OK;
    size_t *g = ws_array_room(u->at, u->n, &u->cap, sizeof *g, 64);
    if (!g)
        return WS_ENOMEM;
    u->at = g;
    u->at[u->n++] = at;
    return WS_OK;
}

/* The offset of the last character of [b, e). */
static size_t last_char(const char *s, size_t b, size_t e)
{
    size_t l = e - 1;
    while (l > b && ((unsigned char)s[l] & 0xC0) == 0x80)
        l--;
    return l;
}

static int by_offset(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return (a > b) - (a < b);
}

/* The starts of the units of sentences that tell the places of the
 * occurrences side[0..2) apart: between each two places in text order
 * (each occurrence's start and last character), the first paragraph start
 * or sentence end there, if any. Two places are then in one unit by these
 * as by all of the field's units, and only the text between them is read,
 * to its first sentence end: reading every sentence of every matching
 * document was a third of a SENTENCE trend over the corpus (tools/README.md). */
static ws_status sentence_units(const field *f, const size_t *para, size_t npara,
                                const occs side[2], units *u)
{
    size_t np = 2 * (side[0].n + side[1].n), k = 0;
    size_t *pt = malloc((np ? 2 * np : 1) * sizeof *pt), *merged = pt + np;
    if (!pt)
        return WS_ENOMEM;
    int in_order = 1;
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < side[s].n; i++) {
            pt[k++] = side[s].o[i].start;
            pt[k++] = last_char(f->norm, side[s].o[i].start, side[s].o[i].end);
            in_order &= (i == 0 || pt[k - 3] <= pt[k - 2]) && pt[k - 2] <= pt[k - 1];
        }
    if (in_order) {
        /* each side's places come in text order: merged, not sorted (a
         * sort of them was a tenth of a SENTENCE's collocates) */
        size_t a = 0, na = 2 * side[0].n, b = na;
        for (size_t j = 0; j < np; j++)
            merged[j] = b >= np || (a < na && pt[a] <= pt[b]) ? pt[a++] : pt[b++];
        memcpy(pt, merged, np * sizeof *pt);
    } else {
        qsort(pt, np, sizeof *pt, by_offset);
    }
    ws_status st = WS_OK;
    size_t pi = 0; /* the first paragraph start past the earlier place */
    for (size_t j = 1; j < np && st == WS_OK; j++) {
        size_t x1 = pt[j - 1], x2 = pt[j];
        if (x1 == x2)
            continue;
        while (pi < npara && para[pi] <= x1)
            pi++;
        if (pi < npara && para[pi] <= x2) {
            st = unit_at(u, para[pi]);
            continue;
        }
        /* an end found from x1 (a character's start) before x2 (another's)
         * lies in (x1, x2] */
        size_t e = ws_analyzer_sentence_end(f->norm, f->nlen, x1, x2);
        if (e != SIZE_MAX)
            st = unit_at(u, e);
    }
    free(pt);
    return st;
}

/* The starts of f's paragraphs, or with sentences those of the units that
 * tell side's occurrences apart (sentence_units): the paragraphs as the
 * word list holds them, or as the text's line breaks give them
 * (ws_analyzer_paragraph_starts: one rule for both). */
static ws_status units_of(const field *f, int sentences, const occs side[2], units *u)
{
    memset(u, 0, sizeof *u);
    size_t *para = NULL, npara = 0, cap = 0;
    ws_status st =
        f->listed ? ws_wordfield_paragraphs(f->listed, &para, &cap, &npara)
                  : ws_analyzer_paragraph_starts(f->text, f->len, f->map, f->nlen, &para, &npara);
    if (st == WS_OK && sentences)
        st = sentence_units(f, para, npara, side, u);
    for (size_t i = 0; i < npara && st == WS_OK && !sentences; i++)
        st = unit_at(u, para[i]);
    free(para);
    if (st != WS_OK)
        free(u->at);
    return st;
}

/* The unit that holds offset x: how many units start at or before it. */
static size_t unit_of(const units *u, size_t x)
{
    size_t lo = 0, hi = u->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u->at[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* An occurrence of a side, placed: its bytes [b, e), its unit (or SIZE_MAX
 * when it spans two), whether it has a partner. */
typedef struct placed {
    size_t b, e, unit;
    int ok;
} placed;

static ws_status place(const field *f, const occs *v, const units *u, placed **out)
{
    placed *p = calloc(v->n ? v->n : 1, sizeof *p);
    if (!p)
        return WS_ENOMEM;
    for (size_t i = 0; i < v->n; i++) {
        size_t b = v->o[i].start, e = v->o[i].end;
        size_t us = u ? unit_of(u, b) : 0, ue = u ? unit_of(u, last_char(f->norm, b, e)) : 0;
        p[i] = (placed){b, e, us == ue ? us : SIZE_MAX, 0};
    }
    *out = p;
    return WS_OK;
}

/* Whether the text s[b, e) between two occurrences is at most within
 * characters: a character is 1 to 4 bytes, so that only a gap of between
 * within and 4 within bytes is counted (counting the characters of the
 * whole text up to every occurrence was a tenth of a proximity's trend). */
static int gap_within(const char *s, size_t b, size_t e, unsigned within)
{
    size_t n = e - b;
    if (n <= within)
        return 1;
    if (n > 4 * (size_t)within)
        return 0;
    return ws_utf8_count(s + b, n) <= within;
}

/* Marks each of x[0..nx) that has a partner in y[0..ny) (both in text
 * order, of the text s, apart: their starts and ends rise together): one
 * that does not overlap it, at most within characters away (u NULL), or in
 * its unit. The places in y that each looks from only move on, so that
 * they are walked to rather than searched for. */
static void partner(const char *s, const placed *x, size_t nx, placed *y, size_t ny, const units *u,
                    unsigned within, placed *xm)
{
    size_t after = 0, before = 0; /* the first of y at or past a's end; past a's start */
    for (size_t i = 0; i < nx; i++) {
        const placed *a = &x[i];
        if (u) {
            if (a->unit == SIZE_MAX)
                continue;
            /* the first of y in a's unit, then on while in it */
            size_t from = a->unit ? u->at[a->unit - 1] : 0,
                   to = a->unit < u->n ? u->at[a->unit] : SIZE_MAX;
            while (after < ny && y[after].b < from)
                after++;
            for (size_t j = after; j < ny && y[j].b < to; j++) {
                if (y[j].unit == a->unit && (y[j].e <= a->b || a->e <= y[j].b)) {
                    xm[i].ok = 1;
                    y[j].ok = 1;
                    break;
                }
            }
            continue;
        }
        /* the nearest of y after a, and the nearest before it (in bytes as
         * in characters: both rise together) */
        while (after < ny && y[after].b < a->e)
            after++;
        if (after < ny && gap_within(s, a->e, y[after].b, within)) {
            xm[i].ok = 1;
            y[after].ok = 1;
        }
        while (before < ny && y[before].e <= a->b)
            before++;
        if (before > 0 && gap_within(s, y[before - 1].e, a->b, within)) {
            xm[i].ok = 1;
            y[before - 1].ok = 1;
        }
    }
}

/* The occurrences of proximity k's sides in f, with ok set on those that
 * have a partner; *any says whether one has. */
static ws_status near_in(const ws_occ_patterns *ps, unsigned k, const field *f, occs side[2],
                         placed *pl[2], int *any)
{
    const ws_occ_near *nr = &ps->near[k];
    ws_status st = WS_OK;
    *any = 0;
    pl[0] = pl[1] = NULL;
    for (unsigned s = 0; s < 2 && st == WS_OK; s++) {
        memset(&side[s], 0, sizeof side[s]);
        st = find(ps, f, k + 1, s, &side[s]);
        settle(&side[s], 0);
    }
    if (st != WS_OK || !side[0].n || !side[1].n)
        return st;
    units u = {0};
    int by_unit = nr->kind != WS_NEAR_CHARS;
    if (by_unit)
        st = units_of(f, nr->kind == WS_NEAR_SENTENCE, side, &u);
    for (unsigned s = 0; s < 2 && st == WS_OK; s++)
        st = place(f, &side[s], by_unit ? &u : NULL, &pl[s]);
    if (st == WS_OK) {
        partner(f->norm, pl[0], side[0].n, pl[1], side[1].n, by_unit ? &u : NULL, nr->within,
                pl[0]);
        partner(f->norm, pl[1], side[1].n, pl[0], side[0].n, by_unit ? &u : NULL, nr->within,
                pl[1]);
        for (unsigned s = 0; s < 2; s++)
            for (size_t i = 0; i < side[s].n; i++)
                *any |= pl[s][i].ok;
    }
    free(u.at);
    return st;
}

/* Whether f has a pair of proximity k, into *holds. */
static ws_status holds_in(const ws_occ_patterns *ps, unsigned k, const field *f, int *holds)
{
    occs side[2] = {{0}};
    placed *pl[2] = {NULL, NULL};
    ws_status st = near_in(ps, k, f, side, pl, holds);
    for (int s = 0; s < 2; s++) {
        free(side[s].o);
        free(pl[s]);
    }
    return st;
}

ws_status ws_occ_near_holds(ws_analyzer *a, const ws_occ_patterns *ps, unsigned k, const char *text,
                            size_t len, int title, int *holds)
{
    *holds = 0;
    if (k >= ps->nnear || !len)
        return WS_OK;
    field f;
    ws_status st = field_open(a, text, len, title, &f);
    if (st == WS_OK)
        st = holds_in(ps, k, &f, holds);
    field_close(&f);
    return st;
}

ws_status ws_occ_near_holds_listed(const ws_occ_patterns *ps, unsigned k, const ws_wordfield *wf,
                                   int title, int *holds)
{
    *holds = 0;
    if (k >= ps->nnear || !wf->len)
        return WS_OK;
    field f;
    field_listed(wf, title, &f);
    return holds_in(ps, k, &f, holds);
}

/* The occurrences in f into v (offsets of its normalized text), in text
 * order: the patterns found wherever they stand, and the sides of each
 * proximity shown that have a partner. */
static ws_status find_all(const ws_occ_patterns *ps, const field *f, occs *v)
{
    ws_status st = find(ps, f, 0, 0, v);
    for (unsigned k = 0; k < ps->nnear && st == WS_OK; k++) {
        if (!ps->near[k].shown)
            continue;
        occs side[2] = {{0}};
        placed *pl[2] = {NULL, NULL};
        int any = 0;
        st = near_in(ps, k, f, side, pl, &any);
        for (unsigned s = 0; s < 2 && st == WS_OK && any; s++)
            for (size_t i = 0; i < side[s].n && st == WS_OK; i++)
                if (pl[s][i].ok)
                    st = push(v, side[s].o[i]);
        for (int s = 0; s < 2; s++) {
            free(side[s].o);
            free(pl[s]);
        }
    }
    if (st == WS_OK)
        settle(v, 0);
    return st;
}

/* Hands v out as *out and *n (NULL and 0 when empty or on a failure). */
static ws_status hand_out(ws_status st, occs *v, ws_occ **out, size_t *n)
{
    if (st != WS_OK || !v->n) {
        free(v->o);
        return st;
    }
    *out = v->o;
    *n = v->n;
    return WS_OK;
}

ws_status ws_occ_find(ws_analyzer *a, const ws_occ_patterns *ps, const char *text, size_t len,
                      int title, ws_occ **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!ps->n || !len)
        return WS_OK;
    field f;
    ws_status st = field_open(a, text, len, title, &f);
    if (st != WS_OK)
        return st;
    occs v = {0};
    st = find_all(ps, &f, &v);
    for (size_t i = 0; st == WS_OK && i < v.n; i++) {
        size_t b = v.o[i].start, e = v.o[i].end;
        v.o[i].start = f.map[b];
        v.o[i].end = ws_analyzer_source_end(text, len, f.norm, f.map, b, e);
    }
    field_close(&f);
    return hand_out(st, &v, out, n);
}

ws_status ws_occ_find_listed(const ws_occ_patterns *ps, const ws_wordfield *wf, int title,
                             ws_occ **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!ps->n || !wf->len)
        return WS_OK;
    field f;
    field_listed(wf, title, &f);
    occs v = {0};
    return hand_out(find_all(ps, &f, &v), &v, out, n);
}

ws_status ws_occ_join(ws_status st, ws_occ *title, size_t nt, ws_occ *body, size_t nb, ws_occ **out,
                      size_t *n)
{
    *out = NULL;
    *n = 0;
    if (st == WS_OK && nt && nb) {
        ws_occ *all = realloc(title, (nt + nb) * sizeof *all);
        if (!all) {
            st = WS_ENOMEM;
        } else {
            memcpy(all + nt, body, nb * sizeof *body);
            title = all;
        }
        free(body);
        body = NULL;
    }
    if (st != WS_OK) {
        free(title);
        free(body);
        return st;
    }
    *out = nt ? title : body;
    *n = nt + nb;
    return WS_OK;
}
