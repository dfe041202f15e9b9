/* tally.c - how often each word occurs (tally.h): an open-addressing table of
 * the words' bytes. */
#include "tally.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what)
{
    fprintf(stderr, "tally: %s\n", what);
    exit(1);
}

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h ? h : 1;
}

void ws_tally_init(ws_tally *k)
{
    memset(k, 0, sizeof *k);
    k->nslots = 1 << 18;
    k->e = calloc(k->nslots, sizeof *k->e);
    if (!k->e)
        die("out of memory");
}

static ws_tally_entry *slot_of(ws_tally *k, const char *s, size_t n, uint32_t h)
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
    const ws_tally_entry *e = slot_of((ws_tally *)k, s, n, hash_bytes(s, n));
    return e->hash ? e->count : 0;
}

void ws_tally_add(ws_tally *k, const char *s, size_t n)
{
    uint32_t h = hash_bytes(s, n);
    ws_tally_entry *e = slot_of(k, s, n, h);
    k->total++;
    if (e->hash) {
        e->count++;
        return;
    }
    if (k->klen + n > k->kcap) {
        k->kcap = (k->klen + n) * 2 + 4096;
        k->keys = realloc(k->keys, k->kcap);
        if (!k->keys)
            die("out of memory");
    }
    memcpy(k->keys + k->klen, s, n);
    *e = (ws_tally_entry){(uint32_t)k->klen, (uint32_t)n, h, 1};
    k->klen += n;
    if (++k->nused * 2 > k->nslots) {
        ws_tally_entry *old = k->e;
        size_t oldn = k->nslots;
        k->nslots *= 2;
        k->e = calloc(k->nslots, sizeof *k->e);
        if (!k->e)
            die("out of memory");
        for (size_t i = 0; i < oldn; i++)
            if (old[i].hash)
                *slot_of(k, k->keys + old[i].off, old[i].len, old[i].hash) = old[i];
        free(old);
    }
}

void ws_tally_free(ws_tally *k)
{
    free(k->e);
    free(k->keys);
}

static const ws_tally *sorting;

static int by_count(const void *x, const void *y)
{
    const ws_tally_entry *a = x, *b = y;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(sorting->keys + a->off, sorting->keys + b->off, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

uint64_t ws_tally_write(ws_tally *k, const char *path, uint64_t min, const char *header)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t n = 0;
    uint64_t sum = 0;
    for (size_t i = 0; i < k->nslots; i++)
        if (k->e[i].hash && k->e[i].count >= min) {
            sum += k->e[i].count;
            k->e[n++] = k->e[i];
        }
    sorting = k;
    qsort(k->e, n, sizeof *k->e, by_count);
    if (header)
        fputs(header, f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%.*s\t%llu\n", (int)k->e[i].len, k->keys + k->e[i].off,
                (unsigned long long)k->e[i].count);
    if (fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    fprintf(stderr, "  %zu words of %llu tokens written to %s\n", n, (unsigned long long)k->total,
            path);
    return sum;
}
