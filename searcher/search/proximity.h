/* proximity.h - a query's proximity operators (query.h: A NEAR/n B,
 * A SENTENCE B, A PARAGRAPH B) decided over the index.
 *
 * The planner makes each a WS_QOP_CHECK: the documents holding both sides,
 * then their text checked, as the index cannot: its positions count words,
 * pairs and punctuation rather than characters, and know no sentence. Here
 * each check is replaced by the documents that pass it (WS_QOP_DOCS), which
 * the engine then counts, ranks and lists exactly (engine.h). The candidates
 * of a check are the documents that hold both its sides and, where the
 * check is required (not under OR nor NOT), whatever else the query requires
 * beside it (filters included); each is read and its title and body checked
 * by occurrence.h's rules (ws_occ_near_holds), which the concordance shows.
 * A candidate where the sides stand joined, one right after the other with
 * nothing between (人民政府 for 人民 NEAR/10 政府), passes every check of
 * them without being read, where positions.h counts that run exactly (each
 * side one pattern of CJK characters that cannot overlap itself:
 * proximity.c says why that is exact); most candidates of a common pair
 * are such. Internal to the search layer. */
#ifndef WS_PROXIMITY_H
#define WS_PROXIMITY_H

#include <stddef.h>
#include "analyzer.h"
#include "engine.h"
#include "occurrence.h"
#include "qtree.h"
#include "status.h"

/* How far a resolution went, over every check (all 0 when there was
 * none), and whether the time limit cut it. */
typedef struct ws_proximity_stats {
    size_t holding; /* documents holding both sides (and what is required beside) */
    size_t candidates, checked, passed; /* of them, those the positions left (all of them
                                           when the word cache held them: no sieve) */
    int cut;
} ws_proximity_stats;

/* Replaces every WS_QOP_CHECK of *q (planned from the query whose patterns
 * are ps) by a WS_QOP_DOCS of the documents of the revision db reads that
 * pass it. With time_limit (seconds, 0 for none), the checks stop once it
 * has passed: each set then holds what was found by then (each check
 * decides 256 of its candidates, spread over them, whatever the time, so
 * that a total can be estimated from them) and stats->cut is set. On failure *q is a tree still (to
 * free) and errbuf says why. */
ws_status ws_proximity_resolve(ws_db *db, ws_analyzer *a, const ws_occ_patterns *ps, ws_qnode **q,
                               double time_limit, ws_proximity_stats *stats, char *errbuf,
                               size_t errlen);

#endif
