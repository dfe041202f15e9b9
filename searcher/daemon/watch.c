/* watch.c - the drop folder (watch.h).
 *
 * Each file in hand is a wfile that goes QUEUED -> READING (thread pool) ->
 * COMMITTING (the writer) -> MOVING (thread pool: rename into done/ or
 * failed/) and is then forgotten; a failed commit sends it to RETRY, from
 * which it is queued again after WS_WATCH_RETRY_MS. The loop owns every
 * wfile; the pool (wfile.c) and the writer only fill in their results. */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "document.h"
#include "utf8.h"
#include "watch_int.h"
#include "wfile.h"

#define KICK_MS        20     /* after an fs event, scan this much later */
#define MOVE_RETRY_MS  60000  /* after a rename that failed */
#define QUEUE_RETRY_MS 1000   /* after a full write queue */
#define MAX_SCAN       100000 /* names looked at in one scan */

typedef ws__wfile wfile;
typedef ws__scan_entry scan_entry;

static void pump(ws_watch *wt);
static void start_scan(ws_watch *wt);
static void on_kick(uv_timer_t *t);

char *ws__watch_join(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = c ? strlen(c) : 0;
    char *s = malloc(la + lb + lc + 2);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb);
    if (c)
        memcpy(s + la + 1 + lb, c, lc);
    s[la + 1 + lb + lc] = '\0';
    return s;
}

/* name as it can be shown in the log and in a .error file: bytes of a
 * name that is not UTF-8, and control characters, as \xHH. */
const char *ws__watch_shown(const char *name, char *buf, size_t len)
{
    size_t n = strlen(name), k = 0;
    int plain = ws_utf8_valid(name, n);
    for (size_t i = 0; i < n && k + 5 < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f || (!plain && c >= 0x80))
            k += (size_t)snprintf(buf + k, len - k, "\\x%02x", c);
        else
            buf[k++] = (char)c;
    }
    buf[k] = '\0';
    return buf;
}

static void maybe_stopped(ws_watch *wt)
{
    if (wt->stopping && !wt->stopped_called && !wt->scanning && !wt->head &&
        wt->handles_open == 0) {
        wt->stopped_called = 1;
        if (wt->stopped)
            wt->stopped(wt->stopped_arg);
    }
}

/* ---- files in hand ---- */

static wfile *find(ws_watch *wt, const char *name)
{
    for (wfile *f = wt->head; f; f = f->next)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* Forgets f (the file itself stays wherever it is). */
static void drop(wfile *f)
{
    ws_watch *wt = f->wt;
    if (f->prev)
        f->prev->next = f->next;
    else
        wt->head = f->next;
    if (f->next)
        f->next->prev = f->prev;
    else
        wt->tail = f->prev;
    wt->nfiles--;
    ws__wfile_free_docs(f);
    free(f->error);
    free(f->name);
    free(f);
    if (wt->scan_full && !wt->stopping) { /* room again for what the last scan left */
        wt->scan_full = 0;
        start_scan(wt);
    }
}

static void say(ws_watch *wt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(ws_watch *wt, const char *fmt, ...)
{
    if (wt->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "wensuo-searchd: watch: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---- moving into done/ or failed/ (the work is wfile.c's) ---- */

static void move_done(uv_work_t *w, int status)
{
    wfile *f = w->data;
    ws_watch *wt = f->wt;
    char buf[WS__SHOWN_MAX];
    const char *sub = f->to_failed ? "failed" : "done";
    (void)status;
    if (f->remade)
        say(wt, "%s/%s was missing: made it again", wt->dir, sub);
    if (f->replaced) {
        if (f->changed)
            say(wt, "%s was written to after it was read: it is read again",
                ws__watch_shown(f->name, buf, sizeof buf));
        else
            say(wt, "%s was replaced while the one read was committed: the new one is read",
                ws__watch_shown(f->name, buf, sizeof buf));
        drop(f);
        start_scan(wt);
    } else if (f->gone && !f->to_failed) {
        drop(f); /* someone took it away after the commit: its documents are in */
    } else if (f->gone) {
        drop(f);
    } else if (f->move_errno) {
        if (f->folder_bad && !wt->blocked)
            say(wt,
                "cannot move %s into %s/%s: %s; no file is taken until %s/%s is a folder "
                "again",
                ws__watch_shown(f->name, buf, sizeof buf), wt->dir, sub, strerror(f->move_errno),
                wt->dir, sub);
        else if (!f->folder_bad)
            say(wt, "cannot move %s into %s/: %s; tried again later",
                ws__watch_shown(f->name, buf, sizeof buf), sub, strerror(f->move_errno));
        wt->blocked |= f->folder_bad;
        f->move_pending = 1; /* its documents are in: only the move is tried again */
        f->state = WS__F_RETRY;
        f->retry_at = uv_now(wt->loop) + (f->folder_bad ? WS_WATCH_RETRY_MS : MOVE_RETRY_MS);
    } else {
        if (wt->blocked) {
            wt->blocked = 0;
            say(wt, "%s/%s is a folder again: taking files", wt->dir, sub);
        }
        if (f->to_failed)
            say(wt, "%s -> failed/: %.*s", ws__watch_shown(f->name, buf, sizeof buf),
                (int)(f->error_len ? f->error_len - 1 : 0), f->error);
        drop(f);
    }
    pump(wt);
    maybe_stopped(wt);
}

static void start_move(wfile *f, int to_failed)
{
    f->state = WS__F_MOVING;
    f->move_pending = 0;
    f->to_failed = to_failed;
    f->work.data = f;
    if (uv_queue_work(f->wt->loop, &f->work, ws__wfile_move, move_done) != 0) {
        f->state = WS__F_RETRY;
        f->retry_at = uv_now(f->wt->loop) + QUEUE_RETRY_MS;
    }
}

/* ---- committing ---- */

/* On the writer's thread. */
static void commit_done(void *ctx, ws_status st, const char *msg, size_t added, size_t deleted)
{
    wfile *f = ctx;
    (void)added;
    (void)deleted;
    f->commit_st = st;
    snprintf(f->commit_msg, sizeof f->commit_msg, "%s", msg ? msg : "");
    ws_mailbox_post(f->wt->mb, &f->letter);
}

static void on_committed(ws_letter *l)
{
    wfile *f = (wfile *)((char *)l - offsetof(wfile, letter));
    ws_watch *wt = f->wt;
    char buf[WS__SHOWN_MAX];
    if (f->commit_st == WS_OK) {
        if (wt->verbose)
            say(wt, "%s: committed", ws__watch_shown(f->name, buf, sizeof buf));
        start_move(f, 0);
    } else if (f->commit_st == WS_EINVAL || f->commit_st == WS_EENCODING) {
        /* the file's own fault, not the disk's: trying again would not help */
        ws__wfile_add_error(f, "%s: %s", ws__watch_shown(f->name, buf, sizeof buf), f->commit_msg);
        start_move(f, 1);
    } else if (wt->stopping) {
        drop(f);
    } else {
        say(wt, "cannot commit %s: %s; tried again in %d s",
            ws__watch_shown(f->name, buf, sizeof buf), f->commit_msg, WS_WATCH_RETRY_MS / 1000);
        f->state = WS__F_RETRY;
        f->retry_at = uv_now(wt->loop) + WS_WATCH_RETRY_MS;
    }
    pump(wt);
    maybe_stopped(wt);
}

/* ---- reading (the work is wfile.c's) ---- */

static void read_done(uv_work_t *w, int status)
{
    wfile *f = w->data;
    ws_watch *wt = f->wt;
    (void)status;
    wt->reading--;
    if (wt->stopping || f->vanished) {
        drop(f);
    } else if (f->oom) {
        free(f->error);
        f->error = NULL;
        f->error_len = 0;
        f->oom = 0;
        f->state = WS__F_RETRY;
        f->retry_at = uv_now(wt->loop) + WS_WATCH_RETRY_MS;
    } else if (f->error) {
        start_move(f, 1);
    } else if (!wt->writer) {
        ws__wfile_free_docs(f);
        f->state = WS__F_QUEUED;
    } else {
        ws_doc **docs = f->docs;
        size_t n = f->ndocs;
        f->docs = NULL; /* the writer takes them, whatever it answers */
        f->ndocs = f->cap = 0;
        f->state = WS__F_COMMITTING;
        if (wt->verbose) {
            char buf[WS__SHOWN_MAX];
            say(wt, "%s: read, %zu document%s", ws__watch_shown(f->name, buf, sizeof buf), n,
                n == 1 ? "" : "s");
        }
        if (ws_writer_submit(wt->writer, docs, n, NULL, 0, commit_done, f) != WS_OK) {
            f->state = WS__F_RETRY;
            f->retry_at = uv_now(wt->loop) + QUEUE_RETRY_MS;
        }
    }
    pump(wt);
    maybe_stopped(wt);
}

static void pump(ws_watch *wt)
{
    if (wt->stopping)
        return;
    uint64_t now = uv_now(wt->loop);
    for (wfile *f = wt->head; f; f = f->next) {
        if (f->state != WS__F_RETRY || now < f->retry_at)
            continue;
        if (f->move_pending)
            start_move(f, f->to_failed);
        else
            f->state = WS__F_QUEUED;
    }
    if (!wt->writer) {
        if (wt->head && !wt->said_waiting) {
            wt->said_waiting = 1;
            say(wt, "files wait until the index can be written");
        }
        return;
    }
    wt->said_waiting = 0;
    for (wfile *f = wt->head; f && wt->reading < 1 && !wt->blocked; f = f->next) {
        if (f->state != WS__F_QUEUED)
            continue;
        f->state = WS__F_READING;
        f->work.data = f;
        if (uv_queue_work(wt->loop, &f->work, ws__wfile_read, read_done) != 0) {
            f->state = WS__F_QUEUED;
            break;
        }
        wt->reading++;
    }
}

/* ---- scanning (thread pool) ---- */

static int skipped_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' || !strcmp(name, "done") || !strcmp(name, "failed") ||
           (n >= 4 && strcmp(name + n - 4, ".tmp") == 0) ||
           (n >= 5 && strcmp(name + n - 5, ".part") == 0);
}

static int by_age(const void *a, const void *b)
{
    const scan_entry *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void scan_work(uv_work_t *w)
{
    ws_watch *wt = w->data;
    DIR *dir = opendir(wt->dir);
    size_t cap = 0;
    wt->found = NULL;
    wt->nfound = 0;
    if (!dir)
        return;
    struct dirent *de;
    while ((de = readdir(dir)) && wt->nfound < MAX_SCAN) {
        struct stat sb;
        /* not followed: a link, like a folder, is taken only to be refused
         * (ws__wfile_read), so that nothing dropped is left without a word */
        if (skipped_name(de->d_name) ||
            fstatat(dirfd(dir), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (wt->nfound == cap) {
            size_t nc = cap ? cap * 2 : 64;
            scan_entry *v = realloc(wt->found, nc * sizeof *v);
            if (!v)
                break;
            wt->found = v;
            cap = nc;
        }
        char *name = strdup(de->d_name);
        if (!name)
            break;
        wt->found[wt->nfound++] = (scan_entry){name, sb.st_mtim};
    }
    closedir(dir);
    if (wt->nfound)
        qsort(wt->found, wt->nfound, sizeof *wt->found, by_age);
}

static void scan_done(uv_work_t *w, int status)
{
    ws_watch *wt = w->data;
    (void)status;
    wt->scanning = 0;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now); /* (as file times are) */
    for (size_t i = 0; i < wt->nfound; i++) {
        char *name = wt->found[i].name;
        /* a file written to in the last WS_WATCH_SETTLE_MS may still be
         * being written (in place): taken by a later scan once it rests */
        double age = (double)(now.tv_sec - wt->found[i].mtime.tv_sec) +
                     (double)(now.tv_nsec - wt->found[i].mtime.tv_nsec) / 1e9;
        if (wt->stopping || find(wt, name) || (age >= 0 && age * 1000 < WS_WATCH_SETTLE_MS)) {
            if (!wt->stopping && age >= 0 && age * 1000 < WS_WATCH_SETTLE_MS)
                wt->settling = 1;
            free(name);
            continue;
        }
        wfile *f = NULL;
        if (wt->nfiles >= WS_WATCH_MAX_FILES || !(f = calloc(1, sizeof *f))) {
            wt->scan_full = 1;
            free(name);
            continue;
        }
        f->wt = wt;
        f->name = name;
        f->state = WS__F_QUEUED;
        f->letter.cb = on_committed;
        f->prev = wt->tail;
        if (wt->tail)
            wt->tail->next = f;
        else
            wt->head = f;
        wt->tail = f;
        wt->nfiles++;
    }
    free(wt->found);
    wt->found = NULL;
    wt->nfound = 0;
    if (wt->scan_again && !wt->stopping) {
        wt->scan_again = 0;
        start_scan(wt);
    } else if (wt->settling && !wt->stopping && !uv_is_active((uv_handle_t *)&wt->kick)) {
        uv_timer_start(&wt->kick, on_kick, WS_WATCH_SETTLE_MS / 4, 0); /* (not the 2 s rescan) */
    }
    wt->settling = 0;
    pump(wt);
    maybe_stopped(wt);
}

static void start_scan(ws_watch *wt)
{
    if (wt->stopping)
        return;
    if (wt->scanning) {
        wt->scan_again = 1;
        return;
    }
    wt->scan_work.data = wt;
    if (uv_queue_work(wt->loop, &wt->scan_work, scan_work, scan_done) == 0)
        wt->scanning = 1;
}

/* ---- events and timers ---- */

static void on_kick(uv_timer_t *t)
{
    start_scan(t->data);
}

static void on_event(uv_fs_event_t *ev, const char *filename, int events, int status)
{
    ws_watch *wt = ev->data;
    (void)events;
    (void)status;
    if (filename && skipped_name(filename))
        return;
    if (!uv_is_active((uv_handle_t *)&wt->kick))
        uv_timer_start(&wt->kick, on_kick, KICK_MS, 0);
}

static void on_rescan(uv_timer_t *t)
{
    ws_watch *wt = t->data;
    start_scan(wt);
    pump(wt);
}

static void on_handle_closed(uv_handle_t *h)
{
    ws_watch *wt = h->data;
    wt->handles_open--;
    if (wt->free_when_closed && wt->handles_open == 0) {
        free(wt->dir);
        free(wt);
        return;
    }
    maybe_stopped(wt);
}

ws_status ws_watch_new(uv_loop_t *loop, const char *dir, ws_mailbox *mb, int quiet, int verbose,
                       ws_watch **out, char *err, size_t errlen)
{
    *out = NULL;
    ws_watch *wt = calloc(1, sizeof *wt);
    if (!wt || !(wt->dir = strdup(dir))) {
        free(wt);
        snprintf(err, errlen, "out of memory");
        return WS_ENOMEM;
    }
    size_t n = strlen(wt->dir);
    while (n > 1 && wt->dir[n - 1] == '/')
        wt->dir[--n] = '\0';
    const char *const subs[] = {NULL, "done", "failed"};
    for (int i = 0; i < 3; i++) {
        char *p = subs[i] ? ws__watch_join(wt->dir, subs[i], NULL) : strdup(wt->dir);
        int e = !p ? ENOMEM : mkdir(p, 0777) == 0 ? 0 : errno;
        struct stat sb;
        if (e == EEXIST && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            e = 0;
        else if (e == EEXIST)
            e = ENOTDIR;
        if (e) {
            snprintf(err, errlen, "--watch: cannot make the folder %s: %s", p ? p : dir,
                     strerror(e));
            free(p);
            free(wt->dir);
            free(wt);
            return WS_EIO;
        }
        free(p);
    }
    wt->loop = loop;
    wt->mb = mb;
    wt->quiet = quiet;
    wt->verbose = verbose;
    uv_fs_event_init(loop, &wt->ev); /* cannot fail on Linux */
    wt->ev.data = wt;
    wt->handles_open++;
    int e = uv_fs_event_start(&wt->ev, on_event, wt->dir, 0);
    uv_timer_init(loop, &wt->rescan);
    uv_timer_init(loop, &wt->kick);
    wt->rescan.data = wt->kick.data = wt;
    wt->handles_open += 2;
    if (e != 0) {
        snprintf(err, errlen, "--watch %s: cannot watch the folder: %s", dir, uv_strerror(e));
        wt->stopping = 1;
        wt->free_when_closed = 1; /* when the caller's loop runs the closes */
        uv_close((uv_handle_t *)&wt->ev, on_handle_closed);
        uv_close((uv_handle_t *)&wt->rescan, on_handle_closed);
        uv_close((uv_handle_t *)&wt->kick, on_handle_closed);
        return WS_EIO;
    }
    uv_timer_start(&wt->rescan, on_rescan, WS_WATCH_RESCAN_MS, WS_WATCH_RESCAN_MS);
    start_scan(wt); /* what arrived while the daemon was down */
    *out = wt;
    return WS_OK;
}

void ws_watch_set_writer(ws_watch *wt, ws_writer *w)
{
    wt->writer = w;
    pump(wt);
}

void ws_watch_stop(ws_watch *wt, void (*stopped)(void *arg), void *arg)
{
    if (wt->stopping)
        return;
    wt->stopping = 1;
    wt->stopped = stopped;
    wt->stopped_arg = arg;
    uv_close((uv_handle_t *)&wt->ev, on_handle_closed);
    uv_close((uv_handle_t *)&wt->rescan, on_handle_closed);
    uv_close((uv_handle_t *)&wt->kick, on_handle_closed);
    for (wfile *f = wt->head, *next; f; f = next) {
        next = f->next;
        if (f->state == WS__F_QUEUED || f->state == WS__F_RETRY)
            drop(f);
    }
    maybe_stopped(wt);
}

void ws_watch_free(ws_watch *wt)
{
    if (!wt)
        return;
    wt->stopping = 1;
    while (wt->head) /* only if the loop ended without a stop */
        drop(wt->head);
    free(wt->dir);
    free(wt);
}
