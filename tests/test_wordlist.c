/* test_wordlist.c - the word lists the indexer stores with each document
 * (indexer/text/wordlist.h): each field's text is the analyzer's
 * normalization of it, and its words are the analysis's tokens as
 * `wensuo analyze` prints them (a compound for its parts, no punctuation),
 * each with its stop flag, on hand-made edges and on the sample corpus;
 * a walk that steps over words (ws_wordwalk_seek) reads what the whole
 * list holds from where it lands, early enough for the words before a
 * place; what ws_index_put stores reads back through the value cursor; a damaged
 * value is refused, never read past its end. */
#include "check.h"
#include "analyzer.h"
#include "engine.h"
#include "fixture.h"
#include "index.h"
#include "lexicon.h"
#include "schema.h"
#include "termgen.h"
#include "valuecursor.h"
#include "wordlist.h"

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

static ws_lexicon *lex;
static ws_analyzer *an;

/* ---- the words as the analysis gives them, independently ---- */

typedef struct expect {
    char buf[1 << 16]; /* the words, each "text/stop " */
    size_t len, covered;
} expect;

static ws_status on_tok(void *ctx, const ws_token *t)
{
    expect *e = ctx;
    if (t->start < e->covered)
        return WS_OK;
    e->covered = t->end;
    if (t->kind == WS_TOKEN_PUNCT || e->len + t->len + 4 > sizeof e->buf)
        return WS_OK;
    e->len += (size_t)snprintf(e->buf + e->len, sizeof e->buf - e->len, "%s/%d ", t->text,
                               ws_wordlist_is_stop(lex, t));
    return WS_OK;
}

static ws_status on_term(void *ctx, const char *term, size_t len, uint32_t pos, ws_term_kind kind,
                         const ws_token *tok)
{
    (void)term;
    (void)len;
    (void)pos;
    return kind == WS_TERM_TOKEN ? ws_wordlist_token(ctx, tok) : WS_OK;
}

/* The value of title and body as the indexer makes it, into w. */
static ws_status build(ws_wordlist *w, const char *title, const char *body, const char **v,
                       size_t *len)
{
    const char *f[2] = {title, body};
    for (int k = 0; k < 2; k++) {
        uint32_t pos = 1;
        ws_status st = ws_wordlist_begin(w, an, f[k], strlen(f[k]));
        if (st == WS_OK)
            st = ws_termgen_run(an, f[k], strlen(f[k]), k ? WS_FIELD_BODY : WS_FIELD_TITLE,
                                WS_ANALYZE_JOIN_LINES | WS_TERMGEN_RUNS | WS_TERMGEN_TOKENS, &pos,
                                on_term, w);
        if (st != WS_OK)
            return st;
    }
    return ws_wordlist_value(w, v, len);
}

/* The words of a decoded field, "text/stop " each. */
static char *listed(const ws_wordfield *f)
{
    ws_word *w = NULL;
    size_t cap = 0, n = 0;
    if (ws_wordfield_words(f, &w, &cap, &n) != WS_OK)
        return strdup("(damaged)");
    size_t room = f->len * 2 + 4 * n + 1, at = 0;
    char *s = malloc(room);
    s[0] = '\0';
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(s + at, room - at, "%.*s/%d ", (int)(w[i].end - w[i].start),
                               f->text + w[i].start, w[i].stop);
    free(w);
    return s;
}

/* Checks one field of a value against the analyzer's own answers. */
static void check_field(const ws_wordfield *f, const char *text, const char *what)
{
    char *norm = NULL;
    size_t nlen = 0, *map = NULL;
    CHECK_INT(
        ws_analyzer_normalize(an, text, strlen(text), WS_ANALYZE_JOIN_LINES, &norm, &nlen, &map),
        WS_OK);
    int same = f->len == nlen && memcmp(f->text, norm, nlen) == 0;
    CHECK(same);
    if (!same)
        fprintf(stderr, "  %s: the text is not the normalized one\n", what);
    expect e = {.len = 0};
    uint32_t pos = 1;
    CHECK_INT(ws_analyzer_run(an, text, strlen(text), WS_ANALYZE_JOIN_LINES, &pos, on_tok, &e),
              WS_OK);
    e.buf[e.len] = '\0';
    char *got = listed(f);
    CHECK(strcmp(got, e.buf) == 0);
    if (strcmp(got, e.buf) != 0)
        fprintf(stderr, "  %s:\n  got:  %s\n  want: %s\n", what, got, e.buf);
    free(got);
    /* the paragraphs read back as the text's line breaks give them */
    size_t *want = NULL, nwant = 0, *para = NULL, cap = 0, np = 0;
    CHECK_INT(ws_analyzer_paragraph_starts(text, strlen(text), map, nlen, &want, &nwant), WS_OK);
    CHECK_INT(ws_wordfield_paragraphs(f, &para, &cap, &np), WS_OK);
    CHECK(np == nwant && (!np || memcmp(para, want, np * sizeof *para) == 0));
    free(want);
    free(para);
    free(norm);
    free(map);
}

/* A walk that steps over words (ws_wordwalk_seek) reads the same words as
 * the whole list from where it lands, lands at least `more` words before
 * the first word that ends past the place, and steps over none that end
 * past it; at every place of the text, for several `more`. */
static void check_walk(const ws_wordfield *f, const char *what)
{
    ws_word *all = NULL;
    size_t cap = 0, n = 0;
    CHECK_INT(ws_wordfield_words(f, &all, &cap, &n), WS_OK);
    static const size_t mores[] = {0, 1, 4, 5, 10, WS_WORDWALK_MAX_MORE};
    int bad = 0, jumps = 0;
    for (size_t mi = 0; mi < sizeof mores / sizeof *mores; mi++)
        for (size_t at = 0; at <= f->len; at += 1 + at / 64) {
            ws_wordwalk w;
            ws_wordwalk_init(&w, f);
            /* read a few words first, as a walk does before its next place */
            size_t pre = (at / 7) % 3 < n ? (at / 7) % 3 : n;
            ws_word x;
            for (size_t i = 0; i < pre; i++)
                bad += ws_wordwalk_next(&w, &x) != WS_OK;
            size_t first = 0; /* the first word that ends past at */
            while (first < n && all[first].end <= at)
                first++;
            int jumped = ws_wordwalk_seek(&w, at, mores[mi]);
            jumps += jumped;
            size_t k = w.k;
            bad += jumped != (k > pre);
            bad += k < pre || (k > pre && (k + mores[mi] > first));
            for (size_t i = k; i < n; i++)
                if (ws_wordwalk_next(&w, &x) != WS_OK || x.start != all[i].start ||
                    x.end != all[i].end || x.stop != all[i].stop)
                    bad++;
            bad += ws_wordwalk_next(&w, &x) != WS_ENOTFOUND;
        }
    CHECK(bad == 0);
    if (bad)
        fprintf(stderr, "  %s: %d walks went wrong\n", what, bad);
    if (n > 40 && !jumps)
        fprintf(stderr, "  %s: no walk stepped over a word (%zu words)\n", what, n);
    CHECK(n <= 40 || jumps > 0);
    free(all);
}

static void check_doc(ws_wordlist *w, const char *title, const char *body, const char *what)
{
    const char *v;
    size_t len;
    CHECK_INT(build(w, title, body, &v, &len), WS_OK);
    ws_wordfield f[2];
    int ok = v && ws_wordlist_decode(v, len, f) == WS_OK;
    CHECK(ok);
    if (!ok)
        return;
    check_field(&f[0], title, what);
    check_field(&f[1], body, what);
    check_walk(&f[0], what);
    check_walk(&f[1], what);
}

/* ---- the cases ---- */

static void test_edges(void)
{
    ws_wordlist *w;
    CHECK_INT(ws_wordlist_new(lex, &w), WS_OK);
    /* a stop word, a compound and its parts, full-width Latin, Traditional
     * characters, ○ for 〇, a hard wrap inside a word, a paragraph */
    const char *body = "⒈加强党的建设，新冠肺炎ＣＯＶＩＤ－19疫情在2024年得到控制。\n"
                       "二○二四年，園區用\n地面積擴大。\n\n第二段 Hello World 3.5万亩";
    check_doc(w, "关于加强党的建设的意见", body, "edges");
    const char *v;
    size_t len;
    CHECK_INT(build(w, "标题", body, &v, &len), WS_OK);
    ws_wordfield f[2];
    CHECK_INT(ws_wordlist_decode(v, len, f), WS_OK);
    char *got = listed(&f[1]);
    /* independently of the checks above: what the words must be */
    CHECK(strstr(got, "的/1 ") != NULL);                        /* a stop word */
    CHECK(strstr(got, "covid-19/0 ") != NULL);                  /* NFKC and case folded */
    CHECK(strstr(got, "/0 19/") == NULL);                       /* its parts not again */
    CHECK(strstr(got, "园区/0 ") != NULL);                      /* Traditional folded */
    CHECK(strstr(got, "用地/0 ") != NULL);                      /* across the hard wrap */
    CHECK(memmem(f[1].text, f[1].len, "二〇二四", 12) != NULL); /* ○ read as 〇 */
    CHECK(memmem(f[1].text, f[1].len, "\n", 1) != NULL);        /* the paragraph kept */
    CHECK(strstr(got, "，") == NULL && strstr(got, "。") == NULL);
    free(got);
    /* two paragraphs begin: after a single break that follows 。 (joined
     * away in the text) and after the blank line */
    size_t *para = NULL, cap = 0, np = 0;
    CHECK_INT(ws_wordfield_paragraphs(&f[1], &para, &cap, &np), WS_OK);
    CHECK_INT((int)np, 2);
    if (np == 2) {
        CHECK(!strncmp(f[1].text + para[0], "二〇二四", strlen("二〇二四")));
        CHECK(!strncmp(f[1].text + para[1], "第二段", strlen("第二段")));
        CHECK(f[1].text[para[0] - 1] != '\n'); /* nothing marks the first in the text */
    }
    free(para);
    /* empty fields, and a document with a body only */
    check_doc(w, "", "", "empty");
    check_doc(w, "", "只有正文。", "body only");
    CHECK_INT(build(w, "", "", &v, &len), WS_OK);
    CHECK(v && len == 8 && memcmp(v, "W1\0\0\0\0\0\0", 8) == 0); /* two empty fields */
    ws_wordlist_free(w);
}

static void test_damaged(void)
{
    ws_wordlist *w;
    CHECK_INT(ws_wordlist_new(lex, &w), WS_OK);
    const char *v;
    size_t len;
    CHECK_INT(build(w, "发展新质生产力", "推动高质量发展，加快建设现代化产业体系。", &v, &len),
              WS_OK);
    char *copy = malloc(len);
    memcpy(copy, v, len);
    ws_wordfield f[2];
    /* every cut short is refused */
    for (size_t cut = 0; cut < len; cut++)
        CHECK_INT(ws_wordlist_decode(copy, cut, f), WS_ECORRUPT);
    CHECK_INT(ws_wordlist_decode(copy, len, f), WS_OK);
    /* a word past its text is refused when the words are read (decoding
     * only finds where they end), a paragraph past it by the decoding */
    ws_word *words = NULL;
    size_t cap = 0, n = 0;
    CHECK_INT(ws_wordlist_decode("W1\0\0\0\3abc\1\0\6\0", 13, f), WS_OK);
    CHECK_INT(ws_wordfield_words(&f[1], &words, &cap, &n), WS_OK);
    CHECK(n == 1 && words[0].start == 0 && words[0].end == 3);
    CHECK_INT(ws_wordlist_decode("W1\0\0\0\3abc\1\0\10\0", 13, f), WS_OK);
    CHECK_INT(ws_wordfield_words(&f[1], &words, &cap, &n), WS_ECORRUPT);
    CHECK_INT(ws_wordlist_decode("W1\0\0\0\3abc\1\1\6\0", 13, f), WS_OK);
    CHECK_INT(ws_wordfield_words(&f[1], &words, &cap, &n), WS_ECORRUPT);
    /* a varint of words that runs on past the value */
    CHECK_INT(ws_wordlist_decode("W1\0\0\0\3abc\1\200\200\0", 13, f), WS_ECORRUPT);
    CHECK_INT(ws_wordlist_decode("W1\0\0\0\3abc\0\1\3", 12, f), WS_OK);
    CHECK_INT(ws_wordlist_decode("W1\0\0\0\3abc\0\1\4", 12, f), WS_ECORRUPT);
    CHECK_INT(ws_wordlist_decode("W1\0\0\0\3abc\0\2\1\0", 13, f), WS_ECORRUPT);
    CHECK_INT(ws_wordlist_decode(copy, len, f), WS_OK);
    /* any byte changed: read or refused, never past the value (ASan) */
    for (size_t i = 0; i < len; i++) {
        for (int b = 0; b < 8; b++) {
            copy[i] ^= (char)(1 << b);
            if (ws_wordlist_decode(copy, len, f) == WS_OK)
                for (int k = 0; k < 2; k++)
                    if (ws_wordfield_words(&f[k], &words, &cap, &n) == WS_OK)
                        for (size_t j = 0; j < n; j++)
                            CHECK(words[j].start <= words[j].end && words[j].end <= f[k].len);
            copy[i] ^= (char)(1 << b);
        }
    }
    CHECK_INT(ws_wordlist_decode("W2\0\0", 4, f), WS_ECORRUPT);
    free(words);
    free(copy);
    ws_wordlist_free(w);
}

/* Every .txt and .md file of the sample corpus: its text as one body. */
static void test_corpus(void)
{
    static const char *const sub[] = {"laws", "news", "policy", "web"};
    ws_wordlist *w;
    CHECK_INT(ws_wordlist_new(lex, &w), WS_OK);
    int files = 0;
    for (size_t k = 0; k < sizeof sub / sizeof *sub; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/corpus/%s", WS_SOURCE_DIR, sub[k]);
        DIR *d = opendir(path);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strstr(e->d_name, ".txt") && !strstr(e->d_name, ".md"))
                continue;
            char file[8192];
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            FILE *f = fopen(file, "rb");
            if (!f)
                continue;
            char *text = calloc(1, 1 << 20);
            size_t n = fread(text, 1, (1 << 20) - 1, f);
            fclose(f);
            text[n] = '\0';
            check_doc(w, e->d_name, text, e->d_name);
            free(text);
            files++;
        }
        closedir(d);
    }
    CHECK(files >= 3);
    ws_wordlist_free(w);
}

/* What ws_index_put stores is the builder's value, read back in docid
 * order; an index made with WS_INDEX_NO_WORDS stores none. */
static void test_stored(void)
{
    for (int plain = 0; plain < 2; plain++) {
        char dir[WS_FIXTURE_PATH], err[512];
        ws_fixture_tmpdir(dir, sizeof dir, "wordlist");
        ws_index *ix = NULL;
        CHECK_INT(ws_index_open_flags(dir, 1, plain ? WS_INDEX_NO_WORDS : 0, &ix, err, sizeof err),
                  WS_OK);
        const char *bodies[3] = {"人民政府依法行政。", "第一段。\n\n第二段，园区用\n地面积。",
                                 "COVID-19 疫情防控"};
        for (int i = 0; i < 3; i++) {
            char id[16];
            snprintf(id, sizeof id, "d%d", i);
            ws_doc *d = ws_fixture_doc(id, "标题", bodies[i], NULL, NULL, NULL);
            CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
        }
        CHECK_INT(ws_index_close(ix), WS_OK);
        ws_db *db = NULL;
        CHECK_INT(ws_db_open(dir, &db, err, sizeof err), WS_OK);
        ws_valuecursor *c = NULL;
        CHECK_INT(ws_valuecursor_open(db, WS_SLOT_WORDS, &c), WS_OK);
        ws_wordlist *w;
        CHECK_INT(ws_wordlist_new(lex, &w), WS_OK);
        for (unsigned docid = 1; docid <= 3; docid++) {
            const char *v, *want;
            size_t len, wlen;
            ws_status st = ws_valuecursor_get(c, docid, &v, &len);
            if (plain) {
                CHECK_INT(st, WS_ENOTFOUND);
                continue;
            }
            CHECK_INT(st, WS_OK);
            CHECK_INT(build(w, "标题", bodies[docid - 1], &want, &wlen), WS_OK);
            CHECK(st == WS_OK && len == wlen && memcmp(v, want, len) == 0);
        }
        CHECK_INT(ws_valuecursor_get(c, 4, &(const char *){NULL}, &(size_t){0}), WS_ENOTFOUND);
        ws_wordlist_free(w);
        ws_valuecursor_close(c);
        ws_db_close(db);
        CHECK(ws_fixture_remove(dir) == 0);
    }
}

int main(void)
{
    unsetenv("WENSUO_USER_DICT");
    an = ws_fixture_analyzer(&lex);
    test_edges();
    test_damaged();
    test_corpus();
    test_stored();
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    CHECK_DONE();
}
