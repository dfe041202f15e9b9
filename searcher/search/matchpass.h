/* matchpass.h - one pass over the documents a query matches, in docid
 * order, each read with the query's occurrences in it (textdoc.h): what the
 * counting instruments (collocates, trend) walk. Internal to the search
 * layer. */
#ifndef WS_MATCHPASS_H
#define WS_MATCHPASS_H

#include <stddef.h>
#include "occurrence.h"
#include "search_int.h"
#include "textdoc.h"

typedef struct ws_matchpass {
    ws_searcher *s;
    ws_qast *ast;
    ws_qnode *q;
    ws_occ_patterns ps; /* the query's patterns, for the caller to judge */
    ws_db_list list;    /* the matches, by docid */
    size_t next;        /* the place in list to read from */
    size_t below;       /* docids from this on are passed over unread (none until set) */
    ws_textdoc d;       /* the document read last, list.docid[next - 1] */
    unsigned *counts;   /* after ws_matchpass_count, or NULL: the occurrences
                           of each listed document (WS_LISTED_UNKNOWN: its text
                           tells) */
} ws_matchpass;

/* Plans o's query (ws__searcher_plan) and finds its patterns into p->ps.
 * Zero-initialize p first, and ws_matchpass_clear it after, whatever this
 * returns. The message is set in s on a failure. */
ws_status ws_matchpass_plan(ws_searcher *s, const ws_search_opts *o, ws_matchpass *p);

/* Lists the documents the planned query matches. The message is set in s on
 * a failure. */
ws_status ws_matchpass_list(ws_matchpass *p);

/* counts[i] = the occurrences of ps in document docid[i] (i < n, in any
 * order) without reading their stored text: from the index's positions
 * where they give them exactly (positions.h), else from the word lists
 * (listed.h: WS_LISTED_UNKNOWN for a document without one, whose text
 * tells). counts is a new array into *out (the caller frees; NULL when n
 * is 0). WS_ENOMEM, or another status with ws_db_errmsg saying why. */
ws_status ws_matchpass_counts(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid, size_t n,
                              unsigned **out);

/* Counts the occurrences of each listed document without reading its
 * stored text: from the index's positions where they give them exactly
 * (positions.h), else from the word lists (listed.h, read by every thread
 * the index allows). From then on ws_matchpass_next reads the text only
 * of a document without a list, and p->d holds only nocc for the others.
 * WS_ENOMEM, or another status with the message set in s. */
ws_status ws_matchpass_count(ws_matchpass *p);

/* Reads the next listed document holding an occurrence into p->d: 1, or 0
 * at the end of the list or on a failure (then in *st: WS_EMODIFIED when
 * the revision read has gone; the message is not set). A document deleted
 * since it was listed is passed over. */
int ws_matchpass_next(ws_matchpass *p, ws_status *st);

void ws_matchpass_clear(ws_matchpass *p);

#endif
