/* routes_write.c - the write endpoints: POST /documents and DELETE
 * /documents/{id}.
 *
 * Both handlers run on the loop and only check who may write and what was
 * sent; the answer comes later. A POST body is parsed by the parser, a
 * thread of its own at the writer's low priority (on libuv's pool, which
 * the searches use, thousands of small posts would queue in front of
 * them), and handed to the writer; a DELETE goes to the writer at once.
 * The writer calls job_done on its thread once the commit is on disk; it
 * fills the answer and posts the connection's letter to the loop. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ingest.h"
#include "routes_int.h"

typedef struct ws__write_job write_job;
struct ws__write_job {
    ws_routes *rt;
    ws_http_response *res;
    ws_letter *answered;
    const char *body; /* POST: the request's, valid until the answer */
    size_t body_len;
    char *deleted_id; /* DELETE: the id, for the 404 */
    write_job *next;  /* in the parser's queue */
};

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
 * NULL, or why not (a 403). */
static const char *may_write(ws_routes *rt, const ws_http_request *req)
{
    const char *auth = ws_http_request_header(req, "Authorization");
    if (auth) {
        static const char bearer[] = "Bearer ";
        if (strncasecmp(auth, bearer, sizeof bearer - 1) == 0) {
            const char *t = auth + sizeof bearer - 1;
            while (*t == ' ')
                t++;
            if (token_equal(rt, t, strlen(t)))
                return NULL;
        }
        return "the write token is wrong";
    }
    if (ws_http_request_header(req, "Origin"))
        return "writes from a web page need the write token (Authorization: Bearer TOKEN)";
    if (req->from_local)
        return NULL;
    return rt->token ? "writes from another machine need the write token "
                       "(Authorization: Bearer TOKEN)"
                     : "writes are taken only from loopback or the Unix socket "
                       "(start the daemon with --write-token to allow others)";
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

/* The status of a failed commit: 413 for a document past a limit of the
 * index (index.h's WS_INDEX_MAX_DOC_TERMS: sent again, it fails again),
 * 507 for a full disk, 503 otherwise (an index that cannot be written, an
 * I/O error: the request may be sent again later). */
static int failure_status(ws_status st, const char *msg)
{
    if (st == WS_ETOOBIG)
        return 413;
    if (strstr(msg, "No space left") || strstr(msg, "Disk quota") || strstr(msg, "ENOSPC"))
        return 507;
    return 503;
}

/* The answer is in job->res: the connection may send it. Any thread. */
static void finish(write_job *job)
{
    ws_letter *answered = job->answered;
    ws_mailbox *mb = job->rt->mailbox;
    free(job->deleted_id);
    free(job);
    ws_mailbox_post(mb, answered);
}

/* On the writer's thread. */
static void job_done(void *ctx, ws_status st, const char *msg, size_t added, size_t deleted)
{
    write_job *job = ctx;
    ws_routes *rt = job->rt;
    ws_http_response *res = job->res;
    if (st != WS_OK) {
        ws_http_response_error(res, failure_status(st, msg), "not committed: %s", msg);
    } else if (job->deleted_id && deleted == 0) {
        ws_http_response_error(res, 404, "no document with id %s", job->deleted_id);
    } else {
        ws_writer *w = atomic_load(&rt->writer);
        json_int_t gen = w ? (json_int_t)ws_writer_generation(w) : 0;
        ws_http_response_json(res, 200,
                              json_pack("{s:I,s:I,s:I}", "added", (json_int_t)added, "deleted",
                                        (json_int_t)deleted, "generation", gen));
    }
    finish(job);
}

/* Hands the change to the writer (which takes docs and id whatever
 * happens); the answer comes through finish() in every case. */
static void submit(write_job *job, ws_doc **docs, size_t ndocs, char *id)
{
    ws_http_response *res = job->res;
    ws_writer *w = writer_of(job->rt, res);
    char **ids = id ? malloc(sizeof *ids) : NULL;
    if (!w || (id && !ids)) {
        if (w)
            ws_http_response_error(res, 503, "out of memory");
        free(ids);
        free(id);
        for (size_t i = 0; i < ndocs; i++)
            ws_doc_free(docs[i]);
        free(docs);
        finish(job);
        return;
    }
    if (ids)
        ids[0] = id;
    ws_status st = ws_writer_submit(w, docs, ndocs, ids, ids ? 1 : 0, job_done, job);
    if (st == WS_OK)
        return;
    if (st == WS_ETOOBIG) {
        ws_http_response_error(res, 503, "the write queue is full; try again");
        res->extra = "Retry-After: 1\r\n";
    } else {
        ws_http_response_error(res, 503, "cannot queue the change: %s", ws_status_to_string(st));
    }
    finish(job);
}

/* A job for call, or NULL with res set. */
static write_job *new_job(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    write_job *job = calloc(1, sizeof *job);
    if (!job) {
        ws_http_response_error(res, 503, "out of memory");
        return NULL;
    }
    job->rt = rt;
    job->res = res;
    job->answered = call->answered;
    return job;
}

/* ---- the parser thread ---- */

static void parse_job(write_job *job)
{
    ws_doc **docs = NULL;
    size_t ndocs = 0;
    char err[1024];
    ws_status st =
        ws_ingest_parse(job->body ? job->body : "", job->body_len, &docs, &ndocs, err, sizeof err);
    if (st != WS_OK) {
        ws_http_response_error(job->res,
                               st == WS_ETOOBIG  ? 413
                               : st == WS_ENOMEM ? 503
                                                 : 400,
                               "%s", err);
        finish(job);
        return;
    }
    submit(job, docs, ndocs, NULL);
}

static void parser_run(void *arg)
{
    ws_routes *rt = arg;
    errno = 0; /* searches first, as for the writer */
    int nice_now = getpriority(PRIO_PROCESS, (id_t)gettid());
    if (errno == 0 && nice_now < WS_WRITER_NICE)
        setpriority(PRIO_PROCESS, (id_t)gettid(), WS_WRITER_NICE);
    for (;;) {
        uv_mutex_lock(&rt->plock);
        while (!rt->phead && !rt->pstop)
            uv_cond_wait(&rt->pmore, &rt->plock);
        write_job *job = rt->phead;
        if (job && !(rt->phead = job->next))
            rt->ptail = NULL;
        uv_mutex_unlock(&rt->plock);
        if (!job)
            return; /* stopping, and nothing is left */
        parse_job(job);
    }
}

ws_status ws__writes_start(ws_routes *rt)
{
    if (uv_mutex_init(&rt->plock) != 0)
        return WS_ENOMEM;
    if (uv_cond_init(&rt->pmore) != 0) {
        uv_mutex_destroy(&rt->plock);
        return WS_ENOMEM;
    }
    if (uv_thread_create(&rt->parser, parser_run, rt) != 0) {
        uv_cond_destroy(&rt->pmore);
        uv_mutex_destroy(&rt->plock);
        return WS_ENOMEM;
    }
    rt->has_parser = 1;
    return WS_OK;
}

void ws__writes_stop(ws_routes *rt)
{
    if (!rt->has_parser)
        return;
    uv_mutex_lock(&rt->plock);
    rt->pstop = 1;
    uv_cond_signal(&rt->pmore);
    uv_mutex_unlock(&rt->plock);
    uv_thread_join(&rt->parser);
    uv_cond_destroy(&rt->pmore);
    uv_mutex_destroy(&rt->plock);
    rt->has_parser = 0;
}

/* ---- the handlers (on the loop) ---- */

int ws__write_refusal(ws_routes *rt, const ws_http_request *req, int has_query, int post,
                      const char **msg)
{
    if (!rt->has_parser) {
        *msg = "this daemon takes no writes";
        return 503;
    }
    if (has_query) {
        *msg = post ? "POST /documents takes no parameters"
                    : "DELETE /documents/{id} takes no "
                      "parameters";
        return 400;
    }
    if ((*msg = may_write(rt, req)) != NULL)
        return 403;
    if (post && !ws_ingest_content_type_ok(ws_http_request_header(req, "Content-Type"))) {
        *msg = "POST /documents takes Content-Type application/json or application/x-ndjson";
        return 415;
    }
    return 0;
}

/* What both write endpoints check, in this order (the request, the id of a
 * DELETE, a writer to take it), then a job for call; NULL with res set. */
static write_job *admit(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    const char *msg;
    int status = ws__write_refusal(rt, call->req, call->query_len != 0, !call->tail, &msg);
    if (status) {
        ws_http_response_error(res, status, "%s", msg);
        return NULL;
    }
    if (call->tail && !ws_ingest_id_ok(call->tail, &msg)) {
        ws_http_response_error(res, 400, "%s", msg);
        return NULL;
    }
    if (!writer_of(rt, res))
        return NULL;
    return new_job(rt, call, res);
}

void ws__serve_post(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    write_job *job = admit(rt, call, res);
    if (!job)
        return;
    job->body = call->req->body;
    job->body_len = call->req->body_len;
    call->deferred = 1;
    uv_mutex_lock(&rt->plock);
    if (rt->ptail)
        rt->ptail->next = job;
    else
        rt->phead = job;
    rt->ptail = job;
    uv_cond_signal(&rt->pmore);
    uv_mutex_unlock(&rt->plock);
}

void ws__serve_delete(ws_routes *rt, ws_route_call *call, ws_http_response *res)
{
    write_job *job = admit(rt, call, res);
    if (!job)
        return;
    char *id = strdup(call->tail);
    if (!id || !(job->deleted_id = strdup(call->tail))) {
        free(id);
        free(job);
        ws_http_response_error(res, 503, "out of memory");
        return;
    }
    call->deferred = 1;
    submit(job, NULL, 0, id);
}
