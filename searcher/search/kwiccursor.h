/* kwiccursor.h - the cursor of a concordance's page (concordance.h): where
 * the next page starts, the totals counted on the first, and what it was
 * cut from (the view of the index, the query and its filters, the sort, the
 * time it was made), written as opaque text and read back, refused when it
 * is not this server's or no longer follows on. Internal to the search
 * layer; a cursor is the caller's, by value. */
#ifndef WS_KWICCURSOR_H
#define WS_KWICCURSOR_H

#include "concordance.h"
#include "engine.h"
#include "search.h"
#include "status.h"

/* The most occurrences a cursor's total may carry: what a JSON number
 * holds exactly (2^53 - 1), far above any index's. */
#define WS_KWIC_CURSOR_MAX_TOTAL 9007199254740991ull

typedef struct ws_kwiccursor {
    char view[WS_DB_VIEW_LEN];
    long long made;
    unsigned long long qhash;
    unsigned sort;
    unsigned long k;    /* lines before the page */
    unsigned long i, j; /* document (in the list) and occurrence of its first line */
    unsigned long tocc, tdocs;
} ws_kwiccursor;

/* The hash of o's query and filters that a cursor carries. */
unsigned long long ws_kwiccursor_query_hash(const ws_kwic_opts *o);

/* c as text into out (at least WS_KWIC_CURSOR_MAX_BYTES bytes). */
void ws_kwiccursor_write(const ws_kwiccursor *c, char *out);

/* What a cursor that is not this server's, or makes no sense, is told. */
extern const char ws_kwiccursor_not_ours[];

/* o->cursor into *c, checked against o and view (the view the page is cut
 * from), its totals for sense (some lines, in at most the view's documents,
 * at most WS_KWIC_CURSOR_MAX_TOTAL): WS_EINVAL (not this server's, another
 * query, filter or sort, too old, totals that make no sense) or
 * WS_EMODIFIED (another view), with s's message set; another status when
 * the index cannot be read. */
ws_status ws_kwiccursor_read(ws_searcher *s, const ws_kwic_opts *o, const char *view,
                             ws_kwiccursor *c);

#endif
