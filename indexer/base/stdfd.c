/* stdfd.c - the standard streams held open and checked (stdfd.h). */
#include "stdfd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int was_closed[3];

void ws_stdfd_guard(void)
{
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        /* open gives the lowest free descriptor: this one; read-only, so
         * that a write to a closed stdout still fails (ws_stdfd_finish) */
        int got = open("/dev/null", O_RDONLY);
        was_closed[fd] = 1;
        if (got >= 0 && got != fd)
            close(got); /* (not ours to take: another was lower) */
    }
}

int ws_stdfd_closed(int fd)
{
    return fd >= 0 && fd < 3 && was_closed[fd];
}

int ws_stdfd_finish(const char *prog, int rc)
{
    errno = 0;
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (!failed || rc)
        return rc; /* (a command that failed has said why: the write's failure among them) */
    fprintf(stderr, "%s: cannot write the output%s: %s\n", prog,
            was_closed[1] ? " (standard output is closed)" : "", e ? strerror(e) : "write error");
    return rc ? rc : 1;
}
