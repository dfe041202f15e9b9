/* wensuo: the command-line client.
 *
 *   wensuo analyze [--terms] [--dict FILE]         text on stdin
 *   wensuo search [--db DIR | --server URL] [options] QUERY...
 *   wensuo get [--db DIR | --server URL] ID
 *   wensuo stats [--db DIR | --server URL]
 *
 * With --db the index is opened directly; otherwise the daemon at --server
 * ($WENSUO_SERVER, default http://127.0.0.1:7700) answers. Both print the
 * same: the plain output is for people (matches coloured on a terminal),
 * --json for programs. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzer.h"
#include "explain.h"
#include "lexicon.h"
#include "remote.h"
#include "search.h"

typedef struct opts {
    const char *db, *server, *dict, *synonyms;
    int json, terms;
    ws_search_opts s;
} opts;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: wensuo analyze [--terms] [--dict FILE]        (reads text on stdin)\n"
            "       wensuo search [--db DIR | --server URL] [--limit N] [--offset N]\n"
            "                     [--sort relevance|date] [--source S] [--type T]\n"
            "                     [--from DATE] [--to DATE] [--facets source,type,year]\n"
            "                     [--json] [--dict FILE] [--synonyms FILE] QUERY...\n"
            "       wensuo get [--db DIR | --server URL] ID\n"
            "       wensuo stats [--db DIR | --server URL]\n"
            "Without --db, the daemon at --server (default %s) answers.\n",
            WS_DEFAULT_SERVER);
}

static unsigned parse_facets(const char *s)
{
    unsigned f = 0;
    if (strstr(s, "source"))
        f |= WS_FACET_SOURCE;
    if (strstr(s, "type"))
        f |= WS_FACET_TYPE;
    if (strstr(s, "year"))
        f |= WS_FACET_YEAR;
    return f;
}

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v > 1000000000ul || s[0] == '-')
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int parse_args(int argc, char **argv, opts *o)
{
    static const struct option lo[] = {
        {"db", required_argument, 0, 'd'},    {"server", required_argument, 0, 'S'},
        {"limit", required_argument, 0, 'l'}, {"offset", required_argument, 0, 'o'},
        {"sort", required_argument, 0, 's'},  {"source", required_argument, 0, 'r'},
        {"type", required_argument, 0, 't'},  {"from", required_argument, 0, 'f'},
        {"to", required_argument, 0, 'T'},    {"facets", required_argument, 0, 'F'},
        {"json", no_argument, 0, 'j'},        {"terms", no_argument, 0, 'm'},
        {"dict", required_argument, 0, 'u'},  {"synonyms", required_argument, 0, 'y'},
        {"help", no_argument, 0, 'h'},        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "d:S:l:o:s:r:t:f:T:F:jmu:y:h", lo, NULL)) != -1) {
        switch (c) {
        case 'd':
            o->db = optarg;
            break;
        case 'S':
            o->server = optarg;
            break;
        case 'l':
            if (parse_uint(optarg, &o->s.limit) < 0) {
                fprintf(stderr, "wensuo: --limit takes a number\n");
                return -1;
            }
            break;
        case 'o':
            if (parse_uint(optarg, &o->s.offset) < 0) {
                fprintf(stderr, "wensuo: --offset takes a number\n");
                return -1;
            }
            break;
        case 's':
            if (!strcmp(optarg, "date"))
                o->s.sort = WS_SORT_DATE;
            else if (!strcmp(optarg, "relevance"))
                o->s.sort = WS_SORT_RELEVANCE;
            else {
                fprintf(stderr, "wensuo: --sort takes relevance or date\n");
                return -1;
            }
            break;
        case 'r':
            o->s.source = optarg;
            break;
        case 't':
            o->s.type = optarg;
            break;
        case 'f':
            o->s.from = optarg;
            break;
        case 'T':
            o->s.to = optarg;
            break;
        case 'F':
            o->s.facets = parse_facets(optarg);
            break;
        case 'j':
            o->json = 1;
            break;
        case 'm':
            o->terms = 1;
            break;
        case 'u':
            o->dict = optarg;
            break;
        case 'y':
            o->synonyms = optarg;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return -1;
        }
    }
    if (!o->server)
        o->server = getenv("WENSUO_SERVER");
    if (!o->server)
        o->server = WS_DEFAULT_SERVER;
    return 0;
}

static ws_lexicon *load_lexicon(const opts *o)
{
    char err[1024];
    ws_lexicon *lex = NULL;
    if (ws_lexicon_open_default(NULL, o->dict, &lex, err, sizeof err) != WS_OK)
        fprintf(stderr, "wensuo: %s\n", err);
    return lex;
}

static int cmd_analyze(const opts *o)
{
    ws_lexicon *lex = load_lexicon(o);
    ws_analyzer *a = NULL;
    if (!lex || ws_analyzer_new(lex, &a) != WS_OK) {
        ws_lexicon_free(lex);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    ws_status st = WS_OK;
    while (st == WS_OK && (n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (o->terms) {
            json_t *j = NULL;
            st = ws_explain_json(a, line, (size_t)n, &j);
            size_t i;
            json_t *t;
            json_array_foreach(json_object_get(j, "terms"), i, t)
            {
                printf("%s\tpos=%d\tbytes=%d-%d\t%s\n",
                       json_string_value(json_object_get(t, "term")),
                       (int)json_integer_value(json_object_get(t, "pos")),
                       (int)json_integer_value(json_object_get(t, "start")),
                       (int)json_integer_value(json_object_get(t, "end")),
                       json_string_value(json_object_get(t, "kind")));
            }
            json_decref(j);
            putchar('\n');
        } else {
            st = ws_explain_words(a, line, (size_t)n, stdout);
            putchar('\n');
        }
    }
    free(line);
    ws_analyzer_free(a);
    ws_lexicon_free(lex);
    if (st != WS_OK) {
        fprintf(stderr, "wensuo: analyze: %s\n", ws_status_to_string(st));
        return 1;
    }
    return 0;
}

/* Prints an HTML-escaped, <b>-marked snippet for a person. */
static void print_snippet(const char *s, int color)
{
    const char *on = color ? "\033[1;31m" : "[", *off = color ? "\033[0m" : "]";
    while (*s) {
        if (!strncmp(s, "<b>", 3)) {
            fputs(on, stdout);
            s += 3;
        } else if (!strncmp(s, "</b>", 4)) {
            fputs(off, stdout);
            s += 4;
        } else if (!strncmp(s, "&lt;", 4)) {
            putchar('<');
            s += 4;
        } else if (!strncmp(s, "&gt;", 4)) {
            putchar('>');
            s += 4;
        } else if (!strncmp(s, "&amp;", 5)) {
            putchar('&');
            s += 5;
        } else {
            putchar(*s++);
        }
    }
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static void print_results(json_t *r, const opts *o)
{
    if (o->json) {
        json_object_del(r, "took_ms");
        char *s = json_dumps(r, JSON_COMPACT | JSON_ENSURE_ASCII * 0);
        if (s)
            puts(s);
        free(s);
        return;
    }
    int color = isatty(1) && !getenv("NO_COLOR");
    json_t *hits = json_object_get(r, "hits");
    printf("%lld documents match; %zu shown from %u\n",
           (long long)json_integer_value(json_object_get(r, "total")), json_array_size(hits),
           o->s.offset + 1);
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h)
    {
        printf("\n%s%zu. %s%s\n", color ? "\033[1m" : "", o->s.offset + i + 1, jstr(h, "title"),
               color ? "\033[0m" : "");
        printf("   %s  %s  %s  score %.3f  id %s\n", jstr(h, "date"), jstr(h, "source"),
               jstr(h, "type"), json_real_value(json_object_get(h, "score")), jstr(h, "id"));
        printf("   ");
        print_snippet(jstr(h, "snippet"), color);
        putchar('\n');
    }
    json_t *facets = json_object_get(r, "facets");
    if (facets) {
        const char *name;
        json_t *counts;
        json_object_foreach(facets, name, counts)
        {
            printf("\n%s:", name);
            const char *v;
            json_t *c;
            json_object_foreach(counts, v, c)
                printf("  %s (%lld)", v, (long long)json_integer_value(c));
            putchar('\n');
        }
    }
}

static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *q = calloc(1, len);
    if (!q)
        return NULL;
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, argv[i]);
    }
    return q;
}

static int open_local(const opts *o, ws_lexicon **lex, ws_searcher **s)
{
    char err[1024];
    *lex = load_lexicon(o);
    if (!*lex)
        return -1;
    if (ws_searcher_open(o->db, *lex, o->synonyms, s, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", err);
        ws_lexicon_free(*lex);
        return -1;
    }
    return 0;
}

static int cmd_search(opts *o, int argc, char **argv)
{
    char *q = join_args(argc, argv);
    char err[1024];
    json_t *r = NULL;
    int rc = 1;
    if (!q || !*q) {
        fprintf(stderr, "wensuo: search needs a query\n");
        free(q);
        return 2;
    }
    o->s.query = q;
    if (o->db) {
        ws_lexicon *lex;
        ws_searcher *s;
        if (open_local(o, &lex, &s) == 0) {
            ws_results *res = NULL;
            ws_status st = ws_searcher_run(s, &o->s, &res);
            if (st == WS_OK) {
                r = ws_results_to_json(res, "<b>", "</b>");
                ws_results_free(res);
            } else {
                fprintf(stderr, "wensuo: %s: %s\n", ws_status_to_string(st), ws_searcher_errmsg(s));
                rc = st == WS_EQUERY || st == WS_EINVAL || st == WS_ETOOBIG ? 2 : 1;
            }
            ws_searcher_close(s);
            ws_lexicon_free(lex);
        }
    } else if (ws_remote_search(o->server, &o->s, &r, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", err);
    }
    if (r) {
        print_results(r, o);
        json_decref(r);
        rc = 0;
    }
    free(q);
    return rc;
}

static int print_json(json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2));
    if (s)
        puts(s);
    free(s);
    return s ? 0 : 1;
}

static int cmd_get_stats(opts *o, const char *id)
{
    char err[1024];
    json_t *j = NULL;
    if (o->db) {
        ws_lexicon *lex;
        ws_searcher *s;
        if (open_local(o, &lex, &s) != 0)
            return 1;
        ws_status st = id ? ws_searcher_get(s, id, &j) : ws_searcher_stats(s, &j);
        if (st != WS_OK)
            fprintf(stderr, "wensuo: %s%s%s\n", id ? id : "", id ? ": " : "",
                    ws_searcher_errmsg(s));
        ws_searcher_close(s);
        ws_lexicon_free(lex);
    } else {
        ws_status st = id ? ws_remote_get(o->server, id, &j, err, sizeof err)
                          : ws_remote_stats(o->server, &j, err, sizeof err);
        if (st != WS_OK)
            fprintf(stderr, "wensuo: %s\n", err);
    }
    if (!j)
        return 1;
    int rc = print_json(j);
    json_decref(j);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    opts o;
    memset(&o, 0, sizeof o);
    optind = 2;
    if (parse_args(argc, argv, &o) < 0)
        return 2;
    if (!strcmp(cmd, "analyze"))
        return cmd_analyze(&o);
    if (!strcmp(cmd, "search"))
        return cmd_search(&o, argc - optind, argv + optind);
    if (!strcmp(cmd, "get")) {
        if (optind + 1 != argc) {
            fprintf(stderr, "wensuo: get takes one id\n");
            return 2;
        }
        return cmd_get_stats(&o, argv[optind]);
    }
    if (!strcmp(cmd, "stats"))
        return cmd_get_stats(&o, NULL);
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "wensuo: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
