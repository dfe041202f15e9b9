/* test_readgate.c - the daemon's writes and its streams taking turns
 * (searcher/daemon/readgate.h): a write after a commit that fell inside a
 * stream waits for the stream to end, whether that commit was of one shard
 * or of every shard at once (the index closed) and whether or not the
 * shard had been committed alone before; the first commit and the writes
 * before it do not wait. A wait that should not happen shows as a write
 * that returns only once the stream ends; one that should happen as a
 * write that returns while it goes on. (That a wait gives up after
 * WS_READGATE_STREAM_WAIT_MS is not tested: 30 s.) */
#include "check.h"
#include "readgate.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

typedef struct writing {
    ws_readgate *g;
    int shard;
    atomic_int done;
} writing;

static void *write_now(void *arg)
{
    writing *w = arg;
    ws_readgate_write(w->g, w->shard);
    atomic_store(&w->done, 1);
    return NULL;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void commit(ws_readgate *g, int shard)
{
    ws_readgate_close(g, shard);
    ws_readgate_open(g, shard);
}

/* Whether a write to shard, on a thread of its own, is held while s goes
 * on (the stream ended meanwhile, so that the write returns either way). */
static int held(ws_readgate *g, ws_readgate_stream *s, int shard)
{
    writing w = {.g = g, .shard = shard};
    atomic_init(&w.done, 0);
    pthread_t t;
    if (pthread_create(&t, NULL, write_now, &w) != 0)
        return -1;
    sleep_ms(150);
    int waiting = !atomic_load(&w.done);
    ws_readgate_stream_end(g, s);
    pthread_join(t, NULL);
    return waiting;
}

static void test_one_shard(void)
{
    ws_readgate *g = NULL;
    CHECK(ws_readgate_new(&g) == WS_OK);
    commit(g, 0);
    commit(g, 1);
    ws_readgate_stream s;
    ws_readgate_stream_begin(g, &s);
    ws_readgate_write(g, 0); /* the writes before the first commit go */
    commit(g, 0);            /* and so does the first commit */
    ws_readgate_write(g, 1); /* shard 1 has not been committed since */
    CHECK_INT(held(g, &s, 0), 1);
    ws_readgate_free(g);
}

static void test_every_shard(void)
{
    /* a commit of every shard at once (the index closed after a failure)
     * before any shard was committed alone: the gate knows no shard yet */
    ws_readgate *g = NULL;
    CHECK(ws_readgate_new(&g) == WS_OK);
    ws_readgate_stream s;
    ws_readgate_stream_begin(g, &s);
    commit(g, -1);
    CHECK_INT(held(g, &s, 1), 1);
    ws_readgate_free(g);
}

static void test_after(void)
{
    /* a stream that began after the last commit: writes go */
    ws_readgate *g = NULL;
    CHECK(ws_readgate_new(&g) == WS_OK);
    commit(g, 0);
    commit(g, -1);
    ws_readgate_stream s;
    ws_readgate_stream_begin(g, &s);
    CHECK_INT(held(g, &s, 0), 0);
    ws_readgate_free(g);
}

int main(void)
{
    test_one_shard();
    test_every_shard();
    test_after();
    CHECK_DONE();
}
