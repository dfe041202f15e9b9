/* trend.h - how often a query's terms occur over time (or by source, or
 * type): for each bucket, its documents and characters, and for each query
 * the documents that hold its terms and their occurrences, so that rates
 * per 10,000 documents or per million characters can be drawn.
 *
 * Buckets are made of the documents that pass the filters (source, type,
 * from, to), whatever the queries; a query counts as the concordance counts
 * (concordance.h, occurrence.h), over the same filters. A document without
 * a date (or source, type) falls in the bucket whose key is null. The
 * documents and characters of every bucket come from one read of every
 * document, kept for the view of the index it was made on (one view per
 * process), so that only the first trend after a commit pays for it. */
#ifndef WS_TREND_H
#define WS_TREND_H

#include <jansson.h>
#include <stddef.h>
#include "search.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_TREND_MAX_QUERIES 10 /* queries side by side, at most */
/* periods filled with zeros out to a filter's from and to, at most (the
 * periods between the first and the last counted are always filled) */
#define WS_TREND_MAX_PERIODS 12000

typedef enum ws_trend_by {
    WS_TREND_YEAR = 0, /* "2024" */
    WS_TREND_QUARTER,  /* "2024-Q1" */
    WS_TREND_MONTH,    /* "2024-03" */
    WS_TREND_SOURCE,
    WS_TREND_TYPE,
} ws_trend_by;

/* "year", "quarter", "month", "source", "type" into *out; -1 otherwise. */
int ws_trend_by_parse(const char *name, ws_trend_by *out);
const char *ws_trend_by_name(ws_trend_by by);

typedef struct ws_trend_opts {
    ws_search_opts s;           /* the filters (source, type, from, to); s.query is not read */
    const char *const *queries; /* 1 to WS_TREND_MAX_QUERIES */
    size_t nqueries;
    ws_trend_by by;
} ws_trend_opts;

/* {"by", "buckets": [{"key", "documents", "characters", "series": [{"q",
 * "documents", "occurrences"}]}]}: buckets in time order (null last),
 * every period from the first to the last (out to the filter's from and to)
 * present, those without a document as zeros; or by
 * source and type in order of their documents, most first. *out is the
 * caller's. WS_EINVAL (no query, too many) / WS_EQUERY with
 * ws_searcher_errmsg() saying why; WS_EMODIFIED when the index changed
 * during the count. */
ws_status ws_trend_json(ws_searcher *s, const ws_trend_opts *o, json_t **out);

#ifdef __cplusplus
}
#endif
#endif
