#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* the state of a streaming hash on the stack (hashed()) */
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

/* The first at most max bytes of s (of len), cut back to a character's start. */
static size_t keep_of(const char *s, size_t len, size_t max)
{
    size_t keep = len < max ? len : max;
    while (keep > 0 && keep < len && ((unsigned char)s[keep] & 0xC0) == 0x80)
        keep--;
    return keep;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Writes head + the first keep bytes of v + "#" + the 32 hex digits of the
 * 128-bit xxHash of v (of len) into buf, v lower-cased in ASCII first when
 * fold; returns the length. */
static size_t hashed(const char *head, const char *v, size_t len, size_t keep, int fold, char *buf)
{
    size_t hl = strlen(head);
    memcpy(buf, head, hl);
    for (size_t i = 0; i < keep; i++)
        buf[hl + i] = fold ? lower(v[i]) : v[i];
    XXH128_hash_t h;
    if (fold) {
        /* folded a piece at a time: a value has no bound here (a query's
         * filter), and this needs no memory */
        XXH3_state_t st;
        XXH3_128bits_reset(&st);
        char piece[256];
        for (size_t at = 0; at < len; at += sizeof piece) {
            size_t n = len - at < sizeof piece ? len - at : sizeof piece;
            for (size_t i = 0; i < n; i++)
                piece[i] = lower(v[at + i]);
            XXH3_128bits_update(&st, piece, n);
        }
        h = XXH3_128bits_digest(&st);
    } else {
        h = XXH3_128bits(v, len);
    }
    int n = snprintf(buf + hl + keep, WS_KEY_TERM_MAX - hl - keep, "#%016llx%016llx",
                     (unsigned long long)h.high64, (unsigned long long)h.low64);
    return hl + keep + (size_t)n;
}

size_t ws_schema_key_term(ws_key key, const char *value, char *buf)
{
    const char *pfx = key == WS_KEY_ID       ? WS_PFX_ID
                      : key == WS_KEY_SOURCE ? WS_PFX_SOURCE
                                             : WS_PFX_TYPE;
    int fold = key == WS_KEY_TYPE; /* types ignore case: News and news share a term */
    size_t pl = strlen(pfx), len = strlen(value);
    if (pl + len > WS_TERM_MAX) {
        char head[16];
        snprintf(head, sizeof head, "%s%s", WS_PFX_HASHED, pfx);
        return hashed(head, value, len, keep_of(value, len, WS_KEY_KEEP), fold, buf);
    }
    /* the form every index made so far has: it must not change */
    memcpy(buf, pfx, pl);
    for (size_t i = 0; i <= len; i++)
        buf[pl + i] = fold ? lower(value[i]) : value[i];
    return pl + len;
}

int ws_schema_key_hashed(const char *term, size_t len)
{
    size_t hl = strlen(WS_PFX_HASHED);
    return len >= hl && !memcmp(term, WS_PFX_HASHED, hl);
}

size_t ws_schema_id_legacy_term(const char *id, char *buf)
{
    size_t len = strlen(id);
    if (len + 1 <= WS_TERM_MAX)
        return 0;
    return hashed(WS_PFX_ID, id, len, keep_of(id, len, 180), 0, buf);
}

int ws_schema_id_ambiguous(const char *id)
{
    size_t len = strlen(id);
    if (len + 1 > WS_TERM_MAX || len < 33 || id[len - 33] != '#')
        return 0;
    for (size_t i = len - 32; i < len; i++)
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
            return 0;
    return 1;
}

unsigned ws_schema_shard(const char *id, unsigned nshards)
{
    if (nshards <= 1)
        return 0;
    return (unsigned)(XXH3_64bits(id, strlen(id)) % nshards);
}

uint64_t ws_schema_whole(const char *id)
{
    /* the last '#', with a whole before it and a part after it that is no
     * path: "C#/notes.md" and "#1" are wholes of their own */
    const char *h = strrchr(id, '#');
    if (h && (h == id || !h[1] || strchr(h + 1, '/')))
        h = NULL;
    uint64_t v = XXH3_64bits(id, h ? (size_t)(h - id) : strlen(id));
    return v ? v : 1;
}

size_t ws_schema_cite_term(uint64_t key, char *buf)
{
    return (size_t)snprintf(buf, WS_SCHEMA_CITE_TERM, WS_PFX_CITED "%016llx",
                            (unsigned long long)key);
}

static void put_be64(char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (char)(v >> (56 - 8 * i));
}

/* The big-endian 64 bits at v[at..at+8), 0 when v is shorter. */
static uint64_t get_be64(const char *v, size_t len, size_t at)
{
    uint64_t x = 0;
    for (size_t i = at; len >= at + 8 && i < at + 8; i++)
        x = x << 8 | (unsigned char)v[i];
    return x;
}

size_t ws_schema_whole_encode(const ws_whole_value *w, char *buf)
{
    put_be64(buf, w->whole);
    put_be64(buf + 8, w->cite);
    put_be64(buf + 16, w->article);
    if (w->vec && w->dim) {
        memcpy(buf + 24, w->vec, w->dim);
        return 24 + w->dim;
    }
    return w->article ? 24 : w->cite ? 16 : 8;
}

void ws_schema_whole_decode(const char *v, size_t len, ws_whole_value *out)
{
    out->whole = get_be64(v, len, 0);
    out->cite = get_be64(v, len, 8);
    out->article = get_be64(v, len, 16);
    out->vec = len > 24 ? (const int8_t *)(v + 24) : NULL;
    out->dim = len > 24 ? len - 24 : 0;
}

int ws_schema_format_number(const char *format)
{
    char *end = NULL;
    long n = strtol(format, &end, 10);
    return *format >= '0' && *format <= '9' && end && !*end && n < 1000000 ? (int)n : -1;
}

int ws_schema_format_known(const char *format)
{
    int n = ws_schema_format_number(format);
    return n >= ws_schema_format_number(WS_FORMAT_OLDEST) &&
           n <= ws_schema_format_number(WS_FORMAT);
}
