/* segment.h - step 4 of the pipeline (analyzer.h): a CJK run segmented over
 * the lexicon by the cheapest path. The segmenter keeps its own work arrays
 * and hands each word to its caller; analyzer.c (steps 1-3 and 5) keeps one
 * segmenter in each analyzer and makes the words tokens. Internal to the
 * text layer: callers see analyzer.h. */
#ifndef WS_SEGMENT_H
#define WS_SEGMENT_H

#include <stddef.h>
#include <stdint.h>
#include <unicode/utypes.h>
#include "lexicon.h"
#include "status.h"

/* One of ICU's words: [b, e) in the normalized UTF-16 buffer, its rule status. */
typedef struct ws__seg {
    int32_t b, e, status;
} ws__seg;

typedef struct ws__segmenter {
    const ws_lexicon *lex; /* the caller's, outliving the segmenter */
    /* work arrays, per code point of a run */
    uint32_t *cps, *cpu; /* code point, and its index in the UTF-16 text */
    int32_t *cost, *from, *icu_end;
    int32_t *name; /* 1 when the best word ending here is a person's name */
    size_t cpcap;
    int16_t *single; /* single-character costs, 0 until computed; NULL computes each time */
    int32_t unseen;  /* with word counts: the cost of a word they do not list */
} ws__segmenter;

/* One word of a run: [b, e) in the UTF-16 text, its lexicon flags. */
typedef ws_status (*ws__segment_word)(void *ctx, uint32_t b, uint32_t e, unsigned lexflags);

/* A segmenter over lex (builds the character classes once per process);
 * ws__segmenter_free it after. */
void ws__segmenter_init(ws__segmenter *sg, const ws_lexicon *lex);
void ws__segmenter_free(ws__segmenter *sg);

/* Segments the CJK run of u made of ICU's ideographic words segs[0..nsegs)
 * and gives its words to word, in order; after_number when the run follows
 * a digit (1日电: 日 is not joined on). WS_ENOMEM, or what word returned. */
ws_status ws__segment_run(ws__segmenter *sg, const UChar *u, const ws__seg *segs, size_t nsegs,
                          int after_number, ws__segment_word word, void *ctx);

#endif
