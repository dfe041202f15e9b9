/* sortkeep.h - a concordance's lines sorted by their context, kept for
 * its next pages.
 *
 * Sorting by the left or right context reads every matching document
 * (concordance.c); a page after the first came with a cursor and sorted
 * them all again, so that the 590 pieces of a CSV export of 的's 1.18
 * million lines, or `wensuo kwic --all --sort left`, sorted 590 times. The
 * sorted lines are kept here, process-wide, for the view of the index and
 * the query (its text and filters, compared whole) and sort they were made
 * for: a later page of the same finds them, and another view never does.
 *
 * At most WS_SORTKEEP_ENTRIES sorts and WS_SORTKEEP_BYTES of them are
 * kept; the least lately used goes first. More sorts than instruments run
 * at once (threads less one), so that streams taking turns do not evict
 * each other's sort at every piece. Thread-safe: what a caller finds
 * or keeps is a reference, valid (and unchanged) until it puts it back.
 * Internal to the search layer. */
#ifndef WS_SORTKEEP_H
#define WS_SORTKEEP_H

#include <stddef.h>

#define WS_SORTKEEP_ENTRIES 8 /* more than the instruments that run at once (conn.c) */
#define WS_SORTKEEP_BYTES   (128u << 20)

typedef struct ws_sortkeep ws_sortkeep;

/* The lines kept for (view, key[0..keylen)) with a reference taken, or
 * NULL when there are none. */
ws_sortkeep *ws_sortkeep_find(const char *view, const char *key, size_t keylen);

/* Keeps n lines of size bytes each at lines (malloc'd: taken, freed here
 * in the end) for (view, key), with the documents they come from, and
 * returns them with a reference taken; NULL when they are not kept (more
 * than WS_SORTKEEP_BYTES, or no memory): lines then stays the caller's. */
ws_sortkeep *ws_sortkeep_keep(const char *view, const char *key, size_t keylen, void *lines,
                              size_t n, size_t size, unsigned long documents);

/* The lines of k (read-only), *n of them, from *documents documents. */
const void *ws_sortkeep_lines(const ws_sortkeep *k, size_t *n, unsigned long *documents);

/* Puts a reference back (NULL: nothing). */
void ws_sortkeep_put(ws_sortkeep *k);

#endif
