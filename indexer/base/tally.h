/* tally.h - how often each word (a string of bytes) was counted: an
 * open-addressing table over one arena of the words, for whatever counts
 * words by the hundred thousand (collocates, the word tools).
 *
 * The table's slots are 8 bytes (a word's hash and where its entry is), so
 * that the tens of thousands of words around a common term's matches probe
 * within a core's own cache; the entries lie dense, in the order the words
 * were first counted. Counting collocates is mostly these probes.
 *
 * Owned by the caller: ws_tally_init, then ws_tally_free. Not thread-safe:
 * one tally a thread, added up after with ws_tally_add. */
#ifndef WS_TALLY_H
#define WS_TALLY_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

typedef struct ws_tally_entry {
    uint32_t off, len; /* the word: keys + off, len bytes (NUL after) */
    uint64_t head;     /* what decides a word of up to 8 bytes with its length (tally.c's
                          head_of): most words compare here */
    uint64_t count;
} ws_tally_entry;

typedef struct ws_tally {
    ws_tally_entry *e; /* the words counted: e[0..nused), room for ecap */
    size_t nused, ecap;
    uint64_t *slot; /* nslots (a power of two): hash << 32 | (index into e) + 1; 0 empty */
    size_t nslots;
    char *keys;
    size_t klen, kcap;
    uint64_t total; /* sum of the counts */
} ws_tally;

/* An empty tally into *k. WS_ENOMEM. */
ws_status ws_tally_init(ws_tally *k);

/* Counts the word s (n bytes, under 4 GiB) by more. WS_ENOMEM; WS_ETOOBIG
 * past 4 GiB of words or 2^32 - 2 of them. */
ws_status ws_tally_add(ws_tally *k, const char *s, size_t n, uint64_t by);

/* ws_tally_add, and the index of the word's entry into *at (e[*at]: the
 * words are numbered 0, 1, ... in the order first counted, so that a
 * tally is also a dictionary of words to numbers). */
ws_status ws_tally_add_at(ws_tally *k, const char *s, size_t n, uint64_t by, size_t *at);

/* A word to count: s[0..n). */
typedef struct ws_tally_ref {
    const char *s;
    size_t n;
} ws_tally_ref;

/* Counts each word w[i] (i < count) once, as ws_tally_add would one by
 * one, fetching the table's memory for several words ahead of probing it:
 * a table of the words around a common term's matches is larger than a
 * core's cache, and waiting for it was most of counting them. The entries
 * of the words new to k are e[nused before the call .. nused after).
 * WS_ENOMEM, WS_ETOOBIG as ws_tally_add (the words before the one that
 * failed are counted). */
ws_status ws_tally_add_each(ws_tally *k, const ws_tally_ref *w, size_t count);

/* How often the word s (n bytes) was counted; 0 for a word never counted. */
uint64_t ws_tally_get(const ws_tally *k, const char *s, size_t n);

/* The word of entry e, NUL-terminated; valid until the next ws_tally_add. */
static inline const char *ws_tally_word(const ws_tally *k, const ws_tally_entry *e)
{
    return k->keys + e->off;
}

void ws_tally_free(ws_tally *k);

#endif
