/* test_termgen.c - the terms and positions the index gets of a text
 * (analyzer_fixture.h): every CJK character a position, pairs, space and
 * paragraph terms, the caller's position carried on; run terms, never more
 * places than the text holds; broken and random bytes never a bad term;
 * a text of 5 MB cut into chunks joined as one; a word term of CJK
 * characters alone only from one HAN token, for every code point of
 * ws_char_is_han (what the word witness of poscounter.cc counts on). */
#include "analyzer_fixture.h"
#include "normalize.h"
#include "utf8.h"

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

/* ---- positions --------------------------------------------------------------- */

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

/* A mark's term at its position (Y), and for a run of one mark that is
 * one token (———, …… which NFKC makes ......) its first k marks too (Z),
 * k up to its length or WS_MARK_EDGE_MAX: what a phrase that holds part of
 * the run at its ends asks for. A mark that makes no run (，) has no Z. */
static void test_mark_terms(void)
{
    terms t = terms_of("工程———平陆，等等……然后", WS_ANALYZE_JOIN_LINES);
    /* 工1 程2 ———3 平4 陆5 ，6 等7 等8 ......9 然10 后11 */
    CHECK(term_at(&t, "Y———", 3) && term_at(&t, "Z—", 3) && term_at(&t, "Z——", 3) &&
          term_at(&t, "Z———", 3));
    CHECK(term_at(&t, "Y,", 6) && !find_term(&t, "Z,"));
    CHECK(term_at(&t, "Y......", 9) && term_at(&t, "Z.", 9) && term_at(&t, "Z......", 9));
    CHECK_INT(count_term(&t, "Z——"), 1);
    CHECK(!find_term(&t, "Z.......")); /* no longer than the run */
    terms_free(&t);
    char run[3 * (WS_MARK_EDGE_MAX + 4) + 16] = "甲";
    for (int i = 0; i < WS_MARK_EDGE_MAX + 4; i++)
        strcat(run, "—");
    strcat(run, "乙");
    t = terms_of(run, 0);
    size_t edges = 0;
    for (size_t i = 0; i < t.n; i++)
        edges += t.t[i].kind == WS_TERM_MARK_EDGE;
    CHECK_INT(edges, WS_MARK_EDGE_MAX);
    terms_free(&t);
}

int main(void)
{
    analyzer_setup();
    test_positions();
    test_runs();
    test_broken();
    test_big();
    test_han_words();
    test_mark_terms();
    analyzer_teardown();
    CHECK_DONE();
}
