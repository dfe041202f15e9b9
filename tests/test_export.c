/* test_export.c - an export's rows (searcher/search/export.h) read a batch
 * of documents at a time, each batch's hits along the index's value stream
 * in docid order and written back in the export's order: over an index of
 * two shards, exports by relevance, newest and oldest first give the same
 * bytes whatever the batch (one document, seven, all at once), hold every
 * matching document once in the order asked, and the same rows as an
 * export that reads each whole document (fields=body). */
#include "check.h"
#include "analyzer.h"
#include "document.h"
#include "export.h"
#include "index.h"
#include "lexicon.h"
#include "search.h"

#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#define NDOCS 60

static int matches(int i)
{
    return i % 3 != 0; /* its body holds 政府 */
}

static void put_docs(const char *dir, ws_analyzer *an)
{
    char err[512];
    ws_index *ix = NULL;
    CHECK_INT(ws_index_open(dir, 2, &ix, err, sizeof err), WS_OK);
    for (int i = 0; ix && i < NDOCS; i++) {
        ws_doc *d = NULL;
        char id[16], title[32], date[16], body[256];
        snprintf(id, sizeof id, "e%02d", i);
        snprintf(title, sizeof title, "第%d号通知", i);
        /* dates out of docid order, so that a date order is not the docids' */
        snprintf(date, sizeof date, "%04d-%02d-01", 2000 + (i * 7) % 23, 1 + i % 12);
        snprintf(body, sizeof body, "%s依法行政%s。", matches(i) ? "人民政府" : "人民法院",
                 i % 4 ? "" : "，政府信息公开");
        ws_doc_new(&d);
        ws_doc_set(&d->id, id, strlen(id));
        ws_doc_set(&d->title, title, strlen(title));
        ws_doc_set(&d->date, date, strlen(date));
        ws_doc_set(&d->body, body, strlen(body));
        CHECK_INT(ws_index_put(ix, an, d), WS_OK);
        ws_doc_free(d);
    }
    if (ix)
        CHECK_INT(ws_index_close(ix), WS_OK);
}

/* The whole export of o, as one string (the caller frees). */
static char *export_all(ws_searcher *s, const ws_export_opts *o)
{
    ws_export *e = NULL;
    ws_status st = ws_export_open(s, o, &e);
    CHECK_INT(st, WS_OK);
    if (st != WS_OK)
        return strdup("");
    size_t len = 0, cap = 1;
    char *all = calloc(1, 1), *piece;
    size_t n;
    while ((st = ws_export_next(e, &piece, &n)) == WS_OK && n) {
        all = realloc(all, (cap = len + n + 1));
        memcpy(all + len, piece, n);
        len += n;
        all[len] = '\0';
        free(piece);
    }
    CHECK_INT(st, WS_OK);
    ws_export_free(e);
    return all;
}

/* The ids of a JSON-lines export, in order, into ids; how many. */
static int ids_of(const char *jsonl, char ids[][8], int max, char dates[][16])
{
    int n = 0;
    for (const char *l = jsonl; *l && n < max;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        json_t *j = json_loadb(l, len, 0, NULL);
        const char *id = json_string_value(json_object_get(j, "id"));
        const char *date = json_string_value(json_object_get(j, "date"));
        snprintf(ids[n], 8, "%s", id ? id : "?");
        snprintf(dates[n], 16, "%s", date ? date : "");
        n++;
        json_decref(j);
        l += len + (nl != NULL);
    }
    return n;
}

int main(void)
{
    unsetenv("WENSUO_USER_DICT");
    char err[512] = "", dir[] = "/tmp/ws-export-XXXXXX";
    ws_lexicon *lex = NULL;
    ws_analyzer *an = NULL;
    ws_searcher *s = NULL;
    if (ws_lexicon_open_default(NULL, NULL, &lex, err, sizeof err) != WS_OK) {
        fprintf(stderr, "cannot open the lexicon: %s\n", err);
        return 1;
    }
    CHECK_INT(ws_analyzer_new(lex, &an), WS_OK);
    if (!mkdtemp(dir))
        return 1;
    put_docs(dir, an);
    CHECK_INT(ws_searcher_open(dir, lex, NULL, &s, err, sizeof err), WS_OK);
    int want = 0;
    for (int i = 0; i < NDOCS; i++)
        want += matches(i);
    for (int order = 0; s && order < 3; order++) {
        ws_export_opts o;
        memset(&o, 0, sizeof o);
        o.s.query = "人民政府";
        o.s.sort = order ? WS_SORT_DATE : WS_SORT_RELEVANCE;
        o.oldest_first = order == 2;
        o.format = WS_EXPORT_JSONL;
        char *whole = export_all(s, &o);
        for (size_t batch = 1; batch <= 7; batch += 6) {
            o.batch = batch;
            char *got = export_all(s, &o);
            CHECK(!strcmp(got, whole));
            free(got);
        }
        o.batch = 0;
        o.format = WS_EXPORT_CSV;
        char *csv = export_all(s, &o);
        o.batch = 7;
        char *csv7 = export_all(s, &o);
        CHECK(!strcmp(csv, csv7));
        free(csv);
        free(csv7);

        char ids[NDOCS][8], dates[NDOCS][16];
        int n = ids_of(whole, ids, NDOCS, dates);
        CHECK_INT(n, want);
        int wrong = 0, seen[NDOCS] = {0};
        for (int k = 0; k < n; k++) {
            int i = atoi(ids[k] + 1);
            wrong += i < 0 || i >= NDOCS || !matches(i) || seen[i]++;
            if (order && k)
                wrong += order == 1 ? strcmp(dates[k - 1], dates[k]) < 0
                                    : strcmp(dates[k - 1], dates[k]) > 0;
        }
        CHECK_INT(wrong, 0);

        /* reading each whole document gives the same rows and columns */
        const char *const body[] = {"body", NULL};
        o.fields = body;
        o.batch = 0;
        o.format = WS_EXPORT_JSONL;
        char *with_body = export_all(s, &o);
        char ids2[NDOCS][8], dates2[NDOCS][16];
        CHECK_INT(ids_of(with_body, ids2, NDOCS, dates2), n);
        int differ = 0;
        for (int k = 0; k < n; k++)
            differ += strcmp(ids[k], ids2[k]) != 0;
        CHECK_INT(differ, 0);
        free(with_body);
        free(whole);
    }
    ws_searcher_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    CHECK_DONE();
}
