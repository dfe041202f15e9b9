/* new_words_confirmation.h - new_words.c's step 3: the passes of the
 * segmenter over the text with the candidates in the lexicon (Viterbi EM),
 * which keep the candidates it takes. The candidates stay the caller's: c
 * is filtered in place and may grow (pending ones admitted, copied from
 * pending); the caller frees c->c and pending->c. */
#ifndef WS_NEW_WORDS_CONFIRMATION_H
#define WS_NEW_WORDS_CONFIRMATION_H

#include <stdint.h>
#include "new_words.h"
#include "new_words_cands.h"
#include "new_words_text.h"

/* 3. Confirmation (new_words.c's step 3): keeps the candidates of c the
 * segmenter takes, pass after pass, each with the counts of the pass before
 * (the first with the candidates' raw counts). The first two price the old
 * words by the built-in counts; from the third on, by the counts the pass
 * before took of them, and the candidates dropped in the first two are
 * judged again beside the pending ones admit_pending lets in. Stops after a
 * third or later pass that drops none, or after MAX_PASSES
 * (new_words_confirmation.c). Returns the scale of the candidates' counts:
 * the total of the old words' counts of the last pass (*total_out) over its
 * tokens. */
double ws_confirmation_run(const text *x, const settings *st, cands *c, cands *pending,
                           uint64_t *total_out);

#endif
