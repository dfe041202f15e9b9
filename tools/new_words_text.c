/* new_words_text.c - the text new_words reads (new_words_text.h). */
#include "new_words_text.h"

#include <stdlib.h>
#include <string.h>
#include "new_words.h"
#include "normalize.h"

void ws_text_push(text *x, uint32_t c)
{
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 1 << 20;
        x->t = ws_new_words_realloc(x->t, x->cap * sizeof *x->t);
    }
    x->t[x->n++] = c;
}

void ws_text_add(void *ctx, const char *s, size_t len)
{
    text *x = ((reading *)ctx)->x;
    ws_analyzer *a = ((reading *)ctx)->a;
    if (len == 0)
        return;
    if (x->rlen + len + 1 > x->rcap) {
        x->rcap = (x->rlen + len + 1) * 2;
        x->raw = ws_new_words_realloc(x->raw, x->rcap);
    }
    if (x->nraw + 2 > x->rocap) {
        x->rocap = x->rocap ? x->rocap * 2 : 4096;
        x->roff = ws_new_words_realloc(x->roff, x->rocap * sizeof *x->roff);
    }
    if (x->nraw == 0)
        x->roff[x->nraw++] = 0;
    memcpy(x->raw + x->rlen, s, len);
    x->rlen += len;
    x->roff[x->nraw++] = x->rlen;

    char *norm;
    size_t nlen, *map;
    if (ws_analyzer_normalize(a, s, len, WS_ANALYZE_JOIN_LINES, &norm, &nlen, &map) != WS_OK)
        ws_new_words_die("cannot normalize the text");
    for (size_t i = 0; i < nlen;) {
        uint32_t c;
        i += (size_t)ws_utf8_decode((const unsigned char *)norm + i, nlen - i, &c);
        if (c == '\n' || c == ' ' || c == '\t' || c == '\r' || c == 0x3000)
            c = SEP;
        else if (c >= '0' && c <= '9')
            c = DIGIT;
        if (c != SEP || (x->n && x->t[x->n - 1] != SEP))
            ws_text_push(x, c);
    }
    if (x->n && x->t[x->n - 1] != SEP)
        ws_text_push(x, SEP);
    free(norm);
    free(map);
}
