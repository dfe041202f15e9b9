/* engine.h - the read side of the C API over Xapian: open the index, run a
 * term query (qtree.h), fetch stored documents, count facets.
 *
 * Every entry point catches every Xapian exception and maps it to a status;
 * the message stays on the handle (ws_db_errmsg) until the next call. A ws_db
 * is not thread-safe: one per thread. */
#ifndef WS_ENGINE_H
#define WS_ENGINE_H

#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include "qtree.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_db ws_db;

typedef struct ws_match {
    double weight;
    char *data;       /* the stored document (JSON), NUL-terminated, owned by the mset;
                         NULL when hit_only was asked and hit is there */
    char *hit;        /* the same without its body (WS_SLOT_HIT), or NULL */
    uint64_t whole;   /* ws_schema_whole of its id, 0 when the index has none */
    uint64_t cite;    /* its ws_cites_key, 0 when it has none or the index none */
    uint64_t article; /* its ws_cites_article_key, 0 likewise */
    double sim;       /* cosine of its vector and the query's (vectors.h), 0 when
                         either has none */
    unsigned docid;   /* for ws_db_fill, while the ws_db stays at this commit */
} ws_match;

typedef struct ws_mset {
    unsigned long total; /* matches: Xapian's estimate, unless exact */
    int exact;           /* 1 when total is the number of matches (Xapian's
                            bounds on it are one) */
    int count_cut;       /* count_first: the count ran out of time (a count
                            pass of its own would too) */
    ws_match *m;
    size_t n;
    int partial;    /* the time limit ended the match: the page holds the best
                       of the documents examined, not of all */
    json_t *facets; /* owned; NULL unless asked: {"source": {"经济法": 12,
                       "(none)": 3}, ...}, the documents without the value
                       under "(none)" (when there are any), so that each
                       facet adds up to total */
} ws_mset;

typedef struct ws_db_query {
    unsigned offset, limit;
    int sort_by_date; /* newest first, then relevance ... */
    int oldest_first; /* ... or, with sort_by_date, oldest first; either
                         way the documents without a date last */
    unsigned check_at_least;
    unsigned facets;   /* WS_FACET_* of schema.h */
    double time_limit; /* seconds, 0 for none */
    int hit_only;      /* read hit, and data only where there is no hit */
    int wholes_only;   /* read neither: only whole and cite (ws_db_fill reads them) */
    const int8_t *vec; /* the query's vector (vectors.h), or NULL */
    unsigned dim;      /* its length: a document's of another length is not compared */
    int count_first;   /* ws_db_run: count the matches by sets first (exact
                          total, and facets when asked), then rank the page
                          with each phrase as the set that passed it; when
                          the counter cannot, as without it */
} ws_db_query;

/* Opens the index (its stub, so every shard) in dir. On failure *out is NULL
 * and errbuf says why. Free with ws_db_close(). */
ws_status ws_db_open(const char *dir, ws_db **out, char *errbuf, size_t errlen);
void ws_db_close(ws_db *db);

/* The id of the word vectors the index's documents were made with
 * (ws_vectors_id; "" for none), as it was when opened; valid while db is. */
const char *ws_db_vectors(const ws_db *db);

/* 1 when every document of the index has its space and punctuation terms
 * (schema.h's WS_PFX_SPACE, WS_PFX_PUNCT: an index of format 4, read from
 * its first shard when opened), so that a phrase may require them. */
int ws_db_spaces(const ws_db *db);

/* 1 for an index made before format 5, whose documents hold the characters
 * the normalization now keeps (normalize.h, ws_normalize_kept: 著) folded
 * as ICU folds them (着): a query holding one would find nothing there. */
int ws_db_folded(const ws_db *db);

/* Moves to the latest commit; *changed says whether there was one. */
ws_status ws_db_reopen(ws_db *db, int *changed);

/* Runs q; *out is the caller's (ws_mset_free). Retries once after reopening
 * when the index changed under the reader. A tree holding WS_QOP_DOCS
 * (made on the revision the handle reads) is counted first (exact total and
 * facets), then ranked by Xapian within that set; on an index with a remote
 * shard it is refused (WS_EINVAL). ws_db_count and ws_db_list_all read it
 * alike; a WS_QOP_CHECK is for the search layer and refused (WS_EINTERNAL). */
ws_status ws_db_run(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out);
void ws_mset_free(ws_mset *m);

/* Counts the matches of q, and o->facets over them, into *out (no
 * matches listed; the caller frees it): a boolean pass over every match,
 * without weights (AND_MAYBE's optional side and SCALE leave no trace on the
 * set), which a ranked page never needs, as Xapian skips what cannot reach
 * it. Exact (out->exact) unless o->time_limit cut it short. */
ws_status ws_db_count(ws_db *db, const ws_qnode *q, const ws_db_query *o, ws_mset **out);

/* Keeps the matches [from, from + n) of m (fewer where it has fewer) and
 * frees the others. */
void ws_mset_keep(ws_mset *m, size_t from, size_t n);

/* Reads what wholes_only left unread of a match: hit, and data unless
 * hit_only (as ws_db_query's). The strings are the mset's, as the others. */
ws_status ws_db_fill(ws_db *db, ws_match *m, int hit_only);

/* Reads the hit of each of m[0..n) that has none yet, in docid order (one
 * pass over the slot); cheaper than ws_db_fill one by one when only hits
 * are wanted. A match it leaves without one (no hit kept, deleted since,
 * or a backend without value streams) is for ws_db_fill. */
ws_status ws_db_fill_hits(ws_db *db, ws_match *m, size_t n);

/* For each of keys[0..n) (ws_cites_key, ws_cites_article_key), how many documents cite it:
 * counts[i], 0 for a key of 0. The counts are kept on the handle for the
 * revision it reads (up to WS_DB_CITED_CACHE keys), until a reopen moves on. */
#define WS_DB_CITED_CACHE 100000
ws_status ws_db_cited(ws_db *db, const uint64_t *keys, size_t n, unsigned *counts);

/* The stored JSON of the document with this id (caller frees), or
 * WS_ENOTFOUND. */
ws_status ws_db_get(ws_db *db, const char *id, char **out);

/* Documents, terms indexed counted with repeats (the sum of the documents'
 * lengths, a statistic Xapian keeps: no term is walked), bytes on disk
 * (WS_DB_BYTES_UNKNOWN when a shard is remote: its files are on another
 * machine), shards. */
#define WS_DB_BYTES_UNKNOWN ULLONG_MAX
ws_status ws_db_stats(ws_db *db, unsigned long *docs, unsigned long *terms,
                      unsigned long long *bytes, unsigned *shards);

/* The documents of the revision db reads, into *docs (what ws_db_stats
 * gives, without walking the index's files). */
ws_status ws_db_doccount(ws_db *db, unsigned long *docs);

const char *ws_db_errmsg(const ws_db *db);

/* A deadline for what reads matching documents one by one to count them
 * exactly (the instruments: word lists, stored texts, position lists):
 * past it they stop with WS_ETIMEOUT, rather than holding a thread for as
 * long as a hostile query would take. at is a CLOCK_MONOTONIC time in
 * seconds (ws_db_now); 0, as a handle opens, for none. The caller sets it
 * before the request and clears it after; the threads a request starts
 * only read it. */
void ws_db_set_deadline(ws_db *db, double at);

/* Starts db's deadline again, as long from now as when it was set: for a
 * request that waited on something of another's (the trend's census lock)
 * before its own count began. Nothing when none is set. */
void ws_db_restart_deadline(ws_db *db);

/* CLOCK_MONOTONIC, in seconds. */
double ws_db_now(void);

/* 1 when db has a deadline and it has passed. Safe from any thread. */
int ws_db_past_deadline(const ws_db *db);

/* ---- every match, for the instruments (concordance.h, trend.h, export.h) ----
 * These read the revision the handle is at and never reopen it: when a
 * writer has overwritten that revision meanwhile they fail with
 * WS_EMODIFIED, so that a long read never mixes two views of the index. */

typedef enum ws_db_order {
    WS_DB_ORDER_RELEVANCE = 0,
    WS_DB_ORDER_DATE_DESC, /* newest first, then relevance */
    WS_DB_ORDER_DATE_ASC,  /* oldest first, then relevance; the undated last */
    WS_DB_ORDER_DOCID,     /* the index's own order: the cheapest */
} ws_db_order;

typedef struct ws_db_list {
    unsigned *docid; /* every match, in order */
    double *weight;
    size_t n;
} ws_db_list;

/* Every match of q in *out (the caller frees with ws_db_list_free): 12
 * bytes a match. On a local index they are counted by sets first (a
 * phrase's positions read only where its word or run witness does not tell, see
 * counter.h), then ranked with each phrase as the set that passed it. */
ws_status ws_db_list_all(ws_db *db, const ws_qnode *q, ws_db_order order, ws_db_list *out);

/* The matches of q at [from, from + n) of ws_db_list_all's order (not
 * WS_DB_ORDER_DOCID) into *out (the caller frees with ws_db_list_free);
 * fewer at the end. Only the page is kept, not every match sorted: a
 * first page of a common term's lines costs a part of its whole list.
 * Where the sets counted first say less than Xapian's matches, the page
 * may hold a document ws_db_list_all leaves out (one without an
 * occurrence), so positions are those of this order, not of that list.
 * every, when not NULL, gets every match in docid order, what
 * ws_db_list_all gives in WS_DB_ORDER_DOCID, from the same count (the
 * caller frees it as *out). */
ws_status ws_db_list_page(ws_db *db, const ws_qnode *q, ws_db_order order, size_t from, size_t n,
                          ws_db_list *out, ws_db_list *every);

/* Every match of q in docid order, without weights (0), into *out (the
 * caller frees with ws_db_list_free), as cheaply as the exact count makes
 * them: the candidates of a text check (WS_QOP_CHECK). WS_EINVAL (the
 * message on the handle) on an index with a remote shard. */
ws_status ws_db_match_set(ws_db *db, const ws_qnode *q, ws_db_list *out);

/* Terms of one field whose positions are compared: those of one side, a
 * with na of them, and of the other, b with nb. */
typedef struct ws_db_near {
    const char *const *a;
    size_t na;
    const char *const *b;
    size_t nb;
} ws_db_near;

/* Keeps of list (docid order, as ws_db_match_set makes it) the documents
 * where, in one of fields[0..nfields), a position of a term of one side and
 * one of the other are at most window apart, and frees the others' places.
 * Positions count each CJK character, Latin word and punctuation mark once
 * (analyzer.h), so that two stretches n characters apart are at most n
 * positions apart: a cheap first sieve for a proximity, which the text then
 * decides. With deadline (seconds of CLOCK_MONOTONIC, 0 for none), once it
 * has passed the documents not yet sieved are all kept (*cut set to 1),
 * for the text to decide as far as time allows: reading the positions of
 * many alternatives of each side in every document can take minutes. */
ws_status ws_db_near_filter(ws_db *db, const ws_db_near *fields, size_t nfields, unsigned window,
                            double deadline, int *cut, ws_db_list *list);
void ws_db_list_free(ws_db_list *l);

/* The stored document (JSON) of docid into *out (the caller frees);
 * WS_ENOTFOUND when there is none. */
ws_status ws_db_data(ws_db *db, unsigned docid, char **out);

/* How often term (with its prefix, schema.h) occurs in the index: the sum
 * over every document of its within-document frequency (Xapian's
 * collection frequency, one lookup a shard), into *out; 0 for a term the
 * index does not hold. What collocates.h weighs a word by. */
ws_status ws_db_collection_freq(ws_db *db, const char *term, unsigned long long *out);

/* A name of the revision the handle reads, NUL-terminated into buf (at
 * least WS_DB_VIEW_LEN bytes): it changes with every commit to any shard. */
#define WS_DB_VIEW_LEN 48
ws_status ws_db_view(ws_db *db, char *buf);

/* The copy of db's word lists in memory that the instruments read them
 * from (wordcache.h), or NULL (read from the index): the setter's, which
 * must outlive db or set it NULL first. */
struct ws_wordcache;
void ws_db_set_words(ws_db *db, struct ws_wordcache *wc);
struct ws_wordcache *ws_db_words(ws_db *db);

/* A name of the revision local shard k (< ws_valuecursor_shards) reads,
 * its UUID and revision, NUL-terminated into buf (at least
 * WS_DB_SHARD_VIEW_LEN bytes), and its highest docid (of the shard's own
 * numbering: 1, 2, ...) into *lastdocid: what a copy of a shard's values
 * made at one revision is known by (wordcache.h). WS_EINVAL for a shard
 * that is not there. */
#define WS_DB_SHARD_VIEW_LEN 64
ws_status ws_db_shard_view(ws_db *db, unsigned k, char *buf, unsigned *lastdocid);

#ifdef __cplusplus
}
#endif
#endif
