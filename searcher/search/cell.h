/* cell.h - a value written as a cell of the CSV (RFC 4180) or TSV that
 * exports, concordances and the client's tables write: quoted or cleaned,
 * a formula disarmed, a score as "%.6g" writes it. Nothing is kept. */
#ifndef WS_CELL_H
#define WS_CELL_H

#include <stddef.h>
#include "row.h"
#include "strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Whether a spreadsheet would take the CSV cell v[0..len) for a formula:
 * it begins with = + - @ (or a tab or CR) and is not a number as JSON
 * writes one (-3 stays a number). Such a cell is written after an
 * apostrophe in every CSV Wensuo makes. */
int ws_cell_formula(const char *v, size_t len);

/* Appends v[0..len) to b as a cell: in CSV quoted where it holds a comma,
 * a quote or a line break (its quotes doubled), after an apostrophe where
 * it would be a formula; in TSV (tsv nonzero) as it is but each tab and
 * line break a space, since TSV has no quoting. */
void ws_cell_put(ws_strbuf *b, const char *v, size_t len, int tsv);

/* Appends the columns of row r as cells (ws_cell_put), each followed by
 * the separator (a comma, or a tab when tsv is nonzero): what a line of an
 * export without the body begins with, its score after (export.h). */
void ws_cell_put_row(ws_strbuf *b, const ws_row *r, int tsv);

/* A score as the CSV and TSV exports write it: what snprintf's "%.6g"
 * writes, into out (NUL-terminated); its length. */
size_t ws_cell_score(double score, char out[32]);

#ifdef __cplusplus
}
#endif
#endif
