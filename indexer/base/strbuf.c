#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void ws_strbuf_add(ws_strbuf *b, const char *s, size_t len)
{
    if (b->failed)
        return;
    if (b->cap - b->len < len + 1) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < len + 1) {
            if (cap > SIZE_MAX / 2) {
                b->failed = 1;
                return;
            }
            cap *= 2;
        }
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    if (len) /* (s may be NULL with nothing to add: memcpy takes no NULL) */
        memcpy(b->s + b->len, s, len);
    b->len += len;
    b->s[b->len] = '\0';
}

void ws_strbuf_str(ws_strbuf *b, const char *s)
{
    ws_strbuf_add(b, s, strlen(s));
}
