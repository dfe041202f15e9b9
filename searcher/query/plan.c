/* plan.c - the walk over the syntax tree: AND, OR, NOT, phrases, filters;
 * the keyword plan of plain words is plan_text.c's. */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "normalize.h"
#include "plan_int.h"
#include "schema.h"
#include "query.h"

static ws_qnode *plan_phrase(ws__plan_ctx *c, const ws_qast *n)
{
    size_t ntok = 0;
    ws_qnode *q = ws__plan_exact(c, n->text, n->title, &ntok);
    c->units += ntok;
    c->words += ntok > 0;
    return q;
}

static ws_qnode *plan(ws__plan_ctx *c, const ws_qast *n, ws_qnode **relaxed);
static ws_qnode *plan_near(ws__plan_ctx *c, const ws_qast *n);

/* The relaxed plan of a quoted phrase's words, as if unquoted; the words are
 * counted once, with the phrase. */
static ws_qnode *phrase_words(ws__plan_ctx *c, const ws_qast *phrase)
{
    ws_qast text = *phrase;
    text.kind = WS_QAST_TEXT;
    size_t units = c->units, words = c->words;
    int no_exact = c->no_exact;
    c->no_exact = 1;
    ws_qnode *r = NULL, *q = ws__plan_text(c, &text, &r);
    c->no_exact = no_exact;
    c->units = units;
    c->words = words;
    ws_qtree_free(q);
    return r;
}

/* Forgets the marks added since there were nm loose and ne exact ones: what
 * a query excludes is not highlighted. */
static void drop_marks(ws__plan_ctx *c, size_t nm, size_t ne)
{
    while (c->nmarks > nm)
        free(c->marks[--c->nmarks]);
    while (c->nexact > ne)
        free(c->exact[--c->nexact]);
}

/* AND of kids: the positive ones required, NOT kids subtracted. */
static ws_qnode *plan_and(ws__plan_ctx *c, const ws_qast *n, ws_qnode **relaxed)
{
    ws_qnode *pos = ws_qtree_op(WS_QOP_AND), *neg = ws_qtree_op(WS_QOP_OR),
             *flt = ws_qtree_op(WS_QOP_AND);
    ws_qnode *rpos = ws_qtree_op(WS_QOP_AND);
    int relaxable = 0, quoted = 0;
    size_t nwords = 0; /* kids that are no filter */
    for (size_t i = 0; i < n->nkids && c->st == WS_OK; i++) {
        const ws_qast *k = n->kids[i];
        ws_qnode *r = NULL;
        nwords += k->kind != WS_QAST_SOURCE && k->kind != WS_QAST_TYPE && k->kind != WS_QAST_DATE;
        if (k->kind == WS_QAST_NOT) {
            size_t nm = c->nmarks, ne = c->nexact;
            ws_qtree_add(neg, plan(c, k->kids[0], NULL));
            drop_marks(c, nm, ne);
        } else if (k->kind == WS_QAST_SOURCE || k->kind == WS_QAST_TYPE ||
                   k->kind == WS_QAST_DATE) {
            ws_qtree_add(flt, plan(c, k, NULL));
        } else {
            ws_qnode *q = plan(c, k, &r);
            if (q && !r && k->kind == WS_QAST_PHRASE && n->nkids > 1)
                r = phrase_words(c, k);
            if (q) {
                ws_qtree_add(rpos, r ? r : ws_qtree_copy(q));
                relaxable |= r != NULL;
                quoted |= k->kind == WS_QAST_PHRASE;
            }
            ws_qtree_add(pos, q);
        }
    }
    if (quoted && relaxable && rpos->nkids > 1) {
        /* a question that quotes a term (“一房多租”有效吗？): relaxed, any of
         * its parts, those with all of them first */
        rpos->op = WS_QOP_OR;
        ws_qtree_add(rpos,
                     ws_qtree_scale(ws__plan_collapse(ws_qtree_copy(pos)), W_STRICT_IN_RELAXED));
    }
    if (nwords && !pos->nkids && !neg->nkids) {
        /* words that hold nothing to search ("" ""): not every document */
        ws_qtree_free(pos);
        ws_qtree_free(rpos);
        ws_qtree_free(flt);
        ws_qtree_free(neg);
        return NULL;
    }
    ws_qnode *parts[2] = {pos, rpos}, *out[2];
    for (int v = 0; v < 2; v++) {
        ws_qnode *q = parts[v];
        if (!q->nkids) {
            ws_qtree_free(q);
            q = ws_qtree_op(WS_QOP_ALL);
        } else {
            q = ws__plan_collapse(q);
        }
        if (flt->nkids) {
            ws_qnode *f = ws_qtree_op(WS_QOP_FILTER);
            ws_qtree_add(f, q);
            ws_qtree_add(f, ws__plan_collapse(ws_qtree_copy(flt)));
            q = f;
        }
        if (neg->nkids) {
            ws_qnode *an = ws_qtree_op(WS_QOP_AND_NOT);
            ws_qtree_add(an, q);
            ws_qtree_add(an, ws__plan_collapse(ws_qtree_copy(neg)));
            q = an;
        }
        out[v] = q;
    }
    ws_qtree_free(flt);
    ws_qtree_free(neg);
    if (relaxed && relaxable)
        *relaxed = out[1];
    else
        ws_qtree_free(out[1]);
    return out[0];
}

/* A proximity: the documents holding both sides (each planned as a term of
 * the query is), then checked by their text (WS_QOP_CHECK): the index's
 * positions count words, pairs and punctuation, not characters, and know
 * no sentence. */
static ws_qnode *plan_near(ws__plan_ctx *c, const ws_qast *n)
{
    ws_qnode *chk = ws_qtree_op(WS_QOP_CHECK);
    if (!chk) {
        c->st = WS_ENOMEM;
        return NULL;
    }
    chk->slot = n->prox;
    c->nprox++;
    for (size_t i = 0; i < n->nkids && c->st == WS_OK; i++) {
        ws_qnode *side = plan(c, n->kids[i], NULL);
        if (!side && c->st == WS_OK) {
            snprintf(c->err, c->errlen,
                     "a side of a proximity operator has no word that can be searched");
            c->st = WS_EQUERY;
        }
        if (ws_qtree_add(chk, side) < 0)
            c->st = WS_ENOMEM;
    }
    if (c->st != WS_OK) {
        ws_qtree_free(chk);
        return NULL;
    }
    return chk;
}

static ws_qnode *plan(ws__plan_ctx *c, const ws_qast *n, ws_qnode **relaxed)
{
    if (relaxed)
        *relaxed = NULL;
    if (c->st != WS_OK)
        return NULL;
    switch (n->kind) {
    case WS_QAST_TEXT: {
        ws_qnode *r = NULL, *q = ws__plan_text(c, n, &r);
        if (relaxed)
            *relaxed = r;
        else
            ws_qtree_free(r);
        return q;
    }
    case WS_QAST_PHRASE:
        return plan_phrase(c, n);
    case WS_QAST_AND:
        return plan_and(c, n, relaxed);
    case WS_QAST_NOT: {
        ws_qast one = {.kind = WS_QAST_AND, .kids = (ws_qast **)&n, .nkids = 1};
        return plan_and(c, &one, NULL);
    }
    case WS_QAST_OR: {
        ws_qnode * or = ws_qtree_op(WS_QOP_OR);
        for (size_t i = 0; or &&i < n->nkids; i++)
            ws_qtree_add(or, plan(c, n->kids[i], NULL));
        return ws__plan_collapse(or);
    }
    case WS_QAST_SOURCE:
    case WS_QAST_TYPE:
    case WS_QAST_DATE:
        return ws_plan_filter(n);
    case WS_QAST_NEAR:
        return plan_near(c, n);
    }
    return NULL;
}

ws_qnode *ws_plan_filter(const ws_qast *n)
{
    /* the term the indexer gave the value, hashed when it is long */
    char buf[WS_KEY_TERM_MAX];
    switch (n->kind) {
    case WS_QAST_SOURCE:
        return ws_qtree_bool_term(buf, ws_schema_key_term(WS_KEY_SOURCE, n->text, buf));
    case WS_QAST_TYPE: {
        /* folded as the indexer folds types (normalize.h); a type outside
         * ASCII also as an index made before that keeps it (ASCII letters
         * lowered only), so that its facets' links still find it */
        char *type = NULL;
        if (ws_normalize_type(n->text, strlen(n->text), &type, NULL) != WS_OK)
            return NULL;
        size_t len = ws_schema_key_term(WS_KEY_TYPE, type, buf);
        free(type);
        char old[WS_KEY_TERM_MAX];
        size_t olen = ws_schema_key_term(WS_KEY_TYPE, n->text, old);
        ws_qnode *t = ws_qtree_bool_term(buf, len);
        if (!t || (olen == len && !memcmp(old, buf, len)))
            return t;
        ws_qnode *either = ws_qtree_op(WS_QOP_OR);
        if (!either) {
            ws_qtree_free(t);
            return NULL;
        }
        if (ws_qtree_add(either, t) < 0 ||
            ws_qtree_add(either, ws_qtree_bool_term(old, olen)) < 0) {
            ws_qtree_free(either);
            return NULL;
        }
        return either;
    }
    case WS_QAST_DATE: {
        /* bounds compare as strings with YYYY-MM-DD values: a partial upper
         * bound covers the whole year or month */
        char hi[16];
        snprintf(hi, sizeof hi, "%s~", n->hi);
        return ws_qtree_range(WS_SLOT_DATE, *n->lo ? n->lo : NULL, *n->hi ? hi : NULL);
    }
    default:
        return NULL;
    }
}

ws_status ws_plan_build(ws_analyzer *a, const ws_synonyms *syn, const ws_qast *ast, unsigned flags,
                        ws_plan *out, char *errbuf, size_t errlen)
{
    ws__plan_ctx c;
    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);
    c.a = a;
    c.syn = syn;
    c.flags = flags;
    c.err = errbuf;
    c.errlen = errlen;
    ws_qnode *r = NULL;
    ws_qnode *q = plan(&c, ast, &r);
    out->marks = c.exact;
    out->nmarks = c.nexact;
    out->loose_marks = c.marks;
    out->nloose_marks = c.nmarks;
    out->units = c.words;
    if (c.st == WS_OK && c.units > WS_QUERY_MAX_TERMS) {
        snprintf(errbuf, errlen,
                 "the query has %zu words as the analyzer cuts them (a passage of Chinese is "
                 "about one word in two characters); at most %d are allowed",
                 c.units, WS_QUERY_MAX_TERMS);
        c.st = WS_ETOOBIG;
    }
    if (r && c.nprox) {
        /* a proximity asks for words in a given place: "some of the words"
         * anywhere is not an answer to it */
        ws_qtree_free(r);
        r = NULL;
    }
    if (c.st == WS_OK && !q) {
        snprintf(errbuf, errlen, "the query has no word that can be searched");
        c.st = WS_EQUERY;
    }
    if (c.st != WS_OK) {
        ws_qtree_free(q);
        ws_qtree_free(r);
        ws_plan_free(out);
        return c.st;
    }
    out->query = q;
    out->relaxed = r;
    return WS_OK;
}

void ws_plan_free(ws_plan *p)
{
    ws_qtree_free(p->query);
    ws_qtree_free(p->relaxed);
    for (size_t i = 0; i < p->nmarks; i++)
        free(p->marks[i]);
    free(p->marks);
    for (size_t i = 0; i < p->nloose_marks; i++)
        free(p->loose_marks[i]);
    free(p->loose_marks);
    memset(p, 0, sizeof *p);
}
