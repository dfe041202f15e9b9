/* crew.h - one job shared by a few threads: each runs fn on its own
 * element of an array, the calling thread the first; an element no thread
 * could be made for is run by the calling thread after its own, so that a
 * machine out of threads still does all the work, one share after another.
 * What the sweeps of many documents (valuesweep.h, cachesweep.h) and the
 * counting and ranking a shard a thread (shardrank.h) run on. */
#ifndef WS_CREW_H
#define WS_CREW_H

#include <stddef.h>

/* The most threads a crew takes. */
#define WS_CREW_MAX 8

/* Runs fn(arg + t * size) for t < n (at most WS_CREW_MAX), each on a thread
 * of its own but the first, which runs on the calling thread; returns once
 * every one has. */
void ws_crew_run(void *(*fn)(void *), void *arg, size_t size, unsigned n);

#endif
