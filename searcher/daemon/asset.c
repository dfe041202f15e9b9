/* asset.c - finds the embedded files of the search page. */
#include "asset.h"

#include <string.h>

const ws_asset *ws_asset_find(const char *path)
{
    for (const ws_asset *a = ws__assets; a->path; a++)
        if (strcmp(a->path, path) == 0)
            return a;
    return NULL;
}

int ws_asset_unchanged(const ws_asset *asset, const char *if_none_match)
{
    if (!if_none_match)
        return 0;
    size_t n = strlen(asset->etag);
    /* A list of ETags, each possibly weak (W/"..."), or "*". */
    for (const char *p = if_none_match; *p;) {
        p += strspn(p, " \t,");
        if (*p == '*')
            return 1;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (strncmp(p, asset->etag, n) == 0 && (p[n] == '\0' || strchr(" \t,", p[n])))
            return 1;
        p += strcspn(p, ",");
    }
    return 0;
}
