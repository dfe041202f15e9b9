#include "layout.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
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
    return WS_OK;
}

unsigned ws_layout_default_shards(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1                              ? 1
           : n > WS_LAYOUT_DEFAULT_SHARDS_MAX ? WS_LAYOUT_DEFAULT_SHARDS_MAX
                                              : (unsigned)n;
}
