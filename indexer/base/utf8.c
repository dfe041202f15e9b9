#include "utf8.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

size_t ws_utf8_seq(const unsigned char *s, size_t len)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    size_t k = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (len < k)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    /* overlong three- and four-byte forms, surrogates, past U+10FFFF */
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        return 0;
    return k;
}

size_t ws_utf8_count(const char *s, size_t len)
{
    size_t i = 0, cont = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        /* a continuation byte has its top bit set and the next one clear;
         * the multiplication adds up the eight 0-or-1 bytes in the top one
         * (no popcount instruction is assumed) */
        uint64_t c = (x & ~(x << 1) & 0x8080808080808080ull) >> 7;
        cont += (size_t)((c * 0x0101010101010101ull) >> 56);
    }
    for (; i < len; i++)
        cont += ((unsigned char)s[i] & 0xC0) == 0x80;
    return len - cont;
}

int ws_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n = ws_utf8_seq(u + i, len - i);
        if (!n)
            return 0;
        i += n;
    }
    return 1;
}

int ws_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n = ws_utf8_seq(s, len);
    if (n == 0) {
        *cp = 0xFFFD;
        return 1;
    }
    static const unsigned char lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t v = s[0] & lead_mask[n];
    for (size_t i = 1; i < n; i++)
        v = (v << 6) | (s[i] & 0x3F);
    *cp = v;
    return (int)n;
}

int ws_utf8_encode(uint32_t cp, char *buf)
{
    unsigned char *b = (unsigned char *)buf;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | (cp >> 18));
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t ws_utf8_space_at(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
        return 1;
    if (n >= 2 && memcmp(s, "\xC2\xA0", 2) == 0)
        return 2;
    if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
        return 3;
    /* the other spaces of Unicode (Zs): U+1680, U+2000..U+200A, U+202F,
     * U+205F, which NFKC makes a space in the text the index reads */
    if (n >= 3 && (unsigned char)s[0] == 0xE2 &&
        (((unsigned char)s[1] == 0x80 &&
          ((unsigned char)s[2] <= 0x8A || (unsigned char)s[2] == 0xAF)) ||
         ((unsigned char)s[1] == 0x81 && (unsigned char)s[2] == 0x9F)))
        return (unsigned char)s[2] >= 0x80 ? 3 : 0;
    if (n >= 3 && memcmp(s, "\xE1\x9A\x80", 3) == 0)
        return 3;
    return 0;
}

size_t ws_utf8_space_before(const char *s, size_t n)
{
    for (size_t w = 1; w <= 3 && w <= n; w++)
        if (ws_utf8_space_at(s + n - w, w) == w)
            return w;
    return 0;
}

uint32_t ws_utf8_cp_at(const char *s, size_t len, size_t i)
{
    uint32_t cp = 0;
    if (i < len)
        ws_utf8_decode((const unsigned char *)s + i, len - i, &cp);
    return cp;
}

size_t ws_utf8_prev(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[--i] & 0xC0) == 0x80)
        ;
    return i;
}

size_t ws_utf8_next(const char *s, size_t len, size_t i)
{
    if (i < len)
        i++;
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

#ifdef __SSE2__
/* 16 places at a time: those where two bytes of the needle stand k - 1
 * apart, k being its last: its second and last bytes where it has three or
 * more (in Chinese both are continuation bytes, one of 64 each, where the
 * first is one of a few: a place in ten thousand rather than in a
 * thousand), else its first and last; the rest compared (utf8.h). */
static const char *find_pairs(const char *s, size_t len, const char *needle, size_t m)
{
    size_t j = m >= 3; /* the first byte of the two, into the needle */
    const __m128i first = _mm_set1_epi8(needle[j]), last = _mm_set1_epi8(needle[m - 1]);
    size_t i = 0;
    for (; i + m - 1 + 16 <= len; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i + j));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + i + m - 1));
        unsigned mask = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));
        while (mask) {
            size_t at = i + (size_t)__builtin_ctz(mask);
            if (s[at] == needle[0] && !memcmp(s + at + 1, needle + 1, m - 2))
                return s + at;
            mask &= mask - 1;
        }
    }
    for (; i + m <= len; i++)
        if (s[i] == needle[0] && !memcmp(s + i, needle, m))
            return s + i;
    return NULL;
}
#endif

const char *ws_utf8_find(const char *s, size_t len, const char *needle, size_t m)
{
    if (m < 2 || m > WS_UTF8_FIND_SHORT)
        return memmem(s, len, needle, m);
    if (len < m)
        return NULL;
#ifdef __SSE2__
    return find_pairs(s, len, needle, m);
#else
    const char last = needle[m - 1];
    const char *p = s + m - 1, *end = s + len;
    while ((p = memchr(p, last, (size_t)(end - p)))) {
        const char *at = p - (m - 1);
        if (!memcmp(at, needle, m - 1))
            return at;
        p++;
    }
    return NULL;
#endif
}

int ws_utf8_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

size_t ws_utf8_match_spaced(const char *s, size_t len, size_t b, const char *needle, size_t m)
{
    size_t i = 0, e = b;
    while (i < m) {
        if (needle[i] == ' ') {
            if (e >= len || !ws_utf8_blank(s[e]))
                return 0;
            while (e < len && ws_utf8_blank(s[e]))
                e++;
            i++;
        } else if (e < len && s[e] == needle[i]) {
            e++;
            i++;
        } else {
            return 0;
        }
    }
    return e;
}

const char *ws_utf8_find_spaced(const char *s, size_t len, const char *needle, size_t m,
                                size_t *covers)
{
    const char *sp = memchr(needle, ' ', m);
    size_t first = sp ? (size_t)(sp - needle) : m;
    for (const char *at = s; (at = ws_utf8_find(at, len - (size_t)(at - s), needle, first)); at++) {
        size_t b = (size_t)(at - s), e = sp ? ws_utf8_match_spaced(s, len, b, needle, m) : b + m;
        if (e) {
            *covers = e - b;
            return at;
        }
    }
    return NULL;
}

size_t ws_utf8_clip(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}
