#include "options.h"

#include <errno.h>
#include <stdlib.h>

int ws_options_number(const char *s, long min, long max, long *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}
