#include "layout.h"

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

static int allowed_programs(void)
{
    const char *v = getenv(WS_LAYOUT_ALLOW_ENV);
    return v && !strcmp(v, "1");
}

/* ---- the stub ---- */

typedef struct stub_info {
    unsigned n;         /* "auto shardK" lines, K = 0, 1, ... in order */
    int ours;           /* every line is one of those (a stub Wensuo writes) */
    int remote;         /* a "remote" line */
    long bad_line;      /* the first line refused (0: none) */
    char bad_text[120]; /* its start */
} stub_info;

static int blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* "HOST:PORT": a host of no blank and a port of 1 to 65535. */
static int host_port(const char *s, size_t len)
{
    const char *colon = memrchr(s, ':', len);
    if (!colon || colon == s)
        return 0;
    for (const char *p = s; p < colon; p++)
        if (blank(*p) || *p == '\0')
            return 0;
    size_t plen = len - (size_t)(colon + 1 - s);
    if (plen == 0 || plen > 5)
        return 0;
    long port = 0;
    for (const char *p = colon + 1; p < s + len; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        port = port * 10 + (*p - '0');
    }
    return port >= 1 && port <= 65535;
}

static void parse_stub(const char *text, size_t len, stub_info *si)
{
    memset(si, 0, sizeof *si);
    si->ours = 1;
    long lineno = 0;
    for (size_t i = 0; i < len;) {
        const char *eol = memchr(text + i, '\n', len - i);
        size_t end = eol ? (size_t)(eol - text) : len;
        const char *s = text + i, *e = text + end;
        i = end + 1;
        lineno++;
        while (s < e && blank(*s))
            s++;
        while (e > s && blank(e[-1]))
            e--;
        if (s == e || *s == '#') {
            si->ours = 0;
            continue;
        }
        size_t n = (size_t)(e - s);
        const char *arg = s;
        while (arg < e && !blank(*arg))
            arg++;
        size_t wlen = (size_t)(arg - s);
        while (arg < e && blank(*arg))
            arg++;
        size_t alen = (size_t)(e - arg);
        int ok = 0;
        if (wlen == 4 && !memcmp(s, "auto", 4) && alen && !memchr(arg, '\0', alen)) {
            ok = 1;
            char want[32];
            int wl = snprintf(want, sizeof want, "shard%u", si->n);
            if (si->ours && (size_t)wl == alen && !memcmp(arg, want, alen) && si->n < 64)
                si->n++;
            else
                si->ours = 0;
        } else if (wlen == 6 && !memcmp(s, "remote", 6) && host_port(arg, alen)) {
            ok = 1;
            si->remote = 1;
            si->ours = 0;
        }
        if (!ok && allowed_programs()) {
            ok = 1;
            si->ours = 0;
            if (wlen == 6 && !memcmp(s, "remote", 6))
                si->remote = 1;
        }
        if (!ok && !si->bad_line) {
            si->bad_line = lineno;
            size_t k = n < sizeof si->bad_text - 1 ? n : sizeof si->bad_text - 1;
            for (size_t j = 0; j < k; j++) /* shown in a message: printable ASCII only */
                si->bad_text[j] = s[j] >= 0x20 && s[j] < 0x7f ? s[j] : '?';
            si->bad_text[k] = '\0';
        }
    }
    if (si->n == 0)
        si->ours = 0;
}

/* Reads dir's stub: 0, ENOENT when there is none, EFBIG when too large, or
 * another errno. */
static int read_stub_file(const char *path, char **text, size_t *len);

static int read_stub(const char *dir, char **text, size_t *len)
{
    char path[WS_LAYOUT_PATH_MAX];
    *text = NULL;
    *len = 0;
    if (ws_layout_path(dir, WS_LAYOUT_STUB, path, sizeof path) != WS_OK)
        return ENAMETOOLONG;
    return read_stub_file(path, text, len);
}

/* The lines of text[0..len) that are neither blank nor a comment. */
static int db_lines(const char *text, size_t len)
{
    int lines = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        lines += p < e && *p != '#';
        p = nl ? nl + 1 : end;
    }
    return lines;
}

/* A file named as the index: a Xapian stub file that lists databases by
 * the readers' rule (layout.h: "auto PATH", "remote HOST:PORT") is one;
 * anything else is refused by name, where Xapian would say "Bad line" of
 * a stub (or run a "remote :PROGRAM" line). */
static ws_status check_named_file(const char *path, char *err, size_t errlen)
{
    char *text;
    size_t len;
    int e = read_stub_file(path, &text, &len);
    if (e == ENOMEM) {
        snprintf(err, errlen, "out of memory");
        return WS_ENOMEM;
    }
    stub_info si;
    int stub = 0;
    if (e == 0) {
        parse_stub(text, len, &si);
        stub = !si.bad_line && db_lines(text, len) > 0;
    }
    free(text);
    if (stub)
        return WS_OK;
    snprintf(err, errlen,
             "%s is a file, not an index: give --db the folder wensuo-index made (a Xapian stub "
             "file listing databases is taken, its lines \"auto PATH\" or \"remote HOST:PORT\")",
             path);
    return WS_EINVAL;
}

static int read_stub_file(const char *path, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return errno;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return EINVAL;
    }
    char *buf = malloc(WS_LAYOUT_MAX_STUB + 1);
    if (!buf) {
        close(fd);
        return ENOMEM;
    }
    size_t got = 0;
    for (;;) {
        ssize_t r = read(fd, buf + got, WS_LAYOUT_MAX_STUB + 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return e;
        }
        if (r == 0)
            break;
        got += (size_t)r;
        if (got > WS_LAYOUT_MAX_STUB) {
            free(buf);
            close(fd);
            return EFBIG;
        }
    }
    close(fd);
    *text = buf;
    *len = got;
    return 0;
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

static ws_status garbled(const char *dir, const stub_info *si, const char *why, char *err,
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
 * refused as garbled, with why. */
static ws_status load_stub(const char *dir, stub_info *si, char *err, size_t errlen)
{
    char *text;
    size_t len;
    int e = read_stub(dir, &text, &len);
    if (e != 0) {
        if (e == ENOMEM) {
            snprintf(err, errlen, "out of memory");
            return WS_ENOMEM;
        }
        return unreadable(dir, e, err, errlen);
    }
    parse_stub(text, len, si);
    free(text);
    return WS_OK;
}

/* ---- the checks ---- */

/* A Xapian database named as the index: one of a Wensuo index's shards
 * (shardK in a folder whose stub lists it) is refused, since a search of it
 * would find the documents of that shard alone and say nothing of the
 * others; any other database is read as it is. */
static ws_status shard_alone(const char *dir, char *err, size_t errlen)
{
    char parent[WS_LAYOUT_PATH_MAX], stub[WS_LAYOUT_PATH_MAX];
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    size_t b = n;
    while (b > 0 && dir[b - 1] != '/')
        b--;
    unsigned k;
    char tail;
    char name[32];
    if (n - b >= sizeof name || n >= sizeof parent)
        return WS_OK;
    memcpy(name, dir + b, n - b);
    name[n - b] = 0;
    if (sscanf(name, "shard%u%c", &k, &tail) != 1)
        return WS_OK;
    if (b == 0)
        snprintf(parent, sizeof parent, ".");
    else
        snprintf(parent, sizeof parent, "%.*s", (int)(b > 1 ? b - 1 : 1), dir);
    struct stat sb;
    if (ws_layout_path(parent, WS_LAYOUT_STUB, stub, sizeof stub) != WS_OK ||
        stat(stub, &sb) != 0 || !S_ISREG(sb.st_mode))
        return WS_OK;
    snprintf(err, errlen,
             "%s is one shard of the index %s, which holds part of its documents: give --db %s",
             dir, parent, parent);
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
    stub_info si;
    ws_status st = load_stub(dir, &si, err, errlen);
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
    stub_info si;
    parse_stub(text, len, &si);
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
        return check_named_file(dir, err, errlen);
    if (e)
        return WS_OK; /* unreadable: Xapian says */
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
    stub_info si;
    ws_status st = load_stub(dir, &si, err, errlen);
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
