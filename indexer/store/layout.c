#include "layout.h"
#include "stub.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static void say(char *errbuf, size_t errlen, const char *what, const char *path)
{
    if (errbuf && errlen)
        snprintf(errbuf, errlen, "%s %s: %s", what, path, strerror(errno));
}

ws_status ws_layout_path(const char *dir, const char *name, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "%s/%s", dir, name);
    return n >= 0 && (size_t)n < cap ? WS_OK : WS_ETOOBIG;
}

ws_status ws_layout_shard_path(const char *dir, unsigned i, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "%s/shard%u", dir, i);
    return n >= 0 && (size_t)n < cap ? WS_OK : WS_ETOOBIG;
}

ws_status ws_layout_read_stub(const char *dir, ws_stub *out, char *errbuf, size_t errlen)
{
    char path[4096];
    memset(out, 0, sizeof *out);
    if (ws_layout_path(dir, WS_LAYOUT_STUB, path, sizeof path) != WS_OK)
        return WS_ETOOBIG;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return WS_ENOTFOUND;
        say(errbuf, errlen, "cannot read", path);
        return WS_EIO;
    }
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "auto shard", 10))
            out->local++;
        else if (!strncmp(line, "remote", 6) && (line[6] == ' ' || line[6] == '\t'))
            out->remote++;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        say(errbuf, errlen, "cannot read", path);
        return WS_EIO;
    }
    return WS_OK;
}

ws_status ws_layout_write_stub(const char *dir, unsigned n, char *errbuf, size_t errlen)
{
    char path[4096], tmp[4096];
    if (ws_layout_path(dir, WS_LAYOUT_STUB, path, sizeof path) != WS_OK ||
        ws_layout_path(dir, WS_LAYOUT_STUB ".tmp", tmp, sizeof tmp) != WS_OK)
        return WS_ETOOBIG;
    FILE *f = fopen(tmp, "w");
    if (!f) {
        say(errbuf, errlen, "cannot write", tmp);
        return WS_EIO;
    }
    for (unsigned i = 0; i < n; i++)
        fprintf(f, "auto shard%u\n", i);
    int ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        say(errbuf, errlen, "cannot write", path);
        return WS_EIO;
    }
    /* the rename itself, on disk */
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        say(errbuf, errlen, "cannot sync", dir);
        if (fd >= 0)
            close(fd);
        return WS_EIO;
    }
    close(fd);
    return WS_OK;
}

/* ---- what the folder holds ---- */

typedef struct contents {
    uint64_t shards;    /* bit K: a folder shardK, K < 64 */
    unsigned high;      /* a shardK folder with K >= 64 (0: none) */
    char leftover[256]; /* the first shardK.compact or shardK.old ("" none) */
    char other[256];    /* the first entry of another name ("" none) */
    int glass;          /* iamglass: a plain Xapian database */
    int stub, stub_tmp; /* XAPIANDB, XAPIANDB.tmp */
} contents;

/* K of "shardK" + suffix (K in decimal, no leading zero); -1 otherwise. */
static long shard_number(const char *name, const char **suffix)
{
    if (strncmp(name, "shard", 5) != 0)
        return -1;
    const char *p = name + 5;
    if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
        return -1;
    long k = 0;
    while (*p >= '0' && *p <= '9' && k < 1000000)
        k = k * 10 + (*p++ - '0');
    *suffix = p;
    return k;
}

/* 0, or an errno (ENOENT: dir is missing). */
static int list(const char *dir, contents *c)
{
    memset(c, 0, sizeof *c);
    DIR *d = opendir(dir);
    if (!d)
        return errno;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *n = e->d_name, *suffix = NULL;
        if (!strcmp(n, ".") || !strcmp(n, ".."))
            continue;
        long k = shard_number(n, &suffix);
        if (k >= 0 && !*suffix) {
            if (k < 64)
                c->shards |= (uint64_t)1 << k;
            else if (!c->high)
                c->high = (unsigned)k;
        } else if (k >= 0 && (!strcmp(suffix, ".compact") || !strcmp(suffix, ".old"))) {
            if (!c->leftover[0])
                snprintf(c->leftover, sizeof c->leftover, "%s", n);
        } else if (!strcmp(n, WS_LAYOUT_STUB)) {
            c->stub = 1;
        } else if (!strcmp(n, WS_LAYOUT_STUB ".tmp")) {
            c->stub_tmp = 1;
        } else {
            if (!strcmp(n, "iamglass"))
                c->glass = 1;
            if (!c->other[0])
                snprintf(c->other, sizeof c->other, "%s", n);
        }
    }
    closedir(d);
    return 0;
}

/* Shards 0 .. n-1 present and none past them: the number n, or -1. */
static int contiguous(const contents *c)
{
    if (c->high)
        return -1;
    int n = 0;
    while (n < 64 && (c->shards >> n) & 1)
        n++;
    return n < 64 && (c->shards >> n) ? -1 : n;
}

/* ---- the stub ---- */

/* Reads dir's stub: 0, ENOENT when there is none, EFBIG when too large, or
 * another errno. */
static int read_stub(const char *dir, char **text, size_t *len)
{
    char path[WS_LAYOUT_PATH_MAX];
    *text = NULL;
    *len = 0;
    if (ws_layout_path(dir, WS_LAYOUT_STUB, path, sizeof path) != WS_OK)
        return ENAMETOOLONG;
    return ws_stub_read(path, text, len);
}

/* ---- messages ---- */

static ws_status stub_lost(const char *dir, int n, char *err, size_t errlen)
{
    if (n > 0)
        snprintf(err, errlen,
                 "the index %s has shard folders but no " WS_LAYOUT_STUB
                 " listing them (was it removed?): it is not opened, as its documents would be "
                 "served or written in part. If shard0 .. shard%d are all the shards it had, "
                 "write the stub again with: for k in $(seq 0 %d); do echo auto shard$k; done "
                 "> %s/" WS_LAYOUT_STUB "; otherwise restore the index from a backup, or build it "
                 "again into a new folder with wensuo-index",
                 dir, n - 1, n - 1, dir);
    else
        snprintf(err, errlen,
                 "the index %s has shard folders but no " WS_LAYOUT_STUB
                 " listing them, and they are not shard0, shard1, ... in a row: it is not "
                 "opened, as its documents would be served or written in part; restore the "
                 "index from a backup, or build it again into a new folder with wensuo-index",
                 dir);
    return WS_ECORRUPT;
}

/* Whether a compaction holds dir's lock now (ws_layout_lock_compaction). */
static int compaction_running(const char *dir)
{
    char stub[WS_LAYOUT_PATH_MAX];
    if (ws_layout_path(dir, WS_LAYOUT_STUB, stub, sizeof stub) != WS_OK)
        return 0;
    int fd = open(stub, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd);
    return held;
}

ws_status ws_layout_lock_compaction(const char *dir, int *fd, char *err, size_t errlen)
{
    char stub[WS_LAYOUT_PATH_MAX];
    *fd = -1;
    if (ws_layout_path(dir, WS_LAYOUT_STUB, stub, sizeof stub) != WS_OK) {
        snprintf(err, errlen, "the path %s is too long", dir);
        return WS_EIO;
    }
    int f = open(stub, O_RDONLY | O_CLOEXEC);
    if (f < 0) {
        snprintf(err, errlen, "cannot open %s: %s", stub, strerror(errno));
        return WS_EIO;
    }
    /* a reader's look at the lock (compaction_running) holds it shared for
     * an instant: a few tries before another compaction is believed */
    int got = -1, e = 0;
    for (int tries = 0; tries < 5; tries++) {
        if ((got = flock(f, LOCK_EX | LOCK_NB)) == 0 || (e = errno) != EWOULDBLOCK)
            break;
        usleep(20000);
    }
    if (got != 0) {
        close(f);
        if (e == EWOULDBLOCK) {
            snprintf(err, errlen, "another wensuo-index --compact is compacting %s: wait for it",
                     dir);
            return WS_ELOCKED;
        }
        snprintf(err, errlen, "cannot lock %s: %s", stub, strerror(e));
        return WS_EIO;
    }
    *fd = f;
    return WS_OK;
}

void ws_layout_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* which ends the flock */
}

static ws_status leftover(const char *dir, const char *name, char *err, size_t errlen)
{
    if (compaction_running(dir)) {
        snprintf(err, errlen,
                 "the index %s is being compacted (wensuo-index --compact): it is opened once "
                 "that is finished",
                 dir);
        return WS_ELOCKED;
    }
    snprintf(err, errlen,
             "the index %s holds %s, left by a wensuo-index --compact that was stopped: it is not "
             "opened until that is finished; run: wensuo-index --db %s --compact",
             dir, name, dir);
    return WS_ECORRUPT;
}

/* The checks of an index whose stub lists shard0 .. shard{n-1}. */
static ws_status check_whole(const char *dir, unsigned n, const contents *c, char *err,
                             size_t errlen)
{
    if (c->leftover[0])
        return leftover(dir, c->leftover, err, errlen);
    for (unsigned k = 0; k < n; k++) {
        char path[WS_LAYOUT_PATH_MAX];
        snprintf(path, sizeof path, "%s/shard%u/iamglass", dir, k);
        struct stat sb;
        if (stat(path, &sb) != 0) {
            snprintf(err, errlen,
                     "shard %u of the index %s (%s/shard%u) is missing or damaged: the index is "
                     "not opened, as its documents would be served or written in part; restore "
                     "the index from a backup, or build it again into a new folder with "
                     "wensuo-index",
                     k, dir, dir, k);
            return WS_ECORRUPT;
        }
    }
    unsigned extra = c->high;
    for (unsigned k = n; !extra && k < 64; k++)
        if ((c->shards >> k) & 1)
            extra = k;
    if (extra) {
        snprintf(err, errlen,
                 "the index %s holds shard%u, which its " WS_LAYOUT_STUB
                 " does not list (it lists %u shards: was it cut short?): it is not opened, as "
                 "its documents would be served or written in part; list every shard folder in "
                 "%s/" WS_LAYOUT_STUB ", one line \"auto shardK\" each from shard0 up",
                 dir, extra, n, dir);
        return WS_ECORRUPT;
    }
    return WS_OK;
}

static ws_status garbled(const char *dir, const ws_stub_info *si, const char *why, char *err,
                         size_t errlen)
{
    if (si && si->bad_line)
        snprintf(
            err, errlen,
            "the index %s: line %ld of its " WS_LAYOUT_STUB
            " (\"%s\") is not \"auto PATH\" or \"remote HOST:PORT\"; such a line is refused, "
            "as Xapian would run \"remote :PROGRAM\" lines as commands (set " WS_LAYOUT_ALLOW_ENV
            "=1, or give --allow-stub-programs, to accept them). "
            "An index made by Wensuo lists its shards, one line \"auto shardK\" each "
            "from shard0 up: write that back, or restore the index from a backup",
            dir, si->bad_line, si->bad_text);
    else
        snprintf(err, errlen,
                 "the index %s: its " WS_LAYOUT_STUB
                 " %s: it is not opened, as its documents would be served or written in part. "
                 "An index made by Wensuo lists its shards, one line \"auto shardK\" each from "
                 "shard0 up: write that back, or restore the index from a backup",
                 dir, why);
    return WS_ECORRUPT;
}

/* The stub of dir that read_stub could not read (e): refused as garbled. */
static ws_status unreadable(const char *dir, int e, char *err, size_t errlen)
{
    char why[200];
    snprintf(why, sizeof why, "cannot be read (%s)",
             e == EFBIG    ? "larger than 64 KiB"
             : e == EINVAL ? "not a file"
                           : strerror(e));
    return garbled(dir, NULL, why, err, errlen);
}

/* Reads and parses dir's stub into *si; a stub that cannot be read is
 * refused as garbled, with why. With nested, a stub whose lines are all
 * taken and that is not one Wensuo wrote has the databases it names
 * checked in turn (stub.h): a stub may name another, whose lines Xapian
 * obeys too. */
static ws_status load_stub(const char *dir, ws_stub_info *si, int nested, char *err, size_t errlen)
{
    char path[WS_LAYOUT_PATH_MAX];
    char *text;
    size_t len;
    int e = ws_layout_path(dir, WS_LAYOUT_STUB, path, sizeof path) != WS_OK
                ? ENAMETOOLONG
                : ws_stub_read(path, &text, &len);
    if (e != 0) {
        if (e == ENOMEM) {
            snprintf(err, errlen, "out of memory");
            return WS_ENOMEM;
        }
        return unreadable(dir, e, err, errlen);
    }
    ws_stub_parse(text, len, si);
    ws_status st = nested && !si->bad_line && !si->ours
                       ? ws_stub_check_nested(path, text, len, err, errlen)
                       : WS_OK;
    free(text);
    return st;
}

/* ---- the checks ---- */

/* A Xapian database named as the index: one of a Wensuo index's shards
 * (shardK in a folder whose stub lists it) is refused, since a search of it
 * would find the documents of that shard alone and say nothing of the
 * others; any other database is read as it is. */
static ws_status shard_alone(const char *dir, char *err, size_t errlen)
{
    /* the folder as it is reached (idx/shard0/., a link to it) */
    char real[PATH_MAX], stub[WS_LAYOUT_PATH_MAX];
    if (!realpath(dir, real))
        return WS_OK;
    char *slash = strrchr(real, '/');
    const char *suffix = NULL;
    if (!slash || slash == real || shard_number(slash + 1, &suffix) < 0 || *suffix)
        return WS_OK;
    *slash = '\0'; /* real is now the folder that holds it */
    struct stat sb;
    if (ws_layout_path(real, WS_LAYOUT_STUB, stub, sizeof stub) != WS_OK || stat(stub, &sb) != 0 ||
        !S_ISREG(sb.st_mode))
        return WS_OK;
    snprintf(err, errlen,
             "%s is one shard of the index %s, which holds part of its documents: give --db %s",
             dir, real, real);
    return WS_EINVAL;
}

ws_status ws_layout_check_write(const char *dir, unsigned *nshards, unsigned *orphans, char *err,
                                size_t errlen)
{
    *nshards = 0;
    *orphans = 0;
    contents c;
    int e = list(dir, &c);
    if (e == ENOENT)
        return WS_OK;
    if (e) {
        snprintf(err, errlen, "cannot read the folder %s: %s", dir, strerror(e));
        return e == ENOMEM ? WS_ENOMEM : WS_EIO;
    }
    if (!c.stub) {
        if (c.glass) {
            if (shard_alone(dir, err, errlen) == WS_OK) /* else err says whose shard */
                snprintf(err, errlen, "%s is a plain Xapian database, not a Wensuo index", dir);
            return WS_EINVAL;
        }
        if (c.leftover[0])
            return stub_lost(dir, contiguous(&c), err, errlen);
        if (c.other[0]) {
            snprintf(err, errlen,
                     "%s is not a Wensuo index (it holds %s and no " WS_LAYOUT_STUB
                     "): give --db a new folder or an empty one",
                     dir, c.other);
            return WS_EINVAL;
        }
        int n = contiguous(&c);
        if (n < 0)
            return stub_lost(dir, n, err, errlen);
        *orphans = (unsigned)n;
        return WS_OK;
    }
    ws_stub_info si;
    ws_status st = load_stub(dir, &si, 0, err, errlen);
    if (st != WS_OK)
        return st;
    if (!si.ours) {
        if (si.bad_line)
            return garbled(dir, &si, NULL, err, errlen);
        return garbled(dir, NULL,
                       "does not list shard0, shard1, ... (one line \"auto shardK\" each, nothing "
                       "else), as an index that Wensuo writes does",
                       err, errlen);
    }
    st = check_whole(dir, si.n, &c, err, errlen);
    if (st == WS_OK)
        *nshards = si.n;
    return st;
}

ws_status ws_layout_stub_shards(const char *dir, unsigned *n, char *err, size_t errlen)
{
    *n = 0;
    char *text;
    size_t len;
    int e = read_stub(dir, &text, &len);
    if (e == ENOENT) {
        /* a folder that is missing, empty, of other files or one shard is
         * said to be so, not taken for an index whose stub was lost */
        contents c;
        int le = list(dir, &c);
        if (le == ENOENT || (le == 0 && !c.shards && !c.high && !c.leftover[0])) {
            if (le == 0 && c.glass)
                snprintf(err, errlen,
                         "%s is a Xapian database (one shard of an index?), not a Wensuo "
                         "index: give the folder that holds " WS_LAYOUT_STUB,
                         dir);
            else
                return ws_layout_check_read(dir, err, errlen);
            return WS_EINVAL;
        }
        return stub_lost(dir, le == 0 ? contiguous(&c) : -1, err, errlen);
    }
    if (e) {
        return unreadable(dir, e, err, errlen);
    }
    ws_stub_info si;
    ws_stub_parse(text, len, &si);
    free(text);
    if (!si.ours)
        return garbled(dir, si.bad_line ? &si : NULL,
                       "does not list shard0, shard1, ... (one line \"auto shardK\" each, nothing "
                       "else), as an index that Wensuo writes does",
                       err, errlen);
    *n = si.n;
    return WS_OK;
}

ws_status ws_layout_check_read(const char *dir, char *err, size_t errlen)
{
    contents c;
    int e = list(dir, &c);
    if (e == ENOENT) {
        snprintf(err, errlen,
                 "no index at %s: the folder does not exist (wensuo-index --db %s FILES... "
                 "makes one)",
                 dir, dir);
        return WS_ENOTFOUND;
    }
    if (e == ENOTDIR)
        return ws_stub_check_file(dir, err, errlen);
    if (e) {
        snprintf(err, errlen, "cannot read the folder %s: %s", dir, strerror(e));
        return e == ENOMEM ? WS_ENOMEM : WS_EIO;
    }
    if (!c.stub) {
        if (c.glass)
            return shard_alone(dir, err, errlen);
        if (c.shards || c.high || c.leftover[0])
            return stub_lost(dir, contiguous(&c), err, errlen);
        if (c.other[0])
            snprintf(err, errlen,
                     "%s is not a Wensuo index (it holds %s and no " WS_LAYOUT_STUB
                     "): give --db the folder wensuo-index made",
                     dir, c.other);
        else
            snprintf(err, errlen,
                     "%s is empty: no index there yet (wensuo-index --db %s FILES... makes one)",
                     dir, dir);
        return WS_EINVAL;
    }
    ws_stub_info si;
    ws_status st = load_stub(dir, &si, 1, err, errlen);
    if (st != WS_OK)
        return st;
    if (si.bad_line)
        return garbled(dir, &si, NULL, err, errlen);
    if (si.ours || c.shards || c.leftover[0]) {
        /* a stub beside shard folders is Wensuo's: it must list them all */
        if (!si.ours)
            return garbled(dir, NULL,
                           "does not list the shard folders beside it (shard0, shard1, ..., one "
                           "line \"auto shardK\" each)",
                           err, errlen);
        return check_whole(dir, si.n, &c, err, errlen);
    }
    return WS_OK;
}

unsigned ws_layout_default_shards(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1                              ? 1
           : n > WS_LAYOUT_DEFAULT_SHARDS_MAX ? WS_LAYOUT_DEFAULT_SHARDS_MAX
                                              : (unsigned)n;
}

/* path made absolute, its links and ".." resolved for the part that
 * exists, into buf (PATH_MAX): the longest existing ancestor resolved, the
 * rest appended as written. 0, or -1 when it cannot be. */
static int resolve(const char *path, char *buf)
{
    char tmp[WS_LAYOUT_PATH_MAX];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, path, n + 1);
    while (n > 1 && tmp[n - 1] == '/')
        tmp[--n] = '\0';
    if (realpath(tmp, buf))
        return 0;
    char *slash = strrchr(tmp, '/');
    const char *base = slash ? slash + 1 : tmp;
    char parent[WS_LAYOUT_PATH_MAX];
    if (!slash)
        snprintf(parent, sizeof parent, ".");
    else if (slash == tmp)
        snprintf(parent, sizeof parent, "/");
    else
        snprintf(parent, sizeof parent, "%.*s", (int)(slash - tmp), tmp);
    if (!strcmp(base, "..") || !strcmp(base, ".") || resolve(parent, buf) != 0)
        return -1;
    size_t m = strlen(buf);
    if (m + 1 + strlen(base) >= PATH_MAX)
        return -1;
    snprintf(buf + m, PATH_MAX - m, "%s%s", m > 1 ? "/" : "", base);
    return 0;
}

/* Whether a is b or a folder holding it. */
static int holds(const char *a, const char *b)
{
    size_t n = strlen(a);
    return !strncmp(a, b, n) && (b[n] == '\0' || b[n] == '/' || (n == 1 && a[0] == '/'));
}

int ws_layout_overlaps(const char *dir, const char *other)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (resolve(dir, a) != 0 || resolve(other, b) != 0)
        return !strcmp(dir, other); /* cannot tell better */
    return holds(a, b) || holds(b, a);
}
