/* remote.h - the client side of the daemon's HTTP API (libcurl), used by the
 * `wensuo` command when it talks to wensuo-searchd.
 *
 * Each call returns WS_OK with the parsed JSON answer in *out (the caller owns
 * it) when the daemon answered 2xx; WS_EIO with errbuf saying how to start the
 * daemon when nothing listens at base_url; WS_EINVAL/WS_ENOTFOUND/WS_ETOOBIG
 * with the daemon's {"error": ...} message in errbuf for 400/404/413. */
#ifndef WS_REMOTE_H
#define WS_REMOTE_H

#include <jansson.h>
#include <stdio.h>
#include "search.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_DEFAULT_SERVER "http://127.0.0.1:7700"

/* The daemon to ask: given, else $WENSUO_SERVER, else WS_DEFAULT_SERVER. */
const char *ws_remote_server(const char *given);

ws_status ws_remote_search(const char *base_url, const ws_search_opts *opts, json_t **out,
                           char *errbuf, size_t errlen);
ws_status ws_remote_get(const char *base_url, const char *id, json_t **out, char *errbuf,
                        size_t errlen);
ws_status ws_remote_stats(const char *base_url, json_t **out, char *errbuf, size_t errlen);
/* POST body (JSON lines) to /documents; DELETE /documents/{id}. */
ws_status ws_remote_post_documents(const char *base_url, const char *body, size_t len,
                                   const char *token, json_t **out, char *errbuf, size_t errlen);
ws_status ws_remote_delete(const char *base_url, const char *id, const char *token, json_t **out,
                           char *errbuf, size_t errlen);

/* GET path with the parameters params[0]=params[1], params[2]=params[3], ...
 * (a NULL-terminated list of names and values; a pair whose value is NULL is
 * left out), percent-encoded here. */
ws_status ws_remote_call(const char *base_url, const char *path, const char *const *params,
                         json_t **out, char *errbuf, size_t errlen);

/* GET /documents/{id}?q=query: the document with where the query's terms
 * stand (query NULL or "": the document alone). */
ws_status ws_remote_read(const char *base_url, const char *id, const char *query, json_t **out,
                         char *errbuf, size_t errlen);

/* As ws_remote_call, for an answer streamed in any size (/export,
 * /concordance?format=csv): its body is written to `to` as it comes. An
 * answer cut short (the daemon's view of the index went, or it stopped) is
 * WS_EIO with errbuf saying that what was written is incomplete. */
ws_status ws_remote_stream(const char *base_url, const char *path, const char *const *params,
                           FILE *to, char *errbuf, size_t errlen);

/* 1 (with a message on stderr) when a command that goes to the daemon (no
 * db) was given a dictionary or synonyms of the client's: the daemon
 * analyzes with its own, so they would be taken and ignored; else 0. */
int ws_remote_refuse_local(const char *db, const char *dict, const char *synonyms);

#ifdef __cplusplus
}
#endif
#endif
