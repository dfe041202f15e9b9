#include "docsort.h"

#include <stdlib.h>
#include <string.h>

/* Below this many, insertion into place costs less than clearing the
 * counts of a radix pass (65,536 of them). */
#define SMALL 256

static void insertion(ws_docplace *p, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        ws_docplace x = p[k];
        size_t j = k;
        for (; j > 0 && p[j - 1].docid > x.docid; j--)
            p[j] = p[j - 1];
        p[j] = x;
    }
}

/* One counting pass on the 16 bits at shift, from src into dst. */
static void pass(const ws_docplace *src, ws_docplace *dst, size_t n, unsigned shift, size_t *count)
{
    memset(count, 0, 65536 * sizeof *count);
    for (size_t k = 0; k < n; k++)
        count[(src[k].docid >> shift) & 0xFFFF]++;
    size_t at = 0;
    for (size_t b = 0; b < 65536; b++) {
        size_t c = count[b];
        count[b] = at;
        at += c;
    }
    for (size_t k = 0; k < n; k++)
        dst[count[(src[k].docid >> shift) & 0xFFFF]++] = src[k];
}

ws_status ws_docplace_sort(ws_docplace *p, size_t n)
{
    int sorted = 1;
    uint32_t high = 0;
    for (size_t k = 0; k < n; k++) {
        sorted &= k == 0 || p[k - 1].docid <= p[k].docid;
        high |= p[k].docid;
    }
    if (sorted)
        return WS_OK;
    if (n < SMALL) {
        insertion(p, n);
        return WS_OK;
    }
    ws_docplace *tmp = malloc(n * sizeof *tmp);
    size_t *count = malloc(65536 * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return WS_ENOMEM;
    }
    pass(p, tmp, n, 0, count);
    if (high >> 16)
        pass(tmp, p, n, 16, count);
    else
        memcpy(p, tmp, n * sizeof *p);
    free(tmp);
    free(count);
    return WS_OK;
}
