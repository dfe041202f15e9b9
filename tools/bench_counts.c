/* bench_counts.c - what an exact count costs: queries whose totals are
 * large (a run held by tens of thousands of documents, a stop word, OR and
 * NOT of common runs), each run through ws_searcher_run() as a search asks
 * it (a page of 10 with snippets), and again with every facet, so that
 * the slowest count on an index can be found and quoted.
 *
 *   bench_counts --db DIR [--rounds N] [QUERY ...]
 *
 * Prints, for each query, its total and the median and the largest time
 * in ms over the rounds (after one round not counted), without and with
 * facets. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lexicon.h"
#include "search.h"

static const char *const heavy[] = {
    "的",
    "人民",
    "人民政府",
    "国务院",
    "中华人民共和国",
    "经济",
    "发展",
    "应当",
    "\"2024年\"",
    "碳中和",
    "新质生产力",
    "数据安全",
    "人民政府 OR 国务院",
    "国务院 NOT 人民政府",
    "人民政府 应当",
    "(经济 OR 发展) 人民",
    "依法追究刑事责任",
    "type:law 人民政府",
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs q rounds + 1 times (the first not counted); *median and *max in ms,
 * *total its total. -1 when a search fails. */
static int time_query(ws_searcher *s, const char *q, unsigned facets, int rounds, double *median,
                      double *max, unsigned long *total, int *estimated)
{
    double *t = calloc((size_t)rounds, sizeof *t);
    if (!t)
        return -1;
    for (int r = 0; r <= rounds; r++) {
        ws_search_opts o;
        memset(&o, 0, sizeof o);
        o.query = q;
        o.limit = 10;
        o.facets = facets;
        ws_results *res = NULL;
        double t0 = now_ms();
        if (ws_searcher_run(s, &o, &res) != WS_OK) {
            fprintf(stderr, "bench_counts: %s: %s\n", q, ws_searcher_errmsg(s));
            free(t);
            return -1;
        }
        double dt = now_ms() - t0;
        *total = res->total;
        *estimated = res->estimated;
        ws_results_free(res);
        if (r)
            t[r - 1] = dt;
    }
    qsort(t, (size_t)rounds, sizeof *t, cmp_double);
    *median = t[rounds / 2];
    *max = t[rounds - 1];
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    const char *db = NULL;
    int rounds = 5;
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},
        {"rounds", required_argument, 0, 'r'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "d:r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'r':
            rounds = atoi(optarg);
            break;
        default:
            fprintf(c == 'h' ? stdout : stderr,
                    "usage: bench_counts --db DIR [--rounds N] [QUERY ...]\n"
                    "Times searches with large exact totals, without and with facets.\n");
            return c == 'h' ? 0 : 2;
        }
    }
    if (!db || rounds < 1 || rounds > 1000) {
        fprintf(stderr, "bench_counts: --db DIR is needed; --rounds 1..1000\n");
        return 2;
    }
    char err[1024];
    ws_lexicon *lex = NULL;
    ws_searcher *s = NULL;
    if (ws_lexicon_open_default(NULL, NULL, &lex, err, sizeof err) != WS_OK ||
        ws_searcher_open(db, lex, NULL, &s, err, sizeof err) != WS_OK) {
        fprintf(stderr, "bench_counts: %s\n", err);
        ws_lexicon_free(lex);
        return 1;
    }
    const char *const *qs = optind < argc ? (const char *const *)argv + optind : heavy;
    size_t nq = optind < argc ? (size_t)(argc - optind) : sizeof heavy / sizeof *heavy;
    printf(
        "| query | total | ms p50 | ms max | with facets p50 | max |\n|---|---|---|---|---|---|\n");
    double worst = 0;
    const char *worst_q = "";
    int rc = 0;
    for (size_t i = 0; i < nq; i++) {
        double m0, x0, m1, x1;
        unsigned long total = 0;
        int est = 0;
        if (time_query(s, qs[i], 0, rounds, &m0, &x0, &total, &est) != 0 ||
            time_query(s, qs[i], WS_FACET_SOURCE | WS_FACET_TYPE | WS_FACET_YEAR, rounds, &m1, &x1,
                       &total, &est) != 0) {
            rc = 1;
            continue;
        }
        printf("| `%s` | %s%lu | %.1f | %.1f | %.1f | %.1f |\n", qs[i], est ? "about " : "", total,
               m0, x0, m1, x1);
        if (m1 > worst) {
            worst = m1;
            worst_q = qs[i];
        }
    }
    printf("slowest (median with facets): %s, %.1f ms\n", worst_q, worst);
    ws_searcher_close(s);
    ws_lexicon_free(lex);
    return rc;
}
