/* new_words_cands.c - the candidates (new_words_cands.h). */
#include "new_words_cands.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "normalize.h"

void ws_cands_push(cands *c, const cand *d)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 4096;
        c->c = ws_new_words_realloc(c->c, c->cap * sizeof *c->c);
    }
    c->c[c->n++] = *d;
}

/* ---- compounds of candidates ---- */

uint32_t *ws_cands_slots(const cands *c, size_t *nslots)
{
    *nslots = 1;
    while (*nslots < c->n * 2 + 2)
        *nslots *= 2;
    uint32_t *slot = calloc(*nslots, sizeof *slot);
    if (!slot)
        ws_new_words_die("out of memory");
    for (size_t i = 0; i < c->n; i++) {
        const char *w = c->c[i].word;
        size_t n = strlen(w), mask = *nslots - 1;
        uint32_t h = 2166136261u;
        for (size_t j = 0; j < n; j++)
            h = (h ^ (unsigned char)w[j]) * 16777619u;
        for (size_t j = h & mask;; j = (j + 1) & mask)
            if (!slot[j]) {
                slot[j] = (uint32_t)i + 1;
                break;
            }
    }
    return slot;
}

void ws_cands_drop_compounds(cands *c, const ws_lexicon *lex)
{
    size_t nslots;
    uint32_t *slot = ws_cands_slots(c, &nslots);
    size_t kept = 0;
    for (size_t i = 0; i < c->n; i++) {
        const char *w = c->c[i].word;
        size_t n = strlen(w);
        int compound = 0;
        /* splits at character boundaries, each part two characters or more */
        uint32_t cp[MAX_LEN];
        size_t off[MAX_LEN + 1];
        int k = 0;
        for (size_t j = 0; j < n && k < MAX_LEN;) {
            off[k] = j;
            j += (size_t)ws_utf8_decode((const unsigned char *)w + j, n - j, &cp[k++]);
        }
        off[k] = n;
        for (int m = 2; m + 2 <= k && !compound; m++) {
            int lc = ws_cands_has(c, slot, nslots, w, off[m]);
            int rc = ws_cands_has(c, slot, nslots, w + off[m], n - off[m]);
            int lw = (ws_lexicon_lookup(lex, cp, m, NULL) & WS_LEX_WORD) != 0;
            int rw = (ws_lexicon_lookup(lex, cp + m, k - m, NULL) & WS_LEX_WORD) != 0;
            compound = (lc || rc) && (lc || lw) && (rc || rw);
        }
        /* a unit to its writers stays one (“跨省通办”: 跨省 通办) */
        if (!compound || c->c[i].unit)
            c->c[kept++] = c->c[i];
    }
    fprintf(stderr, "compounds of candidates dropped: %zu\n", c->n - kept);
    c->n = kept;
    free(slot);
}

int ws_cands_has(const cands *c, uint32_t *slot, size_t nslots, const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t j = 0; j < n; j++)
        h = (h ^ (unsigned char)w[j]) * 16777619u;
    size_t mask = nslots - 1;
    for (size_t j = h & mask; slot[j]; j = (j + 1) & mask) {
        const char *k = c->c[slot[j] - 1].word;
        if (strlen(k) == n && !memcmp(k, w, n))
            return 1;
    }
    return 0;
}

void ws_cands_write(const cands *c, const char *path, double scale, const char *header)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    if (header)
        fputs(header, f);
    for (size_t i = 0; i < c->n; i++) {
        unsigned long long n = (unsigned long long)llround((double)c->c[i].taken * scale);
        fprintf(f, "%s\t%llu\n", c->c[i].word, n ? n : 1);
    }
    if (fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

int ws_cands_by_taken(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->taken != b->taken)
        return a->taken < b->taken ? 1 : -1;
    return strcmp(a->word, b->word);
}
