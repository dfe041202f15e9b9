/* readgate.h - the daemon's long reads and its commits taking turns.
 *
 * Xapian's readers do not hold back its writer: a reader that has read a
 * revision while the writer committed twice since finds the blocks it was
 * reading reused (DatabaseModifiedError). A concordance, trend or
 * collocate of a common term reads for a few hundred milliseconds, and
 * with the daemon taking writes back to back (25 commits a second) every
 * one failed, retry or not. The gate lets a commit of the daemon's writer
 * wait for the reads inside to finish, up to a bound, and keeps new reads
 * out meanwhile, so that a read sees no commit and a commit is late by at
 * most the bound. Writes by other processes (wensuo-index beside a
 * read-only daemon) are not held: their readers still retry once.
 *
 * Threads: every function may be called from any thread; a NULL gate lets
 * everything through. Owned by the daemon: ws_readgate_new, then
 * ws_readgate_free once the writer and the routes are gone. */
#ifndef WS_READGATE_H
#define WS_READGATE_H

#include "status.h"

/* How long a commit waits for the reads inside, at most (ms). */
#define WS_READGATE_WAIT_MS 1000
/* How long a commit waits for a stream (an export, a concordance as CSV)
 * that it would break, at most (ms): past it the stream is cut and says so. */
#define WS_READGATE_STREAM_WAIT_MS 30000

typedef struct ws_readgate ws_readgate;

/* A new gate into *out. WS_ENOMEM. */
ws_status ws_readgate_new(ws_readgate **out);
void ws_readgate_free(ws_readgate *g);

/* A long read enters (waiting while a commit is due or running) and
 * leaves; every enter is matched by one leave. */
void ws_readgate_enter(ws_readgate *g);
void ws_readgate_leave(ws_readgate *g);

/* A commit of shard (-1: of every shard, as closing the index does) is
 * due: keeps new reads out and waits for those inside to leave, or
 * WS_READGATE_WAIT_MS; and for the streams it would break, or
 * WS_READGATE_STREAM_WAIT_MS; then ws_readgate_open when it is done.
 * Several commits (a shard each) may hold the gate at once. */
void ws_readgate_close(ws_readgate *g, int shard);
void ws_readgate_open(ws_readgate *g, int shard);

/* A stream: a read of one view of the index that goes on between
 * requests' turns, a piece at a time, for as long as its client takes.
 * Xapian keeps the blocks of the revision a reader reads through one
 * commit of its shard, not two: the blocks that commit freed are reused by
 * the writes that follow it, before the next commit (a document's data,
 * positions and terms are written as it is added). So a stream that would
 * not be cut short by the daemon's own writes holds back the writes to
 * each shard after the first commit of it since the stream began (the
 * first goes at once: writes wait only for streams that overlap two of
 * their commits). The caller owns the node; begin before the stream's
 * searcher opens the index, end when the stream is freed (an end without
 * a begin does nothing). */
typedef struct ws_readgate_stream {
    unsigned long begun; /* the gate's commit count when it began */
    int on;
    int given_up; /* a write waited WS_READGATE_STREAM_WAIT_MS for it: no more */
    struct ws_readgate_stream *prev, *next;
} ws_readgate_stream;

/* Changes to shard (-1: to any) are about to be written, the first since
 * its last commit: waits for the streams they would break (those that
 * began before that commit), or WS_READGATE_STREAM_WAIT_MS, past which
 * they are given up (cut, and they say so): each stream holds the writer
 * back that long once at most. */
void ws_readgate_write(ws_readgate *g, int shard);

void ws_readgate_stream_begin(ws_readgate *g, ws_readgate_stream *s);
void ws_readgate_stream_end(ws_readgate *g, ws_readgate_stream *s);

#endif
