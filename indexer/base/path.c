/* path.c - a path written one way (path.h). */
#include "path.h"

#include <stdlib.h>
#include <string.h>

char *ws_path_clean(const char *path)
{
    size_t n = strlen(path), k = 0;
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    for (size_t i = 0; i < n;) {
        if (path[i] == '/') {
            if (!k || c[k - 1] != '/')
                c[k++] = '/';
            i++;
        } else if (path[i] == '.' && (i == 0 || path[i - 1] == '/') &&
                   (i + 1 == n || path[i + 1] == '/') && n > 1) {
            i += 1; /* a "." segment (and its '/', taken as a run) */
            while (i < n && path[i] == '/')
                i++;
        } else {
            c[k++] = path[i++];
        }
    }
    while (k > 1 && c[k - 1] == '/')
        k--;
    if (!k)
        c[k++] = '.';
    c[k] = '\0';
    return c;
}
