/* frontmatter.c - the front matter block of a .txt or .md file
 * (frontmatter.h). */
#include "frontmatter.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"

#define READER_MAX_KEY 128u /* a front matter key */

typedef ws__reader reader;
typedef ws__span span;

static int is_fence(span line)
{
    span t = ws__trim(line);
    return t.n == 3 && memcmp(t.p, "---", 3) == 0 && line.p[0] == '-';
}

/* One "key: value" line of front matter into doc; unknown keys go to meta. */
static ws_status front_matter_pair(const reader *r, long lineno, ws_doc *doc, span key, span val)
{
    static const char *const keys[] = {"id", "title", "date", "source", "type", "url"};
    char **fields[] = {&doc->id, &doc->title, &doc->date, &doc->source, &doc->type, &doc->url};
    /* YAML quoting, the common case only. */
    if (val.n >= 2 && (val.p[0] == '"' || val.p[0] == '\'') && val.p[val.n - 1] == val.p[0]) {
        val.p++;
        val.n -= 2;
    }
    char k[READER_MAX_KEY + 1];
    memcpy(k, key.p, key.n);
    k[key.n] = '\0';
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        if (strcasecmp(k, keys[i]) != 0)
            continue;
        if (i != 1 && val.n > WS_DOC_MAX_FIELD) {
            ws__reader_warnf(r, lineno,
                             "front matter \"%s\" is longer than WS_DOC_MAX_FIELD; ignored", k);
            return WS_OK;
        }
        if (val.n == 0)
            return WS_OK;
        ws_status st = ws_doc_set(fields[i], val.p, val.n);
        char day[11];
        if (st == WS_OK && fields[i] == &doc->date && !ws_date_lead(doc->date, day)) {
            /* As a JSON line with such a date: indexed undated, the document
             * would drop out of every date filter and trend without a word,
             * so it is refused, and the warning says which file to put right. */
            ws__reader_warnf(r, lineno,
                             "front matter date \"%s\" is not a real day (YYYY-MM-DD, a "
                             "time after it allowed); document refused",
                             doc->date);
            return WS_EINVAL;
        }
        if (st == WS_OK && fields[i] == &doc->date) /* the day of Hugo's or Jekyll's time */
            st = ws_doc_set(&doc->date, day, 10);
        return st;
    }
    if (!doc->meta && !(doc->meta = json_object()))
        return WS_ENOMEM;
    json_t *v = json_stringn(val.p, val.n);
    if (!v || json_object_set_new(doc->meta, k, v) != 0)
        return WS_ENOMEM;
    return WS_OK;
}

/* Reads a front matter block at the start of text into doc; *used is the number
 * of bytes it covers (0 when the text has none). */
ws_status ws__frontmatter_read(const reader *r, const char *text, size_t len, ws_doc *doc,
                               size_t *used)
{
    const char *pos = text, *end = text + len;
    span line;
    *used = 0;
    if (!ws__next_line(&pos, end, &line) || !is_fence(line))
        return WS_OK;
    /* Only a closed block is front matter; find the closing fence first. */
    const char *scan = pos;
    int closed = 0;
    while (ws__next_line(&scan, end, &line))
        if (is_fence(line)) {
            closed = 1;
            break;
        }
    if (!closed)
        return WS_OK;
    long lineno = 1;
    while (ws__next_line(&pos, end, &line)) {
        lineno++;
        if (is_fence(line))
            break;
        span t = ws__trim(line);
        if (t.n == 0 || t.p[0] == '#')
            continue;
        const char *colon = memchr(t.p, ':', t.n);
        span key = {t.p, colon ? (size_t)(colon - t.p) : 0};
        key = ws__trim(key);
        if (!colon || key.n == 0 || key.n > READER_MAX_KEY || memchr(key.p, '\0', key.n)) {
            ws__reader_warnf(r, lineno, "front matter line is not \"key: value\"; ignored");
            continue;
        }
        span val = {colon + 1, (size_t)(t.p + t.n - colon - 1)};
        ws_status st = front_matter_pair(r, lineno, doc, key, ws__trim(val));
        if (st != WS_OK)
            return st; /* WS_EINVAL: a bad date, already reported */
    }
    *used = (size_t)(pos - text);
    return WS_OK;
}
