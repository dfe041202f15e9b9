/* bench_util.h - what the daemon benchmarks (bench_daemon, bench_ingest)
 * share: a clock, a comparison for sorting latencies, and starting a
 * wensuo-searchd on a free loopback port. */
#ifndef WS_BENCH_UTIL_H
#define WS_BENCH_UTIL_H

#include <sys/types.h>

/* Milliseconds from libuv's monotonic clock. */
double ws_bench_now_ms(void);

/* qsort comparison of doubles, ascending. */
int ws_bench_cmp_double(const void *a, const void *b);

/* Starts searchd --db db --listen 127.0.0.1:0 --quiet plus the extra
 * arguments (a NULL-terminated list, may be NULL), reads the port it
 * listens on from its first line into *port, and returns its pid, or -1.
 * The caller kills and waits for it. */
pid_t ws_bench_start_daemon(const char *searchd, const char *db, const char *const *extra,
                            int *port);

#endif
