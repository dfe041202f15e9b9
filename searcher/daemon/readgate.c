/* readgate.c - long reads and commits taking turns (readgate.h). */
#include "readgate.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ws_readgate {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* a read left, or the commits are done */
    unsigned readers;       /* reads inside */
    unsigned commits;       /* commits due or running: new reads wait */
    unsigned long done;     /* commits made */
    unsigned long *last;    /* per shard, done after its last commit */
    unsigned long every;    /* done after the last commit of every shard at once */
    size_t nlast;
    ws_readgate_stream *streams; /* those going on */
};

ws_status ws_readgate_new(ws_readgate **out)
{
    ws_readgate *g = calloc(1, sizeof *g);
    if (!g)
        return WS_ENOMEM;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* a wait unmoved by the wall clock */
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->changed, &ca);
    pthread_condattr_destroy(&ca);
    *out = g;
    return WS_OK;
}

void ws_readgate_free(ws_readgate *g)
{
    if (!g)
        return;
    pthread_cond_destroy(&g->changed);
    pthread_mutex_destroy(&g->lock);
    free(g->last);
    free(g);
}

void ws_readgate_enter(ws_readgate *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    while (g->commits)
        pthread_cond_wait(&g->changed, &g->lock);
    g->readers++;
    pthread_mutex_unlock(&g->lock);
}

void ws_readgate_leave(ws_readgate *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    if (--g->readers == 0)
        pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
}

/* CLOCK_MONOTONIC now plus ms. */
static struct timespec after_ms(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

/* Whether a commit of shard (-1: any) breaks a stream going on: one whose
 * shard has been committed since it began. */
static int breaks(const ws_readgate *g, const ws_readgate_stream *s, int shard)
{
    if (s->given_up)
        return 0;
    if (g->every > s->begun)
        return 1;
    for (size_t k = 0; k < g->nlast; k++)
        if ((shard < 0 || (size_t)shard == k) && g->last[k] > s->begun)
            return 1;
    return 0;
}

static int breaks_stream(const ws_readgate *g, int shard)
{
    for (const ws_readgate_stream *s = g->streams; s; s = s->next)
        if (breaks(g, s, shard))
            return 1;
    return 0;
}

/* Waits, g->lock held and the gate open (the instruments' reads go on
 * meanwhile: closed, they all waited for a slow client's export), for the
 * streams that a write to shard would break, or WS_READGATE_STREAM_WAIT_MS. */
static void wait_streams(ws_readgate *g, int shard)
{
    struct timespec until = after_ms(WS_READGATE_STREAM_WAIT_MS);
    while (breaks_stream(g, shard))
        if (pthread_cond_timedwait(&g->changed, &g->lock, &until) == ETIMEDOUT) {
            /* those still in the way are given up: they will be cut and
             * say so, and no later write waits for them again */
            for (ws_readgate_stream *s = g->streams; s; s = s->next)
                if (breaks(g, s, shard))
                    s->given_up = 1;
            break;
        }
}

void ws_readgate_write(ws_readgate *g, int shard)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    wait_streams(g, shard);
    pthread_mutex_unlock(&g->lock);
}

void ws_readgate_close(ws_readgate *g, int shard)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    wait_streams(g, shard); /* (a close of the index writes what is pending) */
    struct timespec until = after_ms(WS_READGATE_WAIT_MS);
    g->commits++;
    while (g->readers && pthread_cond_timedwait(&g->changed, &g->lock, &until) != ETIMEDOUT)
        ;
    pthread_mutex_unlock(&g->lock);
}

void ws_readgate_open(ws_readgate *g, int shard)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->done++;
    size_t need = shard < 0 ? g->nlast : (size_t)shard + 1;
    if (need > g->nlast) {
        unsigned long *l = realloc(g->last, need * sizeof *l);
        if (l) { /* (else this shard's commits are not told: its streams may break) */
            for (size_t k = g->nlast; k < need; k++)
                l[k] = 0;
            g->last = l;
            g->nlast = need;
        }
    }
    for (size_t k = 0; k < g->nlast; k++)
        if (shard < 0 || (size_t)shard == k)
            g->last[k] = g->done;
    if (shard < 0) /* (shards never committed alone yet have no last[] entry) */
        g->every = g->done;
    if (--g->commits == 0)
        pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
}

void ws_readgate_stream_begin(ws_readgate *g, ws_readgate_stream *s)
{
    memset(s, 0, sizeof *s);
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    s->begun = g->done;
    s->on = 1;
    s->next = g->streams;
    if (g->streams)
        g->streams->prev = s;
    g->streams = s;
    pthread_mutex_unlock(&g->lock);
}

void ws_readgate_stream_end(ws_readgate *g, ws_readgate_stream *s)
{
    if (!g || !s->on)
        return;
    pthread_mutex_lock(&g->lock);
    if (s->prev)
        s->prev->next = s->next;
    else
        g->streams = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->on = 0;
    pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
}
