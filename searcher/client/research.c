/* research.c - `wensuo kwic`, `wensuo trend`, `wensuo collocates`, `wensuo
 * export` and `wensuo show`: the instruments of research.h. */
#include "research.h"

#include <jansson.h>
#include <locale.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collocates.h"
#include "concordance.h"
#include "export.h"
#include "reading.h"
#include "trend.h"
#include "lexicon.h"
#include "options.h"
#include "output.h"
#include "remote.h"
#include "search.h"
#include "tty.h"

typedef struct ropts {
    const char *db, *server, *dict, *synonyms, *format;
    const char *source, *type, *from, *to, *sort, *width, *limit, *cursor, *by, *fields;
    const char *window, *min_count;
    int json, all, snippets;
} ropts;

static const char *const commands[] = {"kwic", "trend", "collocates", "export", "show", NULL};

int ws_research_is_command(const char *cmd)
{
    for (size_t i = 0; commands[i]; i++)
        if (!strcmp(cmd, commands[i]))
            return 1;
    return 0;
}

void ws_research_usage(FILE *f)
{
    fputs("       wensuo kwic [--db DIR | --server URL] [--width N] [--limit N]\n"
          "                   [--sort date|date_asc|left|right|relevance] [--all]\n"
          "                   [--cursor NEXT] [--source S] [--type T] [--from DATE]\n"
          "                   [--to DATE] [--json | --format csv|tsv|jsonl] QUERY...\n"
          "       wensuo trend [--db DIR | --server URL] [--by year|quarter|month|source|type]\n"
          "                   [--source S] [--type T] [--from DATE] [--to DATE]\n"
          "                   [--json | --format csv] QUERY [QUERY...]   (one query an argument)\n"
          "       wensuo collocates [--db DIR | --server URL] [--window N] [--limit N]\n"
          "                   [--min-count N] [--source S] [--type T] [--from DATE]\n"
          "                   [--to DATE] [--json | --format csv] QUERY...\n"
          "       wensuo export [--db DIR | --server URL] [--format csv|tsv|jsonl]\n"
          "                   [--sort relevance|date|date_asc] [--fields F,G] [--snippets]\n"
          "                   [--source S] [--type T] [--from DATE] [--to DATE] QUERY...\n"
          "       wensuo show [--db DIR | --server URL] [--json] ID [QUERY...]\n",
          f);
}

static void usage(FILE *f)
{
    fputs("usage:\n", f);
    ws_research_usage(f);
}

/* Reads the options into o; the index of the first operand in *first. */
static int parse(int argc, char **argv, ropts *o, int *first)
{
    const ws_option opts[] = {
        {"db", WS_OPT_STRING, &o->db, 0, 0, NULL},
        {"server", WS_OPT_STRING, &o->server, 0, 0, NULL},
        {"dict", WS_OPT_STRING, &o->dict, 0, 0, NULL},
        {"synonyms", WS_OPT_STRING, &o->synonyms, 0, 0, NULL},
        {"source", WS_OPT_STRING, &o->source, 0, 0, "kwic trend collocates export "},
        {"type", WS_OPT_STRING, &o->type, 0, 0, "kwic trend collocates export "},
        {"from", WS_OPT_STRING, &o->from, 0, 0, "kwic trend collocates export "},
        {"to", WS_OPT_STRING, &o->to, 0, 0, "kwic trend collocates export "},
        {"sort", WS_OPT_STRING, &o->sort, 0, 0, "kwic export "},
        {"width", WS_OPT_STRING, &o->width, 0, 0, "kwic "},
        {"limit", WS_OPT_STRING, &o->limit, 0, 0, "kwic collocates "},
        {"cursor", WS_OPT_STRING, &o->cursor, 0, 0, "kwic "},
        {"format", WS_OPT_STRING, &o->format, 0, 0, "kwic trend collocates export "},
        {"json", WS_OPT_FLAG, &o->json, 0, 0, "kwic trend collocates show "},
        {"all", WS_OPT_FLAG, &o->all, 0, 0, "kwic "},
        {"by", WS_OPT_STRING, &o->by, 0, 0, "trend "},
        {"fields", WS_OPT_STRING, &o->fields, 0, 0, "export "},
        {"snippets", WS_OPT_FLAG, &o->snippets, 0, 0, "export "},
        {"window", WS_OPT_STRING, &o->window, 0, 0, "collocates "},
        {"min-count", WS_OPT_STRING, &o->min_count, 0, 0, "collocates "},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    if (ws_options_parse_command("wensuo", argc, argv, opts, usage, first) < 0)
        return -1;
    if (o->db && o->server) {
        fprintf(stderr, "wensuo: --db and --server name two indexes: give one\n");
        return -1;
    }
    if (ws_remote_refuse_local(o->db, o->dict, o->synonyms))
        return -1;
    if (o->json && o->format) {
        fprintf(stderr, "wensuo: --json and --format name two outputs: give one\n");
        return -1;
    }
    o->server = ws_remote_server(o->server);
    return 0;
}

static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *q = calloc(1, len);
    for (int i = 0; q && i < argc; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, argv[i]);
    }
    return q;
}

/* The searcher of --db, or NULL (message printed) for the daemon's. */
typedef struct local {
    ws_lexicon *lex;
    ws_searcher *s;
} local;

static int local_open(const ropts *o, local *l)
{
    char err[1024];
    if (ws_lexicon_open_default(NULL, o->dict, &l->lex, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", err);
        return -1;
    }
    if (ws_searcher_open(o->db, l->lex, o->synonyms, &l->s, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", err);
        ws_lexicon_free(l->lex);
        return -1;
    }
    return 0;
}

static void local_close(local *l)
{
    ws_searcher_close(l->s);
    ws_lexicon_free(l->lex);
}

static int exit_of(ws_status st)
{
    return st == WS_EQUERY || st == WS_EINVAL || st == WS_ETOOBIG ? 2 : 1;
}

/* The query and the filters every instrument takes, as the options give
 * them. */
static ws_search_opts search_of(const ropts *o, const char *q)
{
    ws_search_opts s;
    memset(&s, 0, sizeof s);
    s.query = q;
    s.source = o->source;
    s.type = o->type;
    s.from = o->from;
    s.to = o->to;
    return s;
}

/* *out = the number option --name gives (0 when absent), refused with the
 * message in err unless it is from 1 to max. */
static ws_status number_of(const char *v, const char *name, long max, unsigned long *out, char *err,
                           size_t errlen)
{
    long n = 0;
    *out = 0;
    if (v && ws_options_number(v, 1, max, &n) != 0) {
        snprintf(err, errlen, "--%s takes a number from 1 to %ld", name, max);
        return WS_EINVAL;
    }
    *out = (unsigned long)n;
    return WS_OK;
}

/* Streams the daemon's answer to path (an export) to stdout. */
static int stream_remote(const ropts *o, const char *path, const char **params)
{
    char err[1024];
    ws_status st = ws_remote_stream(o->server, path, params, stdout, err, sizeof err);
    if (st != WS_OK)
        fprintf(stderr, "wensuo: %s\n", err);
    return st == WS_OK ? 0 : exit_of(st);
}

/* ---- kwic ---- */

/* One page: through the daemon or the local searcher. */
static ws_status kwic_page(const ropts *o, local *l, const char *q, const char *cursor,
                           json_t **out, char *err, size_t errlen)
{
    if (!l->s) {
        const char *params[] = {"q",     q,        "width", o->width, "limit",   o->limit, "sort",
                                o->sort, "cursor", cursor,  "source", o->source, "type",   o->type,
                                "from",  o->from,  "to",    o->to,    NULL};
        return ws_remote_call(o->server, "/concordance", params, out, err, errlen);
    }
    ws_kwic_opts k;
    memset(&k, 0, sizeof k);
    k.s = search_of(o, q);
    k.cursor = cursor;
    unsigned long v;
    if (number_of(o->width, "width", WS_KWIC_MAX_WIDTH, &v, err, errlen) != WS_OK)
        return WS_EINVAL;
    k.width = (unsigned)v;
    if (number_of(o->limit, "limit", WS_KWIC_MAX_LIMIT, &v, err, errlen) != WS_OK)
        return WS_EINVAL;
    k.limit = (unsigned)v;
    if (o->sort && ws_kwic_sort_parse(o->sort, &k.sort) != 0) {
        snprintf(err, errlen, "--sort takes date, date_asc, left, right or relevance");
        return WS_EINVAL;
    }
    ws_status st = ws_concordance_json(l->s, &k, out);
    if (st != WS_OK)
        snprintf(err, errlen, "%s", ws_searcher_errmsg(l->s));
    return st;
}

/* Starts --json --all's one object: the first page's keys but its lines
 * and cursor, then the lines array opened. */
static void json_all_open(json_t *page)
{
    json_t *head = json_copy(page);
    json_object_del(head, "lines");
    json_object_del(head, "next");
    char *s = head ? json_dumps(head, JSON_COMPACT) : NULL;
    size_t n = s ? strlen(s) : 0;
    if (n >= 2) { /* "{...}" without its closing brace */
        s[n - 1] = '\0';
        ws_tty_json(stdout, s);
        fputs(n > 2 ? ",\"lines\":[\n" : "\"lines\":[\n", stdout);
    } else {
        fputs("{\"lines\":[\n", stdout);
    }
    free(s);
    json_decref(head);
}

/* One page of lines, as it comes: with --all the lines are printed page by
 * page, so that a concordance of a million lines neither waits for its
 * last page to show its first nor holds them all (it took 2 GB). */
static void print_page(const ropts *o, json_t *page, int first, int color, int *left_cols,
                       size_t *printed)
{
    json_t *lines = json_object_get(page, "lines");
    if (o->json && !o->all) {
        char *s = json_dumps(page, JSON_COMPACT);
        if (s)
            ws_tty_json(stdout, s);
        free(s);
        return;
    }
    if (o->json) {
        if (first)
            json_all_open(page);
        size_t i;
        json_t *l;
        json_array_foreach(lines, i, l)
        {
            char *s = json_dumps(l, JSON_COMPACT);
            if ((*printed)++) /* (a page may hold no line and still have a next) */
                fputc(',', stdout);
            if (s)
                ws_tty_json(stdout, s);
            free(s);
        }
        return;
    }
    if (first)
        printf("%lld occurrences in %lld documents\n",
               (long long)json_integer_value(json_object_get(page, "total_occurrences")),
               (long long)json_integer_value(json_object_get(page, "total_documents")));
    ws_output_kwic(lines, color, left_cols);
}

static int cmd_kwic(const ropts *o, const char *q)
{
    local l = {0};
    if (o->db && local_open(o, &l) != 0)
        return 1;
    int color = !o->json && ws_tty_color();
    char err[1024];
    char *cursor = o->cursor ? strdup(o->cursor) : NULL;
    /* --all reads the largest pages: a page is a request (a hundred lines a
     * page made 11,789 of them for 的) */
    char biggest[16];
    snprintf(biggest, sizeof biggest, "%d", WS_KWIC_MAX_LIMIT);
    ropts po = *o;
    if (o->all && !o->limit)
        po.limit = biggest;
    int rc = 0, pages = 0, left_cols = 0, open = 0;
    size_t printed = 0;
    ws_status st = WS_OK;
    for (;;) {
        json_t *page = NULL;
        st = kwic_page(&po, &l, q, cursor, &page, err, sizeof err);
        if (st != WS_OK) {
            fflush(stdout);
            fprintf(stderr, "wensuo: %s%s\n", err,
                    pages ? " (the lines above are those read before)" : "");
            rc = exit_of(st);
            break;
        }
        const char *next = json_string_value(json_object_get(page, "next"));
        print_page(o, page, pages == 0, color, &left_cols, &printed);
        open |= o->json && o->all;
        pages++;
        free(cursor);
        cursor = next && o->all ? strdup(next) : NULL;
        if (!o->all && next && !o->json)
            printf("more: --cursor %s\n", next);
        json_decref(page);
        if (ferror(stdout)) {
            fprintf(stderr, "wensuo: cannot write the lines: %s\n", strerror(errno));
            rc = 1;
            break;
        }
        if (!cursor)
            break;
    }
    /* a cursor refused (the index changed since it was made: 409 from the
     * daemon, or too old) leads nowhere: no "next" then, rather than one
     * that fails again */
    int stale = st == WS_EMODIFIED || st == WS_ELOCKED || st == WS_EINVAL;
    if (open && rc && cursor && !stale) {
        /* cut short: the cursor of the page that failed, to go on from
         * (wensuo kwic --cursor), not a null that would read as the end */
        json_t *next = json_string(cursor);
        char *s = next ? json_dumps(next, JSON_ENCODE_ANY) : NULL;
        printf("],\"next\":%s}\n", s ? s : "null");
        free(s);
        json_decref(next);
    } else if (open) {
        fputs(rc ? "]}\n" : "],\"next\":null}\n", stdout);
    }
    free(cursor);
    if (l.s)
        local_close(&l);
    return rc;
}

/* ---- exports: every document, or every concordance line ---- */

/* Writes every piece of e to stdout. */
static int write_all(ws_export *e, ws_searcher *s)
{
    for (;;) {
        char *piece = NULL;
        size_t len = 0;
        ws_status st = ws_export_next(e, &piece, &len);
        if (st != WS_OK) {
            fprintf(stderr, "wensuo: %s\n", ws_searcher_errmsg(s));
            return 1;
        }
        if (!len && fflush(stdout) == 0)
            return 0;
        size_t w = len ? fwrite(piece, 1, len, stdout) : 0;
        free(piece);
        if (w != len || !len) {
            fprintf(stderr, "wensuo: cannot write the export: %s\n", strerror(errno));
            return 1;
        }
    }
}

static int format_of(const char *name, ws_export_format *f)
{
    if (ws_export_format_parse(name ? name : "csv", f) != 0) {
        fprintf(stderr, "wensuo: --format takes csv, tsv or jsonl\n");
        return -1;
    }
    return 0;
}

static int cmd_kwic_stream(const ropts *o, const char *q)
{
    ws_export_format f;
    if (format_of(o->format, &f) != 0)
        return 2;
    if (!o->db) {
        const char *params[] = {"q",      q,         "width",  o->width,  "sort",   o->sort,
                                "cursor", o->cursor, "source", o->source, "type",   o->type,
                                "from",   o->from,   "to",     o->to,     "format", o->format,
                                "limit",  o->limit,  NULL};
        return stream_remote(o, "/concordance", params);
    }
    local l = {0};
    if (local_open(o, &l) != 0)
        return 1;
    ws_kwic_opts k;
    memset(&k, 0, sizeof k);
    k.s = search_of(o, q);
    k.cursor = o->cursor;
    unsigned long v = 0;
    int rc = 0;
    char err[1024];
    if (number_of(o->width, "width", WS_KWIC_MAX_WIDTH, &v, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", err);
        rc = 2;
    }
    k.width = (unsigned)v;
    if (!rc && number_of(o->limit, "limit", WS_KWIC_MAX_LIMIT, &v, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", err);
        rc = 2;
    }
    k.limit = (unsigned)v;
    if (!rc && o->sort && ws_kwic_sort_parse(o->sort, &k.sort) != 0) {
        fprintf(stderr, "wensuo: --sort takes date, date_asc, left, right or relevance\n");
        rc = 2;
    }
    ws_export *e = NULL;
    ws_status st = rc ? WS_OK : ws_export_kwic_open(l.s, &k, f, &e);
    if (!rc && st != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", ws_searcher_errmsg(l.s));
        rc = exit_of(st);
    }
    if (e)
        rc = write_all(e, l.s);
    ws_export_free(e);
    local_close(&l);
    return rc;
}

static int cmd_export(const ropts *o, const char *q)
{
    ws_export_format f;
    if (format_of(o->format, &f) != 0)
        return 2;
    if (o->sort && strcmp(o->sort, "relevance") != 0 && strcmp(o->sort, "date") != 0 &&
        strcmp(o->sort, "date_asc") != 0) {
        fprintf(stderr, "wensuo: export --sort takes relevance, date or date_asc\n");
        return 2;
    }
    if (!o->db) {
        const char *params[] = {"q",      q,         "format",   o->format ? o->format : "csv",
                                "fields", o->fields, "snippets", o->snippets ? "1" : NULL,
                                "sort",   o->sort,   "source",   o->source,
                                "type",   o->type,   "from",     o->from,
                                "to",     o->to,     NULL};
        return stream_remote(o, "/export", params);
    }
    local l = {0};
    if (local_open(o, &l) != 0)
        return 1;
    ws_export_opts eo;
    memset(&eo, 0, sizeof eo);
    eo.s = search_of(o, q);
    eo.s.sort = o->sort && !strncmp(o->sort, "date", 4) ? WS_SORT_DATE : WS_SORT_RELEVANCE;
    eo.oldest_first = o->sort && !strcmp(o->sort, "date_asc");
    eo.format = f;
    eo.snippets = o->snippets;
    const char *names[WS_EXPORT_MAX_FIELDS + 2];
    size_t nf = 0;
    char *fields = o->fields ? strdup(o->fields) : NULL;
    for (char *save = NULL, *t = fields ? strtok_r(fields, ",", &save) : NULL;
         t && nf <= WS_EXPORT_MAX_FIELDS; t = strtok_r(NULL, ",", &save))
        names[nf++] = t; /* one past the limit at most: ws_export_open refuses it */
    names[nf] = NULL;
    eo.fields = names;
    ws_export *e = NULL;
    ws_status st = ws_export_open(l.s, &eo, &e);
    int rc = 0;
    if (st != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", ws_searcher_errmsg(l.s));
        rc = exit_of(st);
    } else {
        rc = write_all(e, l.s);
    }
    ws_export_free(e);
    free(fields);
    local_close(&l);
    return rc;
}

/* ---- show ---- */

static int cmd_show(const ropts *o, const char *id, const char *q)
{
    char err[1024];
    json_t *d = NULL;
    ws_status st;
    if (o->db) {
        local l = {0};
        if (local_open(o, &l) != 0)
            return 1;
        st = q && *q ? ws_reading_json(l.s, id, q, &d) : ws_searcher_get(l.s, id, &d);
        if (st != WS_OK)
            snprintf(err, sizeof err, "%s: %s", id, ws_searcher_errmsg(l.s));
        local_close(&l);
    } else {
        st = ws_remote_read(o->server, id, q, &d, err, sizeof err);
    }
    if (st != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", err);
        return exit_of(st);
    }
    if (o->json) {
        char *s = json_dumps(d, JSON_COMPACT);
        if (s)
            ws_tty_json(stdout, s);
        free(s);
        json_decref(d);
        return 0;
    }
    int color = ws_tty_color();
    json_t *occ = json_object_get(d, "occurrences");
    fputs(color ? "\033[1m" : "", stdout);
    ws_output_marked(ws_output_str(d, "title"), json_object_get(occ, "title"), 0, color);
    puts(color ? "\033[0m" : "");
    const char *meta[] = {ws_output_str(d, "date"), ws_output_str(d, "source"),
                          ws_output_str(d, "type")};
    int first = 1;
    for (size_t i = 0; i < 3; i++)
        if (*meta[i]) {
            fputs(first ? "" : " · ", stdout);
            ws_tty_puts(stdout, meta[i]);
            first = 0;
        }
    if (!first)
        putchar('\n');
    if (*ws_output_str(d, "url")) {
        ws_tty_puts(stdout, ws_output_str(d, "url"));
        putchar('\n');
    }
    fputs(color ? "\033[2m" : "", stdout);
    ws_tty_puts(stdout, id);
    puts(color ? "\033[0m" : "");
    if (occ) {
        size_t n = json_array_size(json_object_get(occ, "title")) +
                   json_array_size(json_object_get(occ, "body"));
        printf("%zu occurrence%s\n", n, n == 1 ? "" : "s");
        /* a count beside a document the query does not match read as the
         * concordance's, which has no line there */
        json_t *m = json_object_get(d, "matches");
        if (json_is_false(m))
            printf("the document does not match the query: these are where its terms stand\n");
    }
    putchar('\n');
    ws_output_marked(ws_output_str(d, "body"), json_object_get(occ, "body"), 1, color);
    putchar('\n');
    json_decref(d);
    return 0;
}

/* ---- trend ---- */

static int cmd_trend(const ropts *o, int nq, char **queries)
{
    char err[1024];
    json_t *t = NULL;
    ws_status st;
    if (o->format && strcmp(o->format, "csv") != 0) {
        fprintf(stderr, "wensuo: trend --format takes csv\n");
        return 2;
    }
    if (nq > WS_TREND_MAX_QUERIES) {
        fprintf(stderr, "wensuo: trend takes at most %d queries\n", WS_TREND_MAX_QUERIES);
        return 2;
    }
    if (o->db) {
        local l = {0};
        if (local_open(o, &l) != 0)
            return 1;
        ws_trend_opts to;
        memset(&to, 0, sizeof to);
        to.s = search_of(o, NULL);
        to.queries = (const char *const *)queries;
        to.nqueries = (size_t)nq;
        if (o->by && ws_trend_by_parse(o->by, &to.by) != 0) {
            snprintf(err, sizeof err, "--by takes year, quarter, month, source or type");
            st = WS_EINVAL;
        } else if ((st = ws_trend_json(l.s, &to, &t)) != WS_OK) {
            snprintf(err, sizeof err, "%s", ws_searcher_errmsg(l.s));
        }
        local_close(&l);
    } else {
        const char *params[2 * WS_TREND_MAX_QUERIES + 12];
        size_t n = 0;
        for (int i = 0; i < nq; i++) {
            params[n++] = "q";
            params[n++] = queries[i];
        }
        const char *rest[] = {"by",    o->by,  "source", o->source, "type",
                              o->type, "from", o->from,  "to",      o->to};
        for (size_t i = 0; i < 10; i++)
            params[n++] = rest[i];
        params[n] = NULL;
        st = ws_remote_call(o->server, "/trend", params, &t, err, sizeof err);
    }
    if (st != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", err);
        return exit_of(st);
    }
    if (o->json) {
        char *s = json_dumps(t, JSON_COMPACT);
        if (s)
            ws_tty_json(stdout, s);
        free(s);
    } else if (o->format) {
        ws_output_trend_csv(t);
    } else {
        ws_output_trend(t);
    }
    json_decref(t);
    return 0;
}

/* ---- collocates ---- */

static ws_status collocates_local(const ropts *o, const char *q, json_t **out, char *err,
                                  size_t errlen)
{
    ws_coll_opts c;
    memset(&c, 0, sizeof c);
    c.s = search_of(o, q);
    unsigned long v;
    if (number_of(o->window, "window", WS_COLL_MAX_WINDOW, &v, err, errlen) != WS_OK)
        return WS_EINVAL;
    c.window = (unsigned)v;
    if (number_of(o->limit, "limit", WS_COLL_MAX_LIMIT, &v, err, errlen) != WS_OK)
        return WS_EINVAL;
    c.limit = (unsigned)v;
    if (number_of(o->min_count, "min-count", WS_COLL_MAX_OCCURRENCES, &v, err, errlen) != WS_OK)
        return WS_EINVAL;
    c.min_count = v;
    local l = {0};
    if (local_open(o, &l) != 0) {
        snprintf(err, errlen, "cannot open %s", o->db);
        return WS_EIO;
    }
    ws_status st = ws_collocates_json(l.s, &c, out);
    if (st != WS_OK)
        snprintf(err, errlen, "%s", ws_searcher_errmsg(l.s));
    local_close(&l);
    return st;
}

static int cmd_collocates(const ropts *o, const char *q)
{
    if (o->format && strcmp(o->format, "csv") != 0) {
        fprintf(stderr, "wensuo: collocates --format takes csv\n");
        return 2;
    }
    char err[1024];
    json_t *c = NULL;
    ws_status st;
    if (o->db) {
        st = collocates_local(o, q, &c, err, sizeof err);
    } else {
        const char *params[] = {"q",      q,         "window",    o->window,    "limit", o->limit,
                                "source", o->source, "type",      o->type,      "from",  o->from,
                                "to",     o->to,     "min_count", o->min_count, NULL};
        st = ws_remote_call(o->server, "/collocates", params, &c, err, sizeof err);
    }
    if (st != WS_OK) {
        fprintf(stderr, "wensuo: %s\n", err);
        return exit_of(st);
    }
    if (o->json) {
        char *s = json_dumps(c, JSON_COMPACT | JSON_REAL_PRECISION(17));
        if (s)
            ws_tty_json(stdout, s);
        free(s);
    } else if (o->format) {
        ws_output_collocates_csv(c);
    } else {
        ws_output_collocates(c);
    }
    json_decref(c);
    return 0;
}

int ws_research_main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    const char *cmd = argv[1];
    ropts o;
    memset(&o, 0, sizeof o);
    int first;
    if (parse(argc, argv, &o, &first) < 0)
        return 2;
    if (first >= argc) {
        fprintf(stderr, "wensuo: %s needs %s\n", cmd,
                strcmp(cmd, "show") ? "a query" : "a document's id (then a query, if any)");
        return 2;
    }
    if (!strcmp(cmd, "trend"))
        return cmd_trend(&o, argc - first, argv + first);
    if (!strcmp(cmd, "show")) {
        char *sq = join_args(argc - first - 1, argv + first + 1);
        int rc = sq ? cmd_show(&o, argv[first], sq) : 1;
        free(sq);
        return rc;
    }
    char *q = join_args(argc - first, argv + first);
    if (!q) {
        fprintf(stderr, "wensuo: out of memory\n");
        return 1;
    }
    int rc = !strcmp(cmd, "export")       ? cmd_export(&o, q)
             : !strcmp(cmd, "collocates") ? cmd_collocates(&o, q)
             : o.format                   ? cmd_kwic_stream(&o, q)
                                          : cmd_kwic(&o, q);
    free(q);
    return rc;
}
