/* new_words_grams.c - the strings counted, level by level (new_words_grams.h). */
#include "new_words_grams.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "normalize.h"

#define NONE UINT32_MAX

static uint32_t hash_cps(const uint32_t *c, int n)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++) {
        h ^= c[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t *find_slot(const level *L, const uint32_t *t, const uint32_t *key, uint32_t h)
{
    size_t mask = L->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t s = L->slot[i];
        if (!s || !memcmp(t + L->g[s - 1].pos, key, (size_t)L->len * sizeof *key))
            return &L->slot[i];
    }
}

static void level_init(level *L, int len)
{
    memset(L, 0, sizeof *L);
    L->len = len;
    L->nslots = 1 << 20;
    L->slot = calloc(L->nslots, sizeof *L->slot);
    if (!L->slot)
        ws_new_words_die("out of memory");
}

static void level_grow(level *L, const uint32_t *t)
{
    free(L->slot);
    L->nslots *= 2;
    L->slot = calloc(L->nslots, sizeof *L->slot);
    if (!L->slot)
        ws_new_words_die("out of memory");
    for (size_t i = 0; i < L->n; i++)
        *find_slot(L, t, t + L->g[i].pos, hash_cps(t + L->g[i].pos, L->len)) = (uint32_t)i + 1;
}

/* Counts the string at pos; returns its index. */
static uint32_t level_count(level *L, const uint32_t *t, uint32_t pos)
{
    uint32_t *s = find_slot(L, t, t + pos, hash_cps(t + pos, L->len));
    if (*s) {
        L->g[*s - 1].count++;
        return *s - 1;
    }
    if (L->n == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 1 << 16;
        L->g = ws_new_words_realloc(L->g, L->cap * sizeof *L->g);
    }
    L->g[L->n] = (gram){pos, 1, 0, 0, 0, 0, 0};
    *s = (uint32_t)++L->n;
    if (L->n * 2 > L->nslots)
        level_grow(L, t);
    return (uint32_t)L->n - 1;
}

const gram *ws_grams_find(const level *L, const uint32_t *t, const uint32_t *key)
{
    uint32_t s = *find_slot(L, t, key, hash_cps(key, L->len));
    return s ? &L->g[s - 1] : NULL;
}

/* A Chinese numeral, or a word that counts like one before a classifier
 * (几, 多): as a neighbour, all of them are one, a number, as digits are. */
static int is_numeral(uint32_t c)
{
    static const uint32_t numerals[] = {0x3007, 0x96F6, 0x4E00, 0x4E8C, 0x4E24, 0x4E09, 0x56DB,
                                        0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E,
                                        0x5343, 0x4E07, 0x4EBF, 0x51E0, 0x591A};
    for (size_t i = 0; i < sizeof numerals / sizeof *numerals; i++)
        if (c == numerals[i])
            return 1;
    return 0;
}

int ws_grams_all_han(const uint32_t *c, int n)
{
    for (int i = 0; i < n; i++)
        if (!ws_char_is_han(c[i]))
            return 0;
    return 1;
}

/* Level k from the frequent strings of level k - 1 (fr: for each position,
 * the index of the frequent string of length k - 1 that starts there, or
 * NONE): counts the strings whose two parts of length k - 1 are frequent.
 * Then gives level k - 1 its neighbour sums and makes fr the index of level
 * k's frequent strings. */
static void count_level(const uint32_t *t, size_t n, level *prev, level *L, uint32_t *fr,
                        uint32_t min)
{
    int k = L->len;
    for (size_t i = 0; i + (size_t)k <= n; i++) {
        uint32_t a = fr[i], b = fr[i + 1];
        int ok = (a != NONE && b != NONE) || (a != NONE && t[i + k - 1] == DIGIT) ||
                 (b != NONE && t[i] == DIGIT);
        fr[i] = ok ? level_count(L, t, (uint32_t)i) : NONE;
    }
    for (size_t i = n + 1 - (size_t)k; i < n; i++)
        fr[i] = NONE;
    /* The neighbours: x = p + c extends p to the right, x = c + s extends s
     * to the left. An extension not counted here holds a part seen fewer than
     * min times, so it is seen fewer than min times itself: taken as seen
     * once, which adds nothing to the sum of c ln c. So is a neighbour that
     * is no Chinese character: punctuation or the end of a line is a word
     * boundary, and a coinage is often quoted (“小巨人”), which shows it free
     * at both ends, not bound to the quotation marks. Digits are one
     * neighbour, counted: a string that always follows a number (余名 of
     * 100余名) is bound to it. So are Chinese numerals (is_numeral), for the
     * same reason: 件大事 follows 一, 两, 几 and 多, a number each time, and
     * is a classifier and a word (一 件 大事), not a new word. */
    if (prev) {
        for (size_t j = 0; j < L->n; j++) {
            const gram *x = &L->g[j];
            double c = x->count, cl = c * log(c);
            const gram *p = ws_grams_find(prev, t, t + x->pos);
            const gram *s = ws_grams_find(prev, t, t + x->pos + 1);
            if (p && p->count >= min && ws_grams_all_han(t + p->pos, prev->len)) {
                if (is_numeral(t[x->pos + k - 1]))
                    prev->g[p - prev->g].nr += x->count;
                else
                    prev->g[p - prev->g].hr += cl;
            }
            if (s && s->count >= min && ws_grams_all_han(t + s->pos, prev->len)) {
                if (is_numeral(t[x->pos]))
                    prev->g[s - prev->g].nl += x->count;
                else
                    prev->g[s - prev->g].hl += cl;
            }
        }
        for (size_t j = 0; j < prev->n; j++) {
            gram *g = &prev->g[j];
            double c = g->count;
            if (g->nr)
                g->hr += g->nr * log(g->nr);
            if (g->nl)
                g->hl += g->nl * log(g->nl);
            g->hr = log(c) - g->hr / c;
            g->hl = log(c) - g->hl / c;
        }
    }
    for (size_t i = 0; i + (size_t)k <= n; i++)
        if (fr[i] != NONE && (L->g[fr[i]].count < min || !ws_grams_all_han(t + i, k)))
            fr[i] = NONE;
}

double ws_grams_count(const text *x, const settings *st, level *levels)
{
    clock_t t0 = clock();
    uint32_t *fr = malloc(x->n * sizeof *fr);
    if (!fr)
        ws_new_words_die("out of memory");
    level_init(&levels[1], 1);
    double chars = 0;
    for (size_t i = 0; i < x->n; i++)
        fr[i] = ws_char_is_han(x->t[i]) ? level_count(&levels[1], x->t, (uint32_t)i) : NONE;
    for (size_t i = 0; i < x->n; i++) {
        if (fr[i] == NONE)
            continue;
        chars++;
        if (levels[1].g[fr[i]].count < st->min)
            fr[i] = NONE;
    }
    for (int k = 2; k <= st->maxlen + 1; k++) {
        level_init(&levels[k], k);
        count_level(x->t, x->n, k > 2 ? &levels[k - 1] : NULL, &levels[k], fr, (uint32_t)st->min);
        fprintf(stderr, "  length %d: %zu strings counted\n", k, levels[k].n);
    }
    free(fr);
    fprintf(stderr, "statistics: %.1f s\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
    return chars;
}

void ws_grams_count_quoted(const uint32_t *t, size_t n, level *levels, int maxlen)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (t[i] != 0x201C)
            continue;
        size_t j = i + 1;
        while (j < n && j <= i + (size_t)maxlen + 1 && t[j] != 0x201D && t[j] != 0x201C)
            j++;
        int k = (int)(j - i - 1);
        if (j >= n || t[j] != 0x201D || k < 2 || k > maxlen || !ws_grams_all_han(t + i + 1, k))
            continue;
        const gram *g = ws_grams_find(&levels[k], t, t + i + 1);
        if (g)
            levels[k].g[g - levels[k].g].quoted++;
    }
}
