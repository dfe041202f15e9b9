/* cell.c - a value as a CSV or TSV cell (cell.h). */
#include "cell.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A number as JSON writes one (-3, 0.5, -1e-07), with a sign + too. */
static int is_number(const char *v, size_t len)
{
    size_t i = v[0] == '-' || v[0] == '+', digits = 0;
    while (i < len && v[i] >= '0' && v[i] <= '9')
        i++, digits++;
    if (i < len && v[i] == '.')
        for (i++; i < len && v[i] >= '0' && v[i] <= '9'; i++)
            digits++;
    if (digits && i < len && (v[i] == 'e' || v[i] == 'E')) {
        size_t e = ++i < len && (v[i] == '-' || v[i] == '+') ? ++i : i;
        while (i < len && v[i] >= '0' && v[i] <= '9')
            i++;
        if (i == e)
            return 0;
    }
    return digits && i == len;
}

int ws_cell_formula(const char *v, size_t len)
{
    return len && v[0] && strchr("=+-@\t\r", v[0]) && !is_number(v, len);
}

/* Whether v[0..len) holds a byte a, b, c or d: eight bytes at a time,
 * since asking of every value whether it must be quoted was a tenth of an
 * export's work (a byte of x is one of them where x ^ it has a zero byte,
 * which (y - 0x01..) & ~y & 0x80.. tells without a false one). */
static int has_any(const char *v, size_t len, char a, char b, char c, char d)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    const uint64_t ka = ones * (unsigned char)a, kb = ones * (unsigned char)b,
                   kc = ones * (unsigned char)c, kd = ones * (unsigned char)d;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x;
        memcpy(&x, v + i, 8);
        uint64_t ya = x ^ ka, yb = x ^ kb, yc = x ^ kc, yd = x ^ kd;
        if ((((ya - ones) & ~ya) | ((yb - ones) & ~yb) | ((yc - ones) & ~yc) |
             ((yd - ones) & ~yd)) &
            highs)
            return 1;
    }
    for (; i < len; i++)
        if (v[i] == a || v[i] == b || v[i] == c || v[i] == d)
            return 1;
    return 0;
}

size_t ws_cell_score(double score, char out[32])
{
    /* printf's exact decimal conversion was a tenth of an export of
     * common terms; a score in [1e-4, 1e6) (BM25's are) is scaled to its
     * six significant digits by one exact power of ten instead, which is
     * one rounding off the exact value: where that could move the sixth
     * digit (the rest within 1e-6 of a half), snprintf decides. */
    static const double p10[] = {1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2,
                                 1e3,  1e4,  1e5,  1e6,  1e7, 1e8, 1e9};
    if (!(score >= 1e-4 && score < 1e6))
        return (size_t)snprintf(out, 32, "%.6g", score);
    int e = -4; /* 10^e <= score < 10^(e+1) */
    while (score >= p10[e + 5])
        e++;
    double s = score * p10[5 - e + 4], f = floor(s), rest = s - f;
    if (fabs(rest - 0.5) < 1e-6)
        return (size_t)snprintf(out, 32, "%.6g", score);
    unsigned long v = (unsigned long)f + (rest > 0.5);
    if (v >= 1000000) { /* rounded up to the next power of ten */
        v /= 10;
        if (++e > 5)
            return (size_t)snprintf(out, 32, "%.6g", score);
    }
    char digits[7];
    for (int i = 5; i >= 0; i--, v /= 10)
        digits[i] = (char)('0' + v % 10);
    int keep = 6; /* %g drops the zeros that end the fraction */
    while (keep > (e >= 0 ? e + 1 : 0) && digits[keep - 1] == '0')
        keep--;
    size_t n = 0;
    if (e < 0) {
        out[n++] = '0';
        out[n++] = '.';
        for (int i = -1; i > e; i--)
            out[n++] = '0';
        for (int i = 0; i < keep; i++)
            out[n++] = digits[i];
    } else {
        for (int i = 0; i < keep; i++) {
            if (i == e + 1)
                out[n++] = '.';
            out[n++] = digits[i];
        }
    }
    out[n] = 0;
    return n;
}

void ws_cell_put(ws_strbuf *b, const char *v, size_t len, int tsv)
{
    if (tsv) {
        if (!has_any(v, len, '\t', '\n', '\r', '\r')) {
            ws_strbuf_add(b, v, len);
            return;
        }
        size_t from = 0, i = 0;
        for (; i < len; i++)
            if (v[i] == '\t' || v[i] == '\n' || v[i] == '\r') {
                ws_strbuf_add(b, v + from, i - from);
                ws_strbuf_add(b, " ", 1);
                from = i + 1;
            }
        ws_strbuf_add(b, v + from, i - from);
        return;
    }
    /* a spreadsheet takes a cell that begins with = + - @ (or a tab or
     * CR before them) for a formula, which a document's text must never
     * be: such a cell begins with an apostrophe (OWASP's advice), in CSV,
     * the format made for spreadsheets; TSV and JSON lines keep the text */
    int formula = ws_cell_formula(v, len);
    if (!has_any(v, len, ',', '"', '\r', '\n')) {
        if (formula)
            ws_strbuf_add(b, "'", 1);
        ws_strbuf_add(b, v, len);
        return;
    }
    ws_strbuf_add(b, formula ? "\"'" : "\"", formula ? 2 : 1);
    /* the text up to each quote, which is doubled: a body is quoted
     * (it holds commas and line breaks), and copied byte by byte it was
     * most of an export with the bodies */
    for (size_t i = 0; i < len;) {
        const char *q = memchr(v + i, '"', len - i);
        size_t end = q ? (size_t)(q - v) + 1 : len;
        ws_strbuf_add(b, v + i, end - i);
        if (q)
            ws_strbuf_add(b, "\"", 1);
        i = end;
    }
    ws_strbuf_add(b, "\"", 1);
}

void ws_cell_put_row(ws_strbuf *b, const ws_row *r, int tsv)
{
    for (size_t i = 0; i < WS_ROW_COLUMNS; i++) {
        if (r->v[i])
            ws_cell_put(b, r->v[i], r->len[i], tsv);
        ws_strbuf_add(b, tsv ? "\t" : ",", 1);
    }
}
