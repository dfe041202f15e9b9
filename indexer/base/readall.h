/* readall.h - a file's bytes read whole into memory, by read(2): a file cut
 * short while it is read is said to be, where a mapping of it raised
 * SIGBUS and killed the program. */
#ifndef WS_READALL_H
#define WS_READALL_H

#include <stddef.h>
#include "status.h"

/* Reads size bytes of fd (from where it stands) into buf, going on after
 * EINTR: WS_OK; WS_EIO with errno set when read fails; WS_ECORRUPT when the
 * file ends first (cut short while read, or still being written). */
ws_status ws_readall(int fd, char *buf, size_t size);

#endif
