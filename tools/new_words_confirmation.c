/* new_words_confirmation.c - the confirmation passes
 * (new_words_confirmation.h). */
#include "new_words_confirmation.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "analyzer.h"
#include "lexicon.h"
#include "normalize.h"
#include "tally_file.h"

typedef struct taking {
    cands *c;
    uint32_t *slot; /* index + 1 into c, by the word's bytes */
    size_t nslots;
    uint64_t tokens;
    ws_tally *old; /* the lexicon's words and the single characters taken */
} taking;

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t *taking_slot(taking *tk, const char *w, size_t n)
{
    size_t mask = tk->nslots - 1;
    for (size_t i = hash_bytes(w, n) & mask;; i = (i + 1) & mask) {
        uint32_t s = tk->slot[i];
        if (!s)
            return &tk->slot[i];
        const char *k = tk->c->c[s - 1].word;
        if (strlen(k) == n && !memcmp(k, w, n))
            return &tk->slot[i];
    }
}

static ws_status on_token(void *ctx, const ws_token *t)
{
    taking *tk = ctx;
    if (t->kind != WS_TOKEN_HAN)
        return WS_OK;
    tk->tokens++;
    uint32_t s = t->nchars >= 2 && t->nchars <= MAX_LEN ? *taking_slot(tk, t->text, t->len) : 0;
    if (!s) {
        /* counted as tools/word_counts counts them: ICU's own words and
         * numerals have fixed costs */
        if (t->nchars == 1 || (t->lexflags & (WS_LEX_WORD | WS_LEX_STOP | WS_LEX_UNIT)))
            ws_tally_file_add(tk->old, t->text, t->len);
        return WS_OK;
    }
    tk->c->c[s - 1].taken++;
    if (t->nchars < 3)
        return WS_OK;
    /* The word without its last character, a candidate too: a stem and
     * its suffix (数智 化), where the segmenter did not reject the stem. */
    size_t last = t->len;
    while (last > 0 && ((unsigned char)t->text[last - 1] & 0xC0) == 0x80)
        last--;
    if (last > 0) {
        uint32_t in = *taking_slot(tk, t->text, last - 1);
        if (in)
            tk->c->c[in - 1].inside++;
    }
    return WS_OK;
}

/* Segments the texts with the lexicon, priced by the word counts at counts
 * (NULL: the built-in ones), and the candidates (from path, with the counts
 * there); sets each candidate's taken and counts the other words taken into
 * old. Returns the token total. */
static uint64_t confirm_pass(const text *x, cands *c, const char *path, const char *counts,
                             ws_tally *old)
{
    ws_lexicon *lex;
    ws_analyzer *an;
    char err[1024];
    if (counts)
        setenv("WENSUO_WORD_COUNTS", counts, 1);
    if (ws_lexicon_open_default(NULL, NULL, &lex, err, sizeof err) != WS_OK)
        ws_new_words_die(err);
    size_t nw;
    if (ws_lexicon_load_new_words(lex, path, &nw, err, sizeof err) != WS_OK)
        ws_new_words_die(err);
    if (ws_analyzer_new(lex, &an) != WS_OK)
        ws_new_words_die("cannot make an analyzer");
    taking tk = {c, NULL, 1, 0, old};
    while (tk.nslots < c->n * 2 + 2)
        tk.nslots *= 2;
    tk.slot = calloc(tk.nslots, sizeof *tk.slot);
    if (!tk.slot)
        ws_new_words_die("out of memory");
    for (size_t i = 0; i < c->n; i++) {
        c->c[i].taken = 0;
        c->c[i].inside = 0;
        *taking_slot(&tk, c->c[i].word, strlen(c->c[i].word)) = (uint32_t)i + 1;
    }
    for (size_t i = 0; i + 1 < x->nraw; i++) {
        uint32_t pos = 0;
        ws_status st = ws_analyzer_run(an, x->raw + x->roff[i], x->roff[i + 1] - x->roff[i],
                                       WS_ANALYZE_JOIN_LINES, &pos, on_token, &tk);
        if (st != WS_OK)
            ws_new_words_die(ws_status_to_string(st));
    }
    free(tk.slot);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    return tk.tokens;
}

/* A pending candidate's cut (链 长制) and the old words' counts after the
 * first pass with the candidates: whether every word of the cut lost most of
 * its share of the tokens to them. */
typedef struct staleness {
    const ws_lexicon *lex; /* the lexicon the candidates were picked with */
    const ws_tally *now;
    const cands *c; /* the candidates, by their bytes in slot */
    const uint32_t *slot;
    size_t nslots;
    const char *w; /* the pending candidate */
    int words, stale, crossing;
} staleness;

/* Whether the bytes [b, e) of w, a word of its cut, cross a candidate inside
 * w: overlap one without holding it or lying in it (长制 and 链长 in 链长制). */
static int crosses_candidate(const staleness *sn, size_t b, size_t e)
{
    size_t n = strlen(sn->w), at[MAX_LEN + 1];
    int k = 0;
    for (size_t i = 0; i < n && k < MAX_LEN;) {
        at[k++] = i;
        uint32_t cp;
        i += (size_t)ws_utf8_decode((const unsigned char *)sn->w + i, n - i, &cp);
    }
    at[k] = n;
    for (int i = 0; i < k; i++)
        for (int j = i + 2; j <= k; j++) {
            size_t cb = at[i], ce = at[j];
            int partial = (cb < b && b < ce && ce < e) || (b < cb && cb < e && e < ce);
            if (partial &&
                ws_cands_has(sn->c, (uint32_t *)sn->slot, sn->nslots, sn->w + cb, ce - cb))
                return 1;
        }
    return 0;
}

static ws_status on_cut_word(void *ctx, const ws_token *t)
{
    staleness *sn = ctx;
    if (t->kind != WS_TOKEN_HAN || t->nchars < 2)
        return WS_OK;
    sn->words++;
    uint32_t cps[MAX_LEN];
    int n = 0;
    for (size_t i = 0; i < t->len && n < MAX_LEN;)
        i += (size_t)ws_utf8_decode((const unsigned char *)t->text + i, t->len - i, &cps[n++]);
    int32_t cost;
    ws_lexicon_lookup_cost(sn->lex, cps, n, &cost);
    double before = cost ? exp(-cost / 100.0) : 0.0; /* its share of the tokens */
    double after = sn->now->total
                       ? (double)ws_tally_get(sn->now, t->text, t->len) / (double)sn->now->total
                       : 0.0;
    sn->stale += before > 0.0 && after < 0.5 * before;
    sn->crossing += crosses_candidate(sn, t->start, t->end);
    return WS_OK;
}

/* Moves into c the pending candidates whose cut into words and single
 * characters (链 长制 of 链长制) holds only words that lost most of their
 * share of the tokens to the candidates of c (now: the old words' counts of
 * a pass with them; 长制 had 256 occurrences, nearly all in 河长制, 湖长制
 * ... before those were words), each crossing a candidate inside the string
 * (长制 and 链长). Such a cut says nothing of a phrase of the standard: its
 * word is a piece of coinages, and cuts through one. */
static void admit_pending(cands *pending, const ws_tally *now, cands *c)
{
    ws_lexicon *lex;
    ws_analyzer *an = ws_new_words_open_analyzer(&lex);
    size_t admitted = 0, nslots;
    uint32_t *slot = ws_cands_slots(c, &nslots);
    for (size_t i = 0; i < pending->n; i++) {
        const char *w = pending->c[i].word;
        staleness sn = {lex, now, c, slot, nslots, w, 0, 0, 0};
        uint32_t pos = 0;
        if (ws_analyzer_run(an, w, strlen(w), 0, &pos, on_cut_word, &sn) != WS_OK)
            ws_new_words_die("cannot analyze a candidate");
        if (sn.words == 0 || sn.stale < sn.words || sn.crossing < sn.words)
            continue;
        cand d = pending->c[i];
        d.taken = d.count; /* priced by its raw count, as the others were at first */
        ws_cands_push(c, &d);
        admitted++;
    }
    free(slot);
    fprintf(stderr, "pending candidates admitted: %zu\n", admitted);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
}

#define MAX_PASSES 6

double ws_confirmation_run(const text *x, const settings *st, cands *c, cands *pending,
                           uint64_t *total_out)
{
    char tmp[] = "/tmp/new_words_XXXXXX", tmpc[] = "/tmp/new_words_counts_XXXXXX";
    int fd = mkstemp(tmp), fdc = mkstemp(tmpc);
    if (fd < 0 || fdc < 0)
        ws_new_words_die("cannot make a temporary file");
    close(fd);
    close(fdc);
    for (size_t i = 0; i < c->n; i++)
        c->c[i].taken = c->c[i].count;
    ws_cands_write(c, tmp, 1.0, NULL);
    double scale = 1.0;
    cands out = {0}; /* dropped in the first two passes, with what they took */
    for (int pass = 1; pass <= MAX_PASSES; pass++) {
        clock_t t0 = clock();
        ws_tally old;
        ws_tally_file_init(&old);
        uint64_t tokens = confirm_pass(x, c, tmp, pass > 2 ? tmpc : NULL, &old);
        size_t kept = 0;
        for (size_t i = 0; i < c->n; i++) {
            cand *d = &c->c[i];
            if (st->verbose)
                fprintf(stderr, "pass %d: %s\t%u\t%llu\tpmi %.2f\thl %.2f\thr %.2f\n", pass,
                        d->word, d->count, (unsigned long long)d->taken, d->pmi, d->hl, d->hr);
            /* Its occurrences as the stem of a longer new word the segmenter
             * took (数智 of 数智化, 97 of its 183) are no evidence against it. */
            uint64_t seen = d->count > d->inside ? d->count - d->inside : 0;
            if (d->taken >= st->min && (double)d->taken >= st->min_share * (double)seen)
                c->c[kept++] = *d;
            else if (pass <= 2)
                ws_cands_push(&out, d);
        }
        size_t dropped = c->n - kept;
        c->n = kept;
        fprintf(stderr, "pass %d: %zu words kept, %.1f s\n", pass, c->n,
                (double)(clock() - t0) / CLOCKS_PER_SEC);
        if (pass == 2) {
            /* The model has changed: the candidates dropped so far are
             * judged again beside the pending ones it admits, at what they
             * took. */
            for (size_t i = 0; i < out.n; i++)
                ws_cands_push(c, &out.c[i]);
            admit_pending(pending, &old, c);
        }
        int last = (pass > 2 && dropped == 0) || pass == MAX_PASSES;
        uint64_t total = ws_tally_write(&old, tmpc, 1, NULL);
        ws_tally_free(&old);
        scale = total && tokens ? (double)total / (double)tokens : 1.0;
        *total_out = total;
        if (last)
            break;
        ws_cands_write(c, tmp, scale, NULL);
    }
    free(out.c);
    unlink(tmp);
    unlink(tmpc);
    return scale;
}
