/* wensuo: the command-line client.
 *
 *   wensuo analyze [--terms] [--dict FILE] [TEXT...]  (else text on stdin)
 *   wensuo search [--db DIR | --server URL] [options] QUERY...
 *   wensuo get [--db DIR | --server URL] ID
 *   wensuo stats [--db DIR | --server URL]
 *   wensuo add [--server URL] [--token TOKEN] FILE...
 *   wensuo delete [--server URL] [--token TOKEN] ID...
 *
 * With --db the index is opened directly; otherwise the daemon at --server
 * ($WENSUO_SERVER, default http://127.0.0.1:7700) answers. Both print the
 * same: the plain output is for people (matches coloured on a terminal),
 * --json for programs. add and delete always go through the daemon, which
 * holds the index's only writer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path.h"
#include "stdfd.h"
#include "analyzer.h"
#include "options.h"
#include "explain.h"
#include "lexicon.h"
#include "reader.h"
#include "remote.h"
#include "research.h"
#include "search.h"
#include "tty.h"

/* What one POST of `wensuo add` carries at most: well under the daemon's
 * 8 MiB body limit, and small enough that each answer comes soon. */
#define ADD_BATCH_BYTES (4u << 20)
#define ADD_BATCH_DOCS  2000
#define ADD_MAX_BODY    (8u << 20) /* the daemon's WS_HTTP_MAX_BODY */

/* An error that may quote a document (an id, the daemon's message). */
static void say_error(const char *msg)
{
    fputs("wensuo: ", stderr);
    ws_tty_puts(stderr, msg);
    fputc('\n', stderr);
}

typedef struct opts {
    const char *db, *server, *dict, *synonyms, *token;
    int json, terms;
    int refused; /* an option's value was refused, and why said */
    ws_search_opts s;
} opts;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: wensuo analyze [--terms] [--dict FILE] [TEXT...] (else lines of stdin)\n"
            "       wensuo search [--db DIR | --server URL] [--limit N] [--offset N]\n"
            "                     [--sort relevance|date|date_asc] [--source S] [--type T]\n"
            "                     [--from DATE] [--to DATE] [--facets source,type,year,month]\n"
            "                     [--json] [--dict FILE] [--synonyms FILE] QUERY...\n"
            "       wensuo get [--db DIR | --server URL] ID\n"
            "       wensuo stats [--db DIR | --server URL]\n"
            "       wensuo add [--server URL] [--token TOKEN] FILE...   (.txt .md .jsonl .html)\n"
            "       wensuo delete [--server URL] [--token TOKEN] ID...\n");
    ws_research_usage(f);
    fprintf(f,
            "Without --db, the daemon at --server (default %s) answers.\n"
            "add and delete go through the daemon; --token (default $WENSUO_WRITE_TOKEN)\n"
            "is needed when the daemon is on another machine.\n",
            WS_DEFAULT_SERVER);
}

static int parse_uint(const char *s, unsigned *out)
{
    long v;
    if (ws_options_number(s, 0, 1000000000L, &v) != 0)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* The options whose argument is checked as it comes (the first refusal in
 * argv's order is the one said); each prints why it refuses. */
static int read_limit(const char *arg, void *ctx)
{
    opts *o = ctx;
    /* 0 would mean the default to the search, silently: refused, in the
     * daemon's words (routes.c) */
    if (parse_uint(arg, &o->s.limit) < 0 || o->s.limit < 1 || o->s.limit > WS_SEARCH_MAX_LIMIT) {
        fprintf(stderr, "wensuo: limit must be a number from 1 to %d\n", WS_SEARCH_MAX_LIMIT);
        o->refused = 1;
        return -1;
    }
    return 0;
}

static int read_offset(const char *arg, void *ctx)
{
    opts *o = ctx;
    if (parse_uint(arg, &o->s.offset) < 0) {
        fprintf(stderr, "wensuo: --offset takes a number\n");
        o->refused = 1;
        return -1;
    }
    return 0;
}

static int read_sort(const char *arg, void *ctx)
{
    opts *o = ctx;
    char err[256];
    if (ws_search_sort_parse(arg, &o->s.sort, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", err);
        o->refused = 1;
        return -1;
    }
    return 0;
}

static int read_facets(const char *arg, void *ctx)
{
    opts *o = ctx;
    char err[256];
    if (ws_search_facets_parse(arg, &o->s.facets, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", err);
        o->refused = 1;
        return -1;
    }
    return 0;
}

/* Reads the options that follow the command argv[1] into o; the index in
 * argv of the first operand in *first. */
static int parse_args(int argc, char **argv, opts *o, int *first)
{
    ws_opt_call limit = {read_limit, o}, offset = {read_offset, o}, sort = {read_sort, o},
                facets = {read_facets, o};
    const ws_option table[] = {
        {"db", WS_OPT_STRING, &o->db, 0, 0, "search get stats add delete "},
        {"server", WS_OPT_STRING, &o->server, 0, 0, "search get stats add delete "},
        {"limit", WS_OPT_CALL, &limit, 0, 0, "search "},
        {"offset", WS_OPT_CALL, &offset, 0, 0, "search "},
        {"sort", WS_OPT_CALL, &sort, 0, 0, "search "},
        {"source", WS_OPT_STRING, &o->s.source, 0, 0, "search "},
        {"type", WS_OPT_STRING, &o->s.type, 0, 0, "search "},
        {"from", WS_OPT_STRING, &o->s.from, 0, 0, "search "},
        {"to", WS_OPT_STRING, &o->s.to, 0, 0, "search "},
        {"facets", WS_OPT_CALL, &facets, 0, 0, "search "},
        {"json", WS_OPT_FLAG, &o->json, 0, 0, "search get stats "},
        {"terms", WS_OPT_FLAG, &o->terms, 0, 0, "analyze "},
        {"dict", WS_OPT_STRING, &o->dict, 0, 0, "analyze search get stats "},
        {"synonyms", WS_OPT_STRING, &o->synonyms, 0, 0, "search get stats "},
        {"token", WS_OPT_STRING, &o->token, 0, 0, "add delete "},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    if (ws_options_parse_command("wensuo", argc, argv, table, usage, first) < 0) {
        if (!o->refused) /* an unknown option or one without its value */
            usage(stderr);
        return -1;
    }
    if (o->db && o->server) {
        fprintf(stderr, "wensuo: --db and --server name two indexes: give one\n");
        return -1;
    }
    if (strcmp(argv[1], "analyze") != 0 && ws_remote_refuse_local(o->db, o->dict, o->synonyms))
        return -1;
    o->server = ws_remote_server(o->server);
    if (!o->token)
        o->token = getenv("WENSUO_WRITE_TOKEN");
    if (o->token && !*o->token)
        o->token = NULL;
    return 0;
}

static ws_lexicon *load_lexicon(const opts *o)
{
    char err[1024];
    ws_lexicon *lex = NULL;
    if (ws_lexicon_open_default(NULL, o->dict, &lex, err, sizeof err) != WS_OK)
        say_error(err);
    return lex;
}

/* Prints the analysis of one line of text. */
static ws_status analyze_line(ws_analyzer *a, const opts *o, const char *line, size_t n)
{
    ws_status st = WS_OK;
    if (o->terms) {
        json_t *j = NULL;
        st = ws_explain_json(a, line, n, &j);
        size_t i;
        json_t *t;
        json_array_foreach(json_object_get(j, "terms"), i, t)
        {
            printf("%s\tpos=%d\tbytes=%d-%d\t%s\n", json_string_value(json_object_get(t, "term")),
                   (int)json_integer_value(json_object_get(t, "pos")),
                   (int)json_integer_value(json_object_get(t, "start")),
                   (int)json_integer_value(json_object_get(t, "end")),
                   json_string_value(json_object_get(t, "kind")));
        }
        json_decref(j);
    } else {
        st = ws_explain_words(a, line, n, stdout);
    }
    putchar('\n');
    return st;
}

/* Analyzes each operand as a line of text, or else each line of stdin: a
 * text given on the command line was ignored while stdin was read. */
static int cmd_analyze(const opts *o, int argc, char **argv)
{
    ws_lexicon *lex = load_lexicon(o);
    ws_analyzer *a = NULL;
    if (!lex || ws_analyzer_new(lex, &a) != WS_OK) {
        ws_lexicon_free(lex);
        return 1;
    }
    ws_status st = WS_OK;
    if (!argc && ws_stdfd_closed(0)) {
        fprintf(stderr, "wensuo: analyze: standard input is closed: give the text as an "
                        "argument or on stdin\n");
        ws_analyzer_free(a);
        ws_lexicon_free(lex);
        return 1;
    }
    for (int i = 0; st == WS_OK && i < argc; i++)
        st = analyze_line(a, o, argv[i], strlen(argv[i]));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (!argc && st == WS_OK && (n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        st = analyze_line(a, o, line, (size_t)n);
    }
    if (!argc && st == WS_OK && ferror(stdin)) {
        fprintf(stderr, "wensuo: analyze: cannot read standard input: %s\n", strerror(errno));
        st = WS_EIO;
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

/* Prints an HTML-escaped, <b>-marked snippet for a person (its control
 * characters escaped, tty.h). */
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
            size_t n = strcspn(s + 1, "<&") + 1;
            ws_tty_write(stdout, s, n);
            s += n;
        }
    }
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* "1 document" or "N documents", "about" before an estimate. */
static void print_count(long long n, int about)
{
    printf("%s%lld document%s", about ? "about " : "", n, n == 1 ? "" : "s");
}

static void print_results(json_t *r, const opts *o, const char *query)
{
    if (o->json) {
        json_object_del(r, "took_ms");
        char *s = json_dumps(r, JSON_COMPACT | JSON_ENSURE_ASCII * 0);
        if (s)
            ws_tty_json(stdout, s);
        free(s);
        return;
    }
    int color = ws_tty_color();
    json_t *hits = json_object_get(r, "hits");
    long long total = json_integer_value(json_object_get(r, "total"));
    /* the documents that match, shown: the relaxed hits after them are
     * counted apart (relaxed_total), never in the total */
    size_t nhits = 0, k;
    json_t *x;
    json_array_foreach(hits, k, x)
    {
        nhits += !json_is_true(json_object_get(x, "relaxed"));
    }
    print_count(total, json_is_true(json_object_get(r, "estimated")));
    printf(" match%s", total == 1 ? "es" : "");
    if (nhits == 1)
        printf("; showing number %u", o->s.offset + 1);
    else if (nhits > 1)
        printf("; showing numbers %u to %zu", o->s.offset + 1, o->s.offset + nhits);
    putchar('\n');
    if (json_is_true(json_object_get(r, "partial")))
        puts("(the time limit ended the ranking: the best of the documents examined)");
    size_t i;
    json_t *h;
    int relaxed = 0;
    json_array_foreach(hits, i, h)
    {
        if (!relaxed && json_is_true(json_object_get(h, "relaxed"))) {
            /* the documents that hold some of the words, set apart */
            relaxed = 1;
            long long more = json_integer_value(json_object_get(r, "relaxed_total"));
            int about = json_is_true(json_object_get(r, "relaxed_estimated"));
            if (total == 0)
                printf("\nno document holds %s as written; ", query);
            else
                printf("\nbeyond these, no document holds %s as written; ", query);
            print_count(more, about);
            printf(" hold%s some of its words:\n", more == 1 ? "s" : "");
        }
        printf("\n%s%zu. %s", color ? "\033[1m" : "", o->s.offset + i + 1,
               relaxed ? "(some of the words) " : "");
        ws_tty_puts(stdout, jstr(h, "title"));
        printf("%s\n   ", color ? "\033[0m" : "");
        ws_tty_puts(stdout, jstr(h, "date"));
        fputs("  ", stdout);
        ws_tty_puts(stdout, jstr(h, "source"));
        fputs("  ", stdout);
        ws_tty_puts(stdout, jstr(h, "type"));
        printf("  score %.3f  id ", json_real_value(json_object_get(h, "score")));
        ws_tty_puts(stdout, jstr(h, "id"));
        if (*jstr(h, "url")) {
            fputs("\n   ", stdout);
            ws_tty_puts(stdout, jstr(h, "url"));
        }
        printf("\n   ");
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
            {
                fputs("  ", stdout);
                ws_tty_puts(stdout, v);
                printf(" (%lld)", (long long)json_integer_value(c));
            }
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
        say_error(err);
        ws_lexicon_free(*lex);
        return -1;
    }
    return 0;
}

/* Whether st refuses what was asked (exit status 2) rather than fails. */
static int refused(ws_status st)
{
    return st == WS_EQUERY || st == WS_EINVAL || st == WS_ETOOBIG;
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
                const char *m = ws_searcher_errmsg(s);
                fprintf(stderr, "wensuo: %s\n", *m ? m : ws_status_to_string(st));
                rc = refused(st) ? 2 : 1;
            }
            ws_searcher_close(s);
            ws_lexicon_free(lex);
        }
    } else {
        /* the daemon's message is the local search's (routes.c), and so is
         * the exit status: 2 for a query or option refused */
        ws_status st = ws_remote_search(o->server, &o->s, &r, err, sizeof err);
        if (st != WS_OK) {
            say_error(err);
            rc = refused(st) ? 2 : 1;
        }
    }
    if (r) {
        print_results(r, o, q);
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
        ws_tty_json(stdout, s);
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
            say_error(err);
    }
    if (!j)
        return 1;
    int rc = print_json(j);
    json_decref(j);
    return rc;
}

/* ---- add and delete ---- */

typedef struct add_run {
    const opts *o;
    char *batch; /* JSON lines waiting to be sent */
    size_t len, cap, ndocs;
    /* the file being read: its lines wait in file_* until it is read whole */
    char *file;
    size_t file_len, file_cap, file_docs;
    int file_bad;
    unsigned long sent, files, bad_files;
    long long generation;
    int failed; /* the daemon refused a batch: stop */
} add_run;

static int grow(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 65536;
    while (c < need)
        c *= 2;
    char *b = realloc(*buf, c);
    if (!b)
        return -1;
    *buf = b;
    *cap = c;
    return 0;
}

static int flush_batch(add_run *r)
{
    if (!r->ndocs || r->failed)
        return r->failed ? -1 : 0;
    char err[1024];
    json_t *ans = NULL;
    ws_status st = ws_remote_post_documents(r->o->server, r->batch, r->len, r->o->token, &ans, err,
                                            sizeof err);
    if (st != WS_OK) {
        fprintf(stderr, "wensuo: add: %s\n", err);
        if (r->sent)
            fprintf(stderr, "wensuo: add: %lu documents sent before were committed\n", r->sent);
        r->failed = 1;
        return -1;
    }
    r->sent += (unsigned long)json_integer_value(json_object_get(ans, "added"));
    r->generation = (long long)json_integer_value(json_object_get(ans, "generation"));
    json_decref(ans);
    r->len = r->ndocs = 0;
    return 0;
}

static ws_status add_doc(void *ctx, ws_doc *doc)
{
    add_run *r = ctx;
    const char *why = NULL;
    if (ws_doc_check(doc, &why) != WS_OK) { /* this file is not sent; the others are */
        fprintf(stderr, "wensuo: add: a document: %s\n", why);
        r->file_bad = 1;
        ws_doc_free(doc);
        return WS_OK;
    }
    json_t *j = ws_doc_to_json(doc, 1);
    char *line = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    ws_doc_free(doc);
    size_t n = line ? strlen(line) : 0;
    if (!line || grow(&r->file, &r->file_cap, r->file_len + n + 2) != 0) {
        free(line);
        return WS_ENOMEM;
    }
    if (n + 1 > ADD_MAX_BODY) {
        fprintf(stderr, "wensuo: add: a document of %zu bytes is larger than a request may be\n",
                n);
        r->file_bad = 1;
    }
    memcpy(r->file + r->file_len, line, n);
    r->file[r->file_len + n] = '\n';
    r->file_len += n + 1;
    r->file_docs++;
    free(line);
    return WS_OK;
}

static void add_warn(void *ctx, const char *file, long line, int refused, const char *reason)
{
    add_run *r = ctx;
    (void)refused; /* a file is sent whole or not at all, as the drop folder takes one */
    r->file_bad = 1;
    if (line > 0)
        fprintf(stderr, "%s:%ld: %s\n", file, line, reason);
    else
        fprintf(stderr, "%s: %s\n", file, reason);
}

/* Moves the lines of the file just read into batches, sending each full
 * one. A document never spans two batches. */
static int batch_file(add_run *r)
{
    const char *p = r->file, *end = r->file + r->file_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)(nl - p) + 1;
        if (r->ndocs && (r->len + n > ADD_BATCH_BYTES || r->ndocs == ADD_BATCH_DOCS) &&
            flush_batch(r) != 0)
            return -1;
        if (grow(&r->batch, &r->cap, r->len + n) != 0) {
            fprintf(stderr, "wensuo: add: out of memory\n");
            return -1;
        }
        memcpy(r->batch + r->len, p, n);
        r->len += n;
        r->ndocs++;
        p += n;
    }
    return 0;
}

/* Reads every file and sends its documents in batches of JSON lines. As
 * with the daemon's drop folder, a file with any bad line is not sent at
 * all, so that it can be put right and added again whole. */
static int cmd_add(const opts *o, int argc, char **argv)
{
    if (argc == 0) {
        fprintf(stderr, "wensuo: add needs files (.txt .md .jsonl .html)\n");
        return 2;
    }
    add_run r = {.o = o};
    int rc = 0;
    for (int i = 0; i < argc && !r.failed; i++) {
        r.file_len = r.file_docs = 0;
        r.file_bad = 0;
        /* the id of a file without one: its path written one way, as
         * wensuo-index writes it (./a.md and a.md were two documents) */
        char *id = ws_path_clean(argv[i]);
        ws_status st = id ? ws_reader_read_file(argv[i], id, add_doc, add_warn, &r) : WS_ENOMEM;
        free(id);
        if (st == WS_ENOMEM) {
            fprintf(stderr, "wensuo: add: out of memory\n");
            rc = 1;
            break;
        }
        if (st != WS_OK || r.file_bad) {
            fprintf(stderr, "wensuo: add: %s not sent (a file goes whole or not at all)\n",
                    argv[i]);
            r.bad_files++;
            continue;
        }
        if (!r.file_docs) { /* as wensuo-index and the drop folder say it */
            fprintf(stderr, "wensuo: add: %s: no document in the file (it is empty or blank)\n",
                    argv[i]);
            r.bad_files++;
            continue;
        }
        r.files++;
        if (batch_file(&r) != 0)
            break;
    }
    flush_batch(&r);
    if (!r.failed && r.sent)
        printf("added %lu document%s from %lu file%s (generation %lld)\n", r.sent,
               r.sent == 1 ? "" : "s", r.files, r.files == 1 ? "" : "s", r.generation);
    else if (!r.failed) /* nothing sent: the daemon was not asked, its generation unknown */
        printf("added 0 documents from %lu file%s\n", r.files, r.files == 1 ? "" : "s");
    if (r.failed || r.bad_files)
        rc = 1;
    free(r.batch);
    free(r.file);
    return rc;
}

static int cmd_delete(const opts *o, int argc, char **argv)
{
    if (argc == 0) {
        fprintf(stderr, "wensuo: delete needs document ids\n");
        return 2;
    }
    int rc = 0;
    unsigned long deleted = 0;
    for (int i = 0; i < argc; i++) {
        char err[1024];
        json_t *ans = NULL;
        ws_status st = ws_remote_delete(o->server, argv[i], o->token, &ans, err, sizeof err);
        if (st == WS_OK) {
            deleted++;
            json_decref(ans);
            continue;
        }
        fprintf(stderr, "wensuo: delete: %s\n", err);
        rc = 1;
        if (st != WS_ENOTFOUND)
            break; /* the daemon is gone or refuses: the rest would fail alike */
    }
    printf("deleted %lu document%s\n", deleted, deleted == 1 ? "" : "s");
    return rc;
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (ws_research_is_command(cmd))
        return ws_research_main(argc, argv);
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    /* the command first: its options are read by what it takes */
    static const char *const commands[] = {"analyze", "search", "get", "stats",
                                           "add",     "delete", NULL};
    const char *const *known = commands;
    while (*known && strcmp(*known, cmd) != 0)
        known++;
    if (!*known) {
        fprintf(stderr, "wensuo: unknown command '%s'\n", cmd);
        usage(stderr);
        return 2;
    }
    opts o;
    memset(&o, 0, sizeof o);
    int first;
    if (parse_args(argc, argv, &o, &first) < 0)
        return 2;
    if (!strcmp(cmd, "analyze"))
        return cmd_analyze(&o, argc - first, argv + first);
    if (!strcmp(cmd, "search"))
        return cmd_search(&o, argc - first, argv + first);
    if (!strcmp(cmd, "get")) {
        if (first + 1 != argc) {
            fprintf(stderr, "wensuo: get takes one id\n");
            return 2;
        }
        return cmd_get_stats(&o, argv[first]);
    }
    if (!strcmp(cmd, "stats")) {
        if (first != argc) {
            fprintf(stderr, "wensuo: stats takes no operand ('%s')\n", argv[first]);
            return 2;
        }
        return cmd_get_stats(&o, NULL);
    }
    if (!strcmp(cmd, "add") || !strcmp(cmd, "delete")) {
        if (o.db) {
            fprintf(stderr,
                    "wensuo: %s goes through the daemon (it holds the index's writer); "
                    "drop --db\n",
                    cmd);
            return 2;
        }
        return cmd[0] == 'a' ? cmd_add(&o, argc - first, argv + first)
                             : cmd_delete(&o, argc - first, argv + first);
    }
    return 2; /* (not reached: every command is answered above) */
}

int main(int argc, char **argv)
{
    ws_stdfd_guard(); /* before any file is opened */
    return ws_stdfd_finish("wensuo", run(argc, argv));
}
