/* synonyms.h - query-time synonyms: a file of groups, one group a line, words
 * separated by spaces or commas ("碳达峰 碳峰值"), '#' comments. A query word
 * that is in a group matches any word of its group. */
#ifndef WS_SYNONYMS_H
#define WS_SYNONYMS_H

#include <stddef.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WS_SYNONYMS_MAX_GROUP 16
#define WS_SYNONYMS_MAX_FILE  (64u << 20) /* bytes of a synonym file, at most */

typedef struct ws_synonyms ws_synonyms;

/* Loads path (words are normalized as the analyzer does). The caller frees
 * *out with ws_synonyms_free(). On failure errbuf says why. */
ws_status ws_synonyms_load(const char *path, ws_synonyms **out, char *errbuf, size_t errlen);
void ws_synonyms_free(ws_synonyms *s);

/* The other words of word's group (normalized UTF-8, owned by s), or 0 when
 * word (normalized) is in none; at most max are written to out. */
size_t ws_synonyms_lookup(const ws_synonyms *s, const char *word, const char **out, size_t max);

#ifdef __cplusplus
}
#endif
#endif
