/* watch.c - the drop folder (watch.h).
 *
 * Each file in hand is a wfile that goes QUEUED -> READING (thread pool) ->
 * COMMITTING (the writer) -> MOVING (thread pool: rename into done/ or
 * failed/) and is then forgotten; a failed commit sends it to RETRY, from
 * which it is queued again after WS_WATCH_RETRY_MS. The loop owns every
 * wfile; the pool and the writer only fill in their results. */
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
#include <unistd.h>

#include "document.h"
#include "reader.h"
#include "utf8.h"

#define KICK_MS         20           /* after an fs event, scan this much later */
#define MOVE_RETRY_MS   60000        /* after a rename that failed */
#define QUEUE_RETRY_MS  1000         /* after a full write queue */
#define MAX_SCAN        100000       /* names looked at in one scan */
#define MAX_FILE_BYTES  (256u << 20) /* as the reader's own cap */
#define MAX_ERROR_BYTES (64u << 10)  /* of a .error file */

typedef enum { F_QUEUED, F_READING, F_COMMITTING, F_MOVING, F_RETRY } fstate;

typedef struct wfile wfile;
struct wfile {
    ws_watch *wt;
    wfile *prev, *next;
    char *name;
    fstate state;
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
    /* where it went */
    int to_failed, move_errno;
    int move_pending; /* committed (or refused), only the move is left */
    int replaced;     /* another file has its name now: not moved, read it */
    int gone;         /* taken away after the commit */
    int folder_bad;   /* done/ or failed/ is not a folder: move_errno says why */
    int remade;       /* done/ or failed/ was missing and was made again */
};

typedef struct scan_entry {
    char *name;
    struct timespec mtime;
} scan_entry;

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
    scan_entry *found;
    size_t nfound;
    wfile *head, *tail;
    unsigned nfiles, reading;
    int stopping, stopped_called, quiet, verbose, said_waiting;
    int blocked;          /* done/ or failed/ cannot take files: none is read until it can */
    int free_when_closed; /* ws_watch_new failed: the last close frees it */
    void (*stopped)(void *);
    void *stopped_arg;
};

static void pump(ws_watch *wt);
static void start_scan(ws_watch *wt);

static char *join(const char *a, const char *b, const char *c)
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
static const char *shown(const char *name, char *buf, size_t len)
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

#define SHOWN_MAX 1024 /* a name shown: 255 bytes at most, 4 characters each */

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

static void free_docs(wfile *f)
{
    for (size_t i = 0; i < f->ndocs; i++)
        ws_doc_free(f->docs[i]);
    free(f->docs);
    f->docs = NULL;
    f->ndocs = f->cap = 0;
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
    free_docs(f);
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

/* ---- moving into done/ or failed/ (thread pool) ---- */

/* Makes sure sub (done/ or failed/) is a folder, making it again when it
 * was removed: 0, or an errno (ENOTDIR: something else has its name). A
 * link is not followed: it could lead the files elsewhere. */
static int ensure_folder(const char *sub, int *remade)
{
    struct stat sb;
    if (lstat(sub, &sb) == 0)
        return S_ISDIR(sb.st_mode) ? 0 : ENOTDIR;
    if (errno != ENOENT)
        return errno;
    if (mkdir(sub, 0777) != 0 && errno != EEXIST)
        return errno;
    *remade = 1;
    return lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode) ? 0 : ENOTDIR;
}

/* Whether path is still the file that was read. */
static int same_file(const wfile *f, const char *path, int *err)
{
    struct stat sb;
    *err = 0;
    if (fstatat(AT_FDCWD, path, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        *err = errno;
        return 0;
    }
    return !f->have_id || (sb.st_dev == f->dev && sb.st_ino == f->ino);
}

/* Moves what was read (by its identity, not its name): a file renamed over
 * the name while the first was committed is left in place to be read. */
static void move_work(uv_work_t *w)
{
    wfile *f = w->data;
    ws_watch *wt = f->wt;
    const char *sub = f->to_failed ? "failed" : "done";
    char *from = join(wt->dir, f->name, NULL), *subdir = join(wt->dir, sub, NULL);
    char *to = subdir ? join(subdir, f->name, NULL) : NULL;
    char *errfile = subdir && f->to_failed ? join(subdir, f->name, ".error") : NULL;
    f->move_errno = 0;
    f->replaced = f->gone = f->folder_bad = f->remade = 0;
    int e = 0;
    if (!from || !to || (f->to_failed && !errfile)) {
        f->move_errno = ENOMEM;
    } else if ((e = ensure_folder(subdir, &f->remade)) != 0) {
        f->move_errno = e;
        f->folder_bad = 1;
    } else if (!same_file(f, from, &e)) {
        if (e == ENOENT)
            f->gone = 1;
        else if (e)
            f->move_errno = e;
        else
            f->replaced = 1;
    } else {
        if (f->to_failed) { /* the reason first: a crash before the rename only repeats it */
            int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
            if (fd >= 0) { /* a missing reason must not keep the file from failed/ */
                char buf[SHOWN_MAX];
                dprintf(fd,
                        "%s was not indexed: a file is taken whole or not at all; put it "
                        "right and drop it again.\n",
                        shown(f->name, buf, sizeof buf));
                ssize_t n = write(fd, f->error, f->error_len);
                (void)n;
                close(fd);
            }
        }
        if (rename(from, to) != 0) {
            f->move_errno = errno;
        } else if (!same_file(f, to, &e) && !e) {
            /* renamed over in the instant between the look and the move:
             * put the new one back, to be read */
            if (renameat2(AT_FDCWD, to, AT_FDCWD, from, RENAME_NOREPLACE) == 0)
                f->replaced = 1;
        }
    }
    free(from);
    free(subdir);
    free(to);
    free(errfile);
}

static void move_done(uv_work_t *w, int status)
{
    wfile *f = w->data;
    ws_watch *wt = f->wt;
    char buf[SHOWN_MAX];
    const char *sub = f->to_failed ? "failed" : "done";
    (void)status;
    if (f->remade)
        say(wt, "%s/%s was missing: made it again", wt->dir, sub);
    if (f->replaced) {
        say(wt, "%s was replaced while the one read was committed: the new one is read",
            shown(f->name, buf, sizeof buf));
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
                shown(f->name, buf, sizeof buf), wt->dir, sub, strerror(f->move_errno), wt->dir,
                sub);
        else if (!f->folder_bad)
            say(wt, "cannot move %s into %s/: %s; tried again later",
                shown(f->name, buf, sizeof buf), sub, strerror(f->move_errno));
        wt->blocked |= f->folder_bad;
        f->move_pending = 1; /* its documents are in: only the move is tried again */
        f->state = F_RETRY;
        f->retry_at = uv_now(wt->loop) + (f->folder_bad ? WS_WATCH_RETRY_MS : MOVE_RETRY_MS);
    } else {
        if (wt->blocked) {
            wt->blocked = 0;
            say(wt, "%s/%s is a folder again: taking files", wt->dir, sub);
        }
        if (f->to_failed)
            say(wt, "%s -> failed/: %.*s", shown(f->name, buf, sizeof buf),
                (int)(f->error_len ? f->error_len - 1 : 0), f->error);
        drop(f);
    }
    pump(wt);
    maybe_stopped(wt);
}

static void start_move(wfile *f, int to_failed)
{
    f->state = F_MOVING;
    f->move_pending = 0;
    f->to_failed = to_failed;
    f->work.data = f;
    if (uv_queue_work(f->wt->loop, &f->work, move_work, move_done) != 0) {
        f->state = F_RETRY;
        f->retry_at = uv_now(f->wt->loop) + QUEUE_RETRY_MS;
    }
}

static void add_error(wfile *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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
    char buf[SHOWN_MAX];
    if (f->commit_st == WS_OK) {
        if (wt->verbose)
            say(wt, "%s: committed", shown(f->name, buf, sizeof buf));
        start_move(f, 0);
    } else if (f->commit_st == WS_EINVAL || f->commit_st == WS_EENCODING) {
        /* the file's own fault, not the disk's: trying again would not help */
        add_error(f, "%s: %s", shown(f->name, buf, sizeof buf), f->commit_msg);
        start_move(f, 1);
    } else if (wt->stopping) {
        drop(f);
    } else {
        say(wt, "cannot commit %s: %s; tried again in %d s", shown(f->name, buf, sizeof buf),
            f->commit_msg, WS_WATCH_RETRY_MS / 1000);
        f->state = F_RETRY;
        f->retry_at = uv_now(wt->loop) + WS_WATCH_RETRY_MS;
    }
    pump(wt);
    maybe_stopped(wt);
}

/* ---- reading (thread pool) ---- */

static ws_status on_doc(void *ctx, ws_doc *doc)
{
    wfile *f = ctx;
    if (f->ndocs == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        ws_doc **v = realloc(f->docs, cap * sizeof *v);
        if (!v) {
            ws_doc_free(doc);
            f->oom = 1;
            return WS_ENOMEM;
        }
        f->docs = v;
        f->cap = cap;
    }
    f->docs[f->ndocs++] = doc;
    return WS_OK;
}

/* Adds a line to f->error, up to MAX_ERROR_BYTES. */
static void add_error(wfile *f, const char *fmt, ...)
{
    char buf[1200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    if (f->error_len + len + 1 > MAX_ERROR_BYTES)
        return;
    char *e = realloc(f->error, f->error_len + len + 2);
    if (!e)
        return;
    memcpy(e + f->error_len, buf, len);
    e[f->error_len + len] = '\n';
    f->error_len += len + 1;
    e[f->error_len] = '\0';
    f->error = e;
}

static void on_warn(void *ctx, const char *file, long line, const char *reason)
{
    if (line > 0)
        add_error(ctx, "%s:%ld: %s", file, line, reason);
    else
        add_error(ctx, "%s: %s", file, reason);
}

static const char *kind_of(mode_t m)
{
    return S_ISLNK(m)                 ? "a symbolic link (copy the file in instead)"
           : S_ISFIFO(m)              ? "a named pipe (FIFO)"
           : S_ISSOCK(m)              ? "a socket"
           : S_ISCHR(m) || S_ISBLK(m) ? "a device"
           : S_ISDIR(m)               ? "a folder"
                                      : "not a regular file";
}

/* Reads the whole file into memory (not mapped: a file truncated by its
 * writer while mapped would kill the daemon with SIGBUS). */
static void read_work(uv_work_t *w)
{
    wfile *f = w->data;
    char *path = join(f->wt->dir, f->name, NULL), *id = join("watch", f->name, NULL);
    char *data = NULL;
    int fd = -1;
    struct stat sb;
    char nbuf[SHOWN_MAX];
    if (!path || !id) {
        f->oom = 1;
        goto out;
    }
    /* Only regular files that are not links: the folder is often writable
     * by people who may not read what a link could name (and the daemon
     * would serve it), and a FIFO or a device would block the open or the
     * read. The type is checked on the name, then on what was opened (the
     * name may have been given to something else in between). */
    if (fstatat(AT_FDCWD, path, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            f->vanished = 1;
        else
            add_error(f, "%s: cannot look at it: %s", shown(f->name, nbuf, sizeof nbuf),
                      strerror(errno));
        goto out;
    }
    f->dev = sb.st_dev;
    f->ino = sb.st_ino;
    f->have_id = 1;
    if (!S_ISREG(sb.st_mode)) {
        add_error(f, "%s: refused: %s; the drop folder takes regular files only",
                  shown(f->name, nbuf, sizeof nbuf), kind_of(sb.st_mode));
        goto out;
    }
    if (!ws_utf8_valid(f->name, strlen(f->name))) {
        add_error(f,
                  "%s: refused: the file name is not UTF-8 (documents take their id from it); "
                  "rename it",
                  shown(f->name, nbuf, sizeof nbuf));
        goto out;
    }
    if (!ws_reader_supports(f->name)) {
        add_error(f, "%s: %s", f->name,
                  "unsupported file type (the drop folder reads .txt, .md, .jsonl and .html)");
        goto out;
    }
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)) < 0) {
        if (errno == ENOENT)
            f->vanished = 1;
        else if (errno == ELOOP)
            add_error(f, "%s: refused: %s; the drop folder takes regular files only", f->name,
                      kind_of(S_IFLNK));
        else
            add_error(f, "%s: cannot open: %s", f->name, strerror(errno));
        goto out;
    }
    if (fstat(fd, &sb) != 0) {
        add_error(f, "%s: cannot look at it: %s", f->name, strerror(errno));
        goto out;
    }
    f->dev = sb.st_dev;
    f->ino = sb.st_ino;
    if (!S_ISREG(sb.st_mode)) {
        add_error(f, "%s: refused: %s; the drop folder takes regular files only", f->name,
                  kind_of(sb.st_mode));
        goto out;
    }
    if ((uintmax_t)sb.st_size > MAX_FILE_BYTES) {
        add_error(f, "%s: larger than the limit of 256 MiB", f->name);
        goto out;
    }
    size_t size = (size_t)sb.st_size, got = 0;
    if (!(data = malloc(size ? size : 1))) {
        f->oom = 1;
        goto out;
    }
    while (got < size) {
        ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n < 0)
                add_error(f, "%s: cannot read: %s", f->name, strerror(errno));
            else
                add_error(f, "%s: shorter than its size (being written?)", f->name);
            goto out;
        }
        got += (size_t)n;
    }
    ws_status st = ws_reader_read_buffer(f->name, data, size, id, on_doc, on_warn, f);
    if (st == WS_ENOMEM || f->oom)
        f->oom = 1;
    else if (st != WS_OK && !f->error)
        add_error(f, "%s: %s", f->name, ws_status_to_string(st));
    else if (!f->error && f->ndocs == 0)
        add_error(f, "%s: no document in the file", f->name);
out:
    if (fd >= 0)
        close(fd);
    free(data);
    free(path);
    free(id);
    if (f->error || f->oom || f->vanished)
        free_docs(f); /* a file is taken whole or not at all */
}

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
        f->state = F_RETRY;
        f->retry_at = uv_now(wt->loop) + WS_WATCH_RETRY_MS;
    } else if (f->error) {
        start_move(f, 1);
    } else if (!wt->writer) {
        free_docs(f);
        f->state = F_QUEUED;
    } else {
        ws_doc **docs = f->docs;
        size_t n = f->ndocs;
        f->docs = NULL; /* the writer takes them, whatever it answers */
        f->ndocs = f->cap = 0;
        f->state = F_COMMITTING;
        if (wt->verbose) {
            char buf[SHOWN_MAX];
            say(wt, "%s: read, %zu documents", shown(f->name, buf, sizeof buf), n);
        }
        if (ws_writer_submit(wt->writer, docs, n, NULL, 0, commit_done, f) != WS_OK) {
            f->state = F_RETRY;
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
        if (f->state != F_RETRY || now < f->retry_at)
            continue;
        if (f->move_pending)
            start_move(f, f->to_failed);
        else
            f->state = F_QUEUED;
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
        if (f->state != F_QUEUED)
            continue;
        f->state = F_READING;
        f->work.data = f;
        if (uv_queue_work(wt->loop, &f->work, read_work, read_done) != 0) {
            f->state = F_QUEUED;
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
        /* not followed: a link is taken only to be refused (read_work) */
        if (skipped_name(de->d_name) ||
            fstatat(dirfd(dir), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(sb.st_mode))
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
    for (size_t i = 0; i < wt->nfound; i++) {
        char *name = wt->found[i].name;
        if (wt->stopping || find(wt, name)) {
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
        f->state = F_QUEUED;
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
    }
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
        char *p = subs[i] ? join(wt->dir, subs[i], NULL) : strdup(wt->dir);
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
        if (f->state == F_QUEUED || f->state == F_RETRY)
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
