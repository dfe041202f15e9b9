#include "wordkeep.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "engine.h"

struct ws_wordkeep {
    char *db;
    int quiet;
    ws_wordcache *wc;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    int stop; /* under mu */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits s seconds or until told to stop: 1 when told. */
static int rest(ws_wordkeep *k, double s)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    long long ns = (long long)until.tv_nsec + (long long)(s * 1e9);
    until.tv_sec += (time_t)(ns / 1000000000);
    until.tv_nsec = (long)(ns % 1000000000);
    pthread_mutex_lock(&k->mu);
    while (!k->stop && pthread_cond_timedwait(&k->wake, &k->mu, &until) != ETIMEDOUT)
        ;
    int stop = k->stop;
    pthread_mutex_unlock(&k->mu);
    return stop;
}

/* Says on stderr what became of a refresh that did not end well: once for
 * a streak of copies the writer overwrote. */
static void tell(ws_wordkeep *k, ws_status st, ws_db *db, int *moving)
{
    if (k->quiet || st == WS_OK || st == WS_ETIMEOUT)
        return;
    if (st == WS_ETOOBIG)
        fprintf(stderr,
                "wensuo-searchd: word cache: the index's word lists need more than --word-cache "
                "allows: none kept (read from the index) until the index changes\n");
    else if (st == WS_EMODIFIED && !(*moving)++)
        fprintf(stderr, "wensuo-searchd: word cache: the index changed while a shard was "
                        "copied; its lists are read from the index until a copy completes\n");
    else if (st != WS_EMODIFIED)
        fprintf(stderr, "wensuo-searchd: word cache: %s (%s); read from the index meanwhile\n",
                ws_status_to_string(st), db ? ws_db_errmsg(db) : "");
}

static void *keep(void *arg)
{
    ws_wordkeep *k = arg;
    ws_db *db = NULL;
    double pause = WS_WORDKEEP_POLL_MS / 1000.0, backoff = pause;
    int moving = 0; /* copies overwritten in a row */
    for (int first = 1; first || !rest(k, pause); first = 0) {
        pause = WS_WORDKEEP_POLL_MS / 1000.0;
        char err[256];
        ws_status st = db ? ws_db_reopen(db, NULL) : ws_db_open(k->db, &db, err, sizeof err);
        if (st != WS_OK) {
            /* not made yet, or moved on while opened: the next round */
            ws_db_close(db);
            db = NULL;
            continue;
        }
        double t0 = now_s();
        unsigned made = 0;
        st = ws_wordcache_refresh(k->wc, db, &made);
        double took = now_s() - t0;
        tell(k, st, db, &moving);
        if (st == WS_EMODIFIED) { /* reopened next round, after a longer rest */
            ws_db_close(db);
            db = NULL;
            backoff = backoff * 2 > WS_WORDKEEP_MAX_REST_MS / 1000.0
                          ? WS_WORDKEEP_MAX_REST_MS / 1000.0
                          : backoff * 2;
            pause = backoff;
        } else {
            backoff = WS_WORDKEEP_POLL_MS / 1000.0;
            moving = st == WS_OK ? 0 : moving;
        }
        if (made && !k->quiet) {
            ws_wordcache_stats s;
            ws_wordcache_stat(k->wc, &s);
            fprintf(stderr,
                    "wensuo-searchd: word cache: %u shard(s) copied in %.1f s; it holds %u, "
                    "%llu documents, %llu words, %.0f MB\n",
                    made, took, s.shards, s.documents, s.words, (double)s.bytes / 1e6);
        }
        if (took * WS_WORDKEEP_REST > pause)
            pause = took * WS_WORDKEEP_REST;
    }
    ws_db_close(db);
    return NULL;
}

ws_status ws_wordkeep_new(const char *db, size_t max_bytes, int quiet, ws_wordkeep **out)
{
    *out = NULL;
    ws_wordkeep *k = calloc(1, sizeof *k);
    if (!k)
        return WS_ENOMEM;
    k->quiet = quiet;
    if (!(k->db = strdup(db)) || ws_wordcache_new(max_bytes, &k->wc) != WS_OK) {
        free(k->db);
        free(k);
        return WS_ENOMEM;
    }
    pthread_mutex_init(&k->mu, NULL);
    pthread_cond_init(&k->wake, NULL);
    *out = k;
    return WS_OK;
}

ws_status ws_wordkeep_run(ws_wordkeep *k)
{
    if (pthread_create(&k->thread, NULL, keep, k) != 0)
        return WS_EIO;
    k->started = 1;
    return WS_OK;
}

ws_wordcache *ws_wordkeep_cache(ws_wordkeep *k)
{
    return k ? k->wc : NULL;
}

void ws_wordkeep_stop(ws_wordkeep *k)
{
    if (!k)
        return;
    ws_wordcache_cancel(k->wc); /* a copy under way stops */
    pthread_mutex_lock(&k->mu);
    k->stop = 1;
    pthread_cond_signal(&k->wake);
    pthread_mutex_unlock(&k->mu);
    if (k->started)
        pthread_join(k->thread, NULL);
    pthread_cond_destroy(&k->wake);
    pthread_mutex_destroy(&k->mu);
    ws_wordcache_free(k->wc);
    free(k->db);
    free(k);
}
