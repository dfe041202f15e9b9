#include "array.h"

#include <stdlib.h>

void *ws_array_room(void *items, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return items;
    size_t c = *cap ? *cap * 2 : first;
    void *p = realloc(items, c * size);
    if (p)
        *cap = c;
    return p;
}

ws_status ws_array_reserve(void **const arrays[], const size_t sizes[], size_t k, size_t *cap,
                           size_t need, size_t first)
{
    if (need <= *cap)
        return WS_OK;
    size_t n = *cap ? *cap : first;
    while (n < need)
        n *= 2;
    for (size_t i = 0; i < k; i++) {
        void *q = realloc(*arrays[i], n * sizes[i]);
        if (!q)
            return WS_ENOMEM;
        *arrays[i] = q;
    }
    *cap = n;
    return WS_OK;
}
