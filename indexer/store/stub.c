/* stub.c - Xapian stub files as the readers take them (stub.h). */
#include "stub.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "layout.h"

static int allowed_programs(void)
{
    const char *v = getenv(WS_LAYOUT_ALLOW_ENV);
    return v && !strcmp(v, "1");
}

static int blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* "HOST:PORT": a host of no blank and a port of 1 to 65535, not beginning
 * with a colon: Xapian reads "remote :PROGRAM" as a program to run, and
 * ":/bin/evil:1" ends in a port as well. */
static int host_port(const char *s, size_t len)
{
    const char *colon = memrchr(s, ':', len);
    if (!colon || colon == s || s[0] == ':')
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

/* Whether arg[0..n) is a path as a stub gives it and as it will be read:
 * Xapian takes everything after the type's space verbatim (a CR, a tab, a
 * leading or trailing space included), so a path this check would read
 * differently (trimmed) must be refused, not checked under another name. */
static int plain_arg(const char *arg, size_t n)
{
    if (!n || arg[0] == ' ' || arg[n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)arg[i] < 0x20 || arg[i] == 0x7f)
            return 0;
    return 1;
}

/* Lines as Xapian 1.4 reads them (backends/databasehelpers.cc): an empty
 * line or one that begins with '#' is passed over; otherwise the type is
 * what comes before the first space and its argument all after it. */
void ws_stub_parse(const char *text, size_t len, ws_stub_info *si)
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
        if (s == e || *s == '#') {
            si->ours = 0;
            continue;
        }
        size_t n = (size_t)(e - s);
        const char *sp = memchr(s, ' ', n);
        size_t wlen = sp ? (size_t)(sp - s) : n;
        const char *arg = sp ? sp + 1 : e;
        size_t alen = (size_t)(e - arg);
        int ok = 0;
        if (wlen == 4 && !memcmp(s, "auto", 4) && plain_arg(arg, alen)) {
            ok = 1;
            char want[32];
            int wl = snprintf(want, sizeof want, "shard%u", si->n);
            if (si->ours && (size_t)wl == alen && !memcmp(arg, want, alen) && si->n < 64)
                si->n++;
            else
                si->ours = 0;
        } else if (wlen == 6 && !memcmp(s, "remote", 6) && plain_arg(arg, alen) &&
                   host_port(arg, alen)) {
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
        si->lines += ok;
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

int ws_stub_read(const char *path, char **text, size_t *len)
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

/* Whether the file at path is a single-file glass database (what
 * xapian-compact --single-file makes): its first bytes say so. */
static int single_file_db(const char *path)
{
    static const char magic[] = "\x0f\x0dXapian Glass";
    char head[sizeof magic - 1];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return 0;
    ssize_t got = read(fd, head, sizeof head);
    close(fd);
    return got == (ssize_t)sizeof head && !memcmp(head, magic, sizeof head);
}

static ws_status check_target(const char *target, int depth, char *err, size_t errlen);

static ws_status check_autos(const char *path, const char *text, size_t len, int depth, char *err,
                             size_t errlen)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path) : 1;
    const char *dir = slash ? path : ".";
    /* the lines passed ws_stub_parse: an "auto" line's path is all after
     * its space, as Xapian reads it */
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (e - p > 5 && !memcmp(p, "auto ", 5)) {
            const char *arg = p + 5;
            char target[WS_LAYOUT_PATH_MAX];
            int n = *arg == '/' ? snprintf(target, sizeof target, "%.*s", (int)(e - arg), arg)
                                : snprintf(target, sizeof target, "%.*s/%.*s", slash ? dirlen : 1,
                                           dir, (int)(e - arg), arg);
            if (n <= 0 || (size_t)n >= sizeof target) {
                snprintf(err, errlen, "%s: a path of an \"auto\" line is too long", path);
                return WS_EINVAL;
            }
            ws_status st = check_target(target, depth + 1, err, errlen);
            if (st != WS_OK)
                return st;
        }
        p = nl ? nl + 1 : end;
    }
    return WS_OK;
}

/* The stub file at path: the file --db names (named: refused, it says
 * what to give instead), or one a stub names, depth levels down. */
static ws_status check_stub(const char *path, int depth, int named, char *err, size_t errlen)
{
    char *text;
    size_t len;
    int e = ws_stub_read(path, &text, &len);
    if (e == ENOMEM) {
        snprintf(err, errlen, "out of memory");
        return WS_ENOMEM;
    }
    ws_stub_info si = {0};
    if (!e)
        ws_stub_parse(text, len, &si);
    ws_status st = WS_EINVAL;
    if (named && (e || si.bad_line || !si.lines))
        snprintf(err, errlen,
                 "%s is a file, not an index: give --db the folder wensuo-index made (a "
                 "single-file Xapian database is taken, and a stub file listing databases, "
                 "its lines \"auto PATH\" or \"remote HOST:PORT\")",
                 path);
    else if (e == EFBIG)
        snprintf(err, errlen, "%s, a stub that the index names, is larger than %u bytes: refused",
                 path, WS_LAYOUT_MAX_STUB);
    else if (e)
        st = WS_OK; /* unreadable: Xapian says so when it opens it */
    else if (si.bad_line)
        snprintf(err, errlen,
                 "%s, a stub that the index names, holds at line %ld (\"%s\") neither \"auto "
                 "PATH\" nor \"remote HOST:PORT\": refused, as Xapian would run a \"remote "
                 ":PROGRAM\" line (set " WS_LAYOUT_ALLOW_ENV "=1 to accept such lines)",
                 path, si.bad_line, si.bad_text);
    else
        st = check_autos(path, text, len, depth, err, errlen);
    free(text);
    return st;
}

/* A database an "auto" line names: a folder (its stub, when it has one)
 * or a file (a stub, unless it is a single-file database). */
static ws_status check_target(const char *target, int depth, char *err, size_t errlen)
{
    if (depth > WS_STUB_MAX_DEPTH) {
        snprintf(err, errlen, "%s: stubs name stubs deeper than %d levels: refused", target,
                 WS_STUB_MAX_DEPTH);
        return WS_EINVAL;
    }
    struct stat sb;
    if (stat(target, &sb) != 0)
        return WS_OK; /* missing: Xapian says so */
    if (S_ISDIR(sb.st_mode)) {
        char sub[WS_LAYOUT_PATH_MAX];
        if (snprintf(sub, sizeof sub, "%s/" WS_LAYOUT_STUB, target) >= (int)sizeof sub ||
            stat(sub, &sb) != 0)
            return WS_OK; /* a glass database */
        return check_stub(sub, depth, 0, err, errlen);
    }
    if (S_ISREG(sb.st_mode) && !single_file_db(target))
        return check_stub(target, depth, 0, err, errlen);
    return WS_OK;
}

ws_status ws_stub_check_nested(const char *path, const char *text, size_t len, char *err,
                               size_t errlen)
{
    return check_autos(path, text, len, 1, err, errlen);
}

ws_status ws_stub_check_file(const char *path, char *err, size_t errlen)
{
    return single_file_db(path) ? WS_OK : check_stub(path, 1, 1, err, errlen);
}
