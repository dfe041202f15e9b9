/* watch_int.h - what watch.c and wfile.c share: the watcher's state and
 * its helpers for names. Not a public header: the daemon sees watch.h. */
#ifndef WS_WATCH_INT_H
#define WS_WATCH_INT_H

#include <stddef.h>
#include <time.h>
#include <uv.h>

#include "watch.h"
#include "wfile.h"

typedef struct ws__scan_entry {
    char *name;
    struct timespec mtime;
} ws__scan_entry;

struct ws_watch {
    uv_loop_t *loop;
    char *dir;
    ws_mailbox *mb;
    ws_writer *writer;
    uv_fs_event_t ev;
    uv_timer_t rescan, kick;
    unsigned handles_open;
    uv_work_t scan_work;
    int scanning, scan_again, scan_full; /* scan_full: more files than room */
    int settling; /* the scan left a file too fresh to take (WS_WATCH_SETTLE_MS) */
    ws__scan_entry *found;
    size_t nfound;
    ws__wfile *head, *tail;
    unsigned nfiles, reading;
    int stopping, stopped_called, quiet, verbose, said_waiting;
    int blocked;          /* done/ or failed/ cannot take files: none is read until it can */
    int free_when_closed; /* ws_watch_new failed: the last close frees it */
    void (*stopped)(void *);
    void *stopped_arg;
};

#define WS__SHOWN_MAX 1024 /* a name shown: 255 bytes at most, 4 characters each */

/* a/b, or a/bc when c is not NULL, in a new string (free()); NULL when out
 * of memory. */
char *ws__watch_join(const char *a, const char *b, const char *c);

/* name as it can be shown in the log and in a .error file, in buf (len,
 * WS__SHOWN_MAX for any name); returns buf. */
const char *ws__watch_shown(const char *name, char *buf, size_t len);

#endif
