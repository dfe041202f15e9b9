/* schema.h - how documents are laid out in the index; read by the indexer and
 * the searcher alike, so that both speak of the same terms.
 *
 * Terms (after the prefix, always normalized text):
 *   ""  body word (CJK words of two or more characters: no positions; Latin
 *       words, numbers and compounds: positions)
 *   "U" body CJK character, at its position
 *   "B" body CJK character pair (no positions)
 *   "G" body gap: white space between two CJK characters
 *   "R" body run of two or three CJK words side by side (no positions)
 *   "P" body white space that took a position between two tokens, at it
 *   "Y" body punctuation mark or symbol, at its position
 *   "Z" body run of one mark, its first 1, 2, ... marks, at its position
 *   "S", "TU", "TB", "TG", "TR", "TP", "TY", "TZ": the same eight for the title
 *   "Q" id, "XSRC" source, "XTYPE" type (ws_schema_key_term), "XY" year:
 *       boolean filters
 *   "XHQ", "XHXSRC", "XHXTYPE": the same three for values too long for a
 *       term, shortened with a hash (ws_schema_key_term)
 *   "XC" + 16 hex digits: a whole or an article the document cites
 *       (cites.h), one term each, so that the term's frequency is how many
 *       documents cite it
 * Values: the slots below. Data: the document as JSON (document.h). */
#ifndef WS_SCHEMA_H
#define WS_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WS_PFX_WORD ""
#define WS_PFX_UNI  "U"
#define WS_PFX_BI   "B"
/* white space between two CJK characters, at the second's position
 * (termgen.h); added with no weight, so that it changes no ranking */
#define WS_PFX_GAP "G"

/* The term scheme's version, kept in every shard's metadata under
 * WS_FORMAT_KEY. 1 (no key): positions on the character pairs; 2:
 * positions on the characters, pairs without (termgen.h); 3: 2 with the
 * gap terms, which a Wensuo from before them would leave out of the
 * documents it added, so that it refuses the index. An index of format 1
 * answers phrases wrongly, so it is refused; one of format 2 is read and
 * written (without WS_GAPS_KEY, so the instruments read its text). 4: 3
 * with the space and punctuation terms (WS_PFX_SPACE, WS_PFX_PUNCT), which
 * a phrase with white space or punctuation in it requires; a Wensuo from
 * before them would leave them out, so it refuses the index; in one of
 * format 2 or 3 such a phrase is matched without them
 * (searcher/query/plan.h). 5: 4 with the characters the Simplified
 * standard writes in their own right (著 乾 俱 ...: normalize.h's
 * ws_normalize_kept) no longer folded into others (着 干 具): an older index
 * is read, a query holding one refused there, and not added to. */
#define WS_FORMAT_KEY "wensuo.format"
/* The word vectors the documents were made with (ws_vectors_id), in every
 * shard's metadata; none when the index has none. */
#define WS_VECTORS_KEY   "wensuo.vectors"
#define WS_FORMAT        "5"
#define WS_FORMAT_OLDEST "2" /* the oldest read */
/* the oldest added to: documents analyzed now would keep 著 where those of
 * an older index have 着 */
#define WS_FORMAT_WRITE_OLDEST "5"
#define WS_PFX_TITLE_WORD      "S"
#define WS_PFX_TITLE_UNI       "TU"
#define WS_PFX_TITLE_BI        "TB"
#define WS_PFX_TITLE_GAP       "TG"
/* two or three CJK words side by side, their text joined (termgen.h's
 * WS_TERMGEN_RUNS): a lower bound of a run's count that needs no position.
 * An index made before them lacks them, which makes the bound lower, never
 * wrong, so they need no new format. */
#define WS_PFX_RUN       "R"
#define WS_PFX_TITLE_RUN "TR"
/* white space between two tokens, at the position it took (analyzer.h),
 * added with no weight: a quoted phrase with white space inside requires it
 * there, so that 网络和安全 is not "网络 安全" (index format 4) */
#define WS_PFX_SPACE       "P"
#define WS_PFX_TITLE_SPACE "TP"
/* a punctuation mark or symbol (normalized: NFKC makes ， a comma), at its
 * position, with no weight: a phrase requires the marks it holds where it
 * holds them, so that "《民法典》" is not 民法典 without them (format 4) */
#define WS_PFX_PUNCT       "Y"
#define WS_PFX_TITLE_PUNCT "TY"
/* a run of one mark that the analyzer makes one token (——, ......), at its
 * position: the run's first k marks, for each k up to its length (at most
 * WS_MARK_EDGE_MAX), so that a phrase that begins or ends with part of such
 * a run ("——平陆" in ———平陆) requires a run at least that long there */
#define WS_PFX_MARK_EDGE       "Z"
#define WS_PFX_TITLE_MARK_EDGE "TZ"
#define WS_MARK_EDGE_MAX       16
/* "1" in every shard whose every document has its gap terms (an index
 * created with them): only then do positions tell exactly where a run of
 * CJK characters stands (searcher/search/positions.h) */
#define WS_GAPS_KEY   "wensuo.gaps"
#define WS_PFX_ID     "Q"
#define WS_PFX_SOURCE "XSRC"
#define WS_PFX_TYPE   "XTYPE"
#define WS_PFX_YEAR   "XY"
#define WS_PFX_CITED  "XC"

enum {
    WS_SLOT_DATE = 0,   /* "YYYY-MM-DD": sorts and compares as a string */
    WS_SLOT_SOURCE = 1, /* facets */
    WS_SLOT_TYPE = 2,
    WS_SLOT_YEAR = 3,
    WS_SLOT_HIT = 4, /* the stored document without its body: what a hit shows */
    /* the whole it is part of (ws_schema_whole), 8 bytes big-endian, then
     * the key others cite it by (ws_cites_key), 8 more when it has one, then
     * the key of the article it is (ws_cites_article_key), 8 more when it is
     * one, then its vector (vectors.h: dim bytes after the 24, the keys
     * then written as 0 when they are none) when the indexer has word
     * vectors: one value, as the reranking reads them for 200 matches (a
     * second slot cost 0.6 ms a question) */
    WS_SLOT_WHOLE = 5,
    /* the words of title and body in order, with their normalized text
     * (text/wordlist.h): what collocates count, without the stored JSON
     * or the analyzer; none on an index made without them */
    WS_SLOT_WORDS = 6,
    /* the characters (code points) of title and body as written, in
     * decimal: the denominator of a trend's rates, which its census of
     * the whole index reads with WS_SLOT_HIT instead of every text */
    WS_SLOT_CHARS = 7,
    /* the columns of an export row (row.h): what an export without the
     * body writes, without parsing WS_SLOT_HIT's JSON; none on an index
     * made before it */
    WS_SLOT_ROW = 8,
};

/* The facets a search can count, one bit each: the slots above by name. */
enum {
    WS_FACET_SOURCE = 1,
    WS_FACET_TYPE = 2,
    WS_FACET_YEAR = 4,
    WS_FACET_MONTH = 8, /* "YYYY-MM": the first 7 bytes of WS_SLOT_DATE, so
                           that an index made before it has months too */
};

/* A WS_SLOT_WHOLE value, decoded: each key 0 when there is none. */
typedef struct ws_whole_value {
    uint64_t whole, cite, article;
    const int8_t *vec; /* the document's vector, pointing into the value; NULL for none */
    size_t dim;        /* its bytes */
} ws_whole_value;

/* Writes w as a WS_SLOT_WHOLE value into buf (room for 24 + w->dim bytes)
 * and returns its length: as short as the keys it has, unless a vector
 * follows them. */
size_t ws_schema_whole_encode(const ws_whole_value *w, char *buf);

/* Reads a WS_SLOT_WHOLE value of len bytes; out->vec points into v. */
void ws_schema_whole_decode(const char *v, size_t len, ws_whole_value *out);

/* Xapian refuses terms over 245 bytes. */
#define WS_TERM_MAX 240

/* What a key term names: a document (its id) or a filter's value. */
typedef enum ws_key {
    WS_KEY_ID,     /* WS_PFX_ID */
    WS_KEY_SOURCE, /* WS_PFX_SOURCE */
    WS_KEY_TYPE,   /* WS_PFX_TYPE; the value lower-cased in ASCII (types ignore case) */
} ws_key;

/* A value too long for a term (prefix + value over WS_TERM_MAX bytes) gets
 * WS_PFX_HASHED + its key's prefix ("XHQ", "XHXSRC", "XHXTYPE"), its first
 * WS_KEY_KEEP bytes (cut on a character boundary: the term stays readable)
 * and "#" + 32 hex digits of the 128-bit xxHash of the whole value. No term
 * of a short value, nor any other term, begins with "XH" (body and title
 * words are lower case; the other X prefixes are XSRC, XTYPE, XY and XC), so
 * a hashed term is never a short value's; two long values share one only
 * if their hashes collide, which is why readers of a hashed id still compare
 * the document's stored id (indexer/store/iddoc.h). */
#define WS_PFX_HASHED "XH"
#define WS_KEY_KEEP   180
/* the room a key term needs, its NUL included */
#define WS_KEY_TERM_MAX (WS_TERM_MAX + 1)

/* Writes the term of value as key into buf (WS_KEY_TERM_MAX bytes), NUL-ended,
 * and returns its length: the key's prefix + the value (lower-cased in ASCII
 * for WS_KEY_TYPE) when that fits in WS_TERM_MAX bytes, as every index made
 * so far has it, else the hashed form above. The one way an id, a source or
 * a type becomes a term: the indexer writes it, the filters and the lookups
 * by id read it. */
size_t ws_schema_key_term(ws_key key, const char *value, char *buf);

/* 1 when term (of len bytes) is a hashed key term (WS_PFX_HASHED). */
int ws_schema_key_hashed(const char *term, size_t len);

/* An index made before the hashed forms stored an id of more than
 * WS_TERM_MAX - 1 bytes as "Q" + its first 180 bytes (cut on a character
 * boundary) + "#" + 32 hex digits, a term that a shorter id ending in "#" and
 * 32 hex digits also has. Writes that old term of id into buf
 * (WS_KEY_TERM_MAX bytes) and returns its length; 0 when id had none (it
 * fits a term). */
size_t ws_schema_id_legacy_term(const char *id, char *buf);

/* 1 when id's term may be shared in an index made before the hashed forms:
 * an id that fits a term and ends in "#" and 32 lowercase hex digits, as an
 * old long id's term does. */
int ws_schema_id_ambiguous(const char *id);

/* The whole a document is part of: an id "WHOLE#PART" names a part of
 * WHOLE (the law importer gives each article of a law the id
 * "<law>#第五十四条"); the last '#' counts, and only with a WHOLE before it
 * and a PART after it that holds no '/' (so that a path such as
 * "notes/C#/a.md" is a whole of its own, as is any id without '#'). Returns
 * a 64-bit xxHash of WHOLE, never 0 (0 is "not known", as in an index made
 * before this slot). */
uint64_t ws_schema_whole(const char *id);

/* Writes the term of a document that cites key into buf (at least
 * WS_SCHEMA_CITE_TERM bytes), NUL-ended, and returns its length. */
#define WS_SCHEMA_CITE_TERM 19
size_t ws_schema_cite_term(uint64_t key, char *buf);

/* 1 when an index of the term scheme format (WS_FORMAT_KEY's value, "1"
 * when there is none) is read and added to: WS_FORMAT_OLDEST to WS_FORMAT. */
int ws_schema_format_known(const char *format);

/* A format's number ("10" is 10, after "4"), -1 for what is none. */
int ws_schema_format_number(const char *format);

/* Which of nshards an id lives in (xxHash of the id). */
unsigned ws_schema_shard(const char *id, unsigned nshards);

#ifdef __cplusplus
}
#endif
#endif
