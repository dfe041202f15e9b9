/* segment.c - step 4 of the pipeline (analyzer.h): a CJK run segmented over
 * the lexicon by the cheapest path through every lexicon word, ICU's own
 * words, numerals and names (the most probable path of a unigram model when
 * the lexicon has word counts). */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf16.h>
#include "array.h"
#include "segment.h"
#include "normalize.h"

/* Classes of the characters the segmenter treats apart, in a table built
 * once from the lists below (a lookup, not a search, per character). */
enum {
    CL_NUMERAL = 1,    /* part of a numeral: 二〇二四, 三十一, 五十四 */
    CL_UNIT = 2,       /* a unit a number before it joins: 1日, 1万, 25元 */
    CL_COUNT = 4,      /* a numeral before a classifier: 一年, 两个 */
    CL_CLASSIFIER = 8, /* a classifier */
};

static uint8_t classes[0x10000];
static pthread_once_t classes_once = PTHREAD_ONCE_INIT;

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

static int32_t single_cost_of(const ws__segmenter *sg, uint32_t c)
{
    const ws_lexicon *lex = sg->lex;
    if (sg->unseen) {
        int32_t cost;
        ws_lexicon_lookup_cost(lex, &c, 1, &cost);
        return cost ? cost : sg->unseen;
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

/* single_cost_of, remembered per segmenter for the BMP. */
static int32_t single_cost(ws__segmenter *sg, uint32_t c)
{
    if (c >= 0x10000 || !sg->single)
        return single_cost_of(sg, c);
    if (!sg->single[c])
        sg->single[c] = (int16_t)single_cost_of(sg, c);
    return sg->single[c];
}

static void relax(ws__segmenter *sg, int32_t i, int32_t j, int32_t c)
{
    if (sg->cost[i] + c < sg->cost[j]) {
        sg->cost[j] = sg->cost[i] + c;
        sg->from[j] = i;
        sg->name[j] = 0;
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

static void relax_name(ws__segmenter *sg, int32_t i)
{
    const uint32_t *c = sg->cps + i;
    int32_t cost;
    unsigned f0 = ws_lexicon_lookup(sg->lex, c, 1, NULL);
    if (!(f0 & WS_LEX_SURNAME))
        return;
    if (!(ws_lexicon_lookup(sg->lex, c + 1, 1, NULL) & WS_LEX_GIVEN1) ||
        !(ws_lexicon_lookup(sg->lex, c + 2, 1, NULL) & WS_LEX_GIVEN2))
        return;
    /* No name where a word the corpus has seen ends at its surname (铁路丽香),
     * begins there (南方山) or makes its given name (化水平). */
    if (i > 0 && (ws_lexicon_lookup_cost(sg->lex, c - 1, 2, &cost) & WS_LEX_WORD) && cost)
        return;
    if ((ws_lexicon_lookup_cost(sg->lex, c, 2, &cost) & WS_LEX_WORD) && cost)
        return;
    if ((ws_lexicon_lookup_cost(sg->lex, c + 1, 2, &cost) & WS_LEX_WORD) && cost)
        return;
    if (sg->cost[i] + LM_NAME < sg->cost[i + 3]) {
        sg->cost[i + 3] = sg->cost[i] + LM_NAME;
        sg->from[i + 3] = i;
        sg->name[i + 3] = 1;
    }
}

void ws__segmenter_init(ws__segmenter *sg, const ws_lexicon *lex)
{
    memset(sg, 0, sizeof *sg);
    sg->lex = lex;
    sg->unseen = unseen_cost(lex);
    pthread_once(&classes_once, build_classes);
    sg->single = calloc(0x10000, sizeof *sg->single); /* optional: NULL computes each time */
}

void ws__segmenter_free(ws__segmenter *sg)
{
    free(sg->single);
    free(sg->cps);
    free(sg->cpu);
    free(sg->cost);
    free(sg->from);
    free(sg->icu_end);
    free(sg->name);
}

/* Makes the work arrays (cps ... name) hold need entries. */
static ws_status reserve(ws__segmenter *sg, size_t need)
{
    void **const arrs[] = {(void **)&sg->cps,  (void **)&sg->cpu,     (void **)&sg->cost,
                           (void **)&sg->from, (void **)&sg->icu_end, (void **)&sg->name};
    const size_t sizes[] = {sizeof *sg->cps,  sizeof *sg->cpu,     sizeof *sg->cost,
                            sizeof *sg->from, sizeof *sg->icu_end, sizeof *sg->name};
    return ws_array_reserve(arrs, sizes, 6, &sg->cpcap, need, 256);
}

ws_status ws__segment_run(ws__segmenter *sg, const UChar *u, const ws__seg *segs, size_t nsegs,
                          int after_number, ws__segment_word word, void *ctx)
{
    uint32_t b = (uint32_t)segs[0].b, e = (uint32_t)segs[nsegs - 1].e;
    size_t n = 0;
    if (reserve(sg, (size_t)(e - b) + 2) != WS_OK)
        return WS_ENOMEM;
    for (size_t i = 0; i <= (size_t)(e - b) + 1; i++)
        sg->icu_end[i] = 0;
    size_t s = 0;
    for (uint32_t k = b; k < e;) {
        UChar32 c;
        while (s < nsegs && (uint32_t)segs[s].b < k)
            s++;
        if (s < nsegs && (uint32_t)segs[s].b == k)
            sg->icu_end[n] = -(int32_t)s - 1; /* resolved to a code point index below */
        sg->cpu[n] = k;
        U16_NEXT(u, k, e, c);
        sg->cps[n++] = (uint32_t)c;
    }
    sg->cpu[n] = e;
    int split_first = after_number && n > 1 && is_unit_char(sg->cps[0]);
    for (size_t i = 0, j = 0; i < n; i++) {
        if (sg->icu_end[i] >= 0)
            continue;
        uint32_t end = (uint32_t)segs[-sg->icu_end[i] - 1].e;
        if (j < i)
            j = i;
        while (j < n && sg->cpu[j] < end)
            j++;
        sg->icu_end[i] = (int32_t)j;
    }
    for (size_t i = 0; i <= n; i++) {
        sg->cost[i] = INT32_MAX / 2;
        sg->from[i] = -1;
        sg->name[i] = 0;
    }
    const ws_lexicon *lex = sg->lex;
    int maxlen = ws_lexicon_max_len(lex);
    sg->cost[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (sg->cost[i] >= INT32_MAX / 2)
            continue;
        relax(sg, (int32_t)i, (int32_t)i + 1, single_cost(sg, sg->cps[i]));
        if (i == 0 && split_first)
            continue; /* a unit after a number: 1日 | 电, 1万 | 人 */
        for (int len = 2; len <= maxlen && i + (size_t)len <= n; len++) {
            int32_t lm;
            unsigned f = ws_lexicon_lookup_cost(lex, sg->cps + i, len, &lm);
            if (!f)
                break; /* no word starts with this: prefixes are in the table */
            if (!(f & (WS_LEX_WORD | WS_LEX_UNIT | WS_LEX_STOP)))
                continue;
            int32_t c;
            if (!sg->unseen)
                c = (f & WS_LEX_USER) ? COST_USER : COST_WORD;
            else if (f & WS_LEX_USER)
                c = lm && lm < LM_USER ? lm : LM_USER;
            else
                c = lm ? lm : sg->unseen;
            if (!(f & WS_LEX_USER)) {
                if (numeral_classifier(sg->cps + i, len))
                    continue;
                if (sg->unseen && new_phrase(lex, sg->cps + i, len, lm))
                    continue;
                if (!sg->unseen && len > COST_LONG_FROM)
                    c += COST_LONG * (len - COST_LONG_FROM);
                else if (sg->unseen && len > LM_LONG_FROM)
                    c += LM_LONG * (len - LM_LONG_FROM);
            }
            relax(sg, (int32_t)i, (int32_t)i + len, c);
        }
        if (sg->icu_end[i] > (int32_t)i + 1)
            relax(sg, (int32_t)i, sg->icu_end[i],
                  sg->unseen ? sg->unseen + LM_ICU_EXTRA : COST_ICU);
        if (sg->unseen && i + 3 <= n)
            relax_name(sg, (int32_t)i);
        /* numerals: 二〇二四年, 三十一日, 第五十四 */
        size_t s = i + (sg->cps[i] == 0x7B2C /* 第 */);
        size_t j = s;
        while (j < n && is_numeral(sg->cps[j]))
            j++;
        if (j > s && j - i >= 2)
            relax(sg, (int32_t)i, (int32_t)j, sg->unseen ? LM_NUMERAL : COST_NUMERAL);
        /* 十二月, 一月, 三十一日, 二〇〇一年; but 一年 is a numeral and a classifier */
        if (j > s && s == i && j < n && is_date_unit(sg->cps[j]) &&
            (j - s >= 2 || sg->cps[j] == 0x6708 /* 月 */))
            relax(sg, (int32_t)i, (int32_t)j + 1, sg->unseen ? LM_NUMERAL : COST_NUMERAL);
    }
    /* Walk the path back, then add the words in order. */
    size_t nw = 0;
    for (int32_t j = (int32_t)n; j > 0; j = sg->from[j])
        sg->icu_end[nw++] = j;
    int32_t start = 0;
    for (size_t w = nw; w-- > 0;) {
        int32_t end = sg->icu_end[w];
        if (sg->name[end]) { /* the surname, then the given name */
            ws_status st = word(ctx, sg->cpu[start], sg->cpu[start + 1],
                                ws_lexicon_lookup(lex, sg->cps + start, 1, NULL));
            if (st != WS_OK)
                return st;
            start++;
        }
        unsigned f = ws_lexicon_lookup(lex, sg->cps + start, end - start, NULL);
        ws_status st = word(ctx, sg->cpu[start], sg->cpu[end], f);
        if (st != WS_OK)
            return st;
        start = end;
    }
    return WS_OK;
}
