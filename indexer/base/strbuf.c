#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Room for len more bytes and the NUL; 0 when there is none (failed set). */
static int room(ws_strbuf *b, size_t len, size_t first)
{
    if (b->failed)
        return 0;
    if (len >= SIZE_MAX - b->len) {
        b->failed = 1;
        return 0;
    }
    if (b->cap - b->len < len + 1) {
        size_t cap = b->cap ? b->cap : first ? first : 1;
        while (cap - b->len < len + 1) {
            if (cap > SIZE_MAX / 2) {
                b->failed = 1;
                return 0;
            }
            cap *= 2;
        }
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = 1;
            return 0;
        }
        b->s = p;
        b->cap = cap;
    }
    return 1;
}

void ws_strbuf_reserve(ws_strbuf *b, size_t len)
{
    if (room(b, len, len + 1) && !b->len)
        b->s[0] = '\0';
}

void ws_strbuf_add(ws_strbuf *b, const char *s, size_t len)
{
    if (!room(b, len, 256))
        return;
    if (len) /* (s may be NULL with nothing to add: memcpy takes no NULL) */
        memcpy(b->s + b->len, s, len);
    b->len += len;
    b->s[b->len] = '\0';
}

void ws_strbuf_str(ws_strbuf *b, const char *s)
{
    ws_strbuf_add(b, s, strlen(s));
}
