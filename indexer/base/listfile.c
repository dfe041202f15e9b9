/* listfile.c - a user's file of lines, opened when it is one (listfile.h). */
#include "listfile.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

ws_status ws_listfile_open(const char *path, size_t max, FILE **out)
{
    *out = NULL;
    /* O_NONBLOCK: a FIFO must not block the open; fstat then refuses it */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return WS_ENOTFOUND;
    struct stat sb;
    ws_status st = WS_OK;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        st = WS_EINVAL;
    else if ((uintmax_t)sb.st_size > max)
        st = WS_ETOOBIG;
    else if (!(*out = fdopen(fd, "r")))
        st = WS_ENOMEM;
    if (st != WS_OK)
        close(fd);
    return st;
}

const char *ws_listfile_why(ws_status st)
{
    switch (st) {
    case WS_ENOTFOUND:
        return "missing or unreadable";
    case WS_EINVAL:
        return "not a regular file: a folder, a FIFO or a device";
    case WS_ETOOBIG:
        return "larger than the limit";
    default:
        return ws_status_to_string(st);
    }
}
