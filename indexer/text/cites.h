/* cites.h - which documents a document cites, by the titles it names in
 * book-title marks (《民法典》), and the key under which others cite it.
 *
 * Chinese laws, regulations and policy texts name what they rest on by title:
 * 《中华人民共和国民法典》, 《政府工作报告》. How often a whole is cited by
 * other documents is a static rank, as links are for the web: a code that
 * many regulations cite is likelier to answer a layperson's question than a
 * local rule with the same words (measured in searcher/search/rerank.h).
 *
 * A key is the 64-bit xxHash of a title with a leading 中华人民共和国 (how
 * a national law is named in full; the short title is the same law) and the
 * spaces around it left out; never 0 (0 is "none"). */
#ifndef WS_CITES_H
#define WS_CITES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Distinct keys kept per document (titles and articles); the rest are not
 * counted. */
#define WS_CITES_MAX 256
/* The characters before "第N条" that may name a law without marks: the
 * endings of two up to this many (刑法, 民法典, 人民共和国刑法). */
#define WS_CITES_RUN 10
/* The largest article number read. */
#define WS_CITES_ARTICLE_MAX 100000
/* Bytes between 《 and 》 (60 CJK characters); a longer span is no title. */
#define WS_CITES_TITLE_MAX 180

/* The key under which others cite a document: of its whole's title. A part
 * of a whole (id "WHOLE#PART", as ws_schema_whole reads it) whose title ends
 * with a space and PART ("民法典 第五十四条", id "...#第五十四条") is cited
 * by the title before it; one whose title is PART alone, by none; any other
 * document by its title. 0 for none (no title, or spaces only). */
uint64_t ws_cites_key(const char *id, const char *title);

/* Adds to keys[*n..] (room for WS_CITES_MAX in all) the key of each title in
 * 《》 in text[0..len), leaving out self and keys already there. A mark that
 * opens again before closing starts over (《关于《民法典》的解释》 cites
 * 民法典 only). Returns how many keys there are now. */
size_t ws_cites_scan(const char *text, size_t len, uint64_t self, uint64_t *keys, size_t n);

/* The key under which others cite a part that is an article: of a document
 * whose id is "WHOLE#第N条" and whose title is the whole's title, a space
 * and that PART ("民法典 第五百七十七条"): the key of the whole's title
 * (as ws_cites_key) with the article number N. 0 for any other document. */
uint64_t ws_cites_article_key(const char *id, const char *title);

/* Adds to keys[*n..] the keys of the laws and articles that text[0..len)
 * cites by article: before each "第N条" (N in Chinese numerals or digits),
 * the title in 《》 just before it (《民法典》第五百七十七条), or without
 * marks the run of ideographs before it, when it ends as a law's name does
 * (in 法, 典, 例, 定, 释 or 则: 依照刑法第二百六十四条): the run's endings
 * of two characters or more up to WS_CITES_RUN, as the index cannot know
 * which of them names a law (依照刑法, 照刑法, 刑法: a key that names no
 * law is counted for none). Each title gives its whole's key and each
 * article's key; articles listed after the first (第五条第二款、第六条和
 * 第九条) are cited too; a range (第五条至第九条) cites its two ends.
 * "本法第五条" (this law) and keys of self (the citing document's whole)
 * are left out. Returns how many keys there are now, WS_CITES_MAX at most. */
size_t ws_cites_scan_articles(const char *text, size_t len, uint64_t self, uint64_t *keys,
                              size_t n);

#ifdef __cplusplus
}
#endif
#endif
