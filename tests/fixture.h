/* fixture.h - the setup the C tests share, one implementation each: the
 * default lexicon and an analyzer, a temporary folder and its removal, a
 * temporary file of a given text, a path into ../shared (WS_SHARED_DIR), a
 * document of a few fields and its putting. Linked into every test by
 * ws_add_test (tests/CMakeLists.txt).
 *
 * A setup the test cannot go on without (the lexicon, a folder, memory)
 * prints what failed on stderr and exits 1; what the test itself checks
 * (a put, a removal, a file of the shared corpus) is returned, for its
 * CHECK or its skip. */
#ifndef WS_FIXTURE_H
#define WS_FIXTURE_H

#include <stddef.h>
#include "analyzer.h"
#include "document.h"
#include "index.h"
#include "lexicon.h"

/* Room for a path ws_fixture_tmpdir or ws_fixture_tmpfile makes. */
#define WS_FIXTURE_PATH 256

/* The analyzer over the default lexicon (ws_lexicon_open_default with no
 * folder and no user dictionary: what the environment says, so a test sets
 * or unsets WENSUO_USER_DICT and the like first). The lexicon goes in *lex.
 * The caller owns both and frees the analyzer before the lexicon
 * (ws_analyzer_free, ws_lexicon_free). A failure prints "cannot open the
 * lexicon: <why>" (or that the analyzer could not be made) and exits 1. */
ws_analyzer *ws_fixture_analyzer(ws_lexicon **lex);

/* A new empty folder $TMPDIR/ws_<name>_XXXXXX (/tmp without TMPDIR) made by
 * mkdtemp, its path written to dir (size bytes; WS_FIXTURE_PATH is enough).
 * The caller removes it with ws_fixture_remove. A failure prints why and
 * exits 1. */
void ws_fixture_tmpdir(char *dir, size_t size, const char *name);

/* A new file $TMPDIR/ws_<name>_XXXXXX (/tmp without TMPDIR) made by
 * mkstemp and holding text, its path written to path (size bytes;
 * WS_FIXTURE_PATH is enough). The caller removes it with unlink. A failure
 * prints why and exits 1. */
void ws_fixture_tmpfile(char *path, size_t size, const char *name, const char *text);

/* Removes dir and everything under it, links not followed (rm -rf).
 * Returns 0 when it is gone, -1 when something could not be removed. */
int ws_fixture_remove(const char *dir);

/* Writes WS_SHARED_DIR "/" rel to path (size bytes), the shared corpus's
 * file or folder rel. Returns path when it can be read, NULL when it is
 * absent (path still names it, for the skip's message: a test that needs
 * it skips with WS_SKIP, one that needs it for a part says so and goes
 * on). */
const char *ws_fixture_shared(char *path, size_t size, const char *rel);

/* The bundled sample corpus's files (corpus/laws, news, policy, web) as
 * text, at most max of them, into texts[] and titles[] (a file's name its
 * title), each the caller's to free: how many. A file that is not UTF-8
 * (a GB 18030 page: the reader's) is left out. */
size_t ws_fixture_corpus(char **texts, char **titles, size_t max);

/* A new document with the fields given; a NULL field is left absent. The
 * caller owns it (ws_doc_free, or ws_fixture_put, which frees it). Out of
 * memory prints so and exits 1. */
ws_doc *ws_fixture_doc(const char *id, const char *title, const char *body, const char *date,
                       const char *source, const char *type);

/* Puts doc into ix through an (ws_index_put) and frees doc. Returns
 * ws_index_put's status. */
ws_status ws_fixture_put(ws_index *ix, ws_analyzer *an, ws_doc *doc);

#endif
