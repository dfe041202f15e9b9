/* ingest.h - the body of POST /documents turned into documents, all or
 * nothing.
 *
 * A body is one JSON document (it may span lines) or JSON lines: one
 * document per line, blank lines skipped. Every line is checked before any
 * document is kept: valid UTF-8, valid JSON, an object, the fields and caps
 * of document.h (id present, dates real), nesting at most
 * WS_DOC_MAX_DEPTH (document.h). The first bad line refuses the
 * whole body, and the message names it: "line 3: no \"id\"". */
#ifndef WS_INGEST_H
#define WS_INGEST_H

#include <stddef.h>
#include "document.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_INGEST_MAX_DOCS 100000 /* documents in one request (413 beyond) */

/* Parses body[0..len), after a UTF-8 byte order mark if it opens with
 * one, into *docs, an array of *ndocs documents that the caller owns
 * (ws_doc_free each, then free the array). On failure *docs is NULL,
 * *ndocs 0 and err says why, naming the line:
 *   WS_EINVAL   a bad line, or no document at all
 *   WS_ETOOBIG  more than WS_INGEST_MAX_DOCS documents
 *   WS_ENOMEM */
ws_status ws_ingest_parse(const char *body, size_t len, ws_doc ***docs, size_t *ndocs, char *err,
                          size_t errlen);

/* 1 when a Content-Type header value is application/json,
 * application/x-ndjson or application/jsonl (parameters such as
 * charset=utf-8 allowed). A web page can post text/plain or a form to any
 * site without asking; it cannot send these types without the daemon's
 * consent (a CORS preflight), which the daemon never gives. */
int ws_ingest_content_type_ok(const char *value);

/* 1 when the document id taken from a URL is acceptable (non-empty, UTF-8,
 * at most WS_DOC_MAX_FIELD bytes); otherwise *why says what is wrong. */
int ws_ingest_id_ok(const char *id, const char **why);

#ifdef __cplusplus
}
#endif
#endif
