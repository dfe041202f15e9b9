/* tally.h - how often each word (a string of bytes) was counted: an
 * open-addressing table over one arena of the words, for whatever counts
 * words by the hundred thousand (collocates, the word tools).
 *
 * Owned by the caller: ws_tally_init, then ws_tally_free. Not thread-safe:
 * one tally a thread, added up after with ws_tally_add. */
#ifndef WS_TALLY_H
#define WS_TALLY_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

typedef struct ws_tally_entry {
    uint32_t off, len, hash; /* the word: keys + off, len bytes (NUL after); hash 0: empty */
    uint64_t count;
} ws_tally_entry;

typedef struct ws_tally {
    ws_tally_entry *e; /* nslots of them, a power of two; nused in use */
    size_t nslots, nused;
    char *keys;
    size_t klen, kcap;
    uint64_t total; /* sum of the counts */
} ws_tally;

/* An empty tally into *k. WS_ENOMEM. */
ws_status ws_tally_init(ws_tally *k);

/* Counts the word s (n bytes, under 4 GiB) by more. WS_ENOMEM. */
ws_status ws_tally_add(ws_tally *k, const char *s, size_t n, uint64_t by);

/* How often the word s (n bytes) was counted; 0 for a word never counted. */
uint64_t ws_tally_get(const ws_tally *k, const char *s, size_t n);

/* The word of entry e, NUL-terminated; valid until the next ws_tally_add. */
static inline const char *ws_tally_word(const ws_tally *k, const ws_tally_entry *e)
{
    return k->keys + e->off;
}

void ws_tally_free(ws_tally *k);

#endif
