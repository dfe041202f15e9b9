/* textdoc.h - a stored document as the instruments read it: its fields,
 * the length of its text and where the query's patterns stand in it
 * (occurrence.h). Internal to the search layer. */
#ifndef WS_TEXTDOC_H
#define WS_TEXTDOC_H

#include <jansson.h>
#include <stddef.h>
#include "analyzer.h"
#include "engine.h"
#include "occurrence.h"

typedef struct ws_textdoc {
    json_t *j; /* the stored JSON; the strings below are its */
    const char *id, *title, *date, *source, *type, *url, *body; /* NULL when absent */
    size_t tlen, blen;                                          /* bytes */
    ws_occ *occ; /* the title's occurrences, then the body's */
    size_t nocc, ntitle;
} ws_textdoc;

/* Reads docid into d (cleared first) and finds the patterns in it; ps may
 * have no pattern. WS_ENOTFOUND for a document deleted since it matched;
 * WS_EMODIFIED when the revision read has gone. Zero-initialize d before
 * the first call, and ws_textdoc_clear it after the last. */
ws_status ws_textdoc_load(ws_db *db, ws_analyzer *a, const ws_occ_patterns *ps, unsigned docid,
                          ws_textdoc *d);
void ws_textdoc_clear(ws_textdoc *d);

/* The characters (code points) of the title and the body. */
size_t ws_textdoc_chars(const ws_textdoc *d);

#endif
