/* stdfd.h - the standard streams of the three programs: held open, and
 * their output checked at the end.
 *
 * A program started with a standard descriptor closed (`>&-`) would give
 * that number to the next file it opens, an index's file among them, and
 * then print into it; so each is taken by /dev/null at the start. And a
 * write to a full disk or a closed stream fails only in the C library's
 * buffer, found by the last flush: a script that runs `wensuo ... > out ||
 * exit` must not get status 0 and half a file. */
#ifndef WS_STDFD_H
#define WS_STDFD_H

/* Opens /dev/null, read-only, on each of descriptors 0, 1 and 2 that is
 * closed (a write to it then fails, as to the closed one), and remembers
 * which were (ws_stdfd_closed). Call first in main. */
void ws_stdfd_guard(void);

/* 1 when descriptor fd (0, 1 or 2) was closed when the program started. */
int ws_stdfd_closed(int fd);

/* The exit status for rc once standard output is flushed: rc, or 1 with a
 * message from prog on stderr when rc is 0 and some output could not be
 * written (a command that failed has said why already). */
int ws_stdfd_finish(const char *prog, int rc);

#endif
