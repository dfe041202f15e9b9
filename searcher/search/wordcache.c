#include "wordcache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "cell.h"
#include "row.h"
#include "schema.h"
#include "strbuf.h"
#include "stub.h"
#include "tally.h"
#include "valuecursor.h"

#define MAX_SHARDS WS_WORDCACHE_MAX_SHARDS

/* The values are kept in chunks of this many bytes (a longer value in
 * one of its own): a document points into its value, so a chunk never
 * moves, and a chunk's room left over is the only waste. */
#define CHUNK ((size_t)16 << 20)

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
} chunk;

typedef struct doc {
    ws_wordfield wf[2];
    uint32_t w0;     /* its first word in the shard's arrays */
    uint32_t n[2];   /* its title's and body's words */
    int listed;      /* (the rest is 0 when not) */
    const char *row; /* its export row (WS_SLOT_ROW), or NULL, and after it */
    uint32_t rowlen;
    uint32_t csvlen; /* its columns as CSV cells (ws_cell_put_row), 0: none */
} doc;

struct ws_wordshard {
    char view[WS_DB_SHARD_VIEW_LEN];
    unsigned k, nshards, last; /* shard k of nshards; its docids 1..last */
    doc *d;                    /* by the shard's docid - 1 */
    chunk *chunks;             /* the word lists, kept */
    chunk *rows;               /* the export rows, kept apart: read in docid order, they
                                  lie one after the other */
    size_t held;               /* their bytes */
    uint32_t *start, *id;      /* every word of every document */
    size_t nw, capw;
    ws_tally dict; /* the words, numbered as first met */
    uint32_t *len; /* by number */
    size_t bytes;
    unsigned long long listed; /* documents with a list */
    int refs;                  /* guarded by the cache's mutex; the cache's own is one */
};

struct ws_wordcache {
    pthread_mutex_t mu;
    size_t max_bytes;
    ws_wordshard *shard[MAX_SHARDS];
    /* the revision of a shard that was not copied (past the memory
     * allowed): no shard is copied until it moves */
    char refused[MAX_SHARDS][WS_DB_SHARD_VIEW_LEN];
    atomic_int cancel; /* ws_wordcache_cancel: a copy under way stops */
};

static void shard_free(ws_wordshard *s)
{
    if (!s)
        return;
    free(s->d);
    for (int k = 0; k < 2; k++)
        for (chunk *c = k ? s->rows : s->chunks, *next; c; c = next) {
            next = c->next;
            free(c);
        }
    free(s->start);
    free(s->id);
    free(s->len);
    ws_tally_free(&s->dict);
    free(s);
}

/* ---- a shard's copy ---- */

/* What s takes now, with its arrays' room. */
static size_t shard_bytes(const ws_wordshard *s)
{
    return sizeof *s + (size_t)s->last * sizeof *s->d + s->held + s->capw * 2 * sizeof(uint32_t) +
           s->dict.kcap + s->dict.ecap * sizeof *s->dict.e + s->dict.nslots * sizeof *s->dict.slot;
}

/* A copy of v[0..n) that stays where it is (the documents point into
 * their values), or NULL out of memory. */
static const char *keep_value(ws_wordshard *s, chunk **in, const char *v, size_t n)
{
    chunk *c = *in;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK ? n : CHUNK;
        if (!(c = malloc(sizeof *c + cap)))
            return NULL;
        *c = (chunk){*in, 0, cap};
        *in = c;
        s->held += sizeof *c + cap;
    }
    char *p = c->data + c->used;
    memcpy(p, v, n);
    c->used += n;
    return p;
}

/* Numbers the words of field f of document dc (decoded) into s's arrays.
 * WS_ECORRUPT: a damaged list (the document is then taken as one
 * without). */
static ws_status number_words(ws_wordshard *s, doc *dc, int f, ws_word **w, size_t *cap,
                              size_t room)
{
    size_t n = 0;
    ws_status st = ws_wordfield_words(&dc->wf[f], w, cap, &n);
    if (st != WS_OK)
        return st;
    if (s->nw + n >= UINT32_MAX)
        return WS_ETOOBIG;
    if (s->nw + n > s->capw) {
        size_t c = s->capw ? s->capw * 2 : 1 << 16;
        while (c < s->nw + n)
            c *= 2;
        uint32_t *a = realloc(s->start, c * sizeof *a);
        if (a)
            s->start = a;
        uint32_t *b = a ? realloc(s->id, c * sizeof *b) : NULL;
        if (!b)
            return WS_ENOMEM;
        s->id = b;
        s->capw = c;
        if (shard_bytes(s) > room)
            return WS_ETOOBIG;
    }
    const char *text = dc->wf[f].text;
    for (size_t j = 0; j < n; j++) {
        size_t at;
        st = ws_tally_add_at(&s->dict, text + (*w)[j].start, (*w)[j].end - (*w)[j].start, 1, &at);
        if (st != WS_OK)
            return st;
        if (at >= WS_WORDCACHE_STOP)
            return WS_ETOOBIG;
        s->start[s->nw] = (uint32_t)(*w)[j].start;
        s->id[s->nw++] = (uint32_t)at | ((*w)[j].stop ? WS_WORDCACHE_STOP : 0);
    }
    dc->n[f] = (uint32_t)n;
    return WS_OK;
}

/* Keeps document i's export row, when it has one, and after it its
 * columns as CSV cells (made in tmp): with them a line of a CSV export is
 * copied, not made, and making lines was half an export's work. */
static ws_status keep_row(ws_wordshard *s, ws_valuecursor *rows, unsigned i, size_t room,
                          ws_strbuf *tmp)
{
    const char *v;
    size_t n;
    ws_status st = ws_valuecursor_get(rows, i * s->nshards + s->k + 1, &v, &n);
    if (st == WS_ENOTFOUND || (st == WS_OK && n >= UINT32_MAX / 2))
        return WS_OK;
    if (st != WS_OK)
        return st;
    ws_row r;
    tmp->len = 0;
    ws_strbuf_add(tmp, v, n);
    if (ws_row_decode(v, n, &r) == WS_OK) /* (else the export reads its hit) */
        ws_cell_put_row(tmp, &r, 0);
    const char *kept = tmp->failed ? NULL : keep_value(s, &s->rows, tmp->s, tmp->len);
    if (!kept)
        return WS_ENOMEM;
    if (shard_bytes(s) > room)
        return WS_ETOOBIG;
    s->d[i].row = kept;
    s->d[i].rowlen = (uint32_t)n;
    s->d[i].csvlen = (uint32_t)(tmp->len - n);
    return WS_OK;
}

/* Reads every document's list and row of s's shard of db, keeps them and
 * numbers the words. WS_ETOOBIG past room; WS_ETIMEOUT once c is
 * cancelled. */
static ws_status read_all(const ws_wordcache *c, ws_wordshard *s, ws_db *db, size_t room)
{
    ws_valuecursor *cur = NULL, *rows = NULL;
    ws_status st = ws_valuecursor_open_shard(db, s->k, WS_SLOT_WORDS, &cur);
    if (st == WS_OK)
        st = ws_valuecursor_open_shard(db, s->k, WS_SLOT_ROW, &rows);
    ws_word *w = NULL;
    size_t cap = 0;
    ws_strbuf tmp = {0};
    for (unsigned i = 0; i < s->last && st == WS_OK; i++) {
        const char *v;
        size_t n;
        if (!(i & 1023) && atomic_load_explicit(&c->cancel, memory_order_relaxed)) {
            st = WS_ETIMEOUT;
            break;
        }
        if ((st = keep_row(s, rows, i, room, &tmp)) != WS_OK)
            break;
        st = ws_valuecursor_get(cur, i * s->nshards + s->k + 1, &v, &n);
        if (st == WS_ENOTFOUND || (st == WS_OK && n >= UINT32_MAX)) {
            st = WS_OK; /* none, or too long to number in 32 bits: the text is read */
            continue;
        }
        const char *kept = st == WS_OK ? keep_value(s, &s->chunks, v, n) : NULL;
        if (st == WS_OK && !kept)
            st = WS_ENOMEM;
        if (st == WS_OK && shard_bytes(s) > room)
            st = WS_ETOOBIG;
        doc *dc = &s->d[i];
        if (st != WS_OK || ws_wordlist_decode(kept, n, dc->wf) != WS_OK)
            continue;
        size_t nw = s->nw;
        dc->w0 = (uint32_t)nw;
        for (int f = 0; f < 2 && st == WS_OK; f++)
            st = number_words(s, dc, f, &w, &cap, room);
        dc->listed = st == WS_OK;
        s->listed += dc->listed;
        if (st == WS_ECORRUPT) { /* its text will be read instead */
            s->nw = nw;
            st = WS_OK;
        }
    }
    free(w);
    free(tmp.s);
    ws_valuecursor_close(cur);
    ws_valuecursor_close(rows);
    return st;
}

/* Gives back the room the word arrays grew beyond their words. */
static void fit(ws_wordshard *s)
{
    size_t n = s->nw ? s->nw : 1;
    uint32_t *a = realloc(s->start, n * sizeof *a);
    if (a)
        s->start = a;
    uint32_t *b = realloc(s->id, n * sizeof *b);
    if (b)
        s->id = b;
    if (a && b)
        s->capw = n;
}

/* Shard k (of ns) of db, at the revision view, into *out. */
static ws_status build(const ws_wordcache *c, ws_db *db, unsigned k, unsigned ns, const char *view,
                       unsigned last, size_t room, ws_wordshard **out)
{
    *out = NULL;
    ws_wordshard *s = calloc(1, sizeof *s);
    ws_status st = s ? WS_OK : WS_ENOMEM;
    if (st == WS_OK) {
        memcpy(s->view, view, WS_DB_SHARD_VIEW_LEN);
        s->k = k;
        s->nshards = ns;
        s->last = last;
        st = ws_tally_init(&s->dict);
    }
    if (st == WS_OK && (size_t)last * sizeof *s->d > room)
        st = WS_ETOOBIG;
    if (st == WS_OK && !(s->d = calloc(last ? last : 1, sizeof *s->d)))
        st = WS_ENOMEM;
    if (st == WS_OK)
        st = read_all(c, s, db, room);
    if (st == WS_OK)
        fit(s);
    if (st == WS_OK && !(s->len = malloc((s->dict.nused ? s->dict.nused : 1) * sizeof *s->len)))
        st = WS_ENOMEM;
    if (st == WS_OK) {
        for (size_t i = 0; i < s->dict.nused; i++)
            s->len[i] = s->dict.e[i].len;
        s->bytes = shard_bytes(s) + s->dict.nused * sizeof *s->len;
        if (s->bytes > room)
            st = WS_ETOOBIG;
    }
    if (st != WS_OK) {
        shard_free(s);
        return st;
    }
    s->refs = 1;
    *out = s;
    return WS_OK;
}

/* ---- the cache ---- */

ws_status ws_wordcache_new(size_t max_bytes, ws_wordcache **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return WS_ENOMEM;
    if (pthread_mutex_init(&(*out)->mu, NULL) != 0) {
        free(*out);
        *out = NULL;
        return WS_ENOMEM;
    }
    (*out)->max_bytes = max_bytes;
    return WS_OK;
}

void ws_wordcache_free(ws_wordcache *c)
{
    if (!c)
        return;
    for (unsigned k = 0; k < MAX_SHARDS; k++)
        shard_free(c->shard[k]);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

void ws_wordcache_put(ws_wordcache *c, const ws_wordshard *cs)
{
    ws_wordshard *s = (ws_wordshard *)cs; /* the cache's: taken read-only */
    if (!s)
        return;
    pthread_mutex_lock(&c->mu);
    int last = --s->refs == 0;
    pthread_mutex_unlock(&c->mu);
    if (last)
        shard_free(s);
}

/* Puts s (or none) in place of shard k's copy. */
static void replace(ws_wordcache *c, unsigned k, ws_wordshard *s)
{
    pthread_mutex_lock(&c->mu);
    ws_wordshard *old = c->shard[k];
    c->shard[k] = s;
    pthread_mutex_unlock(&c->mu);
    ws_wordcache_put(c, old);
}

/* Drops every shard's copy. */
static void drop_all(ws_wordcache *c)
{
    for (unsigned k = 0; k < MAX_SHARDS; k++)
        replace(c, k, NULL);
}

ws_status ws_wordcache_refresh(ws_wordcache *c, ws_db *db, unsigned *made)
{
    *made = 0;
    unsigned ns = ws_valuecursor_shards(db);
    if (ns > MAX_SHARDS)
        ns = 0; /* read from the index, as without a cache */
    for (unsigned k = ns; k < MAX_SHARDS; k++)
        replace(c, k, NULL);
    char view[MAX_SHARDS][WS_DB_SHARD_VIEW_LEN];
    unsigned last[MAX_SHARDS];
    for (unsigned k = 0; k < ns; k++) {
        ws_status st = ws_db_shard_view(db, k, view[k], &last[k]);
        if (st != WS_OK)
            return st;
    }
    /* all or nothing: a request reads the copies only when there is one
     * of every shard (cachesweep.h), so the others would take the memory
     * for nothing while one is refused */
    int refused = 0;
    pthread_mutex_lock(&c->mu);
    for (unsigned k = 0; k < ns; k++)
        refused |= !strcmp(c->refused[k], view[k]);
    pthread_mutex_unlock(&c->mu);
    if (refused) {
        drop_all(c);
        return WS_OK;
    }
    for (unsigned k = 0; k < ns; k++) {
        pthread_mutex_lock(&c->mu);
        const ws_wordshard *s = c->shard[k];
        int fresh = s && s->nshards == ns && !strcmp(s->view, view[k]);
        pthread_mutex_unlock(&c->mu);
        if (fresh)
            continue;
        /* the copy of another revision first: no request reads it any
         * more (each reads the latest), and kept while its successor is
         * made it took the memory twice, past the cap */
        replace(c, k, NULL);
        size_t others = 0;
        pthread_mutex_lock(&c->mu);
        for (unsigned j = 0; j < MAX_SHARDS; j++)
            if (c->shard[j])
                others += c->shard[j]->bytes;
        pthread_mutex_unlock(&c->mu);
        ws_wordshard *made_k = NULL;
        size_t room = c->max_bytes > others ? c->max_bytes - others : 0;
        ws_status st = build(c, db, k, ns, view[k], last[k], room, &made_k);
        if (st == WS_ETOOBIG) {
            pthread_mutex_lock(&c->mu);
            memcpy(c->refused[k], view[k], WS_DB_SHARD_VIEW_LEN);
            pthread_mutex_unlock(&c->mu);
            drop_all(c);
            return WS_ETOOBIG;
        }
        if (st != WS_OK)
            return st;
        replace(c, k, made_k);
        ++*made;
    }
    return WS_OK;
}

void ws_wordcache_cancel(ws_wordcache *c)
{
    atomic_store(&c->cancel, 1);
}

void ws_wordcache_take(ws_wordcache *c, ws_db *db, unsigned k, const ws_wordshard **out)
{
    *out = NULL;
    unsigned ns = ws_valuecursor_shards(db), last;
    char view[WS_DB_SHARD_VIEW_LEN];
    if (!c || k >= ns || k >= MAX_SHARDS || ws_db_shard_view(db, k, view, &last) != WS_OK)
        return;
    pthread_mutex_lock(&c->mu);
    ws_wordshard *s = c->shard[k];
    if (s && s->nshards == ns && !strcmp(s->view, view)) {
        s->refs++;
        *out = s;
    }
    pthread_mutex_unlock(&c->mu);
}

/* Document docid's entry, or NULL when it is not one of s's. */
static const doc *doc_of(const ws_wordshard *s, unsigned docid)
{
    if (docid == 0 || ws_stub_shard(docid, s->nshards) != s->k)
        return NULL;
    unsigned i = ws_stub_local(docid, s->nshards) - 1;
    return i < s->last ? &s->d[i] : NULL;
}

ws_status ws_wordshard_doc(const ws_wordshard *s, unsigned docid, ws_wordcached *out)
{
    const doc *dc = doc_of(s, docid);
    if (!dc || !dc->listed)
        return WS_ENOTFOUND;
    out->wf[0] = dc->wf[0];
    out->wf[1] = dc->wf[1];
    out->start[0] = s->start + dc->w0;
    out->id[0] = s->id + dc->w0;
    out->n[0] = dc->n[0];
    out->start[1] = s->start + dc->w0 + dc->n[0];
    out->id[1] = s->id + dc->w0 + dc->n[0];
    out->n[1] = dc->n[1];
    out->shard = s;
    out->k = s->k;
    return WS_OK;
}

void ws_wordshard_fetch(const ws_wordshard *s, unsigned docid, int stage)
{
    const doc *dc = doc_of(s, docid);
    if (!dc)
        return;
    if (stage == 0) {
        __builtin_prefetch(dc);
        __builtin_prefetch((const char *)dc + 64);
        __builtin_prefetch((const char *)dc + sizeof *dc - 1);
        return;
    }
    if (!dc->listed)
        return;
    __builtin_prefetch(dc->wf[0].text);
    __builtin_prefetch(dc->wf[1].text);
    __builtin_prefetch(dc->wf[1].text + 64);
    __builtin_prefetch(s->start + dc->w0);
}

void ws_wordshard_fetch_row(const ws_wordshard *s, unsigned docid, int stage)
{
    const doc *dc = doc_of(s, docid);
    if (dc && !stage)
        __builtin_prefetch(dc);
    else if (dc && dc->row) {
        __builtin_prefetch(dc->row + dc->rowlen);
        __builtin_prefetch(dc->row + dc->rowlen + 64);
        __builtin_prefetch(dc->row + dc->rowlen + 128);
    }
}

ws_status ws_wordshard_csv(const ws_wordshard *s, unsigned docid, const char **v, size_t *len)
{
    const doc *dc = doc_of(s, docid);
    if (!dc || !dc->row || !dc->csvlen)
        return WS_ENOTFOUND;
    *v = dc->row + dc->rowlen;
    *len = dc->csvlen;
    return WS_OK;
}

ws_status ws_wordshard_row(const ws_wordshard *s, unsigned docid, const char **v, size_t *len)
{
    const doc *dc = doc_of(s, docid);
    if (!dc || !dc->row)
        return WS_ENOTFOUND;
    *v = dc->row;
    *len = dc->rowlen;
    return WS_OK;
}

size_t ws_wordshard_size(const ws_wordshard *s)
{
    return s->dict.nused;
}

const uint32_t *ws_wordshard_lengths(const ws_wordshard *s)
{
    return s->len;
}

const char *ws_wordshard_word(const ws_wordshard *s, uint32_t id, size_t *len)
{
    const ws_tally_entry *e = &s->dict.e[id & ~WS_WORDCACHE_STOP];
    *len = e->len;
    return ws_tally_word(&s->dict, e);
}

void ws_wordcache_stat(ws_wordcache *c, ws_wordcache_stats *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&c->mu);
    for (unsigned k = 0; k < MAX_SHARDS; k++) {
        const ws_wordshard *s = c->shard[k];
        if (!s)
            continue;
        out->shards++;
        out->words += s->nw;
        out->bytes += s->bytes;
        out->documents += s->listed;
    }
    pthread_mutex_unlock(&c->mu);
}
