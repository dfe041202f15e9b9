/* test_lexicon.c - the lexicon and the words it makes of Chinese text
 * (analyzer_fixture.h): its words (疫情防控 not single characters) and the
 * particle 的 apart; a user dictionary, Traditional entries matching
 * Simplified text; word counts and the costs they give, built in, named or
 * none; the granularity of the national standard; new words from a file,
 * malformed ones refused with their line, and the built-in new words whole
 * in sentences of the corpus, its phrases left phrases. */
#include "analyzer_fixture.h"

#include <math.h>
#include <unistd.h>

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

int main(void)
{
    analyzer_setup();
    test_lexicon();
    test_user_dict();
    test_word_counts();
    test_granularity();
    test_new_words();
    test_builtin_new_words();
    analyzer_teardown();
    CHECK_DONE();
}
