/* document.h - a document as Wensuo stores and returns it.
 *
 * A ws_doc owns every string it points to; ws_doc_free() frees them all.
 * Strings are NUL-terminated, valid UTF-8 (readers guarantee it), and may be
 * NULL where a field is absent (id is never NULL in a document that is indexed). */
#ifndef WS_DOCUMENT_H
#define WS_DOCUMENT_H

#include <stddef.h>
#include <jansson.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits on what a document may hold. */
#define WS_DOC_MAX_BYTES (64u << 20) /* title + body of one document */
#define WS_DOC_MAX_FIELD 4096u       /* id, date, source, type, url */
/* The other fields together, as compact JSON: they are kept with the
 * document and written into every hit that lists it, so that a few
 * documents carrying megabytes of them made every search that found them
 * take seconds (a corpus's own run to 3 KiB). */
#define WS_DOC_MAX_META (64u << 10)

typedef struct ws_doc {
    char *id; /* unique, stable; any length */
    char *title;
    char *body;
    char *date;   /* YYYY-MM-DD, or NULL */
    char *source; /* e.g. 经济法, 新闻联播 */
    char *type;   /* news, law, report, policy, ... */
    char *url;
    json_t *meta; /* other fields, kept and returned; a JSON object or NULL; owned */
} ws_doc;

/* A new, empty document in *out; free it with ws_doc_free(). */
ws_status ws_doc_new(ws_doc **out);
void ws_doc_free(ws_doc *doc);

/* Replace one string field with a copy of [s, s+len). */
ws_status ws_doc_set(char **field, const char *s, size_t len);

/* Makes NEL (U+0085) and LINE SEPARATOR (U+2028) in s[0..n) a line break
 * ('\n') and PARAGRAPH SEPARATOR (U+2029) a blank line ("\n\n"), in
 * place, and returns the new length (s is NUL-terminated there): the
 * analysis, the paragraphs of PARAGRAPH, concordance lines, snippets and
 * the reading view all know a line break as '\n' (and '\r'), and a
 * single one between Chinese characters as a hard wrap, joined. Every
 * reader applies it to a document's title and body, which keep the
 * breaks so made. */
size_t ws_doc_unify_breaks(char *s, size_t n);

/* The nesting of a document's JSON, at most (deeper: refused). */
#define WS_DOC_MAX_DEPTH 32

/* Fill a document from a JSON object with the fields above; unknown fields go to
 * meta. On failure *why names the problem (a static string). */
ws_status ws_doc_from_json(const json_t *obj, ws_doc **out, const char **why);

/* jansson's reason (json_error_t's text) as a person reads it: the one
 * that names a flag of the library (a string holding \u0000) says what
 * was refused instead; any other as it is. Static or text itself. */
const char *ws_doc_json_why(const char *text);

/* The one reader of a document written as JSON text (a line of a .jsonl
 * file, a request's body or line), with one rule for both: valid JSON, one
 * object, no key twice (which value was meant cannot be known), nested at
 * most WS_DOC_MAX_DEPTH, then ws_doc_from_json. On failure *out is NULL and
 * why (whylen bytes) says what is wrong, e.g. "invalid JSON at column 3:
 * ...". The caller frees *out with ws_doc_free. */
ws_status ws_doc_parse(const char *text, size_t len, ws_doc **out, char *why, size_t whylen);

/* The same for JSON already parsed (with JSON_REJECT_DUPLICATES); why as
 * ws_doc_parse. */
ws_status ws_doc_from_value(const json_t *j, ws_doc **out, char *why, size_t whylen);

/* The document as a new JSON object (the caller owns the reference). The body is
 * left out when with_body is 0. */
json_t *ws_doc_to_json(const ws_doc *doc, int with_body);

/* Checks that doc keeps the promise above: an id that is not empty, every
 * string valid UTF-8 and its other fields within WS_DOC_MAX_META. WS_OK, or
 * WS_EINVAL / WS_EENCODING / WS_ETOOBIG with *why naming the problem (a
 * static string). A document from a file name that is not UTF-8 is the
 * usual case. */
ws_status ws_doc_check(const ws_doc *doc, const char **why);

#ifdef __cplusplus
}
#endif
#endif
