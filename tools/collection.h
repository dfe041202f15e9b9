/* collection.h - the texts of a collection as the word tools (word_counts,
 * new_words) read them: files of JSON lines as tools/import_*.py write them,
 * whose records give their title and body, or plain text, each line a text.
 * An article beside its whole law (a record with "law_id") is skipped, so
 * that a law's text counts once. */
#ifndef WS_COLLECTION_H
#define WS_COLLECTION_H

#include <stddef.h>

/* Given each text in turn; text is valid during the call only. */
typedef void ws_collection_text_cb(void *ctx, const char *text, size_t len);

/* Calls on_text with each text of the file at path, in the file's order. A
 * JSON line that does not parse is skipped, said on stderr. 0, or -1 when
 * the file cannot be read (said on stderr). */
int ws_collection_read(const char *path, ws_collection_text_cb *on_text, void *ctx);

/* Writes " NAME NAME..." into out (cap bytes, cut to fit): the base names of
 * the n paths, which a data file's header says it was made from. */
void ws_collection_names(char *out, size_t cap, char *const *paths, int n);

#endif
