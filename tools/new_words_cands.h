/* new_words_cands.h - the candidates: strings that may be new words, each
 * with its figures and what the segmenter took of it, in a growing array;
 * a table of them by their bytes; the compounds dropped; the file written.
 * A cands owns its array c; whoever made it frees c->c. */
#ifndef WS_NEW_WORDS_CANDS_H
#define WS_NEW_WORDS_CANDS_H

#include <stddef.h>
#include <stdint.h>
#include "lexicon.h"
#include "new_words.h"

typedef struct cand {
    char word[MAX_LEN * 4 + 1];
    int len; /* characters */
    uint32_t count;
    int unit; /* quoted whole MIN_COUNT times or more */
    double pmi, hl, hr;
    uint64_t taken;  /* times the segmenter took it, in the last pass */
    uint64_t inside; /* times it was inside a longer word the segmenter took */
} cand;

typedef struct cands {
    cand *c;
    size_t n, cap;
} cands;

/* Appends a copy of d to c; exits on want of memory. */
void ws_cands_push(cands *c, const cand *d);

/* A table of the candidates of c by their bytes, for ws_cands_has: index + 1
 * into c, 0 empty; *nslots entries. The caller frees it. */
uint32_t *ws_cands_slots(const cands *c, size_t *nslots);

/* Whether the n bytes at w are a candidate of c, by slot (nslots entries),
 * the table ws_cands_slots made of c. */
int ws_cands_has(const cands *c, uint32_t *slot, size_t nslots, const char *w, size_t n);

/* Drops the candidates made of two others, or of another and a word of the
 * lexicon (碳达峰碳中和 of 碳达峰 and 碳中和): a coinage made of two words
 * may stay two words, and the unigram model would otherwise take the
 * compound where the corpus has it often (its parts then losing their own
 * occurrences). */
void ws_cands_drop_compounds(cands *c, const ws_lexicon *lex);

/* Writes "word TAB count" lines to path, after header (NULL: none): each
 * candidate of c with its taken times scale, rounded (at least 1). Exits
 * when the file cannot be written. */
void ws_cands_write(const cands *c, const char *path, double scale, const char *header);

/* qsort comparison of cands: most taken first, ties in byte order. */
int ws_cands_by_taken(const void *x, const void *y);

#endif
