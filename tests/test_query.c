/* test_query.c - the query language's parser: every construct of issue 2 on
 * Chinese queries, every error with its status and message, the limits, and
 * 20,000 random queries that must neither crash nor build a bad tree (each
 * one that parses is also planned, through the analyzer). */
#include "check.h"
#include "analyzer.h"
#include "fixture.h"
#include "lexicon.h"
#include "plan.h"
#include "query.h"
#include "search.h"
#include "date.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

static ws_lexicon *lex;
static ws_analyzer *an;

/* ---- the tree as text ----------------------------------------------------- */

typedef struct sbuf {
    char s[8192];
    size_t n;
} sbuf;

static void put(sbuf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l >= sizeof b->s)
        l = sizeof b->s - 1 - b->n;
    memcpy(b->s + b->n, s, l);
    b->n += l;
    b->s[b->n] = '\0';
}

/* T(text) P(phrase) title:T(..) AND(a b) OR(a b) NOT(a) SRC(s) TYPE(t)
 * DATE(lo..hi) NEAR/5#0(a b) SENTENCE#0(a b) PARAGRAPH#0(a b), #the number */
static void dump(const ws_qast *n, sbuf *b)
{
    static const char *const names[] = {"T", "P", "AND", "OR", "NOT", "SRC", "TYPE", "DATE", ""};
    if (n->title)
        put(b, "title:");
    put(b, names[n->kind]);
    if (n->kind == WS_QAST_NEAR) {
        char k[64];
        if (n->near == WS_NEAR_CHARS)
            snprintf(k, sizeof k, "NEAR/%u#%u", n->within, n->prox);
        else
            snprintf(k, sizeof k, "%s#%u", n->near == WS_NEAR_SENTENCE ? "SENTENCE" : "PARAGRAPH",
                     n->prox);
        put(b, k);
    }
    put(b, "(");
    switch (n->kind) {
    case WS_QAST_TEXT:
    case WS_QAST_PHRASE:
    case WS_QAST_SOURCE:
    case WS_QAST_TYPE:
        put(b, n->text);
        break;
    case WS_QAST_DATE:
        put(b, n->lo);
        put(b, "..");
        put(b, n->hi);
        break;
    default:
        for (size_t i = 0; i < n->nkids; i++) {
            if (i)
                put(b, " ");
            dump(n->kids[i], b);
        }
    }
    put(b, ")");
}

/* Parses q and compares its tree with want (or with want2 when not NULL). */
static void check_ast(int line, const char *q, const char *want, const char *want2)
{
    ws_qast *n = (ws_qast *)1;
    char err[512] = "";
    ws_status st = ws_query_parse(q, &n, err, sizeof err);
    if (st != WS_OK || !n) {
        fprintf(stderr, "%s:%d: \"%s\" does not parse: %s (%s)\n", __FILE__, line, q,
                ws_status_to_string(st), err);
        check_failures++;
        return;
    }
    sbuf b = {.n = 0};
    b.s[0] = '\0';
    dump(n, &b);
    if (strcmp(b.s, want) != 0 && !(want2 && !strcmp(b.s, want2))) {
        fprintf(stderr, "%s:%d: \"%s\"\n  got:      %s\n  expected: %s%s%s\n", __FILE__, line, q,
                b.s, want, want2 ? "\n  or:       " : "", want2 ? want2 : "");
        check_failures++;
    }
    ws_qast_free(n);
}

#define AST(q, want)       check_ast(__LINE__, q, want, NULL)
#define AST2(q, want, alt) check_ast(__LINE__, q, want, alt)

/* Parses q, expecting status want and a message holding each of the
 * NULL-ended strings after it. */
static void check_err(int line, const char *q, ws_status want, ...)
{
    ws_qast *n = (ws_qast *)1;
    char err[512] = "";
    ws_status st = ws_query_parse(q, &n, err, sizeof err);
    int bad = 0;
    if (st != want) {
        fprintf(stderr, "%s:%d: \"%.60s\": %s, expected %s (%s)\n", __FILE__, line, q,
                ws_status_to_string(st), ws_status_to_string(want), err);
        bad = 1;
    }
    if (n != NULL) {
        fprintf(stderr, "%s:%d: \"%.60s\": a tree on failure\n", __FILE__, line, q);
        bad = 1;
        if (st == WS_OK)
            ws_qast_free(n);
    }
    if (!err[0]) {
        fprintf(stderr, "%s:%d: \"%.60s\": no message\n", __FILE__, line, q);
        bad = 1;
    }
    va_list ap;
    va_start(ap, want);
    for (const char *s; (s = va_arg(ap, const char *));)
        if (!strstr(err, s)) {
            fprintf(stderr, "%s:%d: \"%.60s\": message \"%s\" lacks \"%s\"\n", __FILE__, line, q,
                    err, s);
            bad = 1;
        }
    va_end(ap);
    check_failures += bad;
}

#define ERR(q, st, ...) check_err(__LINE__, q, st, __VA_ARGS__, (const char *)NULL)

/* ---- the language ------------------------------------------------------------ */

static void test_words(void)
{
    AST("碳达峰", "T(碳达峰)");
    AST("碳达峰 政策", "T(碳达峰 政策)");
    AST("  碳达峰\t政策  ", "T(碳达峰 政策)");
    AST("碳达峰　政策", "T(碳达峰 政策)"); /* U+3000 between words */
    /* the full-width forms of ASCII are read as ASCII (NFKC, as the text) */
    AST("个体工商户的债务应该如何承担？", "T(个体工商户的债务应该如何承担?)");
    AST("碳达峰\xE2\x80\x82政策", "T(碳达峰 政策)"); /* U+2002, an en space */
    AST("COVID-19 疫情", "T(COVID-19 疫情)");        /* a '-' inside a word is not NOT */
    /* operators are upper case: and, or, not are words, but between two
     * Chinese operands one is an operator mistyped, refused with the fix */
    AST("research and development or not", "T(research and development or not)");
    AST("COVID or 疫情", "T(COVID or 疫情)");
    ERR("碳达峰 or 碳中和", WS_EQUERY, "\"or\" at character 5", "write OR in capitals");
    ERR("\"碳达峰\" Or “碳中和”", WS_EQUERY, "write OR");
    ERR("(碳达峰 OR 碳中和)　and 政策", WS_EQUERY, "write AND");
    ERR("碳达峰 not 碳中和", WS_EQUERY, "write NOT", "quote the words");
    AST("\"碳达峰 or 碳中和\"", "P(碳达峰 or 碳中和)");
    ERR("碳达峰\u00a0or\u00a0碳中和", WS_EQUERY, "write OR"); /* every space the tokenizer's */
    ERR("碳达峰\u2003or\n碳中和", WS_EQUERY, "write OR");
    ERR("（碳达峰） or （碳中和）", WS_EQUERY, "write OR");
    AST("949.21公顷", "T(949.21公顷)");
}

static void test_phrases(void)
{
    AST("\"用地面积\"", "P(用地面积)");
    AST("\"用地 面积\"", "P(用地 面积)");
    AST("“用地面积”", "P(用地面积)");
    AST("“园区 用地面积”扩大", "AND(P(园区 用地面积) T(扩大))");
    AST("章贡区 \"高新技术产业\" 园区", "AND(T(章贡区) P(高新技术产业) T(园区))");
    AST("\"a\"\"b\"", "AND(P(a) P(b))");
}

static void test_operators(void)
{
    AST("碳达峰 OR 碳中和", "OR(T(碳达峰) T(碳中和))");
    AST("碳达峰 OR 碳中和 OR 净零排放", "OR(T(碳达峰) T(碳中和) T(净零排放))");
    /* AND binds tighter than OR */
    AST("碳达峰 政策 OR 碳中和", "OR(T(碳达峰 政策) T(碳中和))");
    AST2("碳达峰 AND 碳中和", "T(碳达峰 碳中和)", "AND(T(碳达峰) T(碳中和))");
    AST("政策 -草案", "AND(T(政策) NOT(T(草案)))");
    AST("政策 NOT 草案", "AND(T(政策) NOT(T(草案)))");
    AST("NOT 草案", "NOT(T(草案))");
    AST("NOT NOT 草案", "NOT(NOT(T(草案)))");
    AST("规划 -\"征求意见稿\"", "AND(T(规划) NOT(P(征求意见稿)))");
    AST("规划 -“征求意见稿”", "AND(T(规划) NOT(P(征求意见稿)))");
    AST("碳达峰 -type:draft", "AND(T(碳达峰) NOT(TYPE(draft)))");
}

static void test_fields(void)
{
    AST("title:国务院", "title:T(国务院)");
    AST("title:国务院 source:经济法 type:law", "AND(title:T(国务院) SRC(经济法) TYPE(law))");
    AST("title:\"国务院 办公厅\"", "title:P(国务院 办公厅)");
    AST("title:“国务院办公厅”", "title:P(国务院办公厅)");
    AST("source:新闻联播 疫情防控", "AND(SRC(新闻联播) T(疫情防控))");
    AST("type:news OR type:policy", "OR(TYPE(news) TYPE(policy))");
    /* a title word does not merge with plain words */
    AST("title:规划 数字经济", "AND(title:T(规划) T(数字经济))");
}

static void test_dates(void)
{
    AST("date:2024-01-01..2024-12-31", "DATE(2024-01-01..2024-12-31)");
    AST("date:2020..", "DATE(2020..)");
    AST("date:..2019-06", "DATE(..2019-06)");
    AST("date:2024", "DATE(2024..2024)");
    AST("date:2024-03", "DATE(2024-03..2024-03)");
    AST("date:2023-07..2024", "DATE(2023-07..2024)");
    AST("碳达峰 date:2021-01-01..", "AND(T(碳达峰) DATE(2021-01-01..))");
}

/* What an input method types for the syntax (title：, －, ＯＲ, ／, ＂) is
 * the syntax; Chinese quotes glued to more text are its marks. */
static void test_full_width(void)
{
    AST("title：国务院", "title:T(国务院)");
    AST("碳达峰 －碳中和", "AND(T(碳达峰) NOT(T(碳中和)))");
    AST("碳达峰 ＯＲ 碳中和", "OR(T(碳达峰) T(碳中和))");
    AST("碳达峰 ＮＯＴ 碳中和", "AND(T(碳达峰) NOT(T(碳中和)))");
    AST("国家 NEAR／１０ 安全", "NEAR/10#0(T(国家) T(安全))");
    AST("＂十四五＂", "P(十四五)");
    AST("date：２０２１", "DATE(2021..2021)");
    /* “十四五”规划 is the text as pasted, marks and all; spaced, or with
     * a space inside the quotes, the quotes are a phrase's */
    AST("“十四五”规划", "T(“十四五”规划)");
    AST("《“十四五”规划》", "T(《“十四五”规划》)");
    AST("“十四五” 规划", "AND(P(十四五) T(规划))");
    AST("(“十四五”)", "P(十四五)");
    /* inside an ASCII quoted phrase, Chinese quotes are text */
    AST("\"“十四五”规划\"", "P(“十四五”规划)");
    AST("title:“国务院”", "title:P(国务院)");
    ERR("“十四五", WS_EQUERY, "quote");
    /* operators that are none: refused, not read as marks (A || B was
     * A AND B; a lone - dropped, so that the word after it was required) */
    ERR("碳达峰 - 碳中和", WS_EQUERY, "lone '-' at character 5", "政策 -草案");
    ERR("碳达峰 --碳中和", WS_EQUERY, "\"--碳中和\" at character 5", "write -碳中和");
    ERR("碳达峰 || 碳中和", WS_EQUERY, "write OR");
    /* NEAR/n mistyped: refused, not searched as a word no document holds */
    ERR("国家 near/5 安全", WS_EQUERY, "\"near/5\" at character 4", "in capitals");
    ERR("国家 NEAR5 安全", WS_EQUERY, "with its slash");
    ERR("国家 Near/10 安全", WS_EQUERY, "NEAR/n");
    AST("nearby near5", "T(nearby near5)");
    ERR("碳达峰 | 碳中和", WS_EQUERY, "write OR");
    ERR("碳达峰 && 碳中和", WS_EQUERY, "write AND");
    ERR("碳达峰 AND -", WS_EQUERY, "lone '-'");
    AST("碳达峰 -\"-碳中和\"", "AND(T(碳达峰) NOT(P(-碳中和)))");
    AST("-(草案) 规划", "AND(NOT(T(草案)) T(规划))");
    ERR("COVID-19 ---", WS_EQUERY, "lone '---'");
    AST("COVID-19 \"---\"", "AND(T(COVID-19) P(---))");
    /* quotes of two kinds close each other when nothing else would */
    AST("“十四五\"", "P(十四五)");
    AST("\"十四五”", "P(十四五)");
    AST("\"“十四五”", "P(“十四五)");
    AST("“十四五”(规划)", "AND(P(十四五) T(规划))");
}

static void test_parentheses(void)
{
    AST("(碳达峰 OR 碳中和) AND 能源", "AND(OR(T(碳达峰) T(碳中和)) T(能源))");
    AST("（碳达峰 OR 碳中和）能源", "AND(OR(T(碳达峰) T(碳中和)) T(能源))");
    AST("(碳达峰)", "T(碳达峰)");
    /* a pair around one piece, full width or glued to text on its left,
     * is the text's (as pasted from a law), not a group */
    AST("（一）", "T(（一）)");
    AST("管理办法（试行）", "T(管理办法（试行）)");
    AST("管理办法(试行)", "T(管理办法(试行))");
    AST("第一条（一） -（二）", "AND(T(第一条（一）) NOT(T(（二）)))");
    AST("央视网（新闻联播）：", "T(央视网（新闻联播）:)"); /* (the colon folded, as NFKC does) */
    AST("（碳达峰 OR 碳中和）", "OR(T(碳达峰) T(碳中和))");
    AST("((碳达峰))", "T(碳达峰)");
    /* an operator glued to its group keeps it a group */
    AST("NOT(草案) 规划", "AND(NOT(T(草案)) T(规划))");
    AST("国家 OR(安全)", "OR(T(国家) T(安全))");
    AST("国家 OR（安全）", "OR(T(国家) T(安全))");
    AST("国家 NEAR/5(安全)", "NEAR/5#0(T(国家) T(安全))");
    AST("(碳达峰 OR 碳中和)(能源)", "AND(OR(T(碳达峰) T(碳中和)) T(能源))");
    AST("((碳达峰 OR (碳中和 -草案)) type:policy) OR title:规划",
        "OR(AND(OR(T(碳达峰) AND(T(碳中和) NOT(T(草案)))) TYPE(policy)) title:T(规划))");
    AST("-(草案 OR 征求意见稿) 规划", "AND(NOT(OR(T(草案) T(征求意见稿))) T(规划))");
    AST("NOT (a OR b) c", "AND(NOT(OR(T(a) T(b))) T(c))");
    AST("source:经济法 (第五十四条 OR 第五十五条) date:..2020",
        "AND(SRC(经济法) OR(T(第五十四条) T(第五十五条)) DATE(..2020))");
}

static void test_errors(void)
{
    ERR("\"用地面积", WS_EQUERY, "quote");
    ERR("“用地面积", WS_EQUERY, "quote");
    ERR("用地 \"面积 \"园区\"", WS_EQUERY, "quote", "character 11");
    ERR("title:\"国务院", WS_EQUERY, "quote");
    ERR("(碳达峰 OR 碳中和", WS_EQUERY, "missing ')'", "character 1");
    ERR("((碳达峰)", WS_EQUERY, "missing ')'");
    ERR("碳达峰)", WS_EQUERY, "unexpected ')'", "character 4");
    ERR(")", WS_EQUERY, "')'");
    ERR("a ) b", WS_EQUERY, "')'", "character 3");
    ERR("碳达峰 AND", WS_EQUERY, "AND");
    ERR("AND 碳达峰", WS_EQUERY, "AND", "left");
    ERR("碳达峰 AND OR 碳中和", WS_EQUERY, "AND");
    ERR("碳达峰 OR", WS_EQUERY, "");
    ERR("OR 碳达峰", WS_EQUERY, "OR");
    ERR("NOT", WS_EQUERY, "");
    ERR("()", WS_EQUERY, "");
    ERR("", WS_EQUERY, "empty");
    ERR("   ", WS_EQUERY, "empty");
    ERR("　", WS_EQUERY, "empty");
    ERR("date:2024-13-01", WS_EQUERY, "date");
    ERR("date:2024-1-1", WS_EQUERY, "date");
    ERR("date:2024-02-30", WS_EQUERY, "date");
    ERR("date:2023-02-29..", WS_EQUERY, "date");
    ERR("date:20240101", WS_EQUERY, "date");
    ERR("date:abc", WS_EQUERY, "date");
    ERR("date:..", WS_EQUERY, "date");
    ERR("date:2024-01-00..2024-02-01", WS_EQUERY, "date");
    ERR("碳达峰 date:", WS_EQUERY, "date");
    ERR("title:", WS_EQUERY, "title");
    ERR("source:", WS_EQUERY, "source");
    /* what cannot mean anything is refused, not searched in silence: a
     * field that does not exist (named, with the fields that do), a day
     * the calendar has not, a range that ends before it starts */
    ERR("titel:共同富裕", WS_EQUERY, "unknown field \"titel:\"",
        "title:, source:, type: and date:");
    ERR("碳达峰 Source:新闻联播", WS_EQUERY, "unknown field \"Source:\"", "character 5");
    ERR("date:2024-02-30", WS_EQUERY, "date", "calendar");
    ERR("date:2023-02-29", WS_EQUERY, "date");
    ERR("date:2024-04-31..", WS_EQUERY, "date");
    /* a field inside a field's value is a slip (it searched the field's
     * name as a word); quoted, the colon is text */
    ERR("title:title:国务院", WS_EQUERY, "title: is followed by another field, title",
        "title:A title:B");
    ERR("source:type:law", WS_EQUERY, "source: is followed by another field, type");
    ERR("碳达峰 date:date:2024", WS_EQUERY, "another field, date");
    AST("title:\"title:国务院\"", "title:P(title:国务院)");
    AST("title:titles:国务院", "title:T(titles:国务院)");
    ERR("date:2025..2024", WS_EQUERY, "ends before it starts");
    ERR("date:2024-05-02..2024-05-01", WS_EQUERY, "ends before it starts");
}

/* What looks like a field and is none stays text: digits before a colon
 * (a time), a colon in CJK text; a leap day and a range within a year are
 * real dates. */
static void test_not_fields(void)
{
    AST("10:30 会议", "T(10:30 会议)");
    AST("比例为1:2", "T(比例为1:2)");
    AST("\"titel:共同富裕\"", "P(titel:共同富裕)");
    AST("date:2024-02-29", "DATE(2024-02-29..2024-02-29)");
    AST("date:2000-02-29", "DATE(2000-02-29..2000-02-29)");
    AST("date:2024-05..2024", "DATE(2024-05..2024)");
    AST("date:2024..2024-01", "DATE(2024..2024-01)");
    CHECK(!ws_date_bound_valid("1900-02-29") && ws_date_bound_valid("2024-12-31"));
    CHECK(ws_query_dates_ordered("2024-03", "2024") && !ws_query_dates_ordered("2024-03", "2023"));
}

static void test_limits(void)
{
    /* the length: 4096 bytes parse, 4097 do not */
    char q[WS_QUERY_MAX_BYTES + 16];
    size_t n = 0;
    for (int i = 0; i < WS_QUERY_MAX_BYTES / 4; i++, n += 4)
        memcpy(q + n, "碳 ", 4); /* 4 bytes */
    q[n] = '\0';
    CHECK_INT(strlen(q), WS_QUERY_MAX_BYTES);
    ws_qast *ast = NULL;
    char err[512];
    CHECK_INT(ws_query_parse(q, &ast, err, sizeof err), WS_OK);
    ws_qast_free(ast);
    q[n++] = 'b';
    q[n] = '\0';
    ERR(q, WS_ETOOBIG, "4096");

    /* nesting: 32 levels parse, 33 do not, whatever nests */
    char deep[1024];
    for (int levels = 31; levels <= 34; levels++) {
        ws_status want = levels <= WS_QUERY_MAX_DEPTH ? WS_OK : WS_ETOOBIG;
        /* parentheses */
        n = 0;
        for (int i = 0; i < levels; i++)
            deep[n++] = '(';
        memcpy(deep + n, "碳达峰", strlen("碳达峰"));
        n += strlen("碳达峰");
        for (int i = 0; i < levels; i++)
            deep[n++] = ')';
        deep[n] = '\0';
        ast = NULL;
        ws_status st = ws_query_parse(deep, &ast, err, sizeof err);
        CHECK_INT(st, want);
        if (st != WS_OK)
            CHECK(strstr(err, "32") != NULL);
        ws_qast_free(ast);
        /* NOT */
        n = 0;
        for (int i = 0; i < levels; i++) {
            memcpy(deep + n, "NOT ", 4);
            n += 4;
        }
        strcpy(deep + n, "草案");
        ast = NULL;
        CHECK_INT(ws_query_parse(deep, &ast, err, sizeof err), want);
        ws_qast_free(ast);
        /* -( and NOT ( mixed */
        n = 0;
        for (int i = 0; i < levels; i++) {
            const char *open = i % 2 ? "-(" : "(";
            memcpy(deep + n, open, strlen(open));
            n += strlen(open);
        }
        deep[n++] = 'x';
        for (int i = 0; i < levels; i++)
            deep[n++] = ')';
        deep[n] = '\0';
        ast = NULL;
        st = ws_query_parse(deep, &ast, err, sizeof err);
        CHECK_INT(st, WS_ETOOBIG); /* each -( nests twice */
        ws_qast_free(ast);
    }
    /* a thousand '(' fail cleanly too */
    char *many = malloc(2001);
    memset(many, '(', 1000);
    memset(many + 1000, ')', 1000);
    many[1000] = 'x';
    many[2000] = '\0';
    ERR(many, WS_ETOOBIG, "deeper");
    free(many);

    /* a small message buffer is never overrun, and the status stays right */
    for (size_t len = 1; len <= 24; len += 23) {
        char *small = malloc(len);
        ast = NULL;
        CHECK_INT(
            ws_query_parse("(((((((((((((((((((((((((((((((((x)))))))))))))))))))))))))))))))))",
                           &ast, small, len),
            WS_ETOOBIG);
        CHECK(strlen(small) < len);
        CHECK_INT(ws_query_parse("\"abc", &ast, small, len), WS_EQUERY);
        CHECK(strlen(small) < len);
        free(small);
    }
}

/* ---- random queries ---------------------------------------------------------------- */

static int valid_tree(const ws_qast *n, int depth)
{
    if (!n || depth > 4 * WS_QUERY_MAX_DEPTH)
        return 0;
    switch (n->kind) {
    case WS_QAST_TEXT:
    case WS_QAST_PHRASE:
        return n->text != NULL && n->nkids == 0;
    case WS_QAST_SOURCE:
    case WS_QAST_TYPE:
        return n->text != NULL && n->text[0] && n->nkids == 0;
    case WS_QAST_DATE:
        return n->lo && n->hi && (n->lo[0] || n->hi[0]) &&
               (!n->lo[0] || ws_date_bound_valid(n->lo)) &&
               (!n->hi[0] || ws_date_bound_valid(n->hi));
    case WS_QAST_NOT:
        return n->nkids == 1 && valid_tree(n->kids[0], depth + 1);
    case WS_QAST_NEAR:
        return n->nkids == 2 && n->within <= WS_QUERY_MAX_NEAR && n->prox < WS_QUERY_MAX_PROX &&
               valid_tree(n->kids[0], depth + 1) && valid_tree(n->kids[1], depth + 1);
    case WS_QAST_AND:
    case WS_QAST_OR:
        if (n->nkids < 2)
            return 0;
        for (size_t i = 0; i < n->nkids; i++)
            if (!valid_tree(n->kids[i], depth + 1))
                return 0;
        return 1;
    }
    return 0;
}

/* Proximity: NEAR/n, SENTENCE, PARAGRAPH between two words, phrases or
 * alternatives, tighter than juxtaposition, numbered as written; every
 * misuse refused with a message saying what to write. */
static void test_proximity(void)
{
    AST("国家 NEAR/10 安全", "NEAR/10#0(T(国家) T(安全))");
    AST("国家 NEAR/0 安全", "NEAR/0#0(T(国家) T(安全))");
    AST("人民 SENTENCE 政府", "SENTENCE#0(T(人民) T(政府))");
    AST("人民 PARAGRAPH \"人民政府\"", "PARAGRAPH#0(T(人民) P(人民政府))");
    AST("改革 国家 NEAR/10 安全 发展", "AND(T(改革) NEAR/10#0(T(国家) T(安全)) T(发展))");
    AST("(碳达峰 OR 碳中和) NEAR/5 目标", "NEAR/5#0(OR(T(碳达峰) T(碳中和)) T(目标))");
    AST("title:国务院 NEAR/3 通知", "NEAR/3#0(title:T(国务院) T(通知))");
    AST("(国家 NEAR/10 安全) OR (人民 SENTENCE 政府)",
        "OR(NEAR/10#0(T(国家) T(安全)) SENTENCE#1(T(人民) T(政府)))");
    AST("政策 NOT (国家 NEAR/2 安全) source:新闻联播 date:2020..",
        "AND(T(政策) NOT(NEAR/2#0(T(国家) T(安全))) SRC(新闻联播) DATE(2020..))");
    ERR("NEARBY near/5", WS_EQUERY, "in capitals"); /* (a word, it matched nothing) */
    AST("NEARBY near", "T(NEARBY near)");
    AST("\"NEAR/5\"", "P(NEAR/5)");
    ERR("国家 NEAR/ 安全", WS_EQUERY, "NEAR/n", "character 4", "国家 NEAR/10 安全");
    ERR("国家 NEAR/x 安全", WS_EQUERY, "NEAR/n");
    ERR("国家 NEAR/5x 安全", WS_EQUERY, "NEAR/n");
    ERR("国家 NEAR/-1 安全", WS_EQUERY, "NEAR/n");
    ERR("国家 NEAR 安全", WS_EQUERY, "NEAR/n");
    ERR("国家 NEAR/1001 安全", WS_ETOOBIG, "at most 1000");
    ERR("国家 NEAR/99999999999999999999 安全", WS_ETOOBIG, "at most 1000");
    ERR("NEAR/5 安全", WS_EQUERY, "NEAR/5", "nothing on its left");
    ERR("国家 NEAR/5", WS_EQUERY, "NEAR/5", "nothing on its right");
    ERR("国家 SENTENCE OR 安全", WS_EQUERY, "SENTENCE", "nothing on its right");
    ERR("政府 AND AND 人民", WS_EQUERY, "AND at character 8", "nothing on its left");
    ERR("政府 OR AND 人民", WS_EQUERY, "AND at character 7", "nothing on its left");
    ERR("(国家 PARAGRAPH) 安全", WS_EQUERY, "PARAGRAPH", "nothing on its right");
    ERR("国家 NEAR/5 安全 NEAR/5 发展", WS_EQUERY, "do not chain", "AND");
    ERR("国家 NEAR/5 -安全", WS_EQUERY, "a NOT");
    ERR("NOT 国家 NEAR/5 安全", WS_EQUERY, "NOT (A NEAR/5 B)");
    ERR("(国家 安全) NEAR/5 发展", WS_EQUERY, "several words");
    ERR("国家 NEAR/5 source:新闻联播", WS_EQUERY, "each side");
    ERR("(国家 NEAR/5 安全) SENTENCE 发展", WS_EQUERY, "each side");
    ERR("(a AND b) NEAR/5 c", WS_EQUERY, "each side");
    /* at most WS_QUERY_MAX_PROX of them */
    char q[1024] = "";
    for (int i = 0; i <= WS_QUERY_MAX_PROX; i++)
        strcat(q, i ? " AND (a NEAR/1 b)" : "(a NEAR/1 b)");
    ERR(q, WS_ETOOBIG, "proximity operators");
    q[strlen(q) - strlen(" AND (a NEAR/1 b)")] = '\0'; /* one fewer: parses */
    ws_qast *ast = NULL;
    char err[256];
    CHECK_INT(ws_query_parse(q, &ast, err, sizeof err), WS_OK);
    ws_qast_free(ast);
}

static void test_random(void)
{
    static const char *const frags[] = {
        "(",          ")",           "（",
        "）",         "\"",          "“",
        "”",          " ",           " ",
        "　",         "AND",         "OR",
        "NOT",        "-",           "title:",
        "source:",    "type:",       "date:",
        "..",         "2024",        "-01",
        "-12-31",     "碳达峰",      "國務院",
        "用地",       "面积",        "COVID",
        "19",         "949.21",      "公顷",
        "\xff",       "\xe4\xb8",    "\xc3",
        "\t",         "\n",          ":",
        "的",         "是",          "\xf0\x9f\x98\x80",
        "第五十四条", " NEAR/5 ",    " NEAR/",
        " SENTENCE ", " PARAGRAPH ", "NEAR/1001",
        "NEAR/x",
    };
    const size_t nfrags = sizeof frags / sizeof *frags;
    size_t ok = 0, failed = 0, planned = 0;
    srand(424242);
    char *q = malloc(WS_QUERY_MAX_BYTES + 64);
    for (int round = 0; round < 20000; round++) {
        size_t n = 0, want = (size_t)(rand() % (round % 100 == 0 ? WS_QUERY_MAX_BYTES + 40 : 80));
        while (n < want) {
            int r = rand() % 10;
            if (r == 0) {
                q[n++] = (char)(1 + rand() % 255); /* any byte but NUL */
            } else if (r == 1) {
                /* random UTF-8, valid or not */
                uint32_t cp = (uint32_t)rand() % 0x30000;
                if (cp < 0x80)
                    q[n++] = (char)(cp ? cp : 'x');
                else if (cp < 0x800) {
                    q[n++] = (char)(0xC0 | (cp >> 6));
                    q[n++] = (char)(0x80 | (cp & 0x3F));
                } else if (cp < 0x10000) {
                    q[n++] = (char)(0xE0 | (cp >> 12));
                    q[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    q[n++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    q[n++] = (char)(0xF0 | (cp >> 18));
                    q[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
                    q[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    q[n++] = (char)(0x80 | (cp & 0x3F));
                }
            } else {
                const char *f = frags[(size_t)rand() % nfrags];
                size_t l = strlen(f);
                if (n + l > WS_QUERY_MAX_BYTES + 40)
                    break;
                memcpy(q + n, f, l);
                n += l;
            }
        }
        q[n] = '\0';
        ws_qast *ast = (ws_qast *)1;
        char err[256] = "";
        ws_status st = ws_query_parse(q, &ast, err, sizeof err);
        if (st == WS_OK) {
            ok++;
            if (!valid_tree(ast, 0)) {
                fprintf(stderr, "%s:%d: a bad tree for \"%s\"\n", __FILE__, __LINE__, q);
                check_failures++;
            }
            /* and through the planner, as a search would */
            ws_plan plan;
            char perr[256] = "";
            ws_status ps = ws_plan_build(an, NULL, ast, WS_PLAN_SPACES, &plan, perr, sizeof perr);
            if (ps == WS_OK) {
                planned++;
                CHECK(plan.query != NULL);
                ws_plan_free(&plan);
            } else if ((ps != WS_EQUERY && ps != WS_ETOOBIG) || !perr[0]) {
                fprintf(stderr, "%s:%d: planning \"%s\": %s (%s)\n", __FILE__, __LINE__, q,
                        ws_status_to_string(ps), perr);
                check_failures++;
            }
            ws_qast_free(ast);
        } else {
            failed++;
            if ((st != WS_EQUERY && st != WS_ETOOBIG) || ast != NULL || !err[0]) {
                fprintf(stderr, "%s:%d: \"%s\": %s, tree %p, message \"%s\"\n", __FILE__, __LINE__,
                        q, ws_status_to_string(st), (void *)ast, err);
                check_failures++;
            }
            if (n > WS_QUERY_MAX_BYTES)
                CHECK_INT(st, WS_ETOOBIG);
        }
        if (check_failures > 20)
            break;
    }
    free(q);
    /* the generator reaches both sides */
    CHECK(ok > 2000);
    CHECK(failed > 2000);
    CHECK(planned > 1000);
}

/* The plan of query q into *plan (the caller frees it); 0, with the
 * failure counted, when q does not parse or plan. */
static int plan_of(const char *q, unsigned flags, ws_plan *plan)
{
    ws_qast *ast = NULL;
    char err[256] = "";
    CHECK_INT(ws_query_parse(q, &ast, err, sizeof err), WS_OK);
    if (!ast)
        return 0;
    ws_status st = ws_plan_build(an, NULL, ast, flags, plan, err, sizeof err);
    CHECK_INT(st, WS_OK);
    ws_qast_free(ast);
    return st == WS_OK;
}

/* Is s one of the n strings of list? */
static int listed(char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

/* The marks of a keyword query: its pieces as written are what its exact
 * matches hold (plan.marks); the loose marks, which highlight a relaxed hit
 * and make a question's vector (search.c), hold its words and runs once
 * each, not a piece again: the question joined across its comma would count
 * each of its words a second time in the vector. A quoted phrase is one of
 * the loose marks, as before. */
static void test_marks(void)
{
    static const struct {
        const char *q, *piece;
        int loose;
    } cases[] = {
        /* its marks too, as NFKC writes them: the piece is required with them */
        {"直播坠亡，网络平台是否应当承担侵权责任", "直播坠亡,网络平台是否应当承担侵权责任", 0},
        {"宅基地的划界有争议，可以直接起诉吗？", "宅基地的划界有争议,可以直接起诉吗?", 0},
        {"\"网络平台\" 侵权", "网络平台", 1},
        /* white space between words, one space (the snippet's mark matches
         * any run of it there) */
        {"\"网络  安全\"", "网络 安全", 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ws_plan plan;
        if (!plan_of(cases[k].q, WS_PLAN_SPACES, &plan))
            continue;
        CHECK(listed(plan.marks, plan.nmarks, cases[k].piece));
        if (listed(plan.loose_marks, plan.nloose_marks, cases[k].piece) != cases[k].loose) {
            fprintf(stderr, "%s:%d: \"%s\": the loose marks %s \"%s\":", __FILE__, __LINE__,
                    cases[k].q, cases[k].loose ? "lack" : "hold", cases[k].piece);
            for (size_t i = 0; i < plan.nloose_marks; i++)
                fprintf(stderr, " %s", plan.loose_marks[i]);
            fputc('\n', stderr);
            check_failures++;
        }
        ws_plan_free(&plan);
    }
}

/* A phrase node of n whose kids, in order, are terms at consecutive
 * positions, as "kids" (space-separated) says, and whose window is their
 * number. */
static int has_phrase(const ws_qnode *n, const char *kids)
{
    if (!n)
        return 0;
    if (n->op == WS_QOP_PHRASE && n->nkids && n->window == n->nkids) {
        char buf[256] = "";
        size_t l = 0;
        int consecutive = 1;
        for (size_t i = 0; i < n->nkids && l + 64 < sizeof buf; i++) {
            l += (size_t)snprintf(buf + l, sizeof buf - l, "%s%s", i ? " " : "",
                                  n->kids[i]->term ? n->kids[i]->term : "?");
            consecutive &= i == 0 || n->kids[i]->pos == n->kids[i - 1]->pos + 1;
        }
        if (consecutive && !strcmp(buf, kids))
            return 1;
    }
    for (size_t i = 0; i < n->nkids; i++)
        if (has_phrase(n->kids[i], kids))
            return 1;
    return 0;
}

/* A quoted phrase with white space or marks inside requires them there
 * (schema.h's WS_PFX_SPACE, WS_PFX_PUNCT), in an index that has them:
 * the phrase is then exact, every position between its ends held by a
 * term; in one without them it is not asked for. */
static void test_spaced_phrase(void)
{
    static const struct {
        const char *q, *with, *without;
    } cases[] = {
        {"\"网络 安全\"", "U网 U络 P U安 U全", NULL},
        {"\" 网络\t 安全 \"", "U网 U络 P U安 U全", NULL},
        {"\"open data\"", "open P data", NULL},
        {"\"网 络 安\"", "U网 P U络 P U安", NULL},
        {"title:\"国务院 办公厅\"", "TU国 TU务 TU院 TP TU办 TU公 TU厅", NULL},
        {"\"网络安全\"", NULL, "U网 U络 U安 U全"},
        /* marks too, at the ends as inside (punctuation terms) */
        {"\"《民法典》\"", "Y《 U民 U法 U典 Y》", NULL},
        {"网络，安全", "U网 U络 Y, U安 U全", NULL},
        /* a run of one mark at an end: at least that run (Z), inside: it */
        {"\"——平陆——运河…\"", "Z—— U平 U陆 Y—— U运 U河 Z...", NULL},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        for (int spaces = 0; spaces < 2; spaces++) {
            ws_plan plan;
            if (!plan_of(cases[k].q, spaces ? WS_PLAN_SPACES : 0, &plan))
                continue;
            const char *want = cases[k].with ? cases[k].with : cases[k].without;
            int exact = has_phrase(plan.query, want);
            if (exact != (spaces || !cases[k].with)) {
                fprintf(stderr, "%s:%d: %s: %s phrase %s (spaces %d)\n", __FILE__, __LINE__,
                        cases[k].q, exact ? "a" : "no", want, spaces);
                check_failures++;
            }
            ws_plan_free(&plan);
        }
    }
}

/* Words that hold nothing to search are refused, not taken for every
 * document: two empty phrases, or NOT of one; a filter alone or NOT of a
 * word still lists documents. */
static void test_nothing_to_search(void)
{
    static const char *const refused[] = {"\"\" \"\"", "“”“”", "NOT \"\"", "\"\" source:x"};
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        ws_qast *ast = NULL;
        ws_plan plan;
        char err[256] = "";
        if (ws_query_parse(refused[k], &ast, err, sizeof err) != WS_OK)
            continue; /* refused already */
        ws_status st = ws_plan_build(an, NULL, ast, WS_PLAN_SPACES, &plan, err, sizeof err);
        if (st != WS_EQUERY || !strstr(err, "no word")) {
            fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, refused[k],
                    ws_status_to_string(st), err);
            check_failures++;
        }
        if (st == WS_OK)
            ws_plan_free(&plan);
        ws_qast_free(ast);
    }
    ws_plan plan;
    if (plan_of("source:新华社", WS_PLAN_SPACES, &plan))
        ws_plan_free(&plan);
    if (plan_of("NOT 草案", WS_PLAN_SPACES, &plan))
        ws_plan_free(&plan);
}

/* A Latin word or number longer than the index keeps (WS_TOKEN_MAX_BYTES)
 * is refused by name, alone, beside other words, in a phrase, in a field
 * or a proximity: left out, it would let documents without it match; one
 * of the most bytes kept plans. */
static void test_long_words(void)
{
    char kept[WS_TOKEN_MAX_BYTES + 1], over[WS_TOKEN_MAX_BYTES + 2], q[512];
    memset(kept, 'z', WS_TOKEN_MAX_BYTES);
    kept[WS_TOKEN_MAX_BYTES] = '\0';
    memset(over, '7', WS_TOKEN_MAX_BYTES + 1);
    over[WS_TOKEN_MAX_BYTES + 1] = '\0';
    static const char *const forms[] = {"%s",       "国务院 %s",        "\"前文 %s 后文\"",
                                        "title:%s", "国务院 NEAR/5 %s", "政府 OR %s",
                                        "%s国务院"};
    for (size_t k = 0; k < sizeof forms / sizeof *forms; k++) {
        for (int w = 0; w < 2; w++) {
            snprintf(q, sizeof q, forms[k], w ? over : kept);
            ws_qast *ast = NULL;
            ws_plan plan;
            char err[256] = "";
            CHECK_INT(ws_query_parse(q, &ast, err, sizeof err), WS_OK);
            ws_status st = ws_plan_build(an, NULL, ast, WS_PLAN_SPACES, &plan, err, sizeof err);
            if (w ? st != WS_ETOOBIG || !strstr(err, "WS_TOKEN_MAX_BYTES") : st != WS_OK) {
                fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, q,
                        ws_status_to_string(st), err);
                check_failures++;
            }
            if (st == WS_OK)
                ws_plan_free(&plan);
            ws_qast_free(ast);
        }
    }
}

int main(void)
{
    /* the built-in defaults, whatever the environment says */
    unsetenv("WENSUO_USER_DICT");
    an = ws_fixture_analyzer(&lex);
    test_words();
    test_phrases();
    test_spaced_phrase();
    test_nothing_to_search();
    test_long_words();
    test_operators();
    test_fields();
    test_dates();
    test_full_width();
    test_parentheses();
    test_errors();
    test_not_fields();
    test_limits();
    test_proximity();
    test_marks();
    test_random();
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    CHECK_DONE();
}
