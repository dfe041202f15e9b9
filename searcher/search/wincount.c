#include "wincount.h"

#include <stdlib.h>
#include <string.h>

/* How many fields' occurrences wait to be counted together: enough for
 * the fetches of their places to overlap, few enough to stay in cache. */
#define BATCH 32

/* A field's occurrences, queued: occ[at..at + n) of the counter's. */
typedef struct field {
    const uint32_t *start, *id, *len;
    size_t nw, tlen;
    unsigned k;
    size_t at, n;
} field;

struct ws_wincount {
    unsigned window;
    uint32_t *cnt[WS_WORDCACHE_MAX_SHARDS]; /* by word number, as first needed */
    size_t ncnt[WS_WORDCACHE_MAX_SHARDS];
    field q[BATCH];
    size_t nq;
    ws_occ *occ; /* the queue's occurrences */
    size_t *guess;
    size_t nocc, capocc;
    size_t *edge; /* a field's: per occurrence its first word, then past its last */
    size_t capedge;
};

ws_status ws_wincount_new(unsigned window, ws_wincount **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return WS_ENOMEM;
    (*out)->window = window;
    return WS_OK;
}

void ws_wincount_free(ws_wincount *w)
{
    if (!w)
        return;
    for (unsigned k = 0; k < WS_WORDCACHE_MAX_SHARDS; k++)
        free(w->cnt[k]);
    free(w->occ);
    free(w->guess);
    free(w->edge);
    free(w);
}

/* Where a word that starts at byte at would be, were the words of q even
 * in length. */
static size_t guess_of(const field *q, size_t at)
{
    size_t g = q->tlen ? (size_t)((double)at * (double)q->nw / (double)q->tlen) : 0;
    return g < q->nw ? g : q->nw ? q->nw - 1 : 0;
}

/* The first of q's words [k, nw) that ends past byte at, or nw, looked
 * for from the guess g: by steps that double (1, 2, 4, ...) towards it,
 * then halving. Near the guess, as most are, it is a probe or two; where
 * the guess is far (a run of long Latin words before Chinese text puts
 * it hundreds of thousands of words off), it is a binary search, not a
 * walk: stepping one word at a time there made collocates of a 4 MB
 * document sixty times slower than reading its list from the index. */
static size_t first_past(const field *q, size_t k, size_t g, size_t at)
{
    const uint32_t *start = q->start;
    size_t nw = q->nw, lo, hi; /* start[lo - 1] < at (or lo == k), start[hi] >= at (or hi == nw) */
    g = g < k ? k : g > nw ? nw : g;
    if (g > k && start[g - 1] >= at) {
        size_t step = 1;
        hi = g - 1;
        while (hi > k && hi - k > step && start[hi - step] >= at) {
            hi -= step;
            step *= 2;
        }
        lo = hi - k > step ? hi - step + 1 : k;
    } else {
        size_t step = 1;
        lo = g;
        while (lo < nw && nw - lo > step && start[lo + step - 1] < at) {
            lo += step;
            step *= 2;
        }
        hi = nw - lo > step ? lo + step - 1 : nw;
    }
    while (lo < hi) { /* the first of [lo, hi) that starts at or past at */
        size_t mid = lo + (hi - lo) / 2;
        if (start[mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    g = lo;
    /* g: the first word that starts at or past at; the one before may
     * reach past it, unless g starts right there (a word's length is a
     * wait for memory more) */
    if (g > k && (g == nw || start[g] != at) &&
        start[g - 1] + q->len[q->id[g - 1] & ~WS_WORDCACHE_STOP] > at)
        g--;
    return g;
}

/* Counts the words around q's occurrences into cnt. */
static void count_field(ws_wincount *w, const field *q, uint32_t *cnt)
{
    const ws_occ *occ = w->occ + q->at;
    const size_t *guess = w->guess + q->at;
    size_t n = q->n, nw = q->nw, N = w->window, *first = w->edge, *last = w->edge + n, k = 0;
    const uint32_t *start = q->start, *id = q->id;
    for (size_t i = 0; i < n; i++) {
        k = first_past(q, k, guess[i], occ[i].start);
        first[i] = k; /* the first word that touches the match, or follows it */
        size_t j = k;
        while (j < nw && start[j] < occ[i].end)
            j++;
        last[i] = j; /* one past the last word that touches it */
    }
    /* the windows' words in rising order: each occurrence's run of them
     * begins and ends no earlier than the one before's */
    size_t done = 0, t = 0;
    for (size_t i = 0; i < n; i++) {
        size_t a = first[i] > N ? first[i] - N : 0, b = last[i] + N < nw ? last[i] + N : nw;
        for (size_t x = a > done ? a : done; x < b; x++) {
            while (t < n && last[t] <= x)
                t++;
            if ((t < n && first[t] <= x) || (id[x] & WS_WORDCACHE_STOP))
                continue; /* the match itself, or a stop word */
            cnt[id[x]]++;
        }
        done = b > done ? b : done;
    }
}

ws_status ws_wincount_flush(ws_wincount *w)
{
    for (size_t f = 0; f < w->nq; f++) {
        const field *q = &w->q[f];
        size_t need = 2 * q->n;
        if (need > w->capedge) {
            size_t *g = realloc(w->edge, need * 2 * sizeof *g);
            if (!g)
                return WS_ENOMEM;
            w->edge = g;
            w->capedge = need * 2;
        }
        count_field(w, q, w->cnt[q->k]);
    }
    w->nq = 0;
    w->nocc = 0;
    return WS_OK;
}

ws_status ws_wincount_add(ws_wincount *w, const ws_wordcached *cw, int f, const ws_occ *occ,
                          size_t n)
{
    unsigned k = cw->k;
    if (!n)
        return WS_OK;
    if (k >= WS_WORDCACHE_MAX_SHARDS)
        return WS_EINVAL;
    if (!w->cnt[k]) {
        w->ncnt[k] = ws_wordshard_size(cw->shard);
        if (!(w->cnt[k] = calloc(w->ncnt[k] + 1, sizeof *w->cnt[k])))
            return WS_ENOMEM;
    }
    if (w->nq == BATCH) {
        ws_status st = ws_wincount_flush(w);
        if (st != WS_OK)
            return st;
    }
    if (w->nocc + n > w->capocc) {
        size_t cap = (w->nocc + n) * 2 + 256;
        ws_occ *o = realloc(w->occ, cap * sizeof *o);
        if (o)
            w->occ = o;
        size_t *g = o ? realloc(w->guess, cap * sizeof *g) : NULL;
        if (!g)
            return WS_ENOMEM;
        w->guess = g;
        w->capocc = cap;
    }
    memcpy(w->occ + w->nocc, occ, n * sizeof *occ);
    field *q = &w->q[w->nq++];
    *q = (field){
        cw->start[f], cw->id[f], ws_wordshard_lengths(cw->shard), cw->n[f], cw->wf[f].len, k,
        w->nocc,      n};
    /* the places each occurrence reads first, fetched now: by the time
     * the batch is counted they are in (the waits overlap the reading of
     * the documents after this one) */
    for (size_t i = 0; i < n; i++) {
        size_t g = guess_of(q, occ[i].start);
        w->guess[w->nocc + i] = g;
        if (!q->nw)
            continue; /* (a field of no word: nothing to fetch) */
        size_t lo = g > w->window ? g - w->window : 0;
        size_t hi = g + w->window + 2 < q->nw ? g + w->window + 2 : q->nw - 1;
        __builtin_prefetch(&q->start[g]);
        __builtin_prefetch(&q->id[lo]);
        __builtin_prefetch(&q->id[hi]);
    }
    w->nocc += n;
    return WS_OK;
}

const uint32_t *ws_wincount_counts(const ws_wincount *w, unsigned k)
{
    return k < WS_WORDCACHE_MAX_SHARDS ? w->cnt[k] : NULL;
}

ws_status ws_wincount_merge(ws_wincount *into, const ws_wincount *from,
                            const ws_wordshard *const *shard, unsigned ns)
{
    for (unsigned k = 0; k < ns && k < WS_WORDCACHE_MAX_SHARDS; k++) {
        if (!from->cnt[k])
            continue;
        size_t n = ws_wordshard_size(shard[k]);
        if (!into->cnt[k]) {
            if (!(into->cnt[k] = calloc(n + 1, sizeof *into->cnt[k])))
                return WS_ENOMEM;
            into->ncnt[k] = n;
        }
        uint32_t *a = into->cnt[k];
        const uint32_t *b = from->cnt[k];
        for (size_t i = 0; i < n; i++)
            a[i] += b[i];
    }
    return WS_OK;
}
