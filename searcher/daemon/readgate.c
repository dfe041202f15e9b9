/* readgate.c - long reads and commits taking turns (readgate.h). */
#include "readgate.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct ws_readgate {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* a read left, or the commits are done */
    unsigned readers;       /* reads inside */
    unsigned commits;       /* commits due or running: new reads wait */
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

void ws_readgate_close(ws_readgate *g)
{
    if (!g)
        return;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += WS_READGATE_WAIT_MS / 1000;
    until.tv_nsec += (long)(WS_READGATE_WAIT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&g->lock);
    g->commits++;
    while (g->readers && pthread_cond_timedwait(&g->changed, &g->lock, &until) != ETIMEDOUT)
        ;
    pthread_mutex_unlock(&g->lock);
}

void ws_readgate_open(ws_readgate *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    if (--g->commits == 0)
        pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
}
