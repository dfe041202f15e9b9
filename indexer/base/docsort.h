/* docsort.h - documents listed in another order (relevance, date) put in
 * docid order, each with its place in the list: what reading along the
 * index's streams needs (export rows, word lists), where neighbours share
 * the index's blocks.
 *
 * A radix sort on the docid, two passes of 16 bits: glibc's qsort of the
 * 93,073 documents of 人民 (a merge sort through a comparison function)
 * was 7% of the CPU of their export in a profile, and a pass over the
 * pairs is a few hundred microseconds. Stable: documents of one docid keep
 * their places' order. */
#ifndef WS_DOCSORT_H
#define WS_DOCSORT_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_docplace {
    uint32_t docid;
    uint32_t i; /* the place in the list it came from */
} ws_docplace;

/* Sorts p[0..n) by docid, stably. WS_ENOMEM (p unchanged) when the room
 * for a copy cannot be had. */
ws_status ws_docplace_sort(ws_docplace *p, size_t n);

#ifdef __cplusplus
}
#endif
#endif
