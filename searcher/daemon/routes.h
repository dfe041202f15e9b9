/* routes.h - what the daemon answers: the route table {method, path,
 * handler, flags}, the read endpoints (/search, /documents/{id}, /analyze,
 * /stats, /health, and the search page: / and its files under /static/,
 * asset.h) and the write endpoints (POST /documents, DELETE /documents/{id};
 * routes_write.c).
 *
 * Handlers flagged WS_ROUTE_WORKER touch the index and run on a thread of
 * libuv's pool: each such thread keeps its own ws_searcher and ws_analyzer
 * (thread-local, opened on first use) and reopens its searcher before a
 * request when its view is older than reopen_ms, so that a commit made by
 * another process is seen within a second, and at once when the daemon's
 * own writer has committed since (its generation grew): a write that was
 * answered is visible to the very next search. The other handlers run on
 * the event loop and must not block.
 *
 * A write handler answers later: it hands the documents to the writer,
 * sets call->deferred, and once the commit is on disk (or failed) fills res
 * and posts call->answered to the config's mailbox, from the writer's
 * thread. The daemon answers when both the handler has returned and the
 * letter has come.
 *
 * A new endpoint is one line in the table of routes.c and one handler. */
#ifndef WS_ROUTES_H
#define WS_ROUTES_H

#include <stdint.h>
#include "http.h"
#include "lexicon.h"
#include "mailbox.h"
#include "readgate.h"
#include "status.h"
#include "writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Named limits on what a request may ask, besides those of http.h and
 * search.h. */
#define WS_ROUTES_MAX_PARAMS 32 /* query-string parameters */
/* How old a thread's view of the index may be when a request starts: none.
 * Each thread keeps its own view; when they were reopened every 200 ms,
 * one client's requests, taken in turn by two threads a commit of another
 * process apart, saw totals go back and forth. A reopen that finds nothing
 * changed costs a look at each shard's version file (no difference
 * measured on a search). */
#define WS_ROUTES_REOPEN_MS 0
/* Searches run again on the newest view when a writer overwrote theirs
 * meanwhile (Xapian's DatabaseModifiedError), before the answer is a 503:
 * once was not always enough under a writer committing every 5 documents
 * and a reader slowed by AddressSanitizer (tests/test_ingest.py) */
#define WS_ROUTES_RETRIES 3

typedef struct ws_routes ws_routes;

typedef struct ws_routes_config {
    const char *db;             /* the index folder */
    const ws_lexicon *lex;      /* shared by every thread; must outlive the routes */
    const char *synonyms;       /* NULL: the default ($WENSUO_SYNONYMS) */
    unsigned reopen_ms;         /* 0: WS_ROUTES_REOPEN_MS (every request) */
    unsigned threads;           /* reported by /stats */
    unsigned delay_ms;          /* for tests: every worker request sleeps this long first */
    unsigned query_ms;          /* a search's time limit (ws_search_opts.time_limit); 0: none */
    unsigned count_ms;          /* an instrument's (ws_db_set_deadline); 0: none */
    ws_mailbox *mailbox;        /* where deferred answers are announced; NULL: no writes */
    const char *write_token;    /* NULL: writes only from loopback or the Unix socket */
    ws_readgate *gate;          /* the long reads' turns with the writer's commits; NULL: none */
    struct ws_wordcache *words; /* what the searchers read word lists from first; NULL: none */
} ws_routes_config;

/* One request as the handlers see it. Filled by ws_routes_match(); the
 * strings are owned by the call and freed by ws_route_call_clear(). */
typedef struct ws_route_call {
    const ws_http_request *req;
    char *path;        /* percent-decoded path */
    const char *tail;  /* for a WS_ROUTE_PREFIX route: the path after the prefix */
    const char *query; /* raw query string (points into req->url), not decoded */
    size_t query_len;
    uint64_t received_ns; /* uv_hrtime() when the request was complete */
    ws_letter *answered;  /* the daemon's: posted when a deferred answer is in res */
    int deferred;         /* set by a handler that answers later */
} ws_route_call;

typedef void (*ws_route_fn)(ws_routes *rt, ws_route_call *call, ws_http_response *res);

enum {
    WS_ROUTE_PREFIX = 1, /* path is a prefix ("/documents/" + id) */
    WS_ROUTE_WORKER = 2, /* runs on the thread pool (uses the index) */
    WS_ROUTE_WRITE = 4,  /* changes the index: token rules, may answer later */
    WS_ROUTE_LARGE = 8,  /* its answer may be large (a document): refused at once while
                            the answers waiting for their clients fill their budget */
    WS_ROUTE_HEAVY = 16, /* it may keep a thread for seconds (an instrument over every
                            match): with the large ones, they run a thread of the pool
                            less than it has at once, the others waiting their turn, so
                            that a search always finds a thread */
};

typedef struct ws_route {
    const char *method; /* "GET", "POST", ... (HEAD is served by GET routes) */
    const char *path;
    unsigned flags;
    ws_route_fn handler;
} ws_route;

/* Loads nothing yet (threads open the index on first use). The caller frees
 * *out with ws_routes_free(). WS_ENOMEM. */
ws_status ws_routes_new(const ws_routes_config *cfg, ws_routes **out);

/* Closes every thread's searcher and analyzer; call only when no handler
 * runs any more (after the loop has ended). NULL is allowed. */
void ws_routes_free(ws_routes *rt);

/* Finds the route of req and fills call (received_ns is the caller's).
 * Returns NULL, with res holding the answer, for a bad target (400), an
 * unknown path (404) or a method the path does not take (405, with Allow). */
const ws_route *ws_routes_match(ws_routes *rt, const ws_http_request *req, ws_route_call *call,
                                ws_http_response *res);

/* Runs the handler of route for call; res gets the answer, now or (when
 * call->deferred is set on return) by the time call->answered is posted. A
 * HEAD request is answered as GET (the daemon drops the body). */
void ws_routes_run(ws_routes *rt, const ws_route *route, ws_route_call *call,
                   ws_http_response *res);

/* Whether the request whose line and headers req holds may go on to send
 * its body: 0, or the status that refuses it now, with *msg (static): a
 * write that the peer may not make (403), that names no JSON type (415),
 * or that this daemon cannot take (503). req->from_local must be set. */
int ws_routes_admit(ws_routes *rt, const ws_http_request *req, const char **msg);

void ws_route_call_clear(ws_route_call *call);

/* The number of open connections, for /stats (set by the daemon). */
void ws_routes_set_connections(ws_routes *rt, unsigned n);

/* The writer the write endpoints use (not owned), or NULL with why_not
 * saying why the daemon cannot write now (copied). Called on the loop;
 * the previous writer must stay open until no handler can use it any more. */
void ws_routes_set_writer(ws_routes *rt, ws_writer *w, const char *why_not);

#ifdef __cplusplus
}
#endif
#endif
