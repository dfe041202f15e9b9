/* new_words.h - what the parts of tools/new_words share (new_words.c, the
 * tool: its command line and main): the longest word, the text's two
 * pseudo-characters, the settings, and the tool's way of failing. Nothing
 * here returns memory the caller does not own: ws_new_words_realloc's block
 * and ws_new_words_open_analyzer's analyzer and lexicon are the caller's.
 * The parts: new_words_text.h (the text read), new_words_grams.h (step 1,
 * the strings counted), new_words_rules.h (step 2, the candidates picked),
 * new_words_cands.h (the candidates), new_words_confirmation.h (step 3). */
#ifndef WS_NEW_WORDS_H
#define WS_NEW_WORDS_H

#include <stddef.h>
#include "analyzer.h"
#include "lexicon.h"

#define MAX_LEN 12
#define SEP     0u /* between texts and lines */
#define DIGIT   1u /* any digit: one neighbour, as 余名 of 100余名 is bound to a number */

/* The command line. */
typedef struct settings {
    unsigned long min, min_long;
    double bound, min_pmi, min_h, min_share;
    int maxlen, verbose;
    const char *trace_file, *out;
} settings;

/* Says "new_words: what" on stderr and exits with 1. */
_Noreturn void ws_new_words_die(const char *what);

/* realloc, exiting on want of memory (n 0 taken as 1). */
void *ws_new_words_realloc(void *p, size_t n);

/* An analyzer over the default lexicon (as the environment sets it), into
 * *lex; the caller frees both (analyzer first). Exits on a failure. */
ws_analyzer *ws_new_words_open_analyzer(ws_lexicon **lex);

#endif
