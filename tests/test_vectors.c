/* test_vectors.c - the word vectors file (vectors.h): what it refuses, the
 * words it adds, and a question ranked by what its words mean. */
#include "check.h"
#include "analyzer.h"
#include "document.h"
#include "fixture.h"
#include "index.h"
#include "lexicon.h"
#include "search.h"
#include "vectors.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define DIM 4

typedef struct word {
    const char *w;
    uint32_t count;
    int8_t v[DIM];
} word;

/* 违约 and 延误 mean alike here; 房屋 and 赔偿 each their own. */
static const word words[] = {
    {"违约", 100, {127, 0, 0, 0}},  {"延误", 100, {120, 40, 0, 0}}, {"房屋", 100, {0, 0, 127, 0}},
    {"赔偿", 5000, {0, 0, 0, 127}}, {"pm2.5", 100, {0, 127, 0, 0}},
};

static uint32_t count_bump; /* another file with the same words */

static void put32(FILE *f, uint32_t x)
{
    for (int i = 0; i < 4; i++)
        fputc((int)(x >> (8 * i) & 0xFF), f);
}

static void write_header(const char *path, size_t cut, size_t extra, const char *magic,
                         uint32_t dim, uint32_t nwords);

/* Writes the words above to path: whole, or cut by `cut` bytes, or with
 * `extra` bytes after it, or with another magic; write_header with another
 * dim or count in the header (the words as they are). */
static void write_file(const char *path, size_t cut, size_t extra, const char *magic)
{
    write_header(path, cut, extra, magic, DIM, sizeof words / sizeof *words);
}

static void write_header(const char *path, size_t cut, size_t extra, const char *magic,
                         uint32_t dim, uint32_t nwords)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    fwrite(magic, 1, 8, f);
    put32(f, dim);
    put32(f, nwords);
    put32(f, 1000000);
    put32(f, 0);
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        fputc((int)strlen(words[i].w), f);
        fwrite(words[i].w, 1, strlen(words[i].w), f);
        put32(f, words[i].count + count_bump);
        fwrite(words[i].v, 1, DIM, f);
    }
    for (size_t i = 0; i < extra; i++)
        fputc(0, f);
    fclose(f);
    FILE *out = fopen(path, "wb");
    fwrite(buf, 1, size - cut, out);
    fclose(out);
    free(buf);
}

static void test_file(const char *path)
{
    ws_vectors *v = NULL;
    char err[512] = "";
    CHECK_INT(ws_vectors_load("/nonexistent/vectors.bin", &v, err, sizeof err), WS_ENOTFOUND);
    CHECK(v == NULL && strstr(err, "/nonexistent/vectors.bin"));
    write_file(path, 0, 0, "WSVEC00\n");
    CHECK_INT(ws_vectors_load(path, &v, err, sizeof err), WS_EINVAL);
    CHECK(v == NULL && strstr(err, "not a vectors file"));
    write_file(path, 1, 0, "WSVEC01\n");
    CHECK_INT(ws_vectors_load(path, &v, err, sizeof err), WS_EINVAL);
    CHECK(v == NULL && strstr(err, "cut short"));
    write_file(path, 0, 1, "WSVEC01\n");
    CHECK_INT(ws_vectors_load(path, &v, err, sizeof err), WS_EINVAL);
    CHECK(v == NULL && strstr(err, "after the last word"));
    /* a dimension over the cap, or 0; more words than the file can hold
     * (refused before anything is allocated for them) */
    write_header(path, 0, 0, "WSVEC01\n", WS_VECTORS_DIM_MAX + 1, 5);
    CHECK_INT(ws_vectors_load(path, &v, err, sizeof err), WS_EINVAL);
    CHECK(v == NULL && strstr(err, "bad header"));
    write_header(path, 0, 0, "WSVEC01\n", 0, 5);
    CHECK_INT(ws_vectors_load(path, &v, err, sizeof err), WS_EINVAL);
    write_header(path, 0, 0, "WSVEC01\n", DIM, WS_VECTORS_WORDS_MAX);
    CHECK_INT(ws_vectors_load(path, &v, err, sizeof err), WS_EINVAL);
    CHECK(v == NULL && strstr(err, "cut short"));
    write_file(path, 0, 0, "WSVEC01\n");
    CHECK_INT(ws_vectors_load(path, &v, err, sizeof err), WS_OK);
    if (!v)
        return;
    CHECK_INT(ws_vectors_dim(v), DIM);

    /* words and single characters that are words add; pairs, characters
     * of longer words, punctuation and unknown words do not */
    float acc[DIM] = {0};
    ws_token t = {.text = "违约", .len = strlen("违约"), .nchars = 2, .kind = WS_TOKEN_HAN};
    CHECK_INT(ws_vectors_add_term(v, "违约", strlen("违约"), WS_TERM_WORD, &t, acc), 1);
    CHECK(acc[0] > 0 && acc[1] == 0);
    CHECK_INT(ws_vectors_add_term(v, "B违约", strlen("B违约"), WS_TERM_BI, &t, acc), 0);
    CHECK_INT(ws_vectors_add_term(v, "U约", strlen("U约"), WS_TERM_UNI, &t, acc), 0);
    ws_token u = {.text = "屋顶", .len = strlen("屋顶"), .nchars = 2, .kind = WS_TOKEN_HAN};
    CHECK_INT(ws_vectors_add_term(v, "屋顶", strlen("屋顶"), WS_TERM_WORD, &u, acc), 0);
    /* a new word of the lexicon the vectors lack (learned after them) adds
     * the longest words they know that it is made of; a word they lack
     * that is no new word (seen too seldom when they were learned) adds
     * nothing, not its parts */
    float an[DIM] = {0}, ao[DIM] = {0};
    ws_token nw = {.text = "房屋赔偿",
                   .len = strlen("房屋赔偿"),
                   .nchars = 4,
                   .kind = WS_TOKEN_HAN,
                   .lexflags = WS_LEX_WORD | WS_LEX_NEW};
    ws_token old = nw;
    old.lexflags = WS_LEX_WORD;
    CHECK_INT(ws_vectors_add_term(v, "房屋赔偿", strlen("房屋赔偿"), WS_TERM_WORD, &nw, an), 1);
    CHECK(an[0] == 0 && an[1] == 0 && an[2] > 0 && an[3] > 0);
    CHECK_INT(ws_vectors_add_term(v, "房屋赔偿", strlen("房屋赔偿"), WS_TERM_WORD, &old, ao), 0);
    CHECK(ao[0] == 0 && ao[1] == 0 && ao[2] == 0 && ao[3] == 0);
    /* a word of letters and digits counts once, not again for its runs */
    float ap[DIM] = {0};
    ws_token pm = {.text = "pm2.5", .len = 5, .nchars = 5, .kind = WS_TOKEN_ALNUM};
    CHECK_INT(ws_vectors_add_term(v, "pm2.5", 5, WS_TERM_WORD, &pm, ap), 1);
    CHECK_INT(ws_vectors_add_term(v, "pm", 2, WS_TERM_WORD, &pm, ap), 0);
    CHECK_INT(ws_vectors_add_term(v, "5", 1, WS_TERM_WORD, &pm, ap), 0);
    /* a frequent word weighs less (WS_VECTORS_SIF) */
    float a1[DIM] = {0}, a2[DIM] = {0};
    ws_token pe = {.text = "赔偿", .len = strlen("赔偿"), .nchars = 2, .kind = WS_TOKEN_HAN};
    ws_token fw = {.text = "房屋", .len = strlen("房屋"), .nchars = 2, .kind = WS_TOKEN_HAN};
    ws_vectors_add_term(v, "赔偿", strlen("赔偿"), WS_TERM_WORD, &pe, a1);
    ws_vectors_add_term(v, "S房屋", strlen("S房屋"), WS_TERM_WORD, &fw, a2); /* in a title */
    CHECK(a1[3] > 0 && a2[2] > a1[3]);

    int8_t q1[DIM], q2[DIM];
    float zero[DIM] = {0};
    CHECK_INT(ws_vectors_quantize(v, zero, q1), 0);
    CHECK_INT(ws_vectors_quantize(v, acc, q1), 1);
    CHECK_INT(ws_vectors_quantize(v, a2, q2), 1);
    CHECK(ws_vectors_cosine(q1, q1, DIM) > 0.99 && ws_vectors_cosine(q1, q1, DIM) <= 1.0);
    CHECK(ws_vectors_cosine(q1, q2, DIM) == 0);
    /* never over 1, though rounding leaves the bytes' norms apart */
    float diag[DIM] = {1, 1, 1, 0}, tilt[DIM] = {3, 1, 0, 0};
    int8_t qd[DIM], qt[DIM];
    CHECK(ws_vectors_quantize(v, diag, qd) && ws_vectors_quantize(v, tilt, qt));
    CHECK(ws_vectors_cosine(qd, qd, DIM) <= 1.0 && ws_vectors_cosine(qd, qd, DIM) > 0.999);
    CHECK(ws_vectors_cosine(qt, qt, DIM) <= 1.0 && ws_vectors_cosine(qd, qt, DIM) < 1.0);
    ws_vectors_free(v);
}

static long rank_of(const ws_results *r, const char *id)
{
    for (size_t i = 0; r && i < r->nhits; i++)
        if (r->hits[i].id && !strcmp(r->hits[i].id, id))
            return (long)i;
    return -1;
}

/* wensuo stats: the index's vectors and the searcher's, the same and in use
 * or not. */
static void check_stats(ws_searcher *se, int same)
{
    json_t *j = NULL;
    CHECK(se && ws_searcher_stats(se, &j) == WS_OK);
    json_t *v = json_object_get(j, "vectors");
    const char *made = json_string_value(json_object_get(v, "index"));
    const char *have = json_string_value(json_object_get(v, "searcher"));
    CHECK(made && have && strlen(made) == 16 && (strcmp(made, have) == 0) == same);
    CHECK(json_is_boolean(json_object_get(v, "in_use")) &&
          json_is_true(json_object_get(v, "in_use")) == same);
    json_decref(j);
}

/* Two articles with the same words but one: 违约 in one, 房屋 in the other.
 * A question about 延误 (in neither) ranks the one with 违约 first; a
 * keyword query scores the two the same. */
static void test_ranking(const char *tmp, const char *path)
{
    char err[1024] = "", db[300];
    snprintf(db, sizeof db, "%s/db", tmp);
    setenv("WENSUO_VECTORS", path, 1);
    ws_lexicon *lex = NULL;
    ws_analyzer *an = NULL;
    ws_index *ix = NULL;
    ws_searcher *se = NULL;
    CHECK_INT(ws_lexicon_open_default(NULL, NULL, &lex, err, sizeof err), WS_OK);
    CHECK(lex && ws_lexicon_vectors(lex));
    if (!lex || ws_analyzer_new(lex, &an) != WS_OK || ws_index_open(db, 1, &ix, err, sizeof err) ||
        ws_index_check_vectors(ix, ws_lexicon_vectors(lex), err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        check_failures++;
        ws_analyzer_free(an);
        ws_lexicon_free(lex);
        return;
    }
    static const char *const d[][3] = {
        {"条例甲#第二条", "条例甲 第二条", "承运人房屋的，应当赔偿旅客因此受到的损失。"},
        {"条例甲#第一条", "条例甲 第一条", "承运人违约的，应当赔偿旅客因此受到的损失。"},
        /* with vectors in the slot, the article keys are read too: the
         * second article of 货运条例, cited by number, goes ahead */
        {"货运条例#第一条", "货运条例 第一条", "托运人违约的，应当赔偿旅客因此受到的损失。"},
        {"货运条例#第二条", "货运条例 第二条", "托运人违约的，应当赔偿旅客因此受到的损失。"},
        {"通知", "通知", "依照货运条例第二条办理。"},
    };
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) {
        ws_doc *doc = ws_fixture_doc(d[i][0], d[i][1], d[i][2], NULL, NULL, NULL);
        CHECK_INT(ws_fixture_put(ix, an, doc), WS_OK);
    }
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_open(db, lex, NULL, &se, err, sizeof err), WS_OK);
    check_stats(se, 1);
    const char *q[] = {"航班延误了，承运人应当赔偿旅客受到的损失吗？", "赔偿旅客"};
    for (int i = 0; se && i < 2; i++) {
        ws_search_opts o;
        memset(&o, 0, sizeof o);
        o.query = q[i];
        o.limit = 10;
        ws_results *r = NULL;
        CHECK_INT(ws_searcher_run(se, &o, &r), WS_OK);
        long a = rank_of(r, "条例甲#第一条"), b = rank_of(r, "条例甲#第二条");
        long c = rank_of(r, "货运条例#第二条"), e = rank_of(r, "货运条例#第一条");
        CHECK(a >= 0 && b >= 0 && c >= 0 && e >= 0);
        if (a >= 0 && b >= 0 && c >= 0 && e >= 0 && i == 0)
            CHECK(a < b && r->hits[a].score > r->hits[b].score && c < e &&
                  r->hits[c].score > r->hits[e].score);
        if (a >= 0 && b >= 0 && c >= 0 && e >= 0 && i == 1)
            CHECK(r->hits[a].score == r->hits[b].score && r->hits[c].score == r->hits[e].score);
        ws_results_free(r);
    }
    ws_searcher_close(se);
    CHECK_INT(ws_index_close(ix), WS_OK);
    ws_analyzer_free(an);
    ws_lexicon_free(lex);

    /* other vectors: a writer refuses the index (and one without vectors
     * too), a searcher leaves them out, so the two articles tie again */
    char other[300];
    snprintf(other, sizeof other, "%s/other.bin", tmp);
    count_bump = 1;
    write_file(other, 0, 0, "WSVEC01\n");
    count_bump = 0;
    setenv("WENSUO_VECTORS", other, 1);
    lex = NULL, ix = NULL, se = NULL;
    CHECK_INT(ws_lexicon_open_default(NULL, NULL, &lex, err, sizeof err), WS_OK);
    CHECK_INT(ws_index_open(db, 1, &ix, err, sizeof err), WS_OK);
    if (lex && ix) {
        CHECK_INT(ws_index_check_vectors(ix, ws_lexicon_vectors(lex), err, sizeof err), WS_EINVAL);
        CHECK(strstr(err, "other word vectors") != NULL);
        CHECK_INT(ws_index_check_vectors(ix, NULL, err, sizeof err), WS_EINVAL);
        CHECK(strstr(err, "this program has none") != NULL);
    }
    CHECK_INT(ws_index_close(ix), WS_OK);
    CHECK_INT(ws_searcher_open(db, lex, NULL, &se, err, sizeof err), WS_OK);
    check_stats(se, 0);
    if (se) {
        ws_search_opts o;
        memset(&o, 0, sizeof o);
        o.query = q[0];
        o.limit = 10;
        ws_results *r = NULL;
        CHECK_INT(ws_searcher_run(se, &o, &r), WS_OK);
        long a = rank_of(r, "条例甲#第一条"), b = rank_of(r, "条例甲#第二条");
        CHECK(a >= 0 && b >= 0 && r->hits[a].score == r->hits[b].score);
        ws_results_free(r);
    }
    ws_searcher_close(se);
    ws_lexicon_free(lex);
    /* a vectors file that is named must load */
    setenv("WENSUO_VECTORS", "/nonexistent/vectors.bin", 1);
    CHECK_INT(ws_lexicon_open_default(NULL, NULL, &lex, err, sizeof err), WS_ENOTFOUND);
    CHECK(lex == NULL && strstr(err, "/nonexistent/vectors.bin"));
    unsetenv("WENSUO_VECTORS");
}

int main(void)
{
    unsetenv("WENSUO_USER_DICT");
    char tmp[WS_FIXTURE_PATH];
    ws_fixture_tmpdir(tmp, sizeof tmp, "test_vectors");
    char path[300];
    snprintf(path, sizeof path, "%s/vectors.bin", tmp);
    test_file(path);
    write_file(path, 0, 0, "WSVEC01\n");
    test_ranking(tmp, path);
    ws_fixture_remove(tmp);
    CHECK_DONE();
}
