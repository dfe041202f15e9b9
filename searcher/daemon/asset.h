/* asset.h - the files of the search page (searcher/daemon/page/), embedded
 * into the daemon at build time by page/embed.cmake, with the headers each is
 * served with.
 *
 * The page is HTML, CSS and JavaScript in files of their own, so that the
 * Content-Security-Policy can forbid every inline script and style: the page
 * runs only what the daemon itself serves, and reaches only the daemon. The
 * charting library (Debian's libjs-chart.js) is embedded too when the build
 * finds it; without it /static/chart.js is a 404 and the page says so.
 *
 * Everything here is static and read-only: safe from any thread. */
#ifndef WS_ASSET_H
#define WS_ASSET_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What every file of the page is served with, after its ETag. no-cache: the
 * browser asks again each time, and the ETag makes the answer a 304 while
 * the file is unchanged, so a new daemon never leaves an old script behind. */
#define WS_ASSET_HEADERS                                                                           \
    "Cache-Control: no-cache\r\n"                                                                  \
    "X-Content-Type-Options: nosniff\r\n"                                                          \
    "Referrer-Policy: same-origin\r\n"                                                             \
    "Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; "           \
    "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "                    \
    "frame-ancestors 'none'\r\n"

typedef struct ws_asset {
    const char *path;         /* the URL path: "/", "/static/app.js", ... */
    const char *content_type; /* with its charset for text */
    const char *etag;         /* quoted, as in the ETag header */
    const char *headers;      /* ETag and WS_ASSET_HEADERS, lines ending in \r\n */
    const unsigned char *data;
    size_t len;
} ws_asset;

/* The file served at path, or NULL. */
const ws_asset *ws_asset_find(const char *path);

/* 1 when an If-None-Match header value (NULL: none) names asset's ETag, so
 * that a 304 answers. */
int ws_asset_unchanged(const ws_asset *asset, const char *if_none_match);

/* The table, ended by an entry whose path is NULL (generated). */
extern const ws_asset ws__assets[];

#ifdef __cplusplus
}
#endif
#endif
