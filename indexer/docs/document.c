/* document.c - the document record, its JSON form and its checks. */
#include "document.h"
#include "date.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ws_status ws_doc_new(ws_doc **out)
{
    if (!out)
        return WS_EINVAL;
    *out = calloc(1, sizeof **out);
    return *out ? WS_OK : WS_ENOMEM;
}

void ws_doc_free(ws_doc *doc)
{
    if (!doc)
        return;
    free(doc->id);
    free(doc->title);
    free(doc->body);
    free(doc->date);
    free(doc->source);
    free(doc->type);
    free(doc->url);
    json_decref(doc->meta);
    free(doc);
}

ws_status ws_doc_set(char **field, const char *s, size_t len)
{
    if (!field || (!s && len))
        return WS_EINVAL;
    if (len == SIZE_MAX)
        return WS_ETOOBIG;
    char *copy = malloc(len + 1);
    if (!copy)
        return WS_ENOMEM;
    if (len)
        memcpy(copy, s, len);
    copy[len] = '\0';
    free(*field);
    *field = copy;
    return WS_OK;
}

size_t ws_doc_unify_breaks(char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85) {
            s[j++] = '\n';
            i += 2;
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
            s[j++] = '\n';
            if ((unsigned char)s[i + 2] == 0xA9)
                s[j++] = '\n'; /* a paragraph's end, never a wrap joined */
            i += 3;
        } else {
            s[j++] = s[i++];
        }
    }
    s[j] = '\0';
    return j;
}

/* The string fields a document has, in the order to_json writes them. A field
 * with a cap of 0 is bounded only by WS_DOC_MAX_BYTES (title and body together). */
enum { F_ID, F_TITLE, F_BODY, F_DATE, F_SOURCE, F_TYPE, F_URL, F_COUNT };

static const char *const field_names[F_COUNT] = {"id",     "title", "body", "date",
                                                 "source", "type",  "url"};

static char **field_ptr(ws_doc *doc, int f)
{
    switch (f) {
    case F_ID:
        return &doc->id;
    case F_TITLE:
        return &doc->title;
    case F_BODY:
        return &doc->body;
    case F_DATE:
        return &doc->date;
    case F_SOURCE:
        return &doc->source;
    case F_TYPE:
        return &doc->type;
    default:
        return &doc->url;
    }
}

static const char *field_value(const ws_doc *doc, int f)
{
    return *field_ptr((ws_doc *)doc, f);
}

static int field_of_key(const char *key)
{
    for (int f = 0; f < F_COUNT; f++)
        if (strcmp(key, field_names[f]) == 0)
            return f;
    return -1;
}

/* Why a field was refused; the messages are static, as from_json promises. */
static const char *const not_string[F_COUNT] = {
    "\"id\" is not a string",   "\"title\" is not a string",  "\"body\" is not a string",
    "\"date\" is not a string", "\"source\" is not a string", "\"type\" is not a string",
    "\"url\" is not a string",
};
static const char *const too_long[F_COUNT] = {
    "\"id\" is longer than 4096 bytes (WS_DOC_MAX_FIELD)",
    NULL,
    NULL,
    "\"date\" is longer than 4096 bytes (WS_DOC_MAX_FIELD)",
    "\"source\" is longer than 4096 bytes (WS_DOC_MAX_FIELD)",
    "\"type\" is longer than 4096 bytes (WS_DOC_MAX_FIELD)",
    "\"url\" is longer than 4096 bytes (WS_DOC_MAX_FIELD)",
};
static const char *const has_nul[F_COUNT] = {
    "\"id\" contains a NUL character",     "\"title\" contains a NUL character",
    "\"body\" contains a NUL character",   "\"date\" contains a NUL character",
    "\"source\" contains a NUL character", "\"type\" contains a NUL character",
    "\"url\" contains a NUL character",
};

/* Copies one known field from its JSON value; null means absent. */
static ws_status take_field(ws_doc *doc, int f, const json_t *v, const char **why)
{
    if (json_is_null(v))
        return WS_OK;
    if (!json_is_string(v)) {
        *why = not_string[f];
        return WS_EINVAL;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len) { /* only with JSON_ALLOW_NUL, but a C string cannot hold it */
        *why = has_nul[f];
        return WS_EINVAL;
    }
    if (too_long[f] && len > WS_DOC_MAX_FIELD) {
        *why = too_long[f];
        return WS_ETOOBIG;
    }
    if (len > WS_DOC_MAX_BYTES) {
        *why = "title and body are longer than WS_DOC_MAX_BYTES";
        return WS_ETOOBIG;
    }
    char **field = field_ptr(doc, f);
    ws_status st = ws_doc_set(field, s, len);
    if (st != WS_OK)
        *why = "out of memory";
    else if (f == F_TITLE || f == F_BODY)
        ws_doc_unify_breaks(*field, len);
    return st;
}

/* Keeps an unknown member in meta (a deep copy: the input stays the caller's). */
static ws_status take_meta(ws_doc *doc, const char *key, const json_t *v, const char **why)
{
    if (!doc->meta && !(doc->meta = json_object()))
        goto nomem;
    json_t *copy = json_deep_copy(v);
    if (!copy || json_object_set_new(doc->meta, key, copy) != 0)
        goto nomem;
    return WS_OK;
nomem:
    *why = "out of memory";
    return WS_ENOMEM;
}

static const char meta_too_big[] = "the fields other than id, title, body, date, source, type "
                                   "and url take more than 64 KiB as JSON (WS_DOC_MAX_META)";

static const char bad_date[] = "\"date\" is not a real day (YYYY-MM-DD, YYYY/M/D, YYYY.M.D or "
                               "YYYY年M月D日, a time of day after it allowed)";

ws_status ws_doc_from_json(const json_t *obj, ws_doc **out, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *why = NULL;
    if (!out)
        return WS_EINVAL;
    *out = NULL;
    if (!json_is_object(obj)) {
        *why = "not a JSON object";
        return WS_EINVAL;
    }
    ws_doc *doc;
    if (ws_doc_new(&doc) != WS_OK) {
        *why = "out of memory";
        return WS_ENOMEM;
    }
    /* "content" is the reports corpus's name for the body; "body" wins when
     * both are present and "content" is then kept in meta. */
    const json_t *body = json_object_get(obj, "body");
    int content_is_body = !body || json_is_null(body);

    ws_status st = WS_OK;
    const char *key;
    json_t *v;
    /* jansson's iterators take a non-const object; nothing here modifies it. */
    json_object_foreach((json_t *)obj, key, v)
    {
        int f = field_of_key(key);
        if (f < 0 && content_is_body && strcmp(key, "content") == 0)
            f = F_BODY;
        st = f >= 0 ? take_field(doc, f, v, why) : take_meta(doc, key, v, why);
        if (st != WS_OK)
            goto fail;
    }
    if (!doc->id || !doc->id[0]) {
        *why = doc->id ? "\"id\" is empty" : "no \"id\"";
        st = WS_EINVAL;
        goto fail;
    }
    if (doc->date && !doc->date[0]) {
        /* "date": "" says there is none, as null does */
        free(doc->date);
        doc->date = NULL;
    }
    if (doc->date && !ws_date_valid(doc->date)) {
        /* the forms front matter and pages take (2024/3/5, 2024年3月5日, a
         * time after the day): one document, one rule, whatever its file */
        char day[11];
        if (!ws_date_lead(doc->date, day)) {
            *why = bad_date;
            st = WS_EINVAL;
            goto fail;
        }
        if ((st = ws_doc_set(&doc->date, day, 10)) != WS_OK)
            goto fail;
    }
    if (doc->meta && json_dumpb(doc->meta, NULL, 0, JSON_COMPACT) > WS_DOC_MAX_META) {
        *why = meta_too_big;
        st = WS_ETOOBIG;
        goto fail;
    }
    size_t tlen = doc->title ? strlen(doc->title) : 0;
    size_t blen = doc->body ? strlen(doc->body) : 0;
    if (tlen + blen > WS_DOC_MAX_BYTES) {
        *why = "title and body are longer than WS_DOC_MAX_BYTES";
        st = WS_ETOOBIG;
        goto fail;
    }
    *out = doc;
    return WS_OK;
fail:
    ws_doc_free(doc);
    return st;
}

ws_status ws_doc_check(const ws_doc *doc, const char **why)
{
    if (!doc || !doc->id || !doc->id[0]) {
        *why = "no \"id\"";
        return WS_EINVAL;
    }
    for (int f = 0; f < F_COUNT; f++) {
        const char *s = field_value(doc, f);
        if (s && !ws_utf8_valid(s, strlen(s))) {
            *why = f == F_ID ? "the id is not valid UTF-8 (from a file name that is not UTF-8?)"
                             : "a field is not valid UTF-8";
            return WS_EENCODING;
        }
    }
    if (doc->meta && json_dumpb(doc->meta, NULL, 0, JSON_COMPACT) > WS_DOC_MAX_META) {
        *why = meta_too_big; /* a front matter's, which no JSON reader saw */
        return WS_ETOOBIG;
    }
    return WS_OK;
}

json_t *ws_doc_to_json(const ws_doc *doc, int with_body)
{
    if (!doc)
        return NULL;
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    for (int f = 0; f < F_COUNT; f++) {
        const char *s = field_value(doc, f);
        if (!s || (f == F_BODY && !with_body))
            continue;
        /* json_string() checks UTF-8: a document that breaks the promise of
         * document.h gives NULL here rather than invalid JSON. */
        if (json_object_set_new(obj, field_names[f], json_string(s)) != 0)
            goto fail;
    }
    /* Meta members come back at the top level, so that from_json(to_json(d))
     * gives d again; the fields above win over a meta member of the same name. */
    if (json_is_object(doc->meta)) {
        const char *key;
        json_t *v;
        json_object_foreach(doc->meta, key, v)
        {
            if (json_object_get(obj, key) || field_of_key(key) >= 0)
                continue;
            if (json_object_set_new(obj, key, json_deep_copy(v)) != 0)
                goto fail;
        }
    }
    return obj;
fail:
    json_decref(obj);
    return NULL;
}

/* 1 when j holds more than levels nested arrays and objects, itself
 * included: an empty one counts as a level as much as a full one (jansson's
 * parser stops at 2048 levels, so the recursion is bounded). */
static int too_deep(const json_t *j, int levels)
{
    if (!json_is_array(j) && !json_is_object(j))
        return 0;
    if (levels == 0)
        return 1;
    if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            if (too_deep(json_array_get(j, i), levels - 1))
                return 1;
    } else {
        for (void *it = json_object_iter((json_t *)j); it;
             it = json_object_iter_next((json_t *)j, it))
            if (too_deep(json_object_iter_value(it), levels - 1))
                return 1;
    }
    return 0;
}

ws_status ws_doc_from_value(const json_t *j, ws_doc **out, char *why, size_t whylen)
{
    *out = NULL;
    if (too_deep(j, WS_DOC_MAX_DEPTH)) {
        snprintf(why, whylen, "nested deeper than %d levels", WS_DOC_MAX_DEPTH);
        return WS_EINVAL;
    }
    const char *w = NULL;
    ws_status st = ws_doc_from_json(j, out, &w);
    const char *date = json_string_value(json_object_get(j, "date"));
    if (st != WS_OK && w == bad_date && date) /* which value, as front matter says */
        snprintf(why, whylen, "\"date\" \"%.*s\" is not a real day%s",
                 (int)ws_utf8_clip(date, strlen(date), 64), date,
                 bad_date + strlen("\"date\" is not a real day"));
    else if (st != WS_OK)
        snprintf(why, whylen, "%s", w ? w : ws_status_to_string(st));
    return st;
}

const char *ws_doc_json_why(const char *text)
{
    return strstr(text, "JSON_ALLOW_NUL") ? "a string holds \\u0000 (NUL), which no field may"
                                          : text;
}

ws_status ws_doc_parse(const char *text, size_t len, ws_doc **out, char *why, size_t whylen)
{
    *out = NULL;
    json_error_t jerr;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!j) {
        snprintf(why, whylen, "invalid JSON at column %d: %s", jerr.column,
                 ws_doc_json_why(jerr.text));
        return WS_EINVAL;
    }
    ws_status st = ws_doc_from_value(j, out, why, whylen);
    json_decref(j);
    return st;
}
