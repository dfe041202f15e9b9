/* test_search_hits.c - what a search gives back of the documents it finds,
 * end to end (search_fixture.h): snippets (the marks, however the text is
 * written; around an exact occurrence; cut from a long text on character
 * boundaries), the fields of a hit without a snippet the same, a document
 * read by its id and the index's stats, results as JSON and a bad query's
 * error; documents replaced and deleted, and ids of 600 bytes and around
 * Xapian's term limit, as the searcher sees them after. */
#include "search_fixture.h"

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

/* ---- fields without snippets ----------------------------------------------------------- */

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

/* ---- get, stats, JSON ------------------------------------------------------------------- */

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

int main(void)
{
    if (search_setup("test_search_hits"))
        return 1;
    test_snippets();
    test_no_snippet_fields();
    test_long_snippet();
    test_snippet_exact();
    test_replace_delete();
    test_long_ids();
    test_get_stats();
    test_json();
    search_teardown();
    CHECK_DONE();
}
