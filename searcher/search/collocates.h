/* collocates.h - what a query's matches keep company with: the words that
 * stand within a window of N words of its occurrences, in every matching
 * document, with how often they stand there, how often in the whole index,
 * and logDice, best first.
 *
 * The occurrences are the concordance's (occurrence.h), in the documents the
 * query's strict plan matches with its filters. Words are the analyzer's
 * (analyzer.h), as `wensuo analyze` prints them (a compound such as 2024年
 * one word, not its parts), normalized; punctuation is no word and takes no
 * place. A window is the N words before the first word a match touches and
 * the N after the last, within the match's field (title or body). Each
 * place in the text counts once, however many windows hold it; a word that
 * touches an occurrence is the match itself and never a collocate; stop
 * words (the lexicon's) take their place in a window but are not counted.
 *
 * count (f(xy)): the places in the windows that hold the word.
 * index_count (f(y)): the word's occurrences in the whole index, titles and
 *   bodies, whatever the filters (Xapian's collection frequency of its term;
 *   a one-character Chinese word is indexed as the character, so its figure
 *   is the character's, inside other words too).
 * log_dice: 14 + log2(2 f(xy) / (f(x) + f(y))), f(x) the query's
 *   occurrences (total_occurrences); at most 14.
 *
 * Only the text around each occurrence is analyzed (cut where a clause mark
 * stands between two Chinese characters, where the analyzer's words cannot
 * straddle), so the cost follows the occurrences, not the documents'
 * length. */
#ifndef WS_COLLOCATES_H
#define WS_COLLOCATES_H

#include <jansson.h>
#include "search.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Named limits on what a request may ask. */
#define WS_COLL_WINDOW          5       /* words on each side, by default */
#define WS_COLL_MAX_WINDOW      10      /* at most */
#define WS_COLL_LIMIT           50      /* collocates listed, by default */
#define WS_COLL_MAX_LIMIT       1000    /* at most */
#define WS_COLL_MAX_OCCURRENCES 1000000 /* occurrences of the query read, at most */
#define WS_COLL_MAX_WORDS       1000000 /* distinct words counted, at most */

typedef struct ws_coll_opts {
    ws_search_opts s;        /* the query and its filters (source, type, from, to) */
    unsigned window;         /* 0: WS_COLL_WINDOW */
    unsigned limit;          /* 0: WS_COLL_LIMIT */
    unsigned long min_count; /* words counted fewer times are left out; 0: 1 */
} ws_coll_opts;

/* {"window", "total_occurrences", "total_documents", "total_collocates" (the
 * words counted at least min_count times), "collocates": [{"word", "count",
 * "index_count", "log_dice"}]}: the best `limit` by log_dice, then count
 * (both highest first), then word (by code point). *out is the caller's.
 * WS_EQUERY (no word or phrase to find) / WS_EINVAL (window, limit) /
 * WS_ETOOBIG (past WS_COLL_MAX_OCCURRENCES or WS_COLL_MAX_WORDS) with
 * ws_searcher_errmsg() saying why; WS_EMODIFIED when the index changed
 * during the count. */
ws_status ws_collocates_json(ws_searcher *s, const ws_coll_opts *o, json_t **out);

#ifdef __cplusplus
}
#endif
#endif
