/* test_search.c - what a query finds, end to end (search_fixture.h): words,
 * phrases and substrings, however written (Traditional or Simplified, across a
 * printed line break), a word ahead of the same characters inside others;
 * several words, and the relaxed plan of a question; NOT, OR and brackets;
 * fields, filters and dates, in the query or as options, and filters longer
 * than a term; synonyms. */
#include "search_fixture.h"
#include "plan.h"
#include "query.h"

#include <unistd.h>

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

/* The documents that hold only some of the words follow the exact matches
 * and never repeat one: Xapian read memory it had not set when what a
 * relaxed plan takes away (the exact query) carried weights, and about one
 * search in twelve then listed an exact match again as relaxed. Asked
 * again and again on one searcher, as a daemon does. */
static void test_relaxed_apart(void)
{
    static const char *const qs[] = {"(数字政府 OR 碳达峰) 印发 通知",
                                     "(国务院 OR 碳中和) 印发 通知"};
    for (size_t c = 0; c < sizeof qs / sizeof *qs; c++) {
        int relaxed = 0, repeated = 0;
        for (int round = 0; round < 60; round++) {
            ws_results *r = run(qs[c], NULL);
            if (!r)
                break;
            for (size_t k = 0; k < r->nhits; k++) {
                relaxed += r->hits[k].relaxed;
                for (size_t j = 0; j < k; j++)
                    repeated += !strcmp(r->hits[j].id, r->hits[k].id);
            }
            ws_results_free(r);
        }
        if (!relaxed)
            fprintf(stderr, "%s: no relaxed hit\n", qs[c]);
        CHECK(relaxed > 0); /* the case is there */
        CHECK_INT(repeated, 0);
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

/* ---- synonyms --------------------------------------------------------------------------- */

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
    if (search_setup("test_search"))
        return 1;
    test_words();
    test_substring_ranking();
    test_traditional();
    test_keywords();
    test_question_words();
    test_operators();
    test_relaxed_apart();
    test_fields();
    test_synonyms();
    test_long_filters();
    search_teardown();
    CHECK_DONE();
}
