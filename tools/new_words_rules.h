/* new_words_rules.h - new_words.c's step 2: the rules a counted string must
 * pass to be a candidate (its cohesion, its free ends, the segmenter's cut
 * of it, how free its characters are, the stop words and particles at its
 * edges), and the figures behind them printed for study. The candidates go
 * into the caller's cands, which the caller frees. */
#ifndef WS_NEW_WORDS_RULES_H
#define WS_NEW_WORDS_RULES_H

#include <stdint.h>
#include "analyzer.h"
#include "lexicon.h"
#include "new_words.h"
#include "new_words_cands.h"
#include "new_words_grams.h"
#include "new_words_text.h"

/* Prints the figures of the strings listed in path (one a line), to study
 * the tool's choices; the output does not depend on it. */
void ws_rules_trace(const char *path, const uint32_t *t, level *levels, int maxlen, double total);

/* 2. Candidates: the strings of levels that hold together, combine freely
 * and that the segmenter breaks, into c; those that need MIN_LONG and are
 * seen less, into pending. */
void ws_rules_pick(const text *x, const settings *st, level *levels, double chars,
                   const ws_lexicon *lex, ws_analyzer *an, cands *c, cands *pending);

#endif
