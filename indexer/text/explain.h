/* explain.h - what the analyzer makes of a text, for people: the words of
 * `wensuo analyze` and the index terms of `wensuo analyze --terms` (and of the
 * daemon's /analyze). */
#ifndef WS_EXPLAIN_H
#define WS_EXPLAIN_H

#include <jansson.h>
#include <stdio.h>
#include "analyzer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the words of text to f separated by single spaces: each word as it
 * stands in the input (no normalization shown), punctuation as its own word,
 * a compound instead of its parts. No newline is written. */
ws_status ws_explain_words(ws_analyzer *a, const char *text, size_t len, FILE *f);

/* {"words": ["...", ...], "terms": [{"term": "B用地", "kind": "bigram",
 * "field": "body", "pos": 3, "start": 6, "end": 13}, ...]} for text analyzed
 * as a document body (lines joined). The caller owns the result. */
ws_status ws_explain_json(ws_analyzer *a, const char *text, size_t len, json_t **out);

#ifdef __cplusplus
}
#endif
#endif
