/* searchplan.h - the plan of a search: its query parsed and planned with
 * the searcher's analyzer and synonyms, the filters of its options (source,
 * type, from, to) around it, and its proximities decided (proximity.h), or
 * taken from those decided lately on the same view of the index, which
 * every searcher of the process shares. Internal to the search layer;
 * search_int.h's ws__searcher_plan, ws__searcher_parse and
 * ws__searcher_every, the same for the instruments, are made here too. */
#ifndef WS_SEARCHPLAN_H
#define WS_SEARCHPLAN_H

#include "plan.h"
#include "proximity.h"
#include "search.h"
#include "status.h"

/* The query of o parsed and planned, its filters added and its
 * proximities resolved into *plan (the caller frees it with
 * ws_plan_free), with what the proximity checks saw in *prox; on failure
 * nothing is left to free, and ws_searcher_errmsg says why (WS_EQUERY,
 * WS_EINVAL, WS_ETOOBIG, ...). */
ws_status ws_searchplan_build(ws_searcher *s, const ws_search_opts *o, ws_plan *plan,
                              ws_proximity_stats *prox);

#endif
