/* lexicon.h - the words the segmenter knows.
 *
 * Words are kept normalized (normalize.h) as code point sequences in an open
 * addressing hash table. The default lexicon is Debian's friso-dict (about
 * 170,000 words, Apache-2.0) plus its stop word and unit lists; a user
 * dictionary (one word a line, '#' comments) extends it at run time, so that a
 * researcher's domain words (新质生产力, 链主) take effect without a rebuild.
 * Word counts (ws_lexicon_load_counts) give the words a cost, -ln P(word) of a
 * unigram model, that the segmenter's cheapest path adds up; friso-dict has no
 * word frequencies, so indexer/data/word_counts.tsv estimates them from the shared
 * corpus (tools/word_counts.c).
 * A lexicon is read-only once loaded and may be shared by any number of
 * analyzers in any number of threads. */
#ifndef WS_LEXICON_H
#define WS_LEXICON_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_LEX_MAX_WORD 16          /* code points; longer lines in a dictionary are skipped */
#define WS_LEX_MAX_FILE (64u << 20) /* a word list (a user dictionary) of at most */

enum {
    WS_LEX_WORD = 1, /* a word */
    WS_LEX_STOP = 2, /* a stop word: kept out of the words a query requires */
    WS_LEX_UNIT = 4, /* a unit that joins a number before it (公顷, 亩, 年) */
    WS_LEX_USER = 8, /* from a user dictionary */
    /* characters of Chinese person names (friso's name lists) */
    WS_LEX_SURNAME = 16, /* a surname: 王, 李 */
    WS_LEX_GIVEN1 = 32,  /* the first character of a two-character given name: 建, 小 */
    WS_LEX_GIVEN2 = 64,  /* its second character: 华, 平 */
    /* a new word (ws_lexicon_load_new_words): found after the word vectors
     * were learned, which saw the text cut into its parts (vectors.h) */
    WS_LEX_NEW = 128,
};

typedef struct ws_lexicon ws_lexicon;

/* A new empty lexicon in *out; free with ws_lexicon_free(). */
ws_status ws_lexicon_new(ws_lexicon **out);
void ws_lexicon_free(ws_lexicon *lex);

/* Adds the words of one UTF-8 file, one word a line (text after the first '/',
 * space or tab is ignored; friso's "word/null/freq" lines give a frequency),
 * with the given flags. WS_ENOTFOUND when the file cannot be opened. */
ws_status ws_lexicon_load_file(ws_lexicon *lex, const char *path, unsigned flags);

/* Reads word counts, one "word TAB count" a line ('#' comments), as
 * tools/word_counts writes them. Each word of the lexicon that the file lists
 * gets the cost 100 ln(total / count), in hundredths of a nat, total being the
 * sum of the file's counts; words the lexicon lacks count in the total but are
 * not added. A second file replaces the total and the costs of the words it
 * lists. WS_ENOTFOUND when the file cannot be opened, WS_EINVAL when it holds
 * no count, WS_EIO when reading fails. */
ws_status ws_lexicon_load_counts(ws_lexicon *lex, const char *path);

/* Reads new words, one "word TAB count" a line ('#' comments), as
 * tools/new_words writes them: words the dictionaries lack, found in a
 * collection. Each becomes a word of the lexicon; one that the word counts did
 * not list gets the cost 100 ln(total / count), total being the counts' (so
 * load the counts first; without counts it costs what any word does). *nwords
 * gets how many of the file's words were not words of the lexicon before. A
 * line that is not a word of 2 to WS_LEX_MAX_WORD Chinese characters, a tab
 * and a positive count refuses the whole file: WS_EINVAL, the lexicon
 * unchanged, and errbuf names the file, the line and what is wrong.
 * WS_ENOTFOUND when the file cannot be opened, WS_EIO when reading fails. */
ws_status ws_lexicon_load_new_words(ws_lexicon *lex, const char *path, size_t *nwords, char *errbuf,
                                    size_t errlen);

/* Adds one word (UTF-8) with flags. */
ws_status ws_lexicon_add(ws_lexicon *lex, const char *word, size_t len, unsigned flags);

/* The default lexicon: friso-dict from dir (NULL: the built-in Debian path,
 * or $WENSUO_DICT_DIR) with its name lists (WS_LEX_SURNAME ...), then the word counts
 * ($WENSUO_WORD_COUNTS if set, an empty value meaning none; else the built-in
 * indexer/data/word_counts.tsv of the source tree, skipped when absent), then
 * the new words the same way ($WENSUO_NEW_WORDS, else the built-in
 * indexer/data/new_words.tsv), then user_dict if not NULL
 * (or $WENSUO_USER_DICT). The caller owns *out. On failure *out is NULL and errbuf says why. */
ws_status ws_lexicon_open_default(const char *dir, const char *user_dict, ws_lexicon **out,
                                  char *errbuf, size_t errlen);

/* The word vectors that ws_lexicon_open_default loaded ($WENSUO_VECTORS if
 * set, an empty value meaning none; else the built-in indexer/data/vectors.bin,
 * skipped when absent), owned by the lexicon; NULL for none. */
struct ws_vectors;
const struct ws_vectors *ws_lexicon_vectors(const ws_lexicon *lex);

/* One file the lexicon was made from, and how many words it gave: for the
 * dictionaries and new words, the words it added that no file before had; for
 * the word counts, the words that got a cost. */
typedef struct ws_lexicon_source {
    const char *path; /* owned by the lexicon */
    const char *kind; /* "dictionary", "stop words", "names", "word counts", "new words",
                         "user dictionary" */
    size_t words;
} ws_lexicon_source;

/* The files the lexicon was loaded from, in order: *n of them at *out, owned
 * by the lexicon. */
void ws_lexicon_sources(const ws_lexicon *lex, const ws_lexicon_source **out, size_t *n);

/* Flags of the word cps[0..n) (0 when unknown; 0x8000 alone when it is only
 * the beginning of longer words); *freq gets its frequency when
 * the dictionary gave one (else 0). */
unsigned ws_lexicon_lookup(const ws_lexicon *lex, const uint32_t *cps, int n, uint32_t *freq);

/* ws_lexicon_lookup, with *cost the word's cost from the counts (0 when the
 * file did not list it or none was loaded). */
unsigned ws_lexicon_lookup_cost(const ws_lexicon *lex, const uint32_t *cps, int n, int32_t *cost);

/* The sum of the counts loaded, 0 when none were: the segmenter then uses its
 * fixed costs. */
uint64_t ws_lexicon_counts_total(const ws_lexicon *lex);

/* The length in code points of the longest word. */
int ws_lexicon_max_len(const ws_lexicon *lex);

/* Number of words. */
size_t ws_lexicon_size(const ws_lexicon *lex);

#ifdef __cplusplus
}
#endif
#endif
