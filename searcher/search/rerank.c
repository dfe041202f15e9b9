#include "rerank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct part {
    uint64_t whole; /* 0: a whole of its own */
    double w;       /* Xapian's weight, then the fused one */
    size_t at;      /* where it was in ms->m */
} part;

static int cmp_at(const part *a, const part *b)
{
    return (a->at > b->at) - (a->at < b->at);
}

/* Best first; among equals, Xapian's order. */
static int by_weight(const void *pa, const void *pb)
{
    const part *a = pa, *b = pb;
    return a->w > b->w ? -1 : a->w < b->w ? 1 : cmp_at(a, b);
}

/* By whole (the unknown last, each alone), then best first. */
static int by_whole(const void *pa, const void *pb)
{
    const part *a = pa, *b = pb;
    if (a->whole != b->whole)
        return !a->whole ? 1 : !b->whole ? -1 : a->whole < b->whole ? -1 : 1;
    return a->whole ? by_weight(pa, pb) : cmp_at(a, b);
}

ws_status ws_rerank_window(ws_mset *ms, const unsigned *cited, const unsigned *article_cited)
{
    /* the best WS_PARTS_DEPTH only; those after keep Xapian's order (and
     * weights, lower than any in the window), so that a page further down
     * follows on from the ones before it */
    size_t n = ms->n < WS_PARTS_DEPTH ? ms->n : WS_PARTS_DEPTH;
    if (n < 2)
        return WS_OK;
    part *p = malloc(n * sizeof *p);
    ws_match *m = malloc(n * sizeof *m);
    if (!p || !m) {
        free(p);
        free(m);
        return WS_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        p[i] = (part){.whole = ms->m[i].whole, .w = ms->m[i].weight, .at = i};
    qsort(p, n, sizeof *p, by_whole);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && p[i].whole && p[j].whole == p[i].whole)
            j++;
        double sum = 0;
        for (size_t k = i; k < j && k - i < WS_PARTS_BEST; k++)
            sum += p[k].w;
        for (size_t k = i; k < j; k++)
            p[k].w += WS_PARTS_SHARE * sum / WS_PARTS_BEST;
        i = j;
    }
    double top = 0;
    for (size_t i = 0; i < n; i++)
        top = p[i].w > top ? p[i].w : top;
    for (size_t i = 0; cited && i < n; i++)
        p[i].w += WS_PARTS_CITED * top * log1p(cited[p[i].at]);
    for (size_t i = 0; article_cited && i < n; i++)
        p[i].w += WS_PARTS_CITED_ARTICLE * top * log1p(article_cited[p[i].at]);
    for (size_t i = 0; i < n; i++)
        p[i].w += WS_PARTS_VECTOR * top * fmax(0, ms->m[p[i].at].sim);
    qsort(p, n, sizeof *p, by_weight);
    for (size_t i = 0; i < n; i++) {
        m[i] = ms->m[p[i].at];
        m[i].weight = p[i].w;
    }
    memcpy(ms->m, m, n * sizeof *m);
    free(m);
    free(p);
    return WS_OK;
}
