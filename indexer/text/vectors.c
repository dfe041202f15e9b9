#include "vectors.h"
#include "lexicon.h"
#include "normalize.h"
#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MAGIC "WSVEC01\n"

struct ws_vectors {
    unsigned dim;
    size_t nwords;
    unsigned char *file; /* the file as read; words point into it */
    size_t size;
    const unsigned char **slot; /* open addressing: a word's record, or NULL */
    size_t mask;
    float *weight; /* per slot: the word's weight (WS_VECTORS_SIF) */
    char id[17];   /* the file's hash */
};

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Reads all of path into *buf (owned by the caller). */
static ws_status read_file(const char *path, unsigned char **buf, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? WS_ENOTFOUND : WS_EIO;
    unsigned char *b = NULL;
    size_t n = 0, cap = 0;
    ws_status st = WS_OK;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 1 << 20;
            unsigned char *nb = ncap > cap ? realloc(b, ncap) : NULL;
            if (!nb) {
                st = WS_ENOMEM;
                break;
            }
            b = nb, cap = ncap;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                st = WS_EIO;
            break;
        }
    }
    fclose(f);
    if (st != WS_OK) {
        free(b);
        return st;
    }
    *buf = b, *size = n;
    return WS_OK;
}

static ws_status fail(ws_vectors *v, ws_status st, char *errbuf, size_t errlen, const char *path,
                      const char *why)
{
    snprintf(errbuf, errlen, "cannot load the word vectors %s: %s", path,
             why ? why : ws_status_to_string(st));
    ws_vectors_free(v);
    return st;
}

ws_status ws_vectors_load(const char *path, ws_vectors **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    ws_vectors *v = calloc(1, sizeof *v);
    if (!v)
        return fail(v, WS_ENOMEM, errbuf, errlen, path, NULL);
    ws_status st = read_file(path, &v->file, &v->size);
    if (st != WS_OK)
        return fail(v, st, errbuf, errlen, path, NULL);
    const unsigned char *p = v->file, *end = v->file + v->size;
    if (v->size < 24 || memcmp(p, MAGIC, 8))
        return fail(v, WS_EINVAL, errbuf, errlen, path, "not a vectors file (WSVEC01)");
    v->dim = le32(p + 8);
    v->nwords = le32(p + 12);
    uint64_t total = le64(p + 16);
    if (!v->dim || v->dim > WS_VECTORS_DIM_MAX || v->nwords > WS_VECTORS_WORDS_MAX || !total)
        return fail(v, WS_EINVAL, errbuf, errlen, path, "bad header");
    if (v->nwords > (v->size - 24) / (1 + 1 + 4 + v->dim)) /* before allocating for them */
        return fail(v, WS_EINVAL, errbuf, errlen, path, "cut short or a word of length 0");
    size_t cap = 16;
    while (cap < v->nwords * 2)
        cap *= 2;
    v->mask = cap - 1;
    v->slot = calloc(cap, sizeof *v->slot);
    v->weight = calloc(cap, sizeof *v->weight);
    if (!v->slot || !v->weight)
        return fail(v, WS_ENOMEM, errbuf, errlen, path, NULL);
    p += 24;
    for (size_t i = 0; i < v->nwords; i++) {
        size_t len = p < end ? *p : 0;
        if (!len || (size_t)(end - p) < 1 + len + 4 + v->dim)
            return fail(v, WS_EINVAL, errbuf, errlen, path, "cut short or a word of length 0");
        size_t h = (size_t)XXH3_64bits(p + 1, len) & v->mask;
        while (v->slot[h])
            h = (h + 1) & v->mask;
        v->slot[h] = p;
        double share = ((double)le32(p + 1 + len) + 1) / (double)total;
        v->weight[h] = (float)(WS_VECTORS_SIF / (WS_VECTORS_SIF + share));
        p += 1 + len + 4 + v->dim;
    }
    if (p != end)
        return fail(v, WS_EINVAL, errbuf, errlen, path, "bytes after the last word");
    snprintf(v->id, sizeof v->id, "%016llx", (unsigned long long)XXH3_64bits(v->file, v->size));
    *out = v;
    return WS_OK;
}

void ws_vectors_free(ws_vectors *v)
{
    if (!v)
        return;
    free(v->slot);
    free(v->weight);
    free(v->file);
    free(v);
}

unsigned ws_vectors_dim(const ws_vectors *v)
{
    return v->dim;
}

const char *ws_vectors_id(const ws_vectors *v)
{
    return v->id;
}

/* s[0..len) with the characters that the vectors' text had folded
 * (normalize.h, ws_normalize_lex_key: 显著 was learned as 显着) folded, in
 * buf (len bytes at most: each keeps its length), or s when none is. */
static const char *vec_key(const char *s, size_t len, char *buf)
{
    const char *out = s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = ws_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (k <= 0)
            break;
        if (ws_normalize_kept(cp)) {
            if (out == s) {
                memcpy(buf, s, len);
                out = buf;
            }
            /* (both ends are three-byte characters of the BMP) */
            ws_utf8_encode(ws_normalize_lex_key(cp), buf + i);
        }
        i += (size_t)k;
    }
    return out;
}

/* Adds the vector of the word s[0..len) to acc; 0 when it has none. */
static int add_word(const ws_vectors *v, const char *s, size_t len, float *acc)
{
    char buf[256];
    if (len < sizeof buf)
        s = vec_key(s, len, buf);
    size_t h = (size_t)XXH3_64bits(s, len) & v->mask;
    for (const unsigned char *r; (r = v->slot[h]); h = (h + 1) & v->mask) {
        if (*r == len && !memcmp(r + 1, s, len)) {
            const signed char *x = (const signed char *)(r + 1 + *r + 4);
            for (unsigned i = 0; i < v->dim; i++)
                acc[i] += v->weight[h] * (float)x[i];
            return 1;
        }
    }
    return 0;
}

int ws_vectors_add_term(const ws_vectors *v, const char *term, size_t len, ws_term_kind kind,
                        const ws_token *tok, float *acc)
{
    if (!(kind == WS_TERM_WORD || (kind == WS_TERM_UNI && tok->nchars == 1)) ||
        tok->kind == WS_TOKEN_PUNCT || tok->kind == WS_TOKEN_COMPOUND || !tok->len ||
        tok->len > 255)
        return 0;
    /* the word itself, not one of the runs termgen adds for it (pm2.5:
     * pm, 2, 5), which would count it again */
    if (len < tok->len || memcmp(term + len - tok->len, tok->text, tok->len))
        return 0;
    if (add_word(v, tok->text, tok->len, acc))
        return 1;
    /* A new word of the lexicon, found after the vectors were learned
     * (碳达峰), counts as the longest words they know that it is made of,
     * left to right (碳 达 峰, 新 质 生产力): what the text was cut into
     * when they were. Any other word they lack (借用人, 说了算: seen under
     * five times as a word when they were learned) adds nothing: its parts'
     * meanings are not its own, and on the legal questions they cost
     * Recall@10 (tools/README.md, Recall@10 from 0.571 to 0.563, bisected). */
    if (tok->kind != WS_TOKEN_HAN || tok->nchars < 2 || !(tok->lexflags & WS_LEX_NEW))
        return 0;
    int any = 0;
    for (size_t b = 0; b < tok->len;) {
        size_t e = tok->len;
        while (e > b) {
            if (add_word(v, tok->text + b, e - b, acc))
                break;
            do
                e--;
            while (e > b && ((unsigned char)tok->text[e] & 0xC0) == 0x80);
        }
        if (e > b) {
            any = 1;
            b = e;
        } else {
            do
                b++;
            while (b < tok->len && ((unsigned char)tok->text[b] & 0xC0) == 0x80);
        }
    }
    return any;
}

int ws_vectors_quantize(const ws_vectors *v, const float *acc, int8_t *out)
{
    double norm = 0;
    for (unsigned i = 0; i < v->dim; i++)
        norm += (double)acc[i] * acc[i];
    if (!(norm > 0))
        return 0;
    norm = sqrt(norm);
    for (unsigned i = 0; i < v->dim; i++)
        out[i] = (int8_t)lrint(127.0 * acc[i] / norm);
    return 1;
}

double ws_vectors_cosine(const int8_t *a, const int8_t *b, size_t dim)
{
    long dot = 0, na = 0, nb = 0;
    for (size_t i = 0; i < dim; i++) {
        dot += (long)a[i] * b[i];
        na += (long)a[i] * a[i];
        nb += (long)b[i] * b[i];
    }
    return na && nb ? (double)dot / sqrt((double)na * (double)nb) : 0;
}
