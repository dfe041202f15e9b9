/* search_int.h - what the instruments of this layer (concordance.c and the
 * others) take from a searcher: its index handle, its analyzer, its error
 * buffer, and a query planned and filtered exactly as ws_searcher_run plans
 * it, so that every instrument matches the documents a search matches. Not a
 * public header: the daemon and the client see search.h and the
 * instruments' own headers. */
#ifndef WS_SEARCH_INT_H
#define WS_SEARCH_INT_H

#include "analyzer.h"
#include "engine.h"
#include "qtree.h"
#include "query.h"
#include "search.h"

/* The searcher's handle and analyzer; valid while s is. */
ws_db *ws__searcher_db(ws_searcher *s);
ws_analyzer *ws__searcher_analyzer(ws_searcher *s);
/* The flags of ws_occ_patterns_of for s's index (WS_OCC_CUT_MARKS before
 * format 4), so that the instruments count what /search matches there. */
unsigned ws__searcher_occ_flags(ws_searcher *s);

/* Sets the message ws_searcher_errmsg() returns (printf-style). */
void ws__searcher_fail(ws_searcher *s, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Parses o->query and plans it with o's filters (source, type, from, to)
 * as a search's strict plan (never the relaxed one: the instruments count
 * what the query says), its proximities decided (proximity.h). *ast and *q are the caller's
 * (ws_qast_free, ws_qtree_free). WS_EQUERY / WS_EINVAL / WS_ETOOBIG with the message set. */
ws_status ws__searcher_plan(ws_searcher *s, const ws_search_opts *o, ws_qast **ast, ws_qnode **q);

/* The same, its proximity checks left unresolved (WS_QOP_CHECK, which no
 * engine call takes): for what reads the query but no match, as the reading
 * view, which would otherwise check every document holding both sides. */
ws_status ws__searcher_parse(ws_searcher *s, const ws_search_opts *o, ws_qast **ast, ws_qnode **q);

/* Every document that passes o's filters (source, type, from, to; the query
 * is not read) into *q, the caller's. WS_EINVAL with the message set. */
ws_status ws__searcher_every(ws_searcher *s, const ws_search_opts *o, ws_qnode **q);

#endif
