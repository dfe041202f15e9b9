#include "cites.h"
#include "utf8.h"

#include <string.h>
#include <xxhash.h>

#define OPEN  "\xE3\x80\x8A" /* 《 */
#define CLOSE "\xE3\x80\x8B" /* 》 */
#define PRC   "中华人民共和国"

/* The key of the title s[0..len): of the whole when seed is 0, of its
 * article number seed otherwise. */
static uint64_t key_of(const char *s, size_t len, uint64_t seed)
{
    size_t w;
    while ((w = ws_utf8_space_at(s, len)))
        s += w, len -= w;
    if (len > strlen(PRC) && !memcmp(s, PRC, strlen(PRC))) {
        s += strlen(PRC), len -= strlen(PRC);
        while ((w = ws_utf8_space_at(s, len)))
            s += w, len -= w;
    }
    while ((w = ws_utf8_space_before(s, len)))
        len -= w;
    if (!len)
        return 0;
    uint64_t v = XXH3_64bits_withSeed(s, len, seed);
    return v ? v : 1;
}

/* The title's bytes that name the whole (*tlen), and the PART of id, or
 * NULL when the title does not end in it. */
static const char *whole_title(const char *id, const char *title, size_t *tlen)
{
    *tlen = strlen(title);
    const char *h = id ? strrchr(id, '#') : NULL;
    if (h && h != id && h[1] && !strchr(h + 1, '/')) {
        /* "民法典 第五十四条": the PART after a space; a title that is only
         * the PART names no whole, and one that ends in PART without a space
         * before it ("民法典 2021", id "...#1") is the title as it is */
        size_t plen = strlen(h + 1);
        if (plen <= *tlen && !memcmp(title + *tlen - plen, h + 1, plen)) {
            if (plen == *tlen) {
                *tlen = 0;
                return h + 1;
            }
            if (ws_utf8_space_before(title, *tlen - plen)) {
                *tlen -= plen;
                return h + 1;
            }
        }
    }
    return NULL;
}

uint64_t ws_cites_key(const char *id, const char *title)
{
    size_t tlen;
    if (!title)
        return 0;
    whole_title(id, title, &tlen);
    return key_of(title, tlen, 0);
}

/* Adds k unless it is 0 or already there; returns the new count. */
static size_t add_key(uint64_t k, uint64_t *keys, size_t n)
{
    if (!k || n >= WS_CITES_MAX)
        return n;
    for (size_t i = 0; i < n; i++)
        if (keys[i] == k)
            return n;
    keys[n++] = k;
    return n;
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
        uint64_t k = key_of(t, (size_t)(c - t), 0);
        if (k != self)
            n = add_key(k, keys, n);
        p = c + 3;
    }
    return n;
}

/* s[0..len) starts with the UTF-8 of lit. */
static int starts(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && !memcmp(s, lit, n);
}

/* Reads a number at s: ASCII digits, or Chinese numerals (五百七十七, 一百零三,
 * 两千); sets *n and returns the bytes read, 0 for none or one over
 * WS_CITES_ARTICLE_MAX. */
static size_t numeral(const char *s, size_t len, unsigned *n)
{
    static const char *const digit[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    unsigned total = 0, cur = 0;
    size_t i = 0;
    if (len && *s >= '0' && *s <= '9') {
        while (i < len && s[i] >= '0' && s[i] <= '9' && total <= WS_CITES_ARTICLE_MAX)
            total = total * 10 + (unsigned)(s[i++] - '0');
        *n = total;
        return total && total <= WS_CITES_ARTICLE_MAX ? i : 0;
    }
    for (;;) {
        unsigned d = 10;
        for (unsigned k = 0; k < 10 && d == 10; k++)
            if (starts(s + i, len - i, digit[k]))
                d = k;
        if (d == 10 && (starts(s + i, len - i, "〇") || starts(s + i, len - i, "两")))
            d = starts(s + i, len - i, "两") ? 2 : 0;
        if (d < 10)
            cur = d;
        else if (starts(s + i, len - i, "十"))
            total += (cur ? cur : 1) * 10, cur = 0;
        else if (starts(s + i, len - i, "百"))
            total += cur * 100, cur = 0;
        else if (starts(s + i, len - i, "千"))
            total += cur * 1000, cur = 0;
        else
            break;
        i += 3; /* every numeral above is three bytes */
        if (total > WS_CITES_ARTICLE_MAX)
            return 0;
    }
    total += cur;
    *n = total;
    return i && total && total <= WS_CITES_ARTICLE_MAX ? i : 0;
}

/* "第N条" at s: its bytes, and N in *n; 0 for none. */
static size_t article_at(const char *s, size_t len, unsigned *n)
{
    if (!starts(s, len, "第"))
        return 0;
    size_t k = numeral(s + 3, len - 3, n);
    return k && starts(s + 3 + k, len - 3 - k, "条") ? 6 + k : 0;
}

uint64_t ws_cites_article_key(const char *id, const char *title)
{
    size_t tlen;
    unsigned n;
    if (!title)
        return 0;
    const char *part = whole_title(id, title, &tlen);
    if (!part || !tlen || article_at(part, strlen(part), &n) != strlen(part))
        return 0;
    return key_of(title, tlen, n);
}

/* The code point of the CJK ideograph (U+4E00..U+9FFF) that ends s[0..len),
 * 0 for none. */
static unsigned ideograph_before(const char *s, size_t len)
{
    if (len < 3)
        return 0;
    const unsigned char *u = (const unsigned char *)s + len - 3;
    if ((u[0] & 0xF0) != 0xE0 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
        return 0;
    unsigned cp = (u[0] & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu);
    return cp >= 0x4E00 && cp <= 0x9FFF ? cp : 0;
}

/* s[0..len) ends in 本法, 本条例, 本规定, ...: the citing law itself,
 * unless 本 ends a word (香港特别行政区基本法, 日本法): what comes before it
 * is no ideograph, or one that leads to a law (依照本法, 违反本法). */
static int this_law(const char *s, size_t len)
{
    static const char *const own[] = {"本法",   "本法典", "本条例", "本规定", "本办法",
                                      "本解释", "本决定", "本规则", "本细则"};
    static const char lead[] = "依照据按与及和或反用对于由经见在并";
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
        size_t n = strlen(own[i]);
        if (len >= n && !memcmp(s + len - n, own[i], n)) {
            if (!ideograph_before(s, len - n))
                return 1;
            for (size_t k = 0; k + 3 <= sizeof lead - 1; k += 3)
                if (!memcmp(s + len - n - 3, lead + k, 3))
                    return 1;
            return 0;
        }
    }
    return 0;
}

/* The separators of a list of articles: 第五条、第六条和第九条. */
static size_t separator(const char *s, size_t len)
{
    static const char *const sep[] = {"、", "，", "和", "及", "以及", "或者", "至"};
    size_t best = 0;
    for (size_t i = 0; i < sizeof sep / sizeof *sep; i++)
        if (starts(s, len, sep[i]) && strlen(sep[i]) > best)
            best = strlen(sep[i]);
    return best;
}

size_t ws_cites_scan_articles(const char *text, size_t len, uint64_t self, uint64_t *keys, size_t n)
{
    const char *end = text + len, *p = text;
    while (n < WS_CITES_MAX && p < end) {
        const char *d = memmem(p, (size_t)(end - p), "第", 3);
        unsigned num;
        size_t alen;
        if (!d)
            break;
        if (!(alen = article_at(d, (size_t)(end - d), &num))) {
            p = d + 3;
            continue;
        }
        /* the titles it may be of: the one in 《》 just before, or the
         * endings (two characters or more) of the run of ideographs before
         * it when the run ends as a law's name does (民法典, 刑法, 条例) */
        const char *start[WS_CITES_RUN];
        size_t ntitles = 0;
        const char *tend = d;
        if (tend - text >= 3 && !memcmp(tend - 3, CLOSE, 3)) {
            tend -= 3;
            const char *o = tend;
            while (o - text >= 3 && (size_t)(tend - o) <= WS_CITES_TITLE_MAX &&
                   memcmp(o - 3, OPEN, 3) && memcmp(o - 3, CLOSE, 3))
                o--;
            if (o - text >= 3 && !memcmp(o - 3, OPEN, 3) && o < tend &&
                (size_t)(tend - o) <= WS_CITES_TITLE_MAX)
                start[ntitles++] = o;
        } else {
            unsigned last = ideograph_before(text, (size_t)(tend - text));
            if (last == 0x6CD5 /* 法 */ || last == 0x5178 /* 典 */ || last == 0x4F8B /* 例 */ ||
                last == 0x5B9A /* 定 */ || last == 0x91CA /* 释 */ || last == 0x5219 /* 则 */) {
                const char *s = tend - 3;
                while (ntitles + 1 < WS_CITES_RUN && ideograph_before(text, (size_t)(s - text))) {
                    s -= 3;
                    start[ntitles++] = s;
                }
                if (this_law(text, (size_t)(tend - text)))
                    ntitles = 0;
            }
        }
        /* the whole each title names, unless it is this document's own */
        size_t nt = 0;
        for (size_t i = 0; i < ntitles; i++) {
            uint64_t k = key_of(start[i], (size_t)(tend - start[i]), 0);
            if (k && k != self) {
                start[nt++] = start[i];
                n = add_key(k, keys, n);
            }
        }
        /* this article, and those listed after it: 第五条第二款、第六条 */
        const char *q = d + alen;
        for (;;) {
            for (size_t i = 0; i < nt; i++)
                n = add_key(key_of(start[i], (size_t)(tend - start[i]), num), keys, n);
            for (;;) { /* 第二款, 第三项 */
                size_t k = starts(q, (size_t)(end - q), "第")
                               ? numeral(q + 3, (size_t)(end - q) - 3, &(unsigned){0})
                               : 0;
                if (!k || !(starts(q + 3 + k, (size_t)(end - q) - 3 - k, "款") ||
                            starts(q + 3 + k, (size_t)(end - q) - 3 - k, "项")))
                    break;
                q += 6 + k;
            }
            size_t sep = separator(q, (size_t)(end - q));
            if (!sep || !(alen = article_at(q + sep, (size_t)(end - q) - sep, &num)))
                break;
            q += sep + alen;
        }
        p = q;
    }
    return n;
}
