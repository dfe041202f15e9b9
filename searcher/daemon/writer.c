#include "writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "analyzer.h"
#include "lexicon.h"
#include "index.h"

typedef struct batch {
    ws_doc **docs;
    size_t ndocs;
    size_t text; /* bytes of its titles and bodies */
    char **ids;
    size_t nids;
    ws_writer_done_cb done;
    void *ctx;
    size_t deleted;
    ws_status st; /* refused before the group was applied (check_batch), or past a limit */
    char msg[512];
    struct batch *next;
} batch;

struct ws_writer {
    char *dir;
    const ws_lexicon *lex; /* the caller's, for its word vectors */
    char *fail_flag;       /* $WENSUO_TEST_FAIL_WRITES: while this file exists, groups fail */
    char open_err[512];    /* why the index could not be reopened */
    unsigned nshards;
    ws_readgate *gate; /* the daemon's: each commit waits for the long reads inside */
    ws_index *ix;
    unsigned nparts; /* the index's shards, known once it is open */
    struct part *parts;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t more;
    batch *head, *tail;
    size_t queued;
    int stopping;
    _Atomic uint64_t generation;
    _Atomic uint64_t added, deleted; /* documents committed, from any source */
};

static void batch_free(batch *b)
{
    for (size_t i = 0; i < b->ndocs; i++)
        ws_doc_free(b->docs[i]);
    free(b->docs);
    for (size_t i = 0; i < b->nids; i++)
        free(b->ids[i]);
    free(b->ids);
    free(b);
}

/* One change of a group, in the order submitted. */
typedef struct op {
    ws_doc *doc;    /* put this, or */
    const char *id; /* delete this */
    batch *b;
    int found; /* the id deleted existed */
} op;

/* A group's changes to one shard: applied and committed by a thread of its
 * own, beside the other shards' (Xapian's work per document, ~1,000 terms
 * with positions for a news story, is what limits the rate; shards run on
 * other cores). A document lives in the shard its id hashes to, so the
 * changes to one id stay in order. */
typedef struct part {
    ws_writer *w;
    unsigned shard;
    ws_analyzer *a; /* analyzers are per thread */
    op *ops;
    size_t n, cap;
    ws_status st;
    char msg[512];
    batch *refused; /* the batch of a document past a limit of the index (WS_ETOOBIG) */
} part;

static size_t text_of(const ws_doc *d)
{
    return (d->title ? strlen(d->title) : 0) + (d->body ? strlen(d->body) : 0);
}

/* Commits p's shard when the long reads inside have left (readgate.h). */
static ws_status commit(part *p)
{
    ws_readgate_close(p->w->gate, (int)p->shard);
    ws_status st = ws_index_commit(p->w->ix, p->shard);
    ws_readgate_open(p->w->gate, (int)p->shard);
    return st;
}

static void *apply_part(void *arg)
{
    part *p = arg;
    ws_index *ix = p->w->ix;
    p->st = WS_OK;
    p->refused = NULL;
    size_t text = 0;
    int fresh = 1; /* no change written since the last commit */
    for (size_t i = 0; i < p->n && p->st == WS_OK; i++) {
        op *o = &p->ops[i];
        if (fresh) /* the first change reuses the blocks that commit freed */
            ws_readgate_write(p->w->gate, (int)p->shard);
        fresh = 0;
        if (o->doc) {
            p->st = ws_index_put(ix, p->a, o->doc);
            if (p->st != WS_OK)
                snprintf(p->msg, sizeof p->msg, "document %s: %s", o->doc->id,
                         ws_index_errmsg(ix, p->shard));
            if (p->st == WS_ETOOBIG)
                p->refused = o->b;
            else if ((text += text_of(o->doc)) >= WS_WRITER_SLICE_TEXT && i + 1 < p->n) {
                text = 0;
                fresh = 1;
                if ((p->st = commit(p)) != WS_OK)
                    snprintf(p->msg, sizeof p->msg, "commit failed: %s",
                             ws_index_errmsg(ix, p->shard));
            }
        } else {
            ws_status st = ws_index_delete(ix, o->id);
            o->found = st == WS_OK;
            if (st != WS_OK && st != WS_ENOTFOUND) {
                p->st = st;
                snprintf(p->msg, sizeof p->msg, "delete %s: %s", o->id,
                         ws_index_errmsg(ix, p->shard));
            }
        }
    }
    if (p->st == WS_OK && p->n && (p->st = commit(p)) != WS_OK)
        snprintf(p->msg, sizeof p->msg, "commit failed: %s", ws_index_errmsg(ix, p->shard));
    return NULL;
}

static int add_op(part *p, op o)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        op *v = realloc(p->ops, cap * sizeof *v);
        if (!v)
            return -1;
        p->ops = v;
        p->cap = cap;
    }
    p->ops[p->n++] = o;
    return 0;
}

/* Applies and commits a group, its shards in parallel; on failure msg says
 * why (the first shard that failed). */
static ws_status apply_group(ws_writer *w, batch *group, char *msg, size_t msglen)
{
    for (unsigned s = 0; s < w->nparts; s++)
        w->parts[s].n = 0;
    for (batch *b = group; b; b = b->next) {
        int bad = 0;
        if (b->st != WS_OK)
            continue;
        for (size_t i = 0; i < b->ndocs && !bad; i++)
            bad = add_op(&w->parts[ws_index_shard_of(w->ix, b->docs[i]->id)],
                         (op){b->docs[i], NULL, b, 0});
        for (size_t i = 0; i < b->nids && !bad; i++)
            bad =
                add_op(&w->parts[ws_index_shard_of(w->ix, b->ids[i])], (op){NULL, b->ids[i], b, 0});
        if (bad) {
            snprintf(msg, msglen, "out of memory");
            return WS_ENOMEM;
        }
    }
    pthread_t threads[WS_INDEX_MAX_SHARDS];
    int started[WS_INDEX_MAX_SHARDS] = {0};
    unsigned inline_part = w->nparts;
    for (unsigned s = 0; s < w->nparts; s++) {
        if (!w->parts[s].n)
            continue;
        if (inline_part == w->nparts)
            inline_part = s; /* the first runs on this thread */
        else if (pthread_create(&threads[s], NULL, apply_part, &w->parts[s]) == 0)
            started[s] = 1;
        else
            apply_part(&w->parts[s]);
    }
    if (inline_part < w->nparts)
        apply_part(&w->parts[inline_part]);
    ws_status st = WS_OK;
    for (unsigned s = 0; s < w->nparts; s++) {
        if (started[s])
            pthread_join(threads[s], NULL);
        part *p = &w->parts[s];
        if (p->n && p->refused && p->refused->st == WS_OK) {
            /* that batch alone is refused for good; the others committed
             * with it fail with the group and may be sent again */
            p->refused->st = WS_ETOOBIG;
            snprintf(p->refused->msg, sizeof p->refused->msg, "%s", p->msg);
        }
        if (p->n && p->st != WS_OK && st == WS_OK) {
            st = p->st == WS_ETOOBIG ? WS_EIO : p->st;
            snprintf(msg, msglen, "%s%s",
                     p->st == WS_ETOOBIG ? "another request committed with this one was refused: "
                                         : "",
                     p->msg);
        }
    }
    if (st == WS_OK)
        for (unsigned s = 0; s < w->nparts; s++)
            for (size_t i = 0; i < w->parts[s].n; i++)
                w->parts[s].ops[i].b->deleted += (size_t)w->parts[s].ops[i].found;
    return st;
}

/* A document that cannot be stored (not the promise of document.h) fails
 * its own batch before the group is applied, so that it does not fail the
 * batches committed with it. */
static void check_batch(batch *b)
{
    for (size_t i = 0; i < b->ndocs && b->st == WS_OK; i++) {
        const char *why = NULL;
        if ((b->st = ws_doc_check(b->docs[i], &why)) != WS_OK)
            snprintf(b->msg, sizeof b->msg, "document %zu of the batch: %s", i + 1, why);
    }
}

static void free_parts(ws_writer *w)
{
    for (unsigned s = 0; w->parts && s < w->nparts; s++) {
        ws_analyzer_free(w->parts[s].a);
        free(w->parts[s].ops);
    }
    free(w->parts);
    w->parts = NULL;
}

/* ws_index_open() and ws_index_check_vectors() with the lexicon's vectors,
 * with a truer message when the lock could not be taken because the index
 * cannot be written at all (Xapian reports both as a lock error, which
 * index.cc words as "another process"). */
static ws_status open_index(const char *dir, const ws_lexicon *lex, unsigned nshards, ws_index **ix,
                            char *err, size_t errlen)
{
    ws_status st = ws_index_open(dir, nshards, ix, err, errlen);
    if (st == WS_OK &&
        (st = ws_index_check_vectors(*ix, ws_lexicon_vectors(lex), err, errlen)) != WS_OK) {
        ws_index_close(*ix);
        *ix = NULL;
    }
    if (st != WS_ELOCKED)
        return st;
    struct statvfs sv;
    if (statvfs(dir, &sv) == 0 && (sv.f_flag & ST_RDONLY))
        snprintf(err, errlen, "the index %s cannot be written: its file system is read-only", dir);
    else if (access(dir, W_OK) != 0)
        snprintf(err, errlen, "the index %s cannot be written: %s", dir, strerror(errno));
    else
        return st;
    return WS_EIO;
}

static void reopen(ws_writer *w)
{
    if (open_index(w->dir, w->lex, w->nshards, &w->ix, w->open_err, sizeof w->open_err) != WS_OK) {
        fprintf(stderr, "wensuo-searchd: cannot reopen the index for writing: %s\n", w->open_err);
        w->ix = NULL;
        return;
    }
    /* the parts were made for the shards the index had at the start: an
     * index rebuilt under the daemon with another number is not ours to
     * write (restart the daemon) */
    if (ws_index_nshards(w->ix) != w->nparts) {
        snprintf(w->open_err, sizeof w->open_err,
                 "the index now has %u shards, not %u: restart the daemon", ws_index_nshards(w->ix),
                 w->nparts);
        fprintf(stderr, "wensuo-searchd: %s\n", w->open_err);
        ws_index_close(w->ix);
        w->ix = NULL;
    }
}

/* Opens the index again after a failure: closing it tries the failed
 * commit once more (Xapian commits on close; it has no way to drop what is
 * pending outside a transaction), so a group that failed may still reach
 * the disk here. That is why a failure answers "not committed, send it
 * again" and never "nothing happened": adding by id replaces, so sending
 * again is safe. A reopen that fails (another process took the lock in
 * between) is tried again before the next group. */
static void reset(ws_writer *w)
{
    ws_readgate_close(w->gate, -1); /* the close may commit, as any commit goes */
    ws_index_close(w->ix);
    ws_readgate_open(w->gate, -1);
    w->ix = NULL;
    reopen(w);
}

/* For tests of the failure path where no disk can be filled: while the file
 * named by $WENSUO_TEST_FAIL_WRITES exists, every group fails before it
 * touches the index, as a full disk would fail its commit. */
static int test_failure(const ws_writer *w, char *msg, size_t msglen)
{
    if (!w->fail_flag || access(w->fail_flag, F_OK) != 0)
        return 0;
    snprintf(msg, msglen, "No space left on device (simulated: %s exists)", w->fail_flag);
    return 1;
}

/* Xapian's messages name the block it could not write, not why: when the
 * file system of the index is full or read-only, say so first, so that the
 * daemon can answer 507 or 503 with the reason. */
static void explain_failure(const ws_writer *w, char *msg, size_t msglen)
{
    struct statvfs sv;
    if (statvfs(w->dir, &sv) != 0 || strstr(msg, "No space left"))
        return;
    const char *why = NULL;
    if (sv.f_flag & ST_RDONLY)
        why = "the file system of the index is read-only";
    else if ((uint64_t)sv.f_bavail * sv.f_frsize < WS_WRITER_FULL_BYTES)
        why = "No space left on device";
    if (!why)
        return;
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s (%s)", why, msg);
    snprintf(msg, msglen, "%s", tmp);
}

/* Searches come first: the writer and its shard threads (which inherit
 * this) run at a lower priority, so that on a machine with few cores a
 * search does not wait behind a group being indexed. Ingest still has every
 * cycle the searches leave. */
static void lower_priority(void)
{
    errno = 0;
    int nice_now = getpriority(PRIO_PROCESS, (id_t)gettid());
    if (errno == 0 && nice_now < WS_WRITER_NICE)
        setpriority(PRIO_PROCESS, (id_t)gettid(), WS_WRITER_NICE);
}

static void *run(void *arg)
{
    ws_writer *w = arg;
    lower_priority();
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->more, &w->lock);
        if (!w->head) {
            pthread_mutex_unlock(&w->lock);
            break;
        }
        /* take every waiting batch, up to a group's size */
        batch *group = w->head, *last = w->head;
        size_t docs = last->ndocs + last->nids, text = last->text, n = 1;
        while (last->next &&
               docs + last->next->ndocs + last->next->nids <= WS_WRITER_MAX_GROUP_DOCS &&
               text + last->next->text <= WS_WRITER_MAX_GROUP_TEXT) {
            last = last->next;
            docs += last->ndocs + last->nids;
            text += last->text;
            n++;
        }
        w->head = last->next;
        if (!w->head)
            w->tail = NULL;
        w->queued -= n;
        last->next = NULL;
        pthread_mutex_unlock(&w->lock);

        char msg[1024] = "";
        ws_status st = WS_OK;
        for (batch *b = group; b; b = b->next)
            check_batch(b);
        if (!w->ix)
            reopen(w);
        if (!w->ix) {
            st = WS_EIO;
            snprintf(msg, sizeof msg, "the index cannot be opened for writing: %s", w->open_err);
        } else if (test_failure(w, msg, sizeof msg)) {
            st = WS_EIO;
        }
        int touched = st == WS_OK; /* the index holds changes of this group */
        if (st == WS_OK)
            st = apply_group(w, group, msg, sizeof msg);
        size_t changed = 0; /* a delete of no document (a 404) changes nothing */
        for (batch *b = group; st == WS_OK && b; b = b->next)
            if (b->st == WS_OK)
                changed += b->ndocs + b->deleted;
        if (st == WS_OK && changed)
            atomic_fetch_add(&w->generation, 1);
        else if (w->ix && !*msg)
            snprintf(msg, sizeof msg, "%s", ws_status_to_string(st));
        if (st != WS_OK)
            explain_failure(w, msg, sizeof msg);
        if (st != WS_OK && touched)
            reset(w);
        for (batch *b = group, *next; b; b = next) {
            next = b->next;
            if (b->st == WS_OK &&
                st == WS_OK) { /* counted before the answer: /stats then has them */
                atomic_fetch_add(&w->added, b->ndocs);
                atomic_fetch_add(&w->deleted, b->deleted);
            }
            if (b->st != WS_OK)
                b->done(b->ctx, b->st, b->msg, 0, 0);
            else
                b->done(b->ctx, st, msg, st == WS_OK ? b->ndocs : 0, st == WS_OK ? b->deleted : 0);
            batch_free(b);
        }
    }
    return NULL;
}

ws_status ws_writer_open(const char *dir, const ws_lexicon *lex, unsigned nshards,
                         ws_readgate *gate, ws_writer **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    ws_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->dir = strdup(dir))) {
        free(w);
        return WS_ENOMEM;
    }
    w->nshards = nshards;
    w->lex = lex;
    w->gate = gate;
    const char *flag = getenv("WENSUO_TEST_FAIL_WRITES");
    if (flag && *flag && !(w->fail_flag = strdup(flag))) {
        free(w->dir);
        free(w);
        return WS_ENOMEM;
    }
    ws_status st = open_index(dir, lex, nshards, &w->ix, errbuf, errlen);
    if (st == WS_OK) {
        w->nparts = ws_index_nshards(w->ix);
        if (!(w->parts = calloc(w->nparts, sizeof *w->parts)))
            st = WS_ENOMEM;
        for (unsigned s = 0; st == WS_OK && s < w->nparts; s++) {
            w->parts[s] = (part){.w = w, .shard = s};
            if ((st = ws_analyzer_new(lex, &w->parts[s].a)) != WS_OK)
                snprintf(errbuf, errlen, "cannot create an analyzer");
        }
    }
    if (st != WS_OK) {
        ws_index_close(w->ix);
        free_parts(w);
        free(w->fail_flag);
        free(w->dir);
        free(w);
        return st;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->more, NULL);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        snprintf(errbuf, errlen, "cannot start the writer thread");
        free_parts(w);
        ws_index_close(w->ix);
        free(w->fail_flag);
        free(w->dir);
        free(w);
        return WS_EINTERNAL;
    }
    *out = w;
    return WS_OK;
}

ws_status ws_writer_submit(ws_writer *w, ws_doc **docs, size_t ndocs, char **ids, size_t nids,
                           ws_writer_done_cb done, void *ctx)
{
    batch *b = calloc(1, sizeof *b);
    if (!b) {
        batch tmp = {docs, ndocs, 0, ids, nids, NULL, NULL, 0, WS_OK, "", NULL};
        for (size_t i = 0; i < tmp.ndocs; i++)
            ws_doc_free(tmp.docs[i]);
        free(tmp.docs);
        for (size_t i = 0; i < tmp.nids; i++)
            free(tmp.ids[i]);
        free(tmp.ids);
        return WS_ENOMEM;
    }
    *b = (batch){docs, ndocs, 0, ids, nids, done, ctx, 0, WS_OK, "", NULL};
    for (size_t i = 0; i < ndocs; i++)
        b->text += text_of(docs[i]);
    pthread_mutex_lock(&w->lock);
    if (w->queued >= WS_WRITER_MAX_QUEUE || w->stopping) {
        pthread_mutex_unlock(&w->lock);
        batch_free(b);
        return WS_ETOOBIG;
    }
    if (w->tail)
        w->tail->next = b;
    else
        w->head = b;
    w->tail = b;
    w->queued++;
    pthread_cond_signal(&w->more);
    pthread_mutex_unlock(&w->lock);
    return WS_OK;
}

uint64_t ws_writer_generation(const ws_writer *w)
{
    return atomic_load(&((ws_writer *)w)->generation);
}

void ws_writer_changes(const ws_writer *w, uint64_t *added, uint64_t *deleted)
{
    *added = atomic_load(&((ws_writer *)w)->added);
    *deleted = atomic_load(&((ws_writer *)w)->deleted);
}

void ws_writer_close(ws_writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_signal(&w->more);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    ws_readgate_close(w->gate, -1); /* the close commits what is pending */
    ws_index_close(w->ix);
    ws_readgate_open(w->gate, -1);
    free_parts(w);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->more);
    free(w->fail_flag);
    free(w->dir);
    free(w);
}
