/* output.c - the research instruments' answers printed for a person or a
 * spreadsheet (output.h). */
#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "analyzer.h"
#include "cell.h"
#include "query.h"
#include "strbuf.h"
#include "tty.h"

#define BAR_CELLS 24 /* the widest bar of a trend's table */

const char *ws_output_str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

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

void ws_output_kwic(json_t *lines, int color, int *left_cols)
{
    int lw = *left_cols;
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l)
    {
        int w = columns(ws_output_str(l, "left"));
        if (w > lw)
            lw = w;
    }
    *left_cols = lw;
    const char *on = color ? "\033[1;31m" : " [", *off = color ? "\033[0m" : "] ";
    json_array_foreach(lines, i, l)
    {
        const char *date = ws_output_str(l, "date");
        put_cell(*date ? date : "-", 10, 0);
        fputs("  ", stdout);
        put_cell(ws_output_str(l, "left"), lw, 1);
        fputs(on, stdout);
        ws_tty_puts(stdout, ws_output_str(l, "match"));
        fputs(off, stdout);
        ws_tty_puts(stdout, ws_output_str(l, "right"));
        fputs(color ? "  \033[2m" : "  ", stdout);
        ws_tty_puts(stdout, ws_output_str(l, "id"));
        puts(color ? "\033[0m" : "");
    }
}

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

static int ascii_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The byte before the line break at i, past a CR (0 at the start). */
static char before_break(const char *text, size_t i)
{
    while (i > 0 && text[i - 1] == '\r')
        i--;
    return i > 0 ? text[i - 1] : 0;
}

/* Prints text with the spans of occ (code points) marked; as paragraphs
 * when paras is set (ws_analyzer_paragraph_end): a blank line between
 * paragraphs, a hard wrap of print joined. */
void ws_output_marked(const char *text, json_t *occ, int paras, int color)
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
        /* paragraphs where the analyzer has them (the PARAGRAPH
         * operator's); another break is a wrap of print, joined as the
         * analyzer joins it (nothing inside CJK text or a number: 1206.3\n5
         * reads 1206.35), else a space between Latin words */
        size_t j = len;
        if (ws_analyzer_paragraph_end(text, len, i, &j))
            fputs("\n\n", stdout);
        else if (before_break(text, i) && j < len && ascii_alnum(before_break(text, i)) &&
                 ascii_alnum(text[j]) &&
                 !ws_analyzer_joins_break((unsigned char)before_break(text, i),
                                          (unsigned char)text[j]))
            putchar(' ');
        while (k < 2 * n && at[k] < j) /* marks within the breaks (a daemon's answer) */
            fputs(k++ % 2 ? off : on, stdout);
        i = j - 1;
    }
    free(at);
}

/* A CSV field (RFC 4180), as the export writes one (cell.h). */
static void csv_field(const char *s, int last)
{
    ws_strbuf b = {0};
    ws_cell_put(&b, s, strlen(s), 0);
    if (b.len)
        fwrite(b.s, 1, b.len, stdout);
    free(b.s);
    fputs(last ? "\r\n" : ",", stdout);
}

void ws_output_trend_csv(json_t *t)
{
    json_t *buckets = json_object_get(t, "buckets"), *b0 = json_array_get(buckets, 0);
    fputs("\xEF\xBB\xBF", stdout); /* the BOM: Excel then reads UTF-8 */
    csv_field(ws_output_str(t, "by"), 0);
    csv_field("documents", 0);
    json_t *series = json_object_get(b0, "series");
    csv_field("characters", !json_array_size(series));
    size_t i, k;
    json_t *b, *q;
    json_array_foreach(series, k, q)
    {
        char h[WS_QUERY_MAX_BYTES + 32];
        snprintf(h, sizeof h, "%s documents", ws_output_str(q, "q"));
        csv_field(h, 0);
        snprintf(h, sizeof h, "%s occurrences", ws_output_str(q, "q"));
        csv_field(h, k + 1 == json_array_size(series));
    }
    json_array_foreach(buckets, i, b)
    {
        char n[32];
        csv_field(json_is_null(json_object_get(b, "key")) ? "" : ws_output_str(b, "key"), 0);
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

/* A table: each bucket's documents and characters, and for each query its
 * documents, occurrences and a bar of occurrences per million characters
 * (scaled to the largest rate of that query). */
void ws_output_trend(json_t *t)
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
    /* the keys' column as wide as the widest (a source's name may be long),
     * so that the numbers stand in columns */
    int kw = 12;
    json_array_foreach(buckets, i, b)
    {
        json_t *key = json_object_get(b, "key");
        int w = columns(json_is_null(key) ? "(none)" : json_string_value(key));
        if (w > kw)
            kw = w;
    }
    json_array_foreach(series0, k, q)
    {
        printf("%s%zu = ", k ? "   " : "queries: ", k + 1);
        ws_tty_puts(stdout, ws_output_str(q, "q"));
    }
    putchar('\n');
    put_cell(ws_output_str(t, "by"), kw, 0);
    printf(" %9s %12s", "documents", "characters");
    for (k = 0; k < nq; k++)
        printf("  %7s %8s %-*s", "docs", "occ", BAR_CELLS, k < nq ? "per 1M characters" : "");
    putchar('\n');
    json_array_foreach(buckets, i, b)
    {
        json_t *key = json_object_get(b, "key");
        double chars = (double)json_integer_value(json_object_get(b, "characters"));
        put_cell(json_is_null(key) ? "(none)" : json_string_value(key), kw, 0);
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

void ws_output_collocates(json_t *c)
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
        int cw = columns(ws_output_str(w, "word"));
        ww = cw > ww ? cw : ww;
    }
    printf("%-*s %9s %11s %8s\n", ww, "word", "count", "in index", "logDice");
    json_array_foreach(list, i, w)
    {
        put_cell(ws_output_str(w, "word"), ww, 0);
        printf(" %9lld %11lld %8.2f\n", (long long)json_integer_value(json_object_get(w, "count")),
               (long long)json_integer_value(json_object_get(w, "index_count")),
               json_real_value(json_object_get(w, "log_dice")));
    }
}

void ws_output_collocates_csv(json_t *c)
{
    fputs("\xEF\xBB\xBF", stdout); /* the BOM: Excel then reads UTF-8 */
    fputs("word,count,index_count,log_dice\r\n", stdout);
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(c, "collocates"), i, w)
    {
        csv_field(ws_output_str(w, "word"), 0);
        printf("%lld,%lld,%.6f\r\n", (long long)json_integer_value(json_object_get(w, "count")),
               (long long)json_integer_value(json_object_get(w, "index_count")),
               json_real_value(json_object_get(w, "log_dice")));
    }
}
