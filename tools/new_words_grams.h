/* new_words_grams.h - new_words.c's step 1: the strings of 1 to MAX_LEN + 1
 * Chinese characters counted in the text, one table (a level) per length,
 * each string with the entropies of its neighbours and how often it stands
 * quoted. levels[k] is the level of length k; its arrays (g, slot) are the
 * caller's to free. A gram found points into its level and is valid until
 * the level changes. */
#ifndef WS_NEW_WORDS_GRAMS_H
#define WS_NEW_WORDS_GRAMS_H

#include <stddef.h>
#include <stdint.h>
#include "new_words.h"
#include "new_words_text.h"

typedef struct gram {
    uint32_t pos;    /* an occurrence in the text: the key is t[pos, pos + len) */
    uint32_t count;  /* occurrences */
    double hl, hr;   /* sum of c ln c over left / right neighbours, then entropies */
    uint32_t nl, nr; /* occurrences after / before a Chinese numeral: one neighbour */
    uint32_t quoted; /* occurrences in quotation marks, whole: “小巨人” */
} gram;

typedef struct level {
    int len;
    gram *g;
    size_t n, cap;
    uint32_t *slot; /* index + 1 into g; 0 empty */
    size_t nslots;
} level;

/* The string key (L->len code points) in L, NULL when it was not counted. */
const gram *ws_grams_find(const level *L, const uint32_t *t, const uint32_t *key);

/* Whether the n code points of c are all Chinese characters. */
int ws_grams_all_han(const uint32_t *c, int n);

/* 1. Statistics: counts the strings of x one length at a time, up to
 * maxlen + 1 for the neighbours of the longest, into levels[1..maxlen + 1].
 * Returns how many Chinese characters x holds. */
double ws_grams_count(const text *x, const settings *st, level *levels);

/* For each counted string, how often it stands whole between quotation
 * marks (“ ”). */
void ws_grams_count_quoted(const uint32_t *t, size_t n, level *levels, int maxlen);

#endif
