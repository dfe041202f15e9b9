#include "cites.h"

#include <string.h>
#include <xxhash.h>

#define OPEN  "\xE3\x80\x8A" /* 《 */
#define CLOSE "\xE3\x80\x8B" /* 》 */
#define PRC   "中华人民共和国"

/* The width of the space (ASCII or U+3000) that starts s / ends s[0..len),
 * 0 for none. */
static size_t space_at(const char *s, size_t len)
{
    if (len >= 1 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        return 1;
    return len >= 3 && !memcmp(s, "\xE3\x80\x80", 3) ? 3 : 0;
}

static size_t space_before(const char *s, size_t len)
{
    if (len >= 1 && space_at(s + len - 1, 1))
        return 1;
    return len >= 3 ? space_at(s + len - 3, 3) : 0;
}

static uint64_t key_of(const char *s, size_t len)
{
    size_t w;
    while ((w = space_at(s, len)))
        s += w, len -= w;
    if (len > strlen(PRC) && !memcmp(s, PRC, strlen(PRC))) {
        s += strlen(PRC), len -= strlen(PRC);
        while ((w = space_at(s, len)))
            s += w, len -= w;
    }
    while ((w = space_before(s, len)))
        len -= w;
    if (!len)
        return 0;
    uint64_t v = XXH3_64bits(s, len);
    return v ? v : 1;
}

uint64_t ws_cites_key(const char *id, const char *title)
{
    if (!title)
        return 0;
    size_t tlen = strlen(title);
    const char *h = id ? strrchr(id, '#') : NULL;
    if (h && h != id && h[1] && !strchr(h + 1, '/')) {
        /* "民法典 第五十四条": the PART after a space; a title that is only
         * the PART names no whole, and one that ends in PART without a space
         * before it ("民法典 2021", id "...#1") is the title as it is */
        size_t plen = strlen(h + 1);
        if (plen <= tlen && !memcmp(title + tlen - plen, h + 1, plen)) {
            if (plen == tlen)
                return 0;
            if (space_before(title, tlen - plen))
                tlen -= plen;
        }
    }
    return key_of(title, tlen);
}

size_t ws_cites_scan(const char *text, size_t len, uint64_t self, uint64_t *keys, size_t n)
{
    const char *end = text + len, *p = text;
    while (n < WS_CITES_MAX && p < end) {
        const char *o = memmem(p, (size_t)(end - p), OPEN, 3);
        if (!o)
            break;
        const char *t = o + 3, *c = t;
        while (end - c >= 3 && (size_t)(c - t) <= WS_CITES_TITLE_MAX && memcmp(c, CLOSE, 3) &&
               memcmp(c, OPEN, 3))
            c++;
        if (end - c < 3) /* unclosed, and no mark after it */
            break;
        if ((size_t)(c - t) > WS_CITES_TITLE_MAX || !memcmp(c, OPEN, 3)) {
            p = c; /* too long, or opened again: on from there */
            continue;
        }
        uint64_t k = key_of(t, (size_t)(c - t));
        int seen = !k || k == self;
        for (size_t i = 0; i < n && !seen; i++)
            seen = keys[i] == k;
        if (!seen)
            keys[n++] = k;
        p = c + 3;
    }
    return n;
}
