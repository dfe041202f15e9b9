/* new_words_rules.c - the candidates picked (new_words_rules.h). */
#include "new_words_rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "normalize.h"

static void to_utf8(const uint32_t *c, int n, char *out)
{
    size_t m = 0;
    for (int i = 0; i < n; i++)
        m += (size_t)ws_utf8_encode(c[i], out + m);
    out[m] = '\0';
}

/* The weakest split's pointwise mutual information, in nats. */
static double cohesion(const uint32_t *t, level *levels, const gram *g, int k, double total)
{
    double worst = INFINITY;
    for (int j = 1; j < k; j++) {
        const gram *a = ws_grams_find(&levels[j], t, t + g->pos);
        const gram *b = ws_grams_find(&levels[k - j], t, t + g->pos + j);
        if (!a || !b)
            return -INFINITY;
        double pmi = log((double)g->count * total / ((double)a->count * (double)b->count));
        if (pmi < worst)
            worst = pmi;
    }
    return worst;
}

void ws_rules_trace(const char *path, const uint32_t *t, level *levels, int maxlen, double total)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    char line[256];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        uint32_t c[MAX_LEN + 1];
        int k = 0;
        for (size_t i = 0; line[i] && k <= MAX_LEN;)
            i += (size_t)ws_utf8_decode((const unsigned char *)line + i, strlen(line + i), &c[k++]);
        const gram *g = k >= 1 && k <= maxlen ? ws_grams_find(&levels[k], t, c) : NULL;
        if (!g) {
            fprintf(stderr, "trace %s: not counted\n", line);
            continue;
        }
        fprintf(stderr, "trace %s: count %u pmi %.2f hl %.2f hr %.2f\n", line, g->count,
                k > 1 ? cohesion(t, levels, g, k, total) : 0.0, g->hl, g->hr);
    }
    fclose(f);
}

/* How the segmenter without new words cuts a string: its words, and how many
 * of them are single characters. */
typedef struct shape {
    int words, singles;
    int particles; /* single characters 的, 了, 着 */
} shape;

static ws_status on_piece(void *ctx, const ws_token *t)
{
    shape *sh = ctx;
    if (t->kind == WS_TOKEN_HAN) {
        sh->words++;
        sh->singles += t->nchars == 1;
        uint32_t c = 0;
        if (t->nchars == 1)
            ws_utf8_decode((const unsigned char *)t->text, t->len, &c);
        sh->particles += c == 0x7684 || c == 0x4E86 || c == 0x7740; /* 的, 了, 着 */
    }
    return WS_OK;
}

static shape shape_of(ws_analyzer *an, const uint32_t *c, int k)
{
    char w[MAX_LEN * 4 + 1];
    to_utf8(c, k, w);
    shape sh = {0, 0, 0};
    uint32_t pos = 0;
    if (ws_analyzer_run(an, w, strlen(w), 0, &pos, on_piece, &sh) != WS_OK)
        ws_new_words_die("cannot analyze a candidate");
    return sh;
}

/* ---- how free each character is ---- */

#define NCP 0x110000

static ws_status on_alone(void *ctx, const ws_token *t)
{
    uint32_t *alone = ctx, c;
    if (t->kind == WS_TOKEN_HAN && t->nchars == 1) {
        ws_utf8_decode((const unsigned char *)t->text, t->len, &c);
        if (c < NCP)
            alone[c]++;
    }
    return WS_OK;
}

/* For each code point, how often the segmenter without new words leaves it
 * alone in the texts. */
static uint32_t *count_alone(const text *x, ws_analyzer *an)
{
    uint32_t *alone = calloc(NCP, sizeof *alone);
    if (!alone)
        ws_new_words_die("out of memory");
    for (size_t i = 0; i + 1 < x->nraw; i++) {
        uint32_t pos = 0;
        if (ws_analyzer_run(an, x->raw + x->roff[i], x->roff[i + 1] - x->roff[i],
                            WS_ANALYZE_JOIN_LINES, &pos, on_alone, alone) != WS_OK)
            ws_new_words_die("cannot analyze the text");
    }
    return alone;
}

/* The share of a character's occurrences that the segmenter leaves alone: a
 * word by itself (的 1.00, 和 0.92, 都 0.44) or a part of words (主 0.01,
 * 力 0.03). */
static double free_rate(const uint32_t *t, level *levels, const uint32_t *alone, uint32_t c)
{
    const gram *g = ws_grams_find(&levels[1], t, &c);
    return g && c < NCP ? (double)alone[c] / g->count : 1.0;
}

/* The structural particle 的 and the aspect particles 了 and 着 are words of
 * their own in the national standard, as the lexicon has them (lexicon.c):
 * no new word ends in one, or begins with 的. */
static int particle_edge(const uint32_t *c, int k)
{
    uint32_t last = c[k - 1];
    return c[0] == 0x7684 || last == 0x7684 || last == 0x4E86 || last == 0x7740;
}

/* A stop word of the lexicon at an edge (他 说, 官兵 们, 是 一种, 比 上年) is
 * a word of its own there, unless the rest of the string is bound to it: the
 * rest seldom occurs without it, and the characters on the stop word's side
 * of the rest are not free (entropy under min_h, the test a word's own ends
 * pass). 巨人 is in 小巨人 in every occurrence (entropy 0), 碳中 in 碳中和;
 * 上年 is in 比上年 in six occurrences of ten, but the other four follow
 * many characters (较, 同, 与 ...; entropy 1.9): 比 上年 is a phrase. */
static int stop_edge(const uint32_t *t, level *levels, const ws_lexicon *lex, const gram *g, int k,
                     double min_h)
{
    const uint32_t *c = t + g->pos;
    for (int side = 0; side < 2; side++) {
        const uint32_t *edge = side ? c + k - 1 : c;
        if (!(ws_lexicon_lookup(lex, edge, 1, NULL) & WS_LEX_STOP))
            continue;
        const gram *rest = ws_grams_find(&levels[k - 1], t, side ? c : c + 1);
        if (!rest || 2.0 * g->count < rest->count)
            return 1;
        if (k > 2 && (side ? rest->hr : rest->hl) >= min_h)
            return 1;
    }
    return 0;
}

typedef struct rules {
    uint32_t min, min_long;
    double min_pmi, min_h, bound;
} rules;

static void find_candidates(const uint32_t *t, level *levels, int maxlen, double total,
                            const rules *r, const uint32_t *alone, ws_analyzer *an, cands *out,
                            cands *pending)
{
    const ws_lexicon *lex = ws_analyzer_lexicon(an);
    for (int k = 2; k <= maxlen; k++) {
        level *L = &levels[k];
        for (size_t j = 0; j < L->n; j++) {
            const gram *g = &L->g[j];
            const uint32_t *c = t + g->pos;
            if (g->count < r->min || !ws_grams_all_han(c, k))
                continue;
            if (g->hl < r->min_h || g->hr < r->min_h)
                continue;
            if (ws_lexicon_lookup(lex, c, k, NULL) & (WS_LEX_WORD | WS_LEX_STOP | WS_LEX_UNIT))
                continue;
            if (particle_edge(c, k))
                continue;
            if (stop_edge(t, levels, lex, g, k, r->min_h))
                continue;
            /* Set off in quotation marks as often as a word must be seen, it
             * is a unit to the writers (“六稳”, “跨省通办”): it need not be
             * more cohesive than chance, nor seen more often. */
            int unit = g->quoted >= r->min;
            double pmi = cohesion(t, levels, g, k, total);
            if (pmi < r->min_pmi && !unit)
                continue;
            shape sh = shape_of(an, c, k);
            if (sh.singles == 0)
                continue;
            /* Made of two words or more (风景 名胜 区, 作出 更 大 贡献), it is
             * a compound, which the standard leaves in its words as the
             * lexicon's compounds are (数字 经济); with a particle inside
             * (在 希望 的 田野 上), a phrase. */
            if (sh.words - sh.singles >= 2 || sh.particles)
                continue;
            /* Two characters that are words by themselves make a phrase
             * (都 要, 更 大), not a coinage: one of them must be bound. */
            if (k == 2 && !unit && free_rate(t, levels, alone, c[0]) >= r->bound &&
                free_rate(t, levels, alone, c[1]) >= r->bound)
                continue;
            /* A longer string that the segmenter cuts into words and single
             * characters (服 现役, 担任 军 级) is more often a phrase of the
             * standard than one it cuts into characters only (碳 达 峰, 智 改
             * 数 转): it needs more evidence, unless the words of the cut
             * turn out to be pieces of new words (pending, below). */
            cands *to = out;
            if (k > 2 && sh.singles < sh.words && g->count < r->min_long && !unit)
                to = pending;
            if (to->n == to->cap) {
                to->cap = to->cap ? to->cap * 2 : 4096;
                to->c = ws_new_words_realloc(to->c, to->cap * sizeof *to->c);
            }
            cand *x = &to->c[to->n++];
            to_utf8(c, k, x->word);
            x->len = k;
            x->count = g->count;
            x->unit = unit;
            x->pmi = pmi;
            x->hl = g->hl;
            x->hr = g->hr;
            x->taken = 0;
            x->inside = 0;
        }
    }
}

void ws_rules_pick(const text *x, const settings *st, level *levels, double chars,
                   const ws_lexicon *lex, ws_analyzer *an, cands *c, cands *pending)
{
    clock_t t0 = clock();
    uint32_t *alone = count_alone(x, an);
    fprintf(stderr, "characters alone: %.1f s\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
    ws_grams_count_quoted(x->t, x->n, levels, st->maxlen);
    rules r = {(uint32_t)st->min, (uint32_t)st->min_long, st->min_pmi, st->min_h, st->bound};
    find_candidates(x->t, levels, st->maxlen, chars, &r, alone, an, c, pending);
    free(alone);
    ws_cands_drop_compounds(c, lex);
    fprintf(stderr, "candidates: %zu, pending: %zu\n", c->n, pending->n);
}
