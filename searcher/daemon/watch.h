/* watch.h - the drop folder of wensuo-searchd (--watch DIR).
 *
 * Every file placed in DIR is read (any format of reader.h), its documents
 * handed to the writer, and the file renamed into DIR/done/ only after the
 * commit that holds them is on disk. A file that cannot be read, or holds
 * any bad line, goes to DIR/failed/ with DIR/failed/NAME.error saying why,
 * and none of its documents is indexed (as a POST, a file is taken whole or
 * not at all). A file whose commit fails (full disk) stays where it is and
 * is tried again later.
 *
 * A file counts once it is complete: names beginning with '.' or ending in
 * .tmp or .part are left alone, so writers write under such a name and
 * rename into place. Documents of .txt, .md and .html files get the id
 * "watch/NAME" unless their front matter gives one: the id does not depend
 * on the folder, so indexing a file again (after a crash between the commit
 * and the rename) replaces its documents instead of adding them twice.
 *
 * Files are found by libuv's fs events on DIR, by a full scan at start (for
 * what arrived while the daemon was down) and by a scan every
 * WS_WATCH_RESCAN_MS (events can be missed). Files are read one at a time
 * on the thread pool, oldest first, at most WS_WATCH_MAX_FILES in hand at
 * once; the rest wait for a later scan.
 *
 * Threads: every function is called on the loop's thread. */
#ifndef WS_WATCH_H
#define WS_WATCH_H

#include <uv.h>
#include "mailbox.h"
#include "status.h"
#include "writer.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_WATCH_RESCAN_MS 2000
#define WS_WATCH_RETRY_MS  5000 /* after a failed commit */
#define WS_WATCH_SETTLE_MS 1000 /* a file is taken once unchanged this long */
#define WS_WATCH_MAX_FILES 256  /* files read, committing or moving at once */

typedef struct ws_watch ws_watch;

/* Creates DIR/done and DIR/failed when missing and starts watching DIR on
 * loop; files wait until a writer is set. Commits are announced through mb
 * (the writer calls back on its thread). On failure *out is NULL and err
 * says why (what was allocated is freed when the loop next runs). */
ws_status ws_watch_new(uv_loop_t *loop, const char *dir, ws_mailbox *mb, int quiet, int verbose,
                       ws_watch **out, char *err, size_t errlen);

/* The writer to hand documents to (not owned); NULL stops taking new files. */
void ws_watch_set_writer(ws_watch *wt, ws_writer *w);

/* Stops watching: no new file is taken; what is being read is dropped (the
 * file stays for the next start); what is committing is finished and moved.
 * stopped(arg) runs on the loop when nothing is left in hand. */
void ws_watch_stop(ws_watch *wt, void (*stopped)(void *arg), void *arg);

/* Frees the watcher once stopped and after its handles have been closed
 * (the loop has run since stopped() was called). NULL is allowed. */
void ws_watch_free(ws_watch *wt);

#ifdef __cplusplus
}
#endif
#endif
