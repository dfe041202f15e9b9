/* tally.c - how often each word was counted (tally.h). */
#include "tally.h"

#include <stdlib.h>
#include <string.h>

static uint64_t load32(const char *s)
{
    uint32_t x;
    memcpy(&x, s, 4);
    return x;
}

/* What an entry keeps of a word s (n bytes) to compare it by: its first
 * 8 bytes, which with its length decide a word of up to 8 bytes. Read in
 * whole words (two overlapping 4-byte loads under 8 bytes): a copy of n
 * bytes into an 8-byte variable read back whole stalls the load on the
 * stores, a fifth of counting collocates. */
static uint64_t head_of(const char *s, size_t n)
{
    uint64_t h;
    if (n >= 8) {
        memcpy(&h, s, 8);
        return h;
    }
    if (n >= 4)
        return load32(s) | load32(s + n - 4) << 32;
    h = 0;
    for (size_t i = 0; i < n; i++)
        h |= (uint64_t)(unsigned char)s[i] << (8 * i);
    return h;
}

/* Words are a few bytes, most within 8 or 16: a multiply and a shift per 8
 * bytes (the mixer of splitmix64) rather than one per byte. */
static uint32_t hash_bytes(uint64_t head, const char *s, size_t n)
{
    uint64_t h = head ^ ((uint64_t)n << 56);
    for (size_t i = 8; i < n; i += 8) {
        uint64_t x = 0;
        memcpy(&x, s + i, n - i < 8 ? n - i : 8);
        h = (h ^ (h >> 31)) * 0x9E3779B97F4A7C15ull ^ x;
    }
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
    h ^= h >> 31;
    return (uint32_t)h;
}

/* Whether entry e's word is s (n bytes, its head already equal). */
static int same(const ws_tally *k, const ws_tally_entry *e, const char *s, size_t n)
{
    if (e->len != n)
        return 0;
    const char *w = k->keys + e->off;
    for (size_t i = 8; i < n; i++)
        if (w[i] != s[i])
            return 0;
    return 1;
}

/* The slot of s: its own, or the empty one where it would go. */
static uint64_t *slot_of(const ws_tally *k, const char *s, size_t n, uint64_t head, uint32_t h)
{
    size_t mask = k->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint64_t *sl = &k->slot[i];
        if (!*sl)
            return sl;
        if ((uint32_t)(*sl >> 32) == h) {
            const ws_tally_entry *e = &k->e[(uint32_t)*sl - 1];
            if (e->head == head && same(k, e, s, n))
                return sl;
        }
    }
}

ws_status ws_tally_init(ws_tally *k)
{
    memset(k, 0, sizeof *k);
    k->nslots = 1024;
    k->slot = calloc(k->nslots, sizeof *k->slot);
    return k->slot ? WS_OK : WS_ENOMEM;
}

uint64_t ws_tally_get(const ws_tally *k, const char *s, size_t n)
{
    uint64_t head = head_of(s, n);
    const uint64_t *sl = slot_of(k, s, n, head, hash_bytes(head, s, n));
    return *sl ? k->e[(uint32_t)*sl - 1].count : 0;
}

/* Twice the slots, at half load: probes stay short. */
static ws_status grow(ws_tally *k)
{
    size_t n = k->nslots * 2;
    uint64_t *slot = calloc(n, sizeof *slot);
    if (!slot)
        return WS_ENOMEM;
    for (size_t i = 0; i < k->nslots; i++) {
        uint64_t v = k->slot[i];
        size_t j = (uint32_t)(v >> 32) & (n - 1);
        if (!v)
            continue;
        while (slot[j]) /* the words are apart: only an empty slot is looked for */
            j = (j + 1) & (n - 1);
        slot[j] = v;
    }
    free(k->slot);
    k->slot = slot;
    k->nslots = n;
    return WS_OK;
}

/* Enters the word s (n bytes), new to k, into the empty slot sl with
 * count by. */
static ws_status insert(ws_tally *k, const char *s, size_t n, uint64_t head, uint32_t h,
                        uint64_t *sl, uint64_t by)
{
    if (k->nused >= UINT32_MAX - 1)
        return WS_ETOOBIG;
    if (k->klen + n + 1 > k->kcap) {
        size_t cap = (k->klen + n + 1) * 2 + 4096;
        char *g = cap < UINT32_MAX ? realloc(k->keys, cap) : NULL;
        if (!g)
            return cap < UINT32_MAX ? WS_ENOMEM : WS_ETOOBIG;
        k->keys = g;
        k->kcap = cap;
    }
    if (k->nused == k->ecap) {
        size_t cap = k->ecap ? k->ecap * 2 : 512;
        ws_tally_entry *g = realloc(k->e, cap * sizeof *g);
        if (!g)
            return WS_ENOMEM;
        k->e = g;
        k->ecap = cap;
    }
    memcpy(k->keys + k->klen, s, n);
    k->keys[k->klen + n] = '\0';
    k->e[k->nused] = (ws_tally_entry){(uint32_t)k->klen, (uint32_t)n, head, by};
    *sl = (uint64_t)h << 32 | (uint64_t)(k->nused + 1);
    k->klen += n + 1;
    k->total += by;
    return ++k->nused * 2 > k->nslots ? grow(k) : WS_OK;
}

ws_status ws_tally_add_at(ws_tally *k, const char *s, size_t n, uint64_t by, size_t *at)
{
    if (n >= UINT32_MAX)
        return WS_ETOOBIG;
    uint64_t head = head_of(s, n);
    uint32_t h = hash_bytes(head, s, n);
    uint64_t *sl = slot_of(k, s, n, head, h);
    if (*sl) {
        *at = (uint32_t)*sl - 1;
        k->e[*at].count += by;
        k->total += by;
        return WS_OK;
    }
    *at = k->nused;
    return insert(k, s, n, head, h, sl, by);
}

ws_status ws_tally_add(ws_tally *k, const char *s, size_t n, uint64_t by)
{
    size_t at;
    return ws_tally_add_at(k, s, n, by, &at);
}

/* How many words ws_tally_add_each fetches ahead: enough for the loads
 * to overlap, few enough to stay in the cache. */
#define AHEAD 16

ws_status ws_tally_add_each(ws_tally *k, const ws_tally_ref *w, size_t count)
{
    uint64_t head[AHEAD];
    uint32_t hash[AHEAD];
    for (size_t b = 0; b < count; b += AHEAD) {
        size_t m = count - b < AHEAD ? count - b : AHEAD;
        for (size_t i = 0; i < m; i++) {
            head[i] = head_of(w[b + i].s, w[b + i].n);
            hash[i] = hash_bytes(head[i], w[b + i].s, w[b + i].n);
            __builtin_prefetch(&k->slot[hash[i] & (k->nslots - 1)]);
        }
        for (size_t i = 0; i < m; i++) {
            uint64_t v = k->slot[hash[i] & (k->nslots - 1)];
            if (v)
                __builtin_prefetch(&k->e[(uint32_t)v - 1]);
        }
        for (size_t i = 0; i < m; i++) {
            const char *s = w[b + i].s;
            size_t n = w[b + i].n;
            uint64_t *sl = slot_of(k, s, n, head[i], hash[i]);
            if (*sl) {
                k->e[(uint32_t)*sl - 1].count++;
                k->total++;
                continue;
            }
            ws_status st = n < UINT32_MAX ? insert(k, s, n, head[i], hash[i], sl, 1) : WS_ETOOBIG;
            if (st != WS_OK)
                return st;
        }
    }
    return WS_OK;
}

void ws_tally_free(ws_tally *k)
{
    free(k->e);
    free(k->slot);
    free(k->keys);
    memset(k, 0, sizeof *k);
}
