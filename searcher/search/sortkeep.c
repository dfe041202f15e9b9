/* sortkeep.c - sorted concordance lines kept for the next pages (sortkeep.h). */
#include "sortkeep.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct ws_sortkeep {
    char view[64];
    char *key;
    size_t keylen;
    void *lines;
    size_t n, bytes;
    unsigned long documents;
    unsigned refs;      /* the table's (while in it) and the callers' */
    unsigned long used; /* the clock when last found or kept */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static ws_sortkeep *table[WS_SORTKEEP_ENTRIES];
static unsigned long clock_;

/* Drops a reference, under the lock; the last frees k. */
static void unref(ws_sortkeep *k)
{
    if (--k->refs)
        return;
    free(k->key);
    free(k->lines);
    free(k);
}

static int same(const ws_sortkeep *k, const char *view, const char *key, size_t keylen)
{
    return !strcmp(k->view, view) && k->keylen == keylen && !memcmp(k->key, key, keylen);
}

ws_sortkeep *ws_sortkeep_find(const char *view, const char *key, size_t keylen)
{
    ws_sortkeep *found = NULL;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < WS_SORTKEEP_ENTRIES && !found; i++)
        if (table[i] && same(table[i], view, key, keylen)) {
            found = table[i];
            found->refs++;
            found->used = ++clock_;
        }
    pthread_mutex_unlock(&lock);
    return found;
}

ws_sortkeep *ws_sortkeep_keep(const char *view, const char *key, size_t keylen, void *lines,
                              size_t n, size_t size, unsigned long documents)
{
    if (strlen(view) >= sizeof table[0]->view || (size && n > WS_SORTKEEP_BYTES / size))
        return NULL;
    ws_sortkeep *k = calloc(1, sizeof *k);
    char *kcopy = malloc(keylen ? keylen : 1);
    if (!k || !kcopy) {
        free(k);
        free(kcopy);
        return NULL;
    }
    memcpy(kcopy, key, keylen);
    *k = (ws_sortkeep){.key = kcopy,
                       .keylen = keylen,
                       .lines = lines,
                       .n = n,
                       .bytes = n * size,
                       .documents = documents,
                       .refs = 2};
    strcpy(k->view, view);
    pthread_mutex_lock(&lock);
    k->used = ++clock_;
    /* the same sort made twice at once: the later takes the place */
    for (size_t i = 0; i < WS_SORTKEEP_ENTRIES; i++)
        if (table[i] && same(table[i], view, key, keylen)) {
            unref(table[i]);
            table[i] = NULL;
        }
    for (;;) { /* room: an empty place, within the bytes, the least used going */
        size_t bytes = k->bytes, empty = WS_SORTKEEP_ENTRIES, oldest = WS_SORTKEEP_ENTRIES;
        for (size_t i = 0; i < WS_SORTKEEP_ENTRIES; i++) {
            if (!table[i]) {
                empty = i;
                continue;
            }
            bytes += table[i]->bytes;
            if (oldest == WS_SORTKEEP_ENTRIES || table[i]->used < table[oldest]->used)
                oldest = i;
        }
        if (empty < WS_SORTKEEP_ENTRIES && bytes <= WS_SORTKEEP_BYTES) {
            table[empty] = k;
            break;
        }
        unref(table[oldest]); /* a caller still reading it keeps it until it puts it */
        table[oldest] = NULL;
    }
    pthread_mutex_unlock(&lock);
    return k;
}

const void *ws_sortkeep_lines(const ws_sortkeep *k, size_t *n, unsigned long *documents)
{
    *n = k->n;
    *documents = k->documents;
    return k->lines;
}

void ws_sortkeep_put(ws_sortkeep *k)
{
    if (!k)
        return;
    pthread_mutex_lock(&lock);
    unref(k);
    pthread_mutex_unlock(&lock);
}
