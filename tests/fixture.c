/* fixture.c - the setup the C tests share (fixture.h). */
#include "fixture.h"
#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

ws_analyzer *ws_fixture_analyzer(ws_lexicon **lex)
{
    char err[1024] = "";
    ws_analyzer *an = NULL;
    if (ws_lexicon_open_default(NULL, NULL, lex, err, sizeof err) != WS_OK) {
        fprintf(stderr, "cannot open the lexicon: %s\n", err);
        exit(1);
    }
    ws_status st = ws_analyzer_new(*lex, &an);
    if (st != WS_OK) {
        fprintf(stderr, "cannot make an analyzer: status %d\n", (int)st);
        exit(1);
    }
    return an;
}

/* $TMPDIR/ws_<name>_XXXXXX into path, for mkdtemp or mkstemp. */
static void temp_name(char *path, size_t size, const char *name)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    int n = snprintf(path, size, "%s/ws_%s_XXXXXX", tmp, name);
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "%s/ws_%s_XXXXXX: too long a path\n", tmp, name);
        exit(1);
    }
}

void ws_fixture_tmpdir(char *dir, size_t size, const char *name)
{
    temp_name(dir, size, name);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "mkdtemp %s: %s\n", dir, strerror(errno));
        exit(1);
    }
}

void ws_fixture_tmpfile(char *path, size_t size, const char *name, const char *text)
{
    temp_name(path, size, name);
    int fd = mkstemp(path);
    size_t len = strlen(text);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

static int remove_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

int ws_fixture_remove(const char *dir)
{
    /* depth first, so that a folder is empty when its turn comes */
    return nftw(dir, remove_cb, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

const char *ws_fixture_shared(char *path, size_t size, const char *rel)
{
    snprintf(path, size, "%s/%s", WS_SHARED_DIR, rel);
    return access(path, R_OK) == 0 ? path : NULL;
}

ws_doc *ws_fixture_doc(const char *id, const char *title, const char *body, const char *date,
                       const char *source, const char *type)
{
    ws_doc *d = NULL;
    int ok = ws_doc_new(&d) == WS_OK;
    if (ok) {
        const char *v[] = {id, title, body, date, source, type};
        char **f[] = {&d->id, &d->title, &d->body, &d->date, &d->source, &d->type};
        for (int i = 0; ok && i < 6; i++)
            ok = !v[i] || ws_doc_set(f[i], v[i], strlen(v[i])) == WS_OK;
    }
    if (!ok) {
        fprintf(stderr, "ws_fixture_doc: out of memory\n");
        exit(1);
    }
    return d;
}

ws_status ws_fixture_put(ws_index *ix, ws_analyzer *an, ws_doc *doc)
{
    ws_status st = ws_index_put(ix, an, doc);
    ws_doc_free(doc);
    return st;
}

size_t ws_fixture_corpus(char **texts, char **titles, size_t max)
{
    static const char *const folders[] = {"laws", "news", "policy", "web"};
    size_t n = 0;
    for (size_t f = 0; f < sizeof folders / sizeof *folders; f++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/corpus/%s", WS_SOURCE_DIR, folders[f]);
        DIR *d = opendir(dir);
        for (struct dirent *e; d && (e = readdir(d)) && n < max;) {
            if (e->d_name[0] == '.')
                continue;
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            FILE *fp = fopen(path, "rb");
            char *buf = calloc(1, 1 << 20);
            size_t len = fp && buf ? fread(buf, 1, (1 << 20) - 1, fp) : 0;
            if (fp)
                fclose(fp);
            if (!len || !ws_utf8_valid(buf, len)) {
                free(buf);
                continue;
            }
            texts[n] = buf;
            titles[n++] = strdup(e->d_name);
        }
        if (d)
            closedir(d);
    }
    return n;
}
