/* test_counts.c - totals and facets a researcher can cite: on a slice of the
 * shared corpus (the articles of two folders of laws, 13,475 of them, and
 * the reports), every total and every facet of a few dozen keyword queries,
 * with AND, OR and NOT, equals a count made without the index: the
 * documents whose normalized title or body (NFKC, case folding,
 * Traditional to Simplified, hard-wrapped lines joined) holds each term as
 * a substring. Some totals pass 10,000, where counting once stopped.
 * Skips (exit 77) without ../shared. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "analyzer.h"
#include "check.h"
#include "fixture.h"
#include "lexicon.h"
#include "search.h"

#define MAX_DOCS 20000

typedef struct doc {
    char *id;
    size_t seq;         /* its line among all */
    int replaced;       /* a later line has the same id (the index keeps that one) */
    char *title, *body; /* normalized */
    char year[8];       /* "" without a date */
    char type[16];
    char source[64]; /* "" without one */
} doc;

static doc docs[MAX_DOCS];
static size_t ndocs;
static ws_analyzer *an;
static ws_searcher *se;

static char *normalized(const char *s)
{
    char *out = NULL;
    size_t n = 0, *map = NULL;
    if (ws_analyzer_normalize(an, s, strlen(s), WS_ANALYZE_JOIN_LINES, &out, &n, &map) != WS_OK)
        return strdup("");
    free(map);
    return out;
}

static int has(size_t i, const char *term)
{
    return !docs[i].replaced && (strstr(docs[i].title, term) || strstr(docs[i].body, term));
}

static int by_id_then_seq(const void *x, const void *y)
{
    const doc *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* Marks the documents whose id comes again later: the importers give a
 * few articles the same id, and the index keeps the last. */
static void mark_replaced(void)
{
    qsort(docs, ndocs, sizeof *docs, by_id_then_seq);
    for (size_t i = 0; i + 1 < ndocs; i++)
        docs[i].replaced = !strcmp(docs[i].id, docs[i + 1].id);
}

static const char *str(json_t *d, const char *k)
{
    const char *s = json_string_value(json_object_get(d, k));
    return s ? s : "";
}

/* Reads the JSON lines of path into docs (articles only when articles is
 * set: ids with '#') and appends the same lines to out. */
static void load(const char *path, int articles, FILE *out)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    CHECK(f != NULL);
    while (f && getline(&line, &cap, f) > 0 && ndocs < MAX_DOCS) {
        json_t *d = json_loads(line, 0, NULL);
        if (!d)
            continue;
        if (!articles || strchr(str(d, "id"), '#')) {
            doc *o = &docs[ndocs];
            o->id = strdup(str(d, "id"));
            o->seq = ndocs++;
            o->title = normalized(str(d, "title"));
            o->body = normalized(str(d, "body"));
            snprintf(o->year, sizeof o->year, "%.4s", str(d, "date"));
            snprintf(o->type, sizeof o->type, "%s", str(d, "type"));
            snprintf(o->source, sizeof o->source, "%s", str(d, "source"));
            fputs(line, out);
        }
        json_decref(d);
    }
    free(line);
    if (f)
        fclose(f);
}

/* A query and the documents it must match: op over the terms a, b, c. */
typedef enum { ONE, AND, OR, NOT, OR_AND, AND3 } op;
typedef struct qcase {
    const char *q;
    op op;
    const char *a, *b, *c;
} qcase;

static int wants(const qcase *k, size_t i)
{
    switch (k->op) {
    case ONE:
        return has(i, k->a);
    case AND:
        return has(i, k->a) && has(i, k->b);
    case OR:
        return has(i, k->a) || has(i, k->b);
    case NOT:
        return has(i, k->a) && !has(i, k->b);
    case OR_AND:
        return (has(i, k->a) || has(i, k->b)) && has(i, k->c);
    case AND3:
        return has(i, k->a) && has(i, k->b) && has(i, k->c);
    }
    return 0;
}

/* The value of facet f of document i, "(none)" when it has none. */
static const char *value_of(size_t i, const char *f)
{
    const char *v = !strcmp(f, "year")   ? docs[i].year
                    : !strcmp(f, "type") ? docs[i].type
                                         : docs[i].source;
    return *v ? v : "(none)";
}

static void check_case(const qcase *k, unsigned long *biggest)
{
    static unsigned char in[MAX_DOCS];
    unsigned long want = 0;
    for (size_t i = 0; i < ndocs; i++)
        want += in[i] = (unsigned char)wants(k, i);
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.query = k->q;
    o.limit = 3;
    o.facets = WS_FACET_SOURCE | WS_FACET_TYPE | WS_FACET_YEAR;
    o.no_snippets = 1;
    ws_results *r = NULL;
    CHECK_INT(ws_searcher_run(se, &o, &r), WS_OK);
    if (!r)
        return;
    if (r->total != want || r->estimated) {
        fprintf(stderr, "%s:%d: \"%s\": total %lu%s, %lu documents hold it\n", __FILE__, __LINE__,
                k->q, r->total, r->estimated ? " (estimated)" : "", want);
        check_failures++;
    }
    if (want > *biggest)
        *biggest = want;
    /* each facet adds up to the total, value by value as counted here */
    static const char *const facets[] = {"source", "type", "year"};
    for (size_t f = 0; f < 3; f++) {
        json_t *counts = json_object_get(r->facets, facets[f]);
        const char *v;
        json_t *c;
        unsigned long sum = 0;
        json_object_foreach(counts, v, c)
        {
            unsigned long n = 0;
            for (size_t i = 0; i < ndocs; i++)
                n += in[i] && !strcmp(value_of(i, facets[f]), v);
            sum += (unsigned long)json_integer_value(c);
            if (n != (unsigned long)json_integer_value(c)) {
                fprintf(stderr, "%s:%d: \"%s\": %s %s: %lld, %lu documents\n", __FILE__, __LINE__,
                        k->q, facets[f], v, json_integer_value(c), n);
                check_failures++;
            }
        }
        if (sum != want) {
            fprintf(stderr, "%s:%d: \"%s\": the %s facet adds up to %lu, not %lu\n", __FILE__,
                    __LINE__, k->q, facets[f], sum, want);
            check_failures++;
        }
    }
    /* the hits it lists are exact ones; relaxed ones only when too few */
    for (size_t h = 0; h < r->nhits; h++)
        CHECK(r->hits[h].relaxed == (h >= r->total));
    ws_results_free(r);
}

int main(void)
{
    char laws[1024], reports[1024];
    if (!ws_fixture_shared(laws, sizeof laws, "corpus/laws") ||
        !ws_fixture_shared(reports, sizeof reports, "corpus/reports"))
        WS_SKIP("the shared corpus is not at " WS_SHARED_DIR " (laws, reports)");
    /* the built-in defaults, whatever the environment says; no word
     * vectors (the index is made quicker without, and counts are the same) */
    unsetenv("WENSUO_USER_DICT");
    unsetenv("WENSUO_SYNONYMS");
    setenv("WENSUO_VECTORS", "", 1);
    char dir[WS_FIXTURE_PATH];
    ws_fixture_tmpdir(dir, sizeof dir, "test_counts");
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "python3 '%s/tools/import_laws.py' '%s/行政法' -o '%s/a.jsonl' 2>/dev/null && "
             "python3 '%s/tools/import_laws.py' '%s/经济法' -o '%s/b.jsonl' 2>/dev/null && "
             "python3 '%s/tools/import_reports.py' '%s' -o '%s/c.jsonl' 2>/dev/null",
             WS_SOURCE_DIR, laws, dir, WS_SOURCE_DIR, laws, dir, WS_SOURCE_DIR, reports, dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "test_counts: the importers failed: %s\n", cmd);
        return 1;
    }
    ws_lexicon *lex = NULL;
    char err[1024];
    an = ws_fixture_analyzer(&lex);
    char path[1100];
    snprintf(path, sizeof path, "%s/slice.jsonl", dir);
    FILE *slice = fopen(path, "w");
    CHECK(slice != NULL);
    if (!slice || !an)
        return 1;
    for (const char *p = "abc"; *p; p++) {
        char in[1100];
        snprintf(in, sizeof in, "%s/%c.jsonl", dir, *p);
        load(in, *p != 'c', slice);
    }
    fclose(slice);
    CHECK(ndocs > 13000 && ndocs < MAX_DOCS);
    mark_replaced();
    snprintf(cmd, sizeof cmd, "'%s/indexer/wensuo-index' --db '%s/idx' --quiet '%s'", WS_BINARY_DIR,
             dir, path);
    if (system(cmd) != 0) {
        fprintf(stderr, "test_counts: indexing failed: %s\n", cmd);
        return 1;
    }
    snprintf(path, sizeof path, "%s/idx", dir);
    CHECK_INT(ws_searcher_open(path, lex, "", &se, err, sizeof err), WS_OK);
    if (!se) {
        fprintf(stderr, "test_counts: %s\n", err);
        return 1;
    }

    static const qcase cases[] = {
        /* runs the segmenter splits are matched whole, as written */
        {"国务院", ONE, "国务院", NULL, NULL},
        {"國務院", ONE, "国务院", NULL, NULL},
        {"人民政府", ONE, "人民政府", NULL, NULL},
        {"县级以上", ONE, "县级以上", NULL, NULL},
        {"主管部门", ONE, "主管部门", NULL, NULL},
        {"国务院有关部门", ONE, "国务院有关部门", NULL, NULL},
        {"情节严重的", ONE, "情节严重的", NULL, NULL},
        {"依法追究刑事责任", ONE, "依法追究刑事责任", NULL, NULL},
        {"数据安全", ONE, "数据安全", NULL, NULL},
        {"网络安全", ONE, "网络安全", NULL, NULL},
        {"个人信息", ONE, "个人信息", NULL, NULL},
        {"食品安全", ONE, "食品安全", NULL, NULL},
        {"生态环境", ONE, "生态环境", NULL, NULL},
        {"碳达峰", ONE, "碳达峰", NULL, NULL},
        {"罚款", ONE, "罚款", NULL, NULL},
        {"\"构成犯罪的\"", ONE, "构成犯罪的", NULL, NULL},
        {"新质生产力", ONE, "新质生产力", NULL, NULL},
        {"政府工作报告", ONE, "政府工作报告", NULL, NULL},
        /* past 10,000 */
        {"中华人民共和国", ONE, "中华人民共和国", NULL, NULL},
        {"人民", ONE, "人民", NULL, NULL},
        {"的", ONE, "的", NULL, NULL},
        {"中华人民共和国 NOT 罚款", NOT, "中华人民共和国", "罚款", NULL},
        {"应当 OR 规定", OR, "应当", "规定", NULL},
        {"的 和", AND, "的", "和", NULL},
        /* AND, OR, NOT */
        {"人民政府 罚款", AND, "人民政府", "罚款", NULL},
        {"国务院 AND 主管部门", AND, "国务院", "主管部门", NULL},
        {"网络安全 OR 数据安全", OR, "网络安全", "数据安全", NULL},
        {"碳达峰 OR 生态环境", OR, "碳达峰", "生态环境", NULL},
        {"国务院 NOT 人民政府", NOT, "国务院", "人民政府", NULL},
        {"个人信息 -网络安全", NOT, "个人信息", "网络安全", NULL},
        {"违反 -\"处罚\"", NOT, "违反", "处罚", NULL},
        {"(许可 OR 处罚) 县级以上", OR_AND, "许可", "处罚", "县级以上"},
        {"(食品安全 OR 安全生产) AND 国务院", OR_AND, "食品安全", "安全生产", "国务院"},
        {"依法 管理 行政", AND3, "依法", "管理", "行政"},
        {"环境保护 主管部门 国务院", AND3, "环境保护", "主管部门", "国务院"},
        {"消费者 知识产权", AND, "消费者", "知识产权", NULL},
    };
    unsigned long biggest = 0;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        check_case(&cases[c], &biggest);
    CHECK(biggest > 10000);

    ws_searcher_close(se);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    for (size_t i = 0; i < ndocs; i++) {
        free(docs[i].id);
        free(docs[i].title);
        free(docs[i].body);
    }
    CHECK_INT(ws_fixture_remove(dir), 0);
    CHECK_DONE();
}
