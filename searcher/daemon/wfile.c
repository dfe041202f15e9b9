/* wfile.c - what the thread pool does with a file of the drop folder
 * (wfile.h): read it, move it into done/ or failed/. */
#include "wfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "readall.h"
#include "reader.h"
#include "utf8.h"
#include "watch_int.h"

#define MAX_FILE_BYTES  (256u << 20) /* as the reader's own cap */
#define MAX_ERROR_BYTES (64u << 10)  /* of a .error file */

typedef ws__wfile wfile;

/* The longest file name Linux's file systems take (ext4, xfs, btrfs, tmpfs:
 * 255 bytes). */
#define NAME_BYTES 255

/* subdir/NAME + suffix, where a name too long for the suffix is cut (at a
 * UTF-8 boundary when it is UTF-8) and told apart by a hash of it whole,
 * "~" and 16 hex digits: a file named 250 bytes long had no .error at all,
 * its reason only in the log. The .error's first line names the file in
 * full. NULL when out of memory. */
static char *reason_name(const char *subdir, const char *name, const char *suffix)
{
    size_t n = strlen(name), ls = strlen(suffix);
    if (n + ls <= NAME_BYTES)
        return ws__watch_join(subdir, name, suffix);
    char tail[64];
    snprintf(tail, sizeof tail, "~%016llx%s", (unsigned long long)XXH3_64bits(name, n), suffix);
    size_t keep = NAME_BYTES - strlen(tail);
    if (ws_utf8_valid(name, n))
        while (keep && ((unsigned char)name[keep] & 0xC0) == 0x80)
            keep--;
    char *cut = malloc(keep + 1);
    if (!cut)
        return NULL;
    memcpy(cut, name, keep);
    cut[keep] = '\0';
    char *r = ws__watch_join(subdir, cut, tail);
    free(cut);
    return r;
}

void ws__wfile_free_docs(wfile *f)
{
    for (size_t i = 0; i < f->ndocs; i++)
        ws_doc_free(f->docs[i]);
    free(f->docs);
    f->docs = NULL;
    f->ndocs = f->cap = 0;
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

/* Whether path is still the file that was read: the same file, and not
 * written to since (f->changed when it was: a file written in place, read
 * while its writer paused, is read again rather than moved away with only
 * its first part indexed). */
static int same_file(wfile *f, const char *path, int *err)
{
    struct stat sb;
    *err = 0;
    if (fstatat(AT_FDCWD, path, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
        *err = errno;
        return 0;
    }
    if (f->have_id && (sb.st_dev != f->dev || sb.st_ino != f->ino))
        return 0;
    if (f->have_stamp && (sb.st_size != f->size || sb.st_mtim.tv_sec != f->mtime.tv_sec ||
                          sb.st_mtim.tv_nsec != f->mtime.tv_nsec)) {
        f->changed = 1;
        return 0;
    }
    return 1;
}

/* For a folder refused into failed/ where something has its name: the
 * first free NAME.k (k from 2) for it and its reason, into *to and
 * *errfile (replaced; the old ones freed), since a folder cannot take the
 * place of one that holds something (rename: ENOTEMPTY) and would stay in
 * the drop folder, while NAME.error told of the new one. 0, or -1 when
 * none is free or out of memory (the names are left as they were). */
static int free_name(const char *subdir, const char *name, char **to, char **errfile)
{
    for (int k = 2; k < 1000; k++) {
        char suf[32], esuf[32];
        snprintf(suf, sizeof suf, ".%d", k);
        snprintf(esuf, sizeof esuf, ".%d.error", k);
        char *t = ws__watch_join(subdir, name, suf), *e = reason_name(subdir, name, esuf);
        struct stat sb;
        if (t && e && lstat(t, &sb) != 0 && errno == ENOENT && lstat(e, &sb) != 0 &&
            errno == ENOENT) {
            free(*to);
            free(*errfile);
            *to = t;
            *errfile = e;
            return 0;
        }
        free(t);
        free(e);
        if (!t || !e)
            return -1;
    }
    return -1;
}

/* Moves what was read (by its identity, not its name): a file renamed over
 * the name while the first was committed is left in place to be read. */
void ws__wfile_move(uv_work_t *w)
{
    wfile *f = w->data;
    ws_watch *wt = f->wt;
    const char *sub = f->to_failed ? "failed" : "done";
    char *from = ws__watch_join(wt->dir, f->name, NULL),
         *subdir = ws__watch_join(wt->dir, sub, NULL);
    char *to = subdir ? ws__watch_join(subdir, f->name, NULL) : NULL;
    char *errfile = subdir && f->to_failed ? reason_name(subdir, f->name, ".error") : NULL;
    f->move_errno = 0;
    f->replaced = f->changed = f->gone = f->folder_bad = f->remade = 0;
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
        struct stat sb;
        if (f->to_failed && lstat(from, &sb) == 0 && S_ISDIR(sb.st_mode) && lstat(to, &sb) == 0)
            free_name(subdir, f->name, &to, &errfile);
        if (f->to_failed) { /* the reason first: a crash before the rename only repeats it */
            int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
            if (fd >= 0) { /* a missing reason must not keep the file from failed/ */
                char buf[WS__SHOWN_MAX];
                dprintf(fd,
                        "%s was not indexed: a file is taken whole or not at all; put it "
                        "right and drop it again.\n",
                        ws__watch_shown(f->name, buf, sizeof buf));
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
void ws__wfile_add_error(wfile *f, const char *fmt, ...)
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

static void on_warn(void *ctx, const char *file, long line, int refused, const char *reason)
{
    (void)refused; /* a dropped file is taken whole or not at all: a note refuses it too */
    char buf[WS__SHOWN_MAX]; /* a name's line break must not forge a line of the log */
    const char *shown = ws__watch_shown(file, buf, sizeof buf);
    /* the reader's "; skipped" is wensuo-index's: here the whole file is refused */
    size_t n = strlen(reason), k = strlen("; skipped");
    int cut = n >= k && !strcmp(reason + n - k, "; skipped");
    if (line > 0)
        ws__wfile_add_error(ctx, "%s:%ld: %.*s", shown, line, (int)(cut ? n - k : n), reason);
    else
        ws__wfile_add_error(ctx, "%s: %.*s", shown, (int)(cut ? n - k : n), reason);
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
void ws__wfile_read(uv_work_t *w)
{
    wfile *f = w->data;
    char *path = ws__watch_join(f->wt->dir, f->name, NULL),
         *id = ws__watch_join("watch", f->name, NULL);
    char *data = NULL;
    int fd = -1;
    struct stat sb;
    char nbuf[WS__SHOWN_MAX];
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
            ws__wfile_add_error(f, "%s: cannot look at it: %s",
                                ws__watch_shown(f->name, nbuf, sizeof nbuf), strerror(errno));
        goto out;
    }
    f->dev = sb.st_dev;
    f->ino = sb.st_ino;
    f->have_id = 1;
    if (!S_ISREG(sb.st_mode)) {
        ws__wfile_add_error(f, "%s: refused: %s; the drop folder takes regular files only",
                            ws__watch_shown(f->name, nbuf, sizeof nbuf), kind_of(sb.st_mode));
        goto out;
    }
    if (!ws_utf8_valid(f->name, strlen(f->name))) {
        ws__wfile_add_error(
            f,
            "%s: refused: the file name is not UTF-8 (documents take their id from it); "
            "rename it",
            ws__watch_shown(f->name, nbuf, sizeof nbuf));
        goto out;
    }
    const char *shown = ws__watch_shown(f->name, nbuf, sizeof nbuf);
    if (!ws_reader_supports(f->name)) {
        ws__wfile_add_error(
            f, "%s: %s", shown,
            "unsupported file type (the drop folder reads .txt, .md, .jsonl and .html)");
        goto out;
    }
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)) < 0) {
        if (errno == ENOENT)
            f->vanished = 1;
        else if (errno == ELOOP)
            ws__wfile_add_error(f, "%s: refused: %s; the drop folder takes regular files only",
                                shown, kind_of(S_IFLNK));
        else
            ws__wfile_add_error(f, "%s: cannot open: %s", shown, strerror(errno));
        goto out;
    }
    if (fstat(fd, &sb) != 0) {
        ws__wfile_add_error(f, "%s: cannot look at it: %s", shown, strerror(errno));
        goto out;
    }
    f->dev = sb.st_dev;
    f->ino = sb.st_ino;
    if (!S_ISREG(sb.st_mode)) {
        ws__wfile_add_error(f, "%s: refused: %s; the drop folder takes regular files only", shown,
                            kind_of(sb.st_mode));
        goto out;
    }
    f->size = sb.st_size;
    f->mtime = sb.st_mtim;
    f->have_stamp = 1;
    if ((uintmax_t)sb.st_size > MAX_FILE_BYTES) {
        ws__wfile_add_error(f, "%s: larger than the limit of 256 MiB", shown);
        goto out;
    }
    size_t size = (size_t)sb.st_size;
    if (!(data = malloc(size ? size : 1))) {
        f->oom = 1;
        goto out;
    }
    ws_status rst = ws_readall(fd, data, size);
    if (rst != WS_OK) {
        if (rst == WS_EIO)
            ws__wfile_add_error(f, "%s: cannot read: %s", shown, strerror(errno));
        else
            ws__wfile_add_error(f, "%s: shorter than its size (being written?)", shown);
        goto out;
    }
    ws_status st = ws_reader_read_buffer(f->name, data, size, id, on_doc, on_warn, f);
    if (st == WS_ENOMEM || f->oom)
        f->oom = 1;
    else if (st != WS_OK && !f->error)
        ws__wfile_add_error(f, "%s: %s", shown, ws_status_to_string(st));
    else if (!f->error && f->ndocs == 0)
        ws__wfile_add_error(f, "%s: no document in the file", shown);
out:
    if (fd >= 0)
        close(fd);
    free(data);
    free(path);
    free(id);
    if (f->error || f->oom || f->vanished)
        ws__wfile_free_docs(f); /* a file is taken whole or not at all */
}
