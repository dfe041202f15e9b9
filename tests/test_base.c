/* test_base.c - the utilities every layer stands on: the option parser of
 * the programs, the UTF-8 codec and its white space, the tally of words,
 * the docid sort, the growing string and the opening of a user's list
 * file. */
#include "check.h"
#include "docsort.h"
#include "listfile.h"
#include "options.h"
#include "strbuf.h"
#include "tally.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs ws_options_parse over the words of args (at most 15). */
typedef struct parsed {
    const char *db, *name;
    long n;
    int flag, rc, first;
    char *argv[16];
    int argc;
} parsed;

static void parse(parsed *p, const char *const *args)
{
    memset(p, 0, sizeof *p);
    p->n = 7;
    p->argv[p->argc++] = (char *)"prog";
    while (*args && p->argc < 15)
        p->argv[p->argc++] = (char *)*args++;
    const ws_option opts[] = {
        {"db", WS_OPT_STRING, &p->db, 0, 0, NULL},
        {"name", WS_OPT_STRING, &p->name, 0, 0, NULL},
        {"count", WS_OPT_NUMBER, &p->n, 1, 100, NULL},
        {"flag", WS_OPT_FLAG, &p->flag, 0, 0, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    p->rc = ws_options_parse("prog", p->argc, p->argv, opts, &p->first);
}

static void test_options(void)
{
    parsed p;
    parse(&p, (const char *[]){"--db", "idx", "a", "--count=12", "--flag", "b", NULL});
    CHECK_INT(p.rc, 0);
    CHECK_STR(p.db, "idx");
    CHECK_INT(p.n, 12);
    CHECK_INT(p.flag, 1);
    /* operands after options, in their order */
    CHECK_INT(p.argc - p.first, 2);
    CHECK_STR(p.argv[p.first], "a");
    CHECK_STR(p.argv[p.first + 1], "b");

    parse(&p, (const char *[]){"--db", "x", "--name", "y", "--", "--flag", NULL});
    CHECK_INT(p.rc, 0);
    CHECK_STR(p.name, "y");
    CHECK_INT(p.flag, 0);
    CHECK_STR(p.argv[p.first], "--flag");

    /* numbers: the range's ends taken, one past refused, no sign or text */
    parse(&p, (const char *[]){"--count", "100", NULL});
    CHECK_INT(p.rc, 0);
    CHECK_INT(p.n, 100);
    parse(&p, (const char *[]){"--count", "1", NULL});
    CHECK_INT(p.n, 1);
    const char *bad[] = {"101", "0", "-5", "+5", "5x", "", " 5", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        parse(&p, (const char *[]){"--count", bad[i], NULL});
        CHECK_INT(p.rc, -1);
        CHECK_INT(p.n, 7);
    }
    parse(&p, (const char *[]){"--bogus", NULL});
    CHECK_INT(p.rc, -1);
    parse(&p, (const char *[]){"--db", NULL});
    CHECK_INT(p.rc, -1);
    parse(&p, (const char *[]){"x", "--help", NULL});
    CHECK_INT(p.rc, 1);
    parse(&p, (const char *[]){"-h", NULL});
    CHECK_INT(p.rc, 1);

    /* no one-letter options: a word that begins with '-' and a character
     * past ASCII is an operand (a query's NOT), one with an ASCII letter
     * is refused, never read as letters (-type as -t ype) */
    parse(&p, (const char *[]){"政策", "-草案", "--db", "i", "-", NULL});
    CHECK_INT(p.rc, 0);
    CHECK_STR(p.db, "i");
    CHECK_INT(p.argc - p.first, 3);
    CHECK_STR(p.argv[p.first], "政策");
    CHECK_STR(p.argv[p.first + 1], "-草案");
    CHECK_STR(p.argv[p.first + 2], "-");
    parse(&p, (const char *[]){"a", "-flag", NULL});
    CHECK_INT(p.rc, -1);
    CHECK_INT(p.flag, 0);
    parse(&p, (const char *[]){"-f", NULL});
    CHECK_INT(p.rc, -1);
    /* a flag takes no value; a value equal to an operand stays a value */
    parse(&p, (const char *[]){"--flag=1", NULL});
    CHECK_INT(p.rc, -1);
    parse(&p, (const char *[]){"a", "--name", "a", "b", NULL});
    CHECK_INT(p.rc, 0);
    CHECK_STR(p.name, "a");
    CHECK_INT(p.argc - p.first, 2);
    CHECK_STR(p.argv[p.first], "a");
    CHECK_STR(p.argv[p.first + 1], "b");
    /* a prefix of a name is not the name */
    parse(&p, (const char *[]){"--fla", NULL});
    CHECK_INT(p.rc, -1);
}

/* An option whose `only` does not name the command is refused. */
static void test_options_command(void)
{
    const char *limit = NULL, *db = NULL;
    int first = 0;
    const ws_option opts[] = {
        {"db", WS_OPT_STRING, &db, 0, 0, NULL},
        {"limit", WS_OPT_STRING, &limit, 0, 0, "kwic collocates "},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    char *ok[] = {"wensuo", "collocates", "--limit", "5", "--db", "i", "q", NULL};
    CHECK_INT(ws_options_parse_command("wensuo", 7, ok, opts, NULL, &first), 0);
    CHECK_STR(limit, "5");
    CHECK_STR(db, "i");
    CHECK_INT(first, 6);
    CHECK_STR(ok[first], "q");
    limit = NULL;
    char *no[] = {"wensuo", "export", "--limit", "5", "q", NULL};
    CHECK_INT(ws_options_parse_command("wensuo", 5, no, opts, NULL, &first), -1);
    CHECK(limit == NULL);
    /* a command whose name is the end of one that takes it does not */
    char *tail[] = {"wensuo", "wic", "--limit", "5", NULL};
    CHECK_INT(ws_options_parse_command("wensuo", 4, tail, opts, NULL, &first), -1);
    /* no command: none takes an option that names its commands */
    char *none[] = {"wensuo", "", "--limit", "5", NULL};
    CHECK_INT(ws_options_parse_command("wensuo", 4, none, opts, NULL, &first), -1);
}

/* A WS_OPT_CALL reader that keeps what it was given and refuses "bad". */
typedef struct calls {
    const char *seen[4];
    int n;
} calls;

static int read_word(const char *arg, void *ctx)
{
    calls *c = ctx;
    if (c->n < 4)
        c->seen[c->n++] = arg;
    return strcmp(arg, "bad") ? 0 : -1;
}

static void test_options_call(void)
{
    calls c = {{0}, 0};
    int flag = 0, first = 0;
    ws_opt_call word = {read_word, &c};
    const ws_option opts[] = {
        {"word", WS_OPT_CALL, &word, 0, 0, NULL},
        {"flag", WS_OPT_FLAG, &flag, 0, 0, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    /* each occurrence read as it comes, in argv's order */
    char *ok[] = {"prog", "--word", "a", "x", "--word=b", "--flag", NULL};
    CHECK_INT(ws_options_parse("prog", 6, ok, opts, &first), 0);
    CHECK_INT(c.n, 2);
    CHECK_STR(c.seen[0], "a");
    CHECK_STR(c.seen[1], "b");
    CHECK_INT(flag, 1);
    CHECK_STR(ok[first], "x");
    /* a refusal ends the parse there: what follows is not read */
    c.n = 0;
    flag = 0;
    char *bad[] = {"prog", "--word", "bad", "--flag", "--word", "c", NULL};
    CHECK_INT(ws_options_parse("prog", 6, bad, opts, &first), -1);
    CHECK_INT(c.n, 1);
    CHECK_INT(flag, 0);
}

static void test_utf8(void)
{
    CHECK(ws_utf8_valid("文索 abc", strlen("文索 abc")));
    CHECK(!ws_utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    CHECK(!ws_utf8_valid("\xED\xA0\x80", 3));     /* a surrogate */
    CHECK(!ws_utf8_valid("\xF4\x90\x80\x80", 4)); /* past U+10FFFF */
    CHECK(!ws_utf8_valid("\xE6\x96", 2));         /* cut off */
    uint32_t cp;
    CHECK_INT(ws_utf8_decode((const unsigned char *)"文", 3, &cp), 3);
    CHECK_INT(cp, 0x6587);
    CHECK_INT(ws_utf8_decode((const unsigned char *)"\xE6\x96", 2, &cp), 1);
    CHECK_INT(cp, 0xFFFD);
    char buf[4];
    CHECK_INT(ws_utf8_encode(0x1F600, buf), 4);
    CHECK(!memcmp(buf, "\xF0\x9F\x98\x80", 4));
    /* white space: ASCII, NBSP, the ideographic space; not a CJK letter */
    CHECK_INT(ws_utf8_space_at("\xE3\x80\x80x", 4), 3);
    CHECK_INT(ws_utf8_space_at("\xC2\xA0x", 3), 2);
    /* Unicode's other spaces (Zs), which NFKC makes a space; not the zero
     * width space U+200B nor the word joiner U+2060, which it drops */
    CHECK_INT(ws_utf8_space_at("\xE2\x80\x80", 3), 3);
    CHECK_INT(ws_utf8_space_at("\xE2\x80\x82x", 4), 3);
    CHECK_INT(ws_utf8_space_at("\xE2\x80\x8A", 3), 3);
    CHECK_INT(ws_utf8_space_at("\xE2\x80\xAF", 3), 3);
    CHECK_INT(ws_utf8_space_at("\xE2\x81\x9F", 3), 3);
    CHECK_INT(ws_utf8_space_at("\xE1\x9A\x80", 3), 3);
    CHECK_INT(ws_utf8_space_at("\xE2\x80\x8B", 3), 0);
    CHECK_INT(ws_utf8_space_at("\xE2\x81\xA0", 3), 0);
    CHECK_INT(ws_utf8_space_at("\xE2\x80", 2), 0);
    CHECK_INT(ws_utf8_space_at("\rx", 2), 1);
    CHECK_INT(ws_utf8_space_at("文", 3), 0);
    CHECK_INT(ws_utf8_space_before("文\xE3\x80\x80", 6), 3);
    CHECK_INT(ws_utf8_space_before("文 ", 4), 1);
    CHECK_INT(ws_utf8_space_before("文", 3), 0);
    /* stepping by characters: "a文𝄞b" is 1 + 3 + 4 + 1 bytes */
    const char *t = "a\xE6\x96\x87\xF0\x9D\x84\x9E"
                    "b";
    CHECK_INT(ws_utf8_next(t, 9, 0), 1);
    CHECK_INT(ws_utf8_next(t, 9, 1), 4);
    CHECK_INT(ws_utf8_next(t, 9, 4), 8);
    CHECK_INT(ws_utf8_next(t, 9, 8), 9);
    CHECK_INT(ws_utf8_next(t, 9, 9), 9);
    CHECK_INT(ws_utf8_prev(t, 9), 8);
    CHECK_INT(ws_utf8_prev(t, 8), 4);
    CHECK_INT(ws_utf8_prev(t, 4), 1);
    CHECK_INT(ws_utf8_prev(t, 1), 0);
    CHECK_INT(ws_utf8_prev(t, 0), 0);

    /* counting characters, eight bytes at a time: every stretch of a text
     * of 1-, 2-, 3- and 4-byte characters, against ws_utf8_next's count */
    const char *mix = "a\xC2\xA9\xE6\x96\x87\xF0\x9D\x84\x9E"
                      "bc\xE7\xB4\xA2\xE6\x96\x87\xC3\xA9\xF0\x9F\x98\x80xyz\xE6\x96\x87";
    size_t mlen = strlen(mix), bad = 0;
    for (size_t b = 0; b < mlen; b = ws_utf8_next(mix, mlen, b))
        for (size_t e = b; e <= mlen; e = e < mlen ? ws_utf8_next(mix, mlen, e) : mlen + 1) {
            size_t n = 0;
            for (size_t i = b; i < e; i = ws_utf8_next(mix, e, i))
                n++;
            bad += ws_utf8_count(mix + b, e - b) != n;
        }
    CHECK_INT(bad, 0);
    CHECK_INT(ws_utf8_count("", 0), 0);
    CHECK_INT(ws_utf8_count("\x80\x80\x80\x80\x80\x80\x80\x80\x80", 9), 0);
}

/* Finding a needle (ws_utf8_find) where memmem finds it. */
static void test_utf8_find(void)
{
    /* every needle cut from a text of repeats and near repeats
     * (国务院务院国 ...), of every length up to past the short ones, and
     * those same needles changed in one byte (in the middle, or the first,
     * which the filter of places does not look at), is where memmem finds
     * it, in every stretch of the text */
    const char *hay = "\xE5\x9B\xBD\xE5\x8A\xA1\xE9\x99\xA2\xE5\x8A\xA1\xE9\x99\xA2"
                      "\xE5\x9B\xBD\xE5\x8A\xA1"
                      "aaab\xE9\x99\xA2\xE5\x9B\xBD\xE9\x99\xA2"
                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\xE5\x9B\xBD";
    size_t hlen = strlen(hay);
    int bad = 0;
    size_t found = 0;
    for (size_t b = 0; b < hlen; b++)
        for (size_t m = 1; b + m <= hlen && m <= WS_UTF8_FIND_SHORT + 2; m++)
            for (int change = 0; change < 3; change++) {
                char needle[64];
                memcpy(needle, hay + b, m);
                if (change)
                    needle[change == 1 ? m / 2 : 0] ^= 1;
                for (size_t from = 0; from < hlen; from += 5) {
                    const char *want = memmem(hay + from, hlen - from, needle, m);
                    bad += ws_utf8_find(hay + from, hlen - from, needle, m) != want;
                    found += want != NULL;
                }
            }
    CHECK_INT(bad, 0);
    CHECK(found > 1000);
    /* and in a long text of a few characters (where the first and the last
     * byte of a needle stand together often, but not all of it), at every
     * alignment to 16 bytes */
    static const char *const chars[] = {"\xE5\x9B\xBD", "\xE5\x8A\xA1", "\xE9\x99\xA2", "a",
                                        "\xE5\x9B\xA2"};
    char text[3000];
    size_t tlen = 0;
    uint64_t x = 2463534242u;
    while (tlen + 3 < sizeof text) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        const char *c = chars[x % 5];
        memcpy(text + tlen, c, strlen(c));
        tlen += strlen(c);
    }
    bad = 0;
    found = 0;
    /* each stretch searched copied into memory of exactly its length, so
     * that a load past its end is AddressSanitizer's to see; needles from
     * everywhere, the last bytes of the text too */
    for (size_t b = 0; b + 2 <= tlen; b += b + 80 < tlen ? 37 : 1)
        for (size_t m = 2; m <= WS_UTF8_FIND_SHORT && b + m <= tlen; m += 3)
            for (size_t from = 0; from < 20; from += 3) {
                char needle[64];
                memcpy(needle, text + b, m);
                needle[m - 1] ^= (char)(from % 2); /* half of them found nowhere, maybe */
                size_t hl = tlen - from;
                char *hay = malloc(hl);
                if (!hay)
                    continue;
                memcpy(hay, text + from, hl);
                const char *want = memmem(hay, hl, needle, m);
                bad += ws_utf8_find(hay, hl, needle, m) != want;
                found += want != NULL;
                free(hay);
            }
    CHECK_INT(bad, 0);
    CHECK(found > 1000);
    CHECK(ws_utf8_find("ab", 2, "abc", 3) == NULL);
    CHECK(ws_utf8_find("", 0, "ab", 2) == NULL);
}

/* A needle's space matches a run of white space, but not a line break
 * nor nothing (ws_utf8_match_spaced). */
static void test_utf8_match_spaced(void)
{
    static const struct {
        const char *s;
        size_t b;
        const char *needle;
        size_t end;
    } cases[] = {
        {"加强网络 安全", 6, "网络 安全", 19},
        {"加强网络 \t  安全。", 6, "网络 安全", 22},
        {"网络安全", 0, "网络 安全", 0},
        {"网络\n安全", 0, "网络 安全", 0},
        {"网络 \n 安全", 0, "网络 安全", 0},
        {"网络和安全", 0, "网络 安全", 0},
        {"open\r\vdata", 0, "open data", 10},
        {"open dat", 0, "open data", 0},
        {"网络", 0, "网络", 6},
        {"网络 ", 0, "网络 安全", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t e = ws_utf8_match_spaced(cases[i].s, strlen(cases[i].s), cases[i].b, cases[i].needle,
                                        strlen(cases[i].needle));
        if (e != cases[i].end) {
            fprintf(stderr, "%s:%d: \"%s\" in \"%s\": %zu, not %zu\n", __FILE__, __LINE__,
                    cases[i].needle, cases[i].s, e, cases[i].end);
            check_failures++;
        }
    }
}

/* The tally: counts by word through its growths, each word read back
 * NUL-terminated and in the order first counted, the total the sum of what
 * was added. */
static void test_tally(void)
{
    ws_tally k;
    CHECK_INT(ws_tally_init(&k), WS_OK);
    char w[32];
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 5000; i++) {
            int n = snprintf(w, sizeof w, "词%d", i);
            CHECK_INT(ws_tally_add(&k, w, (size_t)n, (uint64_t)(i % 7 + 1)), WS_OK);
        }
    CHECK_INT(k.nused, 5000);
    CHECK(k.nslots >= 10000);
    size_t wrong = 0;
    uint64_t sum = 0;
    for (size_t i = 0; i < k.nused; i++) {
        const ws_tally_entry *e = &k.e[i];
        const char *word = ws_tally_word(&k, e);
        int num = atoi(word + strlen("词"));
        wrong +=
            strlen(word) != e->len || e->count != (uint64_t)(3 * (num % 7 + 1)) || num != (int)i;
        sum += e->count;
    }
    CHECK_INT(wrong, 0);
    CHECK(sum == k.total);
    CHECK_INT(ws_tally_get(&k, "词4999", strlen("词4999")), 3 * (4999 % 7 + 1));
    CHECK_INT(ws_tally_get(&k, "词5000", strlen("词5000")), 0);
    CHECK_INT(ws_tally_get(&k, "词49", strlen("词4")), 3 * (4 % 7 + 1)); /* by length, not NUL */
    ws_tally_free(&k);

    /* words alike in their first 8 bytes (what an entry keeps of a word)
     * and apart only after, or only by their length, stay apart */
    static const char *alike[] = {"中华人民",           "中华人民共", "中华人民共和国",
                                  "中华人民共和",       "中华人",     "中华人民共和国国务院",
                                  "中华人民共和国国务", "中华人D"};
    CHECK_INT(ws_tally_init(&k), WS_OK);
    size_t nalike = sizeof alike / sizeof *alike;
    for (size_t i = 0; i < nalike; i++)
        for (size_t j = 0; j <= i; j++)
            CHECK_INT(ws_tally_add(&k, alike[i], strlen(alike[i]), 1), WS_OK);
    CHECK_INT(ws_tally_add(&k, "ab\0", 3, 5), WS_OK);
    CHECK_INT(k.nused, nalike + 1);
    for (size_t i = 0; i < nalike; i++)
        CHECK_INT(ws_tally_get(&k, alike[i], strlen(alike[i])), i + 1);
    CHECK_INT(ws_tally_get(&k, "ab", 2), 0);
    CHECK_INT(ws_tally_get(&k, "ab\0", 3), 5);
    CHECK_INT(ws_tally_get(&k, "中华人民共和国国", strlen("中华人民共和国国")), 0);
    ws_tally_free(&k);

    /* 300,000 words of one head: some share their 32-bit hash too (about
     * ten pairs are expected), which only their bytes after the head tell */
    CHECK_INT(ws_tally_init(&k), WS_OK);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 300000; i++) {
            int n = snprintf(w, sizeof w, "中华人%d", i);
            CHECK_INT(ws_tally_add(&k, w, (size_t)n, 1), WS_OK);
        }
    CHECK_INT(k.nused, 300000);
    wrong = 0;
    for (int i = 0; i < 300000; i++) {
        int n = snprintf(w, sizeof w, "中华人%d", i);
        wrong += ws_tally_get(&k, w, (size_t)n) != 2;
    }
    CHECK_INT(wrong, 0);
    ws_tally_free(&k);
}

/* Counting words by the batch (fetched ahead) is counting them one by
 * one: the same entries in the same order, the same counts and total,
 * through the table's growths in the middle of a batch. */
static void test_tally_each(void)
{
    enum { N = 20000 };
    static char words[N][24];
    static ws_tally_ref ref[N];
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        /* words of 1 to 19 bytes, about a third of them seen before */
        unsigned v = (x >> 8) % 9000, len = 1 + (x >> 20) % 17;
        int n = snprintf(words[i], sizeof words[i], "%u%s", v, "字字字字字" + 15 - (len / 3) * 3);
        ref[i] = (ws_tally_ref){words[i], (size_t)n};
    }
    ws_tally one, each;
    CHECK_INT(ws_tally_init(&one), WS_OK);
    CHECK_INT(ws_tally_init(&each), WS_OK);
    for (int i = 0; i < N; i++)
        CHECK_INT(ws_tally_add(&one, ref[i].s, ref[i].n, 1), WS_OK);
    for (int i = 0; i < N;) { /* batches of 1 to 40 words */
        int m = 1 + i % 40 < N - i ? 1 + i % 40 : N - i;
        CHECK_INT(ws_tally_add_each(&each, ref + i, (size_t)m), WS_OK);
        i += m;
    }
    CHECK_INT(each.nused, one.nused);
    CHECK(each.total == one.total && each.total == N);
    size_t wrong = 0;
    for (size_t i = 0; i < one.nused && i < each.nused; i++)
        wrong += one.e[i].len != each.e[i].len || one.e[i].count != each.e[i].count ||
                 strcmp(ws_tally_word(&one, &one.e[i]), ws_tally_word(&each, &each.e[i])) != 0;
    CHECK_INT(wrong, 0);
    CHECK(one.nused > 5000 && one.nused < N);
    ws_tally_free(&one);
    ws_tally_free(&each);
}

/* Whether p[0..n) is in docid order, places rising within a docid, and
 * holds each place below n once. */
static int docsorted(const ws_docplace *p, size_t n)
{
    unsigned char *seen = calloc(n ? n : 1, 1);
    int ok = seen != NULL;
    for (size_t k = 0; ok && k < n; k++) {
        ok = p[k].i < n && !seen[p[k].i];
        if (ok)
            seen[p[k].i] = 1;
        if (ok && k)
            ok = p[k - 1].docid < p[k].docid ||
                 (p[k - 1].docid == p[k].docid && p[k - 1].i < p[k].i);
    }
    free(seen);
    return ok;
}

/* Sorts, in docid order and stably, lists short (insertion) and long
 * (two radix passes, or one when no docid passes 16 bits), with docids
 * repeated, at the ends of their range, and already in order. */
static void test_docsort(void)
{
    static const size_t sizes[] = {0, 1, 2, 255, 256, 1000, 100000};
    static const uint32_t ranges[] = {3, 60000, UINT32_MAX};
    uint64_t x = 88172645463325252u;
    for (size_t a = 0; a < sizeof sizes / sizeof *sizes; a++)
        for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++) {
            size_t n = sizes[a];
            ws_docplace *p = malloc((n ? n : 1) * sizeof *p);
            for (size_t k = 0; k < n; k++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                uint32_t d = (uint32_t)(x % ranges[r]) + 1;
                p[k] = (ws_docplace){k % 97 == 0 ? UINT32_MAX : k % 89 == 0 ? 1 : d, (uint32_t)k};
            }
            CHECK_INT(ws_docplace_sort(p, n), WS_OK);
            CHECK(docsorted(p, n));
            CHECK_INT(ws_docplace_sort(p, n), WS_OK); /* sorted already */
            CHECK(docsorted(p, n));
            free(p);
        }
}

/* Room reserved holds its bytes without moving; an add past it grows. */
static void test_strbuf_reserve(void)
{
    ws_strbuf b = {0};
    ws_strbuf_reserve(&b, 1000);
    CHECK(b.s != NULL && b.cap >= 1001 && b.len == 0 && b.s[0] == '\0');
    const char *at = b.s;
    for (int i = 0; i < 100; i++)
        ws_strbuf_add(&b, "0123456789", 10);
    CHECK(b.s == at && b.len == 1000 && !b.failed);
    ws_strbuf_add(&b, "x", 1);
    CHECK(b.len == 1001 && b.s[1000] == 'x' && b.s[1001] == '\0' && !b.failed);
    ws_strbuf_reserve(&b, SIZE_MAX); /* more than there can be: fails, keeps the text */
    CHECK(b.failed && b.len == 1001);
    free(b.s);
}

/* A list file is opened only when it is a regular file of the size
 * allowed: never blocking on a FIFO, never reading a folder or a device. */
static void test_listfile(void)
{
    char dir[] = "/tmp/ws-listfile-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], fifo[256], missing[256];
    snprintf(path, sizeof path, "%s/words.txt", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(missing, sizeof missing, "%s/none.txt", dir);
    FILE *w = fopen(path, "w");
    CHECK(w != NULL);
    fputs("碳达峰\n新质生产力\n", w);
    fclose(w);
    CHECK(mkfifo(fifo, 0600) == 0);
    FILE *f = NULL;
    CHECK_INT(ws_listfile_open(path, 100, &f), WS_OK);
    char line[64];
    CHECK(f && fgets(line, sizeof line, f) && !strcmp(line, "碳达峰\n"));
    if (f)
        fclose(f);
    CHECK_INT(ws_listfile_open(path, 10, &f), WS_ETOOBIG);
    CHECK(f == NULL);
    CHECK_INT(ws_listfile_open(dir, 100, &f), WS_EINVAL);
    CHECK_INT(ws_listfile_open(fifo, 100, &f), WS_EINVAL); /* (a blocked open never returns) */
    CHECK_INT(ws_listfile_open("/dev/zero", 100, &f), WS_EINVAL);
    CHECK_INT(ws_listfile_open(missing, 100, &f), WS_ENOTFOUND);
    CHECK(strstr(ws_listfile_why(WS_EINVAL), "not a regular file") != NULL);
    unlink(path);
    unlink(fifo);
    rmdir(dir);
}

int main(void)
{
    test_options();
    test_options_call();
    test_options_command();
    test_utf8();
    test_utf8_find();
    test_utf8_match_spaced();
    test_tally();
    test_tally_each();
    test_docsort();
    test_strbuf_reserve();
    test_listfile();
    CHECK_DONE();
}
