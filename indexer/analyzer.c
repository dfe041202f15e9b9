#include "analyzer.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include "normalize.h"

/* One token of a chunk, before it is handed out: [b, e) in the normalized
 * UTF-16 buffer. */
typedef struct tok {
    uint32_t b, e;
    uint8_t kind;
    uint8_t lexflags;
    uint16_t parts;
} tok;

struct ws_analyzer {
    const ws_lexicon *lex;
    UBreakIterator *brk;
    /* the normalized chunk and, for each UTF-16 unit, its input byte range */
    UChar *u;
    uint32_t *src_b, *src_e;
    size_t ucap;
    /* the tokens of the chunk */
    tok *toks;
    size_t ntoks, tokcap;
    /* the segmenter's work arrays, per code point of a CJK run */
    uint32_t *cps, *cpu; /* code point, and its index in u */
    int32_t *cost, *from, *icu_end;
    int32_t *name; /* 1 when the best word ending here is a person's name */
    size_t cpcap;
    int16_t *single; /* single-character costs, 0 until computed */
    int32_t unseen;  /* with word counts: the cost of a word they do not list */
    char text[WS_NORM_MAX * 4 * 64 + 16];
};

static pthread_once_t classes_once;
static void build_classes(void);
static int32_t unseen_cost(const ws_lexicon *lex);

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
    if (need <= a->ucap)
        return WS_OK;
    size_t n = a->ucap ? a->ucap : 1024;
    while (n < need)
        n *= 2;
    UChar *u = realloc(a->u, n * sizeof *u);
    if (!u)
        return WS_ENOMEM;
    a->u = u;
    uint32_t *b = realloc(a->src_b, n * sizeof *b);
    if (!b)
        return WS_ENOMEM;
    a->src_b = b;
    uint32_t *e = realloc(a->src_e, n * sizeof *e);
    if (!e)
        return WS_ENOMEM;
    a->src_e = e;
    a->ucap = n;
    return WS_OK;
}

static ws_status reserve_cp(ws_analyzer *a, size_t need)
{
    if (need <= a->cpcap)
        return WS_OK;
    size_t n = a->cpcap ? a->cpcap : 256;
    while (n < need)
        n *= 2;
    void **arrs[] = {(void **)&a->cps,  (void **)&a->cpu,     (void **)&a->cost,
                     (void **)&a->from, (void **)&a->icu_end, (void **)&a->name};
    for (size_t i = 0; i < sizeof arrs / sizeof *arrs; i++) {
        void *q = realloc(*arrs[i], n * 4);
        if (!q)
            return WS_ENOMEM;
        *arrs[i] = q;
    }
    a->cpcap = n;
    return WS_OK;
}

static ws_status add_tok(ws_analyzer *a, uint32_t b, uint32_t e, int kind, unsigned lexflags)
{
    if (grow((void **)&a->toks, &a->tokcap, a->ntoks + 1, sizeof *a->toks) < 0)
        return WS_ENOMEM;
    a->toks[a->ntoks++] = (tok){b, e, (uint8_t)kind, (uint8_t)lexflags, 0};
    return WS_OK;
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
    a->unseen = unseen_cost(lex);
    pthread_once(&classes_once, build_classes);
    a->single = calloc(0x10000, sizeof *a->single); /* optional: NULL computes each time */
    UErrorCode err = U_ZERO_ERROR;
    a->brk = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
    if (U_FAILURE(err)) {
        free(a->single);
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
    free(a->single);
    free(a->u);
    free(a->src_b);
    free(a->src_e);
    free(a->toks);
    free(a->cps);
    free(a->cpu);
    free(a->cost);
    free(a->from);
    free(a->icu_end);
    free(a->name);
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

/* Appends the normalized form of one input code point at byte range [b, e). */
static ws_status put(ws_analyzer *a, size_t *m, uint32_t cp, uint32_t b, uint32_t e)
{
    uint32_t norm[WS_NORM_MAX];
    int k = ws_normalize_cp(cp, norm);
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
        int n = ws_utf8_decode(p + i, len - i, &cp);
        if (cp == '\n' || cp == '\r') {
            /* Look past the break: more breaks make a blank line (a paragraph). */
            size_t j = i;
            int breaks = 0;
            uint32_t next = 0;
            while (j < len) {
                uint32_t c;
                int k = ws_utf8_decode(p + j, len - j, &c);
                if (c == '\n')
                    breaks++;
                else if (!is_space(c)) {
                    next = c;
                    break;
                }
                j += (size_t)k;
            }
            if (!(flags & WS_ANALYZE_JOIN_LINES)) {
                st = put(a, &m, '\n', (uint32_t)i, (uint32_t)(i + 1));
                i += 1;
                continue;
            }
            uint32_t prev = last_cp(a, m);
            if (breaks >= 2 || (breaks == 1 && next == 0))
                st = put(a, &m, '\n', (uint32_t)i, (uint32_t)j);
            else if (!ws_char_is_han(prev) && !ws_char_is_han(next) &&
                     !(is_digit(prev) && is_digit(next)))
                st = put(a, &m, ' ', (uint32_t)i, (uint32_t)j);
            /* else: a break inside CJK text or a number, as print makes it:
             * dropped */
            i = j;
            continue;
        }
        st = put(a, &m, cp, (uint32_t)i, (uint32_t)(i + (size_t)n));
        i += (size_t)n;
    }
    *outm = m;
    return st;
}

/* ---- step 4: segment a CJK run over the lexicon ---- */

/* Classes of the characters the segmenter treats apart, in a table built
 * once from the lists below (a lookup, not a search, per character). */
enum {
    CL_NUMERAL = 1,    /* part of a numeral: 二〇二四, 三十一, 五十四 */
    CL_UNIT = 2,       /* a unit a number before it joins: 1日, 1万, 25元 */
    CL_COUNT = 4,      /* a numeral before a classifier: 一年, 两个 */
    CL_CLASSIFIER = 8, /* a classifier */
};

static uint8_t classes[0x10000];
static pthread_once_t classes_once = PTHREAD_ONCE_INIT; /* declared above */

static void mark_class(const char *set, uint8_t bit)
{
    size_t len = strlen(set);
    for (size_t i = 0; i < len;) {
        uint32_t c;
        i += (size_t)ws_utf8_decode((const unsigned char *)set + i, len - i, &c);
        if (c < 0x10000)
            classes[c] |= bit;
    }
}

static void build_classes(void)
{
    mark_class("〇零一二两三四五六七八九十百千万亿", CL_NUMERAL);
    mark_class("年月日时分秒点号万亿千百元角岁", CL_UNIT);
    mark_class("一二三四五六七八九十两几多", CL_COUNT);
    mark_class("年个条位批次种项名家件天张本台辆座场届份部层段句首双对间所片"
               "封门艘架股篇幅块根节支把棵头匹只口枚颗道万亿",
               CL_CLASSIFIER);
}

static int has_class(uint32_t c, uint8_t bit)
{
    return c < 0x10000 && (classes[c] & bit);
}

static int is_numeral(uint32_t c)
{
    return has_class(c, CL_NUMERAL);
}

static int is_unit_char(uint32_t c)
{
    return has_class(c, CL_UNIT);
}

/* A numeral and a classifier (一年, 两个, 三条, 多名) are two words, as the
 * national segmentation standard has it; the lexicon lists some as one. So
 * are a numeral and 是 in an enumeration (一是, 三是: "first, ...", "third,
 * ..."); 万 and 亿 count as classifiers here (三十多万: 多 万), the numeral
 * path still makes 一万 one word. 一个 stays one word: the indefinite article, which the standard's
 * reference corpora (People's Daily, PKU) treat as lexicalized. */
static int numeral_classifier(const uint32_t *cps, int len)
{
    if (len < 2 || len > 3)
        return 0;
    if (len == 2 && cps[0] == 0x4E00 /* 一 */ && cps[1] == 0x4E2A /* 个 */)
        return 0;
    for (int i = 0; i < len - 1; i++)
        if (!has_class(cps[i], CL_COUNT))
            return 0;
    return has_class(cps[len - 1], CL_CLASSIFIER) || (len == 2 && cps[1] == 0x662F /* 是 */);
}

/* friso lists the adjective 新 with the nouns it modifies (新世纪, 新技术,
 * 新阶段) as words; the national standard makes them two (新 世纪). A
 * compound of 新 and a word is read as the two where the counts see the word
 * on its own more often than the compound (世纪 272 times, 新世纪 46 in the
 * shared corpus); names stay (新华社: 华社 is never counted), and so do the
 * terms the corpus uses more than their tail (新时代 5,848, 时代 1,593). */
static int new_phrase(const ws_lexicon *lex, const uint32_t *cps, int len, int32_t cost)
{
    if (len < 3 || cps[0] != 0x65B0 /* 新 */)
        return 0;
    int32_t tail;
    unsigned f = ws_lexicon_lookup_cost(lex, cps + 1, len - 1, &tail);
    return (f & WS_LEX_WORD) && tail && (!cost || tail < cost);
}

static int is_date_unit(uint32_t c)
{
    return c == 0x5E74 /* 年 */ || c == 0x6708 /* 月 */ || c == 0x65E5 /* 日 */ ||
           c == 0x53F7 /* 号 */ || c == 0x65F6 /* 时 */;
}

/* Costs of a path, in hundredths: every word costs about one, so that the
 * segmenter prefers fewer words; a single character costs more the rarer it
 * is (friso's character frequencies), ICU's own words a little more than the
 * lexicon's, user words a little less. */
#define COST_WORD    100
#define COST_USER    90
#define COST_ICU     130
#define COST_NUMERAL 60
/* Long lexicon entries (全国人民代表大会常务委员会) cost more per character past
 * COST_LONG_FROM, so that the words they are made of win where the lexicon
 * has them: the granularity of the national segmentation standard. */
#define COST_LONG_FROM 4
#define COST_LONG      25
#define COST_MAXFREQ   6500000.0

/* With word counts (lexicon.h) a word costs -ln P(word) instead, in
 * hundredths of a nat: the most probable path of a unigram model. A word the
 * counts do not list is taken to have been seen LM_UNSEEN_COUNT times (as often
 * as the rarest words tools/word_counts leaves out); ICU's words that are not
 * in the lexicon cost a little more, numerals a fixed cost. Words of three
 * characters and more cost LM_LONG more per character past LM_LONG_FROM: the
 * corpus counts friso's compounds (检察机关, 新世纪) as often as the segmenter
 * chose them, so that without this they would win over the words they are made
 * of, coarser than the national segmentation standard. A user word costs at
 * most LM_USER, less than any two words (的, the most frequent, costs about 3
 * nats), so that a researcher's word beats any split of it. The constants were
 * set on PKU's test F (README, Evaluation). */
#define LM_UNSEEN_COUNT 1.0
#define LM_USER         500
#define LM_ICU_EXTRA    300
#define LM_NUMERAL      800
#define LM_LONG_FROM    2
#define LM_LONG         400

static int32_t unseen_cost(const ws_lexicon *lex)
{
    uint64_t total = ws_lexicon_counts_total(lex);
    return total ? (int32_t)(100.0 * log((double)total / LM_UNSEEN_COUNT) + 0.5) : 0;
}

static int32_t single_cost_of(const ws_analyzer *a, uint32_t c)
{
    const ws_lexicon *lex = a->lex;
    if (a->unseen) {
        int32_t cost;
        ws_lexicon_lookup_cost(lex, &c, 1, &cost);
        return cost ? cost : a->unseen;
    }
    uint32_t freq = 0;
    unsigned f = ws_lexicon_lookup(lex, &c, 1, &freq);
    if (f & WS_LEX_STOP)
        return 105;
    double r = log(COST_MAXFREQ / (freq + 10.0)) / log(6500.0);
    if (r < 0)
        r = 0;
    if (r > 1.5)
        r = 1.5;
    return 100 + (int32_t)(60.0 * r);
}

/* single_cost_of, remembered per analyzer for the BMP. */
static int32_t single_cost(ws_analyzer *a, uint32_t c)
{
    if (c >= 0x10000 || !a->single)
        return single_cost_of(a, c);
    if (!a->single[c])
        a->single[c] = (int16_t)single_cost_of(a, c);
    return a->single[c];
}

static void relax(ws_analyzer *a, int32_t i, int32_t j, int32_t c)
{
    if (a->cost[i] + c < a->cost[j]) {
        a->cost[j] = a->cost[i] + c;
        a->from[j] = i;
        a->name[j] = 0;
    }
}

/* A Chinese person's name, surname and two-character given name (江泽民,
 * 夏世清), by friso's lists of the characters of each: the national standard
 * makes the surname and the given name two words (江 泽民), and most names
 * are in no lexicon. A name costs LM_NAME, 15 nats, as much as a word the
 * counts saw four or five times: less than a rare word and a character
 * (夏世 清), more than common words. Set on the PKU test, where F is flat from
 * 12 to 18 nats (0.882-0.883); on 200 news stories of the shared corpus, 21 of
 * the 24 changes it makes are names (艳林, 晓薇, 胡 锦涛). */
#define LM_NAME 1500

static void relax_name(ws_analyzer *a, int32_t i)
{
    const uint32_t *c = a->cps + i;
    int32_t cost;
    unsigned f0 = ws_lexicon_lookup(a->lex, c, 1, NULL);
    if (!(f0 & WS_LEX_SURNAME))
        return;
    if (!(ws_lexicon_lookup(a->lex, c + 1, 1, NULL) & WS_LEX_GIVEN1) ||
        !(ws_lexicon_lookup(a->lex, c + 2, 1, NULL) & WS_LEX_GIVEN2))
        return;
    /* No name where a word the corpus has seen ends at its surname (铁路丽香),
     * begins there (南方山) or makes its given name (化水平). */
    if (i > 0 && (ws_lexicon_lookup_cost(a->lex, c - 1, 2, &cost) & WS_LEX_WORD) && cost)
        return;
    if ((ws_lexicon_lookup_cost(a->lex, c, 2, &cost) & WS_LEX_WORD) && cost)
        return;
    if ((ws_lexicon_lookup_cost(a->lex, c + 1, 2, &cost) & WS_LEX_WORD) && cost)
        return;
    if (a->cost[i] + LM_NAME < a->cost[i + 3]) {
        a->cost[i + 3] = a->cost[i] + LM_NAME;
        a->from[i + 3] = i;
        a->name[i + 3] = 1;
    }
}

typedef struct seg {
    int32_t b, e, status;
} seg;

/* Segments the CJK run made of ICU's ideographic words segs[0..nsegs) and adds
 * the words as tokens. */
static ws_status segment_run(ws_analyzer *a, const seg *segs, size_t nsegs, int after_number)
{
    uint32_t b = (uint32_t)segs[0].b, e = (uint32_t)segs[nsegs - 1].e;
    size_t n = 0;
    if (reserve_cp(a, (size_t)(e - b) + 2) != WS_OK)
        return WS_ENOMEM;
    for (size_t i = 0; i <= (size_t)(e - b) + 1; i++)
        a->icu_end[i] = 0;
    size_t s = 0;
    for (uint32_t k = b; k < e;) {
        UChar32 c;
        while (s < nsegs && (uint32_t)segs[s].b < k)
            s++;
        if (s < nsegs && (uint32_t)segs[s].b == k)
            a->icu_end[n] = -(int32_t)s - 1; /* resolved to a code point index below */
        a->cpu[n] = k;
        U16_NEXT(a->u, k, e, c);
        a->cps[n++] = (uint32_t)c;
    }
    a->cpu[n] = e;
    int split_first = after_number && n > 1 && is_unit_char(a->cps[0]);
    for (size_t i = 0, j = 0; i < n; i++) {
        if (a->icu_end[i] >= 0)
            continue;
        uint32_t end = (uint32_t)segs[-a->icu_end[i] - 1].e;
        if (j < i)
            j = i;
        while (j < n && a->cpu[j] < end)
            j++;
        a->icu_end[i] = (int32_t)j;
    }
    for (size_t i = 0; i <= n; i++) {
        a->cost[i] = INT32_MAX / 2;
        a->from[i] = -1;
        a->name[i] = 0;
    }
    const ws_lexicon *lex = a->lex;
    int maxlen = ws_lexicon_max_len(lex);
    a->cost[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (a->cost[i] >= INT32_MAX / 2)
            continue;
        relax(a, (int32_t)i, (int32_t)i + 1, single_cost(a, a->cps[i]));
        if (i == 0 && split_first)
            continue; /* a unit after a number: 1日 | 电, 1万 | 人 */
        for (int len = 2; len <= maxlen && i + (size_t)len <= n; len++) {
            int32_t lm;
            unsigned f = ws_lexicon_lookup_cost(lex, a->cps + i, len, &lm);
            if (!f)
                break; /* no word starts with this: prefixes are in the table */
            if (!(f & (WS_LEX_WORD | WS_LEX_UNIT | WS_LEX_STOP)))
                continue;
            int32_t c;
            if (!a->unseen)
                c = (f & WS_LEX_USER) ? COST_USER : COST_WORD;
            else if (f & WS_LEX_USER)
                c = lm && lm < LM_USER ? lm : LM_USER;
            else
                c = lm ? lm : a->unseen;
            if (!(f & WS_LEX_USER)) {
                if (numeral_classifier(a->cps + i, len))
                    continue;
                if (a->unseen && new_phrase(lex, a->cps + i, len, lm))
                    continue;
                if (!a->unseen && len > COST_LONG_FROM)
                    c += COST_LONG * (len - COST_LONG_FROM);
                else if (a->unseen && len > LM_LONG_FROM)
                    c += LM_LONG * (len - LM_LONG_FROM);
            }
            relax(a, (int32_t)i, (int32_t)i + len, c);
        }
        if (a->icu_end[i] > (int32_t)i + 1)
            relax(a, (int32_t)i, a->icu_end[i], a->unseen ? a->unseen + LM_ICU_EXTRA : COST_ICU);
        if (a->unseen && i + 3 <= n)
            relax_name(a, (int32_t)i);
        /* numerals: 二〇二四年, 三十一日, 第五十四 */
        size_t s = i + (a->cps[i] == 0x7B2C /* 第 */);
        size_t j = s;
        while (j < n && is_numeral(a->cps[j]))
            j++;
        if (j > s && j - i >= 2)
            relax(a, (int32_t)i, (int32_t)j, a->unseen ? LM_NUMERAL : COST_NUMERAL);
        /* 十二月, 一月, 三十一日, 二〇〇一年; but 一年 is a numeral and a classifier */
        if (j > s && s == i && j < n && is_date_unit(a->cps[j]) &&
            (j - s >= 2 || a->cps[j] == 0x6708 /* 月 */))
            relax(a, (int32_t)i, (int32_t)j + 1, a->unseen ? LM_NUMERAL : COST_NUMERAL);
    }
    /* Walk the path back, then add the words in order. */
    size_t nw = 0;
    for (int32_t j = (int32_t)n; j > 0; j = a->from[j])
        a->icu_end[nw++] = j;
    int32_t start = 0;
    for (size_t w = nw; w-- > 0;) {
        int32_t end = a->icu_end[w];
        if (a->name[end]) { /* the surname, then the given name */
            ws_status st = add_tok(a, a->cpu[start], a->cpu[start + 1], WS_TOKEN_HAN,
                                   ws_lexicon_lookup(lex, a->cps + start, 1, NULL));
            if (st != WS_OK)
                return st;
            start++;
        }
        unsigned f = ws_lexicon_lookup(lex, a->cps + start, end - start, NULL);
        ws_status st = add_tok(a, a->cpu[start], a->cpu[end], WS_TOKEN_HAN, f);
        if (st != WS_OK)
            return st;
        start = end;
    }
    return WS_OK;
}

/* ---- step 4 for the whole chunk ---- */

static int punct_run(uint32_t c)
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
    seg *segs = NULL;
    size_t nsegs = 0, capsegs = 0;
    for (int32_t e = ubrk_next(a->brk); e != UBRK_DONE; b = e, e = ubrk_next(a->brk)) {
        if (grow((void **)&segs, &capsegs, nsegs + 1, sizeof *segs) < 0) {
            free(segs);
            return WS_ENOMEM;
        }
        segs[nsegs++] = (seg){b, e, ubrk_getRuleStatus(a->brk)};
    }
    for (size_t i = 0; i < nsegs && st == WS_OK; i++) {
        seg s = segs[i];
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
            st = segment_run(a, segs + run, i + 1 - run, after_number);
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
                     a->u[a->toks[a->ntoks - 1].b] == (UChar)c && punct_run((uint32_t)c))
                a->toks[a->ntoks - 1].e = (uint32_t)k; /* —— and …… are one mark */
            else
                st = add_tok(a, (uint32_t)at, (uint32_t)k, WS_TOKEN_PUNCT, 0);
        }
    }
    free(segs);
    return st;
}

/* ---- step 5: compounds ---- */

static int unit_chain(const ws_analyzer *a, const tok *t)
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
static int years_only(const ws_analyzer *a, const tok *num, const tok *unit)
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

static int joiner(const ws_analyzer *a, const tok *t)
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
    tok *t = a->toks;
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
                      unsigned lexflags, unsigned parts, uint32_t pos, ws_token_cb cb, void *ctx)
{
    ws_token t;
    int32_t len = 0;
    UErrorCode err = U_ZERO_ERROR;
    char *buf = a->text;
    int32_t cap = (int32_t)sizeof a->text - 1;
    u_strToUTF8(buf, cap, &len, a->u + b, (int32_t)(e - b), &err);
    if (err == U_BUFFER_OVERFLOW_ERROR || len > cap) {
        if (kind != WS_TOKEN_HAN)
            return WS_OK; /* an absurdly long Latin token: not a word anyone searches */
        return WS_OK;
    }
    if (U_FAILURE(err))
        return WS_EICU;
    buf[len] = '\0';
    if (kind != WS_TOKEN_HAN && kind != WS_TOKEN_PUNCT && len > WS_TOKEN_MAX_BYTES)
        return WS_OK;
    t.text = buf;
    t.len = (size_t)len;
    t.start = base + a->src_b[b];
    t.end = base + a->src_e[e - 1];
    t.pos = pos;
    t.nchars = (uint32_t)u_countChar32(a->u + b, (int32_t)(e - b));
    t.kind = kind;
    t.lexflags = lexflags;
    t.parts = parts;
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

static ws_status emit_chunk(ws_analyzer *a, size_t base, size_t m, uint32_t *pos, ws_token_cb cb,
                            void *ctx)
{
    ws_status st = WS_OK;
    uint32_t prev_e = 0;
    for (size_t i = 0; i < a->ntoks && st == WS_OK; i++) {
        tok *t = &a->toks[i];
        /* A paragraph break takes a position, so that no character pair or
         * phrase spans it (园区用 / blank line / 地面积 is not 用地). */
        if (i > 0 && has_break(a, prev_e, t->b))
            *pos += 1;
        prev_e = t->e;
        if (t->parts)
            st = emit(a, base, t->b, a->toks[i + t->parts - 1].e, WS_TOKEN_COMPOUND, 0, t->parts,
                      *pos, cb, ctx);
        if (st != WS_OK)
            break;
        st = emit(a, base, t->b, t->e, (ws_token_kind)t->kind, t->lexflags, 0, *pos, cb, ctx);
        if (t->kind == WS_TOKEN_HAN)
            *pos += (uint32_t)u_countChar32(a->u + t->b, (int32_t)(t->e - t->b));
        else
            *pos += 1;
    }
    /* and one ending the chunk, before the next chunk's first token */
    if (st == WS_OK && a->ntoks && has_break(a, prev_e, (uint32_t)m))
        *pos += 1;
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
    for (size_t base = 0; base < len && st == WS_OK;) {
        size_t n = chunk_end(text + base, len - base);
        size_t m = 0;
        st = fill(a, text + base, n, flags, &m);
        if (st == WS_OK)
            st = tokenize(a, m);
        if (st == WS_OK) {
            find_compounds(a);
            st = emit_chunk(a, base, m, pos, cb, ctx);
        }
        base += n;
    }
    return st;
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
