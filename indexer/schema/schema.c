#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

size_t ws_schema_id_term(const char *id, char *buf)
{
    size_t len = strlen(id);
    buf[0] = 'Q';
    if (len + 1 <= WS_TERM_MAX) {
        memcpy(buf + 1, id, len + 1);
        return len + 1;
    }
    size_t keep = 180;
    while (keep > 0 && ((unsigned char)id[keep] & 0xC0) == 0x80)
        keep--;
    memcpy(buf + 1, id, keep);
    XXH128_hash_t h = XXH3_128bits(id, len);
    int n = snprintf(buf + 1 + keep, WS_TERM_MAX - keep, "#%016llx%016llx",
                     (unsigned long long)h.high64, (unsigned long long)h.low64);
    return 1 + keep + (size_t)n;
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

size_t ws_schema_filter_term(const char *prefix, const char *value, int fold_case, char *buf,
                             size_t cap)
{
    int n = snprintf(buf, cap, "%s%s", prefix, value);
    size_t len = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
    for (size_t i = strlen(prefix); fold_case && i < len; i++)
        if (buf[i] >= 'A' && buf[i] <= 'Z')
            buf[i] = (char)(buf[i] - 'A' + 'a');
    return len;
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
