/* http.h - HTTP/1.1 for one connection of the daemon: the request parser
 * (Debian's libhttp-parser underneath) and the response head.
 *
 * The parser state lives in the connection (as Redis keeps it in the
 * client): bytes are fed as they arrive, in pieces of any size, and
 * ws_http_parser_feed() stops after each complete request, so that pipelined
 * requests are answered one at a time and in order; the caller keeps the
 * bytes not used yet and feeds them again after ws_http_parser_next().
 * Every length is checked against a named cap while it arrives, never after.
 *
 * Ownership: a ws_http_parser is embedded in its owner (no allocation of its
 * own); the request it fills owns its strings until ws_http_parser_next() or
 * ws_http_parser_free(). A ws_http_response owns its body (malloc'd). */
#ifndef WS_HTTP_H
#define WS_HTTP_H

#include <http_parser.h>
#include <jansson.h>
#include <stddef.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Named limits on a request. */
/* request target: 414 beyond; a query's longest (WS_QUERY_MAX_BYTES,
 * 4 KiB) percent-encoded as Chinese is 12 KiB */
#define WS_HTTP_MAX_URL     (16u << 10)
#define WS_HTTP_MAX_HEADERS (16u << 10) /* all header names and values: 431 */
#define WS_HTTP_MAX_NHEADER 100         /* number of header lines: 431 */
#define WS_HTTP_MAX_BODY    (8u << 20)  /* body: 413 */
#define WS_HTTP_BODY_START  (64u << 10) /* a body's first buffer; it doubles as bytes come */

typedef struct ws_http_header {
    char *name; /* as sent (compare case-insensitively) */
    char *value;
} ws_http_header;

typedef struct ws_http_request {
    enum http_method method; /* HTTP_GET, HTTP_POST, ... */
    char *url;               /* request target as sent, NUL-terminated */
    size_t url_len;
    ws_http_header *headers;
    size_t nheaders;
    char *body; /* NUL-terminated (the NUL is not counted); NULL when empty */
    size_t body_len;
    int keep_alive; /* the client allows another request on the connection */
    int from_local; /* set by the daemon: loopback peer or Unix socket */
} ws_http_request;

typedef enum ws_http_result {
    WS_HTTP_MORE = 0, /* every byte used; the request is not complete yet */
    WS_HTTP_REQUEST,  /* a complete request is in parser->req */
    WS_HTTP_ERROR,    /* not HTTP, or past a limit: answer parser->error_status
                         with parser->error_msg and close the connection */
} ws_http_result;

/* Called once the request line and headers of a request that announces a
 * body are read, before any byte of the body is taken: returns 0 to read the request on, or the
 * status that refuses it with *msg (a static string), so that a request that will be refused anyway
 * (a write without permission) reserves no body memory and is answered without waiting for its
 * body. */
typedef int (*ws_http_head_cb)(void *ctx, ws_http_request *req, const char **msg);

typedef struct ws_http_parser {
    http_parser p;
    ws_http_request req;     /* the request being read */
    size_t header_bytes;     /* names and values so far */
    size_t body_cap;         /* allocated bytes of req.body */
    size_t body_max;         /* what req.body may grow to: the announced length + 1 */
    int in_value;            /* the last header callback was a value */
    int complete;            /* req holds a whole request */
    int started;             /* some byte of the current request has arrived */
    int head_done;           /* the request line and headers have been read */
    int send_continue;       /* the client waits for "100 Continue" (Expect) */
    size_t *body_budget;     /* shared bytes left for bodies in memory (NULL: no budget) */
    ws_http_head_cb on_head; /* NULL: none */
    void *head_ctx;
    size_t body_reserved; /* what this request took from it */
    /* a chunk's data must end in CRLF, which Debian's http_parser (built
     * lenient) does not check: the bytes of it still to see, and where */
    size_t chunk_left;     /* bytes of the current chunk's data still to come */
    int chunk_fresh;       /* no byte of the current chunk's data seen yet */
    const char *feed_from; /* the bytes being fed */
    char tail[2];          /* the last two bytes fed before them (the line end
                              before a chunk's data may be there) */
    unsigned crlf_due;     /* 2, 1: the CRLF's bytes not yet checked; 0: none due */
    const char *crlf_from; /* where they start in the bytes being fed */
    int error_status;      /* 400, 413, 414, 431, ... when WS_HTTP_ERROR */
    const char *error_msg; /* static string */
} ws_http_parser;

/* Readies hp. body_budget, if not NULL, is shared by the parsers of all
 * connections (one thread): the bytes of bodies held in memory at once, so
 * that many large requests cannot exhaust memory (503 when it is spent). A
 * body takes from it as its bytes arrive (its buffer grows by doubling up
 * to the announced length), not what its headers announce: a client that
 * announces 8 MiB and trickles holds what it sent. on_head (may be NULL)
 * is called with head_ctx for every request (ws_http_head_cb). */
void ws_http_parser_init(ws_http_parser *hp, size_t *body_budget, ws_http_head_cb on_head,
                         void *head_ctx);

/* Parses data[0..len). *used is the number of bytes consumed: all of them
 * for WS_HTTP_MORE; up to the end of the request for WS_HTTP_REQUEST (the
 * rest belongs to the next request). Feeding len 0 tells the parser that the
 * peer closed its side. After WS_HTTP_ERROR the parser takes no more bytes. */
ws_http_result ws_http_parser_feed(ws_http_parser *hp, const char *data, size_t len, size_t *used);

/* Forgets the request just handled and readies for the next one. */
void ws_http_parser_next(ws_http_parser *hp);

/* 1 when no byte of an unfinished request is held (between requests). */
int ws_http_parser_idle(const ws_http_parser *hp);

void ws_http_parser_free(ws_http_parser *hp);

/* The value of header name (case-insensitive) or NULL; owned by req. */
const char *ws_http_request_header(const ws_http_request *req, const char *name);

/* The path of req->url, percent-decoded into a new string (caller frees),
 * and the raw query string (without '?', not decoded; points into req->url;
 * length in *query_len, 0 when absent). WS_EINVAL when the target is not a
 * valid URL or its path decodes to a NUL byte; WS_ENOMEM. */
ws_status ws_http_request_target(const ws_http_request *req, char **path, const char **query,
                                 size_t *query_len);

/* 1 when s[0..len) is valid UTF-8 (no overlongs, surrogates or NUL). */
int ws_http_utf8_valid(const char *s, size_t len);

/* Decodes %XX escapes of s[0..len) (and '+' as a space when plus is set) into
 * out, which has room for len + 1 bytes; *out_len gets the length. WS_EINVAL
 * for a broken escape or an escaped NUL. */
ws_status ws_http_url_decode(const char *s, size_t len, int plus, char *out, size_t *out_len);

typedef struct ws_http_response {
    int status;               /* 200, 404, ... */
    const char *content_type; /* static string; NULL for JSON */
    const char *extra;        /* static header lines ending in \r\n, or NULL */
    char allow[64];           /* the Allow header of a 405 */
    char *body;               /* malloc'd, owned; may be NULL */
    size_t body_len;
    int close; /* close the connection after this response */
    /* A body made in pieces, sent chunked (no Content-Length), instead of
     * body: after the head the daemon calls stream on a thread of the pool
     * for each piece, and sends it before it asks for the next, so that an
     * answer of any size holds one piece in memory. stream sets *piece
     * (malloc'd, the daemon frees it) and *len, *len 0 at the end; a
     * non-zero return ends the answer there, without the last chunk, and
     * closes the connection: the client sees a cut answer, not a short one.
     * stream_free(stream_ctx) runs once the answer is done or abandoned. */
    int (*stream)(void *ctx, char **piece, size_t *len);
    void (*stream_free)(void *ctx);
    void *stream_ctx;
} ws_http_response;

/* Sets an error answer: status and the body {"error": msg} (msg printf-style,
 * truncated at 1 KiB, made valid UTF-8). Frees any earlier body. */
void ws_http_response_error(ws_http_response *res, int status, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Sets a JSON answer: status and json dumped compactly. Takes the reference
 * to json (decrefs it). 500 when it cannot be dumped. */
void ws_http_response_json(ws_http_response *res, int status, json_t *json);

/* Frees the body and clears the response. */
void ws_http_response_clear(ws_http_response *res);

/* Writes the status line and headers of res into buf (size cap); returns
 * their length, or 0 when they do not fit. keep_alive says what the
 * Connection header announces. */
size_t ws_http_response_head(const ws_http_response *res, int keep_alive, char *buf, size_t cap);

/* "OK", "Not Found", ... for a status code. */
const char *ws_http_reason(int status);

#ifdef __cplusplus
}
#endif
#endif
