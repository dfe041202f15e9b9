/* listfile.h - a file of lines that a user names (a dictionary, a synonym
 * list) opened for reading only when it is one: a regular file of a
 * bounded size. A folder was read as an empty list, /dev/zero grew without
 * end and a FIFO blocked the program. */
#ifndef WS_LISTFILE_H
#define WS_LISTFILE_H

#include <stdio.h>
#include "status.h"

/* Opens path into *out (the caller fcloses it): WS_ENOTFOUND when it cannot
 * be opened, WS_EINVAL when it is not a regular file (a folder, a FIFO, a
 * device), WS_ETOOBIG when it holds more than max bytes, WS_ENOMEM. Never
 * blocks on what it opens. */
ws_status ws_listfile_open(const char *path, size_t max, FILE **out);

/* What a failure of ws_listfile_open means, for a message ("not a regular
 * file: a folder, a FIFO or a device"). */
const char *ws_listfile_why(ws_status st);

#endif
