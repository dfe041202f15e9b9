#include "analyzer.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include "array.h"
#include "normalize.h"
#include "segment.h"

/* One token of a chunk, before it is handed out: [b, e) in the normalized
 * UTF-16 buffer. */
typedef struct ws__tok {
    uint32_t b, e;
    uint8_t kind;
    uint16_t lexflags;
    uint16_t parts;
} ws__tok;

struct ws_analyzer {
    const ws_lexicon *lex;
    UBreakIterator *brk;
    /* the normalized chunk and, for each UTF-16 unit, its input byte range */
    UChar *u;
    uint32_t *src_b, *src_e;
    size_t ucap;
    /* the tokens of the chunk */
    ws__tok *toks;
    size_t ntoks, tokcap;
    ws__segmenter seg; /* step 4 */
    unsigned flags;    /* the run's */
    char text[WS_NORM_MAX * 4 * 64 + 16];
};

/* ---- buffers ---- */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static ws_status reserve_u(ws_analyzer *a, size_t need)
{
    void **const arrs[] = {(void **)&a->u, (void **)&a->src_b, (void **)&a->src_e};
    const size_t sizes[] = {sizeof *a->u, sizeof *a->src_b, sizeof *a->src_e};
    return ws_array_reserve(arrs, sizes, 3, &a->ucap, need, 1024);
}

/* Appends a token [b, e) of u to the chunk's tokens. */
static ws_status add_tok(ws_analyzer *a, uint32_t b, uint32_t e, int kind, unsigned lexflags)
{
    if (grow((void **)&a->toks, &a->tokcap, a->ntoks + 1, sizeof *a->toks) < 0)
        return WS_ENOMEM;
    a->toks[a->ntoks++] = (ws__tok){b, e, (uint8_t)kind, (uint16_t)lexflags, 0};
    return WS_OK;
}

/* A word of a CJK run, from the segmenter (step 4). */
static ws_status add_han(void *ctx, uint32_t b, uint32_t e, unsigned lexflags)
{
    return add_tok(ctx, b, e, WS_TOKEN_HAN, lexflags);
}

/* ---- life cycle ---- */

ws_status ws_analyzer_new(const ws_lexicon *lex, ws_analyzer **out)
{
    *out = NULL;
    ws_status st = ws_normalize_init();
    if (st != WS_OK)
        return st;
    ws_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return WS_ENOMEM;
    a->lex = lex;
    ws__segmenter_init(&a->seg, lex);
    UErrorCode err = U_ZERO_ERROR;
    a->brk = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
    if (U_FAILURE(err)) {
        ws__segmenter_free(&a->seg);
        free(a);
        return WS_EICU;
    }
    *out = a;
    return WS_OK;
}

void ws_analyzer_free(ws_analyzer *a)
{
    if (!a)
        return;
    ubrk_close(a->brk);
    ws__segmenter_free(&a->seg);
    free(a->u);
    free(a->src_b);
    free(a->src_e);
    free(a->toks);
    free(a);
}

const ws_lexicon *ws_analyzer_lexicon(const ws_analyzer *a)
{
    return a->lex;
}

/* ---- step 1-3: decode, normalize, join lines ---- */

static int is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' || cp == '\v' || cp == 0x3000 ||
           cp == 0xA0;
}

static int is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

int ws_analyzer_joins_break(uint32_t before, uint32_t after)
{
    return ws_char_is_han(before) || ws_char_is_han(after) || (is_digit(before) && is_digit(after));
}

/* cp normalized (its first code point), 0 when normalization drops it. */
static uint32_t norm_first(uint32_t cp)
{
    uint32_t out[WS_NORM_MAX];
    return ws_normalize_cp(cp, out) ? out[0] : 0;
}

/* The run of line breaks and white space that starts at p[at]: the offset
 * past it, its line breaks into *breaks and the code point after it into
 * *after (0 at the end). */
static size_t break_run(const unsigned char *p, size_t len, size_t at, int *breaks, uint32_t *after)
{
    size_t j = at;
    *breaks = 0;
    *after = 0;
    while (j < len) {
        uint32_t c;
        int k = ws_utf8_decode(p + j, len - j, &c);
        if (c == '\n')
            ++*breaks;
        else if (!is_space(c)) {
            *after = c;
            break;
        }
        j += (size_t)k;
    }
    return j;
}

int ws_analyzer_break_joined(const char *text, size_t len, size_t at, size_t *next)
{
    const unsigned char *p = (const unsigned char *)text;
    int breaks;
    uint32_t after, before = 0;
    *next = break_run(p, len, at, &breaks, &after); /* as fill reads it */
    if (breaks != 1 || !after)
        return 0; /* a blank line, or the end of the text: a paragraph's end */
    /* the last character before it that normalization keeps, as fill's
     * last_cp reads its output */
    for (size_t i = at; i > 0 && !before;) {
        i = ws_utf8_prev(text, i);
        uint32_t c;
        ws_utf8_decode(p + i, len - i, &c);
        if (c != '\n' && !is_space(c))
            before = norm_first(c);
    }
    return before && ws_analyzer_joins_break(before, norm_first(after));
}

int ws_analyzer_extends(uint32_t cp)
{
    if (cp < 0x300)
        return 0;
    int b = u_getIntPropertyValue((UChar32)cp, UCHAR_GRAPHEME_CLUSTER_BREAK);
    return b == U_GCB_EXTEND || b == U_GCB_SPACING_MARK || b == U_GCB_ZWJ;
}

int ws_analyzer_ends_sentence(uint32_t cp)
{
    return cp == 0x3002 || cp == 0xFF61 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B ||
           cp == '!' || cp == '?' || cp == ';';
}

/* Whether any byte of x is b (b repeated in every byte of rep): the
 * exact test of whether a word holds a zero byte, on x ^ rep. */
static int has_byte(uint64_t x, uint64_t rep)
{
    uint64_t v = x ^ rep;
    return ((v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull) != 0;
}

size_t ws_analyzer_sentence_end(const char *text, size_t len, size_t from, size_t before)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t end = before < len ? before : len;
    const uint64_t ones = 0x0101010101010101ull;
    for (size_t i = from; i < end;) {
        if (end - i >= 8) {
            /* eight bytes none of which can start a mark (!?; or a lead
             * byte E3 or EF: a continuation byte is 80-BF) are passed at
             * once, most of a Chinese text */
            uint64_t x;
            memcpy(&x, p + i, 8);
            if (!has_byte(x, 0xE3 * ones) && !has_byte(x, 0xEF * ones) &&
                !has_byte(x, '!' * ones) && !has_byte(x, '?' * ones) && !has_byte(x, ';' * ones)) {
                i += 8;
                continue;
            }
        }
        size_t stop = end - i >= 8 ? i + 8 : end;
        for (; i < stop; i++) {
            if (p[i] != 0xE3 && p[i] != 0xEF && p[i] >= 0x80)
                continue;
            uint32_t cp;
            int k = ws_utf8_decode(p + i, len - i, &cp);
            if (ws_analyzer_ends_sentence(cp))
                return i + (size_t)k;
        }
    }
    return SIZE_MAX;
}

/* Closing quotes and brackets, which may stand after the end of a sentence. */
static int closes(uint32_t cp)
{
    return cp == 0x201D || cp == 0x2019 || cp == 0x300D || cp == 0x300F || cp == 0xFF09 ||
           cp == 0x3011 || cp == 0x300B || cp == '"' || cp == '\'' || cp == ')';
}

int ws_analyzer_paragraph_end(const char *text, size_t len, size_t at, size_t *next)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t j = at;
    int breaks = 0, returns = 0, spaces = 0, indent = 0;
    uint32_t after = 0;
    while (j < len) {
        uint32_t c;
        int k = ws_utf8_decode(p + j, len - j, &c);
        if (c == '\n' || c == '\r') {
            breaks += c == '\n';
            returns += c == '\r';
            spaces = indent = 0; /* the indentation of the last line counts */
        } else if (!is_space(c)) {
            after = c;
            break;
        } else {
            indent |= c == 0x3000 || c == '\t' || ++spaces >= 2;
        }
        j += (size_t)k;
    }
    *next = j;
    if (!breaks && returns)
        breaks = 1; /* a lone CR ends a line too */
    /* a line indented (a full-width space, a tab, two spaces) begins a
     * paragraph, as Chinese print sets one: a wrap of print is not */
    if (breaks >= 2 || after == 0 || indent)
        return 1;
    for (size_t i = at; i > 0;) {
        size_t b = i - 1;
        while (b > 0 && i - b < 4 && (p[b] & 0xC0) == 0x80)
            b--;
        uint32_t c;
        ws_utf8_decode(p + b, i - b, &c);
        i = b;
        if (is_space(c) || c == '\r' || closes(c))
            continue;
        return ws_analyzer_ends_sentence(c);
    }
    return 1;
}

/* The first byte of a normalized text (nlen bytes, map as
 * ws_analyzer_normalize gives it) that comes from input at or past in (the
 * map never falls). */
static size_t first_from(const size_t *map, size_t nlen, size_t in)
{
    size_t lo = 0, hi = nlen;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (map[mid] < in)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

ws_status ws_analyzer_paragraph_starts(const char *text, size_t len, const size_t *map, size_t nlen,
                                       size_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    for (size_t i = 0; i < len;) {
        if (text[i] != '\n' && text[i] != '\r') {
            i++;
            continue;
        }
        size_t next;
        if (ws_analyzer_paragraph_end(text, len, i, &next)) {
            size_t at = first_from(map, nlen, next);
            if (!*n || (*out)[*n - 1] < at) {
                size_t *g = ws_array_room(*out, *n, &cap, sizeof *g, 16);
                if (!g) {
                    free(*out);
                    *out = NULL;
                    *n = 0;
                    return WS_ENOMEM;
                }
                *out = g;
                (*out)[(*n)++] = at;
            }
        }
        i = next > i ? next : i + 1;
    }
    return WS_OK;
}

/* Appends the normalized code points norm[0..k) of the input's bytes [b, e). */
static ws_status put_norm(ws_analyzer *a, size_t *m, const uint32_t *norm, int k, uint32_t b,
                          uint32_t e)
{
    if (reserve_u(a, *m + (size_t)k * 2 + 2) != WS_OK)
        return WS_ENOMEM;
    for (int i = 0; i < k; i++) {
        uint32_t c = norm[i] == 0x25CB ? 0x3007 : norm[i]; /* ○ written for 〇 (二○二四年) */
        size_t at = *m;
        U16_APPEND_UNSAFE(a->u, *m, (UChar32)c);
        for (size_t j = at; j < *m; j++) {
            a->src_b[j] = b;
            a->src_e[j] = e;
        }
    }
    return WS_OK;
}

/* Appends the normalized form of the input code point cp at bytes [b, e). */
static ws_status put(ws_analyzer *a, size_t *m, uint32_t cp, uint32_t b, uint32_t e)
{
    uint32_t norm[WS_NORM_MAX];
    return put_norm(a, m, norm, ws_normalize_cp(cp, norm), b, e);
}

/* The last non-space code point written to u, or 0. */
static uint32_t last_cp(const ws_analyzer *a, size_t m)
{
    while (m > 0) {
        UChar32 c;
        U16_PREV(a->u, 0, m, c);
        if (!is_space((uint32_t)c) && c != '\n')
            return (uint32_t)c;
    }
    return 0;
}

/* Fills u with the normalized text of s[0..len). */
static ws_status fill(ws_analyzer *a, const char *s, size_t len, unsigned flags, size_t *outm)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t m = 0;
    ws_status st = WS_OK;
    for (size_t i = 0; i < len && st == WS_OK;) {
        uint32_t cp;
        ws_utf8_decode(p + i, len - i, &cp);
        if (cp == '\n' || cp == '\r') {
            /* Look past the break: more breaks make a blank line (a paragraph). */
            int breaks;
            uint32_t next;
            size_t j = break_run(p, len, i, &breaks, &next);
            if (!(flags & WS_ANALYZE_JOIN_LINES)) {
                st = put(a, &m, '\n', (uint32_t)i, (uint32_t)(i + 1));
                i += 1;
                continue;
            }
            uint32_t prev = last_cp(a, m);
            if (breaks >= 2 || (breaks == 1 && next == 0))
                st = put(a, &m, '\n', (uint32_t)i, (uint32_t)j);
            else if (!ws_analyzer_joins_break(prev, norm_first(next)))
                st = put(a, &m, ' ', (uint32_t)i, (uint32_t)j);
            /* else: a break inside CJK text or a number, as print makes it:
             * dropped */
            i = j;
            continue;
        }
        uint32_t norm[WS_NORM_MAX];
        size_t next;
        int k = ws_normalize_next(s, len, i, &next, norm);
        st = put_norm(a, &m, norm, k, (uint32_t)i, (uint32_t)next);
        i = next;
    }
    *outm = m;
    return st;
}

/* ---- step 4 for the whole chunk ---- */

int ws_analyzer_mark_runs(uint32_t c)
{
    return c == 0x2014 /* — */ || c == 0x2026 /* … */ || c == 0x00B7 /* · */ || c == '-' ||
           c == '=' || c == '*' || c == '.' || c == '~';
}

static ws_status tokenize(ws_analyzer *a, size_t m)
{
    UErrorCode err = U_ZERO_ERROR;
    a->ntoks = 0;
    if (m == 0)
        return WS_OK;
    ubrk_setText(a->brk, a->u, (int32_t)m, &err);
    if (U_FAILURE(err))
        return WS_EICU;
    /* First collect ICU's words, then segment each CJK run over them. */
    int32_t b = ubrk_first(a->brk);
    size_t run = SIZE_MAX;
    ws_status st = WS_OK;
    ws__seg *segs = NULL;
    size_t nsegs = 0, capsegs = 0;
    for (int32_t e = ubrk_next(a->brk); e != UBRK_DONE; b = e, e = ubrk_next(a->brk)) {
        if (grow((void **)&segs, &capsegs, nsegs + 1, sizeof *segs) < 0) {
            free(segs);
            return WS_ENOMEM;
        }
        segs[nsegs++] = (ws__seg){b, e, ubrk_getRuleStatus(a->brk)};
    }
    for (size_t i = 0; i < nsegs && st == WS_OK; i++) {
        ws__seg s = segs[i];
        if (s.status >= UBRK_WORD_IDEO && s.status < UBRK_WORD_IDEO_LIMIT) {
            if (run == SIZE_MAX)
                run = i;
            if (i + 1 < nsegs && segs[i + 1].b == s.e && segs[i + 1].status >= UBRK_WORD_IDEO &&
                segs[i + 1].status < UBRK_WORD_IDEO_LIMIT)
                continue;
            int after_number = a->ntoks > 0 && a->toks[a->ntoks - 1].kind == WS_TOKEN_ALNUM &&
                               a->toks[a->ntoks - 1].e == (uint32_t)segs[run].b &&
                               a->u[a->toks[a->ntoks - 1].e - 1] >= '0' &&
                               a->u[a->toks[a->ntoks - 1].e - 1] <= '9';
            st = ws__segment_run(&a->seg, a->u, segs + run, i + 1 - run, after_number, add_han, a);
            run = SIZE_MAX;
            continue;
        }
        if (s.status >= UBRK_WORD_NUMBER && s.status < UBRK_WORD_IDEO) {
            st = add_tok(a, (uint32_t)s.b, (uint32_t)s.e, WS_TOKEN_ALNUM, 0);
            continue;
        }
        /* spaces and punctuation: one token a mark */
        for (int32_t k = s.b; k < s.e && st == WS_OK;) {
            int32_t at = k;
            UChar32 c;
            U16_NEXT(a->u, k, s.e, c);
            if (is_space((uint32_t)c) || c == '\n')
                continue;
            if (u_isalnum(c) || ws_char_is_han((uint32_t)c))
                st = add_tok(a, (uint32_t)at, (uint32_t)k,
                             ws_char_is_han((uint32_t)c) ? WS_TOKEN_HAN : WS_TOKEN_ALNUM, 0);
            else if (a->ntoks && a->toks[a->ntoks - 1].kind == WS_TOKEN_PUNCT &&
                     a->toks[a->ntoks - 1].e == (uint32_t)at && k - at == 1 &&
                     a->u[a->toks[a->ntoks - 1].b] == (UChar)c &&
                     ws_analyzer_mark_runs((uint32_t)c))
                a->toks[a->ntoks - 1].e = (uint32_t)k; /* —— and …… are one mark */
            else
                st = add_tok(a, (uint32_t)at, (uint32_t)k, WS_TOKEN_PUNCT, 0);
        }
    }
    free(segs);
    return st;
}

/* ---- step 5: compounds ---- */

static int unit_chain(const ws_analyzer *a, const ws__tok *t)
{
    /* A HAN token made of units only: 公顷, 万亩 (万 + 亩), 年. */
    uint32_t cps[64];
    int n = 0;
    for (uint32_t k = t->b; k < t->e && n < 64;) {
        UChar32 c;
        U16_NEXT(a->u, k, t->e, c);
        cps[n++] = (uint32_t)c;
    }
    for (int i = 0; i < n;) {
        int len = n - i > 4 ? 4 : n - i;
        while (len > 0 && !(ws_lexicon_lookup(a->lex, cps + i, len, NULL) & WS_LEX_UNIT))
            len--;
        if (len == 0)
            return 0;
        i += len;
    }
    return n > 0;
}

/* 年 joins a year (2024年), not a number of years (10年, 1.5年): these are
 * two words in the national standard, and a year is what a search for a date
 * wants whole. A year is four digits. */
static int years_only(const ws_analyzer *a, const ws__tok *num, const ws__tok *unit)
{
    if (unit->e - unit->b != 1 || a->u[unit->b] != 0x5E74 /* 年 */)
        return 0;
    if (num->e - num->b != 4)
        return 1;
    for (uint32_t k = num->b; k < num->e; k++)
        if (a->u[k] < '0' || a->u[k] > '9')
            return 1;
    return 0;
}

static int joiner(const ws_analyzer *a, const ws__tok *t)
{
    if (t->e - t->b != 1)
        return 0;
    UChar c = a->u[t->b];
    return c == '-' || c == '.' || c == '_' || c == '+' || c == '/' || c == '&';
}

/* Marks compounds: tokens[i].parts = how many tokens after i it covers (the
 * compound itself is not a token of the array; it is emitted from i). */
static void find_compounds(ws_analyzer *a)
{
    ws__tok *t = a->toks;
    for (size_t i = 0; i < a->ntoks; i++) {
        if (t[i].kind != WS_TOKEN_ALNUM)
            continue;
        size_t j = i;
        while (j + 2 < a->ntoks && t[j + 1].b == t[j].e && joiner(a, &t[j + 1]) &&
               t[j + 2].b == t[j + 1].e && t[j + 2].kind == WS_TOKEN_ALNUM)
            j += 2;
        UChar last = a->u[t[j].e - 1];
        if (last >= '0' && last <= '9') {
            if (j + 1 < a->ntoks && t[j + 1].b == t[j].e && t[j + 1].kind == WS_TOKEN_PUNCT &&
                t[j + 1].e - t[j + 1].b == 1 &&
                (a->u[t[j + 1].b] == '%' || a->u[t[j + 1].b] == 0x2030 /* ‰ */))
                j++;
            else
                while (j + 1 < a->ntoks && t[j + 1].b == t[j].e && t[j + 1].kind == WS_TOKEN_HAN &&
                       unit_chain(a, &t[j + 1]) && (j > i || !years_only(a, &t[j], &t[j + 1])))
                    j++;
        }
        if (j > i)
            t[i].parts = (uint16_t)(j - i + 1);
        i = j;
    }
}

/* ---- emitting ---- */

static ws_status emit(ws_analyzer *a, size_t base, uint32_t b, uint32_t e, ws_token_kind kind,
                      unsigned lexflags, unsigned parts, uint32_t pos, int spaced, ws_token_cb cb,
                      void *ctx)
{
    ws_token t;
    int32_t len = 0;
    UErrorCode err = U_ZERO_ERROR;
    char *buf = a->text;
    int32_t cap = (int32_t)sizeof a->text - 1;
    u_strToUTF8(buf, cap, &len, a->u + b, (int32_t)(e - b), &err);
    int refuse = (a->flags & WS_ANALYZE_REFUSE_LONG) != 0;
    if (err == U_BUFFER_OVERFLOW_ERROR || len > cap) /* absurdly long */
        return kind != WS_TOKEN_HAN && kind != WS_TOKEN_PUNCT && refuse ? WS_ETOOBIG : WS_OK;
    if (U_FAILURE(err))
        return WS_EICU;
    buf[len] = '\0';
    if (kind != WS_TOKEN_HAN && kind != WS_TOKEN_PUNCT && len > WS_TOKEN_MAX_BYTES)
        return refuse ? WS_ETOOBIG : WS_OK;
    t.text = buf;
    t.len = (size_t)len;
    t.start = base + a->src_b[b];
    t.end = base + a->src_e[e - 1];
    t.pos = pos;
    t.nchars = (uint32_t)u_countChar32(a->u + b, (int32_t)(e - b));
    t.kind = kind;
    t.lexflags = lexflags;
    t.parts = parts;
    t.spaced = spaced;
    return cb(ctx, &t);
}

/* 1 when u[b, e) holds a line break: fill() keeps only those that end a
 * paragraph (or every one, without WS_ANALYZE_JOIN_LINES). */
static int has_break(const ws_analyzer *a, uint32_t b, uint32_t e)
{
    for (uint32_t k = b; k < e; k++)
        if (a->u[k] == '\n')
            return 1;
    return 0;
}

static ws_status emit_chunk(ws_analyzer *a, size_t base, size_t m, uint32_t *pos, int *tail,
                            ws_token_cb cb, void *ctx)
{
    ws_status st = WS_OK;
    uint32_t prev_e = 0;
    for (size_t i = 0; i < a->ntoks && st == WS_OK; i++) {
        ws__tok *t = &a->toks[i];
        /* A paragraph break takes a position, so that no character pair or
         * phrase spans it (园区用 / blank line / 地面积 is not 用地). */
        /* (at a chunk's first token, the end of the one before may have
         * taken it already: *tail 2) */
        int brk = i > 0 ? has_break(a, prev_e, t->b) : *tail != 2 && has_break(a, 0, t->b);
        if (brk)
            *pos += 1;
        /* what stands between it and the token before, in this chunk or
         * at the end of the one before (*tail) */
        int spaced = i > 0 ? t->b != prev_e : t->b > 0 || *tail;
        /* white space too, so that a phrase matches only where its
         * characters stand together, as the concordance finds it: 网络安 全
         * is not 网络安全, nor 2024 年 2024年; across a chunk's cut too */
        if (spaced && !brk && (i > 0 || *tail != 2)) {
            *pos += 1;
            spaced = 2; /* termgen.h puts a space term there */
        }
        prev_e = t->e;
        if (t->parts)
            st = emit(a, base, t->b, a->toks[i + t->parts - 1].e, WS_TOKEN_COMPOUND, 0, t->parts,
                      *pos, spaced, cb, ctx);
        if (st != WS_OK)
            break;
        st = emit(a, base, t->b, t->e, (ws_token_kind)t->kind, t->lexflags, 0, *pos, spaced, cb,
                  ctx);
        if (t->kind == WS_TOKEN_HAN)
            *pos += (uint32_t)u_countChar32(a->u + t->b, (int32_t)(t->e - t->b));
        else
            *pos += 1;
    }
    /* and one ending the chunk, before the next chunk's first token */
    int ended = st == WS_OK && a->ntoks && has_break(a, prev_e, (uint32_t)m);
    if (ended)
        *pos += 1;
    /* 0: nothing after the last token, 1: something, 2: a break that took
     * its position */
    *tail = ended ? 2 : a->ntoks ? prev_e != m : *tail == 2 ? 2 : *tail || m > 0;
    return st;
}

/* ---- chunks ---- */

/* Where to end the chunk that starts at s: at a line break that does not sit
 * inside CJK text, if there is one in the window. */
static size_t chunk_end(const char *s, size_t len)
{
    if (len <= WS_ANALYZE_CHUNK)
        return len;
    size_t any = 0;
    for (size_t i = WS_ANALYZE_CHUNK; i > WS_ANALYZE_CHUNK / 4; i--) {
        if (s[i - 1] != '\n')
            continue;
        if (!any)
            any = i;
        /* a blank line, or a line ending in ASCII or in CJK punctuation (。！？) */
        if (i >= 2 && (s[i - 2] == '\n' || (unsigned char)s[i - 2] < 0x80))
            return i;
        if (i >= 4 && (unsigned char)s[i - 4] == 0xE3 && (unsigned char)s[i - 3] == 0x80)
            return i;
    }
    if (any)
        return any;
    size_t i = WS_ANALYZE_CHUNK;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i ? i : WS_ANALYZE_CHUNK; /* all stray continuation bytes: cut anywhere */
}

ws_status ws_analyzer_run(ws_analyzer *a, const char *text, size_t len, unsigned flags,
                          uint32_t *pos, ws_token_cb cb, void *ctx)
{
    ws_status st = WS_OK;
    int tail = 0; /* text after the last token so far */
    a->flags = flags;
    for (size_t base = 0; base < len && st == WS_OK;) {
        size_t n = chunk_end(text + base, len - base);
        size_t m = 0;
        st = fill(a, text + base, n, flags, &m);
        if (st == WS_OK)
            st = tokenize(a, m);
        if (st == WS_OK) {
            find_compounds(a);
            st = emit_chunk(a, base, m, pos, &tail, cb, ctx);
        }
        base += n;
    }
    return st;
}

size_t ws_analyzer_source_end(const char *text, size_t len, const char *norm, const size_t *map,
                              size_t b, size_t e)
{
    size_t last = e - 1;
    while (last > b && ((unsigned char)norm[last] & 0xC0) == 0x80)
        last--;
    size_t o = map[last];
    if (o >= len)
        return len;
    /* past that character and what was normalized with it (e + U+0301),
     * as normalization took them */
    uint32_t out[WS_NORM_MAX];
    size_t next;
    ws_normalize_next(text, len, o, &next, out);
    return next;
}

ws_status ws_analyzer_normalize(ws_analyzer *a, const char *text, size_t len, unsigned flags,
                                char **out, size_t *out_len, size_t **map)
{
    size_t cap = len + 16, n = 0;
    char *buf = malloc(cap);
    size_t *mp = malloc(cap * sizeof *mp);
    ws_status st = (buf && mp) ? WS_OK : WS_ENOMEM;
    for (size_t base = 0; base < len && st == WS_OK;) {
        size_t chunk = chunk_end(text + base, len - base), m = 0;
        st = fill(a, text + base, chunk, flags, &m);
        for (size_t k = 0; k < m && st == WS_OK;) {
            size_t at = k;
            UChar32 c;
            U16_NEXT(a->u, k, m, c);
            if (n + 5 > cap) {
                cap = cap * 2;
                char *nb = realloc(buf, cap);
                if (nb)
                    buf = nb;
                size_t *nm = realloc(mp, cap * sizeof *nm);
                if (nm)
                    mp = nm;
                if (!nb || !nm) {
                    st = WS_ENOMEM;
                    break;
                }
            }
            int l = ws_utf8_encode((uint32_t)c, buf + n);
            for (int j = 0; j < l; j++)
                mp[n + (size_t)j] = base + a->src_b[at];
            n += (size_t)l;
        }
        base += chunk;
    }
    if (st != WS_OK) {
        free(buf);
        free(mp);
        return st;
    }
    buf[n] = '\0';
    mp[n] = len;
    *out = buf;
    *out_len = n;
    *map = mp;
    return WS_OK;
}
