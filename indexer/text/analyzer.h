/* analyzer.h - the one text analysis pipeline, for documents and queries alike.
 *
 *   1. decode UTF-8 (broken bytes become U+FFFD, never a crash);
 *   2. normalize each code point (normalize.h: NFKC case fold, Traditional ->
 *      Simplified), keeping the input byte range of each;
 *   3. join line breaks that print put inside a CJK word (园区用\n地面积), when
 *      WS_ANALYZE_JOIN_LINES is set; a blank line still ends a paragraph, and a
 *      break between two Latin words stays a space;
 *   4. break words with ICU (ubrk word, locale zh); each run of CJK is then
 *      segmented again over the lexicon (lexicon.h) by the cheapest path
 *      through every lexicon word, ICU's own words and numerals;
 *   5. join mixed tokens (COVID-19, 949.21公顷, 2.5万亩, 2024年) into
 *      compounds, emitted before the parts they cover.
 *
 * Tokens come with their byte range in the input and a position: every CJK
 * character, Latin word and punctuation mark takes one position, so that
 * character n-grams and words share one position space (termgen.h); a
 * paragraph break takes one too, and so does white space (or anything no
 * token holds) between two tokens of a chunk, so that no pair or phrase
 * spans it: 网络安 全 holds no 网络安全 for /search, as for the concordance,
 * which finds the text (an index made before 2026-12-03's evening put
 * spaced tokens at consecutive positions: re-index it). */
#ifndef WS_ANALYZER_H
#define WS_ANALYZER_H

#include <stddef.h>
#include <stdint.h>
#include "lexicon.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ws_token_kind {
    WS_TOKEN_HAN = 1,      /* a CJK word */
    WS_TOKEN_ALNUM = 2,    /* a Latin word, number, or other alphabetic word */
    WS_TOKEN_PUNCT = 3,    /* one punctuation mark or symbol */
    WS_TOKEN_COMPOUND = 4, /* a mixed token covering the tokens after it */
} ws_token_kind;

typedef struct ws_token {
    const char *text; /* normalized UTF-8, NUL-terminated; valid during the callback */
    size_t len;       /* bytes of text */
    size_t start;     /* byte range [start, end) of the input it comes from */
    size_t end;
    uint32_t pos;    /* position of its first character */
    uint32_t nchars; /* code points of text (positions a HAN token spans) */
    ws_token_kind kind;
    unsigned lexflags; /* lexicon flags of the word (WS_LEX_STOP, ...) */
    unsigned parts;    /* for a compound: how many following tokens it covers */
    int spaced;        /* 1 when the text as analyzed (steps 1-3) has something
                          between it and the token before (white space, a
                          paragraph break); it is a position further on,
                          but at the start of a chunk; 2 when that position
                          (pos - 1) is white space's, not a break's */
} ws_token;

/* Return WS_OK to go on, anything else stops the run and is returned by it. */
typedef ws_status (*ws_token_cb)(void *ctx, const ws_token *tok);

enum {
    WS_ANALYZE_JOIN_LINES = 1, /* step 3 (documents; queries are one line anyway) */
    /* a Latin or number token over WS_TOKEN_MAX_BYTES, which a document's
     * analysis drops (no term is made of it), stops the run with
     * WS_ETOOBIG: a query that holds one would otherwise be answered as if
     * it did not, matching documents without it */
    WS_ANALYZE_REFUSE_LONG = 2,
};

/* Step 3's rule: 1 when a single line break between the code points before
 * and after it is one print made inside a word, and is dropped (a Han
 * character on either side, or digits on both); 0 when it stands for a
 * space. The .txt reader joins a wrapped title by the same rule. */
int ws_analyzer_joins_break(uint32_t before, uint32_t after);

/* Whether the run of line breaks and white space that starts at the '\n'
 * or '\r' text[at] (raw text, UTF-8, len bytes) is one that step 3 drops:
 * a single line break between two characters it joins (the code points
 * before and after the run, normalized); *next gets the offset past the
 * run. What the snippets and the concordance's lines show as nothing, as
 * the normalized text has nothing there. */
int ws_analyzer_break_joined(const char *text, size_t len, size_t at, size_t *next);

/* 1 for a mark whose run (——, ……, which NFKC makes ......, --, ==) step 4
 * makes one token: a phrase may hold part of such a run at its ends. */
int ws_analyzer_mark_runs(uint32_t cp);

/* Whether cp belongs with the character before it, as one character to a
 * reader (a combining accent, a spacing mark, a zero width joiner: ICU's
 * grapheme cluster break Extend, SpacingMark or ZWJ), so that a context cut
 * between them would show the mark alone. */
int ws_analyzer_extends(uint32_t cp);

/* Whether cp ends a sentence: 。！？；!? and ;, ｡ (NFKC makes the full-width
 * marks ASCII, so a normalized text has !?; for them). */
int ws_analyzer_ends_sentence(uint32_t cp);

/* The offset just past the first mark of ws_analyzer_ends_sentence that
 * starts in text[from, before) (text UTF-8, len bytes), or SIZE_MAX when
 * none does. Each such mark is ASCII or starts with the byte E3 or EF, so
 * only those bytes are decoded: a proximity by sentence looks for the ends
 * of every sentence in every candidate document. */
size_t ws_analyzer_sentence_end(const char *text, size_t len, size_t from, size_t before);

/* Whether the run of line breaks (and white space) that starts at the '\n'
 * or '\r' text[at] ends a paragraph; *next gets the offset past the run. A
 * blank line does (step 3 keeps it as a paragraph break), and so do the end
 * of the text, a break before an indented line (a full-width space, a tab
 * or two spaces: how Chinese print begins a paragraph) and a single break
 * after the end of a sentence (a closing
 * quote or bracket after it allowed: 。” ), however step 3 reads it
 * (news write one paragraph a line, and a line ending 。 before a Han
 * character is joined there, which changes nothing for a phrase, as the 。
 * already parts the words); any other single break is a wrap of print
 * (joined inside CJK text or a number, a space between Latin words) and
 * ends nothing. The proximity operators read paragraphs so. */
int ws_analyzer_paragraph_end(const char *text, size_t len, size_t at, size_t *next);

/* Where the paragraphs of text[0..len) start after its first, as byte
 * offsets of its normalized text (nlen bytes, map as ws_analyzer_normalize
 * gives them, with WS_ANALYZE_JOIN_LINES): for each run of line breaks that
 * ends a paragraph (ws_analyzer_paragraph_end), the first normalized byte
 * that comes from the input past it; rising, each once, into a new array
 * *out (the caller frees; NULL when none) of *n. A break that ends a
 * paragraph may be joined away in the normalized text (a single break after
 * 。 before a Han character), so the proximity operators take their
 * paragraphs from here. WS_ENOMEM. */
ws_status ws_analyzer_paragraph_starts(const char *text, size_t len, const size_t *map, size_t nlen,
                                       size_t **out, size_t *n);

/* Input limits: larger input is analyzed in chunks cut at line breaks. */
#define WS_ANALYZE_CHUNK (64u * 1024u)
/* Longer Latin and number tokens are dropped (WS_ANALYZE_REFUSE_LONG). */
#define WS_TOKEN_MAX_BYTES 64

typedef struct ws_analyzer ws_analyzer;

/* A new analyzer over lex, which must outlive it. An analyzer holds ICU state
 * and buffers: use one per thread. */
ws_status ws_analyzer_new(const ws_lexicon *lex, ws_analyzer **out);
void ws_analyzer_free(ws_analyzer *a);

/* Analyzes text[0..len); positions start at *pos and *pos is advanced past
 * the last one. */
ws_status ws_analyzer_run(ws_analyzer *a, const char *text, size_t len, unsigned flags,
                          uint32_t *pos, ws_token_cb cb, void *ctx);

/* The text as the analyzer sees it before breaking words (steps 1-3): a new
 * NUL-terminated UTF-8 string in *out (caller frees) and, in *map (caller
 * frees), for each of its bytes and one past the end, the input byte offset
 * it comes from. Snippets search it for the query's words. */
ws_status ws_analyzer_normalize(ws_analyzer *a, const char *text, size_t len, unsigned flags,
                                char **out, size_t *out_len, size_t **map);

/* Where in text[0..len) the match [b, e) of its normalized form norm ends,
 * map being ws_analyzer_normalize's: after the input character that the
 * match's last character comes from (not at the next one, which may lie past
 * a dropped line break). */
size_t ws_analyzer_source_end(const char *text, size_t len, const char *norm, const size_t *map,
                              size_t b, size_t e);

/* The lexicon the analyzer uses. */
const ws_lexicon *ws_analyzer_lexicon(const ws_analyzer *a);

#ifdef __cplusplus
}
#endif
#endif
