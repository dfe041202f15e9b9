/* path.h - a file's path written one way, for the ids of documents that
 * have none of their own: wensuo-index's and wensuo add's alike.
 *
 * Runs of '/' as one, no "." segment, no '/' at the end: laws//刑法/,
 * ./laws/刑法 and laws/刑法 gave three ids to each file, and so three
 * documents. ".." is kept (a link may stand before it). A relative path and
 * an absolute one stay two spellings. */
#ifndef WS_PATH_H
#define WS_PATH_H

/* path written one way, malloc'd (the caller frees), or NULL when out of
 * memory. */
char *ws_path_clean(const char *path);

#endif
