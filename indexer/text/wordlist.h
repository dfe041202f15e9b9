/* wordlist.h - a document's words in order, with the text they stand in,
 * as the counting instruments read them: stored with each document
 * (schema.h's WS_SLOT_WORDS), so that counting the words around the
 * matches (searcher/search/collocates.h) reads neither the stored JSON
 * (decoded, and inflated by Xapian) nor the analyzer again (ICU's breaks
 * and the lexicon's segmentation), which were four fifths of its cost.
 *
 * A field's list is its text as the analyzer normalizes it (steps 1-3 of
 * analyzer.h, hard wraps joined: the text ws_analyzer_normalize gives,
 * where occurrence.h finds a query's patterns) and its words: every token
 * but punctuation and the parts of a compound (the compound stands for
 * them, as `wensuo analyze` prints it), each as its byte range of that text
 * and whether the lexicon calls it a stop word. A word's text is that
 * range: the builder checks that it is the token's, and where one is not
 * (no known input does this), it makes no list, so that the instruments
 * read the stored text instead.
 *
 * A list also holds where the field's paragraphs start in that text (the
 * proximity operators' units: a line break that ends one may be joined
 * away in the normalized text, a single break after 。 before a Han
 * character).
 *
 * The value: "W1", then for the title and then the body: the text's length
 * (a varint) and its bytes; the number of words (a varint), and for each
 * word the bytes from the previous word's end to its start and its length
 * times 2 plus 1 for a stop word (two varints); the number of paragraph
 * starts (a varint), and for each the bytes from the one before (a
 * varint). About 2 bytes a word. */
#ifndef WS_WORDLIST_H
#define WS_WORDLIST_H

#include <stddef.h>
#include "analyzer.h"
#include "lexicon.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Whether the lexicon calls t a stop word: a CJK word by its own flags,
 * any other by looking it up. */
int ws_wordlist_is_stop(const ws_lexicon *lex, const ws_token *t);

/* Whether token t (of an analysis with WS_ANALYZE_JOIN_LINES, passed in
 * order) is a word of the list: not punctuation, and not a part of a token
 * before it (a compound's parts, the second token of a character that
 * normalizes to two), which *covered (0 at a field's start: the input
 * offset the tokens so far reach) tells and is moved on. */
int ws_wordlist_takes(size_t *covered, const ws_token *t);

/* ---- building a document's value ---- */

typedef struct ws_wordlist ws_wordlist;

/* A new builder into *out (free with ws_wordlist_free; NULL is allowed),
 * for one thread at a time. WS_ENOMEM. */
ws_status ws_wordlist_new(const ws_lexicon *lex, ws_wordlist **out);
void ws_wordlist_free(ws_wordlist *w);

/* Begins a field (the title first, then the body, each once; a field
 * not begun is empty): normalizes text[0..len) with a, which is not kept.
 * The first call after ws_wordlist_value starts a new value; a third
 * field is WS_EINVAL. WS_ENOMEM. */
ws_status ws_wordlist_begin(ws_wordlist *w, ws_analyzer *a, const char *text, size_t len);

/* Adds token t of the field begun, as the analyzer gives it over the same
 * text with WS_ANALYZE_JOIN_LINES (termgen.h's WS_TERMGEN_TOKENS passes
 * them). */
ws_status ws_wordlist_token(ws_wordlist *w, const ws_token *t);

/* The value of the fields begun since the last call into *out (w's,
 * valid until the next call on w) and *len; *out NULL when a word could
 * not be placed in its text (no list for this document). WS_ENOMEM. */
ws_status ws_wordlist_value(ws_wordlist *w, const char **out, size_t *len);

/* ---- reading one ---- */

/* A field of a value: text[0..len), its nwords words encoded in
 * words[0..wlen) and its npara paragraph starts in paras[0..plen),
 * pointing into the value. */
typedef struct ws_wordfield {
    const char *text;
    size_t len;
    const unsigned char *words;
    size_t wlen, nwords;
    const unsigned char *paras;
    size_t plen, npara;
} ws_wordfield;

/* Splits the value v[0..len) into its title f[0] and body f[1], checking
 * every paragraph start against its text; its words are found (where its
 * paragraph starts begin) but checked only when ws_wordfield_words reads
 * them, since finding a query's occurrences needs only the text and the
 * paragraphs, and the instruments that count those read most lists.
 * WS_ECORRUPT when it is not one. */
ws_status ws_wordlist_decode(const char *v, size_t len, ws_wordfield f[2]);

/* One word: [start, end) bytes of its field's text. */
typedef struct ws_word {
    size_t start, end;
    int stop;
} ws_word;

/* The words of f (decoded by ws_wordlist_decode) into *words (room for
 * *cap, grown with realloc; the caller frees), *n of them. WS_ECORRUPT
 * when one runs past the text (a damaged value: read the document's text
 * instead), WS_ENOMEM. */
ws_status ws_wordfield_words(const ws_wordfield *f, ws_word **words, size_t *cap, size_t *n);

/* ---- the words around some places only ---- */

/* A walk along f's words (decoded by ws_wordlist_decode) that reads the
 * words near the places asked and steps over the others four at a time
 * (a block of eight one-byte varints, summed without reading each word):
 * counting the words within a few words of a term's occurrences needs a
 * fifth of a field's words, and decoding every one was a quarter of
 * counting collocates. f must outlive the walk. */
typedef struct ws_wordwalk {
    const ws_wordfield *f;
    const unsigned char *p; /* the next word's varints */
    size_t at;              /* where the last word read or stepped over ends */
    size_t k;               /* words read or stepped over */
} ws_wordwalk;

/* The most words ws_wordwalk_seek keeps before a place; asked for more, it
 * steps over nothing. */
#define WS_WORDWALK_MAX_MORE 64

void ws_wordwalk_init(ws_wordwalk *w, const ws_wordfield *f);

/* Steps over words that end by byte `at` of the text, keeping at least the
 * last `more` of them to read (or all, when there are fewer): the first
 * word read next is then at least `more` words before the first word that
 * ends past `at`. Never goes back. Returns 1 when it stepped over a word
 * (the next word read does not follow the last one read), else 0. The
 * words stepped over are not checked: a damaged list may be found only
 * by ws_wordwalk_next. */
int ws_wordwalk_seek(ws_wordwalk *w, size_t at, size_t more);

/* The next word into *out, its index w->k - 1: WS_OK, WS_ENOTFOUND past
 * the last word, WS_ECORRUPT when it runs past the text or the words end
 * before their bytes do (a damaged value). */
ws_status ws_wordwalk_next(ws_wordwalk *w, ws_word *out);

/* The paragraph starts of f (as ws_analyzer_paragraph_starts gave them) into
 * *at (room for *cap, grown with realloc; the caller frees), *n of them.
 * WS_ENOMEM. */
ws_status ws_wordfield_paragraphs(const ws_wordfield *f, size_t **at, size_t *cap, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
