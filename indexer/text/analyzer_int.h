/* analyzer_int.h - what analyzer.c (steps 1-3 and 5, the tokens of a chunk)
 * and segment.c (step 4, a CJK run over the lexicon) share: the analyzer's
 * state. Not a public header: callers see analyzer.h. */
#ifndef WS_ANALYZER_INT_H
#define WS_ANALYZER_INT_H

#include <stdint.h>
#include <unicode/ubrk.h>
#include "analyzer.h"
#include "normalize.h"

/* One token of a chunk, before it is handed out: [b, e) in the normalized
 * UTF-16 buffer. */
typedef struct ws__tok {
    uint32_t b, e;
    uint8_t kind;
    uint8_t lexflags;
    uint16_t parts;
} ws__tok;

struct ws_analyzer {
    const ws_lexicon *lex;
    UBreakIterator *brk;
    /* the normalized chunk and, for each UTF-16 unit, its input byte range */
    UChar *u;
    uint32_t *src_b, *src_e;
    size_t ucap;
    /* the tokens of the chunk */
    ws__tok *toks;
    size_t ntoks, tokcap;
    /* the segmenter's work arrays, per code point of a CJK run */
    uint32_t *cps, *cpu; /* code point, and its index in u */
    int32_t *cost, *from, *icu_end;
    int32_t *name; /* 1 when the best word ending here is a person's name */
    size_t cpcap;
    int16_t *single; /* single-character costs, 0 until computed */
    int32_t unseen;  /* with word counts: the cost of a word they do not list */
    char text[WS_NORM_MAX * 4 * 64 + 16];
};

/* One of ICU's words: [b, e) in the normalized UTF-16 buffer, its rule status. */
typedef struct ws__seg {
    int32_t b, e, status;
} ws__seg;

/* Makes the segmenter's work arrays (cps ... name) hold need entries. */
ws_status ws__analyzer_reserve_cp(ws_analyzer *a, size_t need);

/* Appends a token [b, e) of u to the chunk's tokens. */
ws_status ws__analyzer_add_tok(ws_analyzer *a, uint32_t b, uint32_t e, int kind, unsigned lexflags);

/* Sets what the segmenter needs of a new analyzer (its cost of an unseen
 * word) and builds the character classes once per process. */
void ws__segment_init(ws_analyzer *a);

/* Step 4 for one CJK run (segment.c): its words, appended to the tokens;
 * after_number when the run follows a digit (1日电: 日 is not joined on). */
ws_status ws__segment_run(ws_analyzer *a, const ws__seg *segs, size_t nsegs, int after_number);

#endif
