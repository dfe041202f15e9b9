/* word_counts.c - word frequencies for the segmenter, estimated from text.
 *
 * friso-dict lists words without frequencies, so the segmenter cannot weigh
 * 新世纪 against 新 + 世纪 by how often each occurs. This tool estimates the
 * frequencies without supervision (Viterbi EM): it segments in-domain text
 * with the analyzer, counts the lexicon words on the paths it takes, loads
 * those counts into the lexicon (ws_lexicon_load_counts: the segmenter then
 * takes the most probable path of a unigram model) and segments again, as
 * many times as asked. It writes "word TAB count" lines, most frequent first,
 * which is what the lexicon loads (indexer/data/word_counts.tsv).
 *
 *   word_counts [-i ITERATIONS] [-m MIN_COUNT] [-n NEW_WORDS] [-o FILE] FILE...
 *
 * Each FILE is JSON lines as tools/import_*.py write them (title and body
 * are read; an article beside its whole law, a record with "law_id", is
 * skipped so that laws count once) or plain text. Counted: every token of
 * the analyzer's CJK words that is a lexicon word or a single character; ICU's
 * own words and numerals have fixed costs and are not counted. The first pass
 * uses the fixed costs; the built-in counts and $WENSUO_USER_DICT are ignored
 * throughout, so that the result depends on the lexicon and the text only.
 * MIN_COUNT (default 2) drops rarer words from the output; they count as
 * unseen. With -n NEW_WORDS (tools/new_words' output) the segmenter has the
 * new words too, at the fixed cost of a word in the first pass and priced by
 * their own counts after (ws_lexicon_load_new_words); they are not counted,
 * but the words they take occurrences from are counted the less (长制, most
 * often seen in 河长制). Without it the built-in new words are not used:
 * the counts that new_words starts from are the lexicon's alone. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "analyzer.h"
#include "collection.h"
#include "lexicon.h"
#include "tally_file.h"

#define MAX_TEXTS_BYTES (4ull << 30) /* all the text is held in memory */

typedef struct text {
    size_t off, len;
} text;

typedef struct corpus {
    char *buf;
    size_t len, cap;
    text *t;
    size_t n, ncap;
} corpus;

static void die(const char *what)
{
    fprintf(stderr, "word_counts: %s\n", what);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        die("out of memory");
    return p;
}

/* ---- the text ---- */

static void add_text(void *ctx, const char *s, size_t len)
{
    corpus *c = ctx;
    if (len == 0)
        return;
    if (c->len + len > MAX_TEXTS_BYTES)
        die("more text than 4 GB");
    if (c->len + len > c->cap) {
        c->cap = (c->len + len) * 2;
        c->buf = xrealloc(c->buf, c->cap);
    }
    if (c->n == c->ncap) {
        c->ncap = c->ncap ? c->ncap * 2 : 4096;
        c->t = xrealloc(c->t, c->ncap * sizeof *c->t);
    }
    memcpy(c->buf + c->len, s, len);
    c->t[c->n++] = (text){c->len, len};
    c->len += len;
}

/* ---- counting ---- */

/* Where a pass's tokens go: the counts, and the new words, which are not
 * counted (their file prices them). */
typedef struct counting {
    ws_tally *k;
    const ws_tally *news; /* NULL: none */
} counting;

static ws_status on_token(void *ctx, const ws_token *t)
{
    const counting *cn = ctx;
    if (t->kind != WS_TOKEN_HAN ||
        !(t->nchars == 1 || (t->lexflags & (WS_LEX_WORD | WS_LEX_STOP | WS_LEX_UNIT))))
        return WS_OK;
    if (t->nchars > 1 && cn->news && ws_tally_get(cn->news, t->text, t->len))
        return WS_OK;
    ws_tally_file_add(cn->k, t->text, t->len);
    return WS_OK;
}

/* ---- one pass ---- */

/* Segments the texts with the counts at prev (NULL: the fixed costs) and the
 * new words at news_path (NULL: none), counting into k. */
static void pass(const corpus *c, const char *prev, const char *news_path, const ws_tally *news,
                 ws_tally *k)
{
    ws_lexicon *lex;
    ws_analyzer *an;
    char err[1024];
    /* the new words are priced by the counts, so they load after them */
    setenv("WENSUO_WORD_COUNTS", prev ? prev : "", 1);
    setenv("WENSUO_NEW_WORDS", news_path ? news_path : "", 1);
    if (ws_lexicon_open_default(NULL, NULL, &lex, err, sizeof err) != WS_OK)
        die(err);
    if (ws_analyzer_new(lex, &an) != WS_OK)
        die("cannot make an analyzer");
    ws_tally_file_init(k);
    counting cn = {k, news};
    for (size_t i = 0; i < c->n; i++) {
        uint32_t pos = 0;
        ws_status st = ws_analyzer_run(an, c->buf + c->t[i].off, c->t[i].len, WS_ANALYZE_JOIN_LINES,
                                       &pos, on_token, &cn);
        if (st != WS_OK)
            die(ws_status_to_string(st));
    }
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
}

/* The words of a new words file ("word TAB count" lines), into news. */
static void read_new_words(const char *path, ws_tally *news)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    ws_tally_file_init(news);
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        size_t len = strcspn(line, "\t\r\n");
        if (line[0] != '#' && line[len] == '\t' && len > 0)
            ws_tally_file_add(news, line, len);
    }
    free(line);
    fclose(f);
}

static void usage(void)
{
    fputs("usage: word_counts [-i ITERATIONS] [-m MIN_COUNT] [-n NEW_WORDS] [-o FILE] FILE...\n"
          "  -i  passes after the first, each with the counts of the one before (default 2)\n"
          "  -m  leave out words counted fewer times (default 2)\n"
          "  -n  segment with these new words (tools/new_words), which are not counted\n"
          "  -o  the counts file (default: standard output)\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    int iterations = 2;
    unsigned long long min = 2;
    const char *out = "/dev/stdout";
    char *news_path = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "i:m:n:o:")) != -1) {
        if (opt == 'i')
            iterations = atoi(optarg);
        else if (opt == 'm')
            min = strtoull(optarg, NULL, 10);
        else if (opt == 'n')
            news_path = optarg;
        else if (opt == 'o')
            out = optarg;
        else
            usage();
    }
    if (optind >= argc || iterations < 0 || iterations > 20)
        usage();
    /* The result must depend on the lexicon, the new words named and the
     * text alone: not on the built-in counts and new words. */
    unsetenv("WENSUO_USER_DICT");
    ws_tally news;
    if (news_path)
        read_new_words(news_path, &news);

    corpus c = {0};
    for (int i = optind; i < argc; i++)
        if (ws_collection_read(argv[i], add_text, &c) != 0)
            exit(1);
    fprintf(stderr, "word_counts: %zu texts, %.1f MB\n", c.n, c.len / 1e6);

    char tmp[] = "/tmp/word_counts_XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0)
        die("cannot make a temporary file");
    close(fd);
    for (int it = 0; it <= iterations; it++) {
        ws_tally k;
        clock_t t0 = clock();
        pass(&c, it ? tmp : NULL, news_path, news_path ? &news : NULL, &k);
        fprintf(stderr, "pass %d: %.1f s\n", it + 1, (double)(clock() - t0) / CLOCKS_PER_SEC);
        if (it < iterations) {
            ws_tally_write(&k, tmp, 1, NULL);
        } else {
            char header[4096], files[2048], with[1024] = "";
            ws_collection_names(files, sizeof files, argv + optind, argc - optind);
            if (news_path) {
                char name[512];
                ws_collection_names(name, sizeof name, &news_path, 1);
                snprintf(with, sizeof with, "# With the new words of%s, not counted.\n", name);
            }
            snprintf(header, sizeof header,
                     "# Word counts for Wensuo's segmenter (lexicon.h), by tools/word_counts:\n"
                     "# %d passes of Viterbi EM over %zu texts (%.1f MB); %llu tokens;\n"
                     "# words counted fewer than %llu times left out. From:%s\n%s",
                     iterations + 1, c.n, c.len / 1e6, (unsigned long long)k.total, min, files,
                     with);
            ws_tally_write(&k, out, min, header);
        }
        ws_tally_free(&k);
    }
    unlink(tmp);
    if (news_path)
        ws_tally_free(&news);
    free(c.buf);
    free(c.t);
    return 0;
}
