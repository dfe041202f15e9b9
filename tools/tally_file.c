/* tally_file.c - the word tools' tallies and their files (tally_file.h). */
#include "tally_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what)
{
    fprintf(stderr, "tally: %s\n", what);
    exit(1);
}

void ws_tally_file_init(ws_tally *k)
{
    if (ws_tally_init(k) != WS_OK)
        die("out of memory");
}

void ws_tally_file_add(ws_tally *k, const char *s, size_t n)
{
    if (ws_tally_add(k, s, n, 1) != WS_OK)
        die("out of memory");
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
    for (size_t i = 0; i < k->nused; i++)
        if (k->e[i].count >= min) {
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
