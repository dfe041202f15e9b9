/* tally.h - how often each word occurs, for the word tools (word_counts,
 * new_words), and the "word TAB count" files the lexicon loads from them
 * (ws_lexicon_load_counts). */
#ifndef WS_TALLY_H
#define WS_TALLY_H

#include <stddef.h>
#include <stdint.h>

typedef struct ws_tally_entry {
    uint32_t off, len, hash; /* the word: keys[off, off + len); hash 0: empty */
    uint64_t count;
} ws_tally_entry;

/* Owned by the caller: ws_tally_init, then ws_tally_free. */
typedef struct ws_tally {
    ws_tally_entry *e;
    size_t nslots, nused;
    char *keys;
    size_t klen, kcap;
    uint64_t total; /* sum of the counts */
} ws_tally;

/* An empty tally; exits on want of memory, as the tools do. */
void ws_tally_init(ws_tally *k);

/* Counts the word s (n bytes) once more. */
void ws_tally_add(ws_tally *k, const char *s, size_t n);

/* How often the word s (n bytes) was counted; 0 for a word never counted. */
uint64_t ws_tally_get(const ws_tally *k, const char *s, size_t n);

/* Writes the words counted min times or more to path, most frequent first
 * (ties in byte order), after header (NULL: none); returns the sum of the
 * counts written. Reorders the entries: the tally is only freed after.
 * Exits when the file cannot be written. */
uint64_t ws_tally_write(ws_tally *k, const char *path, uint64_t min, const char *header);

void ws_tally_free(ws_tally *k);

#endif
