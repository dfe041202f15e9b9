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

static const char *const keys[] = {"id", "title", "date", "source", "type", "url"};
#define NKEYS (sizeof keys / sizeof *keys)

/* Whether line t is "key: ..." for a key of the document's own. */
static int known_pair(span t)
{
    const char *colon = memchr(t.p, ':', t.n);
    if (!colon)
        return 0;
    span key = ws__trim((span){t.p, (size_t)(colon - t.p)});
    for (size_t i = 0; i < NKEYS; i++)
        if (key.n == strlen(keys[i]) && !strncasecmp(key.p, keys[i], key.n))
            return 1;
    return 0;
}

/* One "key: value" line of front matter into doc; unknown keys go to meta.
 * *seen holds a bit for each of keys[] given so far. */
static ws_status front_matter_pair(const reader *r, long lineno, ws_doc *doc, span key, span val,
                                   unsigned *seen)
{
    char **fields[] = {&doc->id, &doc->title, &doc->date, &doc->source, &doc->type, &doc->url};
    /* YAML quoting, the common case only; unquoted, a '#' after white
     * space begins a comment (id: a1 # the first) */
    const char *close = val.n >= 2 && (val.p[0] == '"' || val.p[0] == '\'')
                            ? memchr(val.p + 1, val.p[0], val.n - 1)
                            : NULL;
    span after =
        close ? ws__trim((span){close + 1, (size_t)(val.p + val.n - close - 1)}) : (span){NULL, 0};
    if (close && (after.n == 0 || after.p[0] == '#')) { /* "a2" # second */
        val = (span){val.p + 1, (size_t)(close - val.p - 1)};
    } else {
        for (size_t i = 1; i < val.n; i++)
            if (val.p[i] == '#' && (val.p[i - 1] == ' ' || val.p[i - 1] == '\t')) {
                val = ws__trim((span){val.p, i});
                break;
            }
    }
    char k[READER_MAX_KEY + 1];
    memcpy(k, key.p, key.n);
    k[key.n] = '\0';
    for (size_t i = 0; i < NKEYS; i++) {
        if (strcasecmp(k, keys[i]) != 0)
            continue;
        /* as a JSON line with a key twice: which one is meant cannot be
         * told, and taking either would index the other wrongly */
        if (*seen & (1u << i)) {
            ws__reader_warnf(r, lineno, "front matter gives \"%s\" twice; document refused",
                             keys[i]);
            return WS_EINVAL;
        }
        *seen |= 1u << i;
        if (i != 1 && val.n > WS_DOC_MAX_FIELD) {
            ws__reader_notef(r, lineno,
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
    if (json_object_get(doc->meta, k)) {
        ws__reader_warnf(r, lineno, "front matter gives \"%s\" twice; document refused", k);
        return WS_EINVAL;
    }
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
    if (!closed) {
        /* a rule (---) that opens a text is text; one followed by the
         * document's keys is front matter whose end was lost, which read
         * as text would index its keys as the body and lose the id and
         * the date */
        scan = pos;
        while (ws__next_line(&scan, end, &line) && ws__trim(line).n == 0)
            ;
        if (ws__trim(line).n && known_pair(ws__trim(line))) {
            ws__reader_warnf(r, 1,
                             "front matter opened by --- has no closing --- line; document "
                             "refused");
            return WS_EINVAL;
        }
        return WS_OK;
    }
    long lineno = 1;
    unsigned seen = 0;
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
            ws__reader_notef(r, lineno, "front matter line is not \"key: value\"; ignored");
            continue;
        }
        span val = {colon + 1, (size_t)(t.p + t.n - colon - 1)};
        ws_status st = front_matter_pair(r, lineno, doc, key, ws__trim(val), &seen);
        if (st != WS_OK)
            return st; /* WS_EINVAL: a bad date or a key twice, already reported */
    }
    *used = (size_t)(pos - text);
    return WS_OK;
}
