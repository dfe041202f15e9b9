/* test_shardrank.c - counting and ranking an index shard by shard on
 * threads (searcher/search/shardrank.h) gives what Xapian gives over the
 * whole index on one thread (WS_BY_SHARD=0): the same matches, the same
 * weights to the last bit, in the same order.
 *
 * The bundled sample corpus goes into indexes of two and three shards,
 * each file twice (so that equal weights fall in different shards and
 * their order is by docid across shards), with documents of other lengths,
 * dates, sources and types, and a few deleted. For terms, phrases, OR, NOT,
 * fields, filters, proximities, stop words, a word of one document (most
 * shards match nothing) and one of none:
 * - the export in JSON lines (every match, its score to 17 digits) by
 *   relevance, newest and oldest first (the undated last);
 * - a page of search results with its exact total and facets;
 * - a concordance page by relevance;
 * are the same bytes both ways. */
#include "check.h"
#include "analyzer.h"
#include "concordance.h"
#include "export.h"
#include "fixture.h"
#include "index.h"
#include "lexicon.h"
#include "search.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAXDOCS 64

static char *texts[MAXDOCS], *titles[MAXDOCS];
static size_t ntexts;

static void put(const char *dir, unsigned shards, ws_analyzer *an)
{
    char err[512];
    ws_index *ix = NULL;
    CHECK_INT(ws_index_open_flags(dir, shards, 0, &ix, err, sizeof err), WS_OK);
    for (size_t twice = 0; ix && twice < 2; twice++)
        for (size_t i = 0; i < ntexts; i++) {
            char id[64];
            snprintf(id, sizeof id, "c%zu-%zu", i, twice);
            ws_doc *d = ws_fixture_doc(id, titles[i], texts[i], i % 2 ? "2023-05-01" : "2021-01-09",
                                       i % 3 ? "江川" : "临江", i % 2 ? "law" : "news");
            CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
        }
    /* short documents, one word of which is in no other */
    static const char *const shorts[] = {"发展经济，管理数据。", "数据管理促进发展。",
                                         "独一无二的蝾螈标本。", "发展"};
    for (size_t i = 0; ix && i < sizeof shorts / sizeof *shorts; i++) {
        char id[64];
        snprintf(id, sizeof id, "short%zu", i);
        /* (two undated: oldest first puts them last, ranked apart) */
        ws_doc *d =
            ws_fixture_doc(id, "短文", shorts[i], i % 2 ? "2024-02-02" : NULL, "临江", "news");
        CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    }
    if (ix) {
        CHECK_INT(ws_index_delete(ix, "c3-0"), WS_OK);
        CHECK_INT(ws_index_delete(ix, "c5-1"), WS_OK);
        CHECK_INT(ws_index_close(ix), WS_OK);
    }
}

static const char *const queries[] = {
    "发展",
    "管理 OR 数据",
    "\"人民政府\"",
    "发展 -经济",
    "title:条例",
    "的",
    "规定 AND 办法",
    "(发展 OR 改革) AND 数据",
    "发展 NEAR/5 经济",
    "发展 SENTENCE 经济",
    "数据 PARAGRAPH 管理",
    "蝾螈",
    "不存在的词语组合",
    "\"依法\" source:江川",
    "发展 type:law",
    "国务院 OR 条例 OR 通知",
    "\"中华人民共和国\" -title:条例",
    "internet OR data",
    "发展 date:2022..",
    /* filters alone: each shard's count makes a match of everything */
    "source:江川",
    "date:2022..",
    "type:law -发展",
};

/* The whole export of q as JSON lines (every score to 17 digits), by
 * relevance (order 0), newest (1) or oldest first (-1). */
static char *export_in(ws_searcher *s, const char *q, int order)
{
    ws_export_opts o = {.format = WS_EXPORT_JSONL, .oldest_first = order < 0};
    o.s.query = q;
    o.s.sort = order ? WS_SORT_DATE : WS_SORT_RELEVANCE;
    ws_export *e = NULL;
    ws_status st = ws_export_open(s, &o, &e);
    char *all = calloc(1, 1);
    size_t len = 0;
    while (st == WS_OK && all) {
        char *piece = NULL;
        size_t n = 0;
        if ((st = ws_export_next(e, &piece, &n)) != WS_OK || !n)
            break;
        char *more = realloc(all, len + n + 1);
        if (more) {
            memcpy(more + len, piece, n);
            len += n;
            more[len] = 0;
        }
        all = more;
        free(piece);
    }
    ws_export_free(e);
    if (st != WS_OK && all) {
        free(all);
        all = malloc(64);
        snprintf(all, 64, "status %d", (int)st);
    }
    return all;
}

static char *export_of(ws_searcher *s, const char *q)
{
    return export_in(s, q, 0);
}

static char *export_newest(ws_searcher *s, const char *q)
{
    return export_in(s, q, 1);
}

static char *export_oldest(ws_searcher *s, const char *q)
{
    return export_in(s, q, -1);
}

/* A page of results with its total and facets, as JSON. */
static char *page_of(ws_searcher *s, const char *q)
{
    ws_search_opts o = {.query = q, .limit = 40, .facets = ~0u, .no_snippets = 1};
    ws_results *r = NULL;
    ws_status st = ws_searcher_run(s, &o, &r);
    json_t *j = st == WS_OK ? ws_results_to_json(r, "[", "]") : json_integer(st);
    char *out = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
    json_decref(j);
    ws_results_free(r);
    return out;
}

static ws_status keep_line(void *ctx, const ws_kwic_line *l)
{
    json_t *a = ctx;
    json_array_append_new(a,
                          json_pack("{ss ss ss}", "id", l->id, "left", l->left, "match", l->match));
    return WS_OK;
}

/* A concordance page by relevance, as JSON. */
static char *kwic_of(ws_searcher *s, const char *q)
{
    ws_kwic_opts o = {.limit = 30, .sort = WS_KWIC_SORT_RELEVANCE};
    o.s.query = q;
    ws_kwic_totals t;
    json_t *a = json_array();
    ws_status st = ws_concordance_run(s, &o, keep_line, a, &t);
    json_array_append_new(a, json_pack("{si sI sI}", "status", (int)st, "occ",
                                       (json_int_t)(st == WS_OK ? t.occurrences : 0), "docs",
                                       (json_int_t)(st == WS_OK ? t.documents : 0)));
    char *out = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return out;
}

static void same_both_ways(const char *dir, ws_lexicon *lex, unsigned shards)
{
    char err[512];
    ws_searcher *s = NULL;
    CHECK_INT(ws_searcher_open(dir, lex, NULL, &s, err, sizeof err), WS_OK);
    if (!s)
        return;
    size_t lines = 0;
    char *(*runs[])(ws_searcher *, const char *) = {export_of, export_newest, export_oldest,
                                                    page_of, kwic_of};
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
        for (size_t r = 0; r < sizeof runs / sizeof *runs; r++) {
            unsetenv("WS_BY_SHARD");
            char *a = runs[r](s, queries[i]);
            setenv("WS_BY_SHARD", "0", 1);
            char *b = runs[r](s, queries[i]);
            unsetenv("WS_BY_SHARD");
            CHECK(a && b);
            if (a && b && strcmp(a, b))
                fprintf(stderr, "%u shards, %s (%zu): by shard\n%.400s\nwhole\n%.400s\n", shards,
                        queries[i], r, a, b);
            CHECK(a && b && !strcmp(a, b));
            for (const char *p = r == 0 && a ? a : ""; (p = strchr(p, '\n')); p++)
                lines++;
            free(a);
            free(b);
        }
    fprintf(stderr, "%u shards: %zu exported lines compared\n", shards, lines);
    CHECK(lines > 100);
    ws_searcher_close(s);
}

int main(void)
{
    unsetenv("WENSUO_USER_DICT");
    char dir[WS_FIXTURE_PATH];
    ws_lexicon *lex = NULL;
    ws_analyzer *an = ws_fixture_analyzer(&lex);
    ntexts = ws_fixture_corpus(texts, titles, MAXDOCS);
    CHECK(ntexts >= 15);
    for (unsigned shards = 2; shards <= 3; shards++) {
        char name[32];
        snprintf(name, sizeof name, "shardrank%u", shards);
        ws_fixture_tmpdir(dir, sizeof dir, name);
        put(dir, shards, an);
        same_both_ways(dir, lex, shards);
        ws_fixture_remove(dir);
    }
    for (size_t i = 0; i < ntexts; i++) {
        free(texts[i]);
        free(titles[i]);
    }
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    CHECK_DONE();
}
