/* wensuo-index: indexes files and folders into a Wensuo index.
 *
 * The main thread walks the paths and reads documents; one worker per shard
 * analyzes and writes the documents whose ids hash to its shard, committing
 * every --batch documents or --batch-kb of text, whichever comes first, so
 * that both cores work and an interrupted run keeps every committed batch.
 *
 * Why small batches: Xapian holds a batch's postings in memory, in maps that
 * grow with the distinct terms of the batch, and costs more per term the
 * larger they are. On the shared corpus (tools/bench_index --batch, idle
 * machine) the two writers take 48 s (87 s of CPU) at 1,000 documents a
 * commit, 37 s (71 s) at 100, 38 s at 50 and 47 s at 20, where the commits
 * themselves start to cost. The text size bounds a batch of long documents
 * (whole laws) the way the count bounds short ones. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "path.h"
#include "stdfd.h"
#include "analyzer.h"
#include "options.h"
#include "index.h"
#include "lexicon.h"
#include "reader.h"
#include "layout.h"
#include "utf8.h"

#define QUEUE_CAP 512

typedef struct worker {
    pthread_t thread;
    unsigned shard;
    ws_index *ix;
    const ws_lexicon *lex;
    unsigned batch;
    size_t batch_bytes;
    /* the queue of documents for this shard */
    pthread_mutex_t lock;
    pthread_cond_t more, room;
    ws_doc *q[QUEUE_CAP];
    size_t head, count;
    int done;
    /* results */
    _Atomic unsigned long docs, bytes; /* read by the progress line */
    unsigned long failed;
    ws_status status;
    char err[512];
} worker;

typedef struct run {
    worker *w;
    unsigned nw;
    unsigned long files, skipped_files, warnings, refused;
    unsigned long loops; /* of skipped_files, links back: nothing lost */
    unsigned long read;  /* documents read from the files so far */
    int quiet;
    double start;
} run;

static volatile sig_atomic_t interrupted; /* the signal's number */

static void on_signal(int sig)
{
    interrupted = sig;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *work(void *arg)
{
    worker *w = arg;
    ws_analyzer *a = NULL;
    w->status = ws_analyzer_new(w->lex, &a);
    unsigned since = 0;
    size_t since_bytes = 0;
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (!w->count && !w->done)
            pthread_cond_wait(&w->more, &w->lock);
        if (!w->count && w->done) {
            pthread_mutex_unlock(&w->lock);
            break;
        }
        ws_doc *doc = w->q[w->head];
        w->head = (w->head + 1) % QUEUE_CAP;
        w->count--;
        pthread_cond_signal(&w->room);
        pthread_mutex_unlock(&w->lock);
        /* once interrupted, what waits in the queue is dropped, not
         * indexed: the run stops at its next commit (a queue of 512 long
         * documents a shard took a minute and a half to drain) */
        if (w->status == WS_OK && !interrupted) {
            ws_status st = ws_index_put(w->ix, a, doc);
            if (st == WS_OK) {
                size_t len =
                    (doc->body ? strlen(doc->body) : 0) + (doc->title ? strlen(doc->title) : 0);
                w->docs++;
                w->bytes += len;
                since_bytes += len;
                if (++since >= w->batch || since_bytes >= w->batch_bytes) {
                    since = 0;
                    since_bytes = 0;
                    if ((st = ws_index_commit(w->ix, w->shard)) != WS_OK)
                        w->status = st; /* reported at the end */
                }
            } else {
                w->failed++;
                fprintf(stderr, "wensuo-index: %s: %s (%s)\n", doc->id, ws_status_to_string(st),
                        ws_index_errmsg(w->ix, w->shard));
                if (st == WS_EIO || st == WS_ENOMEM || st == WS_ECORRUPT)
                    w->status = st; /* the disk or memory failed: stop this shard */
            }
        }
        ws_doc_free(doc);
    }
    if (w->status == WS_OK)
        w->status = ws_index_commit(w->ix, w->shard);
    ws_analyzer_free(a);
    return NULL;
}

static ws_status on_doc(void *ctx, ws_doc *doc)
{
    run *r = ctx;
    if (interrupted) {
        ws_doc_free(doc);
        return WS_EINTERNAL;
    }
    r->read++;
    worker *w = &r->w[ws_index_shard_of(r->w[0].ix, doc->id)];
    pthread_mutex_lock(&w->lock);
    while (w->count == QUEUE_CAP)
        pthread_cond_wait(&w->room, &w->lock);
    w->q[(w->head + w->count) % QUEUE_CAP] = doc;
    w->count++;
    pthread_cond_signal(&w->more);
    pthread_mutex_unlock(&w->lock);
    return WS_OK;
}

/* Input left out (a document, a line, a file) and notes on documents
 * still indexed are counted apart, since a script must tell a lost
 * document from a note. */
static void on_warn(void *ctx, const char *file, long line, int refused, const char *reason)
{
    run *r = ctx;
    if (refused)
        r->refused++;
    else
        r->warnings++;
    if (line > 0)
        fprintf(stderr, "%s:%ld: %s\n", file, line, reason);
    else
        fprintf(stderr, "%s: %s\n", file, reason);
}

static void progress(run *r, int final)
{
    static double last;
    double t = now();
    if (!final && (r->quiet || !isatty(2) || t - last < 0.5))
        return;
    last = t;
    unsigned long docs = 0, bytes = 0;
    for (unsigned i = 0; i < r->nw; i++) {
        docs += r->w[i].docs; /* read without the lock: only for display */
        bytes += r->w[i].bytes;
    }
    double mb = bytes / 1e6, el = t - r->start;
    if (final) {
        if (isatty(2) && !r->quiet)
            fputc('\n', stderr);
        return;
    }
    fprintf(stderr, "\r%lu documents, %.1f MB, %.2f MB/s   ", docs, mb, el > 0 ? mb / el : 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folders a walk is inside of, innermost first: a link back to one of
 * them would have the walk go round for ever. */
typedef struct above {
    dev_t dev;
    ino_t ino;
    const struct above *up;
} above;

/* Reads a file or, recursively and in name order, a folder (links followed,
 * except one that leads back to a folder the walk is in). */
static ws_status walk(run *r, const char *path, const above *up)
{
    struct stat sb;
    if (interrupted)
        return WS_EINTERNAL;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        r->skipped_files++;
        return WS_OK;
    }
    if (S_ISDIR(sb.st_mode)) {
        for (const above *a = up; a; a = a->up) {
            if (a->dev == sb.st_dev && a->ino == sb.st_ino) {
                fprintf(stderr, "%s: skipped, a link back to a folder it is in\n", path);
                r->skipped_files++;
                r->loops++;
                return WS_OK;
            }
        }
        const above here = {sb.st_dev, sb.st_ino, up};
        DIR *d = opendir(path);
        if (!d) {
            fprintf(stderr, "%s: %s\n", path, strerror(errno));
            r->skipped_files++;
            return WS_OK;
        }
        char **names = NULL;
        size_t n = 0, cap = 0;
        /* dir/ and dir give the same names, so the same ids: a folder
         * given again with its slash (as a shell completes it) is not
         * indexed twice */
        int plen = (int)strlen(path);
        while (plen > 1 && path[plen - 1] == '/')
            plen--;
        struct dirent *e;
        ws_status st = WS_OK;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                char **nn = realloc(names, cap * sizeof *nn);
                if (!nn) {
                    st = WS_ENOMEM;
                    break;
                }
                names = nn;
            }
            size_t len = (size_t)plen + strlen(e->d_name) + 2;
            if (!(names[n] = malloc(len))) {
                st = WS_ENOMEM;
                break;
            }
            if (plen == 1 && path[0] == '.') /* ./a.txt is a.txt (clean_path) */
                snprintf(names[n++], len, "%s", e->d_name);
            else
                snprintf(names[n++], len, "%.*s/%s", plen, path, e->d_name);
        }
        closedir(d);
        if (n)
            qsort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n; i++) {
            if (st == WS_OK)
                st = walk(r, names[i], &here);
            free(names[i]);
        }
        free(names);
        return st;
    }
    /* a folder's README describes the corpus; it is not one of its
     * documents, nor is a file of another kind in it. A path named (up
     * NULL) is what the user asked for: a README is read, and what cannot
     * be is said, not passed over. */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!up && (!S_ISREG(sb.st_mode) || !ws_reader_supports(path))) {
        fprintf(stderr, "%s: skipped: %s\n", path,
                !S_ISREG(sb.st_mode) ? "not a regular file"
                                     : "not a kind of file wensuo-index reads (.txt .md "
                                       ".jsonl .html)");
        r->skipped_files++;
        return WS_OK;
    }
    if (!S_ISREG(sb.st_mode) || !ws_reader_supports(path) || (up && !strcasecmp(base, "README.md")))
        return WS_OK;
    if (!ws_utf8_valid(path, strlen(path))) {
        /* its documents' ids would not be UTF-8; the others go on */
        fputs("wensuo-index: ", stderr);
        for (const unsigned char *p = (const unsigned char *)path; *p; p++)
            fprintf(stderr, *p >= 0x20 && *p < 0x7f ? "%c" : "\\x%02x", *p);
        fputs(": skipped: its name is not UTF-8 (rename it)\n", stderr);
        r->skipped_files++;
        return WS_OK;
    }
    r->files++;
    unsigned long docs_before = r->read, warned = r->warnings + r->refused;
    ws_status st = ws_reader_read_file(path, path, on_doc, on_warn, r);
    if (st == WS_OK && r->read == docs_before && r->warnings + r->refused == warned)
        on_warn(r, path, 0, 0, "no document in the file (it is empty or blank)"); /* lost nothing */
    if (st == WS_EINTERNAL && interrupted)
        return st;
    if (st != WS_OK) {
        r->skipped_files++;
        return st == WS_ENOMEM ? st : WS_OK;
    }
    progress(r, 0);
    return WS_OK;
}

static void usage(FILE *f)
{
    fprintf(
        f, "usage: wensuo-index --db DIR [--dict FILE] [--shards N] [--batch N]\n"
           "                    [--batch-kb N] [--no-word-lists] [--compact] [--quiet] [--strict]\n"
           "                    PATH...\n"
           "       wensuo-index --db DIR --compact\n"
           "Indexes files (.txt .md .jsonl .html) and folders (recursively) into DIR.\n"
           "  --dict FILE   a user dictionary, one word a line (also $WENSUO_USER_DICT)\n"
           "  --shards N    shards of a new index, written in parallel (default: the\n"
           "                cores, at most 8; at most 64)\n"
           "  --batch N     documents per commit and shard at most (default 100)\n"
           "  --batch-kb N  KB of text per commit and shard at most (default 512)\n"
           "  --no-word-lists  store no word list with the documents: a smaller index\n"
           "                whose collocates read the stored text (slower)\n"
           "  --compact     compact the index at the end (smallest size); alone, compact\n"
           "                it now, or finish a compaction that was stopped\n"
           "  --quiet       no progress display (the summary line stays)\n"
           "  --strict      exit 3 when a document or file was refused or a path could\n"
           "                not be read (the messages say which), though the others were\n"
           "                indexed\n");
}

/* --compact alone: compacts db now, or finishes a compaction that was
 * stopped. The program's exit status. */
static int compact_only(const char *db)
{
    char cerr[1024];
    if (ws_index_compact(db, cerr, sizeof cerr) != WS_OK) {
        fprintf(stderr, "wensuo-index: compact: %s\n", cerr);
        return 1;
    }
    printf("compacted %s\n", db);
    return 0;
}

/* Loads the lexicon and opens db for bulk writing, checking that the index
 * was made with the lexicon's word vectors. 0, or -1 after saying why (and
 * nothing left open). */
static int open_for_writing(const char *db, const char *dict, long shards, unsigned flags,
                            ws_lexicon **lex, ws_index **ix)
{
    char err[1024];
    *lex = NULL;
    *ix = NULL;
    if (ws_lexicon_open_default(NULL, dict, lex, err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo-index: %s\n", err);
        return -1;
    }
    if (ws_index_open_flags(db, (unsigned)shards, WS_INDEX_BULK | flags, ix, err, sizeof err) !=
        WS_OK) {
        fprintf(stderr, "wensuo-index: cannot open %s: %s\n", db, err);
        ws_lexicon_free(*lex);
        return -1;
    }
    if (ws_index_check_vectors(*ix, ws_lexicon_vectors(*lex), err, sizeof err) != WS_OK) {
        fprintf(stderr, "wensuo-index: %s\n", err);
        ws_index_close(*ix);
        ws_lexicon_free(*lex);
        return -1;
    }
    return 0;
}

/* Starts one writer thread a shard of ix. */
static void start_workers(run *r, ws_index *ix, const ws_lexicon *lex, long batch, long batch_kb)
{
    for (unsigned i = 0; i < r->nw; i++) {
        worker *w = &r->w[i];
        w->shard = i;
        w->ix = ix;
        w->lex = lex;
        w->batch = (unsigned)batch;
        w->batch_bytes = (size_t)batch_kb * 1024;
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->more, NULL);
        pthread_cond_init(&w->room, NULL);
        pthread_create(&w->thread, NULL, work, w);
    }
}

/* What the writers did, added up. */
typedef struct tally {
    unsigned long docs, bytes, failed;
} tally;

/* Tells every writer that no more documents come, waits for each and adds
 * up what they wrote into *total. Returns 1 when a shard failed (said on
 * stderr), else 0. */
static int finish_workers(run *r, ws_index *ix, tally *total)
{
    int fatal = 0;
    for (unsigned i = 0; i < r->nw; i++) {
        worker *w = &r->w[i];
        pthread_mutex_lock(&w->lock);
        w->done = 1;
        pthread_cond_signal(&w->more);
        pthread_mutex_unlock(&w->lock);
        pthread_join(w->thread, NULL);
        total->docs += w->docs;
        total->bytes += w->bytes;
        total->failed += w->failed;
        if (w->status != WS_OK) {
            fatal = 1;
            fprintf(stderr, "wensuo-index: shard %u: %s: %s\n", i, ws_status_to_string(w->status),
                    ws_index_errmsg(ix, i));
        }
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->more);
        pthread_cond_destroy(&w->room);
    }
    return fatal;
}

static int index_main(int argc, char **argv)
{
    const char *db = NULL, *dict = NULL;
    long shards = 0, batch = 100, batch_kb = 512;
    int compact = 0, quiet = 0, no_words = 0, strict = 0, first;
    const ws_option opts[] = {
        {"db", WS_OPT_STRING, &db, 0, 0, NULL},
        {"dict", WS_OPT_STRING, &dict, 0, 0, NULL},
        {"shards", WS_OPT_NUMBER, &shards, 1, WS_INDEX_MAX_SHARDS, NULL},
        {"batch", WS_OPT_NUMBER, &batch, 1, 1000000, NULL},
        {"batch-kb", WS_OPT_NUMBER, &batch_kb, 1, 1L << 30, NULL},
        {"compact", WS_OPT_FLAG, &compact, 0, 0, NULL},
        {"no-word-lists", WS_OPT_FLAG, &no_words, 0, 0, NULL},
        {"quiet", WS_OPT_FLAG, &quiet, 0, 0, NULL},
        {"strict", WS_OPT_FLAG, &strict, 0, 0, NULL},
        {NULL, 0, NULL, 0, 0, NULL},
    };
    int rc = ws_options_parse("wensuo-index", argc, argv, opts, &first);
    if (rc != 0) {
        if (rc > 0)
            usage(stdout);
        return rc > 0 ? 0 : 2;
    }
    if (!db || (first >= argc && !compact)) {
        fprintf(stderr, "wensuo-index: %s\n",
                !db ? "--db DIR is required: the index to write" : "no file or folder to index");
        usage(stderr);
        return 2;
    }
    if (first >= argc)
        return compact_only(db);
    if (!shards)
        shards = ws_layout_default_shards();
    ws_lexicon *lex;
    ws_index *ix;
    if (open_for_writing(db, dict, shards, no_words ? WS_INDEX_NO_WORDS : 0, &lex, &ix) != 0)
        return 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C ends it at once (the index
                                   opens at its last commit whatever) */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    run r;
    memset(&r, 0, sizeof r);
    r.nw = ws_index_nshards(ix);
    r.quiet = quiet;
    r.start = now();
    r.w = calloc(r.nw, sizeof *r.w);
    if (!r.w) {
        ws_index_close(ix);
        ws_lexicon_free(lex);
        return 1;
    }
    start_workers(&r, ix, lex, batch, batch_kb);
    ws_status st = WS_OK;
    for (int i = first; i < argc && st == WS_OK; i++) {
        char *clean = ws_path_clean(argv[i]);
        st = clean ? walk(&r, clean, NULL) : WS_ENOMEM;
        free(clean);
    }
    tally t = {0, 0, 0};
    int fatal = finish_workers(&r, ix, &t);
    progress(&r, 1);
    unsigned long doccount = ws_index_doccount(ix);
    char err[1024] = "";
    ws_status cst = ws_index_close_msg(ix, err, sizeof err);
    /* what a reader finds: the close may keep or drop what is pending */
    unsigned long committed;
    if (ws_index_count_dir(db, &committed) == WS_OK)
        doccount = committed;
    if (cst != WS_OK) {
        fatal = 1;
        fprintf(stderr, "wensuo-index: closing the index: %s: %s\n", ws_status_to_string(cst), err);
    }
    if (compact && !fatal && !interrupted) {
        if (ws_index_compact(db, err, sizeof err) != WS_OK) {
            fprintf(stderr, "wensuo-index: compact: %s\n", err);
            fatal = 1;
        }
    }
    double el = now() - r.start;
#define S(n) ((n) == 1 ? "" : "s") /* "1 document", "2 documents" */
    printf("indexed %lu document%s (%.1f MB) from %lu file%s in %.1f s (%.2f MB/s, %.0f docs/s); "
           "%lu file%s skipped, %lu documents or files refused, %lu warning%s, %lu document%s "
           "failed; %s holds %lu document%s%s\n",
           t.docs, S(t.docs), t.bytes / 1e6, r.files, S(r.files), el,
           el > 0 ? t.bytes / 1e6 / el : 0, el > 0 ? t.docs / el : 0, r.skipped_files,
           S(r.skipped_files), r.refused, r.warnings, S(r.warnings), t.failed, S(t.failed), db,
           doccount, S(doccount),
           interrupted ? " (interrupted)"
           : fatal     ? " (a write failed, above: the documents indexed after the last "
                         "commit were not kept)"
                       : "");
#undef S
    free(r.w);
    ws_lexicon_free(lex);
    if (interrupted)
        return 128 + interrupted; /* 130 for SIGINT, 143 for SIGTERM, as a shell counts */
    if (fatal || st == WS_ENOMEM)
        return 1;
    if (t.docs == 0)
        fputs(r.warnings || r.refused || r.skipped_files || t.failed
                  ? "wensuo-index: no document indexed (the messages above say why)\n"
                  : "wensuo-index: no document indexed: nothing to index in the paths given\n",
              stderr);
    /* a path missing or unreadable is input left out too, as a file refused */
    int lost = r.refused || t.failed || r.skipped_files > r.loops;
    return t.docs == 0 ? 1 : strict && lost ? 3 : 0;
}

int main(int argc, char **argv)
{
    ws_stdfd_guard(); /* before any file is opened */
    return ws_stdfd_finish("wensuo-index", index_main(argc, argv));
}
