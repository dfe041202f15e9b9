#include "synonyms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "listfile.h"
#include "normalize.h"

/* Few groups are expected (hundreds): a flat list searched linearly. */
typedef struct entry {
    char *word;
    size_t group;
} entry;

struct ws_synonyms {
    entry *e;
    size_t n, cap;
};

void ws_synonyms_free(ws_synonyms *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->e[i].word);
    free(s->e);
    free(s);
}

static ws_status add(ws_synonyms *s, const char *w, size_t len, size_t group)
{
    char *norm;
    ws_status st = ws_normalize_utf8(w, len, &norm, NULL);
    if (st != WS_OK)
        return st;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        entry *e = realloc(s->e, cap * sizeof *e);
        if (!e) {
            free(norm);
            return WS_ENOMEM;
        }
        s->e = e;
        s->cap = cap;
    }
    s->e[s->n++] = (entry){norm, group};
    return WS_OK;
}

/* The length of the separator at p, 0 for none: ASCII white space or comma,
 * the full-width comma (，) or the ideographic space. Whole characters: a
 * byte of "，" alone (EF BC 8C) also starts full-width letters (Ｗ is
 * EF BC B7), which once lost their first bytes here. */
static size_t sep_len(const char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == ',')
        return 1;
    if (!strncmp(p, "\xEF\xBC\x8C", 3) || !strncmp(p, "\xE3\x80\x80", 3))
        return 3;
    return 0;
}

ws_status ws_synonyms_load(const char *path, ws_synonyms **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    FILE *f = NULL;
    ws_status ost = ws_listfile_open(path, WS_SYNONYMS_MAX_FILE, &f);
    if (ost != WS_OK) {
        snprintf(errbuf, errlen, "cannot open the synonym file %s: %s", path,
                 ost == WS_ETOOBIG ? "larger than WS_SYNONYMS_MAX_FILE, 64 MiB"
                                   : ws_listfile_why(ost));
        return ost;
    }
    ws_synonyms *s = calloc(1, sizeof *s);
    if (!s) {
        fclose(f);
        return WS_ENOMEM;
    }
    char *line = NULL;
    size_t cap = 0, group = 0;
    ws_status st = WS_OK;
    while (st == WS_OK && getline(&line, &cap, f) >= 0) {
        if (line[0] == '#')
            continue;
        size_t words = 0;
        for (char *p = line; *p && st == WS_OK;) {
            for (size_t k; (k = sep_len(p));)
                p += k;
            const char *w = p;
            while (*p && !sep_len(p))
                p++;
            if (p == w)
                continue;
            if (words < WS_SYNONYMS_MAX_GROUP)
                st = add(s, w, (size_t)(p - w), group);
            words++;
        }
        if (words)
            group++;
    }
    free(line);
    fclose(f);
    if (st != WS_OK) {
        snprintf(errbuf, errlen, "cannot load %s: %s", path, ws_status_to_string(st));
        ws_synonyms_free(s);
        return st;
    }
    *out = s;
    return WS_OK;
}

size_t ws_synonyms_lookup(const ws_synonyms *s, const char *word, const char **out, size_t max)
{
    if (!s)
        return 0;
    size_t found = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->e[i].word, word) != 0)
            continue;
        size_t g = s->e[i].group;
        for (size_t j = 0; j < s->n && found < max; j++)
            if (s->e[j].group == g && j != i)
                out[found++] = s->e[j].word;
        break;
    }
    return found;
}
