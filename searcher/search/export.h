/* export.h - every document a query matches, as CSV, TSV or JSON lines,
 * made piece by piece so that a result of any size streams in bounded
 * memory: the matches' ids are listed once (12 bytes each), and each piece
 * reads the next documents.
 *
 * Without the body (no `fields=body`, no snippets) a row is the document's
 * export row (row.h, schema.h's WS_SLOT_ROW) when nothing but its columns
 * is asked, else its hit (WS_SLOT_HIT, JSON); those of WS_EXPORT_BATCH rows
 * at a time are read along the slots' value streams in docid order (their
 * lines about 13 MB at 200 bytes a line, the shared corpus's), where the rows' own order (relevance
 * or date) would cost a lookup in the index each; the rows of each shard by a thread of its own
 * (valuesweep.h), which also makes their lines. A document stored before rows is written
 * from its hit, the same bytes. With the body and no snippet, the documents
 * of WS_EXPORT_BODY_BATCH matches at a time are read whole the same way, a
 * thread a shard parsing them and making their lines; a snippet is made by
 * the searcher's analyzer, one thread's, so that with snippets each
 * document is read and written in turn.
 *
 * An export reads one view of the index from start to end: the searcher it
 * is made on must not be reopened or used for anything else meanwhile (the
 * daemon gives each export a searcher of its own). When a writer overwrites
 * that view before the end (Xapian keeps the last two commits), the next
 * piece fails with WS_EMODIFIED, and the export is cut short rather than
 * mixing documents of two views.
 *
 * Columns: id, title, date, source, type, url, score, then each stored
 * field asked with `fields` (a value that is not a string as JSON), then
 * the snippet when asked (plain text, the best passage as /search gives it,
 * without marks). CSV is RFC 4180: a UTF-8 byte order mark first (so that
 * Excel reads Chinese right), CRLF line ends, a field holding a comma, a
 * quote or a line break quoted. TSV has no quoting: a tab or line break in
 * a value becomes a space. JSON lines: one object a line, the same keys,
 * null for a missing value. */
#ifndef WS_EXPORT_H
#define WS_EXPORT_H

#include <stddef.h>
#include "concordance.h"
#include "search.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_EXPORT_MAX_FIELDS 32           /* fields= names at most */
#define WS_EXPORT_PIECE      (256u << 10) /* bytes a piece holds, about */
#define WS_EXPORT_KWIC_PAGE  2000         /* concordance lines a piece holds */
/* documents whose rows are read at a time: each batch reads the whole of
 * the value stream again when the matches are many (a few rows share a
 * chunk), so that 人民's 93,073 in batches of 32,768 read every block
 * three times (tools/README.md) */
#define WS_EXPORT_BATCH 65536
/* documents read whole (with the body asked) at a time, by a thread a
 * shard, each thread's lines at most WS_EXPORT_BODY_BUDGET bytes or one
 * document's (the documents past it are read again and written one by
 * one); a batch of fewer than 2 WS_VALUESWEEP_MIN_SHARE documents is read
 * by one thread, so that this is at least that */
#define WS_EXPORT_BODY_BATCH  512
#define WS_EXPORT_BODY_BUDGET (8u << 20)

typedef enum ws_export_format {
    WS_EXPORT_CSV = 0,
    WS_EXPORT_TSV,
    WS_EXPORT_JSONL,
} ws_export_format;

/* "csv", "tsv", "jsonl" into *out; -1 for another name. */
int ws_export_format_parse(const char *name, ws_export_format *out);

typedef struct ws_export_opts {
    ws_search_opts s; /* query, filters and sort (relevance or date); the rest unused */
    int oldest_first; /* with s.sort WS_SORT_DATE: oldest first */
    ws_export_format format;
    const char *const *fields; /* extra stored fields, NULL-terminated, or NULL */
    int snippets;              /* add the snippet column */
    size_t batch;              /* matches whose hits are read at a time (0: WS_EXPORT_BATCH,
                                  or WS_EXPORT_BODY_BATCH with the body) */
    size_t body_budget;        /* WS_EXPORT_BODY_BUDGET, for the tests (0: it) */
} ws_export_opts;

typedef struct ws_export ws_export;

/* Plans the query and lists its matches; *out is the caller's
 * (ws_export_free). s must outlive it. WS_EQUERY / WS_EINVAL with
 * ws_searcher_errmsg() saying why. */
ws_status ws_export_open(ws_searcher *s, const ws_export_opts *o, ws_export **out);

/* Every line of a concordance from o's cursor on (or the first o->limit
 * of them, when it is not 0),
 * as CSV, TSV or JSON lines with the keys of concordance.h (id, title,
 * date, source, type, left, match, right), made a page of lines at a time
 * through the concordance's own cursor. The query is checked here: an
 * error comes back now, not in a piece. *out is the caller's. */
ws_status ws_export_kwic_open(ws_searcher *s, const ws_kwic_opts *o, ws_export_format format,
                              ws_export **out);

/* The number of documents the export holds (0 for a concordance). */
size_t ws_export_count(const ws_export *e);

/* The next piece into *piece (malloc'd, the caller frees) of *len bytes;
 * *len 0 (and *piece NULL) at the end. WS_EMODIFIED when the view has gone. */
ws_status ws_export_next(ws_export *e, char **piece, size_t *len);

void ws_export_free(ws_export *e);

#ifdef __cplusplus
}
#endif
#endif
