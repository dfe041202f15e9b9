/* reading.h - a stored document for reading, with where a query's terms
 * stand in it (occurrence.h), for the reading view of the page and
 * `wensuo show`. */
#ifndef WS_READING_H
#define WS_READING_H

#include <jansson.h>
#include "search.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The stored document with this id (as ws_searcher_get gives it) plus
 * "occurrences": {"title": [[start, end], ...], "body": [[start, end], ...]},
 * the occurrences of query's terms in text order, as offsets in characters
 * (code points, not bytes or UTF-16 units) into the title and the body,
 * [start, end), and "matches": whether the document matches the query (a
 * relaxed hit, or one opened by id, may not: its occurrences are still
 * where the query's terms stand; left out when that cannot be told, for a
 * proximity over remote shards). *out is the caller's. WS_ENOTFOUND; WS_EQUERY / WS_EINVAL
 * for a query that cannot be parsed, with ws_searcher_errmsg() saying why
 * (a query of filters or NOT alone gives no occurrence, and no error). */
ws_status ws_reading_json(ws_searcher *s, const char *id, const char *query, json_t **out);

#ifdef __cplusplus
}
#endif
#endif
