/* search_fixture.h - what the search tests share (test_search, test_search_order,
 * test_search_hits, test_search_rank): search end to end, documents written
 * with ws_index_put into a temporary two-shard index, then found (or not)
 * with ws_searcher_run.
 *
 * Expectations come from the documents themselves wherever possible: an
 * "oracle" normalizes each document's text the way the analyzer does
 * (NFKC, Traditional -> Simplified, printed line breaks joined) and looks for
 * the query as a plain substring, so that a wrong hit or a missed one shows
 * whichever document it is.
 *
 * The helpers check with check.h, whose count of failures is each test
 * file's own: so they are defined here, static inline, in the test that
 * includes this header (one per program), rather than in a source of their
 * own, whose failures no test would count. A helper given the line of its
 * call names the test's file with it (__BASE_FILE__, not its own __FILE__). */
#ifndef WS_SEARCH_FIXTURE_H
#define WS_SEARCH_FIXTURE_H

#include "check.h"
#include "analyzer.h"
#include "document.h"
#include "fixture.h"
#include "index.h"
#include "lexicon.h"
#include "normalize.h"
#include "search.h"

#include <stdint.h>
#include <stdlib.h>

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

static inline ws_status put_doc(const tdoc *t)
{
    return ws_fixture_put(ix, an,
                          ws_fixture_doc(t->id, t->title, t->body, t->date, t->source, t->type));
}

/* The text normalized as the analyzer sees it, with printed line breaks
 * removed (the documents above break lines only inside CJK text) and a blank
 * line left as a '|' that no query holds. */
static inline char *oracle_norm(const char *s)
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

static inline int doc_has(size_t i, const char *word)
{
    char *w = oracle_norm(word);
    int r = strstr(norm_text[i], w) != NULL;
    free(w);
    return r;
}

static inline int title_has(size_t i, const char *word)
{
    char *w = oracle_norm(word);
    int r = strstr(norm_title[i], w) != NULL;
    free(w);
    return r;
}

static inline long doc_index(const char *id)
{
    for (size_t i = 0; id && i < NDOCS; i++)
        if (!strcmp(docs[i].id, id))
            return (long)i;
    return -1;
}

static inline ws_results *run(const char *q, const ws_search_opts *extra)
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

static inline long rank_of(const ws_results *r, const char *id)
{
    for (size_t i = 0; r && i < r->nhits; i++)
        if (r->hits[i].id && !strcmp(r->hits[i].id, id))
            return (long)i;
    return -1;
}

static inline void print_hits(const ws_results *r)
{
    for (size_t i = 0; r && i < r->nhits; i++)
        fprintf(stderr, "    %zu. %s (%.3f)\n", i + 1, r->hits[i].id, r->hits[i].score);
}

/* The hits are exactly the documents for which want(i) holds. */
static inline void check_set(int line, const char *q, const ws_results *r,
                             int (*want)(size_t, void *), void *ctx)
{
    if (!r)
        return;
    int bad = 0;
    for (size_t i = 0; i < NDOCS; i++) {
        int w = want(i, ctx), got = rank_of(r, docs[i].id) >= 0;
        if (w != got) {
            fprintf(stderr, "%s:%d: \"%s\": %s %s\n", __BASE_FILE__, line, q, docs[i].id,
                    w ? "missing" : "should not match");
            bad = 1;
        }
    }
    if (r->total != r->nhits) {
        fprintf(stderr, "%s:%d: \"%s\": total %lu for %zu hits\n", __BASE_FILE__, line, q, r->total,
                r->nhits);
        bad = 1;
    }
    if (bad) {
        print_hits(r);
        check_failures++;
    }
}

static inline int want_has(size_t i, void *word)
{
    return doc_has(i, word);
}

static inline int same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* ---- snippets' marks --------------------------------------------------------------- */

/* The marked stretches of a snippet, each without spaces, joined by '|';
 * 0 when the marks are unbalanced. */
static inline int marked(const char *snip, char *out, size_t cap)
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

static inline const ws_hit *hit_of(const ws_results *r, const char *id)
{
    long k = rank_of(r, id);
    return k >= 0 ? &r->hits[k] : NULL;
}

/* The snippet of id for q marks want: its marked stretches, joined by '|',
 * hold want, or (exact) are want. */
static inline void check_snippet_marked(int line, const char *q, const char *id, const char *want,
                                        int exact)
{
    ws_results *r = run(q, NULL);
    const ws_hit *h = hit_of(r, id);
    char m[1024];
    if (!h || !h->snippet) {
        fprintf(stderr, "%s:%d: \"%s\": no hit %s with a snippet\n", __BASE_FILE__, line, q, id);
        check_failures++;
    } else if (!marked(h->snippet, m, sizeof m) ||
               (exact ? strcmp(m, want) != 0 : !strstr(m, want))) {
        fprintf(stderr, "%s:%d: \"%s\": snippet of %s marks \"%s\", not \"%s\": %s\n",
                __BASE_FILE__, line, q, id, m, want, h->snippet);
        check_failures++;
    }
    ws_results_free(r);
}

static inline void check_snippet_mark(int line, const char *q, const char *id, const char *want)
{
    check_snippet_marked(line, q, id, want, 0);
}

/* ---- setup ---------------------------------------------------------------------------------- */

/* The index of the documents above in a temporary folder named after the
 * test (ws_fixture_tmpdir), and a searcher over it. Returns 0, or 1 when
 * the test cannot go on (said on stderr). */
static inline int search_setup(const char *name)
{
    /* the built-in defaults, whatever the environment says */
    unsetenv("WENSUO_USER_DICT");
    unsetenv("WENSUO_SYNONYMS");
    setenv("WENSUO_VECTORS", "", 1); /* none: test_vectors tests them */
    char err[1024] = "";
    an = ws_fixture_analyzer(&lex);
    ws_fixture_tmpdir(tmp, sizeof tmp, name);
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
    return 0;
}

/* Closes what search_setup opened and removes its folder. */
static inline void search_teardown(void)
{
    ws_searcher_close(se);
    CHECK_INT(ws_index_close(ix), WS_OK);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    for (size_t i = 0; i < NDOCS; i++) {
        free(norm_text[i]);
        free(norm_title[i]);
    }
    ws_fixture_remove(tmp);
}

#endif
