/* test_analyzer.c - issue 2's analysis pipeline, point by point, on real
 * Chinese text: NFKC and case folding, Traditional -> Simplified, line breaks
 * inside CJK words, lexicon and user dictionary, mixed tokens, byte offsets,
 * positions, broken input, a large input, and `wensuo analyze`'s words. */
#include "check.h"
#include "analyzer.h"
#include "explain.h"
#include "fixture.h"
#include "lexicon.h"
#include "normalize.h"
#include "schema.h"
#include "termgen.h"
#include "utf8.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static ws_lexicon *lex;
static ws_analyzer *an;

/* ---- collecting tokens and terms ---------------------------------------- */

typedef struct tk {
    char *text;
    size_t len, start, end;
    uint32_t pos, nchars;
    ws_token_kind kind;
    unsigned lexflags, parts;
} tk;

typedef struct toks {
    tk *t;
    size_t n, cap;
} toks;

typedef struct term {
    char *term;
    size_t len;
    uint32_t pos;
    ws_term_kind kind;
    size_t start, end; /* of the token it came from */
} term;

typedef struct terms {
    term *t;
    size_t n, cap;
} terms;

static ws_status on_tok(void *ctx, const ws_token *t)
{
    toks *v = ctx;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->t = realloc(v->t, v->cap * sizeof *v->t);
        if (!v->t)
            return WS_ENOMEM;
    }
    char *copy = malloc(t->len + 1);
    if (!copy)
        return WS_ENOMEM;
    memcpy(copy, t->text, t->len + 1);
    v->t[v->n++] =
        (tk){copy, t->len, t->start, t->end, t->pos, t->nchars, t->kind, t->lexflags, t->parts};
    return WS_OK;
}

static ws_status on_term(void *ctx, const char *s, size_t len, uint32_t pos, ws_term_kind kind,
                         const ws_token *tok)
{
    terms *v = ctx;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 256;
        v->t = realloc(v->t, v->cap * sizeof *v->t);
        if (!v->t)
            return WS_ENOMEM;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return WS_ENOMEM;
    memcpy(copy, s, len);
    copy[len] = '\0';
    v->t[v->n++] = (term){copy, len, pos, kind, tok->start, tok->end};
    return WS_OK;
}

static void toks_free(toks *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->t[i].text);
    free(v->t);
    memset(v, 0, sizeof *v);
}

static void terms_free(terms *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->t[i].term);
    free(v->t);
    memset(v, 0, sizeof *v);
}

static ws_status analyze_with(ws_analyzer *a, const char *s, size_t len, unsigned flags, toks *out)
{
    uint32_t pos = 1;
    memset(out, 0, sizeof *out);
    return ws_analyzer_run(a, s, len, flags, &pos, on_tok, out);
}

static toks analyze(const char *s, unsigned flags)
{
    toks v;
    CHECK_INT(analyze_with(an, s, strlen(s), flags, &v), WS_OK);
    return v;
}

static ws_status terms_with(const char *s, size_t len, unsigned flags, terms *out)
{
    uint32_t pos = 1;
    memset(out, 0, sizeof *out);
    return ws_termgen_run(an, s, len, WS_FIELD_BODY, flags, &pos, on_term, out);
}

static terms terms_of(const char *s, unsigned flags)
{
    terms v;
    CHECK_INT(terms_with(s, strlen(s), flags, &v), WS_OK);
    return v;
}

static const tk *find_tok(const toks *v, const char *text, int kind)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->t[i].text, text) && (kind == 0 || (int)v->t[i].kind == kind))
            return &v->t[i];
    return NULL;
}

static const term *find_term(const terms *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->t[i].term, s))
            return &v->t[i];
    return NULL;
}

static size_t count_term(const terms *v, const char *s)
{
    size_t n = 0;
    for (size_t i = 0; i < v->n; i++)
        n += !strcmp(v->t[i].term, s);
    return n;
}

/* A positioned term s at exactly pos. */
static int term_at(const terms *v, const char *s, uint32_t pos)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->t[i].pos == pos && !strcmp(v->t[i].term, s))
            return 1;
    return 0;
}

#define CHECK_TERM(v, s)                                                                           \
    do {                                                                                           \
        if (!find_term(&(v), (s))) {                                                               \
            fprintf(stderr, "%s:%d: no term \"%s\"\n", __FILE__, __LINE__, (s));                   \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

#define CHECK_NO_TERM(v, s)                                                                        \
    do {                                                                                           \
        if (find_term(&(v), (s))) {                                                                \
            fprintf(stderr, "%s:%d: unexpected term \"%s\"\n", __FILE__, __LINE__, (s));           \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

#define CHECK_TOK(v, s, kind)                                                                      \
    do {                                                                                           \
        if (!find_tok(&(v), (s), (kind))) {                                                        \
            fprintf(stderr, "%s:%d: no token \"%s\" (kind %d); tokens:", __FILE__, __LINE__, (s),  \
                    (int)(kind));                                                                  \
            for (size_t i_ = 0; i_ < (v).n; i_++)                                                  \
                fprintf(stderr, " %s", (v).t[i_].text);                                            \
            fputc('\n', stderr);                                                                   \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The terms of v with positions, sorted, joined by '|': two texts are the
 * same to the index when these are equal. */
static char *signature(const terms *v)
{
    char **s = calloc(v->n + 1, sizeof *s);
    size_t total = 1;
    for (size_t i = 0; i < v->n; i++) {
        s[i] = malloc(v->t[i].len + 16);
        snprintf(s[i], v->t[i].len + 16, "%s@%u", v->t[i].term, v->t[i].pos);
        total += strlen(s[i]) + 1;
    }
    qsort(s, v->n, sizeof *s, cmp_str);
    char *out = calloc(1, total);
    for (size_t i = 0; i < v->n; i++) {
        strcat(out, s[i]);
        strcat(out, "|");
        free(s[i]);
    }
    free(s);
    return out;
}

static int utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = ws_utf8_decode(p + i, len - i, &cp);
        if (cp == 0xFFFD && !(n == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD))
            return 0;
        i += (size_t)n;
    }
    return 1;
}

static int is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* ---- 1. NFKC and case folding --------------------------------------------- */

static void test_nfkc(void)
{
    terms wide = terms_of("ＡＢＣ１２３", 0), narrow = terms_of("abc123", 0),
          upper = terms_of("ABC123", 0);
    char *sw = signature(&wide), *sn = signature(&narrow), *su = signature(&upper);
    CHECK_STR(sw, sn);
    CHECK_STR(su, sn);
    CHECK_TERM(narrow, "abc123");
    CHECK(narrow.n > 0);
    free(sw);
    free(sn);
    free(su);
    terms_free(&wide);
    terms_free(&narrow);
    terms_free(&upper);

    /* in a Chinese sentence, as documents write it */
    terms t = terms_of("执行《ＧＢ／Ｔ　１９０００》标准，ＰＭ２．５浓度下降", 0);
    CHECK_TERM(t, "gb");
    CHECK_TERM(t, "19000");
    CHECK_TERM(t, "pm2.5");
    CHECK_NO_TERM(t, "ＧＢ");
    terms_free(&t);

    /* full-width punctuation is punctuation: its own token, and it
     * separates the words on either side; its only term is its mark's (Y +
     * the mark, normalized: NFKC makes ， a comma), at its position */
    const char *s = "ＡＢＣ，ＤＥＦ！碳达峰；碳中和：（试行）“通知”、。";
    toks v = analyze(s, 0);
    CHECK_TOK(v, "abc", WS_TOKEN_ALNUM);
    CHECK_TOK(v, "def", WS_TOKEN_ALNUM);
    CHECK(!find_tok(&v, "abc,def", 0));
    static const char *const marks[] = {"，", "！", "；", "：", "（", "）", "“", "”", "、", "。"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        const char *at = strstr(s, marks[i]);
        size_t off = (size_t)(at - s);
        const tk *found = NULL;
        for (size_t j = 0; j < v.n; j++)
            if (v.t[j].start == off)
                found = &v.t[j];
        if (!found || found->kind != WS_TOKEN_PUNCT || found->end != off + strlen(marks[i])) {
            fprintf(stderr, "%s:%d: %s is not a punctuation token\n", __FILE__, __LINE__, marks[i]);
            check_failures++;
        }
    }
    toks_free(&v);
    terms p = terms_of(s, 0);
    size_t nmarks = 0;
    for (size_t i = 0; i < p.n; i++) {
        if (p.t[i].kind == WS_TERM_PUNCT) {
            CHECK(p.t[i].term[0] == 'Y' && p.t[i].pos > 0);
            nmarks++;
            continue;
        }
        const char *bad = strpbrk(p.t[i].term, ",!;:()");
        CHECK(bad == NULL);
        CHECK(strstr(p.t[i].term, "，") == NULL && strstr(p.t[i].term, "。") == NULL);
    }
    CHECK_INT(nmarks, sizeof marks / sizeof *marks);
    CHECK(term_at(&p, "Y,", 2) && term_at(&p, "Y;", 8) && term_at(&p, "Y、", 21));
    terms_free(&p);
}

/* ---- 2. Traditional -> Simplified ----------------------------------------- */

static void test_traditional(void)
{
    static const char *const pairs[][2] = {
        {"國務院辦公廳", "国务院办公厅"},
        {"國務院辦公廳關於印發《數字經濟發展規劃》的通知",
         "国务院办公厅关于印发《数字经济发展规划》的通知"},
        {"臺灣地區與香港特別行政區", "台湾地区与香港特别行政区"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        terms tr = terms_of(pairs[i][0], WS_ANALYZE_JOIN_LINES);
        terms si = terms_of(pairs[i][1], WS_ANALYZE_JOIN_LINES);
        char *a = signature(&tr), *b = signature(&si);
        CHECK(si.n > 0);
        CHECK_STR(a, b);
        free(a);
        free(b);
        terms_free(&tr);
        terms_free(&si);
    }
    terms t = terms_of("國務院辦公廳", 0);
    CHECK_TERM(t, "U国");
    CHECK_TERM(t, "U厅");
    CHECK_TERM(t, "B国务");
    CHECK_TERM(t, "B办公");
    CHECK_NO_TERM(t, "U國");
    CHECK_NO_TERM(t, "B國務");
    /* the words: 国务院 (alone or inside a longer lexicon word) */
    int word = 0;
    for (size_t i = 0; i < t.n; i++)
        if (t.t[i].kind == WS_TERM_WORD && strstr(t.t[i].term, "国务院"))
            word = 1;
    CHECK(word);
    terms_free(&t);
}

/* ---- 3. line breaks ------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    *len = (size_t)n;
    fclose(f);
    return buf;
}

/* How many times the pairs of 用地面积 stand at consecutive positions. */
static size_t count_yongdimianji(const terms *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->t[i].term, "U用") && term_at(v, "U地", v->t[i].pos + 1) &&
            term_at(v, "U面", v->t[i].pos + 2) && term_at(v, "U积", v->t[i].pos + 3))
            n++; /* the phrase 用地面积 at consecutive positions */
    return n;
}

static void test_line_breaks_seed(void)
{
    char path[4096];
    size_t len;
    const char *seed = "corpus/seed/zhanggong-industry.txt";
    char *text = ws_fixture_shared(path, sizeof path, seed) ? read_file(path, &len) : NULL;
    if (!text) {
        printf("SKIP (seed): %s is absent\n", path);
        return;
    }
    const char *brk = strstr(text, "园区用\n地面积");
    CHECK(brk != NULL); /* the page breaks the word across lines */
    if (!brk) {
        free(text);
        return;
    }
    size_t nl = (size_t)(brk - text) + strlen("园区用");

    terms joined, raw;
    CHECK_INT(terms_with(text, len, WS_ANALYZE_JOIN_LINES, &joined), WS_OK);
    CHECK_INT(terms_with(text, len, 0, &raw), WS_OK);
    CHECK(count_yongdimianji(&joined) >= 1);
    CHECK_INT(count_yongdimianji(&raw), 0); /* so it is the joining that finds it */
    CHECK(count_term(&joined, "B用地") > count_term(&raw, "B用地"));
    terms_free(&joined);
    terms_free(&raw);

    /* the word found across the break covers the newline in the input */
    toks v;
    CHECK_INT(analyze_with(an, text, len, WS_ANALYZE_JOIN_LINES, &v), WS_OK);
    const tk *across = NULL;
    for (size_t i = 0; i < v.n; i++)
        if (v.t[i].kind == WS_TOKEN_HAN && v.t[i].start < nl && v.t[i].end > nl + 1)
            across = &v.t[i];
    CHECK(across != NULL);
    if (across)
        CHECK(strstr(across->text, "用地") != NULL || strstr(across->text, "地面") != NULL);
    /* 1106.10公 / 顷: a number and its unit across the break */
    if (strstr(text, "1106.10公\n顷"))
        CHECK_TOK(v, "1106.10公顷", WS_TOKEN_COMPOUND);
    toks_free(&v);
    free(text);
}

static void test_line_breaks(void)
{
    terms t = terms_of("园区用\n地面积", WS_ANALYZE_JOIN_LINES);
    CHECK_INT(count_yongdimianji(&t), 1);
    terms_free(&t);
    t = terms_of("园区用\r\n   地面积", WS_ANALYZE_JOIN_LINES); /* CRLF, indented */
    CHECK_INT(count_yongdimianji(&t), 1);
    terms_free(&t);

    /* a blank line ends a paragraph: nothing joins across it */
    static const char *const blank[] = {"园区用\n\n地面积", "园区用\n \n地面积",
                                        "园区用\r\n\r\n地面积"};
    for (size_t i = 0; i < sizeof blank / sizeof *blank; i++) {
        t = terms_of(blank[i], WS_ANALYZE_JOIN_LINES);
        CHECK_NO_TERM(t, "B用地");
        CHECK_NO_TERM(t, "用地");
        CHECK_TERM(t, "B地面");
        terms_free(&t);
    }

    /* a break between Latin words stays a space */
    toks v = analyze("hello\nworld", WS_ANALYZE_JOIN_LINES);
    CHECK_TOK(v, "hello", WS_TOKEN_ALNUM);
    CHECK_TOK(v, "world", WS_TOKEN_ALNUM);
    CHECK(!find_tok(&v, "helloworld", 0));
    toks_free(&v);
    v = analyze("中国\nchina\n2024", WS_ANALYZE_JOIN_LINES);
    CHECK_TOK(v, "中国", WS_TOKEN_HAN);
    CHECK_TOK(v, "china", WS_TOKEN_ALNUM);
    CHECK_TOK(v, "2024", WS_TOKEN_ALNUM);
    CHECK(!find_tok(&v, "china2024", 0));
    toks_free(&v);
}

/* ---- 4. lexicon and user dictionary ---------------------------------------- */

static void test_lexicon(void)
{
    toks v = analyze("章贡区紧紧围绕产业链现代化，发展高新技术产业，做好疫情防控，印发通知", 0);
    CHECK_TOK(v, "章贡区", WS_TOKEN_HAN);
    CHECK_TOK(v, "产业链", WS_TOKEN_HAN);
    CHECK_TOK(v, "高新技术", WS_TOKEN_HAN);
    CHECK_TOK(v, "印发", WS_TOKEN_HAN);
    /* 疫情防控: words, not single characters (plain ICU's result) */
    size_t at = strlen("章贡区紧紧围绕产业链现代化，发展高新技术产业，做好");
    for (size_t i = 0; i < v.n; i++)
        if (v.t[i].start >= at && v.t[i].end <= at + strlen("疫情防控"))
            CHECK(v.t[i].nchars >= 2);
    toks_free(&v);

    /* the particle 的 is a word of its own (GB/T 13715), though friso lists
     * 党的 and 新的; where 的 is no particle (目的) or the dictionaries list
     * the particle word (别的), the word stays */
    v = analyze("加强党的建设，开创新的局面，目的是团结别的同志。", 0);
    CHECK_TOK(v, "党", WS_TOKEN_HAN);
    CHECK_TOK(v, "新", WS_TOKEN_HAN);
    CHECK_TOK(v, "目的", WS_TOKEN_HAN);
    CHECK_TOK(v, "别的", WS_TOKEN_HAN);
    size_t de = 0;
    for (size_t i = 0; i < v.n; i++)
        de += !strcmp(v.t[i].text, "的");
    CHECK_INT(de, 2);
    toks_free(&v);
}

static void test_user_dict(void)
{
    const char *s = "加快发展新质生产力，培育链主企业，推进数字孪生城市建设";
    /* the user dictionary alone: the built-in new words list some of these */
    setenv("WENSUO_NEW_WORDS", "", 1);
    ws_lexicon *plain = NULL;
    ws_analyzer *pa = NULL;
    char perr[512] = "";
    CHECK_INT(ws_lexicon_open_default(NULL, NULL, &plain, perr, sizeof perr), WS_OK);
    if (!plain || ws_analyzer_new(plain, &pa) != WS_OK) {
        unsetenv("WENSUO_NEW_WORDS");
        ws_lexicon_free(plain);
        return;
    }
    toks before;
    CHECK_INT(analyze_with(pa, s, strlen(s), 0, &before), WS_OK);
    ws_analyzer_free(pa);
    /* without the user dictionary these are not words (else the test proves nothing) */
    CHECK(!find_tok(&before, "新质生产力", 0));
    CHECK(!find_tok(&before, "链主", 0));
    CHECK(!find_tok(&before, "数字孪生", 0));
    toks_free(&before);

    char path[WS_FIXTURE_PATH];
    /* one word a line; a comment; a traditional entry that must match simplified text */
    ws_fixture_tmpfile(path, sizeof path, "userdict",
                       "# 研究者的领域词\n新质生产力\n链主\n數字孿生\n");

    ws_lexicon *user = NULL;
    char err[512] = "";
    ws_status st = ws_lexicon_open_default(NULL, path, &user, err, sizeof err);
    unsetenv("WENSUO_NEW_WORDS");
    CHECK_INT(st, WS_OK);
    if (st != WS_OK) {
        fprintf(stderr, "  %s\n", err);
        ws_lexicon_free(plain);
        unlink(path);
        return;
    }
    CHECK(ws_lexicon_size(user) == ws_lexicon_size(plain) + 3);
    ws_lexicon_free(plain);
    ws_analyzer *ua = NULL;
    CHECK_INT(ws_analyzer_new(user, &ua), WS_OK);
    toks v;
    CHECK_INT(analyze_with(ua, s, strlen(s), 0, &v), WS_OK);
    CHECK_TOK(v, "新质生产力", WS_TOKEN_HAN);
    CHECK_TOK(v, "链主", WS_TOKEN_HAN);
    CHECK_TOK(v, "数字孪生", WS_TOKEN_HAN);
    const tk *w = find_tok(&v, "新质生产力", 0);
    if (w)
        CHECK(w->lexflags & WS_LEX_USER);
    toks_free(&v);

    /* ws_lexicon_load_file on a fresh lexicon, and a missing file */
    ws_lexicon *small = NULL;
    CHECK_INT(ws_lexicon_new(&small), WS_OK);
    CHECK_INT(ws_lexicon_load_file(small, path, WS_LEX_WORD | WS_LEX_USER), WS_OK);
    CHECK_INT(ws_lexicon_size(small), 3);
    uint32_t cps[2] = {0x94FE /* 链 */, 0x4E3B /* 主 */};
    CHECK(ws_lexicon_lookup(small, cps, 2, NULL) & WS_LEX_USER);
    CHECK_INT(ws_lexicon_load_file(small, "/nonexistent/dict.txt", WS_LEX_WORD), WS_ENOTFOUND);
    /* a user word ending in the particle 的 is kept, unlike friso's */
    char p2[WS_FIXTURE_PATH];
    ws_fixture_tmpfile(p2, sizeof p2, "userdict_de", "新的\n");
    uint32_t xinde[2] = {0x65B0 /* 新 */, 0x7684 /* 的 */};
    CHECK_INT(ws_lexicon_load_file(small, p2, WS_LEX_WORD), WS_OK);
    CHECK_INT(ws_lexicon_lookup(small, xinde, 2, NULL) & WS_LEX_WORD, 0); /* as friso */
    CHECK_INT(ws_lexicon_load_file(small, p2, WS_LEX_WORD | WS_LEX_USER), WS_OK);
    CHECK(ws_lexicon_lookup(small, xinde, 2, NULL) & WS_LEX_USER);
    unlink(p2);
    ws_lexicon_free(small);

    ws_analyzer_free(ua);
    ws_lexicon_free(user);
    unlink(path);
}

/* The words of v, space separated, as `wensuo analyze` prints them. */
static char *words(const toks *v)
{
    size_t n = 1;
    for (size_t i = 0; i < v->n; i++)
        n += v->t[i].len + 1;
    char *out = calloc(n, 1), *p = out;
    for (size_t i = 0; out && i < v->n; i++) {
        if (v->t[i].kind == WS_TOKEN_COMPOUND)
            continue;
        if (p > out)
            *p++ = ' ';
        memcpy(p, v->t[i].text, v->t[i].len);
        p += v->t[i].len;
    }
    return out;
}

static void check_words(ws_analyzer *a, const char *s, const char *want)
{
    toks v;
    CHECK_INT(analyze_with(a, s, strlen(s), 0, &v), WS_OK);
    char *got = words(&v);
    CHECK_STR(got, want);
    free(got);
    toks_free(&v);
}

static void test_word_counts(void)
{
    char path[WS_FIXTURE_PATH];
    /* a comment, a word the lexicon lacks (it counts in the total only),
     * malformed lines (no tab, no count) skipped; a traditional entry */
    const char *counts = "# 词频\n新\t100\n世纪\t50\n新世紀\t1\n不在词典\t49\n没有制表符 7\n空\t\n";
    ws_fixture_tmpfile(path, sizeof path, "counts", counts);

    ws_lexicon *small = NULL;
    CHECK_INT(ws_lexicon_new(&small), WS_OK);
    CHECK_INT(ws_lexicon_add(small, "新", strlen("新"), WS_LEX_WORD), WS_OK);
    CHECK_INT(ws_lexicon_add(small, "世纪", strlen("世纪"), WS_LEX_WORD), WS_OK);
    CHECK_INT(ws_lexicon_add(small, "新世纪", strlen("新世纪"), WS_LEX_WORD), WS_OK);
    CHECK_INT(ws_lexicon_add(small, "空", strlen("空"), WS_LEX_WORD), WS_OK);
    CHECK_INT((long long)ws_lexicon_counts_total(small), 0);
    CHECK_INT(ws_lexicon_load_counts(small, path), WS_OK);
    CHECK_INT((long long)ws_lexicon_counts_total(small), 200);
    CHECK_INT(ws_lexicon_size(small), 4); /* 不在词典 not added */
    uint32_t xin = 0x65B0 /* 新 */, xsj[3] = {0x65B0, 0x4E16 /* 世 */, 0x7EAA /* 纪 */};
    int32_t cost = -1;
    CHECK(ws_lexicon_lookup_cost(small, &xin, 1, &cost) & WS_LEX_WORD);
    CHECK_INT(cost, 69); /* 100 ln(200 / 100) */
    CHECK(ws_lexicon_lookup_cost(small, xsj + 1, 2, &cost) & WS_LEX_WORD);
    CHECK_INT(cost, 139); /* 100 ln(200 / 50) */
    CHECK(ws_lexicon_lookup_cost(small, xsj, 3, &cost) & WS_LEX_WORD);
    CHECK_INT(cost, 530);   /* 100 ln(200 / 1) */
    uint32_t kong = 0x7A7A; /* 空: listed without a count */
    ws_lexicon_lookup_cost(small, &kong, 1, &cost);
    CHECK_INT(cost, 0);
    /* with these counts 新世纪 (5.3 nats, more for its length) loses to 新 世纪 */
    ws_analyzer *sa = NULL;
    CHECK_INT(ws_analyzer_new(small, &sa), WS_OK);
    check_words(sa, "新世纪", "新 世纪");
    ws_analyzer_free(sa);
    CHECK_INT(ws_lexicon_load_counts(small, "/nonexistent/counts.tsv"), WS_ENOTFOUND);
    char empty[WS_FIXTURE_PATH];
    ws_fixture_tmpfile(empty, sizeof empty, "counts", "# 无\n新\n");
    CHECK_INT(ws_lexicon_load_counts(small, empty), WS_EINVAL);
    unlink(empty);
    CHECK_INT((long long)ws_lexicon_counts_total(small), 200); /* unchanged by failures */
    ws_lexicon_free(small);

    /* The default lexicon loads the built-in counts (indexer/data/word_counts.tsv);
     * $WENSUO_WORD_COUNTS names others, empty for none, and a named file that
     * is missing is an error. */
    CHECK(ws_lexicon_counts_total(lex) > 1000000);
    ws_lexicon *fixed = NULL, *named = NULL;
    char err[512] = "";
    setenv("WENSUO_WORD_COUNTS", path, 1);
    CHECK_INT(ws_lexicon_open_default(NULL, NULL, &named, err, sizeof err), WS_OK);
    if (named)
        CHECK_INT((long long)ws_lexicon_counts_total(named), 200);
    ws_lexicon_free(named);
    setenv("WENSUO_WORD_COUNTS", "/nonexistent/counts.tsv", 1);
    CHECK_INT(ws_lexicon_open_default(NULL, NULL, &named, err, sizeof err), WS_ENOTFOUND);
    CHECK(named == NULL && strstr(err, "/nonexistent/counts.tsv"));
    setenv("WENSUO_WORD_COUNTS", "", 1);
    CHECK_INT(ws_lexicon_open_default(NULL, NULL, &fixed, err, sizeof err), WS_OK);
    unsetenv("WENSUO_WORD_COUNTS");
    if (!fixed) {
        unlink(path);
        return;
    }
    CHECK_INT((long long)ws_lexicon_counts_total(fixed), 0);
    CHECK_INT(ws_lexicon_size(fixed), ws_lexicon_size(lex));

    /* Real news text (新闻联播, ../shared/corpus): with fixed costs per word
     * the fewest words win, 上 升为 and 带累 计; with the counts the probable
     * words do, 上升 为 and 带 累计. */
    ws_analyzer *fa = NULL;
    CHECK_INT(ws_analyzer_new(fixed, &fa), WS_OK);
    const char *s1 = "将推动长江经济带发展上升为重大国家战略";
    const char *s2 = "长江经济带累计建成污水管网";
    check_words(fa, s1, "将 推动 长江 经济 带 发展 上 升为 重大 国家 战略");
    check_words(fa, s2, "长江 经济 带累 计 建成 污水 管网");
    check_words(an, s1, "将 推动 长江 经济 带 发展 上升 为 重大 国家 战略");
    check_words(an, s2, "长江 经济 带 累计 建成 污水 管网");
    ws_analyzer_free(fa);
    ws_lexicon_free(fixed);
    unlink(path);
}

/* The granularity of the national standard where friso's entries are
 * coarser: aspect particles (有了, 带着) and the adjective 新 (新世纪) are
 * words of their own, unless the word is lexicalized (为了, 随着, 受不了) or a
 * name (新华社); a numeral and a classifier (多名) or 是 (一是) are two words,
 * but 一个 is one; so are a surname and a given name, and a number and 年
 * unless the number is a year. */
static void test_granularity(void)
{
    check_words(an, "为了明天，他们有了新的目标", "为了 明天 , 他们 有 了 新 的 目标");
    check_words(an, "随着经济发展，带着希望走进新世纪", "随着 经济 发展 , 带 着 希望 走进 新 世纪");
    check_words(an, "新华社北京电", "新华社 北京 电");
    check_words(an, "受不了也用不着", "受不了 也 用不着");
    check_words(an, "一个好消息，一是加强领导，二是多名干部参加",
                "一个 好 消息 , 一 是 加强 领导 , 二 是 多 名 干部 参加");
    /* a surname and a given name are two words, whether the lexicon lists
     * the name (胡锦涛) or not (夏世清) */
    check_words(an, "书记胡锦涛和夏世清会见了客人", "书记 胡 锦涛 和 夏 世清 会见 了 客人");
    /* 年 makes a compound with a year, not with a number of years */
    toks v = analyze("2024年完成，10年来", 0);
    CHECK_TOK(v, "2024年", WS_TOKEN_COMPOUND);
    CHECK(!find_tok(&v, "10年", 0));
    CHECK_TOK(v, "10", WS_TOKEN_ALNUM);
    toks_free(&v);
}

/* Is word, where it occurs in s, a word of the analysis or made of words
 * of two characters or more (no single character of it left alone)? */
static int whole_or_pieces(ws_analyzer *a, const char *s, const char *word, int whole)
{
    const char *at = strstr(s, word);
    if (!at)
        return 0;
    size_t b = (size_t)(at - s), e = b + strlen(word);
    toks v;
    if (analyze_with(a, s, strlen(s), 0, &v) != WS_OK)
        return 0;
    int ok = 1, pieces = 0;
    for (size_t i = 0; i < v.n; i++) {
        const tk *t = &v.t[i];
        if (t->kind != WS_TOKEN_HAN || t->end <= b || t->start >= e)
            continue;
        pieces++;
        if (t->start < b || t->end > e || t->nchars < 2)
            ok = 0;
    }
    toks_free(&v);
    return ok && pieces > 0 && (!whole || pieces == 1);
}

static const ws_lexicon_source *source_of(const ws_lexicon *l, const char *path)
{
    const ws_lexicon_source *src;
    size_t n;
    ws_lexicon_sources(l, &src, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(src[i].path, path))
            return &src[i];
    return NULL;
}

/* New words (tools/new_words): a file of "word TAB count" lines that the
 * default lexicon loads after the word counts ($WENSUO_NEW_WORDS, else the
 * built-in indexer/data/new_words.tsv); its words come out whole in
 * sentences of the corpus, the lexicon says which files gave how many words,
 * and a malformed file is refused with the line and what is wrong. */
static void test_new_words(void)
{
    char path[WS_FIXTURE_PATH];
    ws_fixture_tmpfile(path, sizeof path, "new_words",
                       "# 新词\n链主\t300\n专精特新\t800\n\n智改数转\t60\n");
    ws_lexicon *with = NULL, *without = NULL;
    char err[1024] = "";
    setenv("WENSUO_NEW_WORDS", path, 1);
    CHECK_INT(ws_lexicon_open_default(NULL, NULL, &with, err, sizeof err), WS_OK);
    setenv("WENSUO_NEW_WORDS", "", 1);
    CHECK_INT(ws_lexicon_open_default(NULL, NULL, &without, err, sizeof err), WS_OK);
    unsetenv("WENSUO_NEW_WORDS");
    if (!with || !without) {
        ws_lexicon_free(with);
        ws_lexicon_free(without);
        unlink(path);
        return;
    }
    const ws_lexicon_source *src = source_of(with, path);
    CHECK(src != NULL);
    if (src) {
        CHECK_STR(src->kind, "new words");
        CHECK_INT(src->words, 3);
    }
    CHECK(source_of(without, path) == NULL);
    CHECK_INT(ws_lexicon_size(with), ws_lexicon_size(without) + 3);
    /* a new word gets its cost from the counts, 100 ln(total / 300), and the prior */
    uint32_t lz[2] = {0x94FE /* 链 */, 0x4E3B /* 主 */};
    int32_t cost = 0;
    CHECK(ws_lexicon_lookup_cost(with, lz, 2, &cost) & WS_LEX_WORD);
    CHECK_INT(cost, (long long)(100.0 * log((double)ws_lexicon_counts_total(with) / 300) + 300.5));
    /* sentences of the seed page (../shared/corpus/seed) */
    const char *s1 = "为加快培育链主企业，章贡区出台推进工业倍增升级行动若干措施";
    const char *s2 = "以“智改数转”重塑生产流程，省级专精特新中小企业达到百家";
    ws_analyzer *wa = NULL, *na = NULL;
    CHECK_INT(ws_analyzer_new(with, &wa), WS_OK);
    CHECK_INT(ws_analyzer_new(without, &na), WS_OK);
    if (wa && na) {
        CHECK(whole_or_pieces(wa, s1, "链主", 1));
        CHECK(whole_or_pieces(wa, s2, "智改数转", 1));
        CHECK(whole_or_pieces(wa, s2, "专精特新", 1));
        CHECK(!whole_or_pieces(na, s1, "链主", 0));
        CHECK(!whole_or_pieces(na, s2, "智改数转", 0));
    }
    ws_analyzer_free(wa);
    ws_analyzer_free(na);
    ws_lexicon_free(with);
    ws_lexicon_free(without);
    unlink(path);

    /* Malformed files are refused whole, naming the line and the fault. */
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"链主\t300\n链长 12\n", ":2: expected a word, a tab and a count"},
        {"链主\t三百\n", ":1: the count is not a number"},
        {"链主\t0\n", ":1: the count is not positive"},
        {"链主\t30 次\n", ":1: more than a word and a count"},
        {"5G基站\t30\n", ":1: a new word is made of Chinese characters only"},
        {"链\t30\n", ":1: a new word has two characters or more"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char bp[WS_FIXTURE_PATH];
        ws_fixture_tmpfile(bp, sizeof bp, "new_words", bad[i].text);
        ws_lexicon *l = NULL;
        err[0] = '\0';
        setenv("WENSUO_NEW_WORDS", bp, 1);
        CHECK_INT(ws_lexicon_open_default(NULL, NULL, &l, err, sizeof err), WS_EINVAL);
        unsetenv("WENSUO_NEW_WORDS");
        CHECK(l == NULL);
        ws_lexicon_free(l);
        if (!strstr(err, bp) || !strstr(err, bad[i].why))
            fprintf(stderr, "message: %s (want %s)\n", err, bad[i].why);
        CHECK(strstr(err, bp) && strstr(err, bad[i].why));
        /* loaded by hand, the lexicon is left as it was */
        size_t nw = 99;
        ws_lexicon *mine = NULL;
        CHECK_INT(ws_lexicon_new(&mine), WS_OK);
        CHECK_INT(ws_lexicon_load_new_words(mine, bp, &nw, err, sizeof err), WS_EINVAL);
        CHECK_INT(ws_lexicon_size(mine), 0);
        CHECK_INT(nw, 0);
        ws_lexicon_free(mine);
        unlink(bp);
    }
    ws_lexicon *l = NULL;
    setenv("WENSUO_NEW_WORDS", "/nonexistent/new_words.tsv", 1);
    CHECK_INT(ws_lexicon_open_default(NULL, NULL, &l, err, sizeof err), WS_ENOTFOUND);
    unsetenv("WENSUO_NEW_WORDS");
    CHECK(l == NULL && strstr(err, "/nonexistent/new_words.tsv"));
}

/* The built-in new words (indexer/data/new_words.tsv, learned from the
 * shared corpus by tools/new_words): the coinages of policy language come
 * out whole, or in words of two characters or more, in sentences of the
 * corpus. */
static void test_builtin_new_words(void)
{
    const ws_lexicon_source *src = source_of(lex, WS_SOURCE_DIR "/indexer/data/new_words.tsv");
    CHECK(src != NULL && src->words > 1000);
    static const struct {
        const char *sentence, *word;
        int whole;
    } cases[] = {
        {"当地坚持“链长+链主”“生产+服务”“基地+总部”的发展路径", "链主", 0},
        /* 链长 and the system named after it: 链 长制 before, where the
         * lexicon's 长制 held the counts of 河长制 and its kind */
        {"当地坚持“链长+链主”“生产+服务”“基地+总部”的发展路径", "链长", 1},
        {"当地将以链长制为抓手，开展延链、补链、强链行动，推动产业集群式发展", "链长制", 1},
        {"全面推行产业链链长制，主攻14条重点产业链，三年培育链主企业114家", "链长制", 1},
        {"为加快培育链主企业，章贡区出台推进工业倍增升级行动若干措施", "链主", 0},
        {"累计培育国家级专精特新“小巨人”企业243家，稳居全国地级市第一方阵", "专精特新", 0},
        {"累计培育国家级专精特新“小巨人”企业243家，稳居全国地级市第一方阵", "小巨人", 0},
        {"今年前三季度，吉林省实施制造业“智改数转”项目215个", "智改数转", 0},
        {"中国将力争2030年前实现碳达峰、2060年前实现碳中和", "碳达峰", 0},
        {"中国将力争2030年前实现碳达峰、2060年前实现碳中和", "碳中和", 0},
        {"人工智能爆发式增长，对算力需求正呈现出指数级攀升", "算力", 0},
        {"明确50项目标任务，刚开年，便聚焦汽车产业的创新研发、数智化改造", "数智化", 0},
        {"我国以“东数西算”工程为牵引，加快推进信息基础设施建设", "东数西算", 0},
        {"市人民政府应当加强接诉即办工作保障，强化监督检查", "接诉即办", 0},
        {"推动政务服务事项一网通办", "一网通办", 0},
        {"高质量推进粤港澳大湾区建设，让现代化建设成果更多更公平惠及全体人民", "粤港澳大湾区", 0},
        {"因地制宜发展新质生产力，打造全国重要的新能源及新能源装备制造基地", "新质生产力", 0},
        {"世泰科江钨入选省级“数智工厂”，深联电路跻身国家数字化转型标杆", "数智工厂", 0},
        {"重点发展大健康产业、数智装备产业、稀金材料产业三大产业集群", "数智", 1},
        {"2.5%的省级行政许可事项实现网上受理和“最多跑一次”", "最多跑一次", 1},
        {"“多规合一”国土空间规划体系已基本形成", "多规合一", 1},
        {"155项高频政务服务事项实现“跨省通办”", "跨省通办", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int ok = whole_or_pieces(an, cases[i].sentence, cases[i].word, cases[i].whole);
        if (!ok)
            fprintf(stderr, "%s: %s not %s\n", cases[i].sentence, cases[i].word,
                    cases[i].whole ? "whole" : "whole or in words");
        CHECK(ok);
    }
    /* and the phrases of the standard stay phrases: a stop word and a word
     * free without it (比 上年), a compound of words (风景 名胜区), a
     * classifier and its noun (一 件 大事) */
    static const struct {
        const char *sentence, *phrase;
    } phrases[] = {
        {"社会融资规模增量为3.53万亿元，比上年同期多6245亿元", "比上年"},
        {"将串联起九华山、黄山风景名胜区等一批全国著名旅游名胜", "风景名胜区"},
        {"党第二十次全国代表大会是中国政治生活中的一件大事", "件大事"},
    };
    for (size_t i = 0; i < sizeof phrases / sizeof *phrases; i++) {
        toks v = analyze(phrases[i].sentence, 0);
        if (find_tok(&v, phrases[i].phrase, 0))
            fprintf(stderr, "%s: %s is one word\n", phrases[i].sentence, phrases[i].phrase);
        CHECK(!find_tok(&v, phrases[i].phrase, 0));
        toks_free(&v);
    }
}

/* ---- 5. mixed tokens --------------------------------------------------------- */

static void test_mixed(void)
{
    const char *s = "园区面积949.21公顷，L6级自动驾驶，5G网络，COVID-19疫情以来，"
                    "2024年新增2.5万亩，增长949.21";
    terms t = terms_of(s, 0);
    toks v = analyze(s, 0);
    /* the wholes, at a position (a phrase can hold them) */
    static const char *const whole[] = {"949.21公顷", "l6",      "5g",    "covid-19",
                                        "2024年",     "2.5万亩", "949.21"};
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++) {
        const term *w = find_term(&t, whole[i]);
        CHECK_TERM(t, whole[i]);
        if (w)
            CHECK(w->pos > 0);
    }
    CHECK_TOK(v, "949.21公顷", WS_TOKEN_COMPOUND);
    CHECK_TOK(v, "covid-19", WS_TOKEN_COMPOUND);
    CHECK_TOK(v, "2024年", WS_TOKEN_COMPOUND);
    CHECK_TOK(v, "2.5万亩", WS_TOKEN_COMPOUND);
    /* and their parts */
    static const char *const parts[] = {
        "949.21", "公顷", "U顷", /* 949.21公顷 */
        "covid",  "19",          /* COVID-19 */
        "2024",   "U年",         /* 2024年 */
        "2.5",    "U亩",         /* 2.5万亩 */
        "949",    "21",          /* 949.21 */
    };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        CHECK_TERM(t, parts[i]);
    /* but a letter beside a digit parts nothing (L6, 5G): a concordance
     * finds no 5 in 5G, and a search must match what it counts */
    static const char *const no_parts[] = {"l", "6", "g"};
    for (size_t i = 0; i < sizeof no_parts / sizeof *no_parts; i++)
        if (find_term(&t, no_parts[i])) {
            fprintf(stderr, "a part \"%s\" of L6 or 5G indexed\n", no_parts[i]);
            check_failures++;
        }
    /* a compound covers exactly its parts */
    for (size_t i = 0; i < v.n; i++) {
        if (v.t[i].kind != WS_TOKEN_COMPOUND)
            continue;
        CHECK(v.t[i].parts >= 2 && i + v.t[i].parts < v.n);
        if (v.t[i].parts < 2 || i + v.t[i].parts >= v.n)
            continue;
        CHECK_INT(v.t[i + 1].start, v.t[i].start);
        CHECK_INT(v.t[i + 1].pos, v.t[i].pos);
        CHECK_INT(v.t[i + v.t[i].parts].end, v.t[i].end);
    }
    toks_free(&v);
    terms_free(&t);
}

/* ---- offsets and positions --------------------------------------------------- */

static void test_offsets(void)
{
    const char *s = "國務院辦公廳關於印發《ＡＢＣ１２３計劃》的通知：COVID-19疫情期間，园区用\n"
                    "地面积949.21公顷（約２.５万亩）。Ｌ６　and 5G网络\n\n第二段：臺灣";
    size_t len = strlen(s);
    toks v = analyze(s, WS_ANALYZE_JOIN_LINES);
    CHECK(v.n > 20);
    char *covered = calloc(len, 1);
    for (size_t i = 0; i < v.n; i++) {
        const tk *t = &v.t[i];
        CHECK(t->start < t->end && t->end <= len);
        if (!(t->start < t->end && t->end <= len))
            continue;
        CHECK(!is_cont((unsigned char)s[t->start]));
        CHECK(t->end == len || !is_cont((unsigned char)s[t->end]));
        for (size_t b = t->start; b < t->end; b++)
            covered[b] = 1;
        /* the input bytes, normalized and without the line breaks joined
         * away, are the token's text */
        char slice[512];
        size_t n = 0;
        for (size_t b = t->start; b < t->end && n < sizeof slice - 1; b++)
            if (s[b] != '\n' && s[b] != '\r')
                slice[n++] = s[b];
        char *norm = NULL;
        CHECK_INT(ws_normalize_utf8(slice, n, &norm, NULL), WS_OK);
        if (norm && strcmp(norm, t->text) != 0) {
            fprintf(stderr, "%s:%d: token \"%s\" at [%zu,%zu) points at \"%.*s\"\n", __FILE__,
                    __LINE__, t->text, t->start, t->end, (int)(t->end - t->start), s + t->start);
            check_failures++;
        }
        free(norm);
    }
    /* every byte that is not a space belongs to a token */
    for (size_t b = 0; b < len; b++) {
        int space = s[b] == ' ' || s[b] == '\n' ||
                    (b + 3 <= len && !memcmp(s + b, "\xE3\x80\x80", 3)) ||
                    (b >= 1 && b + 2 <= len && !memcmp(s + b - 1, "\xE3\x80\x80", 3)) ||
                    (b >= 2 && !memcmp(s + b - 2, "\xE3\x80\x80", 3));
        if (!space && !covered[b]) {
            fprintf(stderr, "%s:%d: byte %zu (\"%.6s\") is in no token\n", __FILE__, __LINE__, b,
                    s + b);
            check_failures++;
            break;
        }
    }
    /* two words, as the national standard has it (and PKU: 国务院 办公厅) */
    CHECK_TOK(v, "国务院", 0);
    CHECK_TOK(v, "办公厅", 0);
    const tk *office = find_tok(&v, "办公厅", 0);
    if (office)
        CHECK(office->start == strlen("國務院") && office->end == strlen("國務院辦公廳"));
    CHECK_TOK(v, "abc123", WS_TOKEN_ALNUM);
    CHECK_TOK(v, "台湾", 0);
    free(covered);
    toks_free(&v);

    /* the offsets of a term's token (termgen passes them on) */
    terms t = terms_of(s, WS_ANALYZE_JOIN_LINES);
    const term *g = find_term(&t, "B公厅");
    CHECK(g != NULL);
    if (g) /* the token 辦公廳, in its traditional bytes */
        CHECK(g->start == strlen("國務院") && g->end == strlen("國務院辦公廳"));
    terms_free(&t);
}

static size_t count_han(const char *s)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += (size_t)ws_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        n += ws_char_is_han(cp);
    }
    return n;
}

static void test_positions(void)
{
    /* every CJK character one position, whatever the words */
    const char *s = "中华人民共和国国务院办公厅关于印发新质生产力发展规划的通知";
    size_t nhan = count_han(s);
    toks v = analyze(s, 0);
    uint32_t next = 1;
    for (size_t i = 0; i < v.n; i++) {
        CHECK_INT(v.t[i].pos, next);
        CHECK_INT(v.t[i].kind, WS_TOKEN_HAN);
        next = v.t[i].pos + v.t[i].nchars;
    }
    CHECK_INT(next, nhan + 1);
    toks_free(&v);
    /* every character at its own position; a pair for each two neighbours,
     * right after the character that ends it, and like the words without one */
    terms t = terms_of(s, 0);
    for (uint32_t p = 1; p <= nhan; p++) {
        size_t chars = 0;
        for (size_t i = 0; i < t.n; i++)
            chars += t.t[i].kind == WS_TERM_UNI && t.t[i].pos == p;
        CHECK_INT(chars, 1);
    }
    size_t uni = 0, bi = 0;
    for (size_t i = 0; i < t.n; i++) {
        uni += t.t[i].kind == WS_TERM_UNI;
        if (t.t[i].kind == WS_TERM_BI) {
            bi++;
            CHECK(i > 0 && t.t[i - 1].kind == WS_TERM_UNI);
            /* U国 then B国务: the pair's second character is the one before */
            CHECK(strlen(t.t[i].term) > strlen(t.t[i - 1].term) - 1);
            CHECK_STR(t.t[i].term + strlen(t.t[i].term) - (strlen(t.t[i - 1].term) - 1),
                      t.t[i - 1].term + 1);
        }
        if (t.t[i].kind != WS_TERM_UNI)
            CHECK_INT(t.t[i].pos, 0); /* CJK words and pairs: no position */
    }
    CHECK_INT(uni, nhan);
    CHECK_INT(bi, nhan - 1);
    terms_free(&t);

    /* mixed text: a Latin word, a number, a mark take one position each; a
     * compound shares the position of its first part */
    const char *m = "2024年COVID-19疫情，L6和5G。";
    v = analyze(m, 0);
    next = 1;
    for (size_t i = 0; i < v.n; i++) {
        if (v.t[i].kind == WS_TOKEN_COMPOUND) {
            CHECK(i + 1 < v.n && v.t[i + 1].pos == v.t[i].pos);
            continue;
        }
        CHECK_INT(v.t[i].pos, next);
        next = v.t[i].pos + (v.t[i].kind == WS_TOKEN_HAN ? v.t[i].nchars : 1);
    }
    toks_free(&v);

    /* the caller's position carries on from one call to the next */
    uint32_t pos = 100;
    toks w = {0};
    CHECK_INT(ws_analyzer_run(an, "国务院", strlen("国务院"), 0, &pos, on_tok, &w), WS_OK);
    CHECK_INT(pos, 103);
    CHECK(w.n >= 1 && w.t[0].pos == 100);
    toks_free(&w);

    /* white space between two tokens takes a position and holds a space
     * term there (any run of it one, a tab too); a paragraph break takes
     * one too, with no space term, even with white space around it */
    terms sp = terms_of("网络 安全\n\n经济 \t 发展 new york \n\n 改革", WS_ANALYZE_JOIN_LINES);
    CHECK(term_at(&sp, "U络", 2) && term_at(&sp, "P", 3) && term_at(&sp, "U安", 4));
    CHECK(term_at(&sp, "U全", 5) && term_at(&sp, "U经", 7)); /* the break at 6 */
    CHECK(term_at(&sp, "P", 9) && term_at(&sp, "U发", 10) && term_at(&sp, "P", 12));
    CHECK(term_at(&sp, "new", 13) && term_at(&sp, "P", 14) && term_at(&sp, "york", 15));
    CHECK(term_at(&sp, "U改", 17));
    CHECK_INT(count_term(&sp, "P"), 4);
    for (size_t i = 0; i < sp.n; i++)
        if (!strcmp(sp.t[i].term, "P"))
            CHECK_INT(sp.t[i].kind, WS_TERM_SPACE);
    terms_free(&sp);
}

/* Non-overlapping occurrences of needle in hay (as memmem finds them). */
static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0, l = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += l)
        n++;
    return n;
}

/* Run terms (WS_TERMGEN_RUNS): two or three CJK words side by side, so that
 * a run's term and word term never count more places than the text holds. */
static void test_runs(void)
{
    const unsigned flags = WS_ANALYZE_JOIN_LINES | WS_TERMGEN_RUNS;
    terms t = terms_of("县人民政府和人民政府", flags);
    /* 县 人民 政府: both of its runs of two and the run of three */
    CHECK_INT(count_term(&t, "R人民政府"), 2);
    CHECK_INT(count_term(&t, "R县人民"), 1);
    CHECK_INT(count_term(&t, "R县人民政府"), 1);
    for (size_t i = 0; i < t.n; i++)
        if (t.t[i].kind == WS_TERM_RUN)
            CHECK_INT(t.t[i].pos, 0);
    terms_free(&t);
    /* queries get none */
    t = terms_of("县人民政府和人民政府", WS_ANALYZE_JOIN_LINES);
    for (size_t i = 0; i < t.n; i++)
        CHECK(t.t[i].kind != WS_TERM_RUN);
    terms_free(&t);
    /* white space, a mark, a Latin word or a paragraph between: no run */
    const char *apart[] = {"人民 政府", "人民，政府", "人民A政府", "人民2024政府", "人民\n\n政府"};
    for (size_t k = 0; k < sizeof apart / sizeof *apart; k++) {
        t = terms_of(apart[k], flags);
        for (size_t i = 0; i < t.n; i++)
            CHECK(t.t[i].kind != WS_TERM_RUN);
        terms_free(&t);
    }
    /* a one-character stop word is no part of a run, and parts the words
     * around it */
    t = terms_of("人民的政府", flags);
    for (size_t i = 0; i < t.n; i++)
        CHECK(t.t[i].kind != WS_TERM_RUN);
    terms_free(&t);
    /* a line break print put inside the text is joined: the run stands */
    t = terms_of("人民\n政府", flags);
    CHECK_INT(count_term(&t, "R人民政府"), 1);
    terms_free(&t);
    /* the lower bound: for every run and word term, its places (and the
     * word's, of the same text) are no more than the text's occurrences */
    const char *text = "各级人民政府应当加强生态环境保护，县级以上地方各级人民政府"
                       "生态环境主管部门负责监督管理。人民政府 生态环境保护和人民代表大会"
                       "常务委员会，全国人民代表大会常务委员会监督管理生态环境。";
    t = terms_of(text, flags);
    char *joined = strdup(text);
    CHECK(joined != NULL);
    size_t w = 0;
    for (size_t r = 0; joined[r]; r++)
        if (joined[r] != ' ')
            joined[w++] = joined[r];
    joined[w] = '\0';
    size_t runs = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (t.t[i].kind != WS_TERM_RUN)
            continue;
        runs++;
        const char *x = t.t[i].term + strlen(WS_PFX_RUN);
        size_t places = count_term(&t, t.t[i].term) + count_term(&t, x);
        if (places > occurrences(joined, x)) {
            fprintf(stderr, "%s:%d: %s: %zu places, %zu in the text\n", __FILE__, __LINE__, x,
                    places, occurrences(joined, x));
            check_failures++;
        }
    }
    CHECK(runs > 20);
    /* across the space: 政府 生态 is no run, though 政府生态 is in the text */
    CHECK_INT(count_term(&t, "R政府生态"), 1);
    CHECK_INT(occurrences(joined, "政府生态"), 2);
    free(joined);
    terms_free(&t);
}

/* ---- broken input ------------------------------------------------------------- */

static void check_clean_terms(const terms *t, size_t len, const char *what)
{
    for (size_t i = 0; i < t->n; i++) {
        const term *x = &t->t[i];
        if (strlen(x->term) != x->len || strstr(x->term, "\xEF\xBF\xBD") ||
            !utf8_valid(x->term, x->len) || x->start > x->end || x->end > len) {
            fprintf(stderr, "%s:%d: %s: bad term \"%s\" [%zu,%zu)\n", __FILE__, __LINE__, what,
                    x->term, x->start, x->end);
            check_failures++;
            return;
        }
    }
}

static void test_broken(void)
{
    static const char s[] = "\xff\xfe中\0文\xc3\x28 abc\xe4\xb8 \xed\xa0\x80 \xf4\x90\x80\x80 "
                            "def\xc0\xaf国务\xe5院\0\0\n\x80\x80办公厅";
    size_t len = sizeof s - 1;
    terms t;
    CHECK_INT(terms_with(s, len, WS_ANALYZE_JOIN_LINES, &t), WS_OK);
    check_clean_terms(&t, len, "fixed");
    CHECK_TERM(t, "U中");
    CHECK_TERM(t, "U文");
    CHECK_TERM(t, "abc");
    CHECK_TERM(t, "def");
    CHECK_TERM(t, "B办公");
    CHECK_NO_TERM(t, "B中文"); /* a NUL is not nothing */
    terms_free(&t);
    toks v;
    CHECK_INT(analyze_with(an, s, len, 0, &v), WS_OK);
    for (size_t i = 0; i < v.n; i++)
        CHECK(v.t[i].end <= len && v.t[i].start < v.t[i].end);
    toks_free(&v);

    /* random bytes and random UTF-8: never a crash, never a bad term */
    static const char *const frags[] = {"中",   "國",    "园区", "\n", "\n\n", " ",
                                        "，",   "COVID", "-",    "19", ".",    "年",
                                        "公顷", "\xe4",  "\xb8", "\0", "Ａ",   "\xf0\x9f\x98\x80",
                                        "〇",   "○"};
    srand(20240601);
    char buf[600];
    for (int round = 0; round < 3000; round++) {
        size_t n = 0, want = (size_t)(rand() % 500);
        while (n < want) {
            if (rand() % 3 == 0) {
                buf[n++] = (char)(rand() % 256);
            } else {
                const char *f = frags[rand() % (sizeof frags / sizeof *frags)];
                size_t fl = f[0] ? strlen(f) : 1;
                if (n + fl > sizeof buf)
                    break;
                memcpy(buf + n, f, fl);
                n += fl;
            }
        }
        CHECK_INT(terms_with(buf, n, round % 2 ? WS_ANALYZE_JOIN_LINES : 0, &t), WS_OK);
        check_clean_terms(&t, n, "random");
        terms_free(&t);
        if (check_failures > 20)
            break;
    }
    /* empty input */
    CHECK_INT(terms_with("", 0, WS_ANALYZE_JOIN_LINES, &t), WS_OK);
    CHECK_INT(t.n, 0);
    terms_free(&t);
}

/* ---- a large text --------------------------------------------------------------- */

typedef struct big_ctx {
    size_t n, yongdi, bad;
    uint32_t last_pos;
    size_t last_end, len;
} big_ctx;

static ws_status on_big(void *ctx, const char *s, size_t len, uint32_t pos, ws_term_kind kind,
                        const ws_token *tok)
{
    big_ctx *c = ctx;
    (void)kind;
    c->n++;
    if (len == strlen("B用地") && !memcmp(s, "B用地", len))
        c->yongdi++;
    if (tok->end > c->len || tok->start >= tok->end)
        c->bad++;
    if (pos && pos + 64 < c->last_pos)
        c->bad++; /* positions only go forward */
    if (pos > c->last_pos)
        c->last_pos = pos;
    return WS_OK;
}

static void test_big(void)
{
    const char *para = "园区扩区调区方案正式获省政府批复，园区用\n地面积由原来的 949.21公顷扩大至 "
                       "1106.10公\n顷。COVID-19 疫情以来，章贡区推进产业链现代化。\n\n";
    size_t plen = strlen(para), want = 5u << 20, copies = want / plen + 1;
    char *text = malloc(copies * plen + 1);
    for (size_t i = 0; i < copies; i++)
        memcpy(text + i * plen, para, plen);
    size_t len = copies * plen;
    text[len] = '\0';
    big_ctx c = {0};
    c.len = len;
    uint32_t pos = 1;
    CHECK_INT(ws_termgen_run(an, text, len, WS_FIELD_BODY, WS_ANALYZE_JOIN_LINES, &pos, on_big, &c),
              WS_OK);
    CHECK_INT(c.bad, 0);
    CHECK_INT(c.yongdi, copies); /* chunking joins the same breaks */
    CHECK(c.n > copies * 50);
    CHECK(pos > copies * 50);
    free(text);
}

/* A body word term made of CJK characters alone comes only from one HAN
 * token of two or more characters, whose characters stand at consecutive
 * positions with no gap between: poscounter.cc takes its wdf as a count of
 * occurrences (the word witness). Every code point of ws_char_is_han,
 * alone, twice, and between a letter and a digit. */
typedef struct han_ctx {
    size_t words, bad;
} han_ctx;

static ws_status on_han_term(void *ctx, const char *term, size_t len, uint32_t pos,
                             ws_term_kind kind, const ws_token *tok)
{
    han_ctx *c = ctx;
    if (kind != WS_TERM_WORD)
        return WS_OK;
    int all_han = len > 0;
    for (size_t i = 0; i < len && all_han;) {
        uint32_t cp = 0;
        int n = ws_utf8_decode((const unsigned char *)term + i, len - i, &cp);
        all_han = n > 0 && ws_char_is_han(cp);
        i += n > 0 ? (size_t)n : 1;
    }
    if (!all_han)
        return WS_OK;
    c->words++;
    if (tok->kind != WS_TOKEN_HAN || tok->nchars < 2 || pos != 0 || tok->len != len ||
        memcmp(tok->text, term, len) != 0) {
        if (c->bad++ < 3)
            fprintf(stderr, "word term %.*s from a token of kind %d\n", (int)len, term, tok->kind);
    }
    return WS_OK;
}

static void test_han_words(void)
{
    static const uint32_t ranges[][2] = {
        {0x4E00, 0x9FFF}, {0x3400, 0x4DBF}, {0x20000, 0x323AF}, {0xF900, 0xFAFF}, {0x3007, 0x3007}};
    size_t cap = 1u << 20, n = 0;
    char *buf = malloc(cap);
    han_ctx c = {0};
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            n += (size_t)ws_utf8_encode(cp, buf + n);
            buf[n++] = ' ';
            n += (size_t)ws_utf8_encode(cp, buf + n);
            n += (size_t)ws_utf8_encode(cp, buf + n);
            buf[n++] = ' ';
            buf[n++] = 'a';
            n += (size_t)ws_utf8_encode(cp, buf + n);
            buf[n++] = '1';
            buf[n++] = '\n';
            if (n + 64 > cap || (r + 1 == sizeof ranges / sizeof *ranges && cp == ranges[r][1])) {
                uint32_t pos = 1;
                CHECK_INT(ws_termgen_run(an, buf, n, WS_FIELD_BODY, WS_ANALYZE_JOIN_LINES, &pos,
                                         on_han_term, &c),
                          WS_OK);
                n = 0;
            }
        }
    free(buf);
    CHECK_INT(c.bad, 0);
    CHECK(c.words > 1000); /* the doubled ones the lexicon holds (天天, 人人) */
}

/* ---- 7. wensuo analyze: the words ------------------------------------------------- */

static char *explain(const char *s)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    CHECK_INT(ws_explain_words(an, s, strlen(s), f), WS_OK);
    fclose(f);
    return out;
}

static void strip_spaces(const char *s, char *out)
{
    size_t n = 0;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n')
            out[n++] = *s;
    out[n] = '\0';
}

static int has_word(const char *line, const char *w)
{
    size_t l = strlen(w);
    for (const char *p = line; (p = strstr(p, w)); p++)
        if ((p == line || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\0'))
            return 1;
    return 0;
}

static void test_explain(void)
{
    static const char *const lines[] = {
        "國務院辦公廳關於印發《ＡＢＣ１２３計劃》的通知",
        "园区用地面积由原来的 949.21公顷扩大至 1106.10公顷。",
        "COVID-19疫情防控期间，L6级自动驾驶和5G网络建设提速",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        char *w = explain(lines[i]);
        char a[1024], b[1024];
        CHECK(w && w[0] && w[0] != ' ' && w[strlen(w) - 1] != ' ');
        CHECK(strstr(w, "  ") == NULL);
        CHECK(strchr(w, '\n') == NULL);
        strip_spaces(w, a);
        strip_spaces(lines[i], b);
        CHECK_STR(a, b); /* the original text, all of it, only spaced */
        CHECK(strchr(w, ' ') != NULL);
        if (i == 0) {
            CHECK(has_word(w, "《"));
            CHECK(has_word(w, "》"));
            CHECK(has_word(w, "ＡＢＣ１２３"));
            CHECK(strstr(w, "国") == NULL); /* no normalization shown */
            CHECK(strstr(w, "國務院") != NULL);
        } else if (i == 1) {
            CHECK(has_word(w, "949.21公顷"));
            CHECK(has_word(w, "1106.10公顷"));
            CHECK(has_word(w, "。"));
        } else {
            CHECK(has_word(w, "COVID-19"));
            CHECK(has_word(w, "，"));
        }
        free(w);
    }
    char *e = explain("");
    CHECK_STR(e, "");
    free(e);
}

/* Where ws_analyzer_sentence_end should stop in t[from, before): the
 * first mark that starts there, each character decoded. */
static size_t sentence_end_slowly(const char *t, size_t len, size_t from, size_t before)
{
    for (size_t i = from; i < before && i < len; i++) {
        uint32_t cp;
        if (((unsigned char)t[i] & 0xC0) == 0x80)
            continue; /* not a character's first byte */
        int k = ws_utf8_decode((const unsigned char *)t + i, len - i, &cp);
        if (ws_analyzer_ends_sentence(cp))
            return i + (size_t)k;
    }
    return SIZE_MAX;
}

/* The ends of sentences found byte-wise are those found character by
 * character: every mark, beside characters that share their first byte
 * (「 E3 80 8C, Ａ EF BC A1) and ones that do not, from every start and
 * before every end. */
static void test_sentence_ends(void)
{
    const char *t = "\xE3\x80\x82"
                    "a\xE3\x80\x8C\xEF\xBC\xA1\xEF\xBD\xA1"
                    "!?;\xE5\x9B\xBD\xEF\xBC\x81\xEF\xBC\x9F\xEF\xBC\x9B"
                    ".\xE6\x96\x87";
    size_t len = strlen(t), wrong = 0, found = 0;
    for (size_t from = 0; from <= len; from++)
        for (size_t before = from; before <= len + 1; before++) {
            size_t want = sentence_end_slowly(t, len, from, before);
            wrong += ws_analyzer_sentence_end(t, len, from, before) != want;
            found += want != SIZE_MAX;
        }
    CHECK_INT(wrong, 0);
    CHECK(found > 100);

    /* runs of Chinese without a mark (passed eight bytes at a time), of
     * every length and alignment, between marks and other punctuation
     * that begins with the same bytes (、「 E3, ， EF) or is ASCII */
    static const char *piece[] = {
        "\xE3\x80\x82", "!", "?", ";", "\xEF\xBC\x81", "\xE3\x80\x81", "\xEF\xBC\x8C", ",",
        "\xE3\x80\x8C", "x"};
    char big[4096];
    size_t n = 0;
    for (int k = 0; k < 40 && n < sizeof big - 200; k++) {
        for (int j = 0; j < k % 13; j++) {
            memcpy(big + n, "\xE5\x8F\x91\xE5\xB1\x95", 6); /* 发展 */
            n += 6;
        }
        const char *m = piece[(k * 7) % 10];
        memcpy(big + n, m, strlen(m));
        n += strlen(m);
    }
    big[n] = '\0';
    wrong = found = 0;
    for (size_t from = 0; from <= n; from++) {
        if ((big[from] & 0xC0) == 0x80)
            continue;
        for (size_t before = from; before <= n; before += 5) {
            size_t want = sentence_end_slowly(big, n, from, before);
            wrong += ws_analyzer_sentence_end(big, n, from, before) != want;
            found += want != SIZE_MAX;
        }
    }
    CHECK_INT(wrong, 0);
    CHECK(found > 1000);
}

int main(void)
{
    /* the built-in defaults, whatever the environment says */
    unsetenv("WENSUO_USER_DICT");
    unsetenv("WENSUO_WORD_COUNTS");
    unsetenv("WENSUO_NEW_WORDS");
    an = ws_fixture_analyzer(&lex);
    CHECK(ws_lexicon_size(lex) > 100000);
    test_nfkc();
    test_traditional();
    test_line_breaks_seed();
    test_line_breaks();
    test_lexicon();
    test_user_dict();
    test_word_counts();
    test_granularity();
    test_new_words();
    test_builtin_new_words();
    test_mixed();
    test_offsets();
    test_positions();
    test_runs();
    test_broken();
    test_big();
    test_han_words();
    test_explain();
    test_sentence_ends();
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    CHECK_DONE();
}
