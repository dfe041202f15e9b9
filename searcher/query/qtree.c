#include "qtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ws_qnode *ws_qtree_op(ws_qop op)
{
    ws_qnode *n = calloc(1, sizeof *n);
    if (n) {
        n->op = op;
        n->factor = 1.0;
        n->wqf = 1;
    }
    return n;
}

ws_qnode *ws_qtree_term(const char *term, size_t len, uint32_t pos)
{
    ws_qnode *n = ws_qtree_op(WS_QOP_TERM);
    if (!n)
        return NULL;
    n->term = malloc(len + 1);
    if (!n->term) {
        free(n);
        return NULL;
    }
    memcpy(n->term, term, len);
    n->term[len] = '\0';
    n->pos = pos;
    return n;
}

ws_qnode *ws_qtree_bool_term(const char *term, size_t len)
{
    ws_qnode *n = ws_qtree_term(term, len, 0);
    if (n)
        n->op = WS_QOP_BOOL_TERM;
    return n;
}

ws_qnode *ws_qtree_range(unsigned slot, const char *lo, const char *hi)
{
    ws_qnode *n = ws_qtree_op(WS_QOP_RANGE);
    if (!n)
        return NULL;
    n->slot = slot;
    if ((lo && !(n->lo = strdup(lo))) || (hi && !(n->hi = strdup(hi)))) {
        ws_qtree_free(n);
        return NULL;
    }
    return n;
}

ws_qnode *ws_qtree_scale(ws_qnode *kid, double factor)
{
    if (!kid)
        return NULL;
    ws_qnode *n = ws_qtree_op(WS_QOP_SCALE);
    if (!n || ws_qtree_add(n, kid) < 0) {
        if (n)
            ws_qtree_free(n);
        else
            ws_qtree_free(kid);
        return NULL;
    }
    n->factor = factor;
    return n;
}

ws_qnode *ws_qtree_docs(unsigned *docs, size_t ndocs)
{
    ws_qnode *n = ws_qtree_op(WS_QOP_DOCS);
    if (!n) {
        free(docs);
        return NULL;
    }
    n->docs = docs;
    n->ndocs = ndocs;
    return n;
}

int ws_qtree_has(const ws_qnode *n, ws_qop op)
{
    if (!n)
        return 0;
    if (n->op == op)
        return 1;
    for (size_t i = 0; i < n->nkids; i++)
        if (ws_qtree_has(n->kids[i], op))
            return 1;
    return 0;
}

int ws_qtree_add(ws_qnode *parent, ws_qnode *kid)
{
    if (!kid)
        return 0;
    ws_qnode **k = realloc(parent->kids, (parent->nkids + 1) * sizeof *k);
    if (!k) {
        ws_qtree_free(kid);
        return -1;
    }
    parent->kids = k;
    parent->kids[parent->nkids++] = kid;
    return 0;
}

size_t ws_qtree_count_terms(const ws_qnode *n)
{
    if (!n)
        return 0;
    size_t c = (n->op == WS_QOP_TERM || n->op == WS_QOP_BOOL_TERM) ? 1 : 0;
    for (size_t i = 0; i < n->nkids; i++)
        c += ws_qtree_count_terms(n->kids[i]);
    return c;
}

ws_qnode *ws_qtree_copy(const ws_qnode *n)
{
    ws_qnode *c = ws_qtree_op(n->op);
    if (!c)
        return NULL;
    c->wqf = n->wqf;
    c->pos = n->pos;
    c->window = n->window;
    c->factor = n->factor;
    c->slot = n->slot;
    if ((n->term && !(c->term = strdup(n->term))) || (n->lo && !(c->lo = strdup(n->lo))) ||
        (n->hi && !(c->hi = strdup(n->hi)))) {
        ws_qtree_free(c);
        return NULL;
    }
    if (n->ndocs) {
        if (!(c->docs = malloc(n->ndocs * sizeof *c->docs))) {
            ws_qtree_free(c);
            return NULL;
        }
        memcpy(c->docs, n->docs, n->ndocs * sizeof *c->docs);
        c->ndocs = n->ndocs;
    }
    for (size_t i = 0; i < n->nkids; i++) {
        ws_qnode *k = ws_qtree_copy(n->kids[i]);
        if (!k || ws_qtree_add(c, k) < 0) {
            ws_qtree_free(c);
            return NULL;
        }
    }
    return c;
}

void ws_qtree_free(ws_qnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        ws_qtree_free(n->kids[i]);
    free(n->kids);
    free(n->term);
    free(n->lo);
    free(n->hi);
    free(n->docs);
    free(n);
}

void ws_qtree_dump(const ws_qnode *n, void *file)
{
    static const char *const names[] = {
        "TERM", "BOOL",    "AND",   "OR",    "AND_NOT", "AND_MAYBE", "FILTER", "PHRASE",
        "NEAR", "SYNONYM", "SCALE", "RANGE", "ALL",     "NOTHING",   "CHECK",  "DOCS",
    };
    FILE *f = file;
    if (n->op == WS_QOP_TERM || n->op == WS_QOP_BOOL_TERM) {
        fprintf(f, "%s%s", n->op == WS_QOP_BOOL_TERM ? "0 * " : "", n->term);
        if (n->pos)
            fprintf(f, "@%u", n->pos);
        return;
    }
    if (n->op == WS_QOP_RANGE) {
        fprintf(f, "VALUE_RANGE %u %s %s", n->slot, n->lo ? n->lo : "", n->hi ? n->hi : "");
        return;
    }
    if (n->op == WS_QOP_SCALE)
        fprintf(f, "%.2f * ", n->factor);
    if (n->op == WS_QOP_CHECK)
        fprintf(f, "CHECK#%u ", n->slot);
    if (n->op == WS_QOP_DOCS)
        fprintf(f, "DOCS[%zu] ", n->ndocs);
    fprintf(f, "(");
    for (size_t i = 0; i < n->nkids; i++) {
        if (i)
            fprintf(f, " %s ", names[n->op]);
        ws_qtree_dump(n->kids[i], f);
    }
    if (n->nkids == 1 && n->op != WS_QOP_SCALE)
        fprintf(f, " %s", names[n->op]);
    if (n->op == WS_QOP_PHRASE || n->op == WS_QOP_NEAR)
        fprintf(f, " ~%u", n->window);
    fprintf(f, ")");
}
