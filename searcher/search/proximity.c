#include "proximity.h"

#include <jansson.h>
#include <stdatomic.h>
#include "normalize.h"
#include "cachesweep.h"
#include "listed.h"
#include "positions.h"
#include "schema.h"
#include "termgen.h"
#include "utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tree n as a set that holds at least its matches (neg clear) or at most
 * them (neg set, under a NOT): a check is the AND of its sides, or nothing. */
static ws_qnode *loosen(const ws_qnode *n, int neg)
{
    if (n->op == WS_QOP_CHECK) {
        if (neg)
            return ws_qtree_op(WS_QOP_NOTHING);
        ws_qnode *and = ws_qtree_op(WS_QOP_AND);
        for (size_t i = 0; and&&i < n->nkids; i++)
            if (ws_qtree_add(and, loosen(n->kids[i], neg)) < 0) {
                ws_qtree_free(and);
                return NULL;
            }
        return and;
    }
    /* a copy without the kids, then the kids loosened */
    ws_qnode shell = *n;
    shell.kids = NULL;
    shell.nkids = 0;
    ws_qnode *c = ws_qtree_copy(&shell);
    if (!c)
        return NULL;
    for (size_t i = 0; i < n->nkids; i++) {
        ws_qnode *k = loosen(n->kids[i], n->op == WS_QOP_AND_NOT && i > 0 ? !neg : neg);
        if (!k || ws_qtree_add(c, k) < 0) {
            ws_qtree_free(c);
            return NULL;
        }
    }
    return c;
}

/* Adds to ctx (an AND) what the tree requires beside *target, on the way
 * from n down to it: the other kids of an AND or FILTER, the first kid of an
 * AND_NOT whose NOT side holds it. 1 when target is under n. */
static int context(const ws_qnode *n, const ws_qnode *target, ws_qnode *ctx, ws_status *st)
{
    if (n == target)
        return 1;
    for (size_t i = 0; i < n->nkids; i++) {
        if (!context(n->kids[i], target, ctx, st))
            continue;
        for (size_t j = 0; j < n->nkids && *st == WS_OK; j++) {
            int required = (n->op == WS_QOP_AND || n->op == WS_QOP_FILTER) ? j != i
                           : n->op == WS_QOP_AND_NOT                       ? i > 0 && j == 0
                                                                           : 0;
            if (required && ws_qtree_add(ctx, loosen(n->kids[j], 0)) < 0)
                *st = WS_ENOMEM;
        }
        return 1;
    }
    return 0;
}

/* The address of the first CHECK under *at, or NULL. */
static ws_qnode **first_check(ws_qnode **at)
{
    if ((*at)->op == WS_QOP_CHECK)
        return at;
    for (size_t i = 0; i < (*at)->nkids; i++) {
        ws_qnode **k = first_check(&(*at)->kids[i]);
        if (k)
            return k;
    }
    return NULL;
}

/* Whether the stored document data passes check k, in its title or body. */
static ws_status passes(ws_analyzer *a, const ws_occ_patterns *ps, unsigned k, const char *data,
                        int *ok)
{
    *ok = 0;
    json_t *j = json_loads(data, 0, NULL);
    if (!j)
        return WS_ECORRUPT;
    ws_status st = WS_OK;
    static const char *const fields[] = {"title", "body"};
    for (int f = 0; f < 2 && st == WS_OK && !*ok; f++) {
        json_t *v = json_object_get(j, fields[f]);
        if (json_is_string(v))
            st = ws_occ_near_holds(a, ps, k, json_string_value(v), json_string_length(v), f == 0,
                                   ok);
    }
    json_decref(j);
    return st;
}

/* What the threads that read word lists share (ws_listed_each), and each
 * one's own: a verdict per document of a block. */
typedef struct listed_check {
    const ws_occ_patterns *ps;
    unsigned k;
    double deadline;
    atomic_int cut;
    unsigned char *verdict; /* per document: PENDING, FAILED or PASSED */
} listed_check;

typedef struct listed_thread {
    listed_check *c;
    unsigned calls;
} listed_thread;

enum { PENDING, FAILED, PASSED };

/* Whether document i's word list passes the check, in its title or body;
 * WS_ETOOBIG once the time limit has passed (c->cut set). */
static ws_status listed_passes(void *ctx, size_t i, const ws_wordfield wf[2],
                               const ws_wordcached *cw)
{
    (void)cw;
    listed_thread *t = ctx;
    listed_check *c = t->c;
    if (c->deadline > 0 && !(t->calls++ & 31) &&
        (atomic_load(&c->cut) || ws_db_now() > c->deadline)) {
        atomic_store(&c->cut, 1);
        return WS_ETOOBIG;
    }
    int ok = 0;
    ws_status st = WS_OK;
    for (int f = 0; f < 2 && st == WS_OK && !ok; f++)
        st = ws_occ_near_holds_listed(c->ps, c->k, &wf[f], f == 0, &ok);
    if (st == WS_OK)
        c->verdict[i] = ok ? PASSED : FAILED;
    return st;
}

/* ---- pairs told by positions ---- */

/* Whether a proper prefix of t[0..len) is also its suffix (哈哈, 啊哦啊):
 * then two of its occurrences may overlap, and one found left to right
 * without overlap may stand elsewhere than a given one. */
static int has_border(const char *t, size_t len)
{
    for (size_t k = 1; k < len; k++)
        if (!memcmp(t, t + len - k, k))
            return 1;
    return 0;
}

/* The one pattern of proximity k's side s, or NULL when it has several. */
static const ws_occ_pattern *side_pattern(const ws_occ_patterns *ps, unsigned k, unsigned s)
{
    const ws_occ_pattern *one = NULL;
    for (size_t i = 0; i < ps->n; i++) {
        if (ps->p[i].near != k + 1 || ps->p[i].side != s)
            continue;
        if (one)
            return NULL;
        one = &ps->p[i];
    }
    return one;
}

/* The two sides of a check joined, in either order, as patterns of their
 * own for positions.h. */
typedef struct joined_sides {
    ws_occ_pattern p[2];
    ws_occ_patterns order[2]; /* one pattern each: x then y, y then x */
    size_t n;                 /* orders to count: 0 when positions cannot tell */
} joined_sides;

static char *joined(const ws_occ_pattern *x, const ws_occ_pattern *y, size_t *len)
{
    char *t = malloc(x->len + y->len + 1);
    if (t) {
        memcpy(t, x->text, x->len);
        memcpy(t + x->len, y->text, y->len);
        t[x->len + y->len] = '\0';
        *len = x->len + y->len;
    }
    return t;
}

static void joined_free(joined_sides *j)
{
    free(j->p[0].text);
    free(j->p[1].text);
    memset(j, 0, sizeof *j);
}

/* Whether check k can pass documents where a side stands right after the
 * other, nothing between, in one field, as the positions tell (j->n set),
 * without reading them. Exact where it applies: each side one pattern of
 * CJK characters with no border, so that the occurrences found of each
 * (left to right without overlap) are every place it stands, and the two
 * found there do not overlap and are 0 characters apart; CJK characters
 * all, no end of a sentence or of a paragraph stands between them (a
 * paragraph ends after the end of a sentence or at a blank line, and a
 * blank line is a character of the text: ws_analyzer_paragraph_end). Such
 * a pair is the pattern of the two sides joined, in either order, title:
 * when either side is, which positions.h counts exactly. */
static ws_status joined_open(ws_db *db, const ws_occ_patterns *ps, unsigned k, joined_sides *j)
{
    memset(j, 0, sizeof *j);
    const ws_occ_pattern *x = side_pattern(ps, k, 0), *y = side_pattern(ps, k, 1);
    if (!x || !y || has_border(x->text, x->len) || has_border(y->text, y->len))
        return WS_OK;
    for (int o = 0; o < 2; o++) {
        j->p[o].text = o ? joined(y, x, &j->p[o].len) : joined(x, y, &j->p[o].len);
        j->p[o].title_only = x->title_only || y->title_only;
        j->order[o] = (ws_occ_patterns){.p = &j->p[o], .n = 1};
    }
    if (!j->p[0].text || !j->p[1].text) {
        joined_free(j);
        return WS_ENOMEM;
    }
    /* the same side twice: one order */
    size_t n = strcmp(j->p[0].text, j->p[1].text) ? 2 : 1;
    int exact = 0;
    ws_status st = WS_OK;
    if (ws_positions_cheaper(&j->order[0]) && ws_positions_cheaper(&j->order[1]))
        st = ws_positions_exact(db, &exact);
    if (st != WS_OK || !exact) {
        joined_free(j);
        return st;
    }
    j->n = n;
    return WS_OK;
}

/* adj[i] = nonzero when docid[i] (i < n) holds the sides joined: the
 * first order counted for every document, the second only for those
 * without the first (one count of a rarer run for the few, rather than of
 * both for all: 政府人民 beside 人民政府). tmp holds 2 n. */
static ws_status joined_count(ws_db *db, const joined_sides *j, const unsigned *docid, size_t n,
                              unsigned *adj, unsigned *tmp)
{
    ws_status st = ws_positions_any(db, &j->order[0], docid, n, adj);
    if (st != WS_OK || j->n < 2)
        return st;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!adj[i])
            tmp[m++] = docid[i];
    if (!m)
        return WS_OK;
    if ((st = ws_positions_any(db, &j->order[1], tmp, m, tmp + n)) != WS_OK)
        return st;
    for (size_t i = 0, r = 0; i < n; i++)
        if (!adj[i])
            adj[i] = tmp[n + r++];
    return WS_OK;
}

/* Candidates whose pairs the positions tell at a time, and whose lists
 * are read at a time: a time limit cuts the checks between two such blocks
 * too. */
#define CHECK_BLOCK 4096

/* The verdicts of the documents docid[0..m) of a block that the positions
 * left PENDING: by their word lists where they have one, read by every
 * thread the index allows, else by their stored text. */
static ws_status check_block(ws_db *db, ws_analyzer *a, listed_check *c, const unsigned *docid,
                             size_t m, unsigned *tmp, unsigned char *unlisted, char *errbuf,
                             size_t errlen)
{
    size_t left = 0;
    for (size_t i = 0; i < m; i++)
        if (c->verdict[i] == PENDING)
            tmp[left++] = (unsigned)i;
    /* the pending ones, as docids (tmp + CHECK_BLOCK) and their verdicts */
    unsigned *d = tmp + CHECK_BLOCK;
    unsigned char *v = unlisted + CHECK_BLOCK;
    for (size_t i = 0; i < left; i++) {
        d[i] = docid[tmp[i]];
        v[i] = PENDING;
    }
    listed_thread th[WS_LISTED_MAX_THREADS];
    void *ctx[WS_LISTED_MAX_THREADS];
    for (unsigned t = 0; t < WS_LISTED_MAX_THREADS; t++) {
        th[t] = (listed_thread){c, 0};
        ctx[t] = &th[t];
    }
    unsigned char *all = c->verdict;
    c->verdict = v;
    ws_status st = ws_listed_each(db, d, left, listed_passes, ctx, WS_LISTED_MAX_THREADS, unlisted);
    c->verdict = all;
    if (st == WS_ETOOBIG && atomic_load(&c->cut))
        st = WS_OK; /* what was checked stands */
    else if (st != WS_OK && st != WS_ENOMEM)
        snprintf(errbuf, errlen, "%s", ws_db_errmsg(db));
    for (size_t i = 0, texts = 0; i < left && st == WS_OK; i++) {
        if (v[i] == PENDING && c->deadline > 0 && !(texts++ & 31) && ws_db_now() > c->deadline)
            atomic_store(&c->cut, 1);
        if (v[i] == PENDING && !atomic_load(&c->cut) && unlisted[i]) {
            char *data = NULL;
            st = ws_db_data(db, d[i], &data);
            if (st == WS_ENOTFOUND) {
                st = WS_OK; /* deleted since: in no set */
                v[i] = FAILED;
                continue;
            }
            if (st != WS_OK) {
                snprintf(errbuf, errlen, "%s", ws_db_errmsg(db));
                break;
            }
            int ok = 0;
            st = passes(a, c->ps, c->k, data, &ok);
            free(data);
            v[i] = ok ? PASSED : FAILED;
        }
        all[tmp[i]] = v[i];
    }
    return st;
}

static int by_docid(const void *x, const void *y)
{
    unsigned a = *(const unsigned *)x, b = *(const unsigned *)y;
    return a < b ? -1 : a > b;
}

/* What deciding the candidates of one check works with. */
typedef struct deciding {
    ws_db *db;
    ws_analyzer *a;
    listed_check c;
    joined_sides j;
    unsigned *adj;        /* 3 blocks: counts, then scratch */
    unsigned char *flags; /* 3 blocks: verdicts, then scratch */
    ws_proximity_stats *stats;
    unsigned *docs; /* those that passed, in the order decided */
    size_t n;
} deciding;

/* Decides docid[0..m) (rising, m <= CHECK_BLOCK): those whose sides stand
 * joined by the positions, the others by their word lists or their text;
 * those the time limit left undecided are not counted. */
static ws_status decide(deciding *x, const unsigned *docid, size_t m, char *errbuf, size_t errlen)
{
    memset(x->flags, PENDING, m);
    if (x->j.n) {
        ws_status st = joined_count(x->db, &x->j, docid, m, x->adj, x->adj + CHECK_BLOCK);
        if (st != WS_OK) {
            if (st != WS_ENOMEM)
                snprintf(errbuf, errlen, "%s", ws_db_errmsg(x->db));
            return st;
        }
        for (size_t r = 0; r < m; r++)
            if (x->adj[r])
                x->flags[r] = PASSED;
    }
    ws_status st =
        check_block(x->db, x->a, &x->c, docid, m, x->adj, x->flags + CHECK_BLOCK, errbuf, errlen);
    for (size_t r = 0; r < m && st == WS_OK; r++) {
        if (x->flags[r] == PENDING)
            continue; /* not reached in time */
        x->stats->checked++;
        if (x->flags[r] == PASSED) {
            x->docs[x->n++] = docid[r];
            x->stats->passed++;
        }
    }
    return st;
}

/* The candidates decided first, whatever the time: spread evenly over
 * them, so that a search the time limit cuts has a share of every part of
 * the docid range (whose parts differ by source and year) to estimate its
 * total from, and a few enough to cost a few milliseconds. */
#define FIRST_SHARE 256

/* The documents of candidates that pass check k, into *docs (malloc'ed,
 * sorted) and *n. With a deadline, FIRST_SHARE of them spread over the
 * list are decided first whatever the time (a search cut before any was
 * decided said "about 0" with no hit, for a pair in 14,194 documents), then
 * the blocks in an order spread over the list too (bit reversal: the
 * first, the middle, the quarters, ...) while there is time. */
static ws_status check_all(ws_db *db, ws_analyzer *a, const ws_occ_patterns *ps, unsigned k,
                           const ws_db_list *cand, double deadline, ws_proximity_stats *stats,
                           unsigned **docs, size_t *n, char *errbuf, size_t errlen)
{
    *n = 0;
    *docs = NULL;
    deciding x = {.db = db, .a = a, .stats = stats};
    x.docs = malloc((cand->n ? cand->n : 1) * sizeof *x.docs);
    ws_status st = x.docs ? joined_open(db, ps, k, &x.j) : WS_ENOMEM;
    if (st != WS_OK && st != WS_ENOMEM)
        snprintf(errbuf, errlen, "%s", ws_db_errmsg(db));
    x.adj = st == WS_OK ? malloc(3 * CHECK_BLOCK * sizeof *x.adj) : NULL;
    x.flags = x.adj ? malloc(3 * CHECK_BLOCK) : NULL;
    unsigned *pick = x.flags ? malloc(CHECK_BLOCK * sizeof *pick) : NULL;
    if (st == WS_OK && !pick)
        st = WS_ENOMEM;
    x.c = (listed_check){.ps = ps, .k = k, .deadline = 0, .verdict = x.flags};
    atomic_store(&x.c.cut, 0);
    if (st == WS_OK)
        stats->candidates += cand->n;
    /* the first share: every stride-th candidate, when there is a limit
     * and more candidates than the share */
    size_t stride =
        deadline > 0 && cand->n ? (cand->n > FIRST_SHARE ? cand->n / FIRST_SHARE : 1) : 0;
    if (st == WS_OK && stride) {
        size_t m = 0;
        for (size_t i = 0; i < cand->n && m < FIRST_SHARE; i += stride)
            pick[m++] = cand->docid[i];
        st = decide(&x, pick, m, errbuf, errlen);
    }
    x.c.deadline = deadline;
    size_t nblocks = (cand->n + CHECK_BLOCK - 1) / CHECK_BLOCK, bits = 0;
    while (((size_t)1 << bits) < nblocks)
        bits++;
    for (size_t b = 0; b < ((size_t)1 << bits) && st == WS_OK; b++) {
        size_t blk = 0;
        for (size_t v = b, bit = 0; bit < bits; bit++, v >>= 1)
            blk = blk << 1 | (v & 1);
        if (blk >= nblocks)
            continue;
        if (deadline > 0 && (atomic_load(&x.c.cut) || ws_db_now() > deadline)) {
            atomic_store(&x.c.cut, 1);
            break;
        }
        if (ws_db_past_deadline(db)) {
            st = WS_ETIMEOUT;
            break;
        }
        size_t i = blk * CHECK_BLOCK, m = 0;
        size_t end = cand->n - i < CHECK_BLOCK ? cand->n : i + CHECK_BLOCK;
        for (; i < end; i++) /* (those of the first share decided already) */
            if (!stride || i % stride || i / stride >= FIRST_SHARE)
                pick[m++] = cand->docid[i];
        if (m)
            st = decide(&x, pick, m, errbuf, errlen);
    }
    stats->cut |= atomic_load(&x.c.cut);
    free(pick);
    free(x.flags);
    free(x.adj);
    joined_free(&x.j);
    if (st != WS_OK) {
        free(x.docs);
        return st;
    }
    qsort(x.docs, x.n, sizeof *x.docs, by_docid);
    *docs = x.docs;
    *n = x.n;
    return WS_OK;
}

/* A side's first characters as index terms of one field, for the sieve
 * of positions (ws_db_near_filter). */
typedef struct side_terms {
    char buf[WS_OCC_MAX_PATTERNS][16];
    const char *t[WS_OCC_MAX_PATTERNS];
    size_t n;
} side_terms;

/* The terms in field of the first character of each pattern of proximity
 * k's side s, and in *longest the most characters of one; 0 when a pattern
 * holds what is not a Han character (a Latin word takes one position for
 * many characters, which is still a sieve, but its term is no character). */
static int first_chars(const ws_occ_patterns *ps, unsigned k, unsigned s, ws_field field,
                       side_terms *out, size_t *longest)
{
    out->n = 0;
    for (size_t i = 0; i < ps->n; i++) {
        const ws_occ_pattern *p = &ps->p[i];
        if (p->near != k + 1 || p->side != s)
            continue;
        size_t chars = 0, first = 0;
        for (size_t j = 0; j < p->len;) {
            uint32_t cp;
            int l = ws_utf8_decode((const unsigned char *)p->text + j, p->len - j, &cp);
            if (!ws_char_is_han(cp))
                return 0;
            if (!j)
                first = (size_t)l;
            chars++;
            j += (size_t)l;
        }
        if (chars > *longest)
            *longest = chars;
        if (p->title_only && field != WS_FIELD_TITLE)
            continue;
        snprintf(out->buf[out->n], sizeof out->buf[out->n], "%s%.*s",
                 ws_termgen_prefix(field, WS_TERM_UNI), (int)first, p->text);
        out->t[out->n] = out->buf[out->n];
        out->n++;
    }
    return 1;
}

/* Sieves the candidates of proximity k (NEAR/n) by the index's positions,
 * when both sides are Han characters. */
static ws_status sieve(ws_db *db, const ws_occ_patterns *ps, unsigned k, double deadline, int *cut,
                       ws_db_list *list)
{
    /* [field][side]: 20 KB, not on a thread's stack */
    side_terms(*t)[2] = malloc(2 * sizeof *t);
    if (!t)
        return WS_ENOMEM;
    size_t longest = 0;
    int ok = 1;
    for (int f = 0; f < 2 && ok; f++)
        for (unsigned s = 0; s < 2 && ok; s++)
            ok = first_chars(ps, k, s, f ? WS_FIELD_TITLE : WS_FIELD_BODY, &t[f][s], &longest);
    ws_status st = WS_OK;
    if (ok) {
        ws_db_near fields[2];
        for (int f = 0; f < 2; f++)
            fields[f] = (ws_db_near){t[f][0].t, t[f][0].n, t[f][1].t, t[f][1].n};
        st = ws_db_near_filter(db, fields, 2, ps->near[k].within + (unsigned)longest, deadline, cut,
                               list);
    }
    free(t);
    return st;
}

/* Whether the word cache holds every shard of db at its revision. */
static int cached(ws_db *db)
{
    const ws_wordshard *shard[WS_CACHESWEEP_MAX_SHARDS];
    unsigned ns;
    if (!ws_cachesweep_hold(db, shard, &ns))
        return 0;
    ws_cachesweep_release(db, shard, ns);
    return 1;
}

ws_status ws_proximity_resolve(ws_db *db, ws_analyzer *a, const ws_occ_patterns *ps, ws_qnode **q,
                               double time_limit, ws_proximity_stats *stats, char *errbuf,
                               size_t errlen)
{
    memset(stats, 0, sizeof *stats);
    double deadline = time_limit > 0 ? ws_db_now() + time_limit : 0;
    ws_qnode **at;
    while ((at = first_check(q))) {
        ws_qnode *chk = *at;
        if (chk->slot >= ps->nnear) {
            snprintf(errbuf, errlen, "a proximity of the query has no patterns");
            return WS_EINTERNAL;
        }
        /* the candidates: both sides, and what the query requires beside */
        ws_status st = WS_OK;
        ws_qnode *cand = ws_qtree_op(WS_QOP_AND), *sides = loosen(chk, 0);
        if (!cand || ws_qtree_add(cand, sides) < 0 || !sides) {
            ws_qtree_free(cand);
            return WS_ENOMEM;
        }
        context(*q, chk, cand, &st);
        ws_db_list list = {0};
        if (st == WS_OK && (st = ws_db_match_set(db, cand, &list)) != WS_OK)
            snprintf(errbuf, errlen, "%s", ws_db_errmsg(db));
        stats->holding += list.n;
        int sieve_cut = 0;
        if (st == WS_OK && ps->near[chk->slot].kind == WS_NEAR_CHARS && !cached(db) &&
            (st = sieve(db, ps, chk->slot, deadline, &sieve_cut, &list)) != WS_OK)
            snprintf(errbuf, errlen, "%s", ws_db_errmsg(db));
        stats->cut |= sieve_cut;
        ws_qtree_free(cand);
        unsigned *docs = NULL;
        size_t n = 0;
        if (st == WS_OK)
            st = check_all(db, a, ps, chk->slot, &list, deadline, stats, &docs, &n, errbuf, errlen);
        ws_db_list_free(&list);
        if (st != WS_OK)
            return st;
        /* the check's place: its documents, weighted by its sides */
        ws_qnode *d = ws_qtree_docs(docs, n), *w = d ? ws_qtree_op(WS_QOP_AND) : NULL;
        if (!w) {
            ws_qtree_free(d);
            return WS_ENOMEM;
        }
        w->kids = chk->kids;
        w->nkids = chk->nkids;
        chk->kids = NULL;
        chk->nkids = 0;
        if (ws_qtree_add(d, w) < 0) {
            ws_qtree_free(d);
            return WS_ENOMEM;
        }
        ws_qtree_free(chk);
        *at = d;
    }
    return WS_OK;
}
