/* test_search_rank.c - ranking past Xapian's weights, end to end
 * (search_fixture.h): a word in the title counts more than the same word
 * once in a long body; a part of a whole (rerank.h) ranks ahead of the same
 * text alone for a question, not for keywords, and only within the window
 * reranked; what a text cites (cites.h), by title and by article number,
 * and the rank the citations give a law, counted again once the searcher
 * reopens. */
#include "search_fixture.h"
#include "cites.h"
#include "rerank.h"
#include "schema.h"

/* ---- the title's weight ------------------------------------------------------------------- */

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

/* ---- parts of a whole, citations ---------------------------------------------------------- */

static int has_key(const uint64_t *k, size_t n, uint64_t key)
{
    for (size_t i = 0; i < n; i++)
        if (k[i] == key)
            return 1;
    return 0;
}

/* Indexes d[0..n), commits, and has the searcher see them. */
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

int main(void)
{
    if (search_setup("test_search_rank"))
        return 1;
    test_title_weight();
    test_parts();
    test_cites();
    search_teardown();
    CHECK_DONE();
}
