/* array.h - room in a growing array: items of one size, reallocated to twice
 * their room as they come, so that appending n of them costs O(n). */
#ifndef WS_ARRAY_H
#define WS_ARRAY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* items (n of them, size bytes each, room for *cap) with room for one more:
 * when full, reallocated to twice *cap (first when 0), *cap updated. NULL
 * when out of memory, items then untouched and still the caller's. */
void *ws_array_room(void *items, size_t n, size_t *cap, size_t size, size_t first);

#ifdef __cplusplus
}
#endif
#endif
