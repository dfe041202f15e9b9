#include "cites.h"

#include <string.h>
#include <xxhash.h>

#define OPEN  "\xE3\x80\x8A" /* 《 */
#define CLOSE "\xE3\x80\x8B" /* 》 */
#define PRC   "中华人民共和国"

static int is_space(const char *s, size_t len, size_t *w)
{
    if (len >= 1 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        return *w = 1;
    if (len >= 3 && !memcmp(s, "\xE3\x80\x80", 3)) /* U+3000 */
        return (*w = 3) != 0;
    return 0;
}

static uint64_t key_of(const char *s, size_t len)
{
    size_t w;
    while (len && is_space(s, len, &w))
        s += w, len -= w;
    if (len > strlen(PRC) && !memcmp(s, PRC, strlen(PRC)))
        s += strlen(PRC), len -= strlen(PRC);
    /* trailing spaces: one byte at a time is enough for ASCII; U+3000 ends
     * in 0x80, which no ASCII space is */
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
                   s[len - 1] == '\r' || (len >= 3 && !memcmp(s + len - 3, "\xE3\x80\x80", 3))))
        len -= s[len - 1] == '\x80' ? 3 : 1;
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
        size_t plen = strlen(h + 1);
        if (plen < tlen && !memcmp(title + tlen - plen, h + 1, plen))
            tlen -= plen;
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
        while (c + 3 <= end && (size_t)(c - t) <= WS_CITES_TITLE_MAX && memcmp(c, CLOSE, 3) &&
               memcmp(c, OPEN, 3))
            c++;
        if (c + 3 > end || (size_t)(c - t) > WS_CITES_TITLE_MAX || !memcmp(c, OPEN, 3)) {
            p = c + 3 > end ? end : c; /* unclosed, too long or opened again */
            if (p == o)
                p = o + 3;
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
