/* test_search.c - search end to end: documents written with ws_index_put into
 * a temporary two-shard index, then found (or not) with ws_searcher_run.
 *
 * Expectations come from the documents themselves wherever possible: an
 * "oracle" normalizes each document's text the way the analyzer does
 * (NFKC, Traditional -> Simplified, printed line breaks joined) and looks for
 * the query as a plain substring, so that a wrong hit or a missed one shows
 * whichever document it is. */
#include "check.h"
#include "analyzer.h"
#include "cites.h"
#include "document.h"
#include "fixture.h"
#include "index.h"
#include "lexicon.h"
#include "normalize.h"
#include "plan.h"
#include "rerank.h"
#include "query.h"
#include "schema.h"
#include "search.h"
#include "search_int.h"
#include "engine.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- the documents ----------------------------------------------------------- */

typedef struct tdoc {
    const char *id, *title, *body, *date, *source, *type;
} tdoc;

static const tdoc docs[] = {
    {"news-2024-03-01-tanfeng", "国务院印发2030年前碳达峰行动方案",
     "新华社北京电 国务院日前印发《2030年前碳达峰行动方案》，要求各地区各部门结合实际认真贯彻落实。"
     "方案提出，到2025年，非化石能源消费比重达到20%左右。",
     "2024-03-01", "新华社", "news"},
    {"news-2023-06-15-energy", "能源局：推进新能源高质量发展",
     "国家能源局有关负责人表示，将加快推进风电、光伏发电基地建设，碳中和目标下新能源装机持续增长。",
     "2023-06-15", "人民日报", "news"},
    {"law-getigongshanghu", "促进个体工商户发展条例",
     "第一条 为了鼓励、支持和引导个体经济健康发展，维护个体工商户合法权益，制定本条例。"
     "第十条 个体工商户的债务，个人经营的，以个人财产承担；家庭经营的，以家庭财产承担。",
     "2022-11-01", "国务院", "law"},
    {"tw-2022-06-23-szzf", "國務院辦公廳關於加強數字政府建設的指導意見",
     "國務院辦公廳近日印發指導意見，要求全面推進數字政府建設，提升政務服務效能。", "2022-06-23",
     "中央社", "news"},
    {"report-zhanggong-industry", "章贡高新技术产业园区扩区调区获批",
     "前不久，章贡高新技术产业园区传来喜讯：\n园区扩区调区方案正式获省政府批复，园区用\n"
     "地面积由原来的 949.21公顷扩大至 1106.10公\n顷。此次扩区调区获批，将进一步提升园区产\n"
     "业承载能力，为重大项目落地提供更广阔的发展空间。",
     "2021-09-10", "赣南日报", "report"},
    /* 研究生 inside 研究生命起源, and 研究生 as a word: the same length */
    {"sci-2023-01-20-life", "深海热泉发现新证据",
     "中国科学院团队长期研究生命起源问题，在深海热泉中发现了新的证据并发表成果。", "2023-01-20",
     "科技日报", "news"},
    {"edu-2023-10-08-grad", "招生考试报名工作启动",
     "教育部公布全国研究生招生考试报名安排，考生可以在网上报名系统填报志愿。", "2023-10-08",
     "教育部", "policy"},
    {"news-2020-05-05-apart", "项目建设进展",
     "该项目新增建设用地二十亩，地面全部硬化，厂区绿化面积达到三成，预计年底投产。", "2020-05-05",
     "赣南日报", "news"},
    {"news-2024-01-12-name", "乡村振兴一线见闻",
     "本报记者蔺晓琮报道：在赣州市于都县，返乡青年带动村民发展脐橙产业。", "2024-01-12", "赣南日报",
     "news"},
    {"news-2024-02-02-syn", "专家解读能源转型", "专家认为，实现碳峰值需要能源结构深度调整。",
     "2024-02-02", "经济日报", "news"},
    {"news-2024-04-30-5g", "5G网络覆盖所有县城",
     "工业和信息化部表示，5G基站总数达到337.7万个，L4级自动驾驶测试有序开展，"
     "COVID-19疫情后数字政府建设提速。",
     "2024-04-30", "人民日报", "news"},
    {"news-2022-08-01-yinfa", "各地贯彻落实情况",
     "省政府办公厅印发通知，市政府印发实施方案，县里也印发了细则，印发工作有序推进，"
     "方案明确责任分工，做到家喻户晓。",
     "2022-08-01", "经济日报", "policy"},
    {"policy-2022-07-01-szzf", "国务院办公厅关于数字政府建设的通知",
     "国务院办公厅印发通知，部署数字政府建设工作。", "2022-07-01", "国务院办公厅", "policy"},
    /* a blank line between 用 and 地面积: two paragraphs, no 用地面积 */
    {"report-2019-12-31-paragraphs", "两段文字", "上一段的结尾说到园区用\n\n地面积在下一段开头。",
     "2019-12-31", "赣南日报", "report"},
};
#define NDOCS (sizeof docs / sizeof *docs)

static ws_lexicon *lex;
static ws_analyzer *an;
static ws_index *ix;
static ws_searcher *se;
/* dir, the index: tmp/db */
static char tmp[WS_FIXTURE_PATH], dir[WS_FIXTURE_PATH + 8];
static char *norm_text[NDOCS], *norm_title[NDOCS]; /* for the oracle */

/* ---- helpers ---------------------------------------------------------------------- */

static ws_status put_doc(const tdoc *t)
{
    return ws_fixture_put(ix, an,
                          ws_fixture_doc(t->id, t->title, t->body, t->date, t->source, t->type));
}

/* The text normalized as the analyzer sees it, with printed line breaks
 * removed (the documents above break lines only inside CJK text) and a blank
 * line left as a '|' that no query holds. */
static char *oracle_norm(const char *s)
{
    char *flat = malloc(strlen(s) + 1), *out = NULL;
    size_t n = 0;
    for (; *s; s++) {
        if (s[0] == '\n' && s[1] == '\n') {
            flat[n++] = '|';
            s++;
        } else if (*s != '\n') {
            flat[n++] = *s;
        }
    }
    ws_normalize_utf8(flat, n, &out, NULL);
    free(flat);
    return out;
}

static int doc_has(size_t i, const char *word)
{
    char *w = oracle_norm(word);
    int r = strstr(norm_text[i], w) != NULL;
    free(w);
    return r;
}

static int title_has(size_t i, const char *word)
{
    char *w = oracle_norm(word);
    int r = strstr(norm_title[i], w) != NULL;
    free(w);
    return r;
}

static long doc_index(const char *id)
{
    for (size_t i = 0; id && i < NDOCS; i++)
        if (!strcmp(docs[i].id, id))
            return (long)i;
    return -1;
}

static ws_results *run(const char *q, const ws_search_opts *extra)
{
    ws_search_opts o;
    if (extra)
        o = *extra;
    else
        memset(&o, 0, sizeof o);
    o.query = q;
    if (!o.limit)
        o.limit = 100;
    ws_results *r = NULL;
    ws_status st = ws_searcher_run(se, &o, &r);
    if (st != WS_OK) {
        fprintf(stderr, "search \"%s\": %s: %s\n", q, ws_status_to_string(st),
                ws_searcher_errmsg(se));
        check_failures++;
        return NULL;
    }
    return r;
}

static long rank_of(const ws_results *r, const char *id)
{
    for (size_t i = 0; r && i < r->nhits; i++)
        if (r->hits[i].id && !strcmp(r->hits[i].id, id))
            return (long)i;
    return -1;
}

static void print_hits(const ws_results *r)
{
    for (size_t i = 0; r && i < r->nhits; i++)
        fprintf(stderr, "    %zu. %s (%.3f)\n", i + 1, r->hits[i].id, r->hits[i].score);
}

/* The hits are exactly the documents for which want(i) holds. */
static void check_set(int line, const char *q, const ws_results *r, int (*want)(size_t, void *),
                      void *ctx)
{
    if (!r)
        return;
    int bad = 0;
    for (size_t i = 0; i < NDOCS; i++) {
        int w = want(i, ctx), got = rank_of(r, docs[i].id) >= 0;
        if (w != got) {
            fprintf(stderr, "%s:%d: \"%s\": %s %s\n", __FILE__, line, q, docs[i].id,
                    w ? "missing" : "should not match");
            bad = 1;
        }
    }
    if (r->total != r->nhits) {
        fprintf(stderr, "%s:%d: \"%s\": total %lu for %zu hits\n", __FILE__, line, q, r->total,
                r->nhits);
        bad = 1;
    }
    if (bad) {
        print_hits(r);
        check_failures++;
    }
}

static int want_has(size_t i, void *word)
{
    return doc_has(i, word);
}

/* ---- words, phrases, substrings ------------------------------------------------------ */

/* A quoted phrase: exactly the documents holding it, however written. */
static void check_phrase(int line, const char *phrase)
{
    char q[256];
    snprintf(q, sizeof q, "\"%s\"", phrase);
    ws_results *r = run(q, NULL);
    size_t n = 0;
    for (size_t i = 0; i < NDOCS; i++)
        n += doc_has(i, phrase);
    if (!n) {
        fprintf(stderr, "%s:%d: no document holds %s: the test proves nothing\n", __FILE__, line,
                phrase);
        check_failures++;
    }
    check_set(line, q, r, want_has, (void *)phrase);
    ws_results_free(r);
}

/* A keyword query: every document holding it verbatim is found, and they
 * come before any other hit. */
static void check_keyword(int line, const char *q)
{
    ws_results *r = run(q, NULL);
    if (!r)
        return;
    size_t n = 0;
    long last_has = -1, first_not = -1;
    for (size_t i = 0; i < NDOCS; i++) {
        if (!doc_has(i, q))
            continue;
        n++;
        long k = rank_of(r, docs[i].id);
        if (k < 0) {
            fprintf(stderr, "%s:%d: \"%s\" misses %s\n", __FILE__, line, q, docs[i].id);
            check_failures++;
        } else if (k > last_has) {
            last_has = k;
        }
    }
    for (size_t k = 0; k < r->nhits && first_not < 0; k++) {
        long i = doc_index(r->hits[k].id);
        if (i < 0 || !doc_has((size_t)i, q))
            first_not = (long)k;
    }
    if (!n) {
        fprintf(stderr, "%s:%d: no document holds %s: the test proves nothing\n", __FILE__, line,
                q);
        check_failures++;
    }
    if (first_not >= 0 && first_not < last_has) {
        fprintf(stderr, "%s:%d: \"%s\": a hit without it ranks above one with it\n", __FILE__, line,
                q);
        print_hits(r);
        check_failures++;
    }
    ws_results_free(r);
}

static void test_words(void)
{
    static const char *const words[] = {
        "国务院",   "碳达峰", "个体工商户", "研究生", "蔺晓琮",   "数字政府", "印发",
        "新能源",   "公顷",   "用地面积",   "國務院", "數字政府", "辦公廳",   "脐橙产业",
        "行动方案", "科学院", "政务服务",   "949.21", "章贡",     "生命起源",
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        check_keyword(__LINE__, words[i]);

    static const char *const phrases[] = {
        "用地面积",     "國務院辦公廳",   "国务院办公厅", "研究生",     "数字政府建设",
        "蔺晓琮",       "碳达峰行动方案", "1106.10公顷",  "個體工商戶", "5G基站",
        "COVID-19疫情", "949.21公顷",     "L4级",         "337.7万个",  "园区用地",
    };
    for (size_t i = 0; i < sizeof phrases / sizeof *phrases; i++)
        check_phrase(__LINE__, phrases[i]);

    /* the doc with 用地, 地面 and 面积 apart (every pair of the phrase, not
     * the phrase) does not match it: the characters' positions decide */
    ws_results *r = run("\"用地面积\"", NULL);
    CHECK(rank_of(r, "news-2020-05-05-apart") < 0);
    CHECK(rank_of(r, "report-zhanggong-industry") == 0);
    ws_results_free(r);
    /* unquoted, the hard-wrapped document comes first */
    r = run("用地面积", NULL);
    CHECK(r && rank_of(r, "report-zhanggong-industry") == 0);
    ws_results_free(r);

    /* the name is in no lexicon, and yet found, and alone: another
     * document's 晓 (家喻户晓) is not a match */
    uint32_t cps[3] = {0x853A, 0x6653, 0x742E}; /* 蔺晓琮 */
    CHECK_INT(ws_lexicon_lookup(lex, cps, 3, NULL) & WS_LEX_WORD, 0);
    r = run("蔺晓琮", NULL);
    CHECK(r && r->nhits == 1 && rank_of(r, "news-2024-01-12-name") == 0);
    ws_results_free(r);

    /* a word found nowhere finds nothing worth showing */
    r = run("\"量子纠缠\"", NULL);
    CHECK(r && r->total == 0 && r->nhits == 0);
    ws_results_free(r);
}

static void test_substring_ranking(void)
{
    /* 研究生 inside 研究生命起源 (segmented 研究/生命) is found, but the
     * document where it is a word ranks first, all else being equal */
    ws_results *r = run("研究生", NULL);
    long word = rank_of(r, "edu-2023-10-08-grad"), sub = rank_of(r, "sci-2023-01-20-life");
    CHECK(word >= 0);
    CHECK(sub >= 0);
    CHECK(word < sub);
    if (!(word >= 0 && sub >= 0 && word < sub))
        print_hits(r);
    ws_results_free(r);
}

static void test_traditional(void)
{
    static const char *const pairs[][2] = {
        {"國務院辦公廳", "国务院办公厅"},
        {"數字政府", "数字政府"},
        {"印發", "印发"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        ws_results *a = run(pairs[i][0], NULL), *b = run(pairs[i][1], NULL);
        CHECK(a && b && a->nhits == b->nhits && a->nhits >= 2);
        for (size_t k = 0; a && b && k < a->nhits; k++)
            CHECK(rank_of(b, a->hits[k].id) >= 0);
        /* both the traditional and a simplified document */
        CHECK(rank_of(a, "tw-2022-06-23-szzf") >= 0);
        ws_results_free(a);
        ws_results_free(b);
    }
}

/* ---- several words, operators ---------------------------------------------------- */

typedef struct words {
    const char *w[4];
} words;

static int has_all(size_t i, const words *w)
{
    for (int k = 0; k < 4 && w->w[k]; k++)
        if (!doc_has(i, w->w[k]))
            return 0;
    return 1;
}

static void test_keywords(void)
{
    /* two words: exactly the documents with both */
    words two = {{"国务院", "印发"}};
    ws_results *r = run("国务院 印发", NULL);
    for (size_t i = 0; i < NDOCS; i++)
        CHECK((rank_of(r, docs[i].id) >= 0) == has_all(i, &two));
    ws_results_free(r);

    /* three words: the documents with all of them come first, then the others */
    words three = {{"国务院", "印发", "方案"}};
    r = run("国务院 印发 方案", NULL);
    CHECK(r && r->nhits > 0);
    int seen_partial = 0, order_ok = 1;
    size_t full = 0;
    for (size_t k = 0; r && k < r->nhits; k++) {
        long i = doc_index(r->hits[k].id);
        int all = i >= 0 && has_all((size_t)i, &three);
        if (all && seen_partial)
            order_ok = 0;
        seen_partial |= !all;
        full += all;
    }
    size_t want_full = 0;
    for (size_t i = 0; i < NDOCS; i++)
        want_full += has_all(i, &three);
    CHECK(want_full >= 1);
    CHECK_INT(full, want_full);
    CHECK(order_ok);
    if (!order_ok)
        print_hits(r);
    CHECK(rank_of(r, "news-2024-03-01-tanfeng") == 0);
    ws_results_free(r);

    /* a word after a compound with joiners (COVID-19) is still required: the
     * compound covers its own parts, not the words that follow it */
    words covid = {{"covid-19", "疫情"}};
    r = run("COVID-19 疫情", NULL);
    for (size_t i = 0; r && i < NDOCS; i++)
        CHECK((rank_of(r, docs[i].id) >= 0) == has_all(i, &covid));
    ws_results_free(r);
    /* no document holds both COVID-19 and 印发: the strict plan must find
     * nothing, so the relaxed one answers, with documents of 印发 alone (were
     * 印发 optional, the COVID-19 document alone would be the answer) */
    words covid2 = {{"covid-19", "印发"}};
    size_t both = 0;
    for (size_t i = 0; i < NDOCS; i++)
        both += has_all(i, &covid2);
    CHECK_INT(both, 0);
    r = run("COVID-19 印发", NULL);
    int yinfa_alone = 0;
    for (size_t k = 0; r && k < r->nhits; k++) {
        long i = doc_index(r->hits[k].id);
        yinfa_alone |= i >= 0 && doc_has((size_t)i, "印发") && !doc_has((size_t)i, "covid-19");
    }
    CHECK(yinfa_alone);
    ws_results_free(r);

    /* a long question in plain Chinese finds the law that answers it, among
     * the documents that hold some of its words: none holds it as written,
     * so none is counted */
    r = run("个体工商户的债务应该如何承担？", NULL);
    CHECK(r && r->total == 0 && r->nhits > 0 && r->hits[0].relaxed && r->relaxed_total > 0);
    CHECK(rank_of(r, "law-getigongshanghu") == 0);
    ws_results_free(r);
}

/* The relaxed plan of a question, as WENSUO_DEBUG_QUERY prints it; freed by
 * the caller. */
/* A plan of q (with synonyms syn, or NULL) in Xapian's notation: the
 * relaxed one, or the keyword one. The caller frees it. */
static char *plan_of(const char *q, const ws_synonyms *syn, int relaxed)
{
    ws_qast *ast = NULL;
    ws_plan plan;
    char err[256] = "", *text = NULL;
    size_t len = 0;
    if (ws_query_parse(q, &ast, err, sizeof err) != WS_OK)
        return NULL;
    if (ws_plan_build(an, syn, ast, WS_PLAN_SPACES, &plan, err, sizeof err) == WS_OK) {
        FILE *f = open_memstream(&text, &len);
        if (f) {
            ws_qtree_dump(relaxed ? plan.relaxed : plan.query, f);
            fclose(f);
        }
        ws_plan_free(&plan);
    }
    ws_qast_free(ast);
    return text;
}

static char *relaxed_plan(const char *q)
{
    return plan_of(q, NULL, 1);
}

/* A relaxed plan weighs what a question is about, not how it asks: 如何
 * and the pairs that touch it are left out of its "any of the words"; a
 * pair that ends in a stop word (户的) stays, the stop word alone does not. */
static void test_question_words(void)
{
    char *p = relaxed_plan("个体工商户的债务应该如何承担？");
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK(strstr(p, "B承担") && strstr(p, "B债务") && strstr(p, "B户的"));
    /* (the strict part, documents with every word, still requires 如何) */
    CHECK(!strstr(p, "OR 如何") && !strstr(p, "OR B如何") && !strstr(p, "B该如") &&
          !strstr(p, "B何承"));
    CHECK(!strstr(p, "U的 ") && !strstr(p, "U的)"));
    if (check_failures)
        fprintf(stderr, "    relaxed plan: %s\n", p);
    free(p);

    /* a question's total counts the documents that hold it as written
     * (none), exactly; its relaxed hits are labelled, their number an
     * estimate that says so; the same with facets */
    const char *question = "个体工商户的债务应该如何承担，由谁来负责偿还？";
    ws_results *r = run(question, NULL);
    CHECK(r && r->nhits > 0 && r->estimated == 0 && r->total == 0);
    for (size_t k = 0; r && k < r->nhits; k++)
        CHECK(r->hits[k].relaxed);
    json_t *j = r ? ws_results_to_json(r, "<b>", "</b>") : NULL;
    json_t *h0 = j ? json_array_get(json_object_get(j, "hits"), 0) : NULL;
    CHECK(j && !json_object_get(j, "estimated") && json_is_true(json_object_get(h0, "relaxed")) &&
          json_integer_value(json_object_get(j, "relaxed_total")) > 0);
    json_decref(j);
    ws_results_free(r);
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.facets = WS_FACET_TYPE;
    r = run(question, &o);
    CHECK(r && r->nhits > 0 && r->estimated == 0 && r->total == 0);
    ws_results_free(r);
    r = run("国务院", NULL);
    CHECK(r && r->nhits > 0 && r->estimated == 0);
    for (size_t k = 0; r && k < r->nhits; k++)
        CHECK(!r->hits[k].relaxed);
    j = r ? ws_results_to_json(r, "<b>", "</b>") : NULL;
    CHECK(j && !json_object_get(j, "estimated") && !json_object_get(j, "relaxed_total"));
    json_decref(j);
    ws_results_free(r);
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Hits without snippets read their fields without decoding the body: the
 * same fields as the full decoding, whatever the body holds (line breaks,
 * an escape before a field). */
static void test_no_snippet_fields(void)
{
    const char *qs[] = {"园区", "国务院", "type:news OR type:report OR type:policy OR type:law"};
    for (size_t q = 0; q < sizeof qs / sizeof *qs; q++) {
        ws_search_opts o;
        memset(&o, 0, sizeof o);
        ws_results *full = run(qs[q], &o);
        o.no_snippets = 1;
        ws_results *bare = run(qs[q], &o);
        CHECK(full && bare && full->nhits > 0 && full->nhits == bare->nhits);
        for (size_t i = 0; full && bare && i < full->nhits && i < bare->nhits; i++) {
            const ws_hit *a = &full->hits[i], *b = &bare->hits[i];
            CHECK(a->id && same_str(a->id, b->id) && same_str(a->title, b->title) &&
                  same_str(a->date, b->date) && same_str(a->source, b->source) &&
                  same_str(a->type, b->type) && same_str(a->url, b->url));
            CHECK(a->snippet && !b->snippet);
        }
        ws_results_free(full);
        ws_results_free(bare);
    }
}

typedef struct boolq {
    const char *must, *must_not, *either;
} boolq;

static int want_bool(size_t i, void *ctx)
{
    const boolq *b = ctx;
    if (b->either)
        return doc_has(i, b->must) || doc_has(i, b->either);
    return doc_has(i, b->must) && !(b->must_not && doc_has(i, b->must_not));
}

static void test_operators(void)
{
    static const struct {
        const char *q;
        boolq b;
    } cases[] = {
        {"国务院 -碳达峰", {"国务院", "碳达峰", NULL}},
        {"国务院 NOT 数字政府", {"国务院", "数字政府", NULL}},
        {"印发 -\"数字政府\"", {"印发", "数字政府", NULL}},
        {"碳达峰 OR 蔺晓琮", {"碳达峰", NULL, "蔺晓琮"}},
        {"\"研究生\" OR \"用地面积\"", {"研究生", NULL, "用地面积"}},
        {"(国务院 OR 国家能源局) -(碳达峰 OR 数字政府)", {"国务院", NULL, NULL}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        ws_results *r = run(cases[c].q, NULL);
        if (c < 5) {
            check_set(__LINE__, cases[c].q, r, want_bool, (void *)&cases[c].b);
        } else {
            for (size_t i = 0; i < NDOCS; i++) {
                int w = (doc_has(i, "国务院") || doc_has(i, "国家能源局")) &&
                        !doc_has(i, "碳达峰") && !doc_has(i, "数字政府");
                CHECK((rank_of(r, docs[i].id) >= 0) == w);
            }
        }
        CHECK(r && r->nhits > 0);
        ws_results_free(r);
    }
}

/* ---- fields, filters, dates ---------------------------------------------------------- */

typedef struct filt {
    const char *word, *source, *type, *from, *to; /* dates compared as strings */
    int title;
} filt;

static int want_filt(size_t i, void *ctx)
{
    const filt *f = ctx;
    if (f->word && !(f->title ? title_has(i, f->word) : doc_has(i, f->word)))
        return 0;
    if (f->source && strcmp(docs[i].source, f->source))
        return 0;
    if (f->type && strcmp(docs[i].type, f->type))
        return 0;
    if (f->from && strncmp(docs[i].date, f->from, strlen(f->from)) < 0)
        return 0;
    if (f->to && strncmp(docs[i].date, f->to, strlen(f->to)) > 0)
        return 0;
    return 1;
}

static void test_fields(void)
{
    static const struct {
        const char *q;
        filt f;
    } cases[] = {
        {"title:数字政府", {"数字政府", NULL, NULL, NULL, NULL, 1}},
        {"title:国务院", {"国务院", NULL, NULL, NULL, NULL, 1}},
        {"title:\"國務院辦公廳\"", {"国务院办公厅", NULL, NULL, NULL, NULL, 1}},
        {"source:赣南日报", {NULL, "赣南日报", NULL, NULL, NULL, 0}},
        {"source:赣南日报 园区", {"园区", "赣南日报", NULL, NULL, NULL, 0}},
        {"type:law", {NULL, NULL, "law", NULL, NULL, 0}},
        {"type:POLICY 印发", {"印发", NULL, "policy", NULL, NULL, 0}},
        {"type:news 国务院", {"国务院", NULL, "news", NULL, NULL, 0}},
        {"date:2023-01-01..2023-12-31", {NULL, NULL, NULL, "2023-01-01", "2023-12-31", 0}},
        {"date:2024..", {NULL, NULL, NULL, "2024", NULL, 0}},
        {"date:..2021-12", {NULL, NULL, NULL, NULL, "2021-12", 0}},
        {"date:2022", {NULL, NULL, NULL, "2022", "2022", 0}},
        {"date:2022-06..2022-07", {NULL, NULL, NULL, "2022-06", "2022-07", 0}},
        {"国务院 date:2022-06-23..2022-07-01",
         {"国务院", NULL, NULL, "2022-06-23", "2022-07-01", 0}},
        {"印发 date:2022-06-24..", {"印发", NULL, NULL, "2022-06-24", NULL, 0}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        ws_results *r = run(cases[c].q, NULL);
        size_t n = 0;
        for (size_t i = 0; i < NDOCS; i++)
            n += want_filt(i, (void *)&cases[c].f);
        CHECK(n > 0 && n < NDOCS);
        check_set(__LINE__, cases[c].q, r, want_filt, (void *)&cases[c].f);
        ws_results_free(r);
    }
    /* title: leaves out a document with the word only in its body */
    size_t body_only = 0;
    for (size_t i = 0; i < NDOCS; i++)
        body_only += doc_has(i, "数字政府") && !title_has(i, "数字政府");
    CHECK(body_only > 0);

    /* the same filters as options */
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.source = "人民日报";
    ws_results *r = run("新能源 OR 5G", &o);
    filt f = {NULL, "人民日报", NULL, NULL, NULL, 0};
    check_set(__LINE__, "--source 人民日报", r, want_filt, &f);
    ws_results_free(r);
    memset(&o, 0, sizeof o);
    o.type = "news";
    o.from = "2023";
    o.to = "2024-02";
    r = run("type:news OR type:policy OR type:law", &o);
    filt g = {NULL, NULL, "news", "2023", "2024-02", 0};
    check_set(__LINE__, "--type news --from 2023 --to 2024-02", r, want_filt, &g);
    ws_results_free(r);
    memset(&o, 0, sizeof o);
    o.from = "2023-13";
    ws_results *bad = NULL;
    o.query = "国务院";
    CHECK_INT(ws_searcher_run(se, &o, &bad), WS_EINVAL);
    CHECK(bad == NULL && ws_searcher_errmsg(se)[0]);
}

/* ---- order, paging, facets --------------------------------------------------------------- */

static void test_sort_and_paging(void)
{
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.sort = WS_SORT_DATE;
    ws_results *r = run("type:news OR type:policy", &o);
    CHECK(r && r->nhits >= 10);
    for (size_t k = 1; r && k < r->nhits; k++)
        CHECK(strcmp(r->hits[k - 1].date, r->hits[k].date) >= 0);
    CHECK(r && !strcmp(r->hits[0].date, "2024-04-30"));
    ws_results_free(r);
    r = run("印发", &o);
    for (size_t k = 1; r && k < r->nhits; k++)
        CHECK(strcmp(r->hits[k - 1].date, r->hits[k].date) >= 0);
    ws_results_free(r);

    /* pages of 3 make up the whole list, in order */
    memset(&o, 0, sizeof o);
    ws_results *all = run("type:news OR type:policy OR 国务院", &o);
    CHECK(all && all->nhits > 6);
    size_t seen = 0;
    for (unsigned off = 0; all && off < all->nhits + 3; off += 3) {
        o.offset = off;
        o.limit = 3;
        ws_results *p = run("type:news OR type:policy OR 国务院", &o);
        if (!p)
            break;
        CHECK_INT(p->total, all->total);
        size_t want = all->nhits > off ? all->nhits - off : 0;
        CHECK_INT(p->nhits, want < 3 ? want : 3);
        for (size_t k = 0; k < p->nhits; k++) {
            CHECK_STR(p->hits[k].id, all->hits[off + k].id);
            seen++;
        }
        ws_results_free(p);
    }
    CHECK(all && seen == all->nhits);
    ws_results_free(all);

    /* a query of several words that few documents hold whole is relaxed, and
     * on every page alike: the pages make up the list of a page of 100 (the
     * relaxed total is an estimate, so only the ids are compared); 碳 达 峰
     * written apart, as 碳达峰 is one word of the new words */
    memset(&o, 0, sizeof o);
    const char *few = "国务院 数字政府 碳 达 峰";
    all = run(few, &o);
    CHECK(all && all->nhits >= 9);
    seen = 0;
    for (unsigned off = 0; all && all->nhits >= 9 && off < 9; off += 3) {
        o.offset = off;
        o.limit = 3;
        ws_results *p = run(few, &o);
        if (!p)
            break;
        for (size_t k = 0; k < p->nhits; k++, seen++)
            CHECK_STR(p->hits[k].id, all->hits[off + k].id);
        ws_results_free(p);
    }
    CHECK_INT(seen, 9);
    ws_results_free(all);

    /* limits */
    memset(&o, 0, sizeof o);
    o.query = "国务院";
    o.limit = WS_SEARCH_MAX_LIMIT + 1;
    CHECK_INT(ws_searcher_run(se, &o, &r), WS_EINVAL);
    o.limit = 10;
    o.offset = WS_SEARCH_MAX_WINDOW;
    CHECK_INT(ws_searcher_run(se, &o, &r), WS_EINVAL);
}

static void test_facets(void)
{
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.facets = WS_FACET_SOURCE | WS_FACET_TYPE | WS_FACET_YEAR;
    ws_results *r = run("印发 OR 国务院 OR 赣南日报 OR 园区", &o);
    CHECK(r && r->facets && r->nhits > 3);
    if (!r || !r->facets) {
        ws_results_free(r);
        return;
    }
    static const char *const kinds[] = {"source", "type", "year"};
    for (int f = 0; f < 3; f++) {
        json_t *counts = json_object_get(r->facets, kinds[f]);
        CHECK(json_is_object(counts));
        /* the counts are those of the hits (all of them fit in the page) */
        size_t sum = 0;
        const char *key;
        json_t *v;
        json_object_foreach(counts, key, v)
        {
            size_t n = 0;
            for (size_t k = 0; k < r->nhits; k++) {
                long i = doc_index(r->hits[k].id);
                const char *val = f == 0 ? docs[i].source : f == 1 ? docs[i].type : docs[i].date;
                n += f == 2 ? !strncmp(val, key, 4) && strlen(key) == 4 : !strcmp(val, key);
            }
            if ((size_t)json_integer_value(v) != n) {
                fprintf(stderr, "%s:%d: facet %s %s: %lld, hits say %zu\n", __FILE__, __LINE__,
                        kinds[f], key, (long long)json_integer_value(v), n);
                check_failures++;
            }
            sum += (size_t)json_integer_value(v);
        }
        CHECK_INT(sum, r->nhits);
    }
    ws_results_free(r);
    /* no facets unless asked */
    r = run("国务院", NULL);
    CHECK(r && r->facets == NULL);
    ws_results_free(r);
}

/* Oldest first, facets by month, and a hit's url: with a document without
 * a date (which goes last, oldest first as newest first) and one with a url
 * among the test documents for a while; the months are counted from the
 * documents' dates here, not from the index. */

static const char nautilus_all[] = "type:news OR type:policy OR type:law OR type:report";

/* The two documents of the test, indexed and searchable. */
static void nautilus_put(void)
{
    ws_doc *d = ws_fixture_doc("undated-nautilus", "鹦鹉螺号航行记录", "鹦鹉螺号没有日期。", NULL,
                               "航海日志", "news");
    ws_doc *u = ws_fixture_doc("dated-nautilus", "鹦鹉螺号试航", "鹦鹉螺号在二〇二一年试航。",
                               "2021-09-03", "航海日志", "news");
    ws_doc_set(&u->url, "https://example.org/nautilus", strlen("https://example.org/nautilus"));
    CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    CHECK_INT(ws_fixture_put(ix, an, u), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
}

static void nautilus_remove(void)
{
    CHECK_INT(ws_index_delete(ix, "undated-nautilus"), WS_OK);
    CHECK_INT(ws_index_delete(ix, "dated-nautilus"), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
}

/* The dates of every dated document, sorted here, into want; their count. */
static size_t dated_sorted(const char *want[NDOCS + 1])
{
    size_t nw = 0;
    for (size_t i = 0; i < NDOCS; i++)
        want[nw++] = docs[i].date;
    want[nw++] = "2021-09-03";
    for (size_t i = 1; i < nw; i++) /* insertion sort: a handful */
        for (size_t k = i; k > 0 && strcmp(want[k - 1], want[k]) > 0; k--) {
            const char *t = want[k];
            want[k] = want[k - 1];
            want[k - 1] = t;
        }
    return nw;
}

/* Oldest first: the dates in order, then the undated one; newest first still
 * puts it last, and a page of oldest first is a slice of the whole order. */
static void check_oldest_first(const char *const want[], size_t nw)
{
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.sort = WS_SORT_DATE_ASC;
    ws_results *r = run(nautilus_all, &o);
    CHECK(r && r->nhits == NDOCS + 2);
    for (size_t k = 0; r && k < nw && k < r->nhits; k++)
        CHECK_STR(r->hits[k].date, want[k]);
    CHECK(r && r->nhits == nw + 1 && r->hits[nw].date == NULL &&
          !strcmp(r->hits[nw].id, "undated-nautilus"));
    ws_results_free(r);
    o.sort = WS_SORT_DATE;
    r = run(nautilus_all, &o);
    CHECK(r && r->nhits == nw + 1 && !strcmp(r->hits[0].date, want[nw - 1]) &&
          r->hits[nw].date == NULL);
    ws_results_free(r);
    o.sort = WS_SORT_DATE_ASC;
    o.offset = 3;
    o.limit = 2;
    r = run(nautilus_all, &o);
    CHECK(r && r->nhits == 2 && !strcmp(r->hits[0].date, want[3]) &&
          !strcmp(r->hits[1].date, want[4]));
    ws_results_free(r);

    /* a page that starts with the undated one */
    o.offset = (unsigned)nw;
    o.limit = 3;
    r = run(nautilus_all, &o);
    CHECK(r && r->nhits == 1 && !strcmp(r->hits[0].id, "undated-nautilus"));
    ws_results_free(r);
}

/* The plan of the query every document matches (the caller frees both). */
static void plan_all(ws_qast **ast, ws_qnode **q)
{
    ws_search_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.query = nautilus_all;
    CHECK_INT(ws__searcher_plan(se, &lo, ast, q), WS_OK);
}

/* Every match oldest first, as an export lists them: the order of a search. */
static void check_listed_oldest_first(void)
{
    ws_qast *ast = NULL;
    ws_qnode *q = NULL;
    ws_db_list l = {0};
    plan_all(&ast, &q);
    CHECK_INT(ws_db_list_all(ws__searcher_db(se), q, WS_DB_ORDER_DATE_ASC, &l), WS_OK);
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.sort = WS_SORT_DATE_ASC;
    o.limit = 100;
    ws_results *r = run(nautilus_all, &o);
    CHECK(r && l.n == r->nhits);
    for (size_t k = 0; r && k < l.n && k < r->nhits; k++) {
        json_t *d = NULL;
        char *data = NULL;
        CHECK_INT(ws_db_data(ws__searcher_db(se), l.docid[k], &data), WS_OK);
        d = data ? json_loads(data, 0, NULL) : NULL;
        CHECK_STR(json_string_value(json_object_get(d, "id")), r->hits[k].id);
        json_decref(d);
        free(data);
    }
    ws_results_free(r);
    ws_db_list_free(&l);
    ws_qtree_free(q);
    ws_qast_free(ast);
}

/* Months: YYYY-MM of each date (want, sorted), the undated under "(none)". */
static void check_months(const char *const want[], size_t nw)
{
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.facets = WS_FACET_MONTH | WS_FACET_YEAR;
    ws_results *r = run(nautilus_all, &o);
    json_t *months = r && r->facets ? json_object_get(r->facets, "month") : NULL;
    CHECK(json_is_object(months) && json_is_object(json_object_get(r->facets, "year")));
    size_t sum = 0, distinct = 0;
    for (size_t i = 0; months && i < nw; i++) {
        if (i && !strncmp(want[i - 1], want[i], 7))
            continue;
        size_t n = 0;
        for (size_t k = 0; k < nw; k++)
            n += !strncmp(want[k], want[i], 7);
        char key[8];
        memcpy(key, want[i], 7);
        key[7] = '\0';
        json_t *v = json_object_get(months, key);
        if (!v || (size_t)json_integer_value(v) != n) {
            fprintf(stderr, "%s:%d: month %s: %lld, the dates say %zu\n", __FILE__, __LINE__, key,
                    v ? (long long)json_integer_value(v) : -1LL, n);
            check_failures++;
        }
        sum += n;
        distinct++;
    }
    CHECK(months && json_object_size(months) == distinct + 1);
    CHECK(months && json_integer_value(json_object_get(months, "(none)")) == 1);
    CHECK_INT(sum + 1, r ? r->total : 0);
    ws_results_free(r);
}

/* Facets and sorts parsed by name, and refused by an unknown name in words
 * that list the known. */
static void check_facet_and_sort_names(void)
{
    unsigned bits = 0;
    char err[256] = "";
    CHECK_INT(ws_search_facets_parse("year,month", &bits, err, sizeof err), WS_OK);
    CHECK_INT(bits, WS_FACET_YEAR | WS_FACET_MONTH);
    CHECK_INT(ws_search_facets_parse("week", &bits, err, sizeof err), WS_EINVAL);
    CHECK(strstr(err, "month") != NULL);
    ws_sort sort = WS_SORT_RELEVANCE;
    CHECK_INT(ws_search_sort_parse("date_asc", &sort, err, sizeof err), WS_OK);
    CHECK_INT(sort, WS_SORT_DATE_ASC);
    CHECK_INT(ws_search_sort_parse("oldest", &sort, err, sizeof err), WS_EINVAL);
    CHECK(strstr(err, "date_asc") != NULL);
}

/* The url on the hit that has one, in JSON too; none on the others. */
static void check_url(void)
{
    ws_results *r = run("鹦鹉螺号", NULL);
    CHECK(r && r->nhits == 2);
    json_t *j = r ? ws_results_to_json(r, "<b>", "</b>") : NULL;
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(j, "hits"), i, h)
    {
        const char *id = json_string_value(json_object_get(h, "id"));
        const char *url = json_string_value(json_object_get(h, "url"));
        if (id && !strcmp(id, "dated-nautilus"))
            CHECK(url && !strcmp(url, "https://example.org/nautilus"));
        else
            CHECK(json_object_get(h, "url") == NULL);
    }
    json_decref(j);
    ws_results_free(r);
}

/* A page of the matches (ws_db_list_page) is the slice of the whole list
 * at its place, in every order, from every start, one, three or every
 * match long: across the undated one oldest first too. */
static void check_list_pages(void)
{
    ws_qast *ast = NULL;
    ws_qnode *q = NULL;
    plan_all(&ast, &q);
    ws_db *db = ws__searcher_db(se);
    const ws_db_order orders[] = {WS_DB_ORDER_RELEVANCE, WS_DB_ORDER_DATE_DESC,
                                  WS_DB_ORDER_DATE_ASC};
    size_t wrong = 0, pages = 0;
    for (size_t k = 0; k < 3; k++) {
        ws_db_list all = {0};
        CHECK_INT(ws_db_list_all(db, q, orders[k], &all), WS_OK);
        CHECK(all.n > 3);
        for (size_t from = 0; from <= all.n; from++) {
            const size_t sizes[] = {1, 3, all.n};
            for (size_t z = 0; z < 3; z++) {
                ws_db_list page = {0};
                CHECK_INT(ws_db_list_page(db, q, orders[k], from, sizes[z], &page, NULL), WS_OK);
                size_t want = all.n - from < sizes[z] ? all.n - from : sizes[z];
                wrong += page.n != want;
                for (size_t i = 0; i < page.n && i < want; i++)
                    wrong += page.docid[i] != all.docid[from + i];
                pages++;
                ws_db_list_free(&page);
            }
        }
        ws_db_list_free(&all);
    }
    /* every match beside a page, in docid order: the whole list's */
    ws_db_list bydoc = {0}, every = {0}, first = {0};
    CHECK_INT(ws_db_list_all(db, q, WS_DB_ORDER_DOCID, &bydoc), WS_OK);
    CHECK_INT(ws_db_list_page(db, q, WS_DB_ORDER_DATE_DESC, 0, 2, &first, &every), WS_OK);
    CHECK_INT(every.n, bydoc.n);
    CHECK_INT(first.n, 2);
    for (size_t i = 0; i < every.n && i < bydoc.n; i++)
        wrong += every.docid[i] != bydoc.docid[i];
    ws_db_list_free(&bydoc);
    ws_db_list_free(&every);
    ws_db_list_free(&first);
    CHECK_INT(wrong, 0);
    CHECK(pages > 30);
    ws_db_list page = {0};
    CHECK_INT(ws_db_list_page(db, q, WS_DB_ORDER_DOCID, 0, 3, &page, NULL), WS_EINVAL);
    ws_qtree_free(q);
    ws_qast_free(ast);
}

static void test_oldest_month_url(void)
{
    nautilus_put();
    const char *want[NDOCS + 1];
    size_t nw = dated_sorted(want);
    check_oldest_first(want, nw);
    check_listed_oldest_first();
    check_list_pages();
    check_months(want, nw);
    check_facet_and_sort_names();
    check_url();
    nautilus_remove();
}

/* ---- snippets ------------------------------------------------------------------------ */

static int utf8_valid(const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = ws_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (cp == 0xFFFD && memcmp(s + i, "\xEF\xBF\xBD", 3) != 0)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

/* The marked stretches of a snippet, each without spaces, joined by '|';
 * 0 when the marks are unbalanced. */
static int marked(const char *snip, char *out, size_t cap)
{
    size_t n = 0;
    int open = 0;
    out[0] = '\0';
    for (const char *p = snip; *p; p++) {
        if (*p == '\x01') {
            if (open)
                return 0;
            open = 1;
            if (n && n + 1 < cap)
                out[n++] = '|';
        } else if (*p == '\x02') {
            if (!open)
                return 0;
            open = 0;
        } else if (open && *p != ' ' && n + 1 < cap) {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return !open;
}

static const ws_hit *hit_of(const ws_results *r, const char *id)
{
    long k = rank_of(r, id);
    return k >= 0 ? &r->hits[k] : NULL;
}

/* The snippet of id for q marks want: its marked stretches, joined by '|',
 * hold want, or (exact) are want. */
static void check_snippet_marked(int line, const char *q, const char *id, const char *want,
                                 int exact)
{
    ws_results *r = run(q, NULL);
    const ws_hit *h = hit_of(r, id);
    char m[1024];
    if (!h || !h->snippet) {
        fprintf(stderr, "%s:%d: \"%s\": no hit %s with a snippet\n", __FILE__, line, q, id);
        check_failures++;
    } else if (!marked(h->snippet, m, sizeof m) ||
               (exact ? strcmp(m, want) != 0 : !strstr(m, want))) {
        fprintf(stderr, "%s:%d: \"%s\": snippet of %s marks \"%s\", not \"%s\": %s\n", __FILE__,
                line, q, id, m, want, h->snippet);
        check_failures++;
    }
    ws_results_free(r);
}

static void check_snippet_mark(int line, const char *q, const char *id, const char *want)
{
    check_snippet_marked(line, q, id, want, 0);
}

static void check_snippet_marks(int line, const char *q, const char *id, const char *want)
{
    check_snippet_marked(line, q, id, want, 1);
}

static void test_snippets(void)
{
    check_snippet_mark(__LINE__, "\"用地面积\"", "report-zhanggong-industry", "用地面积");
    check_snippet_mark(__LINE__, "用地面积", "report-zhanggong-industry", "用地面积");
    /* the mark surrounds the traditional original */
    check_snippet_mark(__LINE__, "国务院办公厅", "tw-2022-06-23-szzf", "國務院辦公廳");
    check_snippet_mark(__LINE__, "\"数字政府\"", "tw-2022-06-23-szzf", "數字政府");
    check_snippet_mark(__LINE__, "研究生", "sci-2023-01-20-life", "研究生");
    check_snippet_mark(__LINE__, "蔺晓琮", "news-2024-01-12-name", "蔺晓琮");
    check_snippet_mark(__LINE__, "5G", "news-2024-04-30-5g", "5G");
    check_snippet_mark(__LINE__, "covid-19", "news-2024-04-30-5g", "COVID-19");
    /* a phrase that starts or ends with a digit, a Latin letter or a unit
     * is marked whole, and nothing else is */
    check_snippet_marks(__LINE__, "\"949.21公顷\"", "report-zhanggong-industry", "949.21公顷");
    check_snippet_marks(__LINE__, "\"1106.10公顷\"", "report-zhanggong-industry", "1106.10公顷");
    check_snippet_marks(__LINE__, "\"2030年\"", "news-2024-03-01-tanfeng", "2030年");
    check_snippet_marks(__LINE__, "\"337.7万个\"", "news-2024-04-30-5g", "337.7万个");
    check_snippet_marks(__LINE__, "\"L4级\"", "news-2024-04-30-5g", "L4级");
    check_snippet_marks(__LINE__, "\"COVID-19疫情\"", "news-2024-04-30-5g", "COVID-19疫情");
    /* a run as typed is marked whole, not its words apart */
    check_snippet_marks(__LINE__, "数字政府建设", "tw-2022-06-23-szzf", "數字政府建設");

    /* every snippet of every hit: valid UTF-8, balanced marks, and each
     * marked stretch is text of the document */
    static const char *const qs[] = {
        "国务院", "印发 方案", "\"用地面积\"",    "數字政府", "个体工商户的债务应该如何承担？",
        "公顷",   "研究生",    "碳达峰 OR 蔺晓琮"};
    for (size_t q = 0; q < sizeof qs / sizeof *qs; q++) {
        ws_results *r = run(qs[q], NULL);
        CHECK(r && r->nhits > 0);
        for (size_t k = 0; r && k < r->nhits; k++) {
            const char *s = r->hits[k].snippet;
            char m[2048];
            CHECK(s != NULL);
            if (!s)
                continue;
            CHECK(utf8_valid(s));
            CHECK(marked(s, m, sizeof m));
            CHECK(strlen(s) < 2048);
        }
        ws_results_free(r);
    }
}

/* A snippet is taken around an exact occurrence, not where the words of
 * the query stand apart, and every occurrence in it is marked whole. */
static void test_snippet_exact(void)
{
    char body[4096] = "";
    for (int i = 0; i < 12; i++)
        strcat(body, "数据共享平台建设，安全管理制度完善，数据与安全并重。");
    strcat(body, "依照数据安全法和网络安全法，数据安全法规定的义务应当履行。");
    for (int i = 0; i < 12; i++)
        strcat(body, "安全生产形势稳定，数据报送及时。");
    ws_doc *d = ws_fixture_doc("snippet-apart", "年度报告", body, "2024-05-05", "测试", "report");
    CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
    check_snippet_marks(__LINE__, "数据安全法", "snippet-apart", "数据安全法|数据安全法");
    check_snippet_marks(__LINE__, "\"数据安全法\"", "snippet-apart", "数据安全法|数据安全法");
    check_snippet_marks(__LINE__, "数据安全法 OR 网络安全法", "snippet-apart",
                        "数据安全法|网络安全法|数据安全法");
    CHECK_INT(ws_index_delete(ix, "snippet-apart"), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
}

/* A long document whose match sits in the middle: the snippet is cut from it
 * on character boundaries, with an ellipsis at each cut. */
static void test_long_snippet(void)
{
    static const char *const pieces[] = {"数字经济", "ＡＢＣ", " 2024 ", "𠀀𠀁",
                                         "，",       "é",      "国务院", "长文"};
    char *body = malloc(40000);
    size_t n = 0;
    srand(7);
    while (n < 12000) {
        const char *p = pieces[rand() % 8];
        memcpy(body + n, p, strlen(p));
        n += strlen(p);
    }
    const char *needle = "蔺晓琮同志在长篇检索测试中";
    memcpy(body + n, needle, strlen(needle));
    n += strlen(needle);
    while (n < 24000) {
        const char *p = pieces[rand() % 8];
        memcpy(body + n, p, strlen(p));
        n += strlen(p);
    }
    body[n] = '\0';
    ws_doc *d = ws_fixture_doc("long-snippet", "长文", body, "2019-01-01", "测试", "report");
    CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);

    ws_results *r = run("\"长篇检索\"", NULL);
    const ws_hit *h = hit_of(r, "long-snippet");
    CHECK(h && h->snippet);
    if (h && h->snippet) {
        char m[256];
        const char *s = h->snippet;
        CHECK(utf8_valid(s));
        CHECK(marked(s, m, sizeof m));
        CHECK_STR(m, "长篇检索");
        CHECK(!strncmp(s, "\xE2\x80\xA6", 3));
        CHECK(strlen(s) > 3 && !strcmp(s + strlen(s) - 3, "\xE2\x80\xA6"));
        CHECK(strlen(s) < 1000);
        /* without its marks and ellipses it is a piece of the body */
        char plain[2048];
        size_t k = 0;
        for (const char *p = s + 3; *p && k < sizeof plain - 1; p++)
            if (*p != '\x01' && *p != '\x02')
                plain[k++] = *p;
        if (k >= 3)
            k -= 3;
        plain[k] = '\0';
        CHECK(strstr(body, plain) != NULL);
    }
    ws_results_free(r);
    /* many other cuts */
    r = run("国务院 OR 𠀀 OR 数字经济", NULL);
    for (size_t k = 0; r && k < r->nhits; k++)
        CHECK(r->hits[k].snippet && utf8_valid(r->hits[k].snippet));
    ws_results_free(r);
    free(body);
    CHECK_INT(ws_index_delete(ix, "long-snippet"), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
}

/* ---- replace, delete, long ids --------------------------------------------------------- */

static void test_replace_delete(void)
{
    unsigned long before = ws_index_doccount(ix);
    ws_doc *d =
        ws_fixture_doc(docs[0].id, "国务院印发碳达峰行动方案（修订）",
                       "修订后的方案增加了量子纠缠通信试点内容。", "2024-03-02", "新华社", "news");
    CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_index_doccount(ix), before);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
    ws_results *r = run("量子纠缠", NULL);
    CHECK(r && r->nhits == 1 && rank_of(r, docs[0].id) == 0);
    ws_results_free(r);
    r = run("\"非化石能源\"", NULL); /* only in the old body */
    CHECK(r && rank_of(r, docs[0].id) < 0);
    ws_results_free(r);
    json_t *j = NULL;
    CHECK_INT(ws_searcher_get(se, docs[0].id, &j), WS_OK);
    CHECK_STR(json_string_value(json_object_get(j, "date")), "2024-03-02");
    json_decref(j);
    /* back as it was */
    CHECK_INT(put_doc(&docs[0]), WS_OK);

    /* delete */
    CHECK_INT(ws_index_delete(ix, "news-2020-05-05-apart"), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_index_doccount(ix), before - 1);
    CHECK_INT(ws_index_delete(ix, "news-2020-05-05-apart"), WS_ENOTFOUND);
    CHECK_INT(ws_index_delete(ix, "no-such-document"), WS_ENOTFOUND);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
    r = run("\"绿化面积\"", NULL);
    CHECK(r && r->nhits == 0);
    ws_results_free(r);
    CHECK_INT(ws_searcher_get(se, "news-2020-05-05-apart", &j), WS_ENOTFOUND);
    CHECK(j == NULL);
    CHECK_INT(put_doc(&docs[7]), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_index_doccount(ix), before);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
}

/* A word in the title counts more than the same word once in a long body:
 * a document that holds 凤凰木 only in its title ranks above three that
 * hold it once each in a body as long as its own. */
static void test_title_weight(void)
{
    char filler[6000] = "";
    const char *sent = "城市绿化工作稳步推进，公园建设持续加强，市民休闲空间不断扩大。";
    while (strlen(filler) + strlen(sent) * 2 < sizeof filler)
        strcat(filler, sent);
    char body[7000];
    const char *ids[] = {"tw-title", "tw-body-1", "tw-body-2", "tw-body-3"};
    for (int i = 0; i < 4; i++) {
        if (i == 0)
            snprintf(body, sizeof body, "%s", filler);
        else /* the word once, at the start, the middle or the end */
            snprintf(body, sizeof body, "%.*s凤凰木%s", (int)(strlen(filler) / 3 * (i - 1) / 3 * 3),
                     filler, filler + strlen(filler) / 3 * (i - 1) / 3 * 3);
        ws_doc *d = ws_fixture_doc(ids[i], i == 0 ? "凤凰木开花了" : "城市绿化简报", body,
                                   "2024-06-01", "测试", "news");
        CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    }
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
    ws_results *r = run("凤凰木", NULL);
    CHECK(r && r->nhits == 4);
    CHECK(r && rank_of(r, "tw-title") == 0);
    if (r && rank_of(r, "tw-title") != 0)
        print_hits(r);
    ws_results_free(r);
    for (int i = 0; i < 4; i++)
        CHECK_INT(ws_index_delete(ix, ids[i]), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
}

static void test_long_ids(void)
{
    /* two ids of 600 bytes that differ only in their last bytes */
    char id1[700], id2[700];
    size_t n = 0;
    while (n < 590) {
        const char *p = n % 2 ? "laws/中华人民共和国民法典/" : "第五十四条/条文/";
        memcpy(id1 + n, p, strlen(p));
        n += strlen(p);
    }
    while (n < 600)
        id1[n++] = 'x';
    id1[n] = '\0';
    memcpy(id2, id1, n + 1);
    id2[n - 1] = 'y';
    CHECK_INT(strlen(id1), 600);
    unsigned long before = ws_index_doccount(ix);
    ws_doc *d1 =
        ws_fixture_doc(id1, "民法典第五十四条", "自然人从事工商业经营，经依法登记，为个体工商户。",
                       "2020-05-28", "民法典", "law");
    ws_doc *d2 =
        ws_fixture_doc(id2, "民法典第五十五条",
                       "农村集体经济组织的成员，依法取得农村土地承包经营权，从事家庭承包经营的，"
                       "为农村承包经营户。",
                       "2020-05-28", "民法典", "law");
    CHECK_INT(ws_index_put(ix, an, d1), WS_OK);
    CHECK_INT(ws_index_put(ix, an, d2), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_index_doccount(ix), before + 2);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);

    json_t *j = NULL;
    CHECK_INT(ws_searcher_get(se, id1, &j), WS_OK);
    CHECK_STR(json_string_value(json_object_get(j, "id")), id1);
    CHECK_STR(json_string_value(json_object_get(j, "title")), "民法典第五十四条");
    json_decref(j);
    CHECK_INT(ws_searcher_get(se, id2, &j), WS_OK);
    CHECK_STR(json_string_value(json_object_get(j, "title")), "民法典第五十五条");
    json_decref(j);
    ws_results *r = run("农村承包经营户", NULL);
    CHECK(r && r->nhits >= 1 && r->hits[0].id && !strcmp(r->hits[0].id, id2));
    ws_results_free(r);

    /* replace the first: still two */
    CHECK_INT(ws_doc_set(&d1->body, "自然人从事工商业经营，经依法登记，为个体工商户。可以起字号。",
                         strlen("自然人从事工商业经营，经依法登记，为个体工商户。可以起字号。")),
              WS_OK);
    CHECK_INT(ws_index_put(ix, an, d1), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_index_doccount(ix), before + 2);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
    r = run("\"起字号\"", NULL);
    CHECK(r && r->nhits == 1 && r->hits[0].id && !strcmp(r->hits[0].id, id1));
    ws_results_free(r);

    /* delete both */
    CHECK_INT(ws_index_delete(ix, id1), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
    CHECK_INT(ws_searcher_get(se, id1, &j), WS_ENOTFOUND);
    CHECK_INT(ws_searcher_get(se, id2, &j), WS_OK);
    json_decref(j);
    CHECK_INT(ws_index_delete(ix, id2), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_index_doccount(ix), before);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
    ws_doc_free(d1);
    ws_doc_free(d2);

    /* ids around Xapian's term limit, with a character across every cut */
    static const size_t lens[] = {1,   178, 179, 180, 181, 238,  239,
                                  240, 241, 244, 245, 246, 1000, 4096};
    const size_t nlens = sizeof lens / sizeof *lens;
    char *ids[sizeof lens / sizeof *lens];
    for (size_t k = 0; k < nlens; k++) {
        ids[k] = malloc(lens[k] + 1);
        size_t n = 0;
        while (n + 3 <= lens[k]) {
            memcpy(ids[k] + n, n % 7 ? "条" : " /", n % 7 ? 3 : 2);
            n += n % 7 ? 3 : 2;
        }
        while (n < lens[k])
            ids[k][n++] = ':';
        ids[k][n] = '\0';
        ws_doc *d = ws_fixture_doc(ids[k], "边界", "标识符长度边界测试文档。", NULL, NULL, NULL);
        CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    }
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_index_doccount(ix), before + nlens);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
    for (size_t k = 0; k < nlens; k++) {
        j = NULL;
        CHECK_INT(ws_searcher_get(se, ids[k], &j), WS_OK);
        CHECK_STR(json_string_value(json_object_get(j, "id")), ids[k]);
        json_decref(j);
        CHECK_INT(ws_index_delete(ix, ids[k]), WS_OK);
        free(ids[k]);
    }
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_index_doccount(ix), before);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
}

/* ---- synonyms, get, stats, JSON ---------------------------------------------------------- */

static void test_synonyms(void)
{
    const char *syn_doc = "news-2024-02-02-syn"; /* holds 碳峰值 only */
    CHECK(!doc_has(9, "碳达峰") && doc_has(9, "碳峰值"));
    ws_results *r = run("碳达峰", NULL);
    CHECK(rank_of(r, syn_doc) < 0);
    ws_results_free(r);
    /* a question (relaxed plan) finds it by its characters alone */
    const char *question = "我们国家的各个省份什么时候能够实现碳达峰的目标呢？";
    r = run(question, NULL);
    long at = rank_of(r, syn_doc);
    double plain = at >= 0 ? r->hits[at].score : -1;
    CHECK(at >= 0);
    ws_results_free(r);

    char path[WS_FIXTURE_PATH];
    /* full-width letters after a separator (their first bytes are those of
     * "，"), and an ideographic space between words */
    const char *text =
        "# 同义词\n碳达峰 碳峰值\n光伏，太阳能发电\n新冠肺炎\u3000ＣＯＶＩＤ-19\n与 及\n";
    ws_fixture_tmpfile(path, sizeof path, "test_synonyms", text);
    ws_searcher *s2 = NULL;
    char err[512] = "";
    CHECK_INT(ws_searcher_open(dir, lex, path, &s2, err, sizeof err), WS_OK);
    ws_searcher *keep = se;
    se = s2;
    if (s2) {
        r = run("碳达峰", NULL);
        CHECK(rank_of(r, syn_doc) >= 0);
        CHECK(rank_of(r, "news-2024-03-01-tanfeng") >= 0);
        ws_results_free(r);
        r = run("碳峰值", NULL);
        CHECK(rank_of(r, "news-2024-03-01-tanfeng") >= 0);
        ws_results_free(r);
        /* a word of a piece with a synonym: the piece as written, or with
         * the synonym in its place */
        ws_synonyms *syn = NULL;
        CHECK_INT(ws_synonyms_load(path, &syn, err, sizeof err), WS_OK);
        char *with = syn ? plan_of("能源与转型", syn, 0) : NULL;
        char *maybe = with ? strstr(with, " AND_MAYBE ") : NULL;
        CHECK(maybe && memmem(with, (size_t)(maybe - with), "U及@3", 6) &&
              memmem(with, (size_t)(maybe - with), "U与@3", 6));
        if (check_failures && with)
            fprintf(stderr, "%s\n", with);
        free(with);
        ws_synonyms_free(syn);
        /* and a question too: the synonym's terms count in its relaxed plan */
        r = run(question, NULL);
        at = rank_of(r, syn_doc);
        CHECK(at >= 0 && plain >= 0 && r->hits[at].score > plain);
        ws_results_free(r);
        r = run("太阳能发电", NULL);
        CHECK(rank_of(r, "news-2023-06-15-energy") >= 0);
        ws_results_free(r);
        r = run("新冠肺炎", NULL);
        CHECK(rank_of(r, "news-2024-04-30-5g") >= 0);
        ws_results_free(r);
        /* the synonym is marked in the snippet */
        check_snippet_mark(__LINE__, "碳达峰", syn_doc, "碳峰值");
        ws_searcher_close(s2);
    }
    se = keep;
    unlink(path);
    ws_searcher *s3 = NULL;
    CHECK_INT(ws_searcher_open(dir, lex, "/nonexistent/synonyms.txt", &s3, err, sizeof err),
              WS_ENOTFOUND);
    CHECK(s3 == NULL && err[0]);
}

static void test_get_stats(void)
{
    json_t *j = NULL;
    const tdoc *t = &docs[4];
    CHECK_INT(ws_searcher_get(se, t->id, &j), WS_OK);
    CHECK_STR(json_string_value(json_object_get(j, "id")), t->id);
    CHECK_STR(json_string_value(json_object_get(j, "title")), t->title);
    CHECK_STR(json_string_value(json_object_get(j, "body")), t->body);
    CHECK_STR(json_string_value(json_object_get(j, "date")), t->date);
    CHECK_STR(json_string_value(json_object_get(j, "source")), t->source);
    CHECK_STR(json_string_value(json_object_get(j, "type")), t->type);
    json_decref(j);
    j = (json_t *)1;
    CHECK_INT(ws_searcher_get(se, "no-such-id", &j), WS_ENOTFOUND);
    CHECK(j == NULL);

    CHECK_INT(ws_searcher_stats(se, &j), WS_OK);
    CHECK_INT(json_integer_value(json_object_get(j, "documents")), ws_index_doccount(ix));
    CHECK_INT(json_integer_value(json_object_get(j, "documents")), NDOCS);
    CHECK_INT(json_integer_value(json_object_get(j, "shards")), 2);
    CHECK(json_integer_value(json_object_get(j, "terms")) > 500);
    CHECK(json_integer_value(json_object_get(j, "index_bytes")) > 10000);
    json_decref(j);
}

static void test_json(void)
{
    ws_results *r = run("国务院 OR 碳达峰", NULL);
    CHECK(r && r->nhits >= 3);
    if (!r)
        return;
    json_t *j = ws_results_to_json(r, "<b>", "</b>");
    CHECK(json_is_object(j));
    CHECK_INT(json_object_size(j), 2);
    CHECK(json_is_integer(json_object_get(j, "total")));
    CHECK_INT(json_integer_value(json_object_get(j, "total")), r->total);
    json_t *hits = json_object_get(j, "hits");
    CHECK(json_is_array(hits) && json_array_size(hits) == r->nhits);
    static const char *const keys[] = {"id", "title", "date", "source", "type", "score", "snippet"};
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h)
    {
        CHECK_INT(json_object_size(h), 7);
        for (size_t k = 0; k < 7; k++)
            CHECK(json_object_get(h, keys[k]) != NULL);
        CHECK(json_is_number(json_object_get(h, "score")));
        CHECK_STR(json_string_value(json_object_get(h, "id")), r->hits[i].id);
        const char *snip = json_string_value(json_object_get(h, "snippet"));
        CHECK(snip && !strchr(snip, '\x01') && !strchr(snip, '\x02'));
        CHECK(snip && strstr(snip, "<b>") && strstr(snip, "</b>"));
    }
    /* it serializes, and parses back to the same */
    char *text = json_dumps(j, JSON_COMPACT);
    json_t *back = json_loads(text, 0, NULL);
    CHECK(back && json_equal(back, j));
    json_decref(back);
    free(text);
    json_decref(j);
    ws_results_free(r);

    /* a bad query: an error in words, no results */
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.query = "(国务院 OR";
    r = (ws_results *)1;
    CHECK_INT(ws_searcher_run(se, &o, &r), WS_EQUERY);
    CHECK(r == NULL && ws_searcher_errmsg(se)[0]);
}

/* ---- setup ---------------------------------------------------------------------------------- */

/* Indexes d[0..n), commits, and has the searcher see them. */
static int has_key(const uint64_t *k, size_t n, uint64_t key)
{
    for (size_t i = 0; i < n; i++)
        if (k[i] == key)
            return 1;
    return 0;
}

static void put_all(const tdoc *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        CHECK_INT(put_doc(&d[i]), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
}

/* The question ranks ahead before behind, with a higher score; the keyword
 * query, not reranked, scores the two the same. */
static void check_reranked(int line, const char *question, const char *keywords, const char *ahead,
                           const char *behind)
{
    ws_results *r = run(question, NULL);
    long a = r ? rank_of(r, ahead) : -1, b = r ? rank_of(r, behind) : -1;
    if (!(a >= 0 && b >= 0 && a < b && r->hits[a].score > r->hits[b].score)) {
        fprintf(stderr, "line %d: %s not ahead of %s for %s\n", line, ahead, behind, question);
        check_failures++;
        print_hits(r);
    }
    ws_results_free(r);
    r = run(keywords, NULL);
    a = r ? rank_of(r, ahead) : -1, b = r ? rank_of(r, behind) : -1;
    if (!(a >= 0 && b >= 0 && r->hits[a].score == r->hits[b].score)) {
        fprintf(stderr, "line %d: %s and %s scored apart for %s\n", line, ahead, behind, keywords);
        check_failures++;
    }
    ws_results_free(r);
}

/* Parts of a whole (rerank.h): the same article twice, once as a part of a
 * law whose other articles the question also matches, once on its own. A
 * question ranks the part first, with a higher score; a keyword query, not
 * relaxed, scores the two the same. */
static void test_parts(void)
{
    CHECK(ws_schema_whole("法规甲#第一条") == ws_schema_whole("法规甲#第二条"));
    CHECK(ws_schema_whole("法规甲#第一条") == ws_schema_whole("法规甲"));
    CHECK(ws_schema_whole("法规甲#第一条") != ws_schema_whole("法规乙#第一条"));
    CHECK(ws_schema_whole("") != 0 && ws_schema_whole("#1") != ws_schema_whole(""));
    CHECK(ws_schema_whole("notes/C#/a.md") != ws_schema_whole("notes/C#/b.md"));
    /* the last '#': the parts of an article are parts of that article */
    CHECK(ws_schema_whole("法规甲#第一条#第一款") == ws_schema_whole("法规甲#第一条#第二款"));
    CHECK(ws_schema_whole("法规甲#第一条#第一款") != ws_schema_whole("法规甲#第二条#第一款"));
    static const char *const body = "承租人应当按照约定的期限支付租金，并妥善保管租赁物。";
    static const tdoc parts[] = {
        {"法规甲#第一条", "租赁规定", NULL, "2021-01-01", "国务院", "law"},
        {"单篇文章", "租赁规定", NULL, "2021-01-01", "国务院", "law"},
        {"法规甲#第二条", "租赁规定 第二条", "承租人经出租人同意，可以将租赁物转租给第三人。",
         "2021-01-01", "国务院", "law"},
        {"法规甲#第三条", "租赁规定 第三条", "出租人应当履行租赁物的维修义务，承租人可以催告。",
         "2021-01-01", "国务院", "law"},
    };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        tdoc t = parts[i];
        if (!t.body)
            t.body = body;
        CHECK_INT(put_doc(&t), WS_OK);
    }
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
    check_reranked(__LINE__, "承租人没有按照期限支付租金，出租人能不能收回租赁物？", "支付租金",
                   "法规甲#第一条", "单篇文章");
    /* a page of a question is the same page of its reranked list */
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.limit = 4;
    const char *q = "承租人没有按照期限支付租金，出租人能不能收回租赁物？";
    ws_results *all = run(q, &o);
    o.offset = 2;
    o.limit = 2;
    ws_results *page = run(q, &o);
    CHECK(all && page && all->nhits == 4 && page->nhits == 2);
    for (size_t i = 0; all && page && i < page->nhits && i + 2 < all->nhits; i++)
        CHECK(same_str(all->hits[i + 2].id, page->hits[i].id) && page->hits[i].snippet);
    ws_results_free(all);
    ws_results_free(page);

    /* only the window is reranked: past it, Xapian's order and weights stay,
     * below every weight in the window */
    size_t n = WS_PARTS_DEPTH + 5;
    ws_mset ms = {.m = calloc(n, sizeof(ws_match)), .n = n};
    for (size_t i = 0; ms.m && i < n; i++) {
        ms.m[i].weight = 1000.0 - (double)i;
        ms.m[i].whole = i % 7 ? 1 + i % 3 : 0;
        ms.m[i].docid = (unsigned)i + 1;
    }
    CHECK(ms.m && ws_rerank_window(&ms, NULL, NULL) == WS_OK);
    for (size_t i = 0; ms.m && i < n; i++) {
        if (i >= WS_PARTS_DEPTH)
            CHECK(ms.m[i].docid == i + 1 && ms.m[i].weight == 1000.0 - (double)i);
        else if (i > 0)
            CHECK(ms.m[i - 1].weight >= ms.m[i].weight && ms.m[i].weight > 1000.0 - WS_PARTS_DEPTH);
    }
    free(ms.m);
}

/* Citations (cites.h): what a text cites, and the static rank they give. */

typedef size_t (*cites_scan_fn)(const char *text, size_t len, uint64_t self, uint64_t *keys,
                                size_t n);

/* What scan finds in text[0..len) copied into a buffer of exactly len
 * bytes, so that AddressSanitizer sees a read past its end. */
static size_t scan_exact(cites_scan_fn scan, const char *text, size_t len, uint64_t *k)
{
    char *b = malloc(len);
    CHECK(b != NULL);
    if (!b)
        return (size_t)-1;
    memcpy(b, text, len);
    size_t n = scan(b, len, 0, k, 0);
    free(b);
    return n;
}

/* What scan finds in n citations written one after the other, each fmt
 * with a number from first on. */
static size_t scan_many(cites_scan_fn scan, const char *fmt, int first, int n, uint64_t *k)
{
    char text[WS_CITES_MAX * 2 * 24];
    size_t len = 0;
    for (int i = first; i < first + n; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, fmt, i);
    return scan(text, len, 0, k, 0);
}

/* Citations of articles by number (ws_cites_scan_articles): the keys, and
 * an article that a notice cites going ahead of its twin in the same law. */
static void test_article_cites(void)
{
    uint64_t law = ws_cites_key("刑法#第一条", "刑法 第一条");
    uint64_t a264 = ws_cites_article_key("刑法#第二百六十四条", "刑法 第二百六十四条");
    uint64_t a266 = ws_cites_article_key("刑法#第二百六十六条", "刑法 第二百六十六条");
    uint64_t a103 = ws_cites_article_key("民法典#第一百零三条", "民法典 第一百零三条");
    CHECK(a264 && a266 && a264 != a266 && a264 != law);
    CHECK(a264 == ws_cites_article_key("x#第二百六十四条", "中华人民共和国刑法　第二百六十四条"));
    /* no article: not a number, the part alone, no part */
    CHECK(ws_cites_article_key("刑法#附则", "刑法 附则") == 0);
    CHECK(ws_cites_article_key("刑法#第二百六十四条", "第二百六十四条") == 0);
    CHECK(ws_cites_article_key("刑法", "刑法") == 0);
    CHECK(ws_cites_article_key("刑法#第二百六十四条", NULL) == 0);

    uint64_t k[WS_CITES_MAX];
    /* without marks: the endings of the run, so 刑法 among them; a list */
    const char *t = "依照刑法第二百六十四条、第二百六十六条第一款的规定处罚。";
    size_t n = ws_cites_scan_articles(t, strlen(t), 0, k, 0);
    CHECK(has_key(k, n, law) && has_key(k, n, a264) && has_key(k, n, a266));
    CHECK(has_key(k, n, ws_cites_key("照刑法", "照刑法")) && n == 3 * 3);
    /* in marks, in digits; 一百零三 is 103; and not self */
    t = "适用《中华人民共和国民法典》第103条。";
    n = ws_cites_scan_articles(t, strlen(t), 0, k, 0);
    CHECK(n == 2 && has_key(k, n, a103) && has_key(k, n, ws_cites_key("民法典", "民法典")));
    CHECK_INT(ws_cites_scan_articles(t, strlen(t), ws_cites_key("民法典", "民法典"), k, 0), 0);
    /* this law, a run that names no law, an article alone: none */
    t = "依照本法第五条和本条例第六条，按第七条办理；合同第八条";
    CHECK_INT(ws_cites_scan_articles(t, strlen(t), 0, k, 0), 0);
    /* but 本 that ends a word is no "this": 基本法 */
    t = "依照香港特别行政区基本法第二十三条";
    n = ws_cites_scan_articles(t, strlen(t), 0, k, 0);
    CHECK(has_key(k, n, ws_cites_key("香港特别行政区基本法", "香港特别行政区基本法")));
    /* not self without marks either */
    t = "依照刑法第二百六十四条";
    n = ws_cites_scan_articles(t, strlen(t), law, k, 0);
    CHECK(!has_key(k, n, law) && !has_key(k, n, a264) && n == 2 * 2);
    /* lists: a clause between, 至, 两 */
    uint64_t a2002 = ws_cites_article_key("刑法#第两千零二条", "刑法 第两千零二条");
    CHECK(a2002 && a2002 == ws_cites_article_key("刑法#第二千零二条", "刑法 第二千零二条"));
    t = "《刑法》第二百六十四条第二款第三项、第二百六十六条至第两千零二条";
    n = ws_cites_scan_articles(t, strlen(t), 0, k, 0);
    CHECK(n == 4 && has_key(k, n, a264) && has_key(k, n, a266) && has_key(k, n, a2002));
    /* a title in marks over WS_CITES_TITLE_MAX bytes is none, as in
     * ws_cites_scan */
    char longt[WS_CITES_TITLE_MAX + 32] = "《";
    memset(longt + 3, 'a', WS_CITES_TITLE_MAX + 1);
    strcpy(longt + 4 + WS_CITES_TITLE_MAX, "》第五条");
    CHECK_INT(ws_cites_scan_articles(longt, strlen(longt), 0, k, 0), 0);
    CHECK_INT(ws_cites_scan(longt, strlen(longt), 0, k, 0), 0);
    /* cut inside a numeral and inside 条, at the end of a buffer of its own
     * size (AddressSanitizer watches the end) */
    static const char cut[] = "刑法第二百六十四\xE6\x9D";
    CHECK_INT(scan_exact(ws_cites_scan_articles, cut, sizeof cut - 1, k), 0);
    CHECK_INT(scan_exact(ws_cites_scan_articles, cut, sizeof cut - 1 - 5, k), 0);
    /* at most WS_CITES_MAX keys */
    CHECK_INT(scan_many(ws_cites_scan_articles, "刑法第%d条，", 1, WS_CITES_MAX, k), WS_CITES_MAX);

    /* two articles of one regulation with the same words; a notice cites
     * the second by number, without marks */
    static const tdoc d[] = {
        {"运输条例#第一条", "运输条例 第一条", "承运人应当在约定期间内将旅客安全运输到约定地点。",
         "2021-01-01", "国务院", "law"},
        {"运输条例#第二条", "运输条例 第二条", "承运人应当在约定期间内将旅客安全运输到约定地点。",
         "2021-01-01", "国务院", "law"},
        {"通知六", "通知六", "旅客投诉的，依照运输条例第二条处理。", "2021-05-01", "国务院",
         "notice"},
    };
    put_all(d, sizeof d / sizeof *d);
    check_reranked(__LINE__, "航班晚点了，承运人没有按时把旅客运输到约定地点，要不要负责？",
                   "约定地点", "运输条例#第二条", "运输条例#第一条");
}

static void test_cites(void)
{
    uint64_t bing = ws_cites_key("法规丙#第一条", "法规丙 第一条");
    CHECK(bing && bing == ws_cites_key("x/法规丙.md", "中华人民共和国法规丙"));
    CHECK(bing == ws_cites_key("法规丙", "　法规丙 "));
    CHECK(bing != ws_cites_key("法规丁#第一条", "法规丁 第一条"));
    CHECK(ws_cites_key("甲#1", NULL) == 0 && ws_cites_key("甲#1", " ") == 0);
    CHECK(bing == ws_cites_key("法规丙#第一条", "中华人民共和国\u3000法规丙\u3000第一条"));
    /* a title that is the part alone names no whole; one that ends in the
     * part without a space before it is the title as it is */
    CHECK(ws_cites_key("法规丙#第一条", "第一条") == 0);
    CHECK(ws_cites_key("法规#1", "法规 2021") == ws_cites_key("其他", "法规 2021"));
    CHECK(ws_cites_key("法规#1", "法规 2021") != ws_cites_key("其他", "法规 202"));
    uint64_t k[WS_CITES_MAX];
    const char *t = "依照《中华人民共和国法规丙》和《法规丙》，参照《关于《法规丁》的解释》"
                    "及《未闭合的标题";
    size_t n = ws_cites_scan(t, strlen(t), 0, k, 0);
    CHECK_INT(n, 2);
    CHECK(n == 2 && k[0] == bing && k[1] == ws_cites_key("法规丁", "法规丁"));
    CHECK_INT(ws_cites_scan(t, strlen(t), bing, k, 0), 1); /* itself */
    char longt[WS_CITES_TITLE_MAX + 16] = "《";
    memset(longt + 3, 'a', WS_CITES_TITLE_MAX);
    strcpy(longt + 3 + WS_CITES_TITLE_MAX, "》");
    CHECK_INT(ws_cites_scan(longt, strlen(longt), 0, k, 0), 1); /* the longest */
    memset(longt + 3, 'a', WS_CITES_TITLE_MAX + 1);
    strcpy(longt + 4 + WS_CITES_TITLE_MAX, "》");
    CHECK_INT(ws_cites_scan(longt, strlen(longt), 0, k, 0), 0);
    CHECK_INT(ws_cites_scan("》《", 6, 0, k, 0), 0);
    /* a title cut inside its closing mark, in a buffer of its own size
     * (AddressSanitizer watches the end) */
    CHECK_INT(scan_exact(ws_cites_scan, "《法规丙\xE3\x80", 11, k), 0);
    /* at most WS_CITES_MAX titles */
    CHECK_INT(scan_many(ws_cites_scan, "《条例%d》", 0, WS_CITES_MAX * 2, k), WS_CITES_MAX);

    /* two laws with the same article; two notices cite 法规丙, none 法规丁,
     * which is indexed first (so Xapian alone would put it first) */
    static const tdoc d[] = {
        {"法规丁#第一条", "法规丁 第一条", "出借人可以要求借款人按照约定的期限返还借款并支付利息。",
         "2021-01-01", "国务院", "law"},
        {"法规丙#第一条", "法规丙 第一条", "出借人可以要求借款人按照约定的期限返还借款并支付利息。",
         "2021-01-01", "国务院", "law"},
        {"通知一", "关于执行法规丙的通知", "各单位应当依照《中华人民共和国法规丙》办理。",
         "2021-02-01", "国务院", "notice"},
        {"通知二", "关于宣传法规丙的通知", "认真学习《法规丙》。", "2021-03-01", "国务院",
         "notice"},
    };
    put_all(d, sizeof d / sizeof *d);
    check_reranked(__LINE__, "借钱给别人到期不还，出借人能不能要求借款人返还借款和利息？",
                   "返还借款", "法规丙#第一条", "法规丁#第一条");
    /* three notices more cite 法规丁: once the searcher reopens, the counts
     * it kept for the revision before are gone, and 法规丁 goes ahead */
    static const tdoc more[] = {
        {"通知三", "通知三", "依照《法规丁》。", "2021-04-01", "国务院", "notice"},
        {"通知四", "通知四", "参照《法规丁》。", "2021-04-02", "国务院", "notice"},
        {"通知五", "通知五", "根据《中华人民共和国法规丁》。", "2021-04-03", "国务院", "notice"},
    };
    put_all(more, sizeof more / sizeof *more);
    check_reranked(__LINE__, "借钱给别人到期不还，出借人能不能要求借款人返还借款和利息？",
                   "返还借款", "法规丁#第一条", "法规丙#第一条");
    test_article_cites();
}

/* A source or type longer than a term (in the query or as an option) finds
 * nothing and harms nothing: the filter term is cut to its buffer (a type
 * used to be lower-cased past its end). */
static void test_long_filters(void)
{
    char value[600], q[700];
    memset(value, 'A', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    const char *fields[] = {"type:", "source:"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(q, sizeof q, "%s%s", fields[i], value);
        ws_results *r = run(q, NULL);
        CHECK(r && r->nhits == 0 && r->total == 0);
        ws_results_free(r);
    }
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.type = value;
    ws_results *r = run("国务院", &o);
    CHECK(r && r->nhits == 0);
    ws_results_free(r);
    memset(&o, 0, sizeof o);
    o.source = value;
    r = run("国务院", &o);
    CHECK(r && r->nhits == 0);
    ws_results_free(r);
    /* and a type still ignores case */
    r = run("国务院 type:NEWS", NULL);
    CHECK(r && r->nhits > 0);
    ws_results_free(r);
}

int main(void)
{
    /* the built-in defaults, whatever the environment says */
    unsetenv("WENSUO_USER_DICT");
    unsetenv("WENSUO_SYNONYMS");
    setenv("WENSUO_VECTORS", "", 1); /* none: test_vectors tests them */
    char err[1024] = "";
    an = ws_fixture_analyzer(&lex);
    ws_fixture_tmpdir(tmp, sizeof tmp, "test_search");
    snprintf(dir, sizeof dir, "%s/db", tmp);
    CHECK_INT(ws_index_open(dir, 2, &ix, err, sizeof err), WS_OK);
    if (!ix) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    for (size_t i = 0; i < NDOCS; i++) {
        CHECK_INT(put_doc(&docs[i]), WS_OK);
        char *t = malloc(strlen(docs[i].title) + strlen(docs[i].body) + 8);
        sprintf(t, "%s\n\n%s", docs[i].title, docs[i].body);
        norm_text[i] = oracle_norm(t);
        norm_title[i] = oracle_norm(docs[i].title);
        free(t);
    }
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_index_doccount(ix), NDOCS);
    /* a second writer is refused while this one holds the index */
    ws_index *other = NULL;
    CHECK_INT(ws_index_open(dir, 2, &other, err, sizeof err), WS_ELOCKED);
    CHECK(other == NULL && strstr(err, "another process"));

    if (ws_searcher_open(dir, lex, NULL, &se, err, sizeof err) != WS_OK) {
        fprintf(stderr, "cannot open the searcher: %s\n", err);
        return 1;
    }
    test_words();
    test_substring_ranking();
    test_traditional();
    test_keywords();
    test_question_words();
    test_operators();
    test_fields();
    test_sort_and_paging();
    test_facets();
    test_oldest_month_url();
    test_snippets();
    test_no_snippet_fields();
    test_long_snippet();
    test_snippet_exact();
    test_replace_delete();
    test_title_weight();
    test_long_ids();
    test_synonyms();
    test_get_stats();
    test_json();
    test_parts();
    test_cites();
    test_long_filters();

    ws_searcher_close(se);
    CHECK_INT(ws_index_close(ix), WS_OK);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    for (size_t i = 0; i < NDOCS; i++) {
        free(norm_text[i]);
        free(norm_title[i]);
    }
    ws_fixture_remove(tmp);
    CHECK_DONE();
}
