/* normalize.h - what one code point becomes before segmentation.
 *
 * NFKC with case folding (ＡＢＣ１２３ -> abc123, full-width punctuation to its
 * ASCII form), then Traditional -> Simplified (國 -> 国), one code point at a
 * time so that every output character keeps the byte range of the input
 * character it came from (exact highlighting); a code point with the ones
 * after it that compose with it (e + U+0301 -> é, ｶ + ﾞ -> ガ, Hangul jamo
 * -> a syllable) as one, their output taking the range of them all, so that
 * text NFKC calls equal is equal here. Built once per process from ICU into
 * a table; after ws_normalize_init() every function here is thread-safe. */
#ifndef WS_NORMALIZE_H
#define WS_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>
#include "status.h"
#include "utf8.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The longest output of one code point (U+FDFA gives 18). */
#define WS_NORM_MAX 32

/* Builds the table (about 20 ms, once per process; safe to call again). */
ws_status ws_normalize_init(void);

/* Writes the normalized form of cp into out and returns how many code points
 * it has (0: the code point is dropped, e.g. a soft hyphen). */
int ws_normalize_cp(uint32_t cp, uint32_t out[WS_NORM_MAX]);

/* Whether cp is one of the characters the Simplified standard writes in
 * their own right (著 乾 俱 吒 姊 藉 跤 阪 苎 菸) that ICU's
 * Traditional-Simplified folds and this normalization keeps (index format
 * 5; an index of format 4 or older holds them folded). */
int ws_normalize_kept(uint32_t cp);

/* cp, or for one of those characters what ICU folds it into (著 -> 着): the
 * key of a word in the lexicon and the word vectors, which were learned
 * from text folded so (显着 stands for 显著 there). */
uint32_t ws_normalize_lex_key(uint32_t cp);

/* The most code points normalized together (a base and what composes with
 * it); a longer run of combining marks is normalized a code point at a
 * time past it. */
#define WS_NORM_GROUP_MAX 8

/* The normalized form of the code point of s[0..len) at byte i and of those
 * after it that compose with it (at most WS_NORM_GROUP_MAX in all) into out;
 * *next gets the byte past them (it may be i's own next). Returns how many
 * code points out holds. What the analyzer and every other normalization
 * read text with. */
int ws_normalize_next(const char *s, size_t len, size_t i, size_t *next, uint32_t out[WS_NORM_MAX]);

/* 1 for a Han ideograph (CJK Unified Ideographs and extensions, compatibility
 * ideographs, 〇). */
int ws_char_is_han(uint32_t cp);

/* 1 for letters and digits outside Han, after normalization. */
int ws_char_is_alnum(uint32_t cp);

/* Whether the match [b, e) of the pattern pat[0..plen) in the normalized
 * text s[0..len) stands apart as the index keeps words: a pattern that
 * begins (ends) with a letter or digit of a word ICU keeps whole (Latin,
 * é too, Cyrillic, Greek, Hangul, ...: not Han, kana or the scripts ICU
 * breaks by a dictionary) has no such letter or digit just before (after)
 * it (ai is not in maid, café not in cafés, 국어 not in 한국어), and, unless
 * it is a run of letters and digits alone, no mark that ICU keeps inside a
 * word either (5% is not in 2.5%, 2024年 not in 120，2024年; but 5 is in
 * 2.5, as the index's runs find it). Other patterns always stand apart.
 * What /search finds, the concordance counts and the snippets mark. */
int ws_normalize_apart(const char *s, size_t len, size_t b, size_t e, const char *pat, size_t plen);

/* Normalizes a whole UTF-8 string (invalid bytes become U+FFFD) into a new
 * NUL-terminated UTF-8 string the caller frees. Used for lexicon words and
 * query terms; documents go through the analyzer, which keeps offsets. */
ws_status ws_normalize_utf8(const char *s, size_t len, char **out, size_t *out_len);

/* A document's type s[0..len) as the type: filter, the facets and the
 * trend by type key it, into a new string *out (the caller frees it) of
 * *out_len bytes: an ASCII type (all seen so far) in ASCII lower case, any
 * other normalized as ws_normalize_utf8 does (case folded, NFKC,
 * Traditional to Simplified), so that
 * News and news, ＮＥＷＳ and news, TYPÉ and typé are one type. WS_ENOMEM. */
ws_status ws_normalize_type(const char *s, size_t len, char **out, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
