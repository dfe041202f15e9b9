/* research.c - `wensuo kwic`, `wensuo trend`, `wensuo collocates`, `wensuo
 * export` and `wensuo show`: the instruments of research.h. */
#include "research.h"

#include <jansson.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "collocates.h"
#include "concordance.h"
#include "export.h"
#include "reading.h"
#include "trend.h"
#include "lexicon.h"
#include "options.h"
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

static void usage(FILE *f)
{
    fprintf(
        f, "usage: wensuo kwic [--db DIR | --server URL] [--width N] [--limit N]\n"
           "                   [--sort date|date_asc|left|right|relevance] [--all]\n"
           "                   [--cursor NEXT] [--source S] [--type T] [--from DATE]\n"
           "                   [--to DATE] [--json] QUERY...\n"
           "       wensuo trend [--db DIR | --server URL] [--by year|quarter|month|source|type]\n"
           "                   [--source S] [--type T] [--from DATE] [--to DATE]\n"
           "                   [--json | --format csv] QUERY [QUERY...]   (one query an argument)\n"
           "       wensuo collocates [--db DIR | --server URL] [--window N] [--limit N]\n"
           "                   [--min-count N] [--source S] [--type T] [--from DATE]\n"
           "                   [--to DATE] [--json | --format csv] QUERY...\n");
}

/* Reads the options into o; the index of the first operand in *first. */
static int parse(int argc, char **argv, ropts *o, int *first)
{
    const ws_option opts[] = {
        {"db", 'd', WS_OPT_STRING, &o->db, 0, 0},
        {"server", 'S', WS_OPT_STRING, &o->server, 0, 0},
        {"dict", 'u', WS_OPT_STRING, &o->dict, 0, 0},
        {"synonyms", 'y', WS_OPT_STRING, &o->synonyms, 0, 0},
        {"source", 'r', WS_OPT_STRING, &o->source, 0, 0},
        {"type", 't', WS_OPT_STRING, &o->type, 0, 0},
        {"from", 'f', WS_OPT_STRING, &o->from, 0, 0},
        {"to", 'T', WS_OPT_STRING, &o->to, 0, 0},
        {"sort", 's', WS_OPT_STRING, &o->sort, 0, 0},
        {"width", 'w', WS_OPT_STRING, &o->width, 0, 0},
        {"limit", 'l', WS_OPT_STRING, &o->limit, 0, 0},
        {"cursor", 'c', WS_OPT_STRING, &o->cursor, 0, 0},
        {"format", 'F', WS_OPT_STRING, &o->format, 0, 0},
        {"json", 'j', WS_OPT_FLAG, &o->json, 0, 0},
        {"all", 'a', WS_OPT_FLAG, &o->all, 0, 0},
        {"by", 'b', WS_OPT_STRING, &o->by, 0, 0},
        {"fields", 'i', WS_OPT_STRING, &o->fields, 0, 0},
        {"snippets", 'n', WS_OPT_FLAG, &o->snippets, 0, 0},
        {"window", 0, WS_OPT_STRING, &o->window, 0, 0},
        {"min-count", 0, WS_OPT_STRING, &o->min_count, 0, 0},
        {NULL, 0, 0, NULL, 0, 0},
    };
    if (ws_options_parse_command("wensuo", argc, argv, opts, usage, first) < 0)
        return -1;
    if (o->db && o->server) {
        fprintf(stderr, "wensuo: --db and --server name two indexes: give one\n");
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

/* Columns a UTF-8 string takes on a terminal (CJK two each), as put_cell
 * prints it. */
static int columns(const char *s)
{
    mbstate_t ms;
    memset(&ms, 0, sizeof ms);
    int w = 0;
    size_t len = strlen(s);
    while (len) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s, len, &ms);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            w += 4; /* printed as \xNN (tty.h) */
            s++;
            len--;
            memset(&ms, 0, sizeof ms);
            continue;
        }
        int cw = wcwidth(wc);
        /* a control character is printed escaped: \xNN, or \u00NN for C1 */
        w += wc < 0x20 || wc == 0x7f ? 4 : wc >= 0x80 && wc <= 0x9f ? 6 : cw > 0 ? cw : 0;
        s += n;
        len -= n;
    }
    return w;
}

/* Prints s (a document's, NULL as "") escaped for the terminal (tty.h),
 * padded with spaces to width columns: on the left when right is set. */
static void put_cell(const char *s, int width, int right)
{
    s = s ? s : "";
    int pad = width - columns(s);
    if (right)
        printf("%*s", pad > 0 ? pad : 0, "");
    ws_tty_puts(stdout, s);
    if (!right)
        printf("%*s", pad > 0 ? pad : 0, "");
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static void print_lines(json_t *lines, int color)
{
    int lw = 0;
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l)
    {
        int w = columns(jstr(l, "left"));
        if (w > lw)
            lw = w;
    }
    const char *on = color ? "\033[1;31m" : " [", *off = color ? "\033[0m" : "] ";
    json_array_foreach(lines, i, l)
    {
        const char *date = jstr(l, "date");
        put_cell(*date ? date : "-", 10, 0);
        fputs("  ", stdout);
        put_cell(jstr(l, "left"), lw, 1);
        fputs(on, stdout);
        ws_tty_puts(stdout, jstr(l, "match"));
        fputs(off, stdout);
        ws_tty_puts(stdout, jstr(l, "right"));
        fputs(color ? "  \033[2m" : "  ", stdout);
        ws_tty_puts(stdout, jstr(l, "id"));
        puts(color ? "\033[0m" : "");
    }
}

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

static int cmd_kwic(const ropts *o, const char *q)
{
    local l = {0};
    if (o->db && local_open(o, &l) != 0)
        return 1;
    int color = !o->json && isatty(1) && !getenv("NO_COLOR");
    char err[1024];
    json_t *all = NULL;
    char *cursor = o->cursor ? strdup(o->cursor) : NULL;
    int rc = 0;
    for (;;) {
        json_t *page = NULL;
        ws_status st = kwic_page(o, &l, q, cursor, &page, err, sizeof err);
        if (st != WS_OK) {
            fprintf(stderr, "wensuo: %s\n", err);
            rc = exit_of(st);
            break;
        }
        const char *next = json_string_value(json_object_get(page, "next"));
        if (!all) {
            all = json_incref(page);
        } else {
            json_array_extend(json_object_get(all, "lines"), json_object_get(page, "lines"));
            json_object_set(all, "next", json_object_get(page, "next"));
        }
        free(cursor);
        cursor = next && o->all ? strdup(next) : NULL;
        json_decref(page);
        if (!cursor)
            break;
    }
    if (all && !rc && o->json) {
        char *s = json_dumps(all, JSON_COMPACT);
        if (s)
            puts(s);
        free(s);
    } else if (all && !rc) {
        /* --all: one table, aligned over every page */
        printf("%lld occurrences in %lld documents\n",
               (long long)json_integer_value(json_object_get(all, "total_occurrences")),
               (long long)json_integer_value(json_object_get(all, "total_documents")));
        print_lines(json_object_get(all, "lines"), color);
        const char *next = json_string_value(json_object_get(all, "next"));
        if (next)
            printf("more: --cursor %s\n", next);
    }
    json_decref(all);
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
        if (!len)
            return fflush(stdout) == 0 ? 0 : 1;
        size_t w = fwrite(piece, 1, len, stdout);
        free(piece);
        if (w != len) {
            fprintf(stderr, "wensuo: cannot write the export\n");
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
        const char *params[] = {"q",     q,        "width",   o->width, "sort",
                                o->sort, "cursor", o->cursor, "source", o->source,
                                "type",  o->type,  "from",    o->from,  "to",
                                o->to,   "format", o->format, NULL};
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

/* The byte offset of code point cp in s (the end of s past its last). */
static size_t byte_of(const char *s, size_t len, long long cp)
{
    size_t i = 0;
    for (long long n = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == cp)
            return i;
    }
    return len;
}

/* Whether the character at s[i] may stand on either side of a hard wrap:
 * CJK (U+2E80 and up) or a digit, but not the end of a sentence (a line
 * ending in 。 ends its paragraph) nor an indentation (U+3000). */
static int wraps_at(const char *s, size_t len, size_t i)
{
    static const char *const ends[] = {"。", "！", "？", "；", "：", "”", "　"};
    if (i >= len)
        return 0;
    for (size_t k = 0; k < sizeof ends / sizeof *ends; k++)
        if (!strncmp(s + i, ends[k], strlen(ends[k])))
            return 0;
    return (unsigned char)s[i] >= 0xE2 || (s[i] >= '0' && s[i] <= '9');
}

/* Prints text with the spans of occ (code points) marked; as paragraphs
 * when paras is set: a hard wrap inside CJK text joined, a blank line
 * between paragraphs. */
static void print_marked(const char *text, json_t *occ, int paras, int color)
{
    size_t len = strlen(text), n = json_array_size(occ), k = 0;
    size_t *at = calloc(2 * n + 1, sizeof *at);
    if (!at)
        return;
    for (size_t i = 0; i < n; i++)
        for (int e = 0; e < 2; e++)
            at[2 * i + (size_t)e] = byte_of(
                text, len, json_integer_value(json_array_get(json_array_get(occ, i), (size_t)e)));
    /* spans out of order or overlapping (a daemon's answer is not checked)
     * are narrowed to nothing rather than left behind the text printed */
    for (size_t k2 = 1; k2 < 2 * n; k2++)
        if (at[k2] < at[k2 - 1])
            at[k2] = at[k2 - 1];
    const char *on = color ? "\033[1;31m" : "[", *off = color ? "\033[0m" : "]";
    for (size_t i = 0; i <= len; i++) {
        while (k < 2 * n && at[k] == i)
            fputs(k++ % 2 ? off : on, stdout);
        if (i == len)
            break;
        char c = text[i];
        if (c == '\r')
            continue;
        if (c != '\n' || !paras) {
            /* the text up to the next mark or line break, its control
             * characters escaped (tty.h) */
            size_t e = i + 1;
            while (e < len && text[e] != '\n' && text[e] != '\r' && (k >= 2 * n || at[k] > e))
                e++;
            ws_tty_write(stdout, text + i, e - i);
            i = e - 1;
            continue;
        }
        size_t j = i;
        int breaks = 0;
        while (j < len && (text[j] == '\n' || text[j] == '\r'))
            breaks += text[j++] == '\n';
        size_t prev = i;
        while (prev > 0 && ((unsigned char)text[--prev] & 0xC0) == 0x80)
            ;
        if (!(breaks == 1 && i > 0 && wraps_at(text, len, prev) && wraps_at(text, len, j)))
            fputs("\n\n", stdout); /* a hard wrap is joined */
        i = j - 1;
    }
    free(at);
}

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
            puts(s);
        free(s);
        json_decref(d);
        return 0;
    }
    int color = isatty(1) && !getenv("NO_COLOR");
    json_t *occ = json_object_get(d, "occurrences");
    fputs(color ? "\033[1m" : "", stdout);
    print_marked(jstr(d, "title"), json_object_get(occ, "title"), 0, color);
    puts(color ? "\033[0m" : "");
    const char *meta[] = {jstr(d, "date"), jstr(d, "source"), jstr(d, "type")};
    int first = 1;
    for (size_t i = 0; i < 3; i++)
        if (*meta[i]) {
            fputs(first ? "" : " · ", stdout);
            ws_tty_puts(stdout, meta[i]);
            first = 0;
        }
    if (!first)
        putchar('\n');
    if (*jstr(d, "url")) {
        ws_tty_puts(stdout, jstr(d, "url"));
        putchar('\n');
    }
    fputs(color ? "\033[2m" : "", stdout);
    ws_tty_puts(stdout, id);
    puts(color ? "\033[0m" : "");
    if (occ) {
        size_t n = json_array_size(json_object_get(occ, "title")) +
                   json_array_size(json_object_get(occ, "body"));
        printf("%zu occurrence%s\n", n, n == 1 ? "" : "s");
    }
    putchar('\n');
    print_marked(jstr(d, "body"), json_object_get(occ, "body"), 1, color);
    putchar('\n');
    json_decref(d);
    return 0;
}

/* ---- trend ---- */

/* A CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break; one that a spreadsheet would take for a formula begins with an
 * apostrophe, as the export's (export.h). */
static void csv_field(const char *s, int last)
{
    int formula = ws_export_csv_formula(s, strlen(s));
    if (strpbrk(s, ",\"\r\n")) {
        putchar('"');
        if (formula)
            putchar('\'');
        for (; *s; s++) {
            if (*s == '"')
                putchar('"');
            putchar(*s);
        }
        putchar('"');
    } else {
        fputs(formula ? "'" : "", stdout);
        fputs(s, stdout);
    }
    fputs(last ? "\r\n" : ",", stdout);
}

static void print_trend_csv(json_t *t)
{
    json_t *buckets = json_object_get(t, "buckets"), *b0 = json_array_get(buckets, 0);
    fputs("\xEF\xBB\xBF", stdout); /* the BOM: Excel then reads UTF-8 */
    csv_field(jstr(t, "by"), 0);
    csv_field("documents", 0);
    json_t *series = json_object_get(b0, "series");
    csv_field("characters", !json_array_size(series));
    size_t i, k;
    json_t *b, *q;
    json_array_foreach(series, k, q)
    {
        char h[WS_QUERY_MAX_BYTES + 32];
        snprintf(h, sizeof h, "%s documents", jstr(q, "q"));
        csv_field(h, 0);
        snprintf(h, sizeof h, "%s occurrences", jstr(q, "q"));
        csv_field(h, k + 1 == json_array_size(series));
    }
    json_array_foreach(buckets, i, b)
    {
        char n[32];
        csv_field(json_is_null(json_object_get(b, "key")) ? "" : jstr(b, "key"), 0);
        snprintf(n, sizeof n, "%lld",
                 (long long)json_integer_value(json_object_get(b, "documents")));
        csv_field(n, 0);
        snprintf(n, sizeof n, "%lld",
                 (long long)json_integer_value(json_object_get(b, "characters")));
        series = json_object_get(b, "series");
        csv_field(n, !json_array_size(series));
        json_array_foreach(series, k, q)
        {
            snprintf(n, sizeof n, "%lld",
                     (long long)json_integer_value(json_object_get(q, "documents")));
            csv_field(n, 0);
            snprintf(n, sizeof n, "%lld",
                     (long long)json_integer_value(json_object_get(q, "occurrences")));
            csv_field(n, k + 1 == json_array_size(series));
        }
    }
}

#define BAR_CELLS 24

/* A table: each bucket's documents and characters, and for each query its
 * documents, occurrences and a bar of occurrences per million characters
 * (scaled to the largest rate of that query). */
static void print_trend(json_t *t)
{
    json_t *buckets = json_object_get(t, "buckets");
    json_t *series0 = json_object_get(json_array_get(buckets, 0), "series");
    size_t nq = json_array_size(series0), i, k;
    double *max = calloc(nq ? nq : 1, sizeof *max);
    json_t *b, *q;
    if (!max)
        return;
    json_array_foreach(buckets, i, b)
    {
        double chars = (double)json_integer_value(json_object_get(b, "characters"));
        json_array_foreach(json_object_get(b, "series"), k, q)
        {
            double r =
                chars > 0 ? json_integer_value(json_object_get(q, "occurrences")) * 1e6 / chars : 0;
            if (k < nq && r > max[k])
                max[k] = r;
        }
    }
    json_array_foreach(series0, k, q)
    {
        printf("%s%zu = ", k ? "   " : "queries: ", k + 1);
        ws_tty_puts(stdout, jstr(q, "q"));
    }
    printf("\n%-12s %9s %12s", jstr(t, "by"), "documents", "characters");
    for (k = 0; k < nq; k++)
        printf("  %7s %8s %-*s", "docs", "occ", BAR_CELLS, k < nq ? "per 1M characters" : "");
    putchar('\n');
    json_array_foreach(buckets, i, b)
    {
        json_t *key = json_object_get(b, "key");
        double chars = (double)json_integer_value(json_object_get(b, "characters"));
        put_cell(json_is_null(key) ? "(none)" : json_string_value(key), 12, 0);
        printf(" %9lld %12.0f", (long long)json_integer_value(json_object_get(b, "documents")),
               chars);
        json_array_foreach(json_object_get(b, "series"), k, q)
        {
            long long occ = json_integer_value(json_object_get(q, "occurrences"));
            double r = chars > 0 ? occ * 1e6 / chars : 0;
            int cells = k < nq && max[k] > 0 ? (int)(r / max[k] * BAR_CELLS + 0.5) : 0;
            printf("  %7lld %8lld ", (long long)json_integer_value(json_object_get(q, "documents")),
                   occ);
            for (int c = 0; c < BAR_CELLS; c++)
                fputs(c < cells ? "\xE2\x96\x88" : " ", stdout); /* █ */
        }
        putchar('\n');
    }
    free(max);
}

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
            puts(s);
        free(s);
    } else if (o->format) {
        print_trend_csv(t);
    } else {
        print_trend(t);
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

static void print_collocates(json_t *c)
{
    json_t *list = json_object_get(c, "collocates");
    printf("%lld occurrences in %lld documents; %lld words within %lld words of them\n",
           (long long)json_integer_value(json_object_get(c, "total_occurrences")),
           (long long)json_integer_value(json_object_get(c, "total_documents")),
           (long long)json_integer_value(json_object_get(c, "total_collocates")),
           (long long)json_integer_value(json_object_get(c, "window")));
    int ww = 4;
    size_t i;
    json_t *w;
    json_array_foreach(list, i, w)
    {
        int cw = columns(jstr(w, "word"));
        ww = cw > ww ? cw : ww;
    }
    printf("%-*s %9s %11s %8s\n", ww, "word", "count", "in index", "logDice");
    json_array_foreach(list, i, w)
    {
        put_cell(jstr(w, "word"), ww, 0);
        printf(" %9lld %11lld %8.2f\n", (long long)json_integer_value(json_object_get(w, "count")),
               (long long)json_integer_value(json_object_get(w, "index_count")),
               json_real_value(json_object_get(w, "log_dice")));
    }
}

static void print_collocates_csv(json_t *c)
{
    fputs("\xEF\xBB\xBF", stdout); /* the BOM: Excel then reads UTF-8 */
    fputs("word,count,index_count,log_dice\r\n", stdout);
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(c, "collocates"), i, w)
    {
        csv_field(jstr(w, "word"), 0);
        printf("%lld,%lld,%.6f\r\n", (long long)json_integer_value(json_object_get(w, "count")),
               (long long)json_integer_value(json_object_get(w, "index_count")),
               json_real_value(json_object_get(w, "log_dice")));
    }
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
            puts(s);
        free(s);
    } else if (o->format) {
        print_collocates_csv(c);
    } else {
        print_collocates(c);
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
