/* vectors.h - word vectors, and the vector of a text: what its words mean
 * rather than which they are.
 *
 * A layperson asks 快递延误了能要求赔偿吗 and the article that answers speaks
 * of 违约责任; no word is shared, but the two sets of words keep company with
 * the same words in the corpus. The vectors are learned from the shared
 * corpus, without supervision, by Debian's fasttext (skip-gram), over the
 * words of this analyzer (tools/vectors.sh makes indexer/data/vectors.bin). A text's
 * vector is the sum of its words' vectors, each weighted a / (a + p(word))
 * with p the word's share of the corpus (Arora et al., "smooth inverse
 * frequency": frequent words say little), made unit length and kept as
 * dim signed bytes. The same code makes a document's vector in the indexer
 * and a question's in the searcher (searcher/search/rerank.h uses their cosine).
 *
 * The file, little-endian: "WSVEC01\n", uint32 dim, uint32 words, uint64
 * the corpus's tokens; then for each word: uint8 length, the word's bytes
 * (normalized UTF-8), uint32 its count, int8[dim] its unit vector times 127. */
#ifndef WS_VECTORS_H
#define WS_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"
#include "termgen.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_VECTORS_DIM_MAX   512
#define WS_VECTORS_WORDS_MAX 4000000
/* The smoothing a of the word weights (chosen on the legal questions' dev
 * split: tools/README.md). */
#define WS_VECTORS_SIF 1e-4

typedef struct ws_vectors ws_vectors;

/* Loads the file at path. On failure *out is NULL and errbuf says why
 * (WS_ENOTFOUND when there is no file). The caller owns *out (free with
 * ws_vectors_free); it is read-only after, and may be shared by threads. */
ws_status ws_vectors_load(const char *path, ws_vectors **out, char *errbuf, size_t errlen);
void ws_vectors_free(ws_vectors *v);

unsigned ws_vectors_dim(const ws_vectors *v);

/* What the file is: 16 hex digits of its hash, NUL-terminated, valid while
 * v is. An index records the vectors its documents were made with
 * (ws_index_check_vectors) and a searcher uses its own only with an index
 * made with the same. */
const char *ws_vectors_id(const ws_vectors *v);

/* Adds to acc[0..dim) the weighted vector of the word tok that termgen
 * passed as term[0..len) with kind: a word of two or more characters
 * (WS_TERM_WORD, the whole token: not the runs of letters and digits
 * termgen adds for pm2.5), or a CJK character that is a word alone
 * (WS_TERM_UNI of a one-character token); the other terms, and words
 * without a vector, add nothing, except a new word of the lexicon
 * (WS_LEX_NEW) the vectors lack, which adds the longest words they have
 * that it is made of (碳达峰: 碳 达 峰). Returns 1 when it added. Usable as
 * the word filter of a ws_term_cb. */
int ws_vectors_add_term(const ws_vectors *v, const char *term, size_t len, ws_term_kind kind,
                        const ws_token *tok, float *acc);

/* Makes acc[0..dim) unit length and writes it as dim signed bytes (times
 * 127) to out. Returns 0, writing nothing, when acc is 0 (no word had a
 * vector). */
int ws_vectors_quantize(const ws_vectors *v, const float *acc, int8_t *out);

/* The cosine of two vectors that ws_vectors_quantize wrote, in [-1, 1]
 * (0 when either is 0). */
double ws_vectors_cosine(const int8_t *a, const int8_t *b, size_t dim);

#ifdef __cplusplus
}
#endif
#endif
