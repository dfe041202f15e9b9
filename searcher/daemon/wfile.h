/* wfile.h - a file in hand of the drop folder (watch.h), and what the
 * thread pool does with it: read it whole into documents (or the reasons
 * it is refused), and move it into done/ or failed/.
 *
 * The loop (watch.c) owns every wfile and its state; ws__wfile_read and
 * ws__wfile_move run on the pool and only fill in their results. The
 * documents read are the wfile's until the writer takes them;
 * ws__wfile_free_docs frees those it still holds. Internal to the daemon
 * layer: programs see watch.h. */
#ifndef WS_WFILE_H
#define WS_WFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "document.h"
#include "mailbox.h"
#include "status.h"
#include "watch.h"

/* Where a file in hand is (watch.c says how it goes from one to the next). */
typedef enum {
    WS__F_QUEUED,
    WS__F_READING,
    WS__F_COMMITTING,
    WS__F_MOVING,
    WS__F_RETRY
} ws__fstate;

typedef struct ws__wfile ws__wfile;
struct ws__wfile {
    ws_watch *wt;
    ws__wfile *prev, *next;
    char *name;
    ws__fstate state;
    uint64_t retry_at; /* uv_now() */
    uv_work_t work;
    ws_letter letter;
    /* what reading found */
    ws_doc **docs;
    size_t ndocs, cap;
    char *error; /* why the file is refused (NULL: it is not) */
    size_t error_len;
    int vanished, oom;
    /* what the writer said */
    ws_status commit_st;
    char commit_msg[512];
    /* what was read, by its identity: the name may be given to another
     * file (renamed over it) while this one is committed */
    dev_t dev;
    ino_t ino;
    int have_id;
    off_t size; /* and its size and time when read: a file written in place */
    struct timespec mtime;
    int have_stamp;
    /* where it went */
    int to_failed, move_errno;
    int move_pending; /* committed (or refused), only the move is left */
    int replaced;     /* another file has its name now: not moved, read it */
    int changed;      /* replaced by being written to since it was read */
    int gone;         /* taken away after the commit */
    int folder_bad;   /* done/ or failed/ is not a folder: move_errno says why */
    int remade;       /* done/ or failed/ was missing and was made again */
};

/* The pool's work (uv_work_cb, w->data the wfile): reads the file named
 * f->name in the folder into f->docs, or says in f->error why it is refused
 * (then f->docs is empty); f->vanished when it is gone, f->oom when memory
 * ran out. */
void ws__wfile_read(uv_work_t *w);

/* The pool's work (uv_work_cb, w->data the wfile): moves what was read
 * into done/, or into failed/ with NAME.error holding f->error when
 * f->to_failed; the outcome is in move_errno, replaced, gone, folder_bad
 * and remade. */
void ws__wfile_move(uv_work_t *w);

/* Adds a line to f->error (any thread that has f in hand). */
void ws__wfile_add_error(ws__wfile *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Frees the documents f holds. */
void ws__wfile_free_docs(ws__wfile *f);

#endif
