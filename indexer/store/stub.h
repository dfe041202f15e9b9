/* stub.h - Xapian stub files as Wensuo's readers take them: the lines
 * accepted ("auto PATH", "remote HOST:PORT", blank lines, "#" comments;
 * layout.h says why no other), the databases a stub names checked in turn
 * (a stub may name another stub, or a folder holding one: Xapian opens
 * them all, and would run a "remote :PROGRAM" line of any), and a file
 * named as an index (a stub file, or a single-file database).
 *
 * Threads: every function may be called from any thread. */
#ifndef WS_STUB_H
#define WS_STUB_H

#include <stddef.h>
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How deep stubs may name stubs: Xapian follows them without a limit. */
#define WS_STUB_MAX_DEPTH 8

/* Xapian numbers the documents of an index of n shards (the stub's "auto"
 * lines, K = 0, 1, ...) in turn: the whole index's document d is document
 * ws_stub_local(d, n) of shard ws_stub_shard(d, n), and document l of
 * shard k is the whole index's ws_stub_global(l, k, n). d and l from 1. */
static inline unsigned ws_stub_shard(unsigned d, unsigned n)
{
    return (d - 1) % n;
}
static inline unsigned ws_stub_local(unsigned d, unsigned n)
{
    return (d - 1) / n + 1;
}
static inline unsigned ws_stub_global(unsigned l, unsigned k, unsigned n)
{
    return (l - 1) * n + k + 1;
}

typedef struct ws_stub_info {
    unsigned n;         /* "auto shardK" lines, K = 0, 1, ... in order */
    int ours;           /* every line is one of those (a stub Wensuo writes) */
    int remote;         /* a "remote" line */
    unsigned lines;     /* the lines that name a database, taken */
    long bad_line;      /* the first line refused (0: none) */
    char bad_text[120]; /* its start, printable ASCII */
} ws_stub_info;

/* The lines of the stub text[0..len) into *si. */
void ws_stub_parse(const char *text, size_t len, ws_stub_info *si);

/* Reads the stub file at path into *text (malloc'd, the caller frees) and
 * *len: 0, or an errno (EFBIG past WS_LAYOUT_MAX_STUB, EINVAL for what is
 * no regular file). */
int ws_stub_read(const char *path, char **text, size_t *len);

/* Checks the databases named by the "auto" lines of the stub text[0..len)
 * read from path (relative paths are the stub's folder's): each folder's
 * XAPIANDB and each stub file by the readers' rule, and theirs in turn, to
 * WS_STUB_MAX_DEPTH. WS_OK, or WS_EINVAL with err naming the stub and its
 * line. */
ws_status ws_stub_check_nested(const char *path, const char *text, size_t len, char *err,
                               size_t errlen);

/* A file named as an index: a single-file Xapian database, or a stub file
 * whose lines, and the stubs it names, the readers take. WS_OK, or
 * WS_EINVAL / WS_ENOMEM with err saying why. */
ws_status ws_stub_check_file(const char *path, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
