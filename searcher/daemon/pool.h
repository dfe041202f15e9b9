/* pool.h - a connection's work on libuv's thread pool: the handler of a
 * WS_ROUTE_WORKER request, and each piece of a streamed answer (http.h),
 * made on the pool and then written. Requests of WS_ROUTE_LARGE and
 * WS_ROUTE_HEAVY take turns (ws__turns, conn.h) so that a search always
 * finds a thread.
 *
 * A connection with work in the pool or waiting its turn is busy: conn.c
 * does not free it; pool.c frees it, once its work is done, if it was
 * closed meanwhile. Internal to the daemon layer: programs see daemon.h. */
#ifndef WS_POOL_H
#define WS_POOL_H

#include "conn.h"

/* 1 when c must wait its turn (queued, busy), 0 when it may run now;
 * piece: what waits is the next piece of c's stream, not its request. */
int ws__pool_wait_turn(ws__conn *c, int piece);

/* Hands c's request to the thread pool (503 when it cannot). */
void ws__pool_start_work(ws__conn *c);

/* The next piece of c's stream, once its turn comes (the head is out, or
 * the last piece was written). */
void ws__pool_stream_next(ws__conn *c);

#endif
