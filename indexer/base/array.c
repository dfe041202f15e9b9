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
