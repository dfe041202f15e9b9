/* searcher.h - the searcher handle's fields (search.h's ws_searcher), for
 * the files of this layer that make a search with it: search.c (one search
 * run), searchplan.c (its query planned) and searcher.c (the handle: open,
 * close, reopen, its documents and statistics). The handle owns all of them:
 * ws_searcher_close frees db, a and syn; the lexicon, and so vectors, is the
 * caller's of ws_searcher_open. The instruments read a searcher through
 * search_int.h instead. Not a public header. */
#ifndef WS_SEARCHER_H
#define WS_SEARCHER_H

#include "analyzer.h"
#include "engine.h"
#include "search.h"
#include "synonyms.h"
#include "vectors.h"

struct ws_searcher {
    ws_db *db;
    ws_analyzer *a;
    const ws_vectors *vectors; /* the lexicon's, when the index was made with them */
    ws_synonyms *syn;
    char err[1024];
};

#endif
