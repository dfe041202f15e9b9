/* http.c - the per-connection HTTP/1.1 request parser and response head. */
#include "http.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "utf8.h"

/* (the messages below name the limits in words: they move together) */
_Static_assert(WS_HTTP_MAX_URL == 16384, "the 414 message names 16384 bytes");
_Static_assert(WS_HTTP_MAX_HEADERS == 16384, "the 431 message names 16384 bytes");

static int fail(ws_http_parser *hp, int status, const char *msg)
{
    if (!hp->error_status) {
        hp->error_status = status;
        hp->error_msg = msg;
    }
    return 1; /* non-zero stops http_parser_execute */
}

/* Appends data[0..len) to the NUL-terminated string *s of length *n. */
static int append(char **s, size_t *n, const char *data, size_t len)
{
    char *t = realloc(*s, *n + len + 1);
    if (!t)
        return -1;
    memcpy(t + *n, data, len);
    *n += len;
    t[*n] = '\0';
    *s = t;
    return 0;
}

static ws_http_parser *of(http_parser *p)
{
    return p->data;
}

static int on_message_begin(http_parser *p)
{
    of(p)->started = 1;
    return 0;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
    ws_http_parser *hp = of(p);
    ws_http_request *req = &hp->req;
    if (req->url_len + len > WS_HTTP_MAX_URL)
        return fail(hp, 414, "the request target is longer than 16384 bytes");
    if (append(&req->url, &req->url_len, at, len) != 0)
        return fail(hp, 503, "out of memory");
    return 0;
}

/* Appends a piece of a header name or value, counting it against the cap. */
static int append_header(ws_http_parser *hp, char **s, const char *at, size_t len)
{
    hp->header_bytes += len;
    if (hp->header_bytes > WS_HTTP_MAX_HEADERS)
        return fail(hp, 431, "the request headers are longer than 16384 bytes");
    size_t n = strlen(*s);
    if (append(s, &n, at, len) != 0)
        return fail(hp, 503, "out of memory");
    return 0;
}

static int on_header_field(http_parser *p, const char *at, size_t len)
{
    ws_http_parser *hp = of(p);
    ws_http_request *req = &hp->req;
    if (hp->in_value || req->nheaders == 0) { /* a new header line */
        if (req->nheaders == WS_HTTP_MAX_NHEADER)
            return fail(hp, 431, "the request has more than 100 headers");
        ws_http_header *h = realloc(req->headers, (req->nheaders + 1) * sizeof *h);
        if (!h)
            return fail(hp, 503, "out of memory");
        req->headers = h;
        h[req->nheaders].name = calloc(1, 1);
        h[req->nheaders].value = calloc(1, 1);
        req->nheaders++;
        if (!h[req->nheaders - 1].name || !h[req->nheaders - 1].value)
            return fail(hp, 503, "out of memory");
        hp->in_value = 0;
    }
    return append_header(hp, &req->headers[req->nheaders - 1].name, at, len);
}

static int on_header_value(http_parser *p, const char *at, size_t len)
{
    ws_http_parser *hp = of(p);
    ws_http_request *req = &hp->req;
    if (req->nheaders == 0)
        return fail(hp, 400, "a header value without a name");
    hp->in_value = 1;
    return append_header(hp, &req->headers[req->nheaders - 1].value, at, len);
}

/* Takes n more bytes for the body from the shared budget. */
static int reserve(ws_http_parser *hp, size_t n)
{
    if (!hp->body_budget)
        return 0;
    if (n > *hp->body_budget)
        return fail(hp, 503, "too many large requests at once; try again");
    *hp->body_budget -= n;
    hp->body_reserved += n;
    return 0;
}

static int on_headers_complete(http_parser *p)
{
    ws_http_parser *hp = of(p);
    hp->head_done = 1;
    int has_length = (p->flags & F_CONTENTLENGTH) && !(p->flags & F_CHUNKED);
    if (has_length && p->content_length > WS_HTTP_MAX_BODY)
        return fail(hp, 413, "the request body is larger than 8 MiB");
    if (p->http_major != 1)
        return fail(hp, 505, "only HTTP/1.0 and HTTP/1.1 are served");
    if (p->method == HTTP_CONNECT)
        return fail(hp, 405, "CONNECT is not served");
    /* "gzip, chunked" would be read as chunked with the gzip dropped, and
     * two such headers as one: a body is read as sent, or not at all */
    int codings = 0;
    for (size_t i = 0; i < hp->req.nheaders; i++) {
        if (strcasecmp(hp->req.headers[i].name, "Transfer-Encoding") != 0)
            continue;
        const char *v = hp->req.headers[i].value;
        v += strspn(v, " \t");
        size_t n = strlen(v);
        while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
            n--;
        if (++codings > 1 || n != 7 || strncasecmp(v, "chunked", 7) != 0)
            return fail(hp, 501, "only the chunked transfer coding is served, once");
    }
    hp->req.method = (enum http_method)p->method;
    const char *msg = NULL;
    int has_body = (p->flags & F_CHUNKED) || (has_length && p->content_length > 0);
    int refused = has_body && hp->on_head ? hp->on_head(hp->head_ctx, &hp->req, &msg) : 0;
    if (refused)
        return fail(hp, refused, msg ? msg : "the request is refused");
    const char *expect = ws_http_request_header(&hp->req, "Expect");
    if (expect && strcasecmp(expect, "100-continue") == 0 &&
        (p->flags & F_CHUNKED || (has_length && p->content_length > 0)))
        hp->send_continue = 1;
    hp->body_max = has_length ? p->content_length + 1 : WS_HTTP_MAX_BODY + 1;
    return 0;
}

/* A chunk announces its size before its bytes: refuse at once one that
 * would take the body past its cap, as a Content-Length would be. */
static int on_chunk_header(http_parser *p)
{
    ws_http_parser *hp = of(p);
    if (p->content_length > WS_HTTP_MAX_BODY - hp->req.body_len)
        return fail(hp, 413, "a chunk takes the request body past 8 MiB");
    hp->chunk_left = p->content_length;
    hp->chunk_fresh = 1;
    return 0;
}

/* The byte k (1 or 2) before at, a pointer into the bytes being fed: there,
 * or in the tail of those fed before. */
static char byte_before(const ws_http_parser *hp, const char *at, size_t k)
{
    size_t in = (size_t)(at - hp->feed_from);
    return k <= in ? at[-(ptrdiff_t)k] : hp->tail[2 - (k - in)];
}

/* Checks the bytes of the CRLF due after a chunk's data that stand before
 * end: http_parser, as Debian builds it, takes any two bytes there, so
 * that "19\r\n<25 bytes>XY0\r\n\r\n" would be a request. */
static int crlf_check(ws_http_parser *hp, const char *end)
{
    for (; hp->crlf_due && hp->crlf_from < end; hp->crlf_from++, hp->crlf_due--)
        if (*hp->crlf_from != (hp->crlf_due == 2 ? '\r' : '\n'))
            return fail(hp, 400, "a chunk's data is not followed by CRLF");
    return 0;
}

/* Called once the two bytes after a chunk's data are read: they are in the
 * bytes being fed, from crlf_from (the feed's start when the data ended in
 * an earlier one). */
static int on_chunk_complete(http_parser *p)
{
    ws_http_parser *hp = of(p);
    return hp->crlf_due ? crlf_check(hp, hp->crlf_from + hp->crlf_due) : 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
    ws_http_parser *hp = of(p);
    ws_http_request *req = &hp->req;
    if ((p->flags & F_CHUNKED) && hp->chunk_fresh) {
        /* the size line ends in CRLF: the lenient parser takes any byte
         * after its CR */
        hp->chunk_fresh = 0;
        if (byte_before(hp, at, 2) != '\r' || byte_before(hp, at, 1) != '\n')
            return fail(hp, 400, "a chunk's size line does not end in CRLF");
    }
    if (req->body_len + len > WS_HTTP_MAX_BODY)
        return fail(hp, 413, "the request body is larger than 8 MiB");
    if (req->body_len + len + 1 > hp->body_cap) { /* grow by doubling, as the bytes come */
        size_t cap = hp->body_cap ? hp->body_cap : WS_HTTP_BODY_START;
        while (cap < req->body_len + len + 1)
            cap *= 2;
        if (cap > hp->body_max)
            cap = hp->body_max;
        if (reserve(hp, cap - hp->body_cap) != 0)
            return 1;
        char *b = realloc(req->body, cap);
        if (!b)
            return fail(hp, 503, "out of memory");
        req->body = b;
        hp->body_cap = cap;
    }
    memcpy(req->body + req->body_len, at, len);
    req->body_len += len;
    req->body[req->body_len] = '\0';
    if (p->flags & F_CHUNKED) {
        hp->chunk_left -= len < hp->chunk_left ? len : hp->chunk_left;
        if (!hp->chunk_left) {
            hp->crlf_due = 2;
            hp->crlf_from = at + len;
        }
    }
    return 0;
}

static int on_message_complete(http_parser *p)
{
    ws_http_parser *hp = of(p);
    hp->req.method = (enum http_method)p->method;
    hp->req.keep_alive = http_should_keep_alive(p) && !p->upgrade;
    hp->complete = 1;
    /* Stop here: the bytes after this request wait until it is answered. */
    http_parser_pause(p, 1);
    return 0;
}

static const http_parser_settings settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_chunk_header = on_chunk_header,
    .on_chunk_complete = on_chunk_complete,
    .on_message_complete = on_message_complete,
};

void ws_http_parser_init(ws_http_parser *hp, size_t *body_budget, ws_http_head_cb on_head,
                         void *head_ctx)
{
    memset(hp, 0, sizeof *hp);
    http_parser_init(&hp->p, HTTP_REQUEST);
    hp->p.data = hp;
    hp->body_budget = body_budget;
    hp->on_head = on_head;
    hp->head_ctx = head_ctx;
}

static void request_free(ws_http_parser *hp)
{
    ws_http_request *req = &hp->req;
    if (hp->body_budget)
        *hp->body_budget += hp->body_reserved;
    hp->body_reserved = 0;
    free(req->url);
    for (size_t i = 0; i < req->nheaders; i++) {
        free(req->headers[i].name);
        free(req->headers[i].value);
    }
    free(req->headers);
    free(req->body);
    memset(req, 0, sizeof *req);
}

ws_http_result ws_http_parser_feed(ws_http_parser *hp, const char *data, size_t len, size_t *used)
{
    *used = 0;
    if (hp->error_status)
        return WS_HTTP_ERROR;
    if (hp->complete)
        return WS_HTTP_REQUEST;
    if (len == 0) { /* the peer closed its side */
        if (!hp->started)
            return WS_HTTP_MORE;
        fail(hp, 400, "the request ended early");
        return WS_HTTP_ERROR;
    }
    if (hp->crlf_due)
        hp->crlf_from = data; /* the rest of a chunk's CRLF comes first */
    hp->feed_from = data;
    *used = http_parser_execute(&hp->p, &settings, data, len);
    if (!hp->error_status)
        crlf_check(hp, data + *used); /* what came of a CRLF not complete yet */
    for (size_t i = *used > 2 ? *used - 2 : 0; i < *used; i++) { /* the new tail */
        hp->tail[0] = hp->tail[1];
        hp->tail[1] = data[i];
    }
    if (hp->error_status)
        return WS_HTTP_ERROR;
    if (hp->complete)
        return WS_HTTP_REQUEST;
    enum http_errno e = HTTP_PARSER_ERRNO(&hp->p);
    if (e == HPE_INVALID_CONTENT_LENGTH && hp->head_done)
        /* http_parser says so of a chunk size past 64 bits, which is no
         * Content-Length header */
        fail(hp, 413, "a chunk size is too large (a request body takes 8 MiB at most)");
    else if (e == HPE_HEADER_OVERFLOW)
        fail(hp, 431, "the request line and headers are too long");
    else if (e == HPE_INVALID_VERSION)
        fail(hp, 505, "only HTTP/1.x is served");
    else if (e != HPE_OK)
        fail(hp, 400, http_errno_description(e));
    else
        return WS_HTTP_MORE;
    return WS_HTTP_ERROR;
}

void ws_http_parser_next(ws_http_parser *hp)
{
    size_t *budget = hp->body_budget;
    ws_http_head_cb on_head = hp->on_head;
    void *ctx = hp->head_ctx;
    request_free(hp);
    ws_http_parser_init(hp, budget, on_head, ctx);
}

int ws_http_parser_idle(const ws_http_parser *hp)
{
    return !hp->started;
}

void ws_http_parser_free(ws_http_parser *hp)
{
    request_free(hp);
}

const char *ws_http_request_header(const ws_http_request *req, const char *name)
{
    for (size_t i = 0; i < req->nheaders; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

ws_status ws_http_url_decode(const char *s, size_t len, int plus, char *out, size_t *out_len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= len)
                return WS_EINVAL;
            int hi = hexval((unsigned char)s[i + 1]);
            int lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return WS_EINVAL;
            c = (unsigned char)(hi << 4 | lo);
            if (c == 0)
                return WS_EINVAL;
            i += 2;
        } else if (c == '+' && plus) {
            c = ' ';
        } else if (c == 0) {
            return WS_EINVAL;
        }
        out[n++] = (char)c;
    }
    out[n] = '\0';
    *out_len = n;
    return WS_OK;
}

ws_status ws_http_request_target(const ws_http_request *req, char **path, const char **query,
                                 size_t *query_len)
{
    struct http_parser_url u;
    *path = NULL;
    *query = NULL;
    *query_len = 0;
    if (!req->url)
        return WS_EINVAL;
    http_parser_url_init(&u);
    if (http_parser_parse_url(req->url, req->url_len, 0, &u) != 0 ||
        !(u.field_set & (1 << UF_PATH)))
        return WS_EINVAL;
    const char *p = req->url + u.field_data[UF_PATH].off;
    size_t plen = u.field_data[UF_PATH].len;
    char *out = malloc(plen + 1);
    if (!out)
        return WS_ENOMEM;
    size_t n;
    if (ws_http_url_decode(p, plen, 0, out, &n) != WS_OK) {
        free(out);
        return WS_EINVAL;
    }
    *path = out;
    if (u.field_set & (1 << UF_QUERY)) {
        *query = req->url + u.field_data[UF_QUERY].off;
        *query_len = u.field_data[UF_QUERY].len;
    }
    return WS_OK;
}

int ws_http_utf8_valid(const char *s, size_t len)
{
    return !memchr(s, 0, len) && ws_utf8_valid(s, len);
}

void ws_http_response_clear(ws_http_response *res)
{
    if (res->stream_free && res->stream_ctx)
        res->stream_free(res->stream_ctx);
    free(res->body);
    memset(res, 0, sizeof *res);
}

void ws_http_response_json(ws_http_response *res, int status, json_t *json)
{
    char *s = json ? json_dumps(json, JSON_COMPACT) : NULL;
    json_decref(json);
    free(res->body);
    res->body = NULL;
    res->body_len = 0;
    res->content_type = NULL;
    if (!s) {
        static const char oom[] = "{\"error\":\"the answer could not be encoded\"}";
        res->status = 500;
        res->body = strdup(oom);
        res->body_len = res->body ? sizeof oom - 1 : 0;
        return;
    }
    res->status = status;
    res->body = s;
    res->body_len = strlen(s);
}

void ws_http_response_error(ws_http_response *res, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Messages may quote what the client sent: never let a broken byte make
     * the answer unencodable. */
    size_t len = strlen(msg);
    for (size_t i = 0; i < len;) {
        size_t n = ws_utf8_seq((unsigned char *)msg + i, len - i);
        if (!n) {
            msg[i++] = '?';
            continue;
        }
        i += n;
    }
    ws_http_response_json(res, status, json_pack("{s:s}", "error", msg));
    res->status = status; /* keep the status even when the body failed */
}

const char *ws_http_reason(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

size_t ws_http_response_head(const ws_http_response *res, int keep_alive, char *buf, size_t cap)
{
    char length[48];
    if (res->stream)
        snprintf(length, sizeof length, "Transfer-Encoding: chunked\r\n");
    else
        snprintf(length, sizeof length, "Content-Length: %zu\r\n", res->body_len);
    int n = snprintf(buf, cap,
                     "HTTP/1.1 %d %s\r\n"
                     "Content-Type: %s\r\n"
                     "%s"
                     "Connection: %s\r\n"
                     "%s%s%s%s"
                     "\r\n",
                     res->status, ws_http_reason(res->status),
                     res->content_type ? res->content_type : "application/json; charset=utf-8",
                     length, keep_alive ? "keep-alive" : "close", res->allow[0] ? "Allow: " : "",
                     res->allow, res->allow[0] ? "\r\n" : "", res->extra ? res->extra : "");
    if (n < 0 || (size_t)n >= cap)
        return 0;
    return (size_t)n;
}
