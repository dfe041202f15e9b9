#include "lexicon.h"
#include "vectors.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "listfile.h"
#include "normalize.h"

#ifndef WS_FRISO_DICT_DIR
#define WS_FRISO_DICT_DIR "/usr/share/friso/dict/UTF-8"
#endif
#ifndef WS_VECTORS
#define WS_VECTORS "" /* none */
#endif
#ifndef WS_WORD_COUNTS
#define WS_WORD_COUNTS "" /* none: the segmenter's fixed costs */
#endif
#ifndef WS_NEW_WORDS
#define WS_NEW_WORDS "" /* none */
#endif

#define PREFIX 0x8000u

/* A new word (ws_lexicon_load_new_words) costs this much more, in hundredths
 * of a nat, than its count says: a prior against strings that no dictionary
 * lists, so that the segmenter takes one only where it is more probable than
 * its parts by a clear margin. A unigram model favours any frequent
 * collocation over its words (本条例 over 本 条例, 都要 over 都 要), which
 * the national standard makes two; a coinage made of characters that are no
 * words alone (链主, 算力, 碳达峰) wins by far more. */
#define NEW_WORD_PRIOR 300

typedef struct slot {
    uint32_t off; /* into cps; 0 marks an empty slot (cps[0] is unused) */
    uint32_t freq;
    uint32_t hash;
    uint16_t cost; /* 100 ln(total / count) from a counts file; 0: no count */
    uint16_t flags;
    uint8_t len;
} slot;

struct ws_lexicon {
    slot *slots;
    size_t nslots, nused, count;
    uint32_t *cps;
    size_t ncps, capcps;
    int max_len;
    uint64_t total;             /* sum of the counts loaded (ws_lexicon_load_counts) */
    size_t costed;              /* words the last counts file gave a cost */
    ws_vectors *vectors;        /* owned; NULL for none */
    ws_lexicon_source *sources; /* paths owned */
    size_t nsources;
};

static uint32_t hash_cps(const uint32_t *cps, int n)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++) {
        h ^= cps[i];
        h *= 16777619u;
    }
    return h ? h : 1;
}

ws_status ws_lexicon_new(ws_lexicon **out)
{
    ws_lexicon *lex = calloc(1, sizeof *lex);
    if (!lex)
        return (*out = NULL), WS_ENOMEM;
    lex->nslots = 1024;
    lex->slots = calloc(lex->nslots, sizeof *lex->slots);
    lex->capcps = 4096;
    lex->cps = malloc(lex->capcps * sizeof *lex->cps);
    lex->ncps = 1;
    if (!lex->slots || !lex->cps) {
        ws_lexicon_free(lex);
        return (*out = NULL), WS_ENOMEM;
    }
    *out = lex;
    return WS_OK;
}

void ws_lexicon_free(ws_lexicon *lex)
{
    if (!lex)
        return;
    free(lex->slots);
    free(lex->cps);
    ws_vectors_free(lex->vectors);
    for (size_t i = 0; i < lex->nsources; i++)
        free((char *)lex->sources[i].path);
    free(lex->sources);
    free(lex);
}

static slot *find(const ws_lexicon *lex, const uint32_t *cps, int n, uint32_t h)
{
    size_t mask = lex->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot *s = &lex->slots[i];
        if (!s->off)
            return s;
        if (s->hash == h && s->len == n && !memcmp(lex->cps + s->off, cps, (size_t)n * 4))
            return s;
    }
}

static ws_status grow(ws_lexicon *lex)
{
    size_t n = lex->nslots * 2;
    slot *old = lex->slots, *fresh = calloc(n, sizeof *fresh);
    if (!fresh)
        return WS_ENOMEM;
    size_t oldn = lex->nslots;
    lex->slots = fresh;
    lex->nslots = n;
    for (size_t i = 0; i < oldn; i++) {
        if (!old[i].off)
            continue;
        slot *s = find(lex, lex->cps + old[i].off, old[i].len, old[i].hash);
        *s = old[i];
    }
    free(old);
    return WS_OK;
}

static ws_status add_cps(ws_lexicon *lex, const uint32_t *cps, int n, unsigned flags, uint32_t freq)
{
    if (n <= 0 || n > WS_LEX_MAX_WORD)
        return WS_EINVAL;
    /* Every proper prefix is kept too (flag PREFIX), so that a segmenter
     * looking for words at a point can stop at the first non-prefix. */
    if (!(flags & PREFIX))
        for (int k = 1; k < n; k++) {
            ws_status st = add_cps(lex, cps, k, PREFIX, 0);
            if (st != WS_OK)
                return st;
        }
    uint32_t h = hash_cps(cps, n);
    slot *s = find(lex, cps, n, h);
    if (s->off) {
        int was_prefix_only = !(s->flags & ~PREFIX);
        s->flags |= (uint16_t)flags;
        if (!(flags & PREFIX) && was_prefix_only)
            lex->count++;
        if (freq > s->freq)
            s->freq = freq;
        return WS_OK;
    }
    if (lex->ncps + (size_t)n > lex->capcps) {
        size_t cap = lex->capcps * 2 + (size_t)n;
        uint32_t *p = realloc(lex->cps, cap * sizeof *p);
        if (!p)
            return WS_ENOMEM;
        lex->cps = p;
        lex->capcps = cap;
    }
    memcpy(lex->cps + lex->ncps, cps, (size_t)n * 4);
    s->off = (uint32_t)lex->ncps;
    s->len = (uint8_t)n;
    s->flags = (uint16_t)flags;
    s->cost = 0;
    s->freq = freq;
    s->hash = h;
    lex->ncps += (size_t)n;
    if (!(flags & PREFIX))
        lex->count++;
    if (n > lex->max_len)
        lex->max_len = n;
    /* Grown past three quarters full: friso-dict and its prefixes fill
     * 259,000 slots, so that the table is 524,288 slots (8 MiB) at half full
     * with or without a few thousand new words, where growing at half full
     * doubled it for them. The stored hash keeps the longer probes cheap. */
    if (++lex->nused * 4 > lex->nslots * 3)
        return grow(lex);
    return WS_OK;
}

/* The words' keys: cps with each character the normalization keeps but
 * the lexicon's data fold (normalize.h, ws_normalize_lex_key) folded, into
 * key (n at most WS_LEX_MAX_WORD); cps itself when none is. */
static const uint32_t *lex_keys(const uint32_t *cps, int n, uint32_t *key)
{
    int any = 0;
    for (int i = 0; i < n && !any; i++)
        any = ws_normalize_kept(cps[i]);
    if (!any)
        return cps;
    for (int i = 0; i < n; i++)
        key[i] = ws_normalize_lex_key(cps[i]);
    return key;
}

/* Normalizes a UTF-8 word into cps, as its key (lex_keys); returns the
 * count, or -1 when too long. */
static int word_cps(const char *w, size_t len, uint32_t cps[WS_LEX_MAX_WORD])
{
    int n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t norm[WS_NORM_MAX];
        int k = ws_normalize_next(w, len, i, &i, norm);
        if (n + k > WS_LEX_MAX_WORD)
            return -1;
        for (int j = 0; j < k; j++)
            cps[n + j] = ws_normalize_lex_key(norm[j]);
        n += k;
    }
    return n;
}

ws_status ws_lexicon_add(ws_lexicon *lex, const char *word, size_t len, unsigned flags)
{
    uint32_t cps[WS_LEX_MAX_WORD];
    ws_status st = ws_normalize_init();
    if (st != WS_OK)
        return st;
    int n = word_cps(word, len, cps);
    if (n <= 0)
        return WS_EINVAL;
    return add_cps(lex, cps, n, flags, 0);
}

/* Is a[0..an) the word b[0..bn)? */
static int same_word(const uint32_t *a, int an, const char *b)
{
    uint32_t k[WS_LEX_MAX_WORD];
    int kn = word_cps(b, strlen(b), k);
    return kn == an && !memcmp(k, a, (size_t)an * sizeof *a);
}

/* Is this lexicon entry a phrase that ends in a particle: the structural
 * particle 的 (新的, 党的, 我的, 常见的) or an aspect particle, 了 or 着 (有了,
 * 成了, 有着, 带着)? The national standard (GB/T 13715) segments the particle
 * as a word of its own, and friso lists some two hundred phrases in 的, four
 * hundred in 了 and three hundred in 着, which swallow it. Kept: the words
 * where the character is no particle (目的, 标的, 一语中的; 了 read liao: 未了,
 * 明了, 受不了; 着 read zhao or zhuo: 睡着, 沉着, 用不着), the particle words
 * of the dictionaries (有的, 别的, 似的) and the prepositions and conjunctions
 * made with the particle (为了, 除了, 随着, 沿着, 接着). A potential
 * complement (受不了, 用得着) always reads liao / zhao. A user dictionary is
 * taken as it is. */
static int particle_phrase(const uint32_t *cps, int n)
{
    static const char *const keep_de[] = {
        "目的",     "标的",     "鹄的",     "矢的",     "端的",   "有的",   "别的",
        "似的",     "怎的",     "是的",     "打的",     "摩的",   "什么的", "当家的",
        "掌柜的",   "好样的",   "有目的",   "无目的",   "多目的", "面的",   "一语中的",
        "一言中的", "一矢中的", "一语破的", "众矢之的",
    };
    static const char *const keep_le[] = {
        "为了",   "除了",     "罢了",     "算了",     "了了",           "未了",
        "终了",   "末了",     "临了",     "私了",     "明了",           "知了",
        "不了",   "一了百了", "小事化了", "没完没了", "不甚了了",       "简单明了",
        "易明了", "不明了",   "何时是了", "前缘未了", "冤冤相报何时了", "秦吉了",
    };
    static const char *const keep_zhe[] = {
        "随着",     "沿着",     "接着",     "紧接着",   "本着",     "凭着", "朝着",   "向着",
        "顺着",     "照着",     "为着",     "趁着",     "冲着",     "跟着", "意味着", "沉着",
        "执着",     "附着",     "衣着",     "胶着",     "显着",     "睡着", "来着",   "怎么着",
        "这么着",   "那么着",   "无着",     "失着",     "正着",     "一着", "高着",   "绝着",
        "歪打正着", "视微知着", "十捉九着", "摸头不着", "摸门不着",
    };
    if (n < 2)
        return 0;
    const char *const *keep;
    size_t nkeep;
    uint32_t last = cps[n - 1];
    if (last == 0x7684) { /* 的 */
        keep = keep_de;
        nkeep = sizeof keep_de / sizeof *keep_de;
    } else if (last == 0x4E86 || last == 0x7740) {        /* 了, 着 */
        if (cps[n - 2] == 0x4E0D || cps[n - 2] == 0x5F97) /* 不, 得: a potential complement */
            return 0;
        keep = last == 0x4E86 ? keep_le : keep_zhe;
        nkeep =
            last == 0x4E86 ? sizeof keep_le / sizeof *keep_le : sizeof keep_zhe / sizeof *keep_zhe;
    } else {
        return 0;
    }
    for (size_t i = 0; i < nkeep; i++)
        if (same_word(cps, n, keep[i]))
            return 0;
    return 1;
}

/* Opens a word list for reading, the normalizer ready for its words
 * (listfile.h: a regular file of at most WS_LEX_MAX_FILE bytes). */
static ws_status open_list(const char *path, FILE **f)
{
    *f = NULL;
    ws_status st = ws_normalize_init();
    return st == WS_OK ? ws_listfile_open(path, WS_LEX_MAX_FILE, f) : st;
}

ws_status ws_lexicon_load_file(ws_lexicon *lex, const char *path, unsigned flags)
{
    FILE *f = NULL;
    ws_status st = open_list(path, &f);
    if (st != WS_OK)
        return st;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while (st == WS_OK && (got = getline(&line, &cap, f)) >= 0) {
        size_t len = strcspn(line, "/ \t\r\n");
        if (len == 0 || line[0] == '#')
            continue;
        uint32_t freq = 0;
        /* friso: word/synonyms/frequency */
        char *slash = strchr(line, '/');
        if (slash && (slash = strchr(slash + 1, '/')))
            freq = (uint32_t)strtoul(slash + 1, NULL, 10);
        uint32_t cps[WS_LEX_MAX_WORD];
        int n = word_cps(line, len, cps);
        if (n > 0 && !((flags & WS_LEX_WORD) && !(flags & WS_LEX_USER) && particle_phrase(cps, n)))
            st = add_cps(lex, cps, n, flags, freq);
    }
    free(line);
    fclose(f);
    return st;
}

/* Reads "word TAB count" lines; calls back with each word's code points. */
static ws_status read_counts(FILE *f, ws_lexicon *lex, int pass)
{
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        size_t len = strcspn(line, "\t");
        if (len == 0 || line[0] == '#' || line[len] != '\t')
            continue;
        char *end;
        unsigned long long count = strtoull(line + len + 1, &end, 10);
        if (end == line + len + 1 || count == 0)
            continue;
        if (pass == 0) {
            lex->total += count;
            continue;
        }
        uint32_t cps[WS_LEX_MAX_WORD];
        int n = word_cps(line, len, cps);
        if (n <= 0)
            continue;
        slot *s = find(lex, cps, n, hash_cps(cps, n));
        if (!s->off || !(s->flags & ~PREFIX))
            continue; /* not a word of this lexicon */
        double c = 100.0 * log((double)lex->total / (double)count);
        s->cost = (uint16_t)(c < 1 ? 1 : c > 65535 ? 65535 : c + 0.5);
        lex->costed++;
    }
    free(line);
    return ferror(f) ? WS_EIO : WS_OK;
}

ws_status ws_lexicon_load_counts(ws_lexicon *lex, const char *path)
{
    FILE *f = NULL;
    ws_status st = open_list(path, &f);
    if (st != WS_OK)
        return st;
    /* Two passes: the costs need the total first. */
    uint64_t before = lex->total;
    lex->total = 0;
    lex->costed = 0;
    st = read_counts(f, lex, 0);
    if (st == WS_OK && lex->total == 0)
        st = WS_EINVAL;
    if (st == WS_OK) {
        rewind(f);
        st = read_counts(f, lex, 1);
    }
    if (st != WS_OK)
        lex->total = before;
    fclose(f);
    return st;
}

/* One line of a new words file: the word's code points in cps (*n of them)
 * and its count, or a message in why. */
static int new_word_line(const char *line, uint32_t cps[WS_LEX_MAX_WORD], int *n,
                         unsigned long long *count, const char **why)
{
    size_t len = strcspn(line, "\t\r\n");
    if (line[len] != '\t')
        return (*why = "expected a word, a tab and a count"), 0;
    *n = word_cps(line, len, cps);
    if (*n < 0)
        return (*why = "word longer than 16 characters"), 0;
    if (*n < 2)
        return (*why = "a new word has two characters or more"), 0;
    for (int i = 0; i < *n; i++)
        if (!ws_char_is_han(cps[i]))
            return (*why = "a new word is made of Chinese characters only"), 0;
    const char *c = line + len + 1;
    char *end;
    if (*c < '0' || *c > '9')
        return (*why = "the count is not a number"), 0;
    *count = strtoull(c, &end, 10);
    if (*count == 0)
        return (*why = "the count is not positive"), 0;
    if (end[strspn(end, "\r\n")] != '\0')
        return (*why = "more than a word and a count on the line"), 0;
    return 1;
}

ws_status ws_lexicon_load_new_words(ws_lexicon *lex, const char *path, size_t *nwords, char *errbuf,
                                    size_t errlen)
{
    FILE *f = NULL;
    *nwords = 0;
    ws_status st = open_list(path, &f);
    if (st != WS_OK) {
        snprintf(errbuf, errlen, "cannot open the new words %s", path);
        return st;
    }
    /* Two passes: the whole file is checked before a word is added. */
    char *line = NULL;
    size_t cap = 0;
    size_t before = lex->count;
    for (int pass = 0; pass < 2 && st == WS_OK; pass++) {
        unsigned long lineno = 0;
        rewind(f);
        while (st == WS_OK && getline(&line, &cap, f) >= 0) {
            lineno++;
            if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
                continue;
            uint32_t cps[WS_LEX_MAX_WORD];
            int n;
            unsigned long long count;
            const char *why;
            if (!new_word_line(line, cps, &n, &count, &why)) {
                snprintf(errbuf, errlen,
                         "%s:%lu: %s (a new words file holds \"word TAB count\" lines)", path,
                         lineno, why);
                st = WS_EINVAL;
                break;
            }
            if (pass == 0)
                continue;
            st = add_cps(lex, cps, n, WS_LEX_WORD | WS_LEX_NEW, 0);
            slot *s = find(lex, cps, n, hash_cps(cps, n));
            if (st == WS_OK && s->off && !s->cost && lex->total) {
                double c = 100.0 * log((double)lex->total / (double)count) + NEW_WORD_PRIOR;
                s->cost = (uint16_t)(c < 1 ? 1 : c > 65535 ? 65535 : c + 0.5);
            }
        }
        if (st == WS_OK && ferror(f))
            st = WS_EIO;
    }
    free(line);
    fclose(f);
    if (st == WS_EIO)
        snprintf(errbuf, errlen, "cannot read the new words %s", path);
    *nwords = lex->count - before;
    return st;
}

static ws_status add_source(ws_lexicon *lex, const char *path, const char *kind, size_t words)
{
    ws_lexicon_source *p = realloc(lex->sources, (lex->nsources + 1) * sizeof *p);
    if (!p)
        return WS_ENOMEM;
    lex->sources = p;
    char *copy = strdup(path);
    if (!copy)
        return WS_ENOMEM;
    p[lex->nsources++] = (ws_lexicon_source){copy, kind, words};
    return WS_OK;
}

/* ws_lexicon_load_file, and the file among the sources when it was there. */
static ws_status load_source(ws_lexicon *lex, const char *path, unsigned flags, const char *kind)
{
    size_t before = lex->count;
    ws_status st = ws_lexicon_load_file(lex, path, flags);
    if (st == WS_OK)
        st = add_source(lex, path, kind, lex->count - before);
    return st;
}

void ws_lexicon_sources(const ws_lexicon *lex, const ws_lexicon_source **out, size_t *n)
{
    *out = lex->sources;
    *n = lex->nsources;
}

/* Units that join a number before them into one token (2024年, 949.21公顷). */
static const char *const units[] = {
    "年",   "月", "日",   "号",   "时",   "分", "秒",     "万",       "亿",     "千",
    "百",   "元", "角",   "美元", "公顷", "亩", "公里",   "千米",     "米",     "厘米",
    "毫米", "吨", "千克", "公斤", "克",   "升", "平方米", "平方公里", "立方米", "千瓦",
    "兆瓦", "瓦", "度",   "岁",   "周年", "届", "倍",     "%",
};

/* friso-dict's files in dir (the words, of which lex-main is required; the
 * stop words; the names) and the units. */
static ws_status load_dictionary(ws_lexicon *lex, const char *dir, char *errbuf, size_t errlen)
{
    static const char *const word_files[] = {
        "lex-main.lex",     "lex-admin.lex",   "lex-chars.lex",    "lex-cn-mz.lex",
        "lex-cn-place.lex", "lex-company.lex", "lex-festival.lex", "lex-flname.lex",
        "lex-food.lex",     "lex-lang.lex",    "lex-nation.lex",   "lex-net.lex",
        "lex-org.lex",      "lex-touris.lex",
    };
    static const struct {
        const char *file;
        unsigned flag;
    } names[] = {
        {"lex-lname.lex", WS_LEX_SURNAME},
        {"lex-dname-1.lex", WS_LEX_GIVEN1},
        {"lex-dname-2.lex", WS_LEX_GIVEN2},
    };
    char path[4096];
    ws_status st = WS_OK;
    for (size_t i = 0; st == WS_OK && i < sizeof word_files / sizeof *word_files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, word_files[i]);
        st = load_source(lex, path, WS_LEX_WORD, "dictionary");
        if (st == WS_ENOTFOUND && i > 0)
            st = WS_OK; /* only lex-main is required */
    }
    if (st == WS_OK) {
        snprintf(path, sizeof path, "%s/lex-stopword.lex", dir);
        st = load_source(lex, path, WS_LEX_STOP, "stop words");
        if (st == WS_ENOTFOUND)
            st = WS_OK;
    }
    for (size_t i = 0; st == WS_OK && i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i].file);
        st = load_source(lex, path, names[i].flag, "names");
        if (st == WS_ENOTFOUND)
            st = WS_OK;
    }
    for (size_t i = 0; st == WS_OK && i < sizeof units / sizeof *units; i++)
        st = ws_lexicon_add(lex, units[i], strlen(units[i]), WS_LEX_UNIT);
    if (st != WS_OK)
        snprintf(errbuf, errlen, "cannot load the lexicon from %s (%s); install friso-dict", path,
                 ws_status_to_string(st));
    return st;
}

/* The data file that the environment variable env names, else the built-in
 * one; NULL when that is "" (none). *named when env named it: a named file
 * must load, the built-in one may be absent. */
static const char *data_file(const char *env, const char *builtin, int *named)
{
    const char *f = getenv(env);
    *named = f != NULL;
    if (!f)
        f = builtin;
    return *f ? f : NULL;
}

/* st of loading a data file, where a built-in file that is absent is none. */
static ws_status unless_absent(ws_status st, int named)
{
    return st == WS_ENOTFOUND && !named ? WS_OK : st;
}

/* The word counts, which price the words (absent: the segmenter's fixed
 * costs). */
static ws_status load_word_counts(ws_lexicon *lex, char *errbuf, size_t errlen)
{
    int named;
    const char *counts = data_file("WENSUO_WORD_COUNTS", WS_WORD_COUNTS, &named);
    if (!counts)
        return WS_OK;
    ws_status st = ws_lexicon_load_counts(lex, counts);
    if (st == WS_OK)
        st = add_source(lex, counts, "word counts", lex->costed);
    st = unless_absent(st, named);
    if (st != WS_OK)
        snprintf(errbuf, errlen, "cannot load the word counts %s (%s)", counts,
                 ws_status_to_string(st));
    return st;
}

/* The new words (tools/new_words), after the counts that price them. */
static ws_status load_new_words(ws_lexicon *lex, char *errbuf, size_t errlen)
{
    int named;
    const char *news = data_file("WENSUO_NEW_WORDS", WS_NEW_WORDS, &named);
    if (!news)
        return WS_OK;
    size_t nw = 0;
    ws_status st = ws_lexicon_load_new_words(lex, news, &nw, errbuf, errlen);
    if (st == WS_OK)
        st = add_source(lex, news, "new words", nw);
    return unless_absent(st, named);
}

/* The word vectors, which the lexicon owns. */
static ws_status load_vectors(ws_lexicon *lex, char *errbuf, size_t errlen)
{
    int named;
    const char *vectors = data_file("WENSUO_VECTORS", WS_VECTORS, &named);
    if (!vectors)
        return WS_OK;
    return unless_absent(ws_vectors_load(vectors, &lex->vectors, errbuf, errlen), named);
}

ws_status ws_lexicon_open_default(const char *dir, const char *user_dict, ws_lexicon **out,
                                  char *errbuf, size_t errlen)
{
    ws_lexicon *lex;
    *out = NULL;
    if (!dir)
        dir = getenv("WENSUO_DICT_DIR");
    if (!dir)
        dir = WS_FRISO_DICT_DIR;
    if (!user_dict)
        user_dict = getenv("WENSUO_USER_DICT");
    ws_status st = ws_lexicon_new(&lex);
    if (st != WS_OK)
        return st;
    st = load_dictionary(lex, dir, errbuf, errlen);
    if (st == WS_OK)
        st = load_word_counts(lex, errbuf, errlen);
    if (st == WS_OK)
        st = load_new_words(lex, errbuf, errlen);
    if (st == WS_OK)
        st = load_vectors(lex, errbuf, errlen);
    if (st == WS_OK && user_dict && *user_dict) {
        st = load_source(lex, user_dict, WS_LEX_WORD | WS_LEX_USER, "user dictionary");
        if (st != WS_OK)
            snprintf(errbuf, errlen, "cannot load the user dictionary %s (%s)", user_dict,
                     st == WS_ETOOBIG ? "larger than WS_LEX_MAX_FILE, 64 MiB"
                                      : ws_listfile_why(st));
    }
    if (st != WS_OK) {
        ws_lexicon_free(lex);
        return st;
    }
    *out = lex;
    return WS_OK;
}

unsigned ws_lexicon_lookup(const ws_lexicon *lex, const uint32_t *cps, int n, uint32_t *freq)
{
    if (n <= 0 || n > lex->max_len) {
        if (freq)
            *freq = 0;
        return 0;
    }
    uint32_t key[WS_LEX_MAX_WORD];
    cps = lex_keys(cps, n, key);
    const slot *s = find(lex, cps, n, hash_cps(cps, n));
    if (freq)
        *freq = s->off ? s->freq : 0;
    return s->off ? s->flags : 0;
}

unsigned ws_lexicon_lookup_cost(const ws_lexicon *lex, const uint32_t *cps, int n, int32_t *cost)
{
    if (n <= 0 || n > lex->max_len) {
        *cost = 0;
        return 0;
    }
    uint32_t key[WS_LEX_MAX_WORD];
    cps = lex_keys(cps, n, key);
    const slot *s = find(lex, cps, n, hash_cps(cps, n));
    *cost = s->off ? s->cost : 0;
    return s->off ? s->flags : 0;
}

uint64_t ws_lexicon_counts_total(const ws_lexicon *lex)
{
    return lex->total;
}

int ws_lexicon_max_len(const ws_lexicon *lex)
{
    return lex->max_len;
}

size_t ws_lexicon_size(const ws_lexicon *lex)
{
    return lex->count;
}

const ws_vectors *ws_lexicon_vectors(const ws_lexicon *lex)
{
    return lex->vectors;
}
