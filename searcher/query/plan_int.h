/* plan_int.h - what plan.c, plan_text.c and plan_terms.c share: the weights
 * of a keyword query, a query text analysed into terms and tokens, and the
 * planner's state. Not a public header: the searcher sees only plan.h. */
#ifndef WS_PLAN_INT_H
#define WS_PLAN_INT_H

#include <stddef.h>
#include <stdint.h>
#include "plan.h"
#include "termgen.h"

/* Weights of the parts of a keyword query (see plan.h). */
#define W_STRICT_IN_RELAXED 3.0 /* documents with every word, in a relaxed plan */
#define W_TITLE             2.0 /* a match in the title */
/* Relaxed plans (questions) OR only the body's terms: where a title names
 * the whole (a law's name on each of its articles) it ranks every part of it
 * above the one that answers (tools/README.md has the figures). Documents
 * with every word in body or title still get the strict part's weight. */
#define W_SYNONYM_LOOSE        1.0 /* a synonym's terms in a relaxed plan */
#define WS_PLAN_LOOSE_SYNONYMS 64  /* synonyms of one text in its relaxed plan, at most */

/* One term of an analyzed text, and the token it came from. */
typedef struct ws__qterm {
    char *term;
    ws_term_kind kind;
    uint32_t pos;    /* the term's position, 0 for none */
    uint32_t at;     /* where it starts: pos, or for a pair its first character's */
    uint32_t tokpos; /* its token's */
    uint32_t nchars;
    int tokkind;
    unsigned lexflags;
    unsigned parts;
} ws__qterm;

typedef struct ws__qtok {
    int kind;
    uint32_t pos, nchars;
    unsigned lexflags, parts;
    size_t start, end; /* bytes of the query it comes from */
    char *text;
} ws__qtok;

typedef struct ws__analysis {
    ws__qterm *t;
    size_t n, cap;
    ws__qtok *k;
    size_t nk, capk;
    ws_status st;
    int spaces; /* the index has space and punctuation terms (WS_PLAN_SPACES):
                   a phrase requires them, else its punctuation terms are
                   left out */
} ws__analysis;

typedef struct ws__plan_ctx {
    ws_analyzer *a;
    const ws_synonyms *syn;
    unsigned flags; /* ws_plan_build's */
    char *err;
    size_t errlen;
    size_t units;
    size_t words; /* units, a run of single characters counting as one */
    char **marks; /* the words and phrases of the query (ws_plan.loose_marks) */
    size_t nmarks, capmarks;
    char **exact; /* what it requires as written (ws_plan.marks) */
    size_t nexact, capexact;
    int no_exact; /* planning words that are required elsewhere: no exact marks */
    /* planning the pieces of a TEXT node as written, whose words and runs
     * mark_units marks (plan_text.c): no loose marks, which make a
     * question's vector (a piece would count its words once more, and each
     * of its synonym variants the whole piece again) */
    int exact_only;
    size_t nprox; /* proximities planned */
    ws_status st;
} ws__plan_ctx;

/* plan_terms.c: a text analysed for a field, or for body and title (freed
 * with ws__plan_analysis_free, nothing to free on failure), a mark added once
 * (to the loose marks; ws__plan_mark_exact to both, or to the exact ones
 * alone while exact_only), term t as a node, a node collapsed, the phrase of
 * tokens from..to, whether token i is part of a compound before it, and a
 * text required as written (ws__plan_exact). */
ws_status ws__plan_analyze(ws__plan_ctx *c, const char *text, ws_field field, ws__analysis *an);
void ws__plan_analysis_free(ws__analysis *an);
ws_status ws__plan_analyze_both(ws__plan_ctx *c, const char *text, ws__analysis *body,
                                ws__analysis *title);
void ws__plan_mark(ws__plan_ctx *c, const char *s, size_t len);
void ws__plan_mark_exact(ws__plan_ctx *c, const char *s, size_t len);
ws_qnode *ws__plan_term(const ws__qterm *t, int with_pos);
ws_qnode *ws__plan_collapse(ws_qnode *n);
ws_qnode *ws__plan_phrase_of(const ws__analysis *an, uint32_t from, uint32_t to);
int ws__plan_covered(const ws__analysis *an, size_t i);
/* text as a verbatim stretch (a substring of the normalized body or title,
 * whatever the segmentation): the phrase of its pairs and characters in the
 * body, or in the title weighed W_TITLE (only there when title_only), its
 * normalized form marked. NULL with *ntok 0 when it holds no term; *ntok
 * gets its tokens (ntok may be NULL). */
ws_qnode *ws__plan_exact(ws__plan_ctx *c, const char *text, int title_only, size_t *ntok);

/* plan_text.c: the keyword plan of a TEXT node. */
ws_qnode *ws__plan_text(ws__plan_ctx *c, const ws_qast *n, ws_qnode **relaxed);

#endif
