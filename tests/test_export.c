/* test_export.c - an export's rows (searcher/search/export.h) read a batch
 * of documents at a time, each batch's rows (indexer/schema/row.h) or hits
 * along the index's value streams in docid order and written back in the
 * export's order: over an index of two shards, exports by relevance, newest
 * and oldest first, as JSON lines, CSV and TSV, give the same bytes whatever
 * the batch (one document, seven, all at once), whether one thread or two
 * (one a shard) read the rows, and whether the index holds rows for every
 * document, none (as one made before them) or half; they
 * hold every matching document once in the order asked (the undated last),
 * and the same rows as an export that reads each whole document
 * (fields=body). A trend's buckets, read from the rows or from the hits,
 * are the same over the three. */
#include "check.h"
#include "analyzer.h"
#include "document.h"
#include "cell.h"
#include "export.h"
#include "fixture.h"
#include "index.h"
#include "lexicon.h"
#include "search.h"
#include "trend.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define NDOCS 60

static int matches(int i)
{
    return i % 3 != 0; /* its body holds 政府 */
}

/* Documents from..to-1 into the index at dir, with flags. */
static void put_docs(const char *dir, ws_analyzer *an, int from, int to, unsigned flags)
{
    char err[512];
    ws_index *ix = NULL;
    CHECK_INT(ws_index_open_flags(dir, 2, flags, &ix, err, sizeof err), WS_OK);
    for (int i = from; ix && i < to; i++) {
        char id[16], title[64], date[16], body[256];
        snprintf(id, sizeof id, "e%02d", i);
        snprintf(title, sizeof title, "第%d号通知", i);
        /* dates out of docid order, so that a date order is not the docids' */
        snprintf(date, sizeof date, "%04d-%02d-01", 2000 + (i * 7) % 23, 1 + i % 12);
        snprintf(body, sizeof body, "%s依法行政%s。", matches(i) ? "人民政府" : "人民法院",
                 i % 4 ? "" : "，政府信息公开");
        /* a title that CSV must quote, and one without a date */
        if (i % 5 == 1)
            snprintf(title, sizeof title, "第%d号\"通知\"，附件", i);
        char url[64], *source = i % 3 == 1 ? "新华社" : "国务院";
        snprintf(url, sizeof url, "https://example.org/%s?a=1,b=2", id);
        ws_doc *d = ws_fixture_doc(id, title, body, i % 11 ? date : NULL, source, NULL);
        if (i % 2)
            ws_doc_set(&d->url, url, strlen(url));
        CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    }
    if (ix)
        CHECK_INT(ws_index_close(ix), WS_OK);
}

/* The whole export of o, as one string (the caller frees). */
static char *export_all(ws_searcher *s, const ws_export_opts *o)
{
    ws_export *e = NULL;
    ws_status st = ws_export_open(s, o, &e);
    CHECK_INT(st, WS_OK);
    if (st != WS_OK)
        return strdup("");
    size_t len = 0, cap = 1;
    char *all = calloc(1, 1), *piece;
    size_t n;
    while ((st = ws_export_next(e, &piece, &n)) == WS_OK && n) {
        all = realloc(all, (cap = len + n + 1));
        memcpy(all + len, piece, n);
        len += n;
        all[len] = '\0';
        free(piece);
    }
    CHECK_INT(st, WS_OK);
    ws_export_free(e);
    return all;
}

/* The ids of a JSON-lines export, in order, into ids; how many. */
static int ids_of(const char *jsonl, char ids[][8], int max, char dates[][16])
{
    int n = 0;
    for (const char *l = jsonl; *l && n < max;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        json_t *j = json_loadb(l, len, 0, NULL);
        const char *id = json_string_value(json_object_get(j, "id"));
        const char *date = json_string_value(json_object_get(j, "date"));
        snprintf(ids[n], 8, "%s", id ? id : "?");
        snprintf(dates[n], 16, "%s", date ? date : "");
        n++;
        json_decref(j);
        l += len + (nl != NULL);
    }
    return n;
}

/* Checks that o's export from s and from each of others, read by two
 * threads (one a shard, each making its lines), batch by batch of seven
 * and all at once, is want. */
static void check_threaded(ws_searcher *s, ws_searcher *const *others, ws_export_opts o,
                           const char *want)
{
    setenv("WENSUO_LIST_THREADS", "2", 1);
    for (int k = -1; k < 2; k++)
        for (size_t batch = 0; batch <= 7; batch += 7) {
            o.batch = batch;
            ws_searcher *x = k < 0 ? s : others[k];
            char *got = x ? export_all(x, &o) : NULL;
            CHECK(got && !strcmp(got, want));
            free(got);
        }
    unsetenv("WENSUO_LIST_THREADS");
}

/* An export with the bodies (o asks for them) is want, byte for byte, in
 * every format, whether its documents are made into lines by the threads
 * that read them (one a shard), a batch of seven at a time or all, or are
 * mostly read again and written one by one (a budget of one byte a thread:
 * each thread's first line made, the others after), over the index with
 * rows, without and with half. */
static void check_bodies(ws_searcher *s, ws_searcher *const *others, ws_export_opts o,
                         const char *want_jsonl)
{
    for (int f = WS_EXPORT_CSV; f <= WS_EXPORT_JSONL; f++) {
        o.format = (ws_export_format)f;
        o.batch = 0;
        o.body_budget = 0;
        char *want = f == WS_EXPORT_JSONL ? strdup(want_jsonl) : export_all(s, &o);
        CHECK(strstr(want, "人民政府") != NULL); /* the bodies are there */
        for (int threads = 1; threads <= 2; threads++) {
            setenv("WENSUO_LIST_THREADS", threads == 1 ? "1" : "2", 1);
            for (int k = -1; k < 2; k++)
                for (size_t batch = 0; batch <= 7; batch += 7)
                    for (size_t budget = 0; budget <= 1; budget++) {
                        o.batch = batch;
                        o.body_budget = budget;
                        ws_searcher *x = k < 0 ? s : others[k];
                        char *got = x ? export_all(x, &o) : NULL;
                        if (!got || strcmp(got, want))
                            fprintf(stderr,
                                    "bodies differ: format %d, %d threads, index %d, batch %zu, "
                                    "budget %zu\n",
                                    f, threads, k, batch, budget);
                        CHECK(got && !strcmp(got, want));
                        free(got);
                    }
        }
        unsetenv("WENSUO_LIST_THREADS");
        free(want);
    }
}

/* A trend's buckets (their documents, characters, dates, sources and
 * types, read from the rows or, without them, from the hits' JSON) are the
 * same over the index with rows, the one without and the one with half. */
static void check_trends(ws_searcher *s, ws_searcher *const *others)
{
    const char *const qs[] = {"人民政府"};
    for (int by = WS_TREND_YEAR; s && by <= WS_TREND_TYPE; by++) {
        ws_trend_opts o;
        memset(&o, 0, sizeof o);
        o.queries = qs;
        o.nqueries = 1;
        o.by = (ws_trend_by)by;
        json_t *want = NULL;
        CHECK_INT(ws_trend_json(s, &o, &want), WS_OK);
        json_t *b = json_object_get(want, "buckets");
        json_int_t docs = 0;
        for (size_t i = 0; i < json_array_size(b); i++)
            docs += json_integer_value(json_object_get(json_array_get(b, i), "documents"));
        CHECK_INT(docs, NDOCS);
        CHECK(json_array_size(b) >= (by == WS_TREND_TYPE ? 1u : 2u)); /* no document has a type */
        for (int k = 0; k < 2 && others[k]; k++) {
            json_t *got = NULL;
            CHECK_INT(ws_trend_json(others[k], &o, &got), WS_OK);
            CHECK(got && json_equal(got, want));
            json_decref(got);
        }
        json_decref(want);
    }
}

/* Which CSV cells a spreadsheet would take for a formula: a number as JSON
 * writes one is none, even with a sign. */
static void check_formulas(void)
{
    static const char *const numbers[] = {"-3",  "+3", "-0.5", "-1e-07", "-2E+5",  "-.5",
                                          "-3.", "3",  "abc",  "",       "国务院", "a=b"};
    static const char *const formulas[] = {"-",
                                           "+",
                                           "-e5",
                                           "-1e",
                                           "-.",
                                           "=1",
                                           "@",
                                           "-3-",
                                           "+86 10",
                                           "\t-1",
                                           "\r=1",
                                           "--3",
                                           "=HYPERLINK(\"x\")"};
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
        if (ws_cell_formula(numbers[i], strlen(numbers[i])))
            CHECK(!"a number or plain text taken for a formula");
    for (size_t i = 0; i < sizeof formulas / sizeof *formulas; i++)
        if (!ws_cell_formula(formulas[i], strlen(formulas[i])))
            CHECK(!"a formula taken for a number");
    CHECK(!ws_cell_formula("\0=1", 3)); /* a NUL first is no formula */
}

/* A score's text is snprintf's "%.6g", byte for byte: at the powers of
 * ten, at ties of the sixth digit (1.000005 is below its tie in binary,
 * 0.5 scaled exactly is one), rounding up to the next power, out of range,
 * and over a million scores spread over every scale. */
static void check_score_text(void)
{
    static const double some[] = {
        0,        1e-4,     9.99999e-5, 1e-4 * 0.999999, 0.5,         1,        10,     100000,
        999999,   999999.5, 999999.4,   9.999995,        9.9999949,   1.000005, 2.5e-4, 0.125,
        123456.5, 1e6,      -1,         5.44867,         0.0001234565};
    char got[32], want[32];
    int wrong = 0;
    for (size_t i = 0; i < sizeof some / sizeof *some; i++) {
        ws_cell_score(some[i], got);
        snprintf(want, sizeof want, "%.6g", some[i]);
        if (strcmp(got, want)) {
            fprintf(stderr, "score %.17g: %s, not %s\n", some[i], got, want);
            wrong++;
        }
    }
    uint64_t x = 88172645463325252u; /* xorshift: the same scores each run */
    for (int i = 0; i < 1000000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* a mantissa in [1, 10) times 10^-6 .. 10^7 */
        double score =
            (1 + (double)(x >> 11) / 9007199254740992.0 * 9) * pow(10, (int)(x % 14) - 6);
        if (i % 2) /* and round decimals, where ties are */
            score = round(score * 1e6) / 1e6;
        size_t n = ws_cell_score(score, got);
        snprintf(want, sizeof want, "%.6g", score);
        if (strcmp(got, want) || n != strlen(want)) {
            if (wrong++ < 10)
                fprintf(stderr, "score %.17g: %s, not %s\n", score, got, want);
        }
    }
    CHECK_INT(wrong, 0);
}

int main(void)
{
    check_formulas();
    check_score_text();
    unsetenv("WENSUO_USER_DICT");
    char err[512] = "", dir[WS_FIXTURE_PATH], plain[WS_FIXTURE_PATH], mixed[WS_FIXTURE_PATH];
    ws_lexicon *lex = NULL;
    ws_analyzer *an = ws_fixture_analyzer(&lex);
    ws_searcher *s = NULL;
    ws_fixture_tmpdir(dir, sizeof dir, "export");
    ws_fixture_tmpdir(plain, sizeof plain, "export_plain");
    ws_fixture_tmpdir(mixed, sizeof mixed, "export_mixed");
    /* the rows of every document; of none (an index made before them); of
     * half */
    put_docs(dir, an, 0, NDOCS, 0);
    put_docs(plain, an, 0, NDOCS, WS_INDEX_NO_ROWS);
    put_docs(mixed, an, 0, NDOCS / 2, WS_INDEX_NO_ROWS);
    put_docs(mixed, an, NDOCS / 2, NDOCS, 0);
    CHECK_INT(ws_searcher_open(dir, lex, NULL, &s, err, sizeof err), WS_OK);
    ws_searcher *others[2] = {NULL, NULL};
    CHECK_INT(ws_searcher_open(plain, lex, NULL, &others[0], err, sizeof err), WS_OK);
    CHECK_INT(ws_searcher_open(mixed, lex, NULL, &others[1], err, sizeof err), WS_OK);
    int want = 0;
    for (int i = 0; i < NDOCS; i++)
        want += matches(i);
    for (int order = 0; s && order < 3; order++) {
        ws_export_opts o;
        memset(&o, 0, sizeof o);
        o.s.query = "人民政府";
        o.s.sort = order ? WS_SORT_DATE : WS_SORT_RELEVANCE;
        o.oldest_first = order == 2;
        o.format = WS_EXPORT_JSONL;
        char *whole = export_all(s, &o);
        for (size_t batch = 1; batch <= 7; batch += 6) {
            o.batch = batch;
            char *got = export_all(s, &o);
            CHECK(!strcmp(got, whole));
            free(got);
        }
        for (int k = 0; k < 2 && others[k]; k++) {
            /* rows written from the hits' JSON are the same bytes */
            char *got = export_all(others[k], &o);
            CHECK(!strcmp(got, whole));
            free(got);
        }
        check_threaded(s, others, o, whole);
        o.batch = 0;
        for (int f = WS_EXPORT_CSV; f <= WS_EXPORT_TSV; f++) {
            o.format = (ws_export_format)f;
            char *csv = export_all(s, &o);
            o.batch = 7;
            char *csv7 = export_all(s, &o);
            CHECK(!strcmp(csv, csv7));
            check_threaded(s, others, o, csv);
            for (int k = 0; k < 2 && others[k]; k++) {
                char *got = export_all(others[k], &o);
                CHECK(!strcmp(got, csv));
                free(got);
            }
            o.batch = 0;
            free(csv);
            free(csv7);
        }
        o.format = WS_EXPORT_JSONL;

        char ids[NDOCS][8], dates[NDOCS][16];
        int n = ids_of(whole, ids, NDOCS, dates);
        CHECK_INT(n, want);
        int wrong = 0, seen[NDOCS] = {0};
        for (int k = 0; k < n; k++) {
            int i = atoi(ids[k] + 1);
            wrong += i < 0 || i >= NDOCS || !matches(i) || seen[i]++;
            /* by date, the undated last */
            if (order && k && *dates[k])
                wrong += !*dates[k - 1] || (order == 1 ? strcmp(dates[k - 1], dates[k]) < 0
                                                       : strcmp(dates[k - 1], dates[k]) > 0);
        }
        CHECK_INT(wrong, 0);

        /* reading each whole document gives the same rows and columns */
        const char *const body[] = {"body", NULL};
        o.fields = body;
        o.batch = 0;
        o.format = WS_EXPORT_JSONL;
        char *with_body = export_all(s, &o);
        check_bodies(s, others, o, with_body);
        char ids2[NDOCS][8], dates2[NDOCS][16];
        CHECK_INT(ids_of(with_body, ids2, NDOCS, dates2), n);
        int differ = 0;
        for (int k = 0; k < n; k++)
            differ += strcmp(ids[k], ids2[k]) != 0;
        CHECK_INT(differ, 0);
        free(with_body);
        free(whole);
    }
    check_trends(s, others);
    ws_searcher_close(s);
    ws_searcher_close(others[0]);
    ws_searcher_close(others[1]);
    CHECK(ws_fixture_remove(dir) == 0);
    CHECK(ws_fixture_remove(plain) == 0);
    CHECK(ws_fixture_remove(mixed) == 0);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    CHECK_DONE();
}
