/* reader.c - files to documents: the four formats (.txt, .md, .jsonl,
 * .html). The encoding is encoding.c's, the front matter frontmatter.c's.
 * See reader.h for the contract. */
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer.h"
#include "encoding.h"
#include "frontmatter.h"
#include "html.h"
#include "date.h"
#include "readall.h"
#include "reader_int.h"
#include "utf8.h"

/* Limits. A whole file is mapped (or held) at once, so it has a cap of its own;
 * a JSONL line holds one document, so it gets the document's cap. */
#define READER_MAX_FILE    (256u << 20)
#define READER_MAX_LINE    WS_DOC_MAX_BYTES
#define READER_TITLE_CUT   200u /* bytes kept when a first line is too long to be a title */
#define READER_TITLE_LINES 3u   /* lines a title wrapped by print may take */

enum format { FMT_NONE, FMT_TXT, FMT_MD, FMT_JSONL, FMT_HTML };

typedef ws__reader reader;
typedef ws__span span;

static void say(const ws__reader *r, long line, int refused, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    r->warn(r->ctx, r->name, line, refused, msg);
}

void ws__reader_warnf(const ws__reader *r, long line, const char *fmt, ...)
{
    if (!r->warn)
        return;
    va_list ap;
    va_start(ap, fmt);
    say(r, line, 1, fmt, ap);
    va_end(ap);
}

void ws__reader_notef(const ws__reader *r, long line, const char *fmt, ...)
{
    if (!r->warn)
        return;
    va_list ap;
    va_start(ap, fmt);
    say(r, line, 0, fmt, ap);
    va_end(ap);
}

static enum format format_of(const char *path)
{
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    if (!dot)
        return FMT_NONE;
    dot++;
    if (strcasecmp(dot, "txt") == 0)
        return FMT_TXT;
    if (strcasecmp(dot, "md") == 0)
        return FMT_MD;
    if (strcasecmp(dot, "jsonl") == 0)
        return FMT_JSONL;
    if (strcasecmp(dot, "html") == 0 || strcasecmp(dot, "htm") == 0)
        return FMT_HTML;
    return FMT_NONE;
}

int ws_reader_supports(const char *path)
{
    return path && format_of(path) != FMT_NONE;
}

/* ---- small text helpers ------------------------------------------------ */

/* \r\n and lone \r become \n, in place; returns the new length. */
static size_t unify_newlines(char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r') {
            s[j++] = '\n';
            if (i + 1 < n && s[i + 1] == '\n')
                i++;
        } else {
            s[j++] = s[i];
        }
    }
    s[j] = '\0';
    return j;
}

/* The next line of [*pos, end) without its '\n'; 0 when there is none left. */
int ws__next_line(const char **pos, const char *end, span *line)
{
    if (*pos >= end)
        return 0;
    const char *nl = memchr(*pos, '\n', (size_t)(end - *pos));
    line->p = *pos;
    line->n = (size_t)((nl ? nl : end) - *pos);
    *pos = nl ? nl + 1 : end;
    return 1;
}

ws__span ws__trim(ws__span s)
{
    size_t k;
    while (s.n && (k = ws_utf8_space_at(s.p, s.n)) != 0) {
        s.p += k;
        s.n -= k;
    }
    while ((k = ws_utf8_space_before(s.p, s.n)) != 0)
        s.n -= k;
    return s;
}

/* A date in a file's base name: 20240101, or 2024-01-01 as in "name(2024-01-01).md". */
static int date_from_name(const char *name, char out[11])
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    size_t n = strlen(b);
#define D(i) (b[i] >= '0' && b[i] <= '9')
    for (size_t i = 0; i < n; i++) {
        if (!D(i) || (i > 0 && D(i - 1)))
            continue;
        size_t k = i;
        while (k < n && D(k))
            k++;
        if (k - i == 8) {
            snprintf(out, 11, "%.4s-%.2s-%.2s", b + i, b + i + 4, b + i + 6);
        } else if (k - i == 4 && i + 10 <= n && b[i + 4] == '-' && D(i + 5) && D(i + 6) &&
                   b[i + 7] == '-' && D(i + 8) && D(i + 9) && (i + 10 == n || !D(i + 10))) {
            memcpy(out, b + i, 10);
            out[10] = '\0';
        } else {
            continue;
        }
        if (ws_date_valid(out))
            return 1;
    }
#undef D
    return 0;
}

/* ---- emitting ---------------------------------------------------------- */

/* Gives doc its default id, its line breaks as '\n' (a JSON document
 * has them from ws_doc_from_json) and checks its size, then hands it to
 * emit. */
static ws_status finish(const reader *r, ws_doc *doc)
{
    ws_status st = WS_OK;
    if (doc->title)
        ws_doc_unify_breaks(doc->title, strlen(doc->title));
    if (doc->body)
        ws_doc_unify_breaks(doc->body, strlen(doc->body));
    if (!doc->id) {
        const char *id = r->default_id && r->default_id[0] ? r->default_id : r->name;
        if ((st = ws_doc_set(&doc->id, id, strlen(id))) != WS_OK)
            goto fail;
    }
    size_t size = (doc->title ? strlen(doc->title) : 0) + (doc->body ? strlen(doc->body) : 0);
    if (size > WS_DOC_MAX_BYTES) {
        ws__reader_warnf(r, 0, "document of %zu bytes exceeds WS_DOC_MAX_BYTES (%u); refused", size,
                         WS_DOC_MAX_BYTES);
        st = WS_ETOOBIG;
        goto fail;
    }
    return r->emit(r->ctx, doc);
fail:
    ws_doc_free(doc);
    return st;
}

/* ---- .txt and .md ------------------------------------------------------ */

/* Sets the title from a line, cut when it is too long to be one; returns 1 when
 * it was cut (the line then stays in the body, so no text is lost). */
static int set_title(ws_doc *doc, span t, ws_status *st)
{
    int cut = t.n > WS_DOC_MAX_FIELD;
    if (cut)
        t.n = ws_utf8_clip(t.p, t.n, READER_TITLE_CUT);
    *st = ws_doc_set(&doc->title, t.p, t.n);
    return cut;
}

/* The first and the last code point of a non-empty span. */
static uint32_t first_cp(span s)
{
    uint32_t cp;
    ws_utf8_decode((const unsigned char *)s.p, s.n, &cp);
    return cp;
}

static uint32_t last_cp(span s)
{
    size_t i = s.n - 1;
    while (i > 0 && s.n - i < 4 && ((unsigned char)s.p[i] & 0xC0) == 0x80)
        i--;
    uint32_t cp;
    ws_utf8_decode((const unsigned char *)s.p + i, s.n - i, &cp);
    return cp;
}

static int ends_with(span s, const char *suffix)
{
    size_t k = strlen(suffix);
    return s.n >= k && memcmp(s.p + s.n - k, suffix, k) == 0;
}

/* A .txt title that print wrapped (扩区调区获批 园区发展空 / 间再拓展): the
 * first line t and the lines after it (from pos), when they make a paragraph
 * of at most READER_TITLE_LINES lines ended by a blank line, each break is
 * one the analyzer joins (ws_analyzer_joins_break), no line is indented, and
 * no line ends a sentence or in a colon (各区县人民政府： is an addressee, not
 * the rest of a title). Then *out gets the lines joined (the caller frees)
 * and *rest the position after them; otherwise *out is NULL. WS_ENOMEM. */
static ws_status wrapped_title(span t, const char *pos, const char *end, char **out, size_t *out_n,
                               const char **rest)
{
    static const char *const stops[] = {"。", "！", "？", "；", "：", ":", ";"};
    span lines[READER_TITLE_LINES];
    size_t n = 0, total = t.n;
    const char *p = pos, *after = pos;
    span line;
    int blank = 0;
    *out = NULL;
    lines[n++] = t;
    while (ws__next_line(&p, end, &line)) {
        span u = ws__trim(line);
        if (u.n == 0) {
            blank = 1;
            break;
        }
        if (n == READER_TITLE_LINES || ws_utf8_space_at(line.p, line.n) ||
            !ws_analyzer_joins_break(last_cp(lines[n - 1]), first_cp(u)))
            return WS_OK;
        lines[n++] = u;
        total += u.n;
        after = p;
    }
    if (n == 1 || !blank || total > READER_TITLE_CUT)
        return WS_OK;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof stops / sizeof stops[0]; k++)
            if (ends_with(lines[i], stops[k]))
                return WS_OK;
    char *s = malloc(total + 1);
    if (!s)
        return WS_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(s + m, lines[i].p, lines[i].n);
        m += lines[i].n;
    }
    s[m] = '\0';
    *out = s;
    *out_n = m;
    *rest = after;
    return WS_OK;
}

/* Where the comment that opens at text[i] ("<!--") ends, past its "-->"
 * (CommonMark's: "<!-->" and "<!--->" are whole comments); 0 when it is
 * never closed (then it is text). */
static size_t comment_end(const char *text, size_t len, size_t i)
{
    size_t j = i + 4;
    if (j < len && text[j] == '>')
        return j + 1;
    if (j + 1 < len && text[j] == '-' && text[j + 1] == '>')
        return j + 2;
    const char *close = memmem(text + j, len - j, "-->", 3);
    return close ? (size_t)(close - text) + 3 : 0;
}

/* The fence that the line text[i, eol) is (CommonMark: at most three
 * spaces, then three or more backticks or tildes; a backtick fence's info
 * string holds no backtick), as its character and length, or 0. A closing
 * fence must match the opening's character, be as long at least, and hold
 * nothing else but spaces: close is the opening fence, or 0 to open one. */
static size_t fence_at(const char *text, size_t i, size_t eol, char *ch, size_t close_len,
                       char close_ch)
{
    size_t k = i;
    while (k < i + 3 && k < eol && text[k] == ' ')
        k++;
    char c = k < eol ? text[k] : 0;
    if (c != '`' && c != '~')
        return 0;
    size_t n = 0;
    while (k + n < eol && text[k + n] == c)
        n++;
    if (n < 3)
        return 0;
    const char *rest = text + k + n;
    size_t rlen = eol - (k + n);
    if (close_len) {
        if (c != close_ch || n < close_len)
            return 0;
        for (size_t j = 0; j < rlen; j++)
            if (rest[j] != ' ' && rest[j] != '\t' && rest[j] != '\n' && rest[j] != '\r')
                return 0;
    } else if (c == '`' && memchr(rest, '`', rlen)) {
        return 0; /* ```x``` is inline code */
    }
    *ch = c;
    return n;
}

/* Takes out of Markdown text, in place, the HTML comments that begin a
 * line (after at most three spaces: CommonMark's HTML blocks, such as the
 * laws' <!-- INFO END -->), with their line breaks kept, and returns the
 * new length: a reader of the page never sees them, so neither do a
 * search, its snippets nor its counts. A comment inside a line, or in a
 * fenced code block, is the text's (`<!--` in code is what it says), and
 * one never closed is text. */
static size_t drop_comments(char *text, size_t len)
{
    size_t w = 0, i = 0, fence = 0; /* fence: the open one's length, 0 outside */
    char fence_ch = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t eol = nl ? (size_t)(nl - text) + 1 : len, k = i;
        while (k < i + 3 && k < eol && text[k] == ' ')
            k++;
        char c;
        size_t f = fence_at(text, i, eol, &c, fence, fence_ch);
        if (f && fence)
            fence = 0; /* closed */
        else if (f)
            fence = f, fence_ch = c;
        int fenced = fence || f;
        size_t end =
            !fenced && k + 4 <= len && !memcmp(text + k, "<!--", 4) ? comment_end(text, len, k) : 0;
        if (!end) { /* the line as it is */
            memmove(text + w, text + i, eol - i);
            w += eol - i;
            i = eol;
            continue;
        }
        for (size_t c = i; c < end; c++) /* the comment's breaks, and the rest of its last line */
            if (text[c] == '\n')
                text[w++] = '\n';
        i = end;
        const char *nl2 = memchr(text + i, '\n', len - i);
        size_t rest = nl2 ? (size_t)(nl2 - text) + 1 : len;
        memmove(text + w, text + i, rest - i);
        w += rest - i;
        i = rest;
    }
    if (w < len)
        text[w] = '\0';
    return w;
}

static ws_status read_text(const reader *r, char *text, size_t len, int md)
{
    len = ws_doc_unify_breaks(text, unify_newlines(text, len)); /* before the title is found */
    if (md)
        len = drop_comments(text, len);
    ws_doc *doc;
    ws_status st = ws_doc_new(&doc);
    if (st != WS_OK)
        return st;
    size_t fm;
    if ((st = ws__frontmatter_read(r, text, len, doc, &fm)) == WS_EINVAL) {
        ws_doc_free(doc); /* refused and reported, the read goes on */
        return WS_OK;
    }
    if (st != WS_OK)
        goto fail;
    const char *pos = text + fm, *end = text + len;
    span body = {pos, len - fm};
    span line;
    if (!doc->title && md) {
        /* The first "# " heading; the body keeps the rest of the text,
         * Markdown and all, but that line: else every word of the title
         * would be counted twice, in the title and in the body. */
        while (ws__next_line(&pos, end, &line)) {
            if (line.n >= 2 && line.p[0] == '#' && (line.p[1] == ' ' || line.p[1] == '\t')) {
                span t = {line.p + 2, line.n - 2};
                t = ws__trim(t);
                while (t.n && t.p[t.n - 1] == '#') /* closing hashes: "# Title #" */
                    t.n--;
                if (!set_title(doc, ws__trim(t), &st)) { /* (a title cut short stays in the body) */
                    size_t rest = (size_t)(end - pos);   /* the line goes, with its line end */
                    memmove((char *)line.p, pos, rest);  /* text is ours to change */
                    end = line.p + rest;
                }
                body = (span){text + fm, (size_t)(end - (text + fm))};
                break;
            }
        }
        pos = text + fm;
    }
    if (!doc->title && st == WS_OK) {
        /* .txt, or .md without a heading: the first non-empty line. */
        while (ws__next_line(&pos, end, &line)) {
            span t = ws__trim(line);
            if (md)
                while (t.n && t.p[0] == '#')
                    t.p++, t.n--;
            t = ws__trim(t);
            if (t.n == 0)
                continue;
            char *joined = NULL;
            size_t joined_n = 0;
            const char *rest = NULL;
            if (!md && (st = wrapped_title(t, pos, end, &joined, &joined_n, &rest)) != WS_OK)
                break;
            if (joined) {
                st = ws_doc_set(&doc->title, joined, joined_n);
                free(joined);
                body = (span){rest, (size_t)(end - rest)};
                break;
            }
            int cut = set_title(doc, t, &st);
            if (!md && !cut)
                body = (span){pos, (size_t)(end - pos)};
            break;
        }
    }
    if (st != WS_OK)
        goto fail;
    body = ws__trim(body);
    if (!doc->title && body.n == 0) { /* nothing to index: an empty or blank file */
        ws_doc_free(doc);
        return WS_OK;
    }
    if ((st = ws_doc_set(&doc->body, body.p, body.n)) != WS_OK)
        goto fail;
    char date[11];
    if (!doc->date && date_from_name(r->name, date) &&
        (st = ws_doc_set(&doc->date, date, 10)) != WS_OK)
        goto fail;
    return finish(r, doc);
fail:
    ws_doc_free(doc);
    return st;
}

/* ---- .html ------------------------------------------------------------- */

static ws_status read_html(const reader *r, const char *text, size_t len)
{
    char *title = NULL, *visible = NULL;
    int cut;
    ws_html_meta meta;
    ws_status st = ws_html_extract(text, len, &title, &visible, &cut, &meta);
    if (st == WS_OK && cut)
        ws__reader_notef(r, 0,
                         "the HTML parser stopped early; the text past that point is not indexed");
    if (st == WS_OK && !visible)
        ws__reader_warnf(r, 0, "no visible text (only markup, scripts or comments): no document");
    if (st != WS_OK || !visible)
        return st; /* an error, or nothing visible */
    ws_doc *doc = NULL;
    if ((st = ws_doc_new(&doc)) != WS_OK)
        goto out;
    doc->title = title;
    title = NULL;
    if (doc->title && strlen(doc->title) > WS_DOC_MAX_FIELD)
        doc->title[ws_utf8_clip(doc->title, strlen(doc->title), READER_TITLE_CUT)] = '\0';
    span body = ws__trim((span){visible, strlen(visible)});
    if ((!doc->title || !doc->title[0]) && body.n == 0) {
        ws__reader_warnf(r, 0, "no visible text (only markup, scripts or comments): no document");
        goto out;
    }
    if ((st = ws_doc_set(&doc->body, body.p, body.n)) != WS_OK)
        goto out;
    /* A page has no front matter: the date its <meta> gives, else its name's. */
    char date[11];
    if (meta.date[0] && (st = ws_doc_set(&doc->date, meta.date, 10)) != WS_OK)
        goto out;
    if (!doc->date && date_from_name(r->name, date) &&
        (st = ws_doc_set(&doc->date, date, 10)) != WS_OK)
        goto out;
    free(visible);
    return finish(r, doc);
out:
    ws_doc_free(doc);
    free(title);
    free(visible);
    return st;
}

/* ---- .jsonl ------------------------------------------------------------ */

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
            return 0;
    return 1;
}

/* One line: a bad line is reported and skipped; only emit's status, or running
 * out of memory, stops the file. JSON text is UTF-8 (RFC 8259): a line that
 * is not is skipped, not guessed at (read_jsonl converts a whole file that
 * is in one other encoding before this). */
static ws_status read_jsonl_line(const reader *r, const char *line, size_t n, long lineno)
{
    char *clean = NULL;
    ws__utf8_scan sc;
    ws__encoding_scan(line, n, &sc);
    if (sc.bad) {
        size_t at, where;
        ws__encoding_first_bad(line, n, &at, &where);
        ws__reader_warnf(r, lineno,
                         "line is not UTF-8 (at byte %zu of the line, counted from 0), as JSON "
                         "must be; skipped",
                         at);
        return WS_OK;
    }
    if (sc.nul) {
        if (!(clean = malloc(n)))
            return WS_ENOMEM;
        size_t j = 0;
        for (size_t i = 0; i < n; i++)
            if (line[i])
                clean[j++] = line[i];
        line = clean;
        n = j;
    }
    ws_doc *doc;
    char why[256];
    ws_status st = ws_doc_parse(line, n, &doc, why, sizeof why);
    free(clean);
    if (st == WS_ENOMEM)
        return st;
    if (st != WS_OK) {
        ws__reader_warnf(r, lineno, "%s; skipped", why);
        return WS_OK;
    }
    return r->emit(r->ctx, doc);
}

/* Lines are read in place from the mapped file: nothing is copied but a line
 * that has NUL bytes. A file that is not all UTF-8 is judged whole first
 * (ws__encoding_decode): in one encoding throughout that ICU's detection
 * tells, GB18030 as a rule (an export from a Windows-era tool), it is
 * converted and read; UTF-8 with some lines damaged, or a file mixing
 * encodings, is read line by line and those lines are skipped, each with
 * its line number, rather than every line decoded as GB18030. */
static ws_status read_jsonl(const reader *r, const char *data, size_t len)
{
    char *conv = NULL;
    ws__utf8_scan sc;
    ws__encoding_scan(data, len, &sc);
    if (sc.bad) {
        size_t n;
        ws__encoding_verdict v;
        ws_status st = ws__encoding_decode(data, len, NULL, &conv, &n, &v);
        if (st == WS_OK) {
            data = conv;
            len = n;
        } else if (st != WS_EENCODING) {
            return st;
        }
    }
    const char *pos = data, *end = data + len;
    if (len >= 3 && memcmp(pos, "\xEF\xBB\xBF", 3) == 0)
        pos += 3;
    span line;
    long lineno = 0;
    ws_status st = WS_OK;
    while (st == WS_OK && ws__next_line(&pos, end, &line)) {
        lineno++;
        if (line.n > READER_MAX_LINE) {
            ws__reader_warnf(r, lineno, "line of %zu bytes is longer than the limit (%u); skipped",
                             line.n, READER_MAX_LINE);
            continue;
        }
        if (is_blank(line.p, line.n))
            continue;
        st = read_jsonl_line(r, line.p, line.n, lineno);
    }
    free(conv);
    return st;
}

/* ---- entry points ------------------------------------------------------ */

ws_status ws_reader_read_buffer(const char *name, const char *data, size_t len,
                                const char *default_id, ws_reader_emit_cb emit,
                                ws_reader_warn_cb warn, void *ctx)
{
    if (!name || !emit || (!data && len))
        return WS_EINVAL;
    reader r = {name, default_id, emit, warn, ctx};
    enum format f = format_of(name);
    if (f == FMT_NONE) {
        ws__reader_warnf(
            &r, 0, "unsupported file type (Wensuo reads .txt, .md, .jsonl and .html or .htm)");
        return WS_EINVAL;
    }
    if (len > READER_MAX_FILE) {
        ws__reader_warnf(&r, 0, "file of %zu bytes is larger than the limit (%u); refused", len,
                         READER_MAX_FILE);
        return WS_ETOOBIG;
    }
    if (len == 0)
        return WS_OK;
    if (f == FMT_JSONL)
        return read_jsonl(&r, data, len);

    /* A page's own <meta> charset counts only for text that is not UTF-8
     * (encoding.h): it is looked for only then. */
    char declared[64] = "";
    ws__encoding_hint hint = {declared, f == FMT_HTML};
    ws__utf8_scan sc;
    ws_status st = WS_OK;
    if (f == FMT_HTML && (ws__encoding_scan(data, len, &sc), sc.bad) &&
        (st = ws_html_find_charset(data, len, declared, sizeof declared)) != WS_OK)
        return st;
    char *text;
    size_t n;
    ws__encoding_verdict v;
    st = ws__encoding_decode(data, len, &hint, &text, &n, &v);
    if (st == WS_EENCODING) {
        ws__reader_warnf(&r, v.line, "%s; file refused", v.why);
        return st;
    }
    if (st != WS_OK) {
        ws__reader_warnf(&r, 0, "cannot convert the text: %s", ws_status_to_string(st));
        return st;
    }
    st = f == FMT_HTML ? read_html(&r, text, n) : read_text(&r, text, n, f == FMT_MD);
    free(text);
    return st;
}

ws_status ws_reader_read_file(const char *path, const char *default_id, ws_reader_emit_cb emit,
                              ws_reader_warn_cb warn, void *ctx)
{
    if (!path || !emit)
        return WS_EINVAL;
    reader r = {path, default_id, emit, warn, ctx};
    struct stat dir;
    if (stat(path, &dir) == 0 && S_ISDIR(dir.st_mode)) {
        ws__reader_warnf(&r, 0, "a folder: give its files (wensuo-index walks folders)");
        return WS_EINVAL;
    }
    if (format_of(path) == FMT_NONE) {
        ws__reader_warnf(
            &r, 0, "unsupported file type (Wensuo reads .txt, .md, .jsonl and .html or .htm)");
        return WS_EINVAL;
    }
    /* O_NONBLOCK: a FIFO (or a device) given or swapped in for a file must
     * not block the open; fstat then refuses it */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        ws__reader_warnf(&r, 0, "cannot open: %s", strerror(errno));
        return WS_EIO;
    }
    struct stat sb;
    ws_status st = WS_OK;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        ws__reader_warnf(&r, 0, "not a regular file (a FIFO, a device or a folder): refused");
        st = WS_EIO;
    } else if ((uintmax_t)sb.st_size > READER_MAX_FILE) {
        ws__reader_warnf(&r, 0, "file of %jd bytes is larger than the limit (%u); refused",
                         (intmax_t)sb.st_size, READER_MAX_FILE);
        st = WS_ETOOBIG;
    }
    if (st != WS_OK || sb.st_size == 0) {
        close(fd);
        return st;
    }
    /* read, not mapped: a mapped file cut short by someone else while it
     * is read raises SIGBUS, which killed the run with no word of the file */
    size_t size = (size_t)sb.st_size;
    char *data = malloc(size);
    if (!data) {
        close(fd);
        return WS_ENOMEM;
    }
    if ((st = ws_readall(fd, data, size)) != WS_OK) {
        if (st == WS_EIO)
            ws__reader_warnf(&r, 0, "cannot read: %s", strerror(errno));
        else
            ws__reader_warnf(&r, 0,
                             "shorter than its size: cut while it was read (being written?); "
                             "skipped");
        close(fd);
        free(data);
        return WS_EIO;
    }
    close(fd);
    st = ws_reader_read_buffer(path, data, size, default_id, emit, warn, ctx);
    free(data);
    return st;
}
