/* new_words.c - words the lexicon lacks, discovered in text without supervision.
 *
 * Policy language coins words (链主, 专精特新, 碳达峰, 新质生产力) faster than
 * any dictionary lists them, and the segmenter breaks a word it does not know
 * into single characters. This tool finds them in a collection the way the
 * word counts are found (tools/word_counts.c): from the text alone, with no
 * segmentation gold and no list of words.
 *
 *   new_words [-m MIN_COUNT] [-M MIN_LONG] [-l MAX_LEN] [-p MIN_PMI]
 *             [-e MIN_ENTROPY] [-b BOUND] [-s MIN_SHARE] [-o FILE] FILE...
 *
 * 1. Statistics. Every string of 2 to MAX_LEN (default 7) Chinese characters
 *    seen MIN_COUNT times or more (default 5) is counted, level by level (a
 *    string is counted only where both its shorter parts are frequent, which
 *    loses no frequent string), with the characters before and after each
 *    occurrence (punctuation and the ends of a line count as a new neighbour
 *    each time, a boundary; digits and Chinese numerals count as one
 *    neighbour, a number). The analyzer segments the text once without new
 *    words, to learn how often it leaves each character alone.
 * 2. Candidates. A string is a candidate when its characters hold together,
 *    its pointwise mutual information at its weakest split being MIN_PMI nats
 *    or more (default 0.5: more often together than by chance; 链主 is 0.6,
 *    made of two common characters, 碳达峰 8.9), and when it combines freely
 *    at both ends, the entropy of the characters before it and of those after
 *    it being MIN_ENTROPY nats or more each (default 1): a piece of a longer
 *    word (专精特 of 专精特新) has few neighbours. And it must be a string the
 *    segmenter breaks: one it makes into words of two characters or more
 *    (现役 军官; the national standard makes them two words, and a coinage may
 *    be) is none, nor one it cuts into two such words and single characters
 *    (风景 名胜 区: a compound), nor a word of the lexicon, nor one that ends
 *    in a particle (的, 了, 着), begins with 的 or holds one the segmenter
 *    leaves alone, which the standard makes words of their own. A stop word
 *    of the lexicon at an edge makes a phrase (比 上年, 得 益于) unless the
 *    rest is bound to it, seldom seen without it and not free on that side
 *    (小巨人: 巨人 always follows 小). Two characters need one that the
 *    segmenter leaves alone in fewer than BOUND (default 0.1) of its
 *    occurrences: two that are words by themselves make a phrase (都 要, 更
 *    大), a bound one makes a coinage (链主: 主 is alone in 1% of its
 *    occurrences). A longer string cut into words and single characters (服
 *    现役, 担任 军 级), more often a phrase of the standard than one cut into
 *    single characters only (碳 达 峰, 智 改 数 转), must be seen MIN_LONG
 *    times (default 50); one seen less waits (see 3). A string set off
 *    whole in quotation marks MIN_COUNT times or more (“最多跑一次”,
 *    “多规合一”) is a unit to its writers: it
 *    needs neither the cohesion nor MIN_LONG, and is no compound of other
 *    candidates (“跨省通办”: 跨省 and 通办).
 * 3. Confirmation. The candidates join the lexicon with their counts (which
 *    prices each 3 nats above its count, lexicon.h), and the analyzer
 *    segments the text again, its granularity rules included; a candidate
 *    stays when the segmenter takes it as a word in at least MIN_SHARE
 *    (default 0.5) of the places it occurs, not counting those where it is
 *    the stem of a longer new word it took (数智 of 数智化), and MIN_COUNT
 *    times or more. Pass after pass (Viterbi EM), each with the counts the
 *    pass before took: two passes with the lexicon's own counts, then the
 *    lexicon's words are counted again too, so that a word whose occurrences
 *    the new words took loses the weight it had there (长制: 256 times in
 *    河 长制, 湖 长制, 林 长制 ... before those were words, 39 after). The
 *    model has then changed, so the candidates dropped so far are judged
 *    again, at what they took, beside the waiting strings whose cut holds
 *    only such words, each crossing a candidate inside the string (链 长制 of
 *    链长制: 长制 lost most of its share, and crosses 链长); such a cut says
 *    nothing of a phrase. Passes go on until one drops nothing (at most six).
 *
 * The thresholds were set by the principles above and checked on PKU's test
 * F and OOV recall (tools/README.md, New words), as the segmenter's constants
 * were; no gold segmentation and no list of words went into the words.
 *
 * Output: "word TAB count" lines, most frequent first, as the lexicon's new
 * words file (ws_lexicon_load_new_words) reads them; a count is how often the
 * segmenter took the word, scaled to the token total of the word counts it
 * re-estimated, so that a small collection's words weigh as much as they
 * should. Each FILE is JSON lines as tools/import_*.py write them (title and
 * body; articles beside their whole law are skipped) or plain text. It
 * starts from the built-in word counts or $WENSUO_WORD_COUNTS, which should
 * be tools/word_counts' without new words; $WENSUO_USER_DICT and the
 * built-in new words are not used. The lexicon's counts to use with the new
 * words are then made again with them: tools/word_counts -n. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "analyzer.h"
#include "collection.h"
#include "lexicon.h"
#include "normalize.h"
#include "tally_file.h"

#define MAX_LEN 12
#define NONE    UINT32_MAX
#define SEP     0u /* between texts and lines */
#define DIGIT   1u /* any digit: one neighbour, as 余名 of 100余名 is bound to a number */

static void die(const char *what)
{
    fprintf(stderr, "new_words: %s\n", what);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* ---- the text: normalized code points, SEP between texts and lines ---- */

typedef struct text {
    uint32_t *t;
    size_t n, cap;
    /* the raw texts, for the confirmation passes */
    char *raw;
    size_t rlen, rcap;
    size_t *roff;
    size_t nraw, rocap;
} text;

static void push(text *x, uint32_t c)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 1 << 20;
        x->t = xrealloc(x->t, x->cap * sizeof *x->t);
    }
    x->t[x->n++] = c;
}

/* Where the texts read go: the text, normalized by the analyzer. */
typedef struct reading {
    text *x;
    ws_analyzer *a;
} reading;

static void add_text(void *ctx, const char *s, size_t len)
{
    text *x = ((reading *)ctx)->x;
    ws_analyzer *a = ((reading *)ctx)->a;
    if (len == 0)
        return;
    if (x->rlen + len + 1 > x->rcap) {
        x->rcap = (x->rlen + len + 1) * 2;
        x->raw = xrealloc(x->raw, x->rcap);
    }
    if (x->nraw + 2 > x->rocap) {
        x->rocap = x->rocap ? x->rocap * 2 : 4096;
        x->roff = xrealloc(x->roff, x->rocap * sizeof *x->roff);
    }
    if (x->nraw == 0)
        x->roff[x->nraw++] = 0;
    memcpy(x->raw + x->rlen, s, len);
    x->rlen += len;
    x->roff[x->nraw++] = x->rlen;

    char *norm;
    size_t nlen, *map;
    if (ws_analyzer_normalize(a, s, len, WS_ANALYZE_JOIN_LINES, &norm, &nlen, &map) != WS_OK)
        die("cannot normalize the text");
    for (size_t i = 0; i < nlen;) {
        uint32_t c;
        i += (size_t)ws_utf8_decode((const unsigned char *)norm + i, nlen - i, &c);
        if (c == '\n' || c == ' ' || c == '\t' || c == '\r' || c == 0x3000)
            c = SEP;
        else if (c >= '0' && c <= '9')
            c = DIGIT;
        if (c != SEP || (x->n && x->t[x->n - 1] != SEP))
            push(x, c);
    }
    if (x->n && x->t[x->n - 1] != SEP)
        push(x, SEP);
    free(norm);
    free(map);
}

/* ---- the strings of one length: a table of counts ---- */

typedef struct gram {
    uint32_t pos;    /* an occurrence in the text: the key is t[pos, pos + len) */
    uint32_t count;  /* occurrences */
    double hl, hr;   /* sum of c ln c over left / right neighbours, then entropies */
    uint32_t nl, nr; /* occurrences after / before a Chinese numeral: one neighbour */
    uint32_t quoted; /* occurrences in quotation marks, whole: “小巨人” */
} gram;

typedef struct level {
    int len;
    gram *g;
    size_t n, cap;
    uint32_t *slot; /* index + 1 into g; 0 empty */
    size_t nslots;
} level;

static uint32_t hash_cps(const uint32_t *c, int n)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++) {
        h ^= c[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t *find_slot(const level *L, const uint32_t *t, const uint32_t *key, uint32_t h)
{
    size_t mask = L->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t s = L->slot[i];
        if (!s || !memcmp(t + L->g[s - 1].pos, key, (size_t)L->len * sizeof *key))
            return &L->slot[i];
    }
}

static void level_init(level *L, int len)
{
    memset(L, 0, sizeof *L);
    L->len = len;
    L->nslots = 1 << 20;
    L->slot = calloc(L->nslots, sizeof *L->slot);
    if (!L->slot)
        die("out of memory");
}

static void level_grow(level *L, const uint32_t *t)
{
    free(L->slot);
    L->nslots *= 2;
    L->slot = calloc(L->nslots, sizeof *L->slot);
    if (!L->slot)
        die("out of memory");
    for (size_t i = 0; i < L->n; i++)
        *find_slot(L, t, t + L->g[i].pos, hash_cps(t + L->g[i].pos, L->len)) = (uint32_t)i + 1;
}

/* Counts the string at pos; returns its index. */
static uint32_t level_count(level *L, const uint32_t *t, uint32_t pos)
{
    uint32_t *s = find_slot(L, t, t + pos, hash_cps(t + pos, L->len));
    if (*s) {
        L->g[*s - 1].count++;
        return *s - 1;
    }
    if (L->n == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 1 << 16;
        L->g = xrealloc(L->g, L->cap * sizeof *L->g);
    }
    L->g[L->n] = (gram){pos, 1, 0, 0, 0, 0, 0};
    *s = (uint32_t)++L->n;
    if (L->n * 2 > L->nslots)
        level_grow(L, t);
    return (uint32_t)L->n - 1;
}

static const gram *level_find(const level *L, const uint32_t *t, const uint32_t *key)
{
    uint32_t s = *find_slot(L, t, key, hash_cps(key, L->len));
    return s ? &L->g[s - 1] : NULL;
}

/* A Chinese numeral, or a word that counts like one before a classifier
 * (几, 多): as a neighbour, all of them are one, a number, as digits are. */
static int is_numeral(uint32_t c)
{
    static const uint32_t numerals[] = {0x3007, 0x96F6, 0x4E00, 0x4E8C, 0x4E24, 0x4E09, 0x56DB,
                                        0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E,
                                        0x5343, 0x4E07, 0x4EBF, 0x51E0, 0x591A};
    for (size_t i = 0; i < sizeof numerals / sizeof *numerals; i++)
        if (c == numerals[i])
            return 1;
    return 0;
}

static int all_han(const uint32_t *c, int n)
{
    for (int i = 0; i < n; i++)
        if (!ws_char_is_han(c[i]))
            return 0;
    return 1;
}

/* Level k from the frequent strings of level k - 1 (fr: for each position,
 * the index of the frequent string of length k - 1 that starts there, or
 * NONE): counts the strings whose two parts of length k - 1 are frequent.
 * Then gives level k - 1 its neighbour sums and makes fr the index of level
 * k's frequent strings. */
static void count_level(const uint32_t *t, size_t n, level *prev, level *L, uint32_t *fr,
                        uint32_t min)
{
    int k = L->len;
    for (size_t i = 0; i + (size_t)k <= n; i++) {
        uint32_t a = fr[i], b = fr[i + 1];
        int ok = (a != NONE && b != NONE) || (a != NONE && t[i + k - 1] == DIGIT) ||
                 (b != NONE && t[i] == DIGIT);
        fr[i] = ok ? level_count(L, t, (uint32_t)i) : NONE;
    }
    for (size_t i = n + 1 - (size_t)k; i < n; i++)
        fr[i] = NONE;
    /* The neighbours: x = p + c extends p to the right, x = c + s extends s
     * to the left. An extension not counted here holds a part seen fewer than
     * min times, so it is seen fewer than min times itself: taken as seen
     * once, which adds nothing to the sum of c ln c. So is a neighbour that
     * is no Chinese character: punctuation or the end of a line is a word
     * boundary, and a coinage is often quoted (“小巨人”), which shows it free
     * at both ends, not bound to the quotation marks. Digits are one
     * neighbour, counted: a string that always follows a number (余名 of
     * 100余名) is bound to it. So are Chinese numerals (is_numeral), for the
     * same reason: 件大事 follows 一, 两, 几 and 多, a number each time, and
     * is a classifier and a word (一 件 大事), not a new word. */
    if (prev) {
        for (size_t j = 0; j < L->n; j++) {
            const gram *x = &L->g[j];
            double c = x->count, cl = c * log(c);
            const gram *p = level_find(prev, t, t + x->pos);
            const gram *s = level_find(prev, t, t + x->pos + 1);
            if (p && p->count >= min && all_han(t + p->pos, prev->len)) {
                if (is_numeral(t[x->pos + k - 1]))
                    prev->g[p - prev->g].nr += x->count;
                else
                    prev->g[p - prev->g].hr += cl;
            }
            if (s && s->count >= min && all_han(t + s->pos, prev->len)) {
                if (is_numeral(t[x->pos]))
                    prev->g[s - prev->g].nl += x->count;
                else
                    prev->g[s - prev->g].hl += cl;
            }
        }
        for (size_t j = 0; j < prev->n; j++) {
            gram *g = &prev->g[j];
            double c = g->count;
            if (g->nr)
                g->hr += g->nr * log(g->nr);
            if (g->nl)
                g->hl += g->nl * log(g->nl);
            g->hr = log(c) - g->hr / c;
            g->hl = log(c) - g->hl / c;
        }
    }
    for (size_t i = 0; i + (size_t)k <= n; i++)
        if (fr[i] != NONE && (L->g[fr[i]].count < min || !all_han(t + i, k)))
            fr[i] = NONE;
}

/* ---- candidates ---- */

typedef struct cand {
    char word[MAX_LEN * 4 + 1];
    int len; /* characters */
    uint32_t count;
    int unit; /* quoted whole MIN_COUNT times or more */
    double pmi, hl, hr;
    uint64_t taken;  /* times the segmenter took it, in the last pass */
    uint64_t inside; /* times it was inside a longer word the segmenter took */
} cand;

typedef struct cands {
    cand *c;
    size_t n, cap;
} cands;

static void to_utf8(const uint32_t *c, int n, char *out)
{
    size_t m = 0;
    for (int i = 0; i < n; i++)
        m += (size_t)ws_utf8_encode(c[i], out + m);
    out[m] = '\0';
}

/* The weakest split's pointwise mutual information, in nats. */
static double cohesion(const uint32_t *t, level *levels, const gram *g, int k, double total)
{
    double worst = INFINITY;
    for (int j = 1; j < k; j++) {
        const gram *a = level_find(&levels[j], t, t + g->pos);
        const gram *b = level_find(&levels[k - j], t, t + g->pos + j);
        if (!a || !b)
            return -INFINITY;
        double pmi = log((double)g->count * total / ((double)a->count * (double)b->count));
        if (pmi < worst)
            worst = pmi;
    }
    return worst;
}

/* Prints the figures of the strings listed in path (one a line), to study
 * the tool's choices; the output does not depend on it. */
static void trace(const char *path, const uint32_t *t, level *levels, int maxlen, double total)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    char line[256];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        uint32_t c[MAX_LEN + 1];
        int k = 0;
        for (size_t i = 0; line[i] && k <= MAX_LEN;)
            i += (size_t)ws_utf8_decode((const unsigned char *)line + i, strlen(line + i), &c[k++]);
        const gram *g = k >= 1 && k <= maxlen ? level_find(&levels[k], t, c) : NULL;
        if (!g) {
            fprintf(stderr, "trace %s: not counted\n", line);
            continue;
        }
        fprintf(stderr, "trace %s: count %u pmi %.2f hl %.2f hr %.2f\n", line, g->count,
                k > 1 ? cohesion(t, levels, g, k, total) : 0.0, g->hl, g->hr);
    }
    fclose(f);
}

/* How the segmenter without new words cuts a string: its words, and how many
 * of them are single characters. */
typedef struct shape {
    int words, singles;
    int particles; /* single characters 的, 了, 着 */
} shape;

static ws_status on_piece(void *ctx, const ws_token *t)
{
    shape *sh = ctx;
    if (t->kind == WS_TOKEN_HAN) {
        sh->words++;
        sh->singles += t->nchars == 1;
        uint32_t c = 0;
        if (t->nchars == 1)
            ws_utf8_decode((const unsigned char *)t->text, t->len, &c);
        sh->particles += c == 0x7684 || c == 0x4E86 || c == 0x7740; /* 的, 了, 着 */
    }
    return WS_OK;
}

static shape shape_of(ws_analyzer *an, const uint32_t *c, int k)
{
    char w[MAX_LEN * 4 + 1];
    to_utf8(c, k, w);
    shape sh = {0, 0, 0};
    uint32_t pos = 0;
    if (ws_analyzer_run(an, w, strlen(w), 0, &pos, on_piece, &sh) != WS_OK)
        die("cannot analyze a candidate");
    return sh;
}

/* ---- how free each character is ---- */

#define NCP 0x110000

static ws_status on_alone(void *ctx, const ws_token *t)
{
    uint32_t *alone = ctx, c;
    if (t->kind == WS_TOKEN_HAN && t->nchars == 1) {
        ws_utf8_decode((const unsigned char *)t->text, t->len, &c);
        if (c < NCP)
            alone[c]++;
    }
    return WS_OK;
}

/* For each code point, how often the segmenter without new words leaves it
 * alone in the texts. */
static uint32_t *count_alone(const text *x, ws_analyzer *an)
{
    uint32_t *alone = calloc(NCP, sizeof *alone);
    if (!alone)
        die("out of memory");
    for (size_t i = 0; i + 1 < x->nraw; i++) {
        uint32_t pos = 0;
        if (ws_analyzer_run(an, x->raw + x->roff[i], x->roff[i + 1] - x->roff[i],
                            WS_ANALYZE_JOIN_LINES, &pos, on_alone, alone) != WS_OK)
            die("cannot analyze the text");
    }
    return alone;
}

/* The share of a character's occurrences that the segmenter leaves alone: a
 * word by itself (的 1.00, 和 0.92, 都 0.44) or a part of words (主 0.01,
 * 力 0.03). */
static double free_rate(const uint32_t *t, level *levels, const uint32_t *alone, uint32_t c)
{
    const gram *g = level_find(&levels[1], t, &c);
    return g && c < NCP ? (double)alone[c] / g->count : 1.0;
}

/* The structural particle 的 and the aspect particles 了 and 着 are words of
 * their own in the national standard, as the lexicon has them (lexicon.c):
 * no new word ends in one, or begins with 的. */
static int particle_edge(const uint32_t *c, int k)
{
    uint32_t last = c[k - 1];
    return c[0] == 0x7684 || last == 0x7684 || last == 0x4E86 || last == 0x7740;
}

/* A stop word of the lexicon at an edge (他 说, 官兵 们, 是 一种, 比 上年) is
 * a word of its own there, unless the rest of the string is bound to it: the
 * rest seldom occurs without it, and the characters on the stop word's side
 * of the rest are not free (entropy under min_h, the test a word's own ends
 * pass). 巨人 is in 小巨人 in every occurrence (entropy 0), 碳中 in 碳中和;
 * 上年 is in 比上年 in six occurrences of ten, but the other four follow
 * many characters (较, 同, 与 ...; entropy 1.9): 比 上年 is a phrase. */
static int stop_edge(const uint32_t *t, level *levels, const ws_lexicon *lex, const gram *g, int k,
                     double min_h)
{
    const uint32_t *c = t + g->pos;
    for (int side = 0; side < 2; side++) {
        const uint32_t *edge = side ? c + k - 1 : c;
        if (!(ws_lexicon_lookup(lex, edge, 1, NULL) & WS_LEX_STOP))
            continue;
        const gram *rest = level_find(&levels[k - 1], t, side ? c : c + 1);
        if (!rest || 2.0 * g->count < rest->count)
            return 1;
        if (k > 2 && (side ? rest->hr : rest->hl) >= min_h)
            return 1;
    }
    return 0;
}

typedef struct rules {
    uint32_t min, min_long;
    double min_pmi, min_h, bound;
} rules;

static void find_candidates(const uint32_t *t, level *levels, int maxlen, double total,
                            const rules *r, const uint32_t *alone, ws_analyzer *an, cands *out,
                            cands *pending)
{
    const ws_lexicon *lex = ws_analyzer_lexicon(an);
    for (int k = 2; k <= maxlen; k++) {
        level *L = &levels[k];
        for (size_t j = 0; j < L->n; j++) {
            const gram *g = &L->g[j];
            const uint32_t *c = t + g->pos;
            if (g->count < r->min || !all_han(c, k))
                continue;
            if (g->hl < r->min_h || g->hr < r->min_h)
                continue;
            if (ws_lexicon_lookup(lex, c, k, NULL) & (WS_LEX_WORD | WS_LEX_STOP | WS_LEX_UNIT))
                continue;
            if (particle_edge(c, k))
                continue;
            if (stop_edge(t, levels, lex, g, k, r->min_h))
                continue;
            /* Set off in quotation marks as often as a word must be seen, it
             * is a unit to the writers (“六稳”, “跨省通办”): it need not be
             * more cohesive than chance, nor seen more often. */
            int unit = g->quoted >= r->min;
            double pmi = cohesion(t, levels, g, k, total);
            if (pmi < r->min_pmi && !unit)
                continue;
            shape sh = shape_of(an, c, k);
            if (sh.singles == 0)
                continue;
            /* Made of two words or more (风景 名胜 区, 作出 更 大 贡献), it is
             * a compound, which the standard leaves in its words as the
             * lexicon's compounds are (数字 经济); with a particle inside
             * (在 希望 的 田野 上), a phrase. */
            if (sh.words - sh.singles >= 2 || sh.particles)
                continue;
            /* Two characters that are words by themselves make a phrase
             * (都 要, 更 大), not a coinage: one of them must be bound. */
            if (k == 2 && !unit && free_rate(t, levels, alone, c[0]) >= r->bound &&
                free_rate(t, levels, alone, c[1]) >= r->bound)
                continue;
            /* A longer string that the segmenter cuts into words and single
             * characters (服 现役, 担任 军 级) is more often a phrase of the
             * standard than one it cuts into characters only (碳 达 峰, 智 改
             * 数 转): it needs more evidence, unless the words of the cut
             * turn out to be pieces of new words (pending, below). */
            cands *to = out;
            if (k > 2 && sh.singles < sh.words && g->count < r->min_long && !unit)
                to = pending;
            if (to->n == to->cap) {
                to->cap = to->cap ? to->cap * 2 : 4096;
                to->c = xrealloc(to->c, to->cap * sizeof *to->c);
            }
            cand *x = &to->c[to->n++];
            to_utf8(c, k, x->word);
            x->len = k;
            x->count = g->count;
            x->unit = unit;
            x->pmi = pmi;
            x->hl = g->hl;
            x->hr = g->hr;
            x->taken = 0;
            x->inside = 0;
        }
    }
}

/* ---- compounds of candidates ---- */

static int is_candidate(const cands *c, uint32_t *slot, size_t nslots, const char *w, size_t n);

/* Drops the candidates made of two others, or of another and a word of the
 * lexicon (碳达峰碳中和 of 碳达峰 and 碳中和): a coinage made of two words
 * may stay two words, and the unigram model would otherwise take the
 * compound where the corpus has it often (its parts then losing their own
 * occurrences). */
/* A table of the candidates of c by their bytes, for is_candidate: index + 1
 * into c, 0 empty; *nslots entries. The caller frees it. */
static uint32_t *candidate_slots(const cands *c, size_t *nslots)
{
    *nslots = 1;
    while (*nslots < c->n * 2 + 2)
        *nslots *= 2;
    uint32_t *slot = calloc(*nslots, sizeof *slot);
    if (!slot)
        die("out of memory");
    for (size_t i = 0; i < c->n; i++) {
        const char *w = c->c[i].word;
        size_t n = strlen(w), mask = *nslots - 1;
        uint32_t h = 2166136261u;
        for (size_t j = 0; j < n; j++)
            h = (h ^ (unsigned char)w[j]) * 16777619u;
        for (size_t j = h & mask;; j = (j + 1) & mask)
            if (!slot[j]) {
                slot[j] = (uint32_t)i + 1;
                break;
            }
    }
    return slot;
}

static void drop_compounds(cands *c, const ws_lexicon *lex)
{
    size_t nslots;
    uint32_t *slot = candidate_slots(c, &nslots);
    size_t kept = 0;
    for (size_t i = 0; i < c->n; i++) {
        const char *w = c->c[i].word;
        size_t n = strlen(w);
        int compound = 0;
        /* splits at character boundaries, each part two characters or more */
        uint32_t cp[MAX_LEN];
        size_t off[MAX_LEN + 1];
        int k = 0;
        for (size_t j = 0; j < n && k < MAX_LEN;) {
            off[k] = j;
            j += (size_t)ws_utf8_decode((const unsigned char *)w + j, n - j, &cp[k++]);
        }
        off[k] = n;
        for (int m = 2; m + 2 <= k && !compound; m++) {
            int lc = is_candidate(c, slot, nslots, w, off[m]);
            int rc = is_candidate(c, slot, nslots, w + off[m], n - off[m]);
            int lw = (ws_lexicon_lookup(lex, cp, m, NULL) & WS_LEX_WORD) != 0;
            int rw = (ws_lexicon_lookup(lex, cp + m, k - m, NULL) & WS_LEX_WORD) != 0;
            compound = (lc || rc) && (lc || lw) && (rc || rw);
        }
        /* a unit to its writers stays one (“跨省通办”: 跨省 通办) */
        if (!compound || c->c[i].unit)
            c->c[kept++] = c->c[i];
    }
    fprintf(stderr, "compounds of candidates dropped: %zu\n", c->n - kept);
    c->n = kept;
    free(slot);
}

static int is_candidate(const cands *c, uint32_t *slot, size_t nslots, const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t j = 0; j < n; j++)
        h = (h ^ (unsigned char)w[j]) * 16777619u;
    size_t mask = nslots - 1;
    for (size_t j = h & mask; slot[j]; j = (j + 1) & mask) {
        const char *k = c->c[slot[j] - 1].word;
        if (strlen(k) == n && !memcmp(k, w, n))
            return 1;
    }
    return 0;
}

/* ---- confirmation: does the segmenter take them? ---- */

typedef struct taking {
    cands *c;
    uint32_t *slot; /* index + 1 into c, by the word's bytes */
    size_t nslots;
    uint64_t tokens;
    ws_tally *old; /* the lexicon's words and the single characters taken */
} taking;

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t *taking_slot(taking *tk, const char *w, size_t n)
{
    size_t mask = tk->nslots - 1;
    for (size_t i = hash_bytes(w, n) & mask;; i = (i + 1) & mask) {
        uint32_t s = tk->slot[i];
        if (!s)
            return &tk->slot[i];
        const char *k = tk->c->c[s - 1].word;
        if (strlen(k) == n && !memcmp(k, w, n))
            return &tk->slot[i];
    }
}

static ws_status on_token(void *ctx, const ws_token *t)
{
    taking *tk = ctx;
    if (t->kind != WS_TOKEN_HAN)
        return WS_OK;
    tk->tokens++;
    uint32_t s = t->nchars >= 2 && t->nchars <= MAX_LEN ? *taking_slot(tk, t->text, t->len) : 0;
    if (!s) {
        /* counted as tools/word_counts counts them: ICU's own words and
         * numerals have fixed costs */
        if (t->nchars == 1 || (t->lexflags & (WS_LEX_WORD | WS_LEX_STOP | WS_LEX_UNIT)))
            ws_tally_file_add(tk->old, t->text, t->len);
        return WS_OK;
    }
    tk->c->c[s - 1].taken++;
    if (t->nchars < 3)
        return WS_OK;
    /* The word without its last character, a candidate too: a stem and
     * its suffix (数智 化), where the segmenter did not reject the stem. */
    size_t last = t->len;
    while (last > 0 && ((unsigned char)t->text[last - 1] & 0xC0) == 0x80)
        last--;
    if (last > 0) {
        uint32_t in = *taking_slot(tk, t->text, last - 1);
        if (in)
            tk->c->c[in - 1].inside++;
    }
    return WS_OK;
}

static void write_words(const cands *c, const char *path, double scale, const char *header)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    if (header)
        fputs(header, f);
    for (size_t i = 0; i < c->n; i++) {
        unsigned long long n = (unsigned long long)llround((double)c->c[i].taken * scale);
        fprintf(f, "%s\t%llu\n", c->c[i].word, n ? n : 1);
    }
    if (fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

/* Segments the texts with the lexicon, priced by the word counts at counts
 * (NULL: the built-in ones), and the candidates (from path, with the counts
 * there); sets each candidate's taken and counts the other words taken into
 * old. Returns the token total. */
static uint64_t confirm_pass(const text *x, cands *c, const char *path, const char *counts,
                             ws_tally *old)
{
    ws_lexicon *lex;
    ws_analyzer *an;
    char err[1024];
    if (counts)
        setenv("WENSUO_WORD_COUNTS", counts, 1);
    if (ws_lexicon_open_default(NULL, NULL, &lex, err, sizeof err) != WS_OK)
        die(err);
    size_t nw;
    if (ws_lexicon_load_new_words(lex, path, &nw, err, sizeof err) != WS_OK)
        die(err);
    if (ws_analyzer_new(lex, &an) != WS_OK)
        die("cannot make an analyzer");
    taking tk = {c, NULL, 1, 0, old};
    while (tk.nslots < c->n * 2 + 2)
        tk.nslots *= 2;
    tk.slot = calloc(tk.nslots, sizeof *tk.slot);
    if (!tk.slot)
        die("out of memory");
    for (size_t i = 0; i < c->n; i++) {
        c->c[i].taken = 0;
        c->c[i].inside = 0;
        *taking_slot(&tk, c->c[i].word, strlen(c->c[i].word)) = (uint32_t)i + 1;
    }
    for (size_t i = 0; i + 1 < x->nraw; i++) {
        uint32_t pos = 0;
        ws_status st = ws_analyzer_run(an, x->raw + x->roff[i], x->roff[i + 1] - x->roff[i],
                                       WS_ANALYZE_JOIN_LINES, &pos, on_token, &tk);
        if (st != WS_OK)
            die(ws_status_to_string(st));
    }
    free(tk.slot);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    return tk.tokens;
}

static int by_taken(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->taken != b->taken)
        return a->taken < b->taken ? 1 : -1;
    return strcmp(a->word, b->word);
}

static void usage(void)
{
    fputs("usage: new_words [-m MIN_COUNT] [-M MIN_LONG] [-l MAX_LEN] [-p MIN_PMI]\n"
          "                 [-e MIN_ENTROPY] [-b BOUND] [-s MIN_SHARE] [-v] [-t FILE] [-o FILE]\n"
          "                 FILE...\n"
          "  -m  least occurrences of a word (default 5)\n"
          "  -M  least occurrences of a longer word cut into words and characters (default 50)\n"
          "  -b  a two-character word needs a character left alone in fewer than this share\n"
          "      of its occurrences (default 0.1)\n"
          "  -l  longest word, in characters (default 7, at most 12)\n"
          "  -p  least mutual information at the weakest split, nats (default 0.5)\n"
          "  -e  least entropy of the neighbours on each side, nats (default 1)\n"
          "  -s  least share of its occurrences the segmenter takes as a word (default 0.5)\n"
          "  -v  list every candidate with its figures on standard error\n"
          "  -t  print the figures of the strings listed in this file on standard error\n"
          "  -o  the new words file (default: standard output)\n",
          stderr);
    exit(2);
}

/* The command line. */
typedef struct settings {
    unsigned long min, min_long;
    double bound, min_pmi, min_h, min_share;
    int maxlen, verbose;
    const char *trace_file, *out;
} settings;

/* Reads the command line into st; the index in argv of the first file.
 * Exits with the usage on a bad one. */
static int read_args(int argc, char **argv, settings *st)
{
    int opt;
    while ((opt = getopt(argc, argv, "m:M:l:p:e:b:s:o:t:v")) != -1) {
        if (opt == 'm')
            st->min = strtoul(optarg, NULL, 10);
        else if (opt == 'M')
            st->min_long = strtoul(optarg, NULL, 10);
        else if (opt == 'b')
            st->bound = atof(optarg);
        else if (opt == 'l')
            st->maxlen = atoi(optarg);
        else if (opt == 'p')
            st->min_pmi = atof(optarg);
        else if (opt == 'e')
            st->min_h = atof(optarg);
        else if (opt == 's')
            st->min_share = atof(optarg);
        else if (opt == 'o')
            st->out = optarg;

        else if (opt == 'v')
            st->verbose = 1;
        else if (opt == 't')
            st->trace_file = optarg;
        else
            usage();
    }
    if (optind >= argc || st->min < 2 || st->maxlen < 2 || st->maxlen > MAX_LEN)
        usage();
    return optind;
}

/* 1. Statistics: counts the strings of x one length at a time, up to
 * maxlen + 1 for the neighbours of the longest, into levels[1..maxlen + 1].
 * Returns how many Chinese characters x holds. */
static double count_strings(const text *x, const settings *st, level *levels)
{
    clock_t t0 = clock();
    uint32_t *fr = malloc(x->n * sizeof *fr);
    if (!fr)
        die("out of memory");
    level_init(&levels[1], 1);
    double chars = 0;
    for (size_t i = 0; i < x->n; i++)
        fr[i] = ws_char_is_han(x->t[i]) ? level_count(&levels[1], x->t, (uint32_t)i) : NONE;
    for (size_t i = 0; i < x->n; i++) {
        if (fr[i] == NONE)
            continue;
        chars++;
        if (levels[1].g[fr[i]].count < st->min)
            fr[i] = NONE;
    }
    for (int k = 2; k <= st->maxlen + 1; k++) {
        level_init(&levels[k], k);
        count_level(x->t, x->n, k > 2 ? &levels[k - 1] : NULL, &levels[k], fr, (uint32_t)st->min);
        fprintf(stderr, "  length %d: %zu strings counted\n", k, levels[k].n);
    }
    free(fr);
    fprintf(stderr, "statistics: %.1f s\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
    return chars;
}

/* For each counted string, how often it stands whole between quotation
 * marks (“ ”). */
static void count_quoted(const uint32_t *t, size_t n, level *levels, int maxlen)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (t[i] != 0x201C)
            continue;
        size_t j = i + 1;
        while (j < n && j <= i + (size_t)maxlen + 1 && t[j] != 0x201D && t[j] != 0x201C)
            j++;
        int k = (int)(j - i - 1);
        if (j >= n || t[j] != 0x201D || k < 2 || k > maxlen || !all_han(t + i + 1, k))
            continue;
        const gram *g = level_find(&levels[k], t, t + i + 1);
        if (g)
            levels[k].g[g - levels[k].g].quoted++;
    }
}

/* 2. Candidates: the strings of levels that hold together, combine freely
 * and that the segmenter breaks, into c; those that need MIN_LONG and are
 * seen less, into pending. */
static void pick_candidates(const text *x, const settings *st, level *levels, double chars,
                            const ws_lexicon *lex, ws_analyzer *an, cands *c, cands *pending)
{
    clock_t t0 = clock();
    uint32_t *alone = count_alone(x, an);
    fprintf(stderr, "characters alone: %.1f s\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
    count_quoted(x->t, x->n, levels, st->maxlen);
    rules r = {(uint32_t)st->min, (uint32_t)st->min_long, st->min_pmi, st->min_h, st->bound};
    find_candidates(x->t, levels, st->maxlen, chars, &r, alone, an, c, pending);
    free(alone);
    drop_compounds(c, lex);
    fprintf(stderr, "candidates: %zu, pending: %zu\n", c->n, pending->n);
}

static void push_cand(cands *c, const cand *d)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 4096;
        c->c = xrealloc(c->c, c->cap * sizeof *c->c);
    }
    c->c[c->n++] = *d;
}

/* A pending candidate's cut (链 长制) and the old words' counts after the
 * first pass with the candidates: whether every word of the cut lost most of
 * its share of the tokens to them. */
typedef struct staleness {
    const ws_lexicon *lex; /* the lexicon the candidates were picked with */
    const ws_tally *now;
    const cands *c; /* the candidates, by their bytes in slot */
    const uint32_t *slot;
    size_t nslots;
    const char *w; /* the pending candidate */
    int words, stale, crossing;
} staleness;

/* Whether the bytes [b, e) of w, a word of its cut, cross a candidate inside
 * w: overlap one without holding it or lying in it (长制 and 链长 in 链长制). */
static int crosses_candidate(const staleness *sn, size_t b, size_t e)
{
    size_t n = strlen(sn->w), at[MAX_LEN + 1];
    int k = 0;
    for (size_t i = 0; i < n && k < MAX_LEN;) {
        at[k++] = i;
        uint32_t cp;
        i += (size_t)ws_utf8_decode((const unsigned char *)sn->w + i, n - i, &cp);
    }
    at[k] = n;
    for (int i = 0; i < k; i++)
        for (int j = i + 2; j <= k; j++) {
            size_t cb = at[i], ce = at[j];
            int partial = (cb < b && b < ce && ce < e) || (b < cb && cb < e && e < ce);
            if (partial &&
                is_candidate(sn->c, (uint32_t *)sn->slot, sn->nslots, sn->w + cb, ce - cb))
                return 1;
        }
    return 0;
}

static ws_status on_cut_word(void *ctx, const ws_token *t)
{
    staleness *sn = ctx;
    if (t->kind != WS_TOKEN_HAN || t->nchars < 2)
        return WS_OK;
    sn->words++;
    uint32_t cps[MAX_LEN];
    int n = 0;
    for (size_t i = 0; i < t->len && n < MAX_LEN;)
        i += (size_t)ws_utf8_decode((const unsigned char *)t->text + i, t->len - i, &cps[n++]);
    int32_t cost;
    ws_lexicon_lookup_cost(sn->lex, cps, n, &cost);
    double before = cost ? exp(-cost / 100.0) : 0.0; /* its share of the tokens */
    double after = sn->now->total
                       ? (double)ws_tally_get(sn->now, t->text, t->len) / (double)sn->now->total
                       : 0.0;
    sn->stale += before > 0.0 && after < 0.5 * before;
    sn->crossing += crosses_candidate(sn, t->start, t->end);
    return WS_OK;
}

/* An analyzer over the default lexicon (as the environment sets it), into
 * *lex; the caller frees both (analyzer first). Exits on a failure. */
static ws_analyzer *open_analyzer(ws_lexicon **lex)
{
    char err[1024];
    ws_analyzer *an;
    if (ws_lexicon_open_default(NULL, NULL, lex, err, sizeof err) != WS_OK)
        die(err);
    if (ws_analyzer_new(*lex, &an) != WS_OK)
        die("cannot make an analyzer");
    return an;
}

/* Moves into c the pending candidates whose cut into words and single
 * characters (链 长制 of 链长制) holds only words that lost most of their
 * share of the tokens to the candidates of c (now: the old words' counts of
 * a pass with them; 长制 had 256 occurrences, nearly all in 河长制, 湖长制
 * ... before those were words), each crossing a candidate inside the string
 * (长制 and 链长). Such a cut says nothing of a phrase of the standard: its
 * word is a piece of coinages, and cuts through one. */
static void admit_pending(cands *pending, const ws_tally *now, cands *c)
{
    ws_lexicon *lex;
    ws_analyzer *an = open_analyzer(&lex);
    size_t admitted = 0, nslots;
    uint32_t *slot = candidate_slots(c, &nslots);
    for (size_t i = 0; i < pending->n; i++) {
        const char *w = pending->c[i].word;
        staleness sn = {lex, now, c, slot, nslots, w, 0, 0, 0};
        uint32_t pos = 0;
        if (ws_analyzer_run(an, w, strlen(w), 0, &pos, on_cut_word, &sn) != WS_OK)
            die("cannot analyze a candidate");
        if (sn.words == 0 || sn.stale < sn.words || sn.crossing < sn.words)
            continue;
        cand d = pending->c[i];
        d.taken = d.count; /* priced by its raw count, as the others were at first */
        push_cand(c, &d);
        admitted++;
    }
    free(slot);
    fprintf(stderr, "pending candidates admitted: %zu\n", admitted);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
}

/* 3. Confirmation (the header's step 3): keeps the candidates of c the
 * segmenter takes, pass after pass, each with the counts of the pass before
 * (the first with the candidates' raw counts). The first two price the old
 * words by the built-in counts; from the third on, by the counts the pass
 * before took of them, and the candidates dropped in the first two are
 * judged again beside the pending ones admit_pending lets in. Stops after a
 * third or later pass that drops none, or after MAX_PASSES. Returns the
 * scale of the candidates' counts: the total of the old words' counts of the
 * last pass (*total_out) over its tokens. */
#define MAX_PASSES 6

static double confirm(const text *x, const settings *st, cands *c, cands *pending,
                      uint64_t *total_out)
{
    char tmp[] = "/tmp/new_words_XXXXXX", tmpc[] = "/tmp/new_words_counts_XXXXXX";
    int fd = mkstemp(tmp), fdc = mkstemp(tmpc);
    if (fd < 0 || fdc < 0)
        die("cannot make a temporary file");
    close(fd);
    close(fdc);
    for (size_t i = 0; i < c->n; i++)
        c->c[i].taken = c->c[i].count;
    write_words(c, tmp, 1.0, NULL);
    double scale = 1.0;
    cands out = {0}; /* dropped in the first two passes, with what they took */
    for (int pass = 1; pass <= MAX_PASSES; pass++) {
        clock_t t0 = clock();
        ws_tally old;
        ws_tally_file_init(&old);
        uint64_t tokens = confirm_pass(x, c, tmp, pass > 2 ? tmpc : NULL, &old);
        size_t kept = 0;
        for (size_t i = 0; i < c->n; i++) {
            cand *d = &c->c[i];
            if (st->verbose)
                fprintf(stderr, "pass %d: %s\t%u\t%llu\tpmi %.2f\thl %.2f\thr %.2f\n", pass,
                        d->word, d->count, (unsigned long long)d->taken, d->pmi, d->hl, d->hr);
            /* Its occurrences as the stem of a longer new word the segmenter
             * took (数智 of 数智化, 97 of its 183) are no evidence against it. */
            uint64_t seen = d->count > d->inside ? d->count - d->inside : 0;
            if (d->taken >= st->min && (double)d->taken >= st->min_share * (double)seen)
                c->c[kept++] = *d;
            else if (pass <= 2)
                push_cand(&out, d);
        }
        size_t dropped = c->n - kept;
        c->n = kept;
        fprintf(stderr, "pass %d: %zu words kept, %.1f s\n", pass, c->n,
                (double)(clock() - t0) / CLOCKS_PER_SEC);
        if (pass == 2) {
            /* The model has changed: the candidates dropped so far are
             * judged again beside the pending ones it admits, at what they
             * took. */
            for (size_t i = 0; i < out.n; i++)
                push_cand(c, &out.c[i]);
            admit_pending(pending, &old, c);
        }
        int last = (pass > 2 && dropped == 0) || pass == MAX_PASSES;
        uint64_t total = ws_tally_write(&old, tmpc, 1, NULL);
        ws_tally_free(&old);
        scale = total && tokens ? (double)total / (double)tokens : 1.0;
        *total_out = total;
        if (last)
            break;
        write_words(c, tmp, scale, NULL);
    }
    free(out.c);
    unlink(tmp);
    unlink(tmpc);
    return scale;
}

int main(int argc, char **argv)
{
    settings st = {.min = 5,
                   .min_long = 50,
                   .bound = 0.1,
                   .min_pmi = 0.5,
                   .min_h = 1.0,
                   .min_share = 0.5,
                   .maxlen = 7,
                   .out = "/dev/stdout"};
    int first = read_args(argc, argv, &st);
    /* The result depends on the lexicon, the word counts and the text alone. */
    unsetenv("WENSUO_USER_DICT");
    setenv("WENSUO_NEW_WORDS", "", 1);

    ws_lexicon *lex;
    ws_analyzer *an = open_analyzer(&lex);
    text x = {0};
    push(&x, SEP);
    reading rd = {&x, an};
    for (int i = first; i < argc; i++)
        if (ws_collection_read(argv[i], add_text, &rd) != 0)
            exit(1);
    if (x.n > UINT32_MAX - 16)
        die("more than 4 billion characters");
    for (int i = 0; i < MAX_LEN + 2; i++)
        push(&x, SEP);
    fprintf(stderr, "new_words: %zu texts, %zu characters\n", x.nraw ? x.nraw - 1 : 0, x.n);

    level levels[MAX_LEN + 2];
    double chars = count_strings(&x, &st, levels);
    if (st.trace_file)
        trace(st.trace_file, x.t, levels, st.maxlen, chars);
    cands c = {0}, pending = {0};
    pick_candidates(&x, &st, levels, chars, lex, an, &c, &pending);
    for (int k = 1; k <= st.maxlen + 1; k++) {
        free(levels[k].g);
        free(levels[k].slot);
    }
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    free(x.t);

    char header[4096], files[2048];
    ws_collection_names(files, sizeof files, argv + first, argc - first);
    uint64_t total = 0;
    double scale = confirm(&x, &st, &c, &pending, &total);
    free(pending.c);
    qsort(c.c, c.n, sizeof *c.c, by_taken);
    snprintf(header, sizeof header,
             "# New words for Wensuo's segmenter (lexicon.h), by tools/new_words -m %lu -M %lu\n"
             "# -l %d -p %g -e %g -b %g -s %g over %zu texts (%zu characters): %zu words.\n"
             "# Counts are the segmenter's, scaled to the %llu tokens of the word counts it\n"
             "# re-estimated with them (Viterbi EM).\n"
             "# From:%s\n",
             st.min, st.min_long, st.maxlen, st.min_pmi, st.min_h, st.bound, st.min_share,
             x.nraw ? x.nraw - 1 : 0, x.n, c.n, (unsigned long long)total, files);
    write_words(&c, st.out, scale, header);
    fprintf(stderr, "new_words: %zu words written to %s\n", c.n, st.out);
    free(c.c);
    free(x.raw);
    free(x.roff);
    return 0;
}
