/* row.c - a document's export row (row.h). */
#include "row.h"

#include <string.h>

const char *const ws_row_columns[WS_ROW_COLUMNS] = {"id", "title", "date", "source", "type", "url"};

static void put_varint(ws_strbuf *out, size_t x)
{
    char b[10];
    size_t n = 0;
    do {
        b[n++] = (char)((x & 0x7F) | (x > 0x7F ? 0x80 : 0));
        x >>= 7;
    } while (x);
    ws_strbuf_add(out, b, n);
}

void ws_row_encode(const ws_row *r, ws_strbuf *out)
{
    ws_strbuf_add(out, "R1", 2);
    for (int i = 0; i < WS_ROW_COLUMNS; i++) {
        put_varint(out, r->v[i] ? r->len[i] + 1 : 0);
        if (r->v[i])
            ws_strbuf_add(out, r->v[i], r->len[i]);
    }
}

ws_status ws_row_decode(const char *v, size_t len, ws_row *r)
{
    memset(r, 0, sizeof *r);
    if (len < 2 || memcmp(v, "R1", 2) != 0)
        return WS_ECORRUPT;
    const unsigned char *p = (const unsigned char *)v + 2, *end = (const unsigned char *)v + len;
    for (int i = 0; i < WS_ROW_COLUMNS; i++) {
        size_t x = 0;
        unsigned shift = 0;
        for (;; shift += 7) {
            if (p == end || shift >= 64)
                return WS_ECORRUPT;
            unsigned char c = *p++;
            x |= (size_t)(c & 0x7F) << shift;
            if (!(c & 0x80))
                break;
        }
        if (!x)
            continue;
        if (x - 1 > (size_t)(end - p))
            return WS_ECORRUPT;
        r->v[i] = (const char *)p;
        r->len[i] = x - 1;
        p += x - 1;
    }
    return p == end ? WS_OK : WS_ECORRUPT;
}
