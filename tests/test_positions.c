/* test_positions.c - occurrences counted from the index's positions
 * (positions.h) are the occurrences found in the text (occurrence.h), for
 * every document, on generated text made of what can part a run of CJK
 * characters or leave it whole: white space of every kind between them, a
 * hard wrap the analyzer joins, a paragraph break, Traditional characters,
 * full-width forms, runs that overlap themselves (哈哈哈), two patterns that
 * overlap (国务院 OR 务院), title: and the title against the body, and a
 * body over the analyzer's 64 KB chunk with wraps at its cuts. The
 * concordance's totals (which take them when it can) equal substring counts
 * made over the normalized text without the index. The counts are the same
 * from the whole index on one thread and from each shard on a thread of its
 * own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "analyzer.h"
#include "check.h"
#include "concordance.h"
#include "engine.h"
#include "fixture.h"
#include "lexicon.h"
#include "occurrence.h"
#include "positions.h"
#include "query.h"
#include "search.h"
#include "search_int.h"
#include "textdoc.h"
#include "trend.h"

#define NDOCS  400
#define NFIXED 26 /* the documents written out below */

static ws_analyzer *an;
static ws_searcher *se;
static char *titles[NDOCS + NFIXED], *bodies[NDOCS + NFIXED];
static size_t ndocs;

/* The pieces random text is made of. */
static const char *const pieces[] = {
    "国", "务",   "院", "国务院", "哈", "碳", "达峰", "國",   "務",  "院",  " ",    "　", "\t",
    "\n", "\n\n", "。", "，",     "a",  "1",  "ａ",   "国务", " \n", "\n ", "\r\n", "、", "“"};

static char *random_text(unsigned n)
{
    size_t cap = 16, len = 0;
    char *s = malloc(cap);
    for (unsigned i = 0; i < n; i++) {
        const char *p = pieces[(unsigned)rand() % (sizeof pieces / sizeof *pieces)];
        size_t l = strlen(p);
        if (len + l + 1 > cap) {
            cap = (len + l + 1) * 2;
            s = realloc(s, cap);
        }
        memcpy(s + len, p, l);
        len += l;
    }
    s[len] = '\0';
    return s;
}

/* A body longer than one chunk of the analyzer, whose only line breaks are
 * hard wraps inside CJK text (so chunks are cut there), some next to white
 * space. */
static char *long_text(void)
{
    size_t cap = 200000, len = 0;
    char *s = malloc(cap);
    static const char *const lines[] = {"国务院办公厅印发国务\n", "院关于哈哈哈的通知国\n",
                                        "务院 国务院　国\n", " 务院国务院国\n"};
    for (unsigned i = 0; len + 64 < cap - 1 && i < 5000; i++) {
        const char *l = lines[i % 4];
        memcpy(s + len, l, strlen(l));
        len += strlen(l);
    }
    s[len] = '\0';
    return s;
}

static void add_doc(FILE *f, char *title, char *body)
{
    if (ndocs == NDOCS + NFIXED) {
        fprintf(stderr, "more documents than NFIXED makes room for\n");
        exit(1);
    }
    char id[32];
    snprintf(id, sizeof id, "doc-%zu", ndocs);
    json_t *d = json_pack("{s:s, s:s, s:s}", "id", id, "title", title, "body", body);
    char *line = json_dumps(d, JSON_COMPACT);
    fprintf(f, "%s\n", line);
    free(line);
    json_decref(d);
    titles[ndocs] = title;
    bodies[ndocs++] = body;
}

/* Occurrences of pat (normalized) in text normalized, left to right,
 * without overlap, as Python's str.count counts them. */
static unsigned substrings(const char *text, const char *pat)
{
    char *norm = NULL;
    size_t n = 0, *map = NULL, plen = strlen(pat);
    CHECK_INT(ws_analyzer_normalize(an, text, strlen(text), WS_ANALYZE_JOIN_LINES, &norm, &n, &map),
              WS_OK);
    unsigned c = 0;
    for (const char *at = norm; (at = strstr(at, pat)); at += plen)
        c++;
    free(norm);
    free(map);
    return c;
}

static void patterns_of(const char *q, ws_occ_patterns *ps)
{
    ws_qast *ast = NULL;
    char err[256];
    CHECK_INT(ws_query_parse(q, &ast, err, sizeof err), WS_OK);
    CHECK_INT(ws_occ_patterns_of(an, ast, 0, ps), WS_OK);
    ws_qast_free(ast);
}

/* For every document: the count from positions equals the count from its
 * text, and whether it occurs (ws_positions_any) is whether it does. */
static void check_every_document(const char *q)
{
    ws_occ_patterns ps;
    patterns_of(q, &ps);
    CHECK(ws_positions_can_count(&ps));
    ws_db *db = ws__searcher_db(se);
    ws_search_opts all = {0};
    ws_qnode *every = NULL;
    ws_db_list list = {0};
    CHECK_INT(ws__searcher_every(se, &all, &every), WS_OK);
    CHECK_INT(ws_db_list_all(db, every, WS_DB_ORDER_DOCID, &list), WS_OK);
    ws_qtree_free(every);
    CHECK_INT(list.n, ndocs);
    unsigned ids[NDOCS + NFIXED], counts[NDOCS + NFIXED];
    size_t n = 0;
    for (size_t d = 0; d < list.n && n < NDOCS + NFIXED; d++)
        ids[n++] = list.docid[list.n - 1 - d]; /* any order */
    ws_db_list_free(&list);
    /* the whole index on one thread, then each of its two shards on a
     * thread of its own */
    for (int threads = 1; threads <= 2; threads++) {
        if (threads == 2)
            setenv("WENSUO_LIST_THREADS", "2", 1);
        unsigned any[NDOCS + NFIXED];
        memset(counts, 0xff, sizeof counts);
        memset(any, 0xff, sizeof any);
        CHECK_INT(ws_positions_count(db, &ps, ids, n, counts), WS_OK);
        CHECK_INT(ws_positions_any(db, &ps, ids, n, any), WS_OK);
        unsetenv("WENSUO_LIST_THREADS");
        ws_textdoc t = {0};
        unsigned wrong = 0, total = 0, wrong_any = 0;
        for (size_t i = 0; i < n; i++) {
            CHECK_INT(ws_textdoc_load(db, an, &ps, ids[i], &t), WS_OK);
            total += (unsigned)t.nocc;
            if (counts[i] != t.nocc && wrong++ < 3)
                fprintf(stderr,
                        "%s (%d threads): document %u (%s): %u from positions, %zu in the "
                        "text\n",
                        q, threads, ids[i], t.id, counts[i], t.nocc);
            /* whether it occurs: nonzero exactly where it does, never more
             * than it does */
            if ((!any[i] != !t.nocc || any[i] > t.nocc) && wrong_any++ < 3)
                fprintf(stderr, "%s (%d threads): document %u (%s): any %u, %zu in the text\n", q,
                        threads, ids[i], t.id, any[i], t.nocc);
        }
        CHECK_INT(wrong, 0);
        CHECK_INT(wrong_any, 0);
        CHECK(total > 0);
        ws_textdoc_clear(&t);
    }
    ws_occ_patterns_free(&ps);
}

/* The concordance's totals against substring counts over title and body. */
static void check_totals(const char *term)
{
    unsigned long occ = 0, docs = 0;
    for (size_t i = 0; i < ndocs; i++) {
        unsigned c = substrings(titles[i], term) + substrings(bodies[i], term);
        occ += c;
        docs += c > 0;
    }
    char q[64];
    snprintf(q, sizeof q, "\"%s\"", term);
    ws_kwic_opts o = {.s = {.query = q}, .limit = 5};
    json_t *page = NULL;
    CHECK_INT(ws_concordance_json(se, &o, &page), WS_OK);
    CHECK_INT(json_integer_value(json_object_get(page, "total_occurrences")), occ);
    CHECK_INT(json_integer_value(json_object_get(page, "total_documents")), docs);
    CHECK_INT(json_array_size(json_object_get(page, "lines")), occ < 5 ? occ : 5);
    json_decref(page);
    /* the trend's series, summed over its buckets */
    const char *qs[] = {q};
    ws_trend_opts t = {.queries = qs, .nqueries = 1, .by = WS_TREND_YEAR};
    json_t *tr = NULL, *b;
    size_t i;
    long long tocc = 0, tdocs = 0;
    CHECK_INT(ws_trend_json(se, &t, &tr), WS_OK);
    json_array_foreach(json_object_get(tr, "buckets"), i, b)
    {
        json_t *series = json_array_get(json_object_get(b, "series"), 0);
        tocc += json_integer_value(json_object_get(series, "occurrences"));
        tdocs += json_integer_value(json_object_get(series, "documents"));
    }
    CHECK_INT(tocc, occ);
    CHECK_INT(tdocs, docs);
    json_decref(tr);
}

/* The documents a search for q counts (ws_searcher_run's exact total, read
 * from the sets of counter.h with its witnesses) against those whose title
 * (and body, unless title_only) hold term. */
static void check_search_total(const char *q, const char *term, int title_only)
{
    unsigned long want = 0;
    for (size_t i = 0; i < ndocs; i++)
        want += substrings(titles[i], term) + (title_only ? 0 : substrings(bodies[i], term)) > 0;
    ws_search_opts o = {.query = q, .limit = 3, .no_snippets = 1};
    ws_results *r = NULL;
    CHECK_INT(ws_searcher_run(se, &o, &r), WS_OK);
    if (!r)
        return;
    if (r->total != want || r->estimated) {
        fprintf(stderr, "%s:%d: %s: total %lu, %lu documents hold it\n", __FILE__, __LINE__, q,
                r->total, want);
        check_failures++;
    }
    ws_results_free(r);
}

/* Documents chosen by hand, then NDOCS random ones, as JSON lines in f.
 * The hand-chosen ones are where the wdfs of pairs and characters tell the
 * count without a position (poscounter.cc), and where they must not: a pair
 * across white space in the title and the body, runs of one character
 * (哈哈 in 哈哈哈), a run that overlaps itself (啊哦啊 in 啊哦啊哦啊), a run
 * only in the title, pairs of a run that stand apart (国务，务院), a run
 * whose inner character stands elsewhere too (服务), white space that
 * parts the last pair of a long run (碳达峰行 动), a run whose characters
 * stand together once but with white space between (国 务院，服务) and one
 * that stands twice (国务院，国务院，服务). Then where the word witness
 * (the run as one word term) tells or must not: a word cut as a word in one
 * place, inside a longer word or across two in others and across white
 * space in another, so that the word term's wdf is under the count and the
 * count under the least pair's (生产力，新质生产力，生 产力: 1, 2, 3); the
 * word in the title alone, across white space in the body; the word once
 * whole and once across white space; across a hard wrap the analyzer joins,
 * and across a paragraph break; runs that overlap themselves cut as words
 * (天天天, 哈哈哈哈). Then the run witness (two or three words side by
 * side as one run term): 人民共和国 as a run twice, inside the word
 * 中华人民共和国 once and across white space once (runs 2, count 3, least
 * pair 4); 人民政府 as a run inside runs of three (县 人民 政府), where
 * the bounds meet; a run in the title alone, and one in the body whose
 * title holds its pairs apart (人民与民政局的政府). */
static void write_corpus(FILE *f)
{
    static const char *const fixed[][2] = {
        {"国务院关于印发通知", "国 务院，国　务院，国\t务院；国务\n院。"},
        {"國務院 公告", "国务\n\n院，國務院，哈哈哈哈哈，碳达峰碳达峰"},
        {"发 展规划", "发展，发 展。发展"},
        {"发展", "发展的发展"},
        {"哈哈哈", "哈哈哈。哈哈哈哈"},
        {"笑", "哈哈"},
        {"啊哦啊哦啊", "啊哦啊哦啊，啊哦啊"},
        {"碳达峰行动方案", "通知"},
        {"通知", "国务，务院。国务院"},
        {"服务", "国务院服务国务院"},
        {"国务院国务院", "国务院关于国务院"},
        {"碳达峰行 动", "碳达峰行动。碳达峰行 动"},
        {"服务", "国 务院，服务"},
        {"服务", "国务院，国务院，服务"},
        {"发展", "生产力，新质生产力，生 产力。发展，开发展览，发 展"},
        {"国务院关于", "国务 院"},
        {"通知", "国务院，国务 院"},
        {"通知", "国务\n院，国务 院；国务\n\n院"},
        {"生产 力", "国务\n院，国务\n院，生产力"},
        {"天天天", "天天天，哈哈哈哈，天 天"},
        {"新质生产力", "新质生产力，新质 生产力，生产力"},
        {"人民共和国", "人民共和国，中华人民共和国，人民 共和国，老挝人民共和国"},
        {"通知", "县人民政府和市人民政府，人民政府"},
        {"县人民政府", "通知"},
        {"人民与民政局的政府", "人民政府"},
    };
    srand(14);
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        add_doc(f, strdup(fixed[i][0]), strdup(fixed[i][1]));
        if (i == 1)
            add_doc(f, strdup("国务 院"), long_text());
    }
    for (unsigned i = 0; i < NDOCS; i++)
        add_doc(f, random_text(1 + (unsigned)rand() % 8), random_text(1 + (unsigned)rand() % 200));
}

/* Every query's counts document by document and its totals, against the
 * text. */
static void check_counts(void)
{
    static const char *const queries[] = {
        "国务院",
        "\"国务院\"",
        "国务",
        "务院",
        "国",
        "院国",
        "哈哈",
        "哈哈哈",
        "國務院",
        "碳达峰",
        "国务院 OR 务院",
        "国务院 OR 国务",
        "title:国务院",
        "国务院 OR title:国务",
        "务院 OR 哈哈",
        "国务院 国务",
        "院院",
        "务院国务",
        "碳达峰 OR 达峰",
        "发展",
        "啊哦啊",
        "哦啊",
        "碳达峰行动",
        "title:碳达峰行动",
        "国务院 OR 碳达峰行动",
        "哈哈 OR 碳达峰行动",
        "国务院办公厅印发",
        "生产力",
        "发展",
        "天天",
        "新质生产力",
        "title:国务院",
        "生产力 OR 新质生产力",
        "国务院 OR 生产力",
        "人民共和国",
        "人民政府",
        "title:人民政府",
        "县人民政府",
        "人民政府 OR 人民共和国",
        "务院 OR 院国",
        "院国 OR 务院",
        "国务院 OR 院国",
        "国 OR 务院",
        "发展 OR 展览",
        "国务院 OR 生产力 OR 天天",
    };
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
        check_every_document(queries[i]);
    static const char *const terms[] = {"国务院",     "国务", "哈哈",       "院",         "碳达峰",
                                        "务院国",     "发展", "啊哦啊",     "碳达峰行动", "生产力",
                                        "新质生产力", "天天", "人民共和国", "人民政府"};
    for (size_t i = 0; i < sizeof terms / sizeof *terms; i++)
        check_totals(terms[i]);
    /* the documents a search counts, where the run terms of the title and
     * of the body must not stand for each other */
    check_search_total("人民政府", "人民政府", 0);
    check_search_total("title:人民政府", "人民政府", 1);
    check_search_total("title:人民共和国", "人民共和国", 1);
}

/* Which patterns positions count, and where the text is the cheaper. */
static void check_limits(void)
{
    /* a run of more characters than lists a document reads is cheaper
     * from the text */
    ws_occ_patterns lp;
    patterns_of("中华人民共和国国务院办公厅关于印发", &lp);
    CHECK(ws_positions_can_count(&lp) && !ws_positions_cheaper(&lp));
    ws_occ_patterns_free(&lp);
    patterns_of("中华人民共和国", &lp);
    CHECK(ws_positions_cheaper(&lp));
    ws_occ_patterns_free(&lp);
    patterns_of("国务院 OR 务院", &lp);
    CHECK(ws_positions_cheaper(&lp));
    ws_occ_patterns_free(&lp);

    /* what positions cannot tell is left to the text */
    static const char *const not_counted[] = {"国务院 NEAR/3 哈哈", "2024年", "a国", "国 务院",
                                              "\"国 务院\""};
    for (size_t i = 0; i < sizeof not_counted / sizeof *not_counted; i++) {
        ws_occ_patterns ps;
        patterns_of(not_counted[i], &ps);
        if (strcmp(not_counted[i], "国 务院") != 0)
            CHECK(!ws_positions_can_count(&ps));
        ws_occ_patterns_free(&ps);
    }
}

int main(void)
{
    unsetenv("WENSUO_USER_DICT");
    unsetenv("WENSUO_SYNONYMS");
    setenv("WENSUO_VECTORS", "", 1);
    char dir[WS_FIXTURE_PATH];
    ws_fixture_tmpdir(dir, sizeof dir, "test_positions");
    ws_lexicon *lex = NULL;
    char err[1024], path[1200], cmd[4096];
    an = ws_fixture_analyzer(&lex);
    snprintf(path, sizeof path, "%s/docs.jsonl", dir);
    FILE *f = fopen(path, "w");
    if (!f || !an)
        return 1;
    write_corpus(f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s/indexer/wensuo-index' --db '%s/idx' --shards 2 --quiet '%s'",
             WS_BINARY_DIR, dir, path);
    if (system(cmd) != 0) {
        fprintf(stderr, "test_positions: indexing failed: %s\n", cmd);
        return 1;
    }
    snprintf(path, sizeof path, "%s/idx", dir);
    if (ws_searcher_open(path, lex, "", &se, err, sizeof err) != WS_OK) {
        fprintf(stderr, "test_positions: %s\n", err);
        return 1;
    }
    int exact = 0;
    CHECK_INT(ws_positions_exact(ws__searcher_db(se), &exact), WS_OK);
    CHECK_INT(exact, 1);
    check_counts();
    check_limits();

    ws_searcher_close(se);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    for (size_t i = 0; i < ndocs; i++) {
        free(titles[i]);
        free(bodies[i]);
    }
    CHECK_INT(ws_fixture_remove(dir), 0);
    CHECK_DONE();
}
