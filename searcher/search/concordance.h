/* concordance.h - every passage that holds what a query matched (KWIC:
 * key word in context), one line per occurrence, in every matching
 * document, with exact totals and a cursor for the next page.
 *
 * Occurrences are found in the stored title and body of each document the
 * query's strict plan matches, with its filters (occurrence.h says how).
 * A line is the text as written: `width` characters on each side of the
 * match, within the same field, line breaks shown as spaces. Totals count
 * every occurrence and every document that holds one.
 *
 * Order: by date (newest first; `date_asc` oldest first) or relevance, then
 * in text order within a document (title first); or by the characters
 * nearest the match on the left (read leftwards) or the right, compared by
 * code point, then by date order. A page ends with a cursor (opaque text)
 * that names the view of the index it was cut from; the next page with a
 * cursor from another view, or older than WS_KWIC_CURSOR_MAX_AGE, is
 * refused (WS_EMODIFIED / WS_EINVAL with the message set) rather than
 * continued from different documents. */
#ifndef WS_CONCORDANCE_H
#define WS_CONCORDANCE_H

#include <jansson.h>
#include <stddef.h>
#include "search.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Named limits on what a concordance may ask. */
#define WS_KWIC_WIDTH            20      /* characters each side, by default */
#define WS_KWIC_MAX_WIDTH        200     /* at most */
#define WS_KWIC_LIMIT            100     /* lines a page, by default */
#define WS_KWIC_MAX_LIMIT        10000   /* lines a page, at most */
#define WS_KWIC_MAX_SORTED       2000000 /* lines sorted by their context (left, right) */
#define WS_KWIC_CURSOR_MAX_AGE   3600    /* seconds a cursor stays good */
#define WS_KWIC_CURSOR_MAX_BYTES 512

typedef enum ws_kwic_sort {
    WS_KWIC_SORT_DATE = 0, /* newest first */
    WS_KWIC_SORT_DATE_ASC,
    WS_KWIC_SORT_LEFT,
    WS_KWIC_SORT_RIGHT,
    WS_KWIC_SORT_RELEVANCE,
} ws_kwic_sort;

/* "date", "date_asc", "left", "right", "relevance" into *out; -1 for any
 * other name. */
int ws_kwic_sort_parse(const char *name, ws_kwic_sort *out);

typedef struct ws_kwic_opts {
    ws_search_opts s; /* the query and its filters (source, type, from, to);
                         the rest of it is not used */
    unsigned width;   /* 0: WS_KWIC_WIDTH */
    unsigned limit;   /* lines of this page; 0: every line from the cursor on */
    ws_kwic_sort sort;
    const char *cursor; /* NULL or "" for the first page */
} ws_kwic_opts;

/* One line; every string valid during the callback only. Fields a document
 * lacks are NULL. */
typedef struct ws_kwic_line {
    const char *id, *title, *date, *source, *type, *url;
    const char *left, *match, *right;
} ws_kwic_line;

typedef ws_status (*ws_kwic_cb)(void *ctx, const ws_kwic_line *line);

typedef struct ws_kwic_totals {
    unsigned long occurrences;           /* every occurrence, every page */
    unsigned long documents;             /* documents that hold one */
    char next[WS_KWIC_CURSOR_MAX_BYTES]; /* the cursor of the next page, "" at the end */
} ws_kwic_totals;

/* Calls cb for each line of the page in order; *totals gets the totals and
 * the next cursor. A status other than WS_OK from cb stops the run and is
 * returned. WS_EQUERY / WS_EINVAL (width, limit, cursor) / WS_ETOOBIG (more
 * lines than WS_KWIC_MAX_SORTED to sort by context) / WS_EMODIFIED (the
 * cursor's view is gone, or the index changed during the run), with
 * ws_searcher_errmsg() saying what to do. */
ws_status ws_concordance_run(ws_searcher *s, const ws_kwic_opts *o, ws_kwic_cb cb, void *ctx,
                             ws_kwic_totals *totals);

/* A page as JSON: {"total_occurrences", "total_documents", "lines": [{"id",
 * "title", "date", "source", "type", "left", "match", "right"}], "next":
 * cursor or null}. *out is the caller's. */
ws_status ws_concordance_json(ws_searcher *s, const ws_kwic_opts *o, json_t **out);

#ifdef __cplusplus
}
#endif
#endif
