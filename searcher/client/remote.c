/* remote.c - the client side of the daemon's HTTP API, on libcurl.
 *
 * base_url is http://HOST:PORT (a trailing '/' is allowed) or unix:PATH for
 * the daemon's Unix socket. Answers are read into a buffer with a hard cap
 * (WS_REMOTE_MAX_ANSWER) and parsed with jansson. */
#include "remote.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define WS_REMOTE_MAX_ANSWER (256u << 20) /* a stored document may be 64 MiB, and JSON-escaped */
#define WS_REMOTE_CONNECT_MS 5000L
#define WS_REMOTE_TIMEOUT_MS 300000L

typedef struct answer {
    ws_strbuf buf;
    int too_big;
    FILE *to; /* a streamed answer's body goes here when it is a 2xx */
    CURL *h;
} answer;

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
    answer *a = ctx;
    size_t len = size * n;
    long code = 0;
    if (a->to && curl_easy_getinfo(a->h, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
        code >= 200 && code < 300)
        return fwrite(p, 1, len, a->to) == len ? len : 0;
    if (a->buf.len + len > WS_REMOTE_MAX_ANSWER) {
        a->too_big = 1;
        return 0; /* aborts the transfer */
    }
    ws_strbuf_add(&a->buf, p, len);
    return a->buf.failed ? 0 : len;
}

static void sb_escaped(ws_strbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            ws_strbuf_add(b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            ws_strbuf_add(b, e, 3);
        }
    }
}

/* s as one segment of a path: escaped, and "." and ".." (which curl, as
 * any URL library, resolves away as dot segments) written %2E. */
static void sb_segment(ws_strbuf *b, const char *s)
{
    if (!strcmp(s, ".") || !strcmp(s, ".."))
        for (const char *p = s; *p; p++)
            ws_strbuf_add(b, "%2E", 3);
    else
        sb_escaped(b, s);
}

static void sb_param(ws_strbuf *b, const char *name, const char *value)
{
    if (!value)
        return;
    ws_strbuf_str(b, strchr(b->s ? b->s : "", '?') ? "&" : "?");
    ws_strbuf_str(b, name);
    ws_strbuf_str(b, "=");
    sb_escaped(b, value);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_status = CURLE_FAILED_INIT;

static void curl_init(void)
{
    curl_init_status = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static ws_status status_of_http(long code)
{
    switch (code) {
    case 404:
        return WS_ENOTFOUND;
    case 413:
    case 414:
    case 431:
        return WS_ETOOBIG;
    case 409:
        return WS_ELOCKED;
    case 408: /* the request was slow to come: another try may not be */
        return WS_ETIMEOUT;
    default:
        return code >= 500 ? WS_EIO : WS_EINVAL;
    }
}

/* The option that makes wensuo-searchd listen where base_url points, into
 * out ("" for the daemon's default address): a hint is only of use when
 * it starts the daemon the client then reaches. */
static void where_to_listen(const char *base_url, int is_unix, char *out, size_t len)
{
    out[0] = 0;
    if (is_unix) {
        snprintf(out, len, " --unix %s", base_url + 5);
        return;
    }
    CURLU *u = curl_url();
    char *host = NULL, *port = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, base_url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
        !(strcmp(host, "127.0.0.1") == 0 && strcmp(port, "7700") == 0))
        snprintf(out, len, " --listen %s:%s", host, port);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
}

/* The status of a finished transfer, with its message in err: the daemon
 * unreachable, the answer too large or cut short, an HTTP error (its JSON
 * "error" when it has one), or the JSON answer in *out (a stream: written
 * already). */
static ws_status verdict(CURL *h, CURLcode rc, const char *cerr, const answer *a,
                         const char *base_url, int is_unix, json_t **out, char *err, size_t errlen)
{
    ws_status st = WS_OK;
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    const char *why = cerr[0] ? cerr : curl_easy_strerror(rc);
    long os_errno = 0;
    if (is_unix && rc == CURLE_COULDNT_CONNECT &&
        curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno) == CURLE_OK && os_errno)
        why = strerror((int)os_errno); /* curl would speak of "localhost port 80" */
    if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
        (rc == CURLE_OPERATION_TIMEDOUT && code == 0)) {
        char where[300];
        where_to_listen(base_url, is_unix, where, sizeof where);
        snprintf(err, errlen,
                 "cannot reach the Wensuo daemon at %s: %s — start it with: "
                 "wensuo-searchd --db DIR%s",
                 base_url, why, where);
        st = WS_EIO;
    } else if (a->too_big) {
        snprintf(err, errlen, "the answer of the Wensuo daemon at %s is larger than %u MiB",
                 base_url, WS_REMOTE_MAX_ANSWER >> 20);
        st = WS_ETOOBIG;
    } else if (rc != CURLE_OK && a->to && code >= 200 && code < 300) {
        snprintf(err, errlen,
                 "the answer of the Wensuo daemon at %s was cut short (%s): what "
                 "was written is incomplete",
                 base_url, why);
        st = WS_EIO;
    } else if (rc != CURLE_OK) {
        snprintf(err, errlen, "the Wensuo daemon at %s did not answer: %s", base_url, why);
        st = WS_EIO;
    } else if (a->to && code >= 200 && code < 300) {
        st = WS_OK; /* written as it came */
    } else {
        json_error_t jerr;
        json_t *j = a->buf.s ? json_loadb(a->buf.s, a->buf.len, 0, &jerr) : NULL;
        if (code >= 200 && code < 300) {
            if (j) {
                *out = j;
            } else {
                snprintf(err, errlen, "the Wensuo daemon at %s answered %ld without JSON", base_url,
                         code);
                st = WS_EIO;
            }
        } else {
            const char *msg = json_string_value(json_object_get(j, "error"));
            if (msg)
                snprintf(err, errlen, "%s", msg);
            else
                snprintf(err, errlen, "the Wensuo daemon at %s answered HTTP %ld", base_url, code);
            json_decref(j);
            st = status_of_http(code);
        }
    }
    return st;
}

/* One request: method on base_url + path (already escaped); with to, the
 * body of a 2xx answer is written there as it comes, not parsed. */
static ws_status request_to(const char *base_url, const char *method, const char *path,
                            const char *body, size_t body_len, const char *token, json_t **out,
                            FILE *to, char *err, size_t errlen)
{
    *out = NULL;
    err[0] = '\0';
    pthread_once(&curl_once, curl_init);
    if (curl_init_status != CURLE_OK) {
        snprintf(err, errlen, "cannot start libcurl: %s", curl_easy_strerror(curl_init_status));
        return WS_EINTERNAL;
    }
    ws_strbuf url = {0};
    int is_unix = strncmp(base_url, "unix:", 5) == 0;
    if (is_unix) {
        ws_strbuf_str(&url, "http://localhost");
    } else {
        size_t n = strlen(base_url);
        while (n && base_url[n - 1] == '/')
            n--;
        ws_strbuf_add(&url, base_url, n);
    }
    ws_strbuf_str(&url, path);
    CURL *h = url.failed ? NULL : curl_easy_init();
    if (!h) {
        free(url.s);
        snprintf(err, errlen, "out of memory");
        return WS_ENOMEM;
    }
    answer a = {.to = to, .h = h};
    char cerr[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    curl_easy_setopt(h, CURLOPT_URL, url.s);
    if (is_unix)
        curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, base_url + 5);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, WS_REMOTE_CONNECT_MS);
    if (to) { /* a stream may last: it must only keep moving */
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, WS_REMOTE_TIMEOUT_MS / 1000);
    } else {
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, WS_REMOTE_TIMEOUT_MS);
    }
    curl_easy_setopt(h, CURLOPT_USERAGENT, "wensuo");
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        headers = curl_slist_append(headers, "Content-Type: application/x-ndjson");
    } else if (strcmp(method, "GET") != 0) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    }
    if (token) {
        ws_strbuf auth = {0};
        ws_strbuf_str(&auth, "Authorization: Bearer ");
        ws_strbuf_str(&auth, token);
        if (auth.s)
            headers = curl_slist_append(headers, auth.s);
        free(auth.s);
    }
    if (headers)
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);

    ws_status st = verdict(h, curl_easy_perform(h), cerr, &a, base_url, is_unix, out, err, errlen);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    free(a.buf.s);
    free(url.s);
    return st;
}

static ws_status request(const char *base_url, const char *method, const char *path,
                         const char *body, size_t body_len, const char *token, json_t **out,
                         char *err, size_t errlen)
{
    return request_to(base_url, method, path, body, body_len, token, out, NULL, err, errlen);
}

/* request() on the path built in p, which it frees; out of memory when p
 * could not be built. */
static ws_status request_path(const char *base_url, const char *method, ws_strbuf *p,
                              const char *token, json_t **out, char *errbuf, size_t errlen)
{
    if (p->failed) {
        free(p->s);
        snprintf(errbuf, errlen, "out of memory");
        *out = NULL;
        return WS_ENOMEM;
    }
    ws_status st = request(base_url, method, p->s, NULL, 0, token, out, errbuf, errlen);
    free(p->s);
    return st;
}

ws_status ws_remote_search(const char *base_url, const ws_search_opts *opts, json_t **out,
                           char *errbuf, size_t errlen)
{
    ws_strbuf p = {0};
    char num[32];
    ws_strbuf_str(&p, "/search");
    sb_param(&p, "q", opts->query ? opts->query : "");
    if (opts->limit) {
        snprintf(num, sizeof num, "%u", opts->limit);
        sb_param(&p, "limit", num);
    }
    if (opts->offset) {
        snprintf(num, sizeof num, "%u", opts->offset);
        sb_param(&p, "offset", num);
    }
    if (opts->sort == WS_SORT_DATE)
        sb_param(&p, "sort", "date");
    else if (opts->sort == WS_SORT_DATE_ASC)
        sb_param(&p, "sort", "date_asc");
    sb_param(&p, "source", opts->source);
    sb_param(&p, "type", opts->type);
    sb_param(&p, "from", opts->from);
    sb_param(&p, "to", opts->to);
    if (opts->facets) {
        char f[32] = "";
        if (opts->facets & WS_FACET_SOURCE)
            strcat(f, "source,");
        if (opts->facets & WS_FACET_TYPE)
            strcat(f, "type,");
        if (opts->facets & WS_FACET_YEAR)
            strcat(f, "year,");
        if (opts->facets & WS_FACET_MONTH)
            strcat(f, "month,");
        f[strlen(f) - 1] = '\0';
        sb_param(&p, "facets", f);
    }
    if (opts->no_snippets)
        sb_param(&p, "snippets", "0");
    return request_path(base_url, "GET", &p, NULL, out, errbuf, errlen);
}

/* GET or DELETE /documents/{id}. */
static ws_status document_request(const char *base_url, const char *method, const char *id,
                                  const char *token, json_t **out, char *errbuf, size_t errlen)
{
    ws_strbuf p = {0};
    ws_strbuf_str(&p, "/documents/");
    sb_segment(&p, id);
    return request_path(base_url, method, &p, token, out, errbuf, errlen);
}

ws_status ws_remote_get(const char *base_url, const char *id, json_t **out, char *errbuf,
                        size_t errlen)
{
    return document_request(base_url, "GET", id, NULL, out, errbuf, errlen);
}

ws_status ws_remote_stats(const char *base_url, json_t **out, char *errbuf, size_t errlen)
{
    return request(base_url, "GET", "/stats", NULL, 0, NULL, out, errbuf, errlen);
}

ws_status ws_remote_post_documents(const char *base_url, const char *body, size_t len,
                                   const char *token, json_t **out, char *errbuf, size_t errlen)
{
    return request(base_url, "POST", "/documents", body, len, token, out, errbuf, errlen);
}

ws_status ws_remote_delete(const char *base_url, const char *id, const char *token, json_t **out,
                           char *errbuf, size_t errlen)
{
    return document_request(base_url, "DELETE", id, token, out, errbuf, errlen);
}

ws_status ws_remote_call(const char *base_url, const char *path, const char *const *params,
                         json_t **out, char *errbuf, size_t errlen)
{
    ws_strbuf p = {0};
    ws_strbuf_str(&p, path);
    for (size_t i = 0; params && params[i]; i += 2)
        sb_param(&p, params[i], params[i + 1]);
    return request_path(base_url, "GET", &p, NULL, out, errbuf, errlen);
}

ws_status ws_remote_stream(const char *base_url, const char *path, const char *const *params,
                           FILE *to, char *errbuf, size_t errlen)
{
    ws_strbuf p = {0};
    json_t *none = NULL;
    ws_strbuf_str(&p, path);
    for (size_t i = 0; params && params[i]; i += 2)
        sb_param(&p, params[i], params[i + 1]);
    if (p.failed) {
        free(p.s);
        snprintf(errbuf, errlen, "out of memory");
        return WS_ENOMEM;
    }
    ws_status st = request_to(base_url, "GET", p.s, NULL, 0, NULL, &none, to, errbuf, errlen);
    json_decref(none);
    free(p.s);
    return st;
}

ws_status ws_remote_read(const char *base_url, const char *id, const char *query, json_t **out,
                         char *errbuf, size_t errlen)
{
    ws_strbuf p = {0};
    ws_strbuf_str(&p, "/documents/");
    sb_segment(&p, id);
    if (query && *query)
        sb_param(&p, "q", query);
    return request_path(base_url, "GET", &p, NULL, out, errbuf, errlen);
}

const char *ws_remote_server(const char *given)
{
    if (!given || !*given) /* --server '' (an unset shell variable) is no server given */
        given = getenv("WENSUO_SERVER");
    /* set but empty is not set, as for most variables a shell exports */
    return given && *given ? given : WS_DEFAULT_SERVER;
}

int ws_remote_refuse_local(const char *db, const char *dict, const char *synonyms)
{
    if (db || (!dict && !synonyms))
        return 0;
    fprintf(stderr,
            "wensuo: --%s is read where the index is searched: with --server, start "
            "wensuo-searchd with it; or search the index with --db\n",
            dict ? "dict" : "synonyms");
    return 1;
}
