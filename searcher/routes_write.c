/* routes_write.c - the write endpoints: POST /documents and DELETE
 * /documents/{id}.
 *
 * Both run on a thread of the pool (parsing a large body must not hold up
 * the loop), check who may write, then hand the change to the daemon's
 * writer and answer only when its commit is on disk: the writer calls
 * job_done on its own thread, which fills the answer and posts the
 * connection's letter to the loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest.h"
#include "routes_int.h"

typedef struct write_job {
    ws_routes *rt;
    ws_http_response *res;
    ws_letter *answered;
    char *deleted_id; /* DELETE: the id, for the 404 */
} write_job;

/* 1 when given (length n) equals the token, in time that depends only on
 * n: a wrong guess teaches nothing about how much of it was right. */
static int token_equal(const ws_routes *rt, const char *given, size_t n)
{
    if (!rt->token || rt->token_len == 0)
        return 0;
    unsigned char diff = (unsigned char)(n != rt->token_len);
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(given[i] ^ rt->token[i % rt->token_len]);
    return diff == 0;
}

/* Who may write: a client on loopback or the Unix socket, or one that
 * carries the token. A request with an Origin header comes from a web page
 * (browsers add it; curl and scripts do not): it needs the token even from
 * loopback, so that no page the user visits, nor one that rebinds its name
 * to 127.0.0.1, can write. A wrong token is refused wherever it comes from.
 * 0, or -1 with res set. */
static int may_write(ws_routes *rt, const ws_route_call *call, ws_http_response *res)
{
    const ws_http_request *req = call->req;
    const char *auth = ws_http_request_header(req, "Authorization");
    if (auth) {
        static const char bearer[] = "Bearer ";
        if (strncasecmp(auth, bearer, sizeof bearer - 1) == 0) {
            const char *t = auth + sizeof bearer - 1;
            while (*t == ' ')
                t++;
            if (token_equal(rt, t, strlen(t)))
                return 0;
        }
        ws_http_response_error(res, 403, "the write token is wrong");
        return -1;
    }
    if (ws_http_request_header(req, "Origin")) {
        ws_http_response_error(res, 403,
                               "writes from a web page need the write token "
                               "(Authorization: Bearer TOKEN)");
        return -1;
    }
    if (req->from_local)
        return 0;
    ws_http_response_error(res, 403,
                           rt->token ? "writes from another machine need the write token "
                                       "(Authorization: Bearer TOKEN)"
                                     : "writes are taken only from loopback or the Unix socket "
                                       "(start the daemon with --write-token to allow others)");
    return -1;
}

/* The writer, or NULL with res set to 503 saying why there is none. */
static ws_writer *writer_of(ws_routes *rt, ws_http_response *res)
{
    ws_writer *w = atomic_load(&rt->writer);
    if (w)
        return w;
    uv_mutex_lock(&rt->lock);
    ws_http_response_error(res, 503, "the index cannot be written now: %s", rt->why_not);
    uv_mutex_unlock(&rt->lock);
    return NULL;
}

/* The status of a failed commit: 507 for a full disk, 503 otherwise (an
 * index that cannot be written, an I/O error: the request may be sent again
 * later). */
static int failure_status(const char *msg)
{
    if (strstr(msg, "No space left") || strstr(msg, "Disk quota") || strstr(msg, "ENOSPC"))
        return 507;
    return 503;
}

/* On the writer's thread. */
static void job_done(void *ctx, ws_status st, const char *msg, size_t added, size_t deleted)
{
    write_job *job = ctx;
    ws_routes *rt = job->rt;
    ws_http_response *res = job->res;
    if (st != WS_OK) {
        ws_http_response_error(res, failure_status(msg), "not committed: %s", msg);
    } else if (job->deleted_id && deleted == 0) {
        ws_http_response_error(res, 404, "no document with id %s", job->deleted_id);
    } else {
        atomic_fetch_add(&rt->added, added);
        atomic_fetch_add(&rt->deleted, deleted);
        atomic_fetch_add(&rt->writes, 1);
        ws_writer *w = atomic_load(&rt->writer);
        json_int_t gen = w ? (json_int_t)ws_writer_generation(w) : 0;
        ws_http_response_json(res, 200,
                              json_pack("{s:I,s:I,s:I}", "added", (json_int_t)added, "deleted",
                                        (json_int_t)deleted, "generation", gen));
    }
    ws_letter *answered = job->answered;
    free(job->deleted_id);
    free(job);
    ws_mailbox_post(rt->mailbox, answered);
}

/* Queues the change (the writer takes docs and id whatever happens); on
 * success the answer comes later. */
static void submit(ws_routes *rt, ws_route_call *call, ws_http_response *res, ws_writer *w,
                   ws_doc **docs, size_t ndocs, char *id)
{
    write_job *job = calloc(1, sizeof *job);
    char **ids = id ? malloc(sizeof *ids) : NULL;
    char *idcopy = id ? strdup(id) : NULL;
    if (!job || (id && (!ids || !idcopy))) {
        free(job);
        free(ids);
        free(idcopy);
        free(id);
        for (size_t i = 0; i < ndocs; i++)
            ws_doc_free(docs[i]);
        free(docs);
        ws_http_response_error(res, 503, "out of memory");
        return;
    }
    *job = (write_job){rt, res, call->answered, idcopy};
    if (ids)
        ids[0] = id;
    call->deferred = 1; /* before submit: the answer may come at once */
    ws_status st = ws_writer_submit(w, docs, ndocs, ids, ids ? 1 : 0, job_done, job);
    if (st == WS_OK)
        return;
    call->deferred = 0;
    free(job->deleted_id);
    free(job);
    if (st == WS_ETOOBIG) {
        ws_http_response_error(res, 503, "the write queue is full; try again");
        res->extra = "Retry-After: 1\r\n";
    } else {
        ws_http_response_error(res, 503, "cannot queue the change: %s", ws_status_to_string(st));
    }
}

void ws__serve_post(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    if (!rt->mailbox) {
        ws_http_response_error(res, 503, "this daemon takes no writes");
        return;
    }
    if (call->query_len) {
        ws_http_response_error(res, 400, "POST /documents takes no parameters");
        return;
    }
    if (may_write(rt, call, res) != 0)
        return;
    if (!ws_ingest_content_type_ok(ws_http_request_header(call->req, "Content-Type"))) {
        ws_http_response_error(res, 415,
                               "POST /documents takes Content-Type application/json or "
                               "application/x-ndjson");
        return;
    }
    ws_writer *w = writer_of(rt, res);
    if (!w)
        return;
    ws_doc **docs = NULL;
    size_t ndocs = 0;
    char err[1024];
    ws_status st = ws_ingest_parse(call->req->body ? call->req->body : "", call->req->body_len,
                                   &docs, &ndocs, err, sizeof err);
    if (st != WS_OK) {
        ws_http_response_error(res,
                               st == WS_ETOOBIG  ? 413
                               : st == WS_ENOMEM ? 503
                                                 : 400,
                               "%s", err);
        return;
    }
    submit(rt, call, res, w, docs, ndocs, NULL);
}

void ws__serve_delete(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    if (!rt->mailbox) {
        ws_http_response_error(res, 503, "this daemon takes no writes");
        return;
    }
    if (call->query_len) {
        ws_http_response_error(res, 400, "DELETE /documents/{id} takes no parameters");
        return;
    }
    if (may_write(rt, call, res) != 0)
        return;
    const char *why;
    if (!ws_ingest_id_ok(call->tail, &why)) {
        ws_http_response_error(res, 400, "%s", why);
        return;
    }
    ws_writer *w = writer_of(rt, res);
    if (!w)
        return;
    char *id = strdup(call->tail);
    if (!id) {
        ws_http_response_error(res, 503, "out of memory");
        return;
    }
    submit(rt, call, res, w, NULL, 0, id);
}
