/* readall.c - a file read whole (readall.h). */
#include "readall.h"

#include <errno.h>
#include <unistd.h>

ws_status ws_readall(int fd, char *buf, size_t size)
{
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return WS_EIO;
        if (n == 0)
            return WS_ECORRUPT;
        got += (size_t)n;
    }
    return WS_OK;
}
