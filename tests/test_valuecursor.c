/* test_valuecursor.c - a value cursor (searcher/search/valuecursor.h)
 * gives each document asked, in rising docid order, its value or
 * WS_ENOTFOUND, the same as the document's stored data says, whatever the
 * steps between the docids asked (one, a few, the cursor's stepping limit
 * and one past it, long jumps) and whether long runs of documents lack the
 * value: over the whole of an index of two shards and over each shard
 * alone; and its pseudo-slot WS_VALUECURSOR_DATA gives each document's
 * data as ws_db_data does. */
#include "check.h"
#include "analyzer.h"
#include "engine.h"
#include "fixture.h"
#include "index.h"
#include "lexicon.h"
#include "schema.h"
#include "valuecursor.h"

#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#define NDOCS 500

/* Document i's date: none for every fifth and for a long run. */
static int dated(int i, char *out, size_t len)
{
    if (i % 5 == 0 || (i >= 200 && i < 300))
        return 0;
    snprintf(out, len, "20%02d-%02d-%02d", 10 + i % 15, 1 + i % 12, 1 + i % 28);
    return 1;
}

/* The date the stored data of docid holds ("" for none, NULL for no
 * document), into want. */
static const char *stored_date(ws_db *db, unsigned docid, char *want, size_t len)
{
    char *data = NULL;
    if (ws_db_data(db, docid, &data) != WS_OK)
        return NULL;
    json_t *d = json_loads(data, 0, NULL);
    free(data);
    const char *v = json_string_value(json_object_get(d, "date"));
    snprintf(want, len, "%s", v ? v : "");
    json_decref(d);
    return want;
}

/* Walks the documents from first by step with cursor c (over the shard of
 * shard, of nshards; nshards 0: the whole index), checking each value. */
static void walk(ws_db *db, ws_valuecursor *c, unsigned first, unsigned step, unsigned shard,
                 unsigned nshards)
{
    int wrong = 0;
    for (unsigned docid = first; docid <= 2 * NDOCS + 3; docid += step) {
        if (nshards && (docid - 1) % nshards != shard)
            continue;
        char want[32];
        const char *w = stored_date(db, docid, want, sizeof want);
        const char *v = NULL;
        size_t len = 0;
        ws_status st = ws_valuecursor_get(c, docid, &v, &len);
        int ok = (!w || !*w) ? st == WS_ENOTFOUND
                             : st == WS_OK && len == strlen(w) && !memcmp(v, w, len);
        if (!ok && wrong++ < 5)
            fprintf(stderr, "docid %u (step %u from %u, shard %u/%u): status %d, %.*s, not %s\n",
                    docid, step, first, shard, nshards, (int)st, (int)len, v ? v : "",
                    w ? w : "(none)");
    }
    CHECK_INT(wrong, 0);
}

int main(void)
{
    unsetenv("WENSUO_USER_DICT");
    char err[512] = "", dir[WS_FIXTURE_PATH];
    ws_lexicon *lex = NULL;
    ws_analyzer *an = ws_fixture_analyzer(&lex);
    ws_fixture_tmpdir(dir, sizeof dir, "valuecursor");
    ws_index *ix = NULL;
    CHECK_INT(ws_index_open_flags(dir, 2, 0, &ix, err, sizeof err), WS_OK);
    int undated = 0;
    for (int i = 0; ix && i < NDOCS; i++) {
        char id[16], date[16];
        snprintf(id, sizeof id, "d%d", i);
        const char *when = dated(i, date, sizeof date) ? date : NULL;
        undated += !when;
        ws_doc *d = ws_fixture_doc(id, "标题", "人民政府依法行政。", when, NULL, NULL);
        CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    }
    CHECK_INT(ws_index_close(ix), WS_OK);
    ws_db *db = NULL;
    CHECK_INT(ws_db_open(dir, &db, err, sizeof err), WS_OK);
    /* the walks below would pass on a cursor that finds nothing if the
     * stored data had no dates either: it has both (the shards take the
     * documents by their ids, so that docids run past NDOCS, with gaps
     * where one shard holds fewer) */
    int seen_dated = 0, seen_undated = 0;
    for (unsigned docid = 1; db && docid <= 2 * NDOCS; docid++) {
        char want[32];
        const char *w = stored_date(db, docid, want, sizeof want);
        seen_dated += w && *w;
        seen_undated += w && !*w;
    }
    CHECK_INT(seen_undated, undated);
    CHECK_INT(seen_dated, NDOCS - undated);
    static const unsigned steps[] = {1, 2, 3, 15, 16, 17, 31, 97, 250};
    for (size_t k = 0; db && k < sizeof steps / sizeof *steps; k++)
        for (unsigned first = 1; first <= 3; first++) {
            ws_valuecursor *c = NULL;
            CHECK_INT(ws_valuecursor_open(db, WS_SLOT_DATE, &c), WS_OK);
            walk(db, c, first, steps[k], 0, 0);
            ws_valuecursor_close(c);
            unsigned nshards = ws_valuecursor_shards(db);
            CHECK_INT(nshards, 2);
            for (unsigned s = 0; s < nshards; s++) {
                CHECK_INT(ws_valuecursor_open_shard(db, s, WS_SLOT_DATE, &c), WS_OK);
                walk(db, c, first, steps[k], s, nshards);
                ws_valuecursor_close(c);
            }
        }
    /* the documents' data through the pseudo-slot, a document at a time,
     * as ws_db_data gives it, over the whole index and each shard */
    for (int shard = -1; db && shard < 2; shard++) {
        ws_valuecursor *c = NULL;
        CHECK_INT(shard < 0
                      ? ws_valuecursor_open(db, WS_VALUECURSOR_DATA, &c)
                      : ws_valuecursor_open_shard(db, (unsigned)shard, WS_VALUECURSOR_DATA, &c),
                  WS_OK);
        int wrong = 0, seen = 0;
        for (unsigned docid = 1; c && docid <= 2 * NDOCS; docid += 3) {
            if (shard >= 0 && (docid - 1) % 2 != (unsigned)shard)
                continue;
            char *data = NULL;
            ws_status want = ws_db_data(db, docid, &data);
            const char *v = NULL;
            size_t len = 0;
            ws_status st = ws_valuecursor_get(c, docid, &v, &len);
            wrong += want == WS_OK ? st != WS_OK || len != strlen(data) || memcmp(v, data, len)
                                   : st != WS_ENOTFOUND;
            seen += want == WS_OK;
            free(data);
        }
        CHECK_INT(wrong, 0);
        CHECK(seen > 50);
        ws_valuecursor_close(c);
    }
    ws_db_close(db);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    CHECK(ws_fixture_remove(dir) == 0);
    CHECK_DONE();
}
