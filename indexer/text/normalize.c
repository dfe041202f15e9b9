#include "normalize.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

/* table[cp] for the BMP: the single code point cp becomes, or, with POOL_BIT
 * set, (length << 20 | offset) into pool for 0 or several code points. */
#define POOL_BIT 0x80000000u

static uint32_t *table;
static uint8_t *joins; /* per BMP code point: composes with what precedes it */
static uint32_t *pool;
static size_t pool_len, pool_cap;
static const UNormalizer2 *nfkc_cf;
static UTransliterator *trans;
static pthread_mutex_t trans_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static ws_status init_status = WS_OK;

int ws_char_is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x323AF) || (cp >= 0xF900 && cp <= 0xFAFF) || cp == 0x3007;
}

int ws_char_is_alnum(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return !ws_char_is_han(cp) && (u_isalpha((UChar32)cp) || u_isdigit((UChar32)cp));
}

/* A letter or digit of a word that ICU's word breaking keeps whole (every
 * script outside Han and kana, whose text the analyzer cuts into
 * characters and words itself, and the scripts ICU breaks by a dictionary,
 * Thai, Lao, Khmer and Myanmar, whose words no rule here can tell). */
static int word_char(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
        (cp >= 0xFF66 && cp <= 0xFF9F) || (cp >= 0x0E00 && cp <= 0x0EFF) ||
        (cp >= 0x1000 && cp <= 0x109F) || (cp >= 0x1780 && cp <= 0x17FF))
        return 0;
    return ws_char_is_alnum(cp);
}

/* A combining mark (a Devanagari vowel sign, an Arabic vowel): part of the
 * word it follows, as ICU keeps it (UAX #29, WB4), but no letter to the
 * index's runs, which it parts as a mark inside a word does (termgen.c). */
static int is_mark(uint32_t cp)
{
    return cp >= 0x300 && (U_GET_GC_MASK((UChar32)cp) & U_GC_M_MASK);
}

static int is_num(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0x80 && u_isdigit((UChar32)cp));
}

/* The marks of UAX #29 that ICU's word breaking keeps inside a word
 * (rules WB6-WB13b), as they stand in normalized text. */
static const uint32_t mid_num[] = {',',   ';',    0x37E,  0x589,  0x60C,  0x60D, 0x66C,
                                   0x7F8, 0x2044, 0xFE10, 0xFE14, 0xFE50, 0xFE54};
static const uint32_t mid_num_let[] = {'.', '\'', 0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E};
/* (ICU 72 leaves ':' out, as the analysis shows: a:b is three tokens) */
static const uint32_t mid_letter[] = {0xB7, 0x387, 0x55F, 0x5F4, 0x2027, 0xFE13, 0xFE55};
static const uint32_t ext_num_let_set[] = {'_',    0x203F, 0x2040, 0x2054, 0xFE33,
                                           0xFE34, 0xFE4D, 0xFE4E, 0xFE4F, 0xFF3F};

static int in_set(uint32_t cp, const uint32_t *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == cp)
            return 1;
    return 0;
}
#define IN_SET(cp, set) in_set((cp), (set), sizeof(set) / sizeof *(set))

/* ICU's ExtendNumLet (the underscore and its kin): a word goes on through
 * it on either side (a_b, _b, b_). */
static int ext_num_let(uint32_t cp)
{
    return cp < 0x203F ? cp == '_' : IN_SET(cp, ext_num_let_set);
}

/* Whether ICU keeps x, m, y in one word: m a mark between a letter or
 * digit x and another y, as in 2.5, 1,000, a.b, o'neil. The analyzer's own
 * joins (covid-19, 3.b, 2.5% and 949.21公顷 as one compound) are not these:
 * a compound's parts are words of the index at their positions too. */
static int mid_joins(uint32_t x, uint32_t m, uint32_t y)
{
    if (!word_char(x) || !word_char(y))
        return 0;
    int nx = is_num(x), ny = is_num(y);
    if (IN_SET(m, mid_num))
        return nx && ny;
    if (IN_SET(m, mid_num_let))
        return nx == ny;
    return IN_SET(m, mid_letter) && !nx && !ny;
}

/* Whether every code point of p[0..n) is a letter or digit: a run, which
 * the index finds inside a word where marks part it from the rest
 * (termgen.c's runs: 5 in 2.5, 21 in 949.21). */
static int pure_run(const char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = ws_utf8_decode((const unsigned char *)p + i, n - i, &cp);
        if (!ws_char_is_alnum(cp))
            return 0;
        i += (size_t)(k > 0 ? k : 1);
    }
    return 1;
}

/* Whether a pattern whose edge is `edge`, a letter, digit or
 * ExtendNumLet, stands apart from `near`, the code point beside it in the
 * text, and `far`, the one beyond that (0 at the text's edge); *pure is
 * filled in when it is needed. */
static int edge_apart(uint32_t edge, uint32_t near, uint32_t far, const char *pat, size_t plen,
                      int *pure)
{
    if (word_char(near))
        return 0;
    /* inside: the edge is inside a word of the text, past a mark; 2 where
     * no run of the index starts there either (_b: one run, no part) */
    int inside;
    if (is_mark(near))
        inside = 1;
    else if (ext_num_let(near))
        inside = ext_num_let(edge) || !word_char(far) ? 2 : 1;
    else
        inside = ext_num_let(edge) ? 0 : mid_joins(far, near, edge);
    if (inside == 2)
        return 0;
    if (inside && *pure < 0)
        *pure = pure_run(pat, plen);
    return !inside || *pure;
}

/* Whether a pattern's edge cp can join a word of the text: a Han
 * character (most edges) cannot. */
static int joins_words(uint32_t cp)
{
    return !ws_char_is_han(cp) && (word_char(cp) || ext_num_let(cp) || is_mark(cp));
}

int ws_normalize_apart(const char *s, size_t len, size_t b, size_t e, const char *pat, size_t plen)
{
    if (!plen)
        return 1;
    int pure = -1; /* not known yet */
    uint32_t first = ws_utf8_cp_at(pat, plen, 0);
    if (b > 0 && joins_words(first)) {
        size_t i = ws_utf8_prev(s, b);
        uint32_t far = i > 0 ? ws_utf8_cp_at(s, len, ws_utf8_prev(s, i)) : 0;
        if (!edge_apart(first, ws_utf8_cp_at(s, len, i), far, pat, plen, &pure))
            return 0;
    }
    uint32_t last = ws_utf8_cp_at(pat, plen, ws_utf8_prev(pat, plen));
    if (e < len && joins_words(last)) {
        size_t j = ws_utf8_next(s, len, e);
        uint32_t far = j < len ? ws_utf8_cp_at(s, len, j) : 0;
        if (!edge_apart(last, ws_utf8_cp_at(s, len, e), far, pat, plen, &pure))
            return 0;
    }
    return 1;
}

/* Characters the Simplified standard writes in their own right that ICU's
 * Traditional-Simplified still folds, each with what it folds them into:
 * 显著 and 著作 are not 着, 乾坤 not 干, 俱乐部 not 具, 摔跤 not 摔交 (a
 * count of 着 in the mainland news took in 6,224 著 of 16,020). They are
 * those of its changes that GB2312 holds, but for the forms the standard
 * keeps only for rare uses (後 於 麽 徵 夥 摺 箝), which are folded as
 * before: a Traditional text's 關於 still matches 关于. Kept unfolded. */
static const uint32_t kept[][2] = {
    {0x8457, 0x7740}, /* 著 着 */ {0x4E7E, 0x5E72}, /* 乾 干 */ {0x4FF1, 0x5177}, /* 俱 具 */
    {0x5412, 0x54A4}, /* 吒 咤 */ {0x59CA, 0x59D0}, /* 姊 姐 */ {0x85C9, 0x501F}, /* 藉 借 */
    {0x8DE4, 0x4EA4}, /* 跤 交 */ {0x962A, 0x5742}, /* 阪 坂 */ {0x82CE, 0x82E7}, /* 苎 苧 */
    {0x83F8, 0x70DF},                                                             /* 菸 烟 */
};

/* The index of cp in kept, or -1. */
static int kept_at(uint32_t cp)
{
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        if (kept[i][0] == cp)
            return (int)i;
    return -1;
}

uint32_t ws_normalize_lex_key(uint32_t cp)
{
    int k = cp >= 0x4E00 && cp < 0xA000 ? kept_at(cp) : -1;
    return k < 0 ? cp : kept[k][1];
}

int ws_normalize_kept(uint32_t cp)
{
    return cp >= 0x4E00 && cp < 0xA000 && kept_at(cp) >= 0;
}

/* NFKC case fold then Traditional -> Simplified of the code points src[0..n)
 * (UTF-16), computed by ICU; out gets the code points, the count is
 * returned; -1 when the result is longer than WS_NORM_MAX. */
static int compute_units(const UChar *src, int32_t n, uint32_t *out, int trans_locked)
{
    UChar mid[64];
    int32_t i = 0, count = 0;
    UErrorCode err = U_ZERO_ERROR;
    int32_t m = unorm2_normalize(nfkc_cf, src, n, mid, 64, &err);
    if (U_FAILURE(err) || m > WS_NORM_MAX)
        return -1;
    /* Only Han text can change under Traditional-Simplified. */
    int has_han = 0;
    for (int32_t k = 0; k < m;) {
        UChar32 c;
        U16_NEXT(mid, k, m, c);
        has_han |= ws_char_is_han((uint32_t)c);
    }
    if (m == 1 && kept_at(mid[0]) >= 0)
        has_han = 0; /* a character the standard keeps: not folded */
    if (has_han && trans) {
        int32_t len = m, lim = m;
        err = U_ZERO_ERROR;
        if (!trans_locked)
            pthread_mutex_lock(&trans_lock);
        utrans_transUChars(trans, mid, &len, 64, 0, &lim, &err);
        if (!trans_locked)
            pthread_mutex_unlock(&trans_lock);
        if (U_SUCCESS(err))
            m = len;
    }
    while (i < m && count < WS_NORM_MAX) {
        UChar32 c;
        U16_NEXT(mid, i, m, c);
        out[count++] = (uint32_t)c;
    }
    return count;
}

/* The same for one code point, itself when ICU fails. */
static int compute(uint32_t cp, uint32_t *out, int trans_locked)
{
    UChar src[2];
    int32_t n = 0;
    U16_APPEND_UNSAFE(src, n, (UChar32)cp);
    int k = compute_units(src, n, out, trans_locked);
    if (k < 0) {
        out[0] = cp;
        return 1;
    }
    return k;
}

static int pool_add(const uint32_t *cps, int n)
{
    if (pool_len + (size_t)n > pool_cap) {
        size_t cap = pool_cap ? pool_cap * 2 : 4096;
        uint32_t *p = realloc(pool, cap * sizeof *p);
        if (!p)
            return -1;
        pool = p;
        pool_cap = cap;
    }
    memcpy(pool + pool_len, cps, (size_t)n * sizeof *cps);
    pool_len += (size_t)n;
    return 0;
}

static void build(void)
{
    UErrorCode err = U_ZERO_ERROR;
    nfkc_cf = unorm2_getNFKCCasefoldInstance(&err);
    if (U_FAILURE(err)) {
        init_status = WS_EICU;
        return;
    }
    UChar id[] = u"Traditional-Simplified";
    err = U_ZERO_ERROR;
    trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
    if (U_FAILURE(err)) {
        init_status = WS_EICU;
        return;
    }
    joins = calloc(0x10000 / 8, 1);
    table = malloc(0x10000 * sizeof *table);
    if (!table || !joins) {
        init_status = WS_ENOMEM;
        return;
    }
    for (uint32_t cp = 0; cp < 0x10000; cp++) {
        uint32_t out[WS_NORM_MAX];
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            table[cp] = 0xFFFD;
            continue;
        }
        if (!unorm2_hasBoundaryBefore(nfkc_cf, (UChar32)cp))
            joins[cp / 8] |= (uint8_t)(1u << (cp % 8));
        int n = compute(cp, out, 1);
        if (n == 1 && out[0] < POOL_BIT) {
            table[cp] = out[0];
            continue;
        }
        size_t off = pool_len;
        if (pool_add(out, n) < 0) {
            init_status = WS_ENOMEM;
            return;
        }
        table[cp] = POOL_BIT | ((uint32_t)n << 20) | (uint32_t)off;
    }
}

ws_status ws_normalize_init(void)
{
    pthread_once(&once, build);
    return init_status;
}

int ws_normalize_cp(uint32_t cp, uint32_t out[WS_NORM_MAX])
{
    if (cp >= 0x10000 || !table) {
        if (cp > 0x10FFFF)
            cp = 0xFFFD;
        if (!nfkc_cf || (cp >= 0x10000 && !ws_char_is_han(cp) && cp < 0x1D400) || cp >= 0x1F000) {
            out[0] = cp;
            return 1;
        }
        return compute(cp, out, 0);
    }
    uint32_t v = table[cp];
    if (!(v & POOL_BIT)) {
        out[0] = v;
        return 1;
    }
    int n = (int)((v >> 20) & 0x7FF);
    memcpy(out, pool + (v & 0xFFFFF), (size_t)n * sizeof *out);
    return n;
}

/* Whether cp may compose with the code point before it under NFKC (a
 * combining mark, a Hangul vowel or final jamo, a half-width voicing mark). */
static int joins_before(uint32_t cp)
{
    if (cp < 0x10000)
        return joins && (joins[cp / 8] >> (cp % 8) & 1);
    return nfkc_cf && cp <= 0x10FFFF && !unorm2_hasBoundaryBefore(nfkc_cf, (UChar32)cp);
}

int ws_normalize_next(const char *s, size_t len, size_t i, size_t *next, uint32_t out[WS_NORM_MAX])
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t cp;
    size_t j = i + (size_t)ws_utf8_decode(u + i, len - i, &cp);
    UChar src[2 * WS_NORM_GROUP_MAX];
    int32_t n = 0;
    U16_APPEND_UNSAFE(src, n, (UChar32)cp);
    size_t end = j;
    for (int k = 1; k < WS_NORM_GROUP_MAX && end < len; k++) {
        uint32_t c;
        int step = ws_utf8_decode(u + end, len - end, &c);
        if (!joins_before(c))
            break;
        U16_APPEND_UNSAFE(src, n, (UChar32)c);
        end += (size_t)step;
    }
    if (end > j) {
        int k = compute_units(src, n, out, 0);
        if (k >= 0) {
            *next = end;
            return k;
        }
    }
    *next = j;
    return ws_normalize_cp(cp, out);
}

ws_status ws_normalize_utf8(const char *s, size_t len, char **out, size_t *out_len)
{
    *out = NULL;
    ws_status st = ws_normalize_init();
    if (st != WS_OK)
        return st;
    if (len > (SIZE_MAX / 4) / WS_NORM_MAX - 1)
        return WS_ETOOBIG;
    /* Expansion is bounded: most code points map to one of no longer UTF-8. */
    size_t cap = len * 3 + 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return WS_ENOMEM;
    for (size_t i = 0; i < len;) {
        uint32_t norm[WS_NORM_MAX];
        int k = ws_normalize_next(s, len, i, &i, norm);
        if (n + (size_t)k * 4 + 1 > cap) {
            cap = cap * 2 + (size_t)k * 4 + 1;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                return WS_ENOMEM;
            }
            buf = nb;
        }
        for (int j = 0; j < k; j++)
            n += (size_t)ws_utf8_encode(norm[j], buf + n);
    }
    buf[n] = '\0';
    *out = buf;
    if (out_len)
        *out_len = n;
    return WS_OK;
}

ws_status ws_normalize_type(const char *s, size_t len, char **out, size_t *out_len)
{
    size_t i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i < len)
        return ws_normalize_utf8(s, len, out, out_len);
    /* ASCII: no table of ICU's for the common case (the trend folds every
     * document's type) */
    char *r = malloc(len + 1);
    if (!r)
        return WS_ENOMEM;
    for (i = 0; i < len; i++)
        r[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    r[len] = '\0';
    *out = r;
    if (out_len)
        *out_len = len;
    return WS_OK;
}
