/* ingest.c - request bodies to documents (ingest.h). */
#include "ingest.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

typedef struct line {
    const char *p;
    size_t n;
} line;

/* The next line of [*pos, end) without its "\n" or "\r\n"; 0 at the end. */
static int next_line(const char **pos, const char *end, line *l)
{
    if (*pos >= end)
        return 0;
    const char *nl = memchr(*pos, '\n', (size_t)(end - *pos));
    const char *stop = nl ? nl : end;
    l->p = *pos;
    l->n = (size_t)(stop - *pos);
    if (l->n && l->p[l->n - 1] == '\r')
        l->n--;
    *pos = nl ? nl + 1 : end;
    return 1;
}

static int blank(const line *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->p[i] != ' ' && l->p[i] != '\t')
            return 0;
    return 1;
}

typedef struct doclist {
    ws_doc **v;
    size_t n, cap;
} doclist;

static void doclist_free(doclist *dl)
{
    for (size_t i = 0; i < dl->n; i++)
        ws_doc_free(dl->v[i]);
    free(dl->v);
    memset(dl, 0, sizeof *dl);
}

static ws_status doclist_add(doclist *dl, ws_doc *doc)
{
    if (dl->n == dl->cap) {
        size_t cap = dl->cap ? dl->cap * 2 : 16;
        ws_doc **v = realloc(dl->v, cap * sizeof *v);
        if (!v) {
            ws_doc_free(doc);
            return WS_ENOMEM;
        }
        dl->v = v;
        dl->cap = cap;
    }
    dl->v[dl->n++] = doc;
    return WS_OK;
}

/* One parsed JSON value to a document, or err naming lineno. */
static ws_status take(doclist *dl, json_t *j, long lineno, char *err, size_t errlen)
{
    if (json_is_array(j)) {
        snprintf(err, errlen,
                 "line %ld: a JSON array is not taken; send one document, or one per line "
                 "(JSON lines)",
                 lineno);
        return WS_EINVAL;
    }
    ws_doc *doc = NULL;
    char why[256];
    ws_status st = ws_doc_from_value(j, &doc, why, sizeof why);
    if (st == WS_ENOMEM) {
        snprintf(err, errlen, "out of memory");
        return st;
    }
    if (st != WS_OK) {
        snprintf(err, errlen, "line %ld: %s", lineno, why);
        return WS_EINVAL; /* an oversized field is a bad line too: 400, not 413 */
    }
    if (dl->n == WS_INGEST_MAX_DOCS) {
        ws_doc_free(doc);
        snprintf(err, errlen, "more than %d documents in one request; send them in parts",
                 WS_INGEST_MAX_DOCS);
        return WS_ETOOBIG;
    }
    if (doclist_add(dl, doc) != WS_OK) {
        snprintf(err, errlen, "out of memory");
        return WS_ENOMEM;
    }
    return WS_OK;
}

static ws_status parse_lines(doclist *dl, const char *body, size_t len, char *err, size_t errlen)
{
    const char *pos = body, *end = body + len;
    line l;
    long lineno = 0;
    while (next_line(&pos, end, &l)) {
        lineno++;
        if (blank(&l))
            continue;
        json_error_t jerr;
        json_t *j = json_loadb(l.p, l.n, JSON_REJECT_DUPLICATES, &jerr);
        if (!j) {
            snprintf(err, errlen, "line %ld: invalid JSON at column %d: %s", lineno, jerr.column,
                     ws_doc_json_why(jerr.text));
            return WS_EINVAL;
        }
        ws_status st = take(dl, j, lineno, err, errlen);
        json_decref(j);
        if (st != WS_OK)
            return st;
    }
    return WS_OK;
}

ws_status ws_ingest_parse(const char *body, size_t len, ws_doc ***docs, size_t *ndocs, char *err,
                          size_t errlen)
{
    *docs = NULL;
    *ndocs = 0;
    err[0] = '\0';
    /* a byte order mark, which Windows tools write first, as the indexer
     * reads files (docs/reader.c) */
    if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
        body += 3;
        len -= 3;
    }
    /* UTF-8 first, so that the message names the line rather than a byte
     * deep inside jansson's error. */
    const char *pos = body, *end = body + len;
    line l, first = {NULL, 0};
    long lineno = 0, first_no = 0;
    while (next_line(&pos, end, &l)) {
        lineno++;
        if (!ws_http_utf8_valid(l.p, l.n)) {
            snprintf(err, errlen, "line %ld: not valid UTF-8 (or holds a NUL byte)", lineno);
            return WS_EINVAL;
        }
        if (!first.p && !blank(&l)) {
            first = l;
            first_no = lineno;
        }
    }
    if (!first.p) {
        snprintf(err, errlen, "the body holds no document");
        return WS_EINVAL;
    }
    doclist dl = {0};
    ws_status st;
    /* One document, perhaps spread over lines; or else JSON lines. */
    json_error_t jerr;
    json_t *whole = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (whole) {
        st = take(&dl, whole, first_no, err, errlen);
        json_decref(whole);
    } else {
        json_error_t ferr;
        json_t *one = json_loadb(first.p, first.n, JSON_REJECT_DUPLICATES, &ferr);
        int lines = one || strncmp(jerr.text, "end of file expected", 20) == 0;
        json_decref(one);
        if (lines) {
            st = parse_lines(&dl, body, len, err, errlen);
        } else { /* a document over several lines, broken */
            snprintf(err, errlen, "line %d: invalid JSON at column %d: %s", jerr.line, jerr.column,
                     ws_doc_json_why(jerr.text));
            st = WS_EINVAL;
        }
    }
    if (st != WS_OK) {
        doclist_free(&dl);
        return st;
    }
    *docs = dl.v;
    *ndocs = dl.n;
    return WS_OK;
}

int ws_ingest_content_type_ok(const char *value)
{
    static const char *const types[] = {"application/json", "application/x-ndjson",
                                        "application/jsonl"};
    if (!value)
        return 0;
    while (*value == ' ' || *value == '\t')
        value++;
    size_t n = strcspn(value, "; \t");
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (n == strlen(types[i]) && strncasecmp(value, types[i], n) == 0)
            return 1;
    return 0;
}

int ws_ingest_id_ok(const char *id, const char **why)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0)
        *why = "missing document id: /documents/{id}";
    else if (n > WS_DOC_MAX_FIELD)
        *why = "the document id is longer than WS_DOC_MAX_FIELD (4096 bytes)";
    else if (!ws_http_utf8_valid(id, n))
        *why = "the document id is not valid UTF-8";
    else
        return 1;
    return 0;
}
