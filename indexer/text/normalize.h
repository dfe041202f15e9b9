/* normalize.h - what one code point becomes before segmentation.
 *
 * NFKC with case folding (ＡＢＣ１２３ -> abc123, full-width punctuation to its
 * ASCII form), then Traditional -> Simplified (國 -> 国), one code point at a
 * time so that every output character keeps the byte range of the input
 * character it came from (exact highlighting). Built once per process from ICU
 * into a table; after ws_normalize_init() every function here is thread-safe. */
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

/* 1 for a Han ideograph (CJK Unified Ideographs and extensions, compatibility
 * ideographs, 〇). */
int ws_char_is_han(uint32_t cp);

/* 1 for letters and digits outside Han, after normalization. */
int ws_char_is_alnum(uint32_t cp);

/* Normalizes a whole UTF-8 string (invalid bytes become U+FFFD) into a new
 * NUL-terminated UTF-8 string the caller frees. Used for lexicon words and
 * query terms; documents go through the analyzer, which keeps offsets. */
ws_status ws_normalize_utf8(const char *s, size_t len, char **out, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
