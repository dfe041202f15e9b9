/* plan_terms.c - a query text analysed, as the planners read it: its terms
 * and tokens, the phrase a stretch of them makes, and the helpers plan.c and
 * plan_text.c share (marks, collapsing a node). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "array.h"
#include "plan_int.h"
#include "schema.h"
#include "query.h"
#include "termgen.h"

void ws__plan_analysis_free(ws__analysis *an)
{
    for (size_t i = 0; i < an->n; i++)
        free(an->t[i].term);
    for (size_t i = 0; i < an->nk; i++)
        free(an->k[i].text);
    free(an->t);
    free(an->k);
}

static ws_status on_term(void *vctx, const char *term, size_t len, uint32_t pos, ws_term_kind kind,
                         const ws_token *tok)
{
    ws__analysis *an = vctx;
    if (kind == WS_TERM_MARK_EDGE)
        return WS_OK; /* a phrase's edge asks for one (run_edge) */
    if (kind == WS_TERM_PUNCT && !an->spaces)
        return WS_OK; /* not in the index: the mark is no token of the query */
    ws__qterm *t = ws_array_room(an->t, an->n, &an->cap, sizeof *t, 32);
    if (!t)
        return WS_ENOMEM;
    an->t = t;
    /* a new token: remember it (compound and first part share a position) */
    if (!an->nk || an->k[an->nk - 1].pos != tok->pos || an->k[an->nk - 1].kind != (int)tok->kind) {
        ws__qtok *k = ws_array_room(an->k, an->nk, &an->capk, sizeof *k, 16);
        if (!k)
            return WS_ENOMEM;
        an->k = k;
        char *text = strdup(tok->text);
        if (!text)
            return WS_ENOMEM;
        an->k[an->nk++] = (ws__qtok){(int)tok->kind, tok->pos,   tok->nchars, tok->lexflags,
                                     tok->parts,     tok->start, tok->end,    text};
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return WS_ENOMEM;
    memcpy(copy, term, len);
    copy[len] = '\0';
    /* a pair comes right after the character that ends it (termgen.h) */
    uint32_t at = pos;
    if (kind == WS_TERM_BI && an->n && an->t[an->n - 1].kind == WS_TERM_UNI)
        at = an->t[an->n - 1].pos - 1;
    an->t[an->n++] = (ws__qterm){copy,        kind,           pos,           at,        tok->pos,
                                 tok->nchars, (int)tok->kind, tok->lexflags, tok->parts};
    return WS_OK;
}

ws_status ws__plan_analyze(ws__plan_ctx *c, const char *text, ws_field field, ws__analysis *an)
{
    memset(an, 0, sizeof *an);
    an->spaces = (c->flags & WS_PLAN_SPACES) != 0;
    /* a line break in a query (a phrase pasted across a wrap) is white
     * space, as the concordance's patterns take it, not a paragraph's end,
     * which would leave a gap any token fills */
    char *flat = NULL;
    if (strpbrk(text, "\r\n")) {
        if (!(flat = strdup(text)))
            return WS_ENOMEM;
        for (char *p = flat; (p = strpbrk(p, "\r\n"));)
            *p = ' ';
        text = flat;
    }
    uint32_t pos = 1;
    ws_status st =
        ws_termgen_run(c->a, text, strlen(text), field, WS_ANALYZE_REFUSE_LONG, &pos, on_term, an);
    free(flat);
    if (st == WS_ETOOBIG)
        snprintf(c->err, c->errlen,
                 "the query has a Latin word or number of more than %d bytes "
                 "(WS_TOKEN_MAX_BYTES), which the index does not keep: it cannot be searched",
                 WS_TOKEN_MAX_BYTES);
    if (st != WS_OK)
        ws__plan_analysis_free(an);
    return st;
}

ws_status ws__plan_analyze_both(ws__plan_ctx *c, const char *text, ws__analysis *body,
                                ws__analysis *title)
{
    ws_status st = ws__plan_analyze(c, text, WS_FIELD_BODY, body);
    if (st != WS_OK)
        return st;
    if ((st = ws__plan_analyze(c, text, WS_FIELD_TITLE, title)) != WS_OK)
        ws__plan_analysis_free(body);
    return st;
}

/* Adds s[0..len) to the list once. */
static void add_mark(ws__plan_ctx *c, char ***list, size_t *n, size_t *cap, const char *s,
                     size_t len)
{
    if (!len)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strlen((*list)[i]) == len && !memcmp((*list)[i], s, len))
            return;
    char **m = ws_array_room(*list, *n, cap, sizeof *m, 16);
    if (!m) {
        c->st = WS_ENOMEM;
        return;
    }
    *list = m;
    char *d = malloc(len + 1);
    if (!d) {
        c->st = WS_ENOMEM;
        return;
    }
    memcpy(d, s, len);
    d[len] = '\0';
    (*list)[(*n)++] = d;
}

void ws__plan_mark(ws__plan_ctx *c, const char *s, size_t len)
{
    add_mark(c, &c->marks, &c->nmarks, &c->capmarks, s, len);
}

void ws__plan_mark_exact(ws__plan_ctx *c, const char *s, size_t len)
{
    if (!c->exact_only)
        ws__plan_mark(c, s, len);
    if (!c->no_exact)
        add_mark(c, &c->exact, &c->nexact, &c->capexact, s, len);
}

ws_qnode *ws__plan_term(const ws__qterm *t, int with_pos)
{
    return ws_qtree_term(t->term, strlen(t->term), with_pos ? t->pos : 0);
}

/* A node of kids, or the only kid, or NULL when there is none. */
ws_qnode *ws__plan_collapse(ws_qnode *n)
{
    if (!n)
        return NULL;
    if (n->nkids == 0 && (n->op != WS_QOP_ALL && n->op != WS_QOP_NOTHING && n->op != WS_QOP_TERM &&
                          n->op != WS_QOP_BOOL_TERM && n->op != WS_QOP_RANGE)) {
        ws_qtree_free(n);
        return NULL;
    }
    if (n->nkids == 1 && (n->op == WS_QOP_AND || n->op == WS_QOP_OR || n->op == WS_QOP_PHRASE ||
                          n->op == WS_QOP_SYNONYM)) {
        ws_qnode *k = n->kids[0];
        n->nkids = 0;
        ws_qtree_free(n);
        return k;
    }
    return n;
}

/* A phrase's first or last kid, when it is a run of one mark that the
 * analyzer makes one token (——, ......): the text's run there may be
 * longer, the phrase holding its end or its start, as the concordance finds
 * it ("——平陆" in ———平陆), so it asks for a run at least that long there
 * (schema.h's WS_PFX_MARK_EDGE) rather than the run itself. */
static void run_edge(ws_qnode *k)
{
    size_t pl = 0;
    const char *edge = NULL;
    if (!strncmp(k->term, WS_PFX_TITLE_PUNCT, strlen(WS_PFX_TITLE_PUNCT))) {
        pl = strlen(WS_PFX_TITLE_PUNCT);
        edge = WS_PFX_TITLE_MARK_EDGE;
    } else if (!strncmp(k->term, WS_PFX_PUNCT, strlen(WS_PFX_PUNCT))) {
        pl = strlen(WS_PFX_PUNCT);
        edge = WS_PFX_MARK_EDGE;
    } else {
        return;
    }
    const char *run = k->term + pl;
    size_t len = strlen(run), w = 0, marks = ws_termgen_mark_run(run, len, &w);
    size_t el = strlen(edge);
    char *t = marks && marks <= WS_MARK_EDGE_MAX ? malloc(el + len + 1) : NULL;
    if (!t)
        return; /* the run itself, then: exact still */
    memcpy(t, edge, el);
    memcpy(t + el, run, len + 1);
    free(k->term);
    k->term = t;
}

/* The terms from..to of an analysis as a phrase. The pairs (and Latin words)
 * are required and give the weight, as they would for the words; the
 * characters and Latin words at their positions check the order and add no
 * weight of their own (a filter). A stretch without a pair (one character,
 * or characters apart) is weighted by its characters. */
ws_qnode *ws__plan_phrase_of(const ws__analysis *an, uint32_t from, uint32_t to)
{
    ws_qnode *ph = ws_qtree_op(WS_QOP_PHRASE), *and = ws_qtree_op(WS_QOP_AND);
    if (!ph || !and) {
        ws_qtree_free(ph);
        ws_qtree_free(and);
        return NULL;
    }
    uint32_t lo = UINT32_MAX, hi = 0;
    size_t npairs = 0, nlatin = 0;
    size_t spaces = 0; /* 1 + the first space term not yet in ph, or 0 */
    size_t nreal = 0;  /* kids of ph that are no mark */
    for (size_t i = 0; i < an->n; i++) {
        const ws__qterm *t = &an->t[i];
        if (t->tokpos < from || t->tokpos > to)
            continue;
        if (t->kind == WS_TERM_BI && t->at >= from) {
            ws_qtree_add(and, ws__plan_term(t, 0));
            npairs++;
            continue;
        }
        if (t->kind == WS_TERM_SPACE && an->spaces && !spaces)
            spaces = i + 1;
        int latin = t->kind == WS_TERM_WORD && t->pos && t->tokkind == WS_TOKEN_ALNUM;
        int mark = t->kind == WS_TERM_PUNCT && t->pos;
        if (!latin && !mark && !(t->kind == WS_TERM_UNI && t->pos))
            continue;
        nreal += !mark;
        /* white space since the one before (a space term comes before its
         * token's terms), which the text must have there too: the window
         * leaves room for it, and nothing else may stand in its place */
        for (size_t j = spaces; ph->nkids && j && j <= i; j++)
            if (an->t[j - 1].kind == WS_TERM_SPACE && an->t[j - 1].tokpos >= from)
                ws_qtree_add(ph, ws__plan_term(&an->t[j - 1], 1));
        spaces = 0;
        ws_qtree_add(ph, ws__plan_term(t, 1));
        nlatin += latin;
        if (latin)
            ws_qtree_add(and, ws__plan_term(t, 0));
        if (t->pos < lo)
            lo = t->pos;
        if (t->pos > hi)
            hi = t->pos;
    }
    if (!nreal) { /* only marks: nothing to search (as without their terms) */
        ws_qtree_free(ph);
        ws_qtree_free(and);
        return NULL;
    }
    run_edge(ph->kids[0]);
    run_edge(ph->kids[ph->nkids - 1]);
    ph->window = hi - lo + 1;
    /* the stretch as one indexed word, when it is all ideographs: a
     * document with that word holds the phrase, no position to check */
    char word[WS_TERM_MAX + 1];
    size_t wl = 0;
    int han = ph->nkids > 2;
    uint32_t next = from;
    int title = 0; /* the title's terms: TU, TB and S */
    for (size_t i = 0; i < an->n && !title; i++)
        title = (an->t[i].kind == WS_TERM_UNI || an->t[i].kind == WS_TERM_BI) &&
                an->t[i].term[0] == WS_PFX_TITLE_UNI[0];
    for (size_t i = 0; han && i < an->nk; i++) {
        const ws__qtok *k = &an->k[i];
        if (k->pos < from || k->pos > to)
            continue;
        size_t l = strlen(k->text);
        han = k->kind == WS_TOKEN_HAN && k->pos == next && wl + l + 2 < sizeof word;
        if (han) {
            if (!wl && title)
                word[wl++] = WS_PFX_TITLE_WORD[0];
            memcpy(word + wl, k->text, l);
            wl += l;
            next = k->pos + k->nchars;
        }
    }
    if (han && wl && !(ph->term = strndup(word, wl))) {
        ws_qtree_free(ph);
        ws_qtree_free(and);
        return NULL;
    }
    if (and->nkids == 0) {
        ws_qtree_free(and);
        return ws__plan_collapse(ph); /* its characters weigh */
    }
    /* two characters: their pair is the phrase, with nothing to check (the
     * most common query, a two-character word, costs one term) */
    if (ph->nkids < 2 || (ph->nkids == 2 && npairs == 1 && !nlatin)) {
        ws_qtree_free(ph);
        return ws__plan_collapse(and);
    }
    ws_qnode *f = ws_qtree_op(WS_QOP_FILTER);
    if (!f) {
        ws_qtree_free(ph);
        ws_qtree_free(and);
        return NULL;
    }
    ws_qtree_add(f, ws__plan_collapse(and));
    ws_qtree_add(f, ph);
    return f;
}

/* Is token i covered by a compound before it? */
int ws__plan_covered(const ws__analysis *an, size_t i)
{
    /* by bytes: the compound's parts count joiners (-, .) that hold no term
     * and so are not in an->k */
    for (size_t j = i; j-- > 0 && i - j <= 64;)
        if (an->k[j].kind == WS_TOKEN_COMPOUND && an->k[j].start <= an->k[i].start &&
            an->k[i].end <= an->k[j].end)
            return 1;
    return 0;
}

static int ascii_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether white space stands right before token pos in the text analysed
 * (its space term: termgen.h). */
static int spaced_before(const ws__analysis *an, uint32_t pos)
{
    for (size_t i = 0; i < an->n; i++)
        if (an->t[i].kind == WS_TERM_SPACE && an->t[i].tokpos == pos)
            return 1;
    return 0;
}

ws_qnode *ws__plan_exact(ws__plan_ctx *c, const char *text, int title_only, size_t *ntok)
{
    ws__analysis body, title;
    if (ntok)
        *ntok = 0;
    if ((c->st = ws__plan_analyze_both(c, text, &body, &title)) != WS_OK)
        return NULL;
    ws_qnode * or = ws_qtree_op(WS_QOP_OR);
    if (or &&body.nk) {
        uint32_t end = body.k[body.nk - 1].pos + body.k[body.nk - 1].nchars;
        if (!title_only)
            ws_qtree_add(or, ws__plan_phrase_of(&body, 1, end));
        ws_qtree_add(or, ws_qtree_scale(ws__plan_phrase_of(&title, 1, end), W_TITLE));
        if (ntok)
            *ntok = body.nk;
        /* the stretch as typed, normalized: pieces joined, a compound
         * (2024年, covid-19) whole rather than its parts, Latin words and
         * numbers spaced, white space between words one space */
        char buf[WS_QUERY_MAX_BYTES * 2];
        size_t bl = 0;
        for (size_t i = 0; i < body.nk; i++) {
            const ws__qtok *k = &body.k[i];
            if (ws__plan_covered(&body, i))
                continue;
            size_t l = strlen(k->text);
            if (!l || bl + l + 2 >= sizeof buf)
                continue;
            if (bl && ((ascii_alnum(buf[bl - 1]) && ascii_alnum(k->text[0])) ||
                       spaced_before(&body, k->pos)))
                buf[bl++] = ' ';
            memcpy(buf + bl, k->text, l);
            bl += l;
        }
        ws__plan_mark_exact(c, buf, bl);
    }
    ws__plan_analysis_free(&body);
    ws__plan_analysis_free(&title);
    return ws__plan_collapse(or);
}
