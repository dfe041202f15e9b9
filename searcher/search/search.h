/* search.h - one search, from a query string to ranked, highlighted hits.
 *
 * This is what both `wensuo search --db` and the daemon call, so that both
 * answer the same. A ws_searcher holds an open index, an analyzer and the
 * synonyms; it is not thread-safe: use one per thread (each opens its own
 * Xapian database, as Xapian requires). */
#ifndef WS_SEARCH_H
#define WS_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include "lexicon.h"
#include "query.h"
#include "schema.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Named limits on what a search may ask (and query.h's on the query). */
#define WS_SEARCH_MAX_LIMIT  1000
#define WS_SEARCH_MAX_WINDOW 100000 /* offset + limit */

typedef enum ws_sort {
    WS_SORT_RELEVANCE = 0,
    WS_SORT_DATE = 1,     /* newest first, then relevance */
    WS_SORT_DATE_ASC = 2, /* oldest first, then relevance */
} ws_sort;

typedef struct ws_search_opts {
    const char *query; /* the query language of the README */
    unsigned offset;
    unsigned limit; /* 0 means 10 */
    ws_sort sort;
    const char *source; /* extra filters, NULL for none */
    const char *type;
    const char *from; /* YYYY[-MM[-DD]], inclusive */
    const char *to;
    unsigned facets; /* WS_FACET_* bits */
    int no_snippets;
    double time_limit; /* seconds of matching at most (results may then be
                          approximate); 0 for none. The daemon sets it. */
} ws_search_opts;

typedef struct ws_hit {
    char *id, *title, *date, *source, *type, *url; /* NULL when absent */
    double score;
    char *snippet; /* the best passage, matches between \x01 and \x02 (see
                      ws_snippet_render) */
    int relaxed;   /* 1 for a document that holds only some of the query's
                      words: it follows every exact match and is not counted
                      in total; in JSON "relaxed": true (absent otherwise) */
} ws_hit;

typedef struct ws_results {
    unsigned long total;         /* the documents that match the query as
                                    written, however many: counted exactly,
                                    unless estimated */
    int estimated;               /* 1 when total (and facets) could not be
                                    counted to the end (time_limit); in JSON
                                    "estimated": true (absent when exact) */
    int partial;                 /* 1 when time_limit ended the ranking of
                                    the page: its hits are the best of the
                                    documents examined; JSON "partial": true
                                    (absent otherwise) */
    unsigned long relaxed_total; /* when relaxed hits follow: the documents
                                    that hold some of the words, 0 otherwise;
                                    JSON "relaxed_total" */
    int relaxed_estimated;       /* 1 when relaxed_total is Xapian's
                                    estimate; JSON "relaxed_estimated": true */
    ws_hit *hits;                /* the exact matches of the page, then the
                                    relaxed ones */
    size_t nhits;
    json_t *facets; /* {"source": {"经济法": 12, "(none)": 2}, ...} over the
                       exact matches, each facet adding up to total; NULL
                       unless asked; owned */
    double took_ms;
} ws_results;

typedef struct ws_searcher ws_searcher;

/* Opens the index in dir for searching; lex must outlive the searcher.
 * synonyms may be NULL (or $WENSUO_SYNONYMS). On failure *out is NULL and
 * errbuf says why. */
ws_status ws_searcher_open(const char *dir, const ws_lexicon *lex, const char *synonyms,
                           ws_searcher **out, char *errbuf, size_t errlen);
void ws_searcher_close(ws_searcher *s);

/* Sees what other processes committed since the last call (cheap when
 * nothing changed). */
ws_status ws_searcher_reopen(ws_searcher *s);

/* Lets the instruments read s's word lists from wc (wordcache.h: a copy
 * in memory, used for each shard while it is at the revision s reads), or
 * not (NULL, as s opens); wc must outlive s or be set NULL first. */
struct ws_wordcache;
void ws_searcher_set_words(ws_searcher *s, struct ws_wordcache *wc);

/* Gives what s counts next (the instruments, the reading view) ms
 * milliseconds from now, past which it stops with WS_ETIMEOUT
 * (ws_db_set_deadline); 0 for no limit, as s opens. */
void ws_searcher_set_deadline(ws_searcher *s, unsigned ms);

/* Runs a search. *out is the caller's, freed with ws_results_free(). On
 * WS_EQUERY / WS_EINVAL / WS_ETOOBIG, ws_searcher_errmsg() says what is wrong
 * with the query, in words for the user. */
ws_status ws_searcher_run(ws_searcher *s, const ws_search_opts *opts, ws_results **out);
void ws_results_free(ws_results *r);

/* The stored document with this id as a new JSON object (caller owns), or
 * WS_ENOTFOUND. */
ws_status ws_searcher_get(ws_searcher *s, const char *id, json_t **out);

/* The same document as the compact JSON text it is stored as (what
 * json_dumps(JSON_COMPACT) makes of ws_searcher_get's object), without
 * parsing it: *out is the caller's (free), *len its length. WS_ENOTFOUND. */
ws_status ws_searcher_get_text(ws_searcher *s, const char *id, char **out, size_t *len);

/* {"documents": N, "terms": N (with repeats: ws_db_stats), "index_bytes": N, "shards": N,
 * "vectors": {...}, "lexicon": [{"file", "kind", "words"}, ...]} (caller owns). */
ws_status ws_searcher_stats(ws_searcher *s, json_t **out);

/* "relevance", "date" or "date_asc" into *out; WS_EINVAL with errbuf
 * saying what sort takes. The client and the daemon both read --sort /
 * sort= with it. */
ws_status ws_search_sort_parse(const char *s, ws_sort *out, char *errbuf, size_t errlen);

/* The facets of a comma-separated list of names (source, type, year, month) into
 * *out; WS_EINVAL with errbuf naming the first unknown one. The client and
 * the daemon both read --facets / facets= with it, so that both refuse
 * alike. */
ws_status ws_search_facets_parse(const char *s, unsigned *out, char *errbuf, size_t errlen);

/* The message of the last error; owned by s, valid until the next call. */
const char *ws_searcher_errmsg(const ws_searcher *s);

/* {"total": N, "hits": [{"id", "title", "date", "source", "type", "score",
 * "snippet"}]} ("url" too on a hit whose document has one) plus "facets" when asked, "estimated":
 * true on an estimate, "relaxed": true on a relaxed hit and "relaxed_total" (with
 * "relaxed_estimated") when there are any; snippets marked with the marks
 * given. Caller owns the result. */
json_t *ws_results_to_json(const ws_results *r, const char *open_mark, const char *close_mark);

#ifdef __cplusplus
}
#endif
#endif
