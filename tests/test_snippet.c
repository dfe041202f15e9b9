/* test_snippet.c - the snippet of a long text (snippet.h): found in the
 * stretch that holds the first match, however far in the text it lies up
 * to WS_SNIPPET_SCAN_MAX; the opening past it, or where nothing matches;
 * a Traditional match in a later stretch found by its Simplified mark. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixture.h"
#include "snippet.h"

/* filler lines up to at least n bytes, then tail; a new string. */
static char *text_of(size_t n, const char *tail)
{
    static const char line[] =
        "各地区各部门要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。\n";
    size_t ll = strlen(line), tl = strlen(tail), k = (n + ll - 1) / ll;
    char *s = malloc(k * ll + tl + 1);
    if (!s)
        exit(1);
    for (size_t i = 0; i < k; i++)
        memcpy(s + i * ll, line, ll);
    memcpy(s + k * ll, tail, tl + 1);
    return s;
}

/* The snippet of text for mark, rendered with [ and ]. */
static char *snippet_of(ws_analyzer *an, const char *text, const char *mark)
{
    char *marks[1] = {(char *)mark}, *raw = NULL;
    CHECK_INT(ws_snippet_make(an, text, strlen(text), marks, 1, &raw), WS_OK);
    char *out = raw ? ws_snippet_render(raw, "[", "]", 0) : NULL;
    free(raw);
    return out ? out : strdup("");
}

int main(void)
{
    ws_lexicon *lex = NULL;
    ws_analyzer *an = ws_fixture_analyzer(&lex);
    static const char *const cases[][3] = {
        /* far in, before the limit: the stretch that holds it */
        {"1", "关键词出现在这里。", "[关键词]出现在这里"},
        /* in a later stretch, written in Traditional */
        {"2", "國務院關於此事的通知。", "[國務院]關於此事的通知"},
    };
    size_t far[] = {3 * WS_SNIPPET_SCAN + 1000, 5 * WS_SNIPPET_SCAN / 2};
    for (size_t i = 0; i < 2; i++) {
        char *text = text_of(far[i], cases[i][1]);
        char *s = snippet_of(an, text, i ? "国务院" : "关键词");
        CHECK(strstr(s, cases[i][2]) != NULL);
        if (!strstr(s, cases[i][2]))
            fprintf(stderr, "case %s: %s\n", cases[i][0], s);
        free(s);
        free(text);
    }
    /* across the cut between two stretches (one line: cut on a character):
     * found whole in the next, which begins before the cut */
    {
        size_t n = WS_SNIPPET_SCAN / 3 - 2; /* 甲 is 3 bytes: 网络安全 across the cut */
        char *t = malloc(3 * n + 64);
        if (!t)
            return 1;
        for (size_t i = 0; i < n; i++)
            memcpy(t + 3 * i, "甲", 3);
        strcpy(t + 3 * n, "网络安全乙乙乙。");
        char *c = snippet_of(an, t, "网络安全");
        CHECK(strstr(c, "[网络安全]") != NULL);
        free(c);
        free(t);
    }
    /* past the limit: the opening, unmarked, as for a text without one */
    char *text = text_of(WS_SNIPPET_SCAN_MAX + WS_SNIPPET_SCAN, "关键词。");
    char *s = snippet_of(an, text, "关键词");
    CHECK(!strchr(s, '[') && !strncmp(s, "各地区各部门", strlen("各地区各部门")));
    free(s);
    /* and nowhere at all, in a long text: the opening too */
    s = snippet_of(an, text, "不存在的词");
    CHECK(!strchr(s, '[') && !strncmp(s, "各地区各部门", strlen("各地区各部门")));
    free(s);
    free(text);
    /* a Latin word whole, é a letter of it (café is not in cafés), and
     * written with a combining accent the same word, marked over it */
    s = snippet_of(an, "菜单：Cafés，maid，cafe\xcc\x81，ai。", "café");
    CHECK(strstr(s, "Cafés") && !strstr(s, "[Caf") && strstr(s, "[cafe\xcc\x81]"));
    free(s);
    s = snippet_of(an, "菜单：Cafés，maid，cafe\xcc\x81，ai。", "ai");
    CHECK(strstr(s, "maid") && strstr(s, "[ai]"));
    free(s);
    /* a short text: its match, in its context */
    s = snippet_of(an, "开头。关键词在短文里。结尾。", "关键词");
    CHECK(strstr(s, "[关键词]在短文里") != NULL);
    free(s);
    /* white space as one space, a tab too; a line break too but where the
     * analyzer joins it; a mark with a space matches a run of blanks */
    static const char *const shown[][3] = {
        {"第五章\t法律责任。", "五章 法律", "第[五章 法律]责任。"},
        {"网络 \t 安全。", "网络 安全", "[网络 安全]。"},
        {"网络\n\n安全。", "安全", "网络 [安全]。"},
        {"园区用\n地面积。", "用地", "园区[用地]面积。"},
        {"new\nyork city.", "york", "new [york] city."},
        {"第1\n2条。", "12", "第[12]条。"},
        {"建设。\n\u3000\u3000围绕发展。", "围绕", "建设。\u3000\u3000[围绕]发展。"},
    };
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        char *s = snippet_of(an, shown[i][0], shown[i][1]);
        if (strcmp(s, shown[i][2])) {
            fprintf(stderr, "%s:%d: %s: %s, not %s\n", __FILE__, __LINE__, shown[i][1], s,
                    shown[i][2]);
            check_failures++;
        }
        free(s);
    }
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    CHECK_DONE();
}
