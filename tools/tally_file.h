/* tally_file.h - the word tools' tallies (word_counts, new_words: the
 * table is indexer/base/tally.h) and the "word TAB count" files the lexicon
 * loads from them (ws_lexicon_load_counts). */
#ifndef WS_TALLY_FILE_H
#define WS_TALLY_FILE_H

#include <stddef.h>
#include <stdint.h>
#include "tally.h"

/* An empty tally; exits on want of memory, as the tools do. */
void ws_tally_file_init(ws_tally *k);

/* Counts the word s (n bytes) once more; exits on want of memory. */
void ws_tally_file_add(ws_tally *k, const char *s, size_t n);

/* Writes the words counted min times or more to path, most frequent first
 * (ties in byte order), after header (NULL: none); returns the sum of the
 * counts written. Reorders the entries: the tally is only freed after.
 * Exits when the file cannot be written. */
uint64_t ws_tally_write(ws_tally *k, const char *path, uint64_t min, const char *header);

#endif
