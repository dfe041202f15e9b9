/* row.h - a document's export row (schema.h's WS_SLOT_ROW): the columns
 * an export without the body writes (id, title, date, source, type, url),
 * each ready to write, so that a row costs no JSON to parse. Decoding the
 * hit's JSON was two fifths of an export of a term in 35,000 documents.
 *
 * The value: "R1", then for each column in that order a varint, 0 when the
 * document has none, else its length plus 1, and its bytes. */
#ifndef WS_ROW_H
#define WS_ROW_H

#include <stddef.h>
#include "status.h"
#include "strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_ROW_COLUMNS 6

/* The columns' names, in the value's order. */
extern const char *const ws_row_columns[WS_ROW_COLUMNS];

/* One row: v[i] (len[i] bytes, pointing into the value; not
 * NUL-terminated) or NULL when the document has no column i. */
typedef struct ws_row {
    const char *v[WS_ROW_COLUMNS];
    size_t len[WS_ROW_COLUMNS];
} ws_row;

/* Appends the value of row r to out (the caller's; out->failed on want of
 * memory). */
void ws_row_encode(const ws_row *r, ws_strbuf *out);

/* Reads the value v[0..len) into *r. WS_ECORRUPT when it is not one. */
ws_status ws_row_decode(const char *v, size_t len, ws_row *r);

#ifdef __cplusplus
}
#endif
#endif
