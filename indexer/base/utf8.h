/* utf8.h - the one UTF-8 codec: what is well-formed, decoding, encoding.
 *
 * Well-formed is RFC 3629's: no overlong forms, no surrogates, nothing past
 * U+10FFFF. The readers use it to tell UTF-8 from GB18030, the daemon to
 * refuse requests that are not UTF-8, the analyzer to walk text. */
#ifndef WS_UTF8_H
#define WS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The length (1..4) of the well-formed sequence at s[0..len), len >= 1; 0
 * when it is broken or cut off. */
size_t ws_utf8_seq(const unsigned char *s, size_t len);

/* 1 when s[0..len) is well-formed UTF-8 throughout (NUL bytes included). */
int ws_utf8_valid(const char *s, size_t len);

/* Decodes one code point from s (len >= 1 bytes) into *cp and returns its
 * byte length (1..4); a broken or cut-off sequence gives U+FFFD and 1. */
int ws_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* The width of the white space that starts s[0..n) (ASCII space, tab, line
 * feed, carriage return, form feed, vertical tab, and Unicode's other
 * spaces: U+00A0, U+1680, U+2000..U+200A, U+202F, U+205F, U+3000), 0 for
 * none; and of the white space that ends it. The one rule of what is a
 * space for trimming titles, splitting queries and reading citations. */
size_t ws_utf8_space_at(const char *s, size_t n);
size_t ws_utf8_space_before(const char *s, size_t n);

/* The start of the character before byte i of s (0 at the start), and of
 * the one after the character at i (len at the end): steps over
 * continuation bytes, for text known to be UTF-8. */
size_t ws_utf8_prev(const char *s, size_t i);
size_t ws_utf8_next(const char *s, size_t len, size_t i);

/* The code point of s[0..len) that starts at byte i, 0 at or past len. */
uint32_t ws_utf8_cp_at(const char *s, size_t len, size_t i);

/* The code points of s[0..len), counted as the bytes that are not
 * continuation bytes (10xxxxxx): a text known to be UTF-8, or one read as
 * U+FFFD per broken byte, counts right. Eight bytes at a time, since the
 * instruments count the characters of whole documents to place matches. */
size_t ws_utf8_count(const char *s, size_t len);

/* The length of s[0..n) cut to at most max bytes at a character's start,
 * so that a value quoted in a message is not cut inside a character. */
size_t ws_utf8_clip(const char *s, size_t n, size_t max);

/* The first place of needle[0..m) in s[0..len), as memmem, or NULL. In
 * Chinese text the first byte of a character is one of a few (E4 to E9
 * hold most of it), which memmem stops at and tries character after
 * character; the needle's last byte, a continuation byte there, is one of
 * 64 and stops memchr at about one character in a hundred; with SSE2 the
 * places where both its second and its last byte stand (two continuation
 * bytes) are found 16 at a time, about one in ten thousand. The rest is
 * compared. A needle over
 * WS_UTF8_FIND_SHORT bytes goes to memmem, whose time is linear whatever
 * the text. */
#define WS_UTF8_FIND_SHORT 32
const char *ws_utf8_find(const char *s, size_t len, const char *needle, size_t m);

/* 1 for the white space a space of ws_utf8_match_spaced matches: ' ', tab,
 * CR, VT, FF; not a line break, which the analyzer keeps only where it
 * ends a paragraph, and which no phrase spans. */
int ws_utf8_blank(char c);

/* The end of a match of needle[0..m) at s[b..len), each space of the
 * needle matching a run of ws_utf8_blank (as a quoted phrase's space stands
 * for any white space between its words: searcher/query/plan.h); 0 when it
 * does not match there. */
size_t ws_utf8_match_spaced(const char *s, size_t len, size_t b, const char *needle, size_t m);

/* The first place in s[0..len) where needle[0..m) stands, its spaces
 * matching as ws_utf8_match_spaced says, with the bytes it covers in
 * *covers; NULL when there is none. What the concordance's patterns and the
 * snippets' marks are found by. */
const char *ws_utf8_find_spaced(const char *s, size_t len, const char *needle, size_t m,
                                size_t *covers);

/* Encodes cp into buf (at least 4 bytes) and returns its byte length. */
int ws_utf8_encode(uint32_t cp, char *buf);

#ifdef __cplusplus
}
#endif
#endif
