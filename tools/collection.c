#include "collection.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void give_field(json_t *o, const char *key, ws_collection_text_cb *on_text, void *ctx)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        on_text(ctx, json_string_value(v), json_string_length(v));
}

int ws_collection_read(const char *path, ws_collection_text_cb *on_text, void *ctx)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) > 0) {
        if (line[0] != '{') {
            on_text(ctx, line, (size_t)got);
            continue;
        }
        json_error_t err;
        json_t *o = json_loadb(line, (size_t)got, 0, &err);
        if (!json_is_object(o)) {
            fprintf(stderr, "%s: %s (line skipped)\n", path, err.text);
        } else if (!json_object_get(o, "law_id")) {
            give_field(o, "title", on_text, ctx);
            give_field(o, "body", on_text, ctx);
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    return 0;
}

void ws_collection_names(char *out, size_t cap, char *const *paths, int n)
{
    if (cap)
        out[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *base = strrchr(paths[i], '/');
        size_t at = strlen(out);
        snprintf(out + at, cap - at, " %s", base ? base + 1 : paths[i]);
    }
}
