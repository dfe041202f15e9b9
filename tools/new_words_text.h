/* new_words_text.h - the text new_words reads: the collection's texts as
 * normalized code points, SEP between texts and lines, each digit DIGIT,
 * and the raw texts beside them for the confirmation passes. The text owns
 * its arrays (t, raw, roff); whoever made it frees them. */
#ifndef WS_NEW_WORDS_TEXT_H
#define WS_NEW_WORDS_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include "analyzer.h"

typedef struct text {
    uint32_t *t;
    size_t n, cap;
    /* the raw texts, for the confirmation passes */
    char *raw;
    size_t rlen, rcap;
    size_t *roff;
    size_t nraw, rocap;
} text;

/* Appends the code point c to x's text; exits on want of memory. */
void ws_text_push(text *x, uint32_t c);

/* Where the texts read go: the text, normalized by the analyzer. */
typedef struct reading {
    text *x;
    ws_analyzer *a;
} reading;

/* Adds a text of the collection to the reading ctx (a reading *), as
 * ws_collection_read gives it; exits when it cannot be normalized. */
void ws_text_add(void *ctx, const char *s, size_t len);

#endif
