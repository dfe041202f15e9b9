/* new_words.c - words the lexicon lacks, discovered in text without supervision.
 *
 * Policy language coins words (链主, 专精特新, 碳达峰, 新质生产力) faster than
 * any dictionary lists them, and the segmenter breaks a word it does not know
 * into single characters. This tool finds them in a collection the way the
 * word counts are found (tools/word_counts.c): from the text alone, with no
 * segmentation gold and no list of words.
 *
 *   new_words [-m MIN_COUNT] [-M MIN_LONG] [-l MAX_LEN] [-p MIN_PMI]
 *             [-e MIN_ENTROPY] [-b BOUND] [-s MIN_SHARE] [-o FILE] FILE...
 *
 * 1. Statistics. Every string of 2 to MAX_LEN (default 7) Chinese characters
 *    seen MIN_COUNT times or more (default 5) is counted, level by level (a
 *    string is counted only where both its shorter parts are frequent, which
 *    loses no frequent string), with the characters before and after each
 *    occurrence (punctuation and the ends of a line count as a new neighbour
 *    each time, a boundary; digits and Chinese numerals count as one
 *    neighbour, a number). The analyzer segments the text once without new
 *    words, to learn how often it leaves each character alone.
 * 2. Candidates. A string is a candidate when its characters hold together,
 *    its pointwise mutual information at its weakest split being MIN_PMI nats
 *    or more (default 0.5: more often together than by chance; 链主 is 0.6,
 *    made of two common characters, 碳达峰 8.9), and when it combines freely
 *    at both ends, the entropy of the characters before it and of those after
 *    it being MIN_ENTROPY nats or more each (default 1): a piece of a longer
 *    word (专精特 of 专精特新) has few neighbours. And it must be a string the
 *    segmenter breaks: one it makes into words of two characters or more
 *    (现役 军官; the national standard makes them two words, and a coinage may
 *    be) is none, nor one it cuts into two such words and single characters
 *    (风景 名胜 区: a compound), nor a word of the lexicon, nor one that ends
 *    in a particle (的, 了, 着), begins with 的 or holds one the segmenter
 *    leaves alone, which the standard makes words of their own. A stop word
 *    of the lexicon at an edge makes a phrase (比 上年, 得 益于) unless the
 *    rest is bound to it, seldom seen without it and not free on that side
 *    (小巨人: 巨人 always follows 小). Two characters need one that the
 *    segmenter leaves alone in fewer than BOUND (default 0.1) of its
 *    occurrences: two that are words by themselves make a phrase (都 要, 更
 *    大), a bound one makes a coinage (链主: 主 is alone in 1% of its
 *    occurrences). A longer string cut into words and single characters (服
 *    现役, 担任 军 级), more often a phrase of the standard than one cut into
 *    single characters only (碳 达 峰, 智 改 数 转), must be seen MIN_LONG
 *    times (default 50); one seen less waits (see 3). A string set off
 *    whole in quotation marks MIN_COUNT times or more (“最多跑一次”,
 *    “多规合一”) is a unit to its writers: it
 *    needs neither the cohesion nor MIN_LONG, and is no compound of other
 *    candidates (“跨省通办”: 跨省 and 通办).
 * 3. Confirmation. The candidates join the lexicon with their counts (which
 *    prices each 3 nats above its count, lexicon.h), and the analyzer
 *    segments the text again, its granularity rules included; a candidate
 *    stays when the segmenter takes it as a word in at least MIN_SHARE
 *    (default 0.5) of the places it occurs, not counting those where it is
 *    the stem of a longer new word it took (数智 of 数智化), and MIN_COUNT
 *    times or more. Pass after pass (Viterbi EM), each with the counts the
 *    pass before took: two passes with the lexicon's own counts, then the
 *    lexicon's words are counted again too, so that a word whose occurrences
 *    the new words took loses the weight it had there (长制: 256 times in
 *    河 长制, 湖 长制, 林 长制 ... before those were words, 39 after). The
 *    model has then changed, so the candidates dropped so far are judged
 *    again, at what they took, beside the waiting strings whose cut holds
 *    only such words, each crossing a candidate inside the string (链 长制 of
 *    链长制: 长制 lost most of its share, and crosses 链长); such a cut says
 *    nothing of a phrase. Passes go on until one drops nothing (at most six).
 *
 * The thresholds were set by the principles above and checked on PKU's test
 * F and OOV recall (tools/README.md, New words), as the segmenter's constants
 * were; no gold segmentation and no list of words went into the words.
 *
 * Output: "word TAB count" lines, most frequent first, as the lexicon's new
 * words file (ws_lexicon_load_new_words) reads them; a count is how often the
 * segmenter took the word, scaled to the token total of the word counts it
 * re-estimated, so that a small collection's words weigh as much as they
 * should. Each FILE is JSON lines as tools/import_*.py write them (title and
 * body; articles beside their whole law are skipped) or plain text. It
 * starts from the built-in word counts or $WENSUO_WORD_COUNTS, which should
 * be tools/word_counts' without new words; $WENSUO_USER_DICT and the
 * built-in new words are not used. The lexicon's counts to use with the new
 * words are then made again with them: tools/word_counts -n.
 *
 * The parts: the text read (new_words_text.c), step 1's counts
 * (new_words_grams.c), step 2's rules (new_words_rules.c), the candidates
 * (new_words_cands.c) and step 3 (new_words_confirmation.c); what they share
 * is in new_words.h. This file is the command line and the order of the steps. */
#include "new_words.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "analyzer.h"
#include "collection.h"
#include "lexicon.h"
#include "new_words_cands.h"
#include "new_words_confirmation.h"
#include "new_words_grams.h"
#include "new_words_rules.h"
#include "new_words_text.h"

_Noreturn void ws_new_words_die(const char *what)
{
    fprintf(stderr, "new_words: %s\n", what);
    exit(1);
}

void *ws_new_words_realloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        ws_new_words_die("out of memory");
    return p;
}

ws_analyzer *ws_new_words_open_analyzer(ws_lexicon **lex)
{
    char err[1024];
    ws_analyzer *an;
    if (ws_lexicon_open_default(NULL, NULL, lex, err, sizeof err) != WS_OK)
        ws_new_words_die(err);
    if (ws_analyzer_new(*lex, &an) != WS_OK)
        ws_new_words_die("cannot make an analyzer");
    return an;
}

static void usage(void)
{
    fputs("usage: new_words [-m MIN_COUNT] [-M MIN_LONG] [-l MAX_LEN] [-p MIN_PMI]\n"
          "                 [-e MIN_ENTROPY] [-b BOUND] [-s MIN_SHARE] [-v] [-t FILE] [-o FILE]\n"
          "                 FILE...\n"
          "  -m  least occurrences of a word (default 5)\n"
          "  -M  least occurrences of a longer word cut into words and characters (default 50)\n"
          "  -b  a two-character word needs a character left alone in fewer than this share\n"
          "      of its occurrences (default 0.1)\n"
          "  -l  longest word, in characters (default 7, at most 12)\n"
          "  -p  least mutual information at the weakest split, nats (default 0.5)\n"
          "  -e  least entropy of the neighbours on each side, nats (default 1)\n"
          "  -s  least share of its occurrences the segmenter takes as a word (default 0.5)\n"
          "  -v  list every candidate with its figures on standard error\n"
          "  -t  print the figures of the strings listed in this file on standard error\n"
          "  -o  the new words file (default: standard output)\n",
          stderr);
    exit(2);
}

/* Reads the command line into st; the index in argv of the first file.
 * Exits with the usage on a bad one. */
static int read_args(int argc, char **argv, settings *st)
{
    int opt;
    while ((opt = getopt(argc, argv, "m:M:l:p:e:b:s:o:t:v")) != -1) {
        if (opt == 'm')
            st->min = strtoul(optarg, NULL, 10);
        else if (opt == 'M')
            st->min_long = strtoul(optarg, NULL, 10);
        else if (opt == 'b')
            st->bound = atof(optarg);
        else if (opt == 'l')
            st->maxlen = atoi(optarg);
        else if (opt == 'p')
            st->min_pmi = atof(optarg);
        else if (opt == 'e')
            st->min_h = atof(optarg);
        else if (opt == 's')
            st->min_share = atof(optarg);
        else if (opt == 'o')
            st->out = optarg;

        else if (opt == 'v')
            st->verbose = 1;
        else if (opt == 't')
            st->trace_file = optarg;
        else
            usage();
    }
    if (optind >= argc || st->min < 2 || st->maxlen < 2 || st->maxlen > MAX_LEN)
        usage();
    return optind;
}

int main(int argc, char **argv)
{
    settings st = {.min = 5,
                   .min_long = 50,
                   .bound = 0.1,
                   .min_pmi = 0.5,
                   .min_h = 1.0,
                   .min_share = 0.5,
                   .maxlen = 7,
                   .out = "/dev/stdout"};
    int first = read_args(argc, argv, &st);
    /* The result depends on the lexicon, the word counts and the text alone. */
    unsetenv("WENSUO_USER_DICT");
    setenv("WENSUO_NEW_WORDS", "", 1);

    ws_lexicon *lex;
    ws_analyzer *an = ws_new_words_open_analyzer(&lex);
    text x = {0};
    ws_text_push(&x, SEP);
    reading rd = {&x, an};
    for (int i = first; i < argc; i++)
        if (ws_collection_read(argv[i], ws_text_add, &rd) != 0)
            exit(1);
    if (x.n > UINT32_MAX - 16)
        ws_new_words_die("more than 4 billion characters");
    for (int i = 0; i < MAX_LEN + 2; i++)
        ws_text_push(&x, SEP);
    fprintf(stderr, "new_words: %zu texts, %zu characters\n", x.nraw ? x.nraw - 1 : 0, x.n);

    level levels[MAX_LEN + 2];
    double chars = ws_grams_count(&x, &st, levels);
    if (st.trace_file)
        ws_rules_trace(st.trace_file, x.t, levels, st.maxlen, chars);
    cands c = {0}, pending = {0};
    ws_rules_pick(&x, &st, levels, chars, lex, an, &c, &pending);
    for (int k = 1; k <= st.maxlen + 1; k++) {
        free(levels[k].g);
        free(levels[k].slot);
    }
    ws_analyzer_free(an);
    ws_lexicon_free(lex);
    free(x.t);

    char header[4096], files[2048];
    ws_collection_names(files, sizeof files, argv + first, argc - first);
    uint64_t total = 0;
    double scale = ws_confirmation_run(&x, &st, &c, &pending, &total);
    free(pending.c);
    qsort(c.c, c.n, sizeof *c.c, ws_cands_by_taken);
    snprintf(header, sizeof header,
             "# New words for Wensuo's segmenter (lexicon.h), by tools/new_words -m %lu -M %lu\n"
             "# -l %d -p %g -e %g -b %g -s %g over %zu texts (%zu characters): %zu words.\n"
             "# Counts are the segmenter's, scaled to the %llu tokens of the word counts it\n"
             "# re-estimated with them (Viterbi EM).\n"
             "# From:%s\n",
             st.min, st.min_long, st.maxlen, st.min_pmi, st.min_h, st.bound, st.min_share,
             x.nraw ? x.nraw - 1 : 0, x.n, c.n, (unsigned long long)total, files);
    ws_cands_write(&c, st.out, scale, header);
    fprintf(stderr, "new_words: %zu words written to %s\n", c.n, st.out);
    free(c.c);
    free(x.raw);
    free(x.roff);
    return 0;
}
