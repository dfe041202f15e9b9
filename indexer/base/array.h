/* array.h - room in growing arrays: items of one size, reallocated to twice
 * their room as they come, so that appending n of them costs O(n). */
#ifndef WS_ARRAY_H
#define WS_ARRAY_H

#include <stddef.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* items (n of them, size bytes each, room for *cap) with room for one more:
 * when full, reallocated to twice *cap (first when 0), *cap updated. NULL
 * when out of memory, items then untouched and still the caller's. */
void *ws_array_room(void *items, size_t n, size_t *cap, size_t size, size_t first);

/* Room for need entries in each of k parallel arrays, *arrays[i] of
 * sizes[i] bytes an entry, which share the room *cap: when short, each is
 * reallocated to *cap doubled (first when 0) as often as need asks, and
 * *cap is updated once all are. WS_ENOMEM leaves *cap as it was (an array
 * already reallocated stays valid, the caller's). */
ws_status ws_array_reserve(void **const arrays[], const size_t sizes[], size_t k, size_t *cap,
                           size_t need, size_t first);

#ifdef __cplusplus
}
#endif
#endif
