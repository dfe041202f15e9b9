/* eval_search: runs many queries against one index, for tools/eval.py.
 *
 *   eval_search --db DIR [--limit N] [--run NAME] [--dict FILE] [--synonyms FILE]
 *
 * Reads "query_id TAB query" lines on stdin and answers each through
 * ws_searcher_run(), the code path of `wensuo search --db`, with the index
 * opened once (a process per query would spend most of its time opening).
 * Prints on stdout one TREC run line per hit:
 *
 *   query_id Q0 doc_id rank score run_name
 *
 * and on stderr one line per query, "#<TAB>query_id<TAB>total<TAB>ms", ms
 * being the wall time of ws_searcher_run(); a query that fails gives
 * "!<TAB>query_id<TAB>message" instead. Snippets are not made (the ranking
 * does not depend on them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lexicon.h"
#include "options.h"
#include "search.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: eval_search --db DIR [--limit N] [--run NAME] [--dict FILE] "
               "[--synonyms FILE] < queries.tsv\n");
}

int main(int argc, char **argv)
{
    const char *db = NULL, *run = "wensuo", *dict = NULL, *synonyms = NULL;
    long limit = 100;
    int first;
    const ws_option opts[] = {
        {"db", WS_OPT_STRING, &db, 0, 0, NULL},
        {"limit", WS_OPT_NUMBER, &limit, 1, WS_SEARCH_MAX_LIMIT, NULL},
        {"run", WS_OPT_STRING, &run, 0, 0, NULL},
        {"dict", WS_OPT_STRING, &dict, 0, 0, NULL},
        {"synonyms", WS_OPT_STRING, &synonyms, 0, 0, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    int rc = ws_options_parse("eval_search", argc, argv, opts, &first);
    if (rc != 0) {
        usage(rc > 0 ? stdout : stderr);
        return rc > 0 ? 0 : 2;
    }
    if (!db || first != argc) {
        usage(stderr);
        return 2;
    }

    char err[1024];
    ws_lexicon *lex = NULL;
    ws_searcher *s = NULL;
    if (ws_lexicon_open_default(NULL, dict, &lex, err, sizeof err) != WS_OK) {
        fprintf(stderr, "eval_search: %s\n", err);
        return 1;
    }
    if (ws_searcher_open(db, lex, synonyms, &s, err, sizeof err) != WS_OK) {
        fprintf(stderr, "eval_search: %s\n", err);
        ws_lexicon_free(lex);
        return 1;
    }

    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        const char *qid = line;
        ws_search_opts o;
        memset(&o, 0, sizeof o);
        o.query = tab + 1;
        o.limit = limit;
        o.no_snippets = 1;
        ws_results *r = NULL;
        double t0 = now_ms();
        ws_status st = ws_searcher_run(s, &o, &r);
        double ms = now_ms() - t0;
        if (st != WS_OK) {
            fprintf(stderr, "!\t%s\t%s: %s\n", qid, ws_status_to_string(st), ws_searcher_errmsg(s));
            continue;
        }
        for (size_t i = 0; i < r->nhits; i++)
            printf("%s Q0 %s %zu %.6f %s\n", qid, r->hits[i].id ? r->hits[i].id : "-", i + 1,
                   r->hits[i].score, run);
        fprintf(stderr, "#\t%s\t%lu\t%.3f\n", qid, r->total, ms);
        ws_results_free(r);
        fflush(stdout);
    }
    free(line);
    ws_searcher_close(s);
    ws_lexicon_free(lex);
    return 0;
}
