/* reader_int.h - what reader.c and frontmatter.c share: one read's context
 * and the spans of text it goes through line by line. Not a public header:
 * callers see reader.h. */
#ifndef WS_READER_INT_H
#define WS_READER_INT_H

#include <stddef.h>

#include "reader.h"

/* What one read needs to report and emit. */
typedef struct ws__reader {
    const char *name;
    const char *default_id;
    ws_reader_emit_cb emit;
    ws_reader_warn_cb warn;
    void *ctx;
} ws__reader;

typedef struct ws__span {
    const char *p;
    size_t n;
} ws__span;

/* Calls r->warn, when there is one, with the message formatted ("file:line:
 * reason"; line 0 for the whole file), as input left out (refused 1). */
void ws__reader_warnf(const ws__reader *r, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same for a note: the document is still indexed (refused 0). */
void ws__reader_notef(const ws__reader *r, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The next line of [*pos, end) without its '\n'; 0 when there is none left. */
int ws__next_line(const char **pos, const char *end, ws__span *line);

/* s without the white space (ws_utf8_space_at) at either end. */
ws__span ws__trim(ws__span s);

#endif
