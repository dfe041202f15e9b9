/* tally.c - how often each word was counted (tally.h). */
#include "tally.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a: words are a few bytes */
static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h ? h : 1;
}

ws_status ws_tally_init(ws_tally *k)
{
    memset(k, 0, sizeof *k);
    k->nslots = 1024;
    k->e = calloc(k->nslots, sizeof *k->e);
    return k->e ? WS_OK : WS_ENOMEM;
}

static ws_tally_entry *slot_of(const ws_tally *k, const char *s, size_t n, uint32_t h)
{
    size_t mask = k->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        ws_tally_entry *e = &k->e[i];
        if (!e->hash || (e->hash == h && e->len == n && !memcmp(k->keys + e->off, s, n)))
            return e;
    }
}

uint64_t ws_tally_get(const ws_tally *k, const char *s, size_t n)
{
    const ws_tally_entry *e = slot_of(k, s, n, hash_bytes(s, n));
    return e->hash ? e->count : 0;
}

/* Twice the slots, at half load: probes stay short. */
static ws_status grow(ws_tally *k)
{
    ws_tally_entry *old = k->e;
    size_t oldn = k->nslots;
    ws_tally_entry *e = calloc(oldn * 2, sizeof *e);
    if (!e)
        return WS_ENOMEM;
    k->e = e;
    k->nslots = oldn * 2;
    for (size_t i = 0; i < oldn; i++)
        if (old[i].hash)
            *slot_of(k, k->keys + old[i].off, old[i].len, old[i].hash) = old[i];
    free(old);
    return WS_OK;
}

ws_status ws_tally_add(ws_tally *k, const char *s, size_t n, uint64_t by)
{
    if (n >= UINT32_MAX)
        return WS_ETOOBIG;
    uint32_t h = hash_bytes(s, n);
    ws_tally_entry *e = slot_of(k, s, n, h);
    k->total += by;
    if (e->hash) {
        e->count += by;
        return WS_OK;
    }
    if (k->klen + n + 1 > k->kcap) {
        size_t cap = (k->klen + n + 1) * 2 + 4096;
        char *g = cap < UINT32_MAX ? realloc(k->keys, cap) : NULL;
        if (!g)
            return cap < UINT32_MAX ? WS_ENOMEM : WS_ETOOBIG;
        k->keys = g;
        k->kcap = cap;
    }
    memcpy(k->keys + k->klen, s, n);
    k->keys[k->klen + n] = '\0';
    *e = (ws_tally_entry){(uint32_t)k->klen, (uint32_t)n, h, by};
    k->klen += n + 1;
    return ++k->nused * 2 > k->nslots ? grow(k) : WS_OK;
}

void ws_tally_free(ws_tally *k)
{
    free(k->e);
    free(k->keys);
    memset(k, 0, sizeof *k);
}
