/* qtree.h - a query over index terms, built by the planner (plan.h) and run
 * by the engine (engine.h), which maps each node one to one onto a
 * Xapian::Query. Nodes are created with ws_qtree_* and freed with the tree. */
#ifndef WS_QTREE_H
#define WS_QTREE_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ws_qop {
    WS_QOP_TERM,      /* term, wqf, pos */
    WS_QOP_BOOL_TERM, /* a term that filters and adds no weight */
    WS_QOP_AND,
    WS_QOP_OR,
    WS_QOP_AND_NOT,   /* kids[0] minus the others */
    WS_QOP_AND_MAYBE, /* kids[0], weighted up by the others */
    WS_QOP_FILTER,    /* kids[0], filtered by the others (no weight) */
    WS_QOP_PHRASE,    /* kids in order within window positions; term, when
                         set, names a term whose every document holds the
                         phrase (the stretch as one indexed word), so that
                         counting needs no position check for them */
    WS_QOP_NEAR,      /* kids in any order within window positions */
    WS_QOP_SYNONYM,   /* kids as one term */
    WS_QOP_SCALE,     /* kids[0] with its weight times factor */
    WS_QOP_RANGE,     /* value slot between lo and hi (either may be NULL) */
    WS_QOP_ALL,       /* every document */
    WS_QOP_NOTHING,   /* no document */
    WS_QOP_CHECK,     /* the documents that match every kid and pass the
                         text check numbered slot (a proximity: query.h's
                         prox), which only the text can decide; the search
                         layer replaces it by a DOCS before running a tree */
    WS_QOP_DOCS,      /* the documents docs[0..ndocs) (sorted docids of the
                         revision they were found in), weighted by kids[0]
                         when there is one */
} ws_qop;

typedef struct ws_qnode {
    ws_qop op;
    char *term;
    uint32_t wqf;
    uint32_t pos;
    unsigned window;
    double factor;
    unsigned slot;
    char *lo, *hi;
    struct ws_qnode **kids;
    size_t nkids;
    unsigned *docs; /* DOCS: owned */
    size_t ndocs;
} ws_qnode;

/* Constructors return NULL when out of memory (and free what they were given). */
ws_qnode *ws_qtree_term(const char *term, size_t len, uint32_t pos);
ws_qnode *ws_qtree_bool_term(const char *term, size_t len);
ws_qnode *ws_qtree_op(ws_qop op);
ws_qnode *ws_qtree_range(unsigned slot, const char *lo, const char *hi);
ws_qnode *ws_qtree_scale(ws_qnode *kid, double factor);
/* A DOCS node that takes docs (malloc'ed, sorted; freed on failure). */
ws_qnode *ws_qtree_docs(unsigned *docs, size_t ndocs);

/* Adds kid to parent (parent takes it); a NULL kid is ignored. Returns -1 when
 * out of memory (kid is freed). */
int ws_qtree_add(ws_qnode *parent, ws_qnode *kid);

/* Whether the tree holds a node of op. */
int ws_qtree_has(const ws_qnode *n, ws_qop op);

/* The number of term leaves. */
size_t ws_qtree_count_terms(const ws_qnode *n);

/* A copy of the tree, or NULL. */
ws_qnode *ws_qtree_copy(const ws_qnode *n);

void ws_qtree_free(ws_qnode *n);

/* Writes the tree as text (Xapian's notation) for debugging into f. */
void ws_qtree_dump(const ws_qnode *n, void *file);

#ifdef __cplusplus
}
#endif
#endif
