/* strbuf.h - a growing NUL-terminated string.
 *
 * A failed allocation sticks (failed = 1): later appends do nothing, and the
 * caller checks once at the end. s is NULL until something is appended; it is
 * the caller's to free(). */
#ifndef WS_STRBUF_H
#define WS_STRBUF_H

#include <stddef.h>

typedef struct ws_strbuf {
    char *s;
    size_t len, cap;
    int failed;
} ws_strbuf;

/* Appends [s, s+len). */
void ws_strbuf_add(ws_strbuf *b, const char *s, size_t len);

/* Makes room for len more bytes (and the NUL) at once: a buffer whose
 * final size is known grows without the copies of doubling. */
void ws_strbuf_reserve(ws_strbuf *b, size_t len);

/* Appends the NUL-terminated s. */
void ws_strbuf_str(ws_strbuf *b, const char *s);

#endif
