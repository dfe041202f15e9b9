#include "collocates.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cachesweep.h"
#include "lexicon.h"
#include "listed.h"
#include "matchpass.h"
#include "normalize.h"
#include "occurrence.h"
#include "schema.h"
#include "search_int.h"
#include "strbuf.h"
#include "tally.h"
#include "textdoc.h"
#include "utf8.h"
#include "wincount.h"
#include "wordlist.h"

/* ---- where the text may be cut ---- */

/* 。，；！？、： as print writes them (full width). */
static int clause_mark(uint32_t c)
{
    return c == 0x3002 || c == 0x3001 || c == 0xFF0C || c == 0xFF1B || c == 0xFF01 || c == 0xFF1F ||
           c == 0xFF1A;
}

/* Whether text may be cut at byte i: just after a clause mark that stands
 * between two Chinese characters. The analyzer breaks a word there and
 * begins a new run of Chinese text after it, and normalizes one code point
 * at a time, so the words on either side are those of the whole text. */
static int cut_at(const char *s, size_t len, size_t i)
{
    if (i == 0 || i >= len || !ws_char_is_han(ws_utf8_cp_at(s, len, i)))
        return 0;
    size_t m = ws_utf8_prev(s, i);
    if (m == 0 || !clause_mark(ws_utf8_cp_at(s, len, m)))
        return 0;
    return ws_char_is_han(ws_utf8_cp_at(s, len, ws_utf8_prev(s, m)));
}

/* A cut at least k code points before at (0 when there is none). */
static size_t cut_before(const char *s, size_t len, size_t at, size_t k)
{
    size_t i = at;
    for (size_t n = 0; i > 0 && n < k; n++)
        i = ws_utf8_prev(s, i);
    while (i > 0 && !cut_at(s, len, i))
        i = ws_utf8_prev(s, i);
    return i;
}

/* A cut at least k code points after at (len when there is none). */
static size_t cut_after(const char *s, size_t len, size_t at, size_t k)
{
    size_t i = at;
    for (size_t n = 0; i < len && n < k; n++)
        i = ws_utf8_next(s, len, i);
    while (i < len && !cut_at(s, len, i))
        i = ws_utf8_next(s, len, i);
    return i;
}

/* ---- the words of a stretch of text ---- */

/* Where an analyzed word's normalized text is in the run's arena (a word
 * list's word is its own range of the list's text). */
typedef struct wtext {
    size_t at, len;
} wtext;

/* What the threads counting from word lists share (ws_listed_each). */
typedef struct shared {
    const ws_occ_patterns *ps;
    atomic_ulong occurrences; /* of every thread, against the limit */
} shared;

/* Where a stretch of a word list's words read without a gap begins: its
 * first word in run's lw[f], its first occurrence. */
typedef struct stretch {
    size_t word, occ;
} stretch;

typedef struct run {
    ws_searcher *s; /* for the text path only: the calling thread's */
    shared *sh;
    const ws_lexicon *lex;
    unsigned window;
    /* the stretch being analyzed */
    size_t base, covered;
    ws_word *w; /* the words: [start, end) bytes of the field */
    wtext *wt;  /* their text in arena (the text path's) */
    size_t nw, capw, capwt;
    ws_strbuf arena;
    ws_word *lw[2]; /* a word list's words around the matches: its title's, its body's */
    size_t caplw[2], nlw[2];
    stretch *seg[2];
    size_t capseg[2], nseg[2];
    unsigned char *mark; /* per word: 0, 1 in a window, 2 touching a match */
    size_t capmark;
    size_t *edge; /* per occurrence: its first word, then past its last */
    size_t capedge;
    ws_tally_ref *ref; /* a word list's words to count */
    size_t capref;
    ws_wincount
        *counter; /* the words counted by number from the word cache (made as first needed) */
    /* what the field counted, committed once the field is done */
    wtext *pending; /* the words counted, in parena */
    size_t npending, cappending;
    ws_strbuf parena; /* words analyzed, kept past their stretch */
    /* every field's */
    ws_tally words; /* every field's words counted */
    unsigned long occurrences, documents;
    unsigned long unshared; /* occurrences not yet added to sh's */
    enum { FINE, TOO_MANY_WORDS, TOO_MANY_OCCURRENCES, DAMAGED } why; /* of a failure */
} run;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 256;
    while (c < need)
        c *= 2;
    void *g = realloc(*p, c * size);
    if (!g)
        return -1;
    *p = g;
    *cap = c;
    return 0;
}

static ws_status on_token(void *ctx, const ws_token *t)
{
    run *r = ctx;
    if (!ws_wordlist_takes(&r->covered, t))
        return WS_OK; /* punctuation, or a part of a word before it */
    if (grow((void **)&r->w, &r->capw, r->nw + 1, sizeof *r->w) < 0 ||
        grow((void **)&r->wt, &r->capwt, r->nw + 1, sizeof *r->wt) < 0)
        return WS_ENOMEM;
    r->wt[r->nw] = (wtext){r->arena.len, t->len};
    r->w[r->nw++] = (ws_word){r->base + t->start, r->base + t->end, ws_wordlist_is_stop(r->lex, t)};
    ws_strbuf_add(&r->arena, t->text, t->len);
    ws_strbuf_add(&r->arena, "", 1);
    return r->arena.failed ? WS_ENOMEM : WS_OK;
}

/* The words of text[b, e) into r->w. */
static ws_status analyze(run *r, const char *text, size_t b, size_t e)
{
    r->nw = 0;
    r->arena.len = 0;
    r->base = b;
    r->covered = 0;
    uint32_t pos = 1;
    return ws_analyzer_run(ws__searcher_analyzer(r->s), text + b, e - b, WS_ANALYZE_JOIN_LINES,
                           &pos, on_token, r);
}

/* Marks the windows of occ[0..n) in r->w; 1 when a window is cut short by
 * the stretch [b, e) rather than by the field [0, len), -1 out of memory. */
static int mark_windows(run *r, const ws_occ *occ, size_t n, size_t b, size_t e, size_t len)
{
    size_t N = r->window, nw = r->nw;
    if (grow((void **)&r->edge, &r->capedge, 2 * n, sizeof *r->edge) < 0)
        return -1;
    size_t *first = r->edge, *last = r->edge + n;
    memset(r->mark, 0, nw);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        while (k < nw && r->w[k].end <= occ[i].start)
            k++;
        first[i] = k; /* the first word that touches the match, or follows it */
        size_t j = k;
        while (j < nw && r->w[j].start < occ[i].end)
            r->mark[j++] = 2;
        last[i] = j; /* one past the last word that touches it */
    }
    int short_cut = 0;
    for (size_t i = 0; i < n; i++) {
        if (first[i] < N && b > 0)
            short_cut = 1;
        if (nw - last[i] < N && e < len)
            short_cut = 1;
        for (size_t j = first[i] > N ? first[i] - N : 0; j < first[i]; j++)
            if (!r->mark[j])
                r->mark[j] = 1;
        for (size_t j = last[i]; j < nw && j < last[i] + N; j++)
            if (!r->mark[j])
                r->mark[j] = 1;
    }
    return short_cut;
}

/* Keeps the marked words of the stretch for the field's count, their text
 * at base + wt's. */
static ws_status keep_marked(run *r, const char *base, const wtext *wt)
{
    for (size_t j = 0; j < r->nw; j++) {
        if (r->mark[j] != 1 || r->w[j].stop)
            continue;
        if (grow((void **)&r->pending, &r->cappending, r->npending + 1, sizeof *r->pending) < 0)
            return WS_ENOMEM;
        r->pending[r->npending++] = (wtext){r->parena.len, wt[j].len};
        ws_strbuf_add(&r->parena, base + wt[j].at, wt[j].len);
    }
    return r->parena.failed ? WS_ENOMEM : WS_OK;
}

/* Counts the word w (len bytes) by add. */
/* Checks the words new to the tally since before: not too many, and each
 * UTF-8 (the analyzer writes no other: a list that holds one is damaged). */
static ws_status check_new(run *r, size_t before)
{
    if (r->words.nused > WS_COLL_MAX_WORDS) {
        r->why = TOO_MANY_WORDS;
        return WS_ETOOBIG;
    }
    for (size_t i = before; i < r->words.nused; i++)
        if (!ws_utf8_valid(ws_tally_word(&r->words, &r->words.e[i]), r->words.e[i].len)) {
            r->why = DAMAGED;
            return WS_ECORRUPT;
        }
    return WS_OK;
}

static ws_status count_word(run *r, const char *w, size_t len, uint64_t add)
{
    size_t before = r->words.nused;
    ws_status st = ws_tally_add(&r->words, w, len, add);
    return st == WS_OK ? check_new(r, before) : st;
}

/* Counts the words w[0..n) once each, as count_word would one by one. */
static ws_status count_words(run *r, const ws_tally_ref *w, size_t n)
{
    size_t before = r->words.nused;
    ws_status st = ws_tally_add_each(&r->words, w, n);
    return st == WS_OK ? check_new(r, before) : st;
}

static ws_status commit_field(run *r)
{
    const char *base = r->parena.s;
    ws_status st = WS_OK;
    for (size_t i = 0; i < r->npending && st == WS_OK; i++)
        st = count_word(r, base + r->pending[i].at, r->pending[i].len, 1);
    return st;
}

/* Counts the words around occ[0..n) in text[0, len) (one field). */
static ws_status count_field(run *r, const char *text, size_t len, const ws_occ *occ, size_t n)
{
    size_t k = 3 * (size_t)r->window + 6; /* code points: most windows fit */
    for (;;) {
        r->npending = 0;
        r->parena.len = 0;
        int again = 0;
        ws_status st = WS_OK;
        size_t next_b = n ? cut_before(text, len, occ[0].start, k) : 0;
        for (size_t i = 0; i < n && st == WS_OK && !again;) {
            /* one stretch for the occurrences whose stretches overlap, so
             * that no place is read (and counted) twice */
            size_t b = next_b, e = cut_after(text, len, occ[i].end, k);
            size_t j = i + 1;
            for (; j < n && (next_b = cut_before(text, len, occ[j].start, k)) < e; j++) {
                size_t e2 = cut_after(text, len, occ[j].end, k);
                e = e2 > e ? e2 : e;
            }
            if ((st = analyze(r, text, b, e)) != WS_OK)
                break;
            if (grow((void **)&r->mark, &r->capmark, r->nw + 1, 1) < 0)
                return WS_ENOMEM;
            int cut = mark_windows(r, occ + i, j - i, b, e, len);
            if (cut < 0)
                return WS_ENOMEM;
            if (cut)
                again = 1; /* a window reaches past the stretch: wider stretches */
            else
                st = keep_marked(r, r->arena.s, r->wt);
            i = j;
        }
        if (st != WS_OK)
            return st;
        if (!again)
            return commit_field(r);
        k = k * 4 > len ? len : k * 4;
    }
}

/* Reads into r->lw[f] the words of field f's word list (wordlist.h) that
 * count for the words within r->window words of occ[0..n) (byte ranges of
 * the list's text, rising): those that touch an occurrence and r->window on
 * each side, stepping over the others (ws_wordwalk_seek). The words read
 * form stretches (r->seg[f]) that each hold their occurrences' windows
 * whole, or to the field's edge. WS_ECORRUPT: a damaged list. */
static ws_status read_around(run *r, const ws_wordfield *wf, int f, const ws_occ *occ, size_t n)
{
    ws_wordwalk w;
    ws_wordwalk_init(&w, wf);
    size_t N = r->window, nw = 0, from = 0; /* from: the stretch's first word */
    r->nseg[f] = 0;
    for (size_t i = 0; i < n; i++) {
        if ((ws_wordwalk_seek(&w, occ[i].start, N) && nw > from) || i == 0) {
            if (grow((void **)&r->seg[f], &r->capseg[f], r->nseg[f] + 1, sizeof *r->seg[f]) < 0)
                return WS_ENOMEM;
            r->seg[f][r->nseg[f]++] = (stretch){nw, i};
            from = nw;
        }
        /* the words of the stretch that start past the occurrence */
        size_t after = 0;
        for (size_t j = nw; j > from && after < N && r->lw[f][j - 1].start >= occ[i].end; j--)
            after++;
        while (after < N) {
            if (grow((void **)&r->lw[f], &r->caplw[f], nw + 1, sizeof *r->lw[f]) < 0)
                return WS_ENOMEM;
            ws_status st = ws_wordwalk_next(&w, &r->lw[f][nw]);
            if (st == WS_ENOTFOUND)
                break; /* the field ends within the window */
            if (st != WS_OK)
                return st;
            after += r->lw[f][nw++].start >= occ[i].end;
        }
    }
    r->nlw[f] = nw;
    return WS_OK;
}

/* Counts the words around occ[0..n) in field f's words read by
 * read_around: the words and the text they stand in as the indexer's
 * analysis left them, the occurrences as byte ranges of that text. */
static ws_status count_listed(run *r, const ws_wordfield *wf, int f, const ws_occ *occ, size_t n)
{
    ws_word *saved = r->w;
    size_t nref = 0;
    ws_status st = WS_OK;
    for (size_t s = 0; s < r->nseg[f] && st == WS_OK; s++) {
        const stretch *g = &r->seg[f][s];
        size_t wend = s + 1 < r->nseg[f] ? g[1].word : r->nlw[f];
        size_t oend = s + 1 < r->nseg[f] ? g[1].occ : n;
        size_t nw = wend - g->word;
        if (grow((void **)&r->mark, &r->capmark, nw + 1, 1) < 0) {
            st = WS_ENOMEM;
            break;
        }
        r->w = r->lw[f] + g->word; /* the stretch's words, read in place */
        r->nw = nw;
        /* each stretch holds its occurrences' windows whole (or to the
         * field's edge), so no window is cut short and nothing need wait
         * to be counted (as count_field's stretches must) */
        if (mark_windows(r, occ + g->occ, oend - g->occ, 0, wf->len, wf->len) < 0) {
            st = WS_ENOMEM;
            break;
        }
        const ws_word *w = r->w;
        for (size_t j = 0; j < nw; j++) {
            if (r->mark[j] != 1 || w[j].stop)
                continue;
            if (grow((void **)&r->ref, &r->capref, nref + 1, sizeof *r->ref) < 0) {
                st = WS_ENOMEM;
                break;
            }
            r->ref[nref++] = (ws_tally_ref){wf->text + w[j].start, w[j].end - w[j].start};
        }
    }
    r->w = saved;
    return st == WS_OK ? count_words(r, r->ref, nref) : st;
}

/* Adds the words the threads' runs[0..nt) counted by number in the
 * cache's shards shard[0..ns) to r's tally, by their text: added up by
 * number first, so that each word's text is looked up once a shard. */
static ws_status count_numbered(run *r, run *const *runs, unsigned nt,
                                const ws_wordshard *const *shard, unsigned ns)
{
    ws_status st = WS_OK;
    ws_wincount *sum = NULL; /* every thread's added up, by number, into the first's */
    for (unsigned t = 0; t < nt && st == WS_OK; t++) {
        if (!runs[t]->counter || (st = ws_wincount_flush(runs[t]->counter)) != WS_OK)
            continue;
        if (!sum)
            sum = runs[t]->counter;
        else
            st = ws_wincount_merge(sum, runs[t]->counter, shard, ns);
    }
    for (unsigned k = 0; k < ns && st == WS_OK && sum; k++) {
        const uint32_t *c = ws_wincount_counts(sum, k);
        for (size_t w = 0; c && w < ws_wordshard_size(shard[k]) && st == WS_OK; w++) {
            size_t len;
            const char *word = c[w] ? ws_wordshard_word(shard[k], (uint32_t)w, &len) : NULL;
            if (word)
                st = count_word(r, word, len, c[w]);
        }
    }
    return st;
}

/* ---- weighing ---- */

typedef struct cand {
    const char *word;
    unsigned long count;
    unsigned long long index_count;
    double log_dice;
} cand;

static int by_count(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->word, b->word);
}

static int by_rank(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->log_dice != b->log_dice)
        return a->log_dice > b->log_dice ? -1 : 1;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->word, b->word);
}

static double log_dice(unsigned long fxy, unsigned long fx, unsigned long long fy)
{
    return 14.0 + log2(2.0 * (double)fxy / ((double)fx + (double)fy));
}

/* The word's occurrences in the index: its terms in bodies and titles (a
 * one-character Chinese word is indexed as its character). */
static ws_status index_count(ws_db *db, const char *w, unsigned long long *out)
{
    uint32_t cp;
    size_t len = strlen(w);
    int n = ws_utf8_decode((const unsigned char *)w, len, &cp);
    int single = (size_t)n == len && ws_char_is_han(cp);
    const char *pfx[2] = {single ? WS_PFX_UNI : WS_PFX_WORD,
                          single ? WS_PFX_TITLE_UNI : WS_PFX_TITLE_WORD};
    *out = 0;
    for (int f = 0; f < 2; f++) {
        char term[WS_TERM_MAX + 8];
        if (strlen(pfx[f]) + len >= sizeof term)
            return WS_OK;
        memcpy(term, pfx[f], strlen(pfx[f]));
        memcpy(term + strlen(pfx[f]), w, len + 1);
        unsigned long long c = 0;
        ws_status st = ws_db_collection_freq(db, term, &c);
        if (st != WS_OK)
            return st;
        *out += c;
    }
    return WS_OK;
}

/* Weighs the candidates c[0..n) (sorted by count, highest first) until no
 * later one can reach the best limit: logDice grows with f(xy) and, since
 * f(y) >= f(xy), is at most 14 + log2(2 f(xy) / (f(x) + f(xy))). *weighed
 * gets how many were weighed; they are then sorted by rank. */
static ws_status weigh(run *r, cand *c, size_t n, size_t limit, size_t *weighed)
{
    ws_db *db = ws__searcher_db(r->s);
    /* a few more than asked first, then twice as many each round: each
     * word weighed is a lookup a shard, and for a common term the bound
     * below usually holds within the first hundred */
    size_t done = 0, step = limit + 32;
    for (; done < n; step *= 2) {
        size_t end = done + step < n ? done + step : n;
        for (size_t i = done; i < end; i++) {
            ws_status st = index_count(db, c[i].word, &c[i].index_count);
            if (st != WS_OK)
                return st;
            c[i].log_dice = log_dice(c[i].count, r->occurrences, c[i].index_count);
        }
        done = end;
        qsort(c, done, sizeof *c, by_rank);
        if (done < n && done >= limit) {
            /* the rest, by count, sit after c[done..]: sorted again below */
            double bound = log_dice(c[done].count, r->occurrences, c[done].count);
            if (bound < c[limit - 1].log_dice)
                break; /* c[done..n) is still sorted by count */
        }
    }
    *weighed = done;
    return WS_OK;
}

/* ---- the run ---- */

static void run_free(run *r)
{
    free(r->w);
    free(r->wt);
    free(r->lw[0]);
    free(r->lw[1]);
    free(r->seg[0]);
    free(r->seg[1]);
    free(r->arena.s);
    free(r->mark);
    free(r->edge);
    free(r->ref);
    free(r->pending);
    free(r->parena.s);
    ws_wincount_free(r->counter);
    ws_tally_free(&r->words);
}

/* Adds a document's occurrences to r's totals, against the limit. */
static ws_status took(run *r, size_t nocc)
{
    r->occurrences += nocc;
    r->documents++;
    /* added to the threads' sum a few thousand at a time: an atomic add
     * a document, on a line every thread writes, was a tenth of the
     * count; the sum is checked whole once every thread is done */
    r->unshared += nocc;
    if (r->unshared < 4096)
        return WS_OK;
    unsigned long all = atomic_fetch_add(&r->sh->occurrences, r->unshared) + r->unshared;
    r->unshared = 0;
    if (all > WS_COLL_MAX_OCCURRENCES) {
        r->why = TOO_MANY_OCCURRENCES;
        return WS_ETOOBIG;
    }
    return WS_OK;
}

/* Counts the words around the occurrences in document i's word list: run
 * by each thread of ws_listed_each on its own run. */
static ws_status count_document(void *ctx, size_t i, const ws_wordfield wf[2],
                                const ws_wordcached *cw)
{
    (void)i;
    run *r = ctx;
    ws_occ *occ[2] = {NULL, NULL};
    size_t n[2] = {0, 0};
    ws_status st = WS_OK;
    for (int f = 0; f < 2 && st == WS_OK; f++)
        st = ws_occ_find_listed(r->sh->ps, &wf[f], f == 0, &occ[f], &n[f]);
    if (cw) {
        if (st == WS_OK && n[0] + n[1])
            st = took(r, n[0] + n[1]);
        if (st == WS_OK && !r->counter)
            st = ws_wincount_new(r->window, &r->counter);
        for (int f = 0; f < 2 && st == WS_OK; f++)
            st = ws_wincount_add(r->counter, cw, f, occ[f], n[f]);
        free(occ[0]);
        free(occ[1]);
        return st;
    }
    /* every word needed read before any is counted: a damaged list is
     * read from the document's text instead, whole; the words past the
     * last occurrence's window are not needed */
    for (int f = 0; f < 2 && st == WS_OK; f++)
        if (n[f] && (st = read_around(r, &wf[f], f, occ[f], n[f])) == WS_ECORRUPT)
            st = WS_ENOTFOUND;
    if (st == WS_OK && n[0] + n[1])
        st = took(r, n[0] + n[1]);
    for (int f = 0; f < 2 && st == WS_OK; f++)
        if (n[f])
            st = count_listed(r, &wf[f], f, occ[f], n[f]);
    free(occ[0]);
    free(occ[1]);
    return st;
}

/* Adds what thread run t counted to r. */
static ws_status merge(run *r, run *t)
{
    ws_status st = WS_OK;
    r->occurrences += t->occurrences;
    r->documents += t->documents;
    for (size_t i = 0; i < t->words.nused && st == WS_OK; i++) {
        const ws_tally_entry *e = &t->words.e[i];
        st = count_word(r, ws_tally_word(&t->words, e), e->len, e->count);
    }
    return st;
}

/* The documents without a word list, unlisted[i] of p's list, from their
 * stored text. */
static ws_status count_texts(run *r, ws_matchpass *p, const unsigned char *unlisted)
{
    ws_db *db = ws__searcher_db(r->s);
    ws_status st = WS_OK;
    for (size_t i = 0; i < p->list.n && st == WS_OK; i++) {
        if (!unlisted[i])
            continue;
        const ws_textdoc *d = &p->d;
        st = ws_textdoc_load(db, ws__searcher_analyzer(r->s), &p->ps, p->list.docid[i], &p->d);
        if (st == WS_ENOTFOUND) {
            st = WS_OK; /* deleted since it matched */
            continue;
        }
        if (st != WS_OK || (d->nocc && (st = took(r, d->nocc)) != WS_OK))
            break;
        if (d->ntitle)
            st = count_field(r, d->title, d->tlen, d->occ, d->ntitle);
        if (st == WS_OK && d->nocc > d->ntitle)
            st = count_field(r, d->body, d->blen, d->occ + d->ntitle, d->nocc - d->ntitle);
    }
    return st;
}

/* Counts over every matching document: those with a word list by every
 * thread the index allows (listed.h), each into a run of its own, added
 * up after; the others from their text. */
static ws_status count_all(run *r, const ws_coll_opts *o)
{
    ws_matchpass p = {0};
    ws_db *db = ws__searcher_db(r->s);
    ws_status st = ws_matchpass_plan(r->s, &o->s, &p);
    if (st == WS_OK && !p.ps.n) {
        ws__searcher_fail(r->s, "the query has no word or phrase to find in the text (filters "
                                "and NOT alone have no neighbours)");
        st = WS_EQUERY;
    }
    if (st == WS_OK)
        st = ws_matchpass_list(&p);
    shared sh = {.ps = &p.ps};
    r->sh = &sh;
    run more[WS_LISTED_MAX_THREADS];
    void *ctx[WS_LISTED_MAX_THREADS] = {r};
    unsigned nt = st == WS_OK ? ws_listed_threads(db, p.list.n) : 1;
    unsigned char *unlisted = st == WS_OK ? malloc(p.list.n ? p.list.n : 1) : NULL;
    if (st == WS_OK && !unlisted)
        st = WS_ENOMEM;
    for (unsigned t = 1; t < nt; t++) {
        more[t] = (run){.sh = &sh, .lex = r->lex, .window = r->window};
        ctx[t] = &more[t];
        if (ws_tally_init(&more[t].words) != WS_OK)
            st = WS_ENOMEM;
    }
    const ws_wordshard *shard[WS_CACHESWEEP_MAX_SHARDS];
    unsigned ns = 0;
    int held = st == WS_OK && ws_cachesweep_hold(db, shard, &ns);
    if (held)
        st = ws_listed_each_held(db, shard, ns, p.list.docid, p.list.n, count_document, ctx, nt,
                                 unlisted);
    else if (st == WS_OK)
        st = ws_listed_each(db, p.list.docid, p.list.n, count_document, ctx, nt, unlisted);
    run *runs[WS_LISTED_MAX_THREADS];
    for (unsigned t = 0; t < nt; t++)
        runs[t] = t ? &more[t] : r;
    if (held && st == WS_OK)
        st = count_numbered(r, runs, nt, shard, ns);
    if (held)
        ws_cachesweep_release(db, shard, ns);
    for (unsigned t = 1; t < nt; t++) {
        if (st == WS_OK)
            st = merge(r, &more[t]);
        else if (more[t].why && !r->why)
            r->why = more[t].why;
        run_free(&more[t]);
    }
    if (st == WS_OK)
        st = count_texts(r, &p, unlisted);
    if (st == WS_OK && r->occurrences > WS_COLL_MAX_OCCURRENCES) {
        r->why = TOO_MANY_OCCURRENCES; /* (took checks the threads' sum a few thousand late) */
        st = WS_ETOOBIG;
    }
    free(unlisted);
    if (st == WS_ETOOBIG && r->why == TOO_MANY_WORDS)
        ws__searcher_fail(r->s,
                          "more than %d distinct words around the matches "
                          "(WS_COLL_MAX_WORDS): narrow the query or its filters",
                          WS_COLL_MAX_WORDS);
    else if (st == WS_ETOOBIG && r->why == TOO_MANY_OCCURRENCES)
        ws__searcher_fail(r->s,
                          "the query occurs more than %d times (WS_COLL_MAX_OCCURRENCES): "
                          "narrow it or its filters",
                          WS_COLL_MAX_OCCURRENCES);
    else if (st == WS_ECORRUPT && r->why == DAMAGED)
        ws__searcher_fail(r->s, "a word list of the index is damaged (a word that is not "
                                "UTF-8): index the document again");
    else if (st == WS_EMODIFIED)
        ws__searcher_fail(r->s, "the index changed while the collocates were counted; ask again");
    else if (st != WS_OK && !*ws_searcher_errmsg(r->s))
        ws__searcher_fail(r->s, "%s", ws_db_errmsg(db));
    r->sh = NULL;
    ws_matchpass_clear(&p);
    return st;
}

ws_status ws_collocates_json(ws_searcher *s, const ws_coll_opts *o, json_t **out)
{
    *out = NULL;
    unsigned window = o->window ? o->window : WS_COLL_WINDOW;
    unsigned limit = o->limit ? o->limit : WS_COLL_LIMIT;
    unsigned long min_count = o->min_count ? o->min_count : 1;
    if (window > WS_COLL_MAX_WINDOW) {
        ws__searcher_fail(s, "window %u is over the maximum of %d words (WS_COLL_MAX_WINDOW)",
                          window, WS_COLL_MAX_WINDOW);
        return WS_EINVAL;
    }
    if (limit > WS_COLL_MAX_LIMIT) {
        ws__searcher_fail(s, "limit %u is over the maximum of %d collocates (WS_COLL_MAX_LIMIT)",
                          limit, WS_COLL_MAX_LIMIT);
        return WS_EINVAL;
    }
    run r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.lex = ws_analyzer_lexicon(ws__searcher_analyzer(s));
    r.window = window;
    ws_status st = ws_tally_init(&r.words) == WS_OK ? count_all(&r, o) : WS_ENOMEM;
    cand *c = NULL;
    size_t n = 0, weighed = 0;
    if (st == WS_OK && r.words.nused && !(c = calloc(r.words.nused, sizeof *c)))
        st = WS_ENOMEM;
    if (st == WS_OK) {
        for (size_t i = 0; i < r.words.nused; i++) {
            const ws_tally_entry *e = &r.words.e[i];
            if (e->count >= min_count)
                c[n++] = (cand){ws_tally_word(&r.words, e), e->count, 0, 0};
        }
        if (n) /* (no word around the matches: c is NULL, which qsort takes not) */
            qsort(c, n, sizeof *c, by_count);
        if ((st = weigh(&r, c, n, limit, &weighed)) != WS_OK)
            ws__searcher_fail(s, "%s", ws_db_errmsg(ws__searcher_db(s)));
    }
    json_t *arr = st == WS_OK ? json_array() : NULL;
    if (st == WS_OK && !arr)
        st = WS_ENOMEM;
    for (size_t i = 0; st == WS_OK && i < weighed && i < limit; i++)
        if (json_array_append_new(arr, json_pack("{s:s, s:I, s:I, s:f}", "word", c[i].word, "count",
                                                 (json_int_t)c[i].count, "index_count",
                                                 (json_int_t)c[i].index_count, "log_dice",
                                                 c[i].log_dice)) != 0)
            st = WS_ENOMEM;
    if (st == WS_OK) {
        *out = json_pack("{s:I, s:I, s:I, s:I, s:o}", "window", (json_int_t)window,
                         "total_occurrences", (json_int_t)r.occurrences, "total_documents",
                         (json_int_t)r.documents, "total_collocates", (json_int_t)n, "collocates",
                         arr);
        arr = NULL;
        if (!*out)
            st = WS_ENOMEM;
    }
    json_decref(arr);
    free(c);
    run_free(&r);
    return st;
}
