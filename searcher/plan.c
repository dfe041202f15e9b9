#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lexicon.h"
#include "schema.h"
#include "search.h"
#include "termgen.h"

/* Weights of the parts of a keyword query (see plan.h). */
#define W_STRICT_IN_RELAXED 3.0 /* documents with every word, in a relaxed plan */
#define W_TITLE             2.0 /* a match in the title */
/* Relaxed plans (questions) OR only the body's terms: where a title names
 * the whole (a law's name on each of its articles)
 * it ranks every part of it above the one that answers. Measured on the
 * legal questions (tools/eval.py), title weight in that OR 2.0 -> nDCG@10
 * 0.301, 1.0 -> 0.348, 0.25 -> 0.383, none -> 0.390, and faster. Documents
 * with every word in body or title still get the strict part's weight. */
#define W_RUN_PHRASE 1.5 /* the whole CJK run as it was typed */

/* One term of an analyzed text, and the token it came from. */
typedef struct qterm {
    char *term;
    ws_term_kind kind;
    uint32_t pos;    /* the term's position, 0 for none */
    uint32_t at;     /* where it starts: pos, or for a pair its first character's */
    uint32_t tokpos; /* its token's */
    uint32_t nchars;
    int tokkind;
    unsigned lexflags;
    unsigned parts;
} qterm;

typedef struct qtok {
    int kind;
    uint32_t pos, nchars;
    unsigned lexflags, parts;
    size_t start, end; /* bytes of the query it comes from */
    char *text;
} qtok;

typedef struct analysis {
    qterm *t;
    size_t n, cap;
    qtok *k;
    size_t nk, capk;
    ws_status st;
} analysis;

typedef struct ctx {
    ws_analyzer *a;
    const ws_synonyms *syn;
    char *err;
    size_t errlen;
    size_t units;
    size_t words; /* units, a run of single characters counting as one */
    char **marks;
    size_t nmarks, capmarks;
    ws_status st;
} ctx;

/* Words that ask rather than say (如何, 是否, 什么时候): the answer is not
 * about them, so a relaxed plan leaves them out, with the pairs that touch
 * them. Measured on the legal questions (tools/eval.py): nDCG@10 +0.002,
 * Recall@100 +0.003. Words that also say something (可以, 应该, 需要: an
 * article says what one 可以 do) are not in the list: they made no
 * difference. */
static const char *const asking[] = {
    "什么", "什么时候", "如何", "怎么",   "怎么办", "怎样", "怎么样", "是否", "能否", "可否",
    "哪些", "哪个",     "哪里", "为什么", "多少",   "请问", "呢",     "吗",   "么",
};

static int is_asking(const char *word)
{
    for (size_t i = 0; i < sizeof asking / sizeof *asking; i++)
        if (!strcmp(asking[i], word))
            return 1;
    return 0;
}

static void analysis_free(analysis *an)
{
    for (size_t i = 0; i < an->n; i++)
        free(an->t[i].term);
    for (size_t i = 0; i < an->nk; i++)
        free(an->k[i].text);
    free(an->t);
    free(an->k);
}

static ws_status on_term(void *vctx, const char *term, size_t len, uint32_t pos, ws_term_kind kind,
                         const ws_token *tok)
{
    analysis *an = vctx;
    if (an->n == an->cap) {
        size_t cap = an->cap ? an->cap * 2 : 32;
        qterm *t = realloc(an->t, cap * sizeof *t);
        if (!t)
            return WS_ENOMEM;
        an->t = t;
        an->cap = cap;
    }
    /* a new token: remember it (compound and first part share a position) */
    if (!an->nk || an->k[an->nk - 1].pos != tok->pos || an->k[an->nk - 1].kind != (int)tok->kind) {
        if (an->nk == an->capk) {
            size_t cap = an->capk ? an->capk * 2 : 16;
            qtok *k = realloc(an->k, cap * sizeof *k);
            if (!k)
                return WS_ENOMEM;
            an->k = k;
            an->capk = cap;
        }
        char *text = strdup(tok->text);
        if (!text)
            return WS_ENOMEM;
        an->k[an->nk++] = (qtok){(int)tok->kind, tok->pos,   tok->nchars, tok->lexflags,
                                 tok->parts,     tok->start, tok->end,    text};
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return WS_ENOMEM;
    memcpy(copy, term, len);
    copy[len] = '\0';
    /* a pair comes right after the character that ends it (termgen.h) */
    uint32_t at = pos;
    if (kind == WS_TERM_BI && an->n && an->t[an->n - 1].kind == WS_TERM_UNI)
        at = an->t[an->n - 1].pos - 1;
    an->t[an->n++] = (qterm){copy,        kind,           pos,           at,        tok->pos,
                             tok->nchars, (int)tok->kind, tok->lexflags, tok->parts};
    return WS_OK;
}

static ws_status analyze(ctx *c, const char *text, ws_field field, analysis *an)
{
    memset(an, 0, sizeof *an);
    uint32_t pos = 1;
    ws_status st = ws_termgen_run(c->a, text, strlen(text), field, 0, &pos, on_term, an);
    if (st != WS_OK)
        analysis_free(an);
    return st;
}

static void add_mark(ctx *c, const char *s, size_t len)
{
    if (!len)
        return;
    for (size_t i = 0; i < c->nmarks; i++)
        if (strlen(c->marks[i]) == len && !memcmp(c->marks[i], s, len))
            return;
    if (c->nmarks == c->capmarks) {
        size_t cap = c->capmarks ? c->capmarks * 2 : 16;
        char **m = realloc(c->marks, cap * sizeof *m);
        if (!m) {
            c->st = WS_ENOMEM;
            return;
        }
        c->marks = m;
        c->capmarks = cap;
    }
    char *d = malloc(len + 1);
    if (!d) {
        c->st = WS_ENOMEM;
        return;
    }
    memcpy(d, s, len);
    d[len] = '\0';
    c->marks[c->nmarks++] = d;
}

static ws_qnode *term_of(const qterm *t, int with_pos)
{
    return ws_qtree_term(t->term, strlen(t->term), with_pos ? t->pos : 0);
}

/* Adds the term to an OR once; a repeated term raises its wqf instead
 * (BM25 saturates it), so that a word asked twice does not count twice. */
static void add_once(ws_qnode * or, const qterm *t, double factor)
{
    for (size_t i = 0; i < or->nkids; i++) {
        ws_qnode *k = or->kids[i];
        if (k->op == WS_QOP_SCALE)
            k = k->kids[0];
        if (k->op == WS_QOP_TERM && !strcmp(k->term, t->term)) {
            k->wqf++;
            return;
        }
    }
    ws_qnode *n = term_of(t, 0);
    ws_qtree_add(or, factor == 1.0 ? n : ws_qtree_scale(n, factor));
}

/* A node of kids, or the only kid, or NULL when there is none. */
static ws_qnode *collapse(ws_qnode *n)
{
    if (!n)
        return NULL;
    if (n->nkids == 0 && (n->op != WS_QOP_ALL && n->op != WS_QOP_NOTHING && n->op != WS_QOP_TERM &&
                          n->op != WS_QOP_BOOL_TERM && n->op != WS_QOP_RANGE)) {
        ws_qtree_free(n);
        return NULL;
    }
    if (n->nkids == 1 && (n->op == WS_QOP_AND || n->op == WS_QOP_OR || n->op == WS_QOP_PHRASE ||
                          n->op == WS_QOP_SYNONYM)) {
        ws_qnode *k = n->kids[0];
        n->nkids = 0;
        ws_qtree_free(n);
        return k;
    }
    return n;
}

/* The terms from..to of an analysis as a phrase. The pairs (and Latin words)
 * are required and give the weight, as they would for the words; the
 * characters and Latin words at their positions check the order and add no
 * weight of their own (a filter). A stretch without a pair (one character,
 * or characters apart) is weighted by its characters. */
static ws_qnode *phrase_of(const analysis *an, uint32_t from, uint32_t to)
{
    ws_qnode *ph = ws_qtree_op(WS_QOP_PHRASE), *and = ws_qtree_op(WS_QOP_AND);
    if (!ph || !and) {
        ws_qtree_free(ph);
        ws_qtree_free(and);
        return NULL;
    }
    uint32_t lo = UINT32_MAX, hi = 0;
    size_t npairs = 0, nlatin = 0;
    for (size_t i = 0; i < an->n; i++) {
        const qterm *t = &an->t[i];
        if (t->tokpos < from || t->tokpos > to)
            continue;
        if (t->kind == WS_TERM_BI && t->at >= from) {
            ws_qtree_add(and, term_of(t, 0));
            npairs++;
            continue;
        }
        int latin = t->kind == WS_TERM_WORD && t->pos && t->tokkind == WS_TOKEN_ALNUM;
        if (!latin && !(t->kind == WS_TERM_UNI && t->pos))
            continue;
        ws_qtree_add(ph, term_of(t, 1));
        nlatin += latin;
        if (latin)
            ws_qtree_add(and, term_of(t, 0));
        if (t->pos < lo)
            lo = t->pos;
        if (t->pos > hi)
            hi = t->pos;
    }
    ph->window = ph->nkids ? hi - lo + 1 : 0;
    if (and->nkids == 0) {
        ws_qtree_free(and);
        return collapse(ph); /* its characters weigh */
    }
    /* two characters: their pair is the phrase, with nothing to check (the
     * most common query, a two-character word, costs one term) */
    if (ph->nkids < 2 || (ph->nkids == 2 && npairs == 1 && !nlatin)) {
        ws_qtree_free(ph);
        return collapse(and);
    }
    ws_qnode *f = ws_qtree_op(WS_QOP_FILTER);
    if (!f) {
        ws_qtree_free(ph);
        ws_qtree_free(and);
        return NULL;
    }
    ws_qtree_add(f, collapse(and));
    ws_qtree_add(f, ph);
    return f;
}

/* What a one-token unit requires in one field. */
static ws_qnode *unit_of(const analysis *an, const qtok *k)
{
    if (k->kind == WS_TOKEN_HAN && k->nchars == 1) {
        for (size_t i = 0; i < an->n; i++)
            if (an->t[i].kind == WS_TERM_UNI && an->t[i].tokpos == k->pos)
                return term_of(&an->t[i], 0);
        return NULL;
    }
    if (k->kind == WS_TOKEN_HAN)
        return phrase_of(an, k->pos, k->pos + k->nchars - 1);
    for (size_t i = 0; i < an->n; i++)
        if (an->t[i].kind == WS_TERM_WORD && an->t[i].tokpos == k->pos &&
            an->t[i].tokkind == k->kind)
            return term_of(&an->t[i], 0);
    return NULL;
}

/* Adds to or each of the synonyms syn[0..ns), as phrases in body or title. */
static void add_synonyms(ctx *c, ws_qnode * or, const char **syn, size_t ns, int title_only)
{
    for (size_t i = 0; i < ns; i++) {
        analysis sb, stt;
        if (analyze(c, syn[i], WS_FIELD_BODY, &sb) != WS_OK)
            continue;
        if (analyze(c, syn[i], WS_FIELD_TITLE, &stt) != WS_OK) {
            analysis_free(&sb);
            continue;
        }
        if (sb.nk) {
            uint32_t end = sb.k[sb.nk - 1].pos + sb.k[sb.nk - 1].nchars;
            if (!title_only)
                ws_qtree_add(or, phrase_of(&sb, 1, end));
            ws_qtree_add(or, ws_qtree_scale(phrase_of(&stt, 1, end), W_TITLE));
            add_mark(c, syn[i], strlen(syn[i]));
        }
        analysis_free(&sb);
        analysis_free(&stt);
    }
}

/* A unit in body or title, with its synonyms. */
static ws_qnode *unit_both(ctx *c, const analysis *body, const analysis *title, const qtok *k,
                           int title_only)
{
    ws_qnode * or = ws_qtree_op(WS_QOP_OR);
    if (! or)
        return NULL;
    if (!title_only)
        ws_qtree_add(or, unit_of(body, k));
    size_t ki = (size_t)(k - body->k);
    if (ki < title->nk)
        ws_qtree_add(or, ws_qtree_scale(unit_of(title, &title->k[ki]), W_TITLE));
    const char *syn[WS_SYNONYMS_MAX_GROUP];
    size_t ns = ws_synonyms_lookup(c->syn, k->text, syn, WS_SYNONYMS_MAX_GROUP);
    add_synonyms(c, or, syn, ns, title_only);
    return collapse(or);
}

/* The synonyms of CJK tokens i..*end-1 taken together, longest run first:
 * a word of the synonym file that the segmenter splits (碳达峰 is 碳/达/峰)
 * is still looked up whole. 0 when no run of two tokens or more has any. */
#define SPAN_MAX_TOKENS 8
static size_t span_synonyms(const ctx *c, const analysis *an, size_t i, size_t *end,
                            const char **syn)
{
    char buf[256];
    size_t last = i;
    if (!c->syn || an->k[i].kind != WS_TOKEN_HAN)
        return 0;
    while (last + 1 < an->nk && last + 1 - i < SPAN_MAX_TOKENS &&
           an->k[last + 1].kind == WS_TOKEN_HAN &&
           an->k[last + 1].pos == an->k[last].pos + an->k[last].nchars)
        last++;
    for (size_t j = last + 1; j >= i + 2; j--) {
        size_t n = 0, k;
        for (k = i; k < j; k++) {
            size_t l = strlen(an->k[k].text);
            if (n + l >= sizeof buf)
                break;
            memcpy(buf + n, an->k[k].text, l);
            n += l;
        }
        if (k < j)
            continue;
        buf[n] = '\0';
        size_t ns = ws_synonyms_lookup(c->syn, buf, syn, WS_SYNONYMS_MAX_GROUP);
        if (ns) {
            *end = j;
            return ns;
        }
    }
    return 0;
}

/* Tokens i..j-1, a word of the synonym file: the run as a phrase in body or
 * title, or any of its synonyms. */
static ws_qnode *span_both(ctx *c, const analysis *body, const analysis *title, size_t i, size_t j,
                           const char **syn, size_t ns, int title_only)
{
    uint32_t from = body->k[i].pos, to = body->k[j - 1].pos + body->k[j - 1].nchars - 1;
    ws_qnode * or = ws_qtree_op(WS_QOP_OR);
    if (! or)
        return NULL;
    if (!title_only)
        ws_qtree_add(or, phrase_of(body, from, to));
    ws_qtree_add(or, ws_qtree_scale(phrase_of(title, from, to), W_TITLE));
    add_synonyms(c, or, syn, ns, title_only);
    return collapse(or);
}

/* Is token i covered by a compound before it? */
static int covered(const analysis *an, size_t i)
{
    /* by bytes: the compound's parts count joiners (-, .) that hold no term
     * and so are not in an->k */
    for (size_t j = i; j-- > 0 && i - j <= 64;)
        if (an->k[j].kind == WS_TOKEN_COMPOUND && an->k[j].start <= an->k[i].start &&
            an->k[i].end <= an->k[j].end)
            return 1;
    return 0;
}

/* Marks: the text of each unit, and each CJK run whole. */
static void mark_units(ctx *c, const analysis *an)
{
    char run[1024];
    size_t rl = 0;
    uint32_t next = 0;
    for (size_t i = 0; i < an->nk; i++) {
        const qtok *k = &an->k[i];
        if (k->kind == WS_TOKEN_HAN && k->pos == next && rl + strlen(k->text) < sizeof run) {
            memcpy(run + rl, k->text, strlen(k->text));
            rl += strlen(k->text);
        } else {
            if (rl)
                add_mark(c, run, rl);
            rl = 0;
            if (k->kind == WS_TOKEN_HAN && strlen(k->text) < sizeof run) {
                memcpy(run, k->text, strlen(k->text));
                rl = strlen(k->text);
            }
        }
        next = k->kind == WS_TOKEN_HAN ? k->pos + k->nchars : 0;
        if (k->kind == WS_TOKEN_HAN && k->nchars >= 2)
            add_mark(c, k->text, strlen(k->text)); /* the word alone, too */
        if (k->kind != WS_TOKEN_HAN && !covered(an, i))
            add_mark(c, k->text, strlen(k->text));
    }
    if (rl)
        add_mark(c, run, rl);
}

/* The CJK token that holds character position pos, or NULL. */
static const qtok *token_at(const analysis *an, uint32_t pos)
{
    for (size_t i = 0; i < an->nk; i++)
        if (an->k[i].kind == WS_TOKEN_HAN && an->k[i].pos <= pos &&
            pos < an->k[i].pos + an->k[i].nchars)
            return &an->k[i];
    return NULL;
}

/* Is term t of a relaxed plan left out? Stop words are, except the pairs
 * that end in one (产的 still places 产: nDCG@10 +0.001, Recall@100
 * +0.003 on the legal questions); asking words are, with every pair that
 * touches one. */
static int loose_skips(const analysis *an, const qterm *t)
{
    if (t->tokkind != WS_TOKEN_HAN)
        return (t->lexflags & WS_LEX_STOP) != 0;
    const qtok *first = t->kind == WS_TERM_BI ? token_at(an, t->at) : NULL;
    const qtok *own = token_at(an, t->tokpos);
    if ((first && is_asking(first->text)) || (own && is_asking(own->text)))
        return 1;
    return t->kind != WS_TERM_BI && (t->lexflags & WS_LEX_STOP);
}

/* The keyword plan of a TEXT node (strict; *relaxed gets the relaxed one). */
static ws_qnode *plan_text(ctx *c, const ws_qast *n, ws_qnode **relaxed)
{
    analysis body, title;
    *relaxed = NULL;
    if ((c->st = analyze(c, n->text, WS_FIELD_BODY, &body)) != WS_OK)
        return NULL;
    if ((c->st = analyze(c, n->text, WS_FIELD_TITLE, &title)) != WS_OK) {
        analysis_free(&body);
        return NULL;
    }
    ws_qnode *strict = ws_qtree_op(WS_QOP_AND), *opt = ws_qtree_op(WS_QOP_OR),
             *boost = ws_qtree_op(WS_QOP_OR), *loose = ws_qtree_op(WS_QOP_OR);
    size_t units = 0, words = 0;
    int prev_single = 0;
    uint32_t prev_end = 0;
    for (size_t i = 0; i < body.nk && strict && opt && boost && loose; i++) {
        const qtok *k = &body.k[i];
        if (k->kind == WS_TOKEN_PUNCT || covered(&body, i))
            continue;
        const char *syn[WS_SYNONYMS_MAX_GROUP];
        size_t end = i + 1, ns = span_synonyms(c, &body, i, &end, syn);
        /* a run of single characters is one word the lexicon does not know
         * (蔺晓琮), not a question of many words */
        int single = k->kind == WS_TOKEN_HAN && k->nchars == 1 && end == i + 1;
        words += !(single && prev_single && k->pos == prev_end);
        prev_single = single;
        prev_end = body.k[end - 1].pos + body.k[end - 1].nchars;
        units += end - i;
        ws_qnode *u = ns ? span_both(c, &body, &title, i, end, syn, ns, n->title)
                         : unit_both(c, &body, &title, k, n->title);
        i = end - 1;
        if (!u)
            continue;
        if (!ns && (k->lexflags & WS_LEX_STOP))
            ws_qtree_add(opt, u);
        else
            ws_qtree_add(strict, u);
    }
    c->units += units;
    c->words += words;
    /* boosts: the words themselves, and each CJK run of several words */
    for (size_t i = 0; i < body.n && boost && loose; i++) {
        const qterm *t = &body.t[i];
        if (!n->title && t->kind == WS_TERM_WORD && t->tokkind == WS_TOKEN_HAN)
            ws_qtree_add(boost, term_of(t, 0));
        if (!n->title && !loose_skips(&body, t) &&
            (t->kind == WS_TERM_BI || t->kind == WS_TERM_WORD ||
             (t->kind == WS_TERM_UNI && t->nchars == 1)))
            add_once(loose, t, 1.0);
    }
    /* No title terms in the relaxed plan (see the note at the top): the title
     * counts there through the strict part only. */
    for (size_t i = 0; i < body.nk && boost;) {
        size_t j = i + 1;
        while (j < body.nk && body.k[j].kind == WS_TOKEN_HAN && body.k[i].kind == WS_TOKEN_HAN &&
               body.k[j].pos == body.k[j - 1].pos + body.k[j - 1].nchars)
            j++;
        if (j - i >= 2 && body.k[i].kind == WS_TOKEN_HAN && !n->title)
            ws_qtree_add(boost,
                         ws_qtree_scale(phrase_of(&body, body.k[i].pos,
                                                  body.k[j - 1].pos + body.k[j - 1].nchars - 1),
                                        W_RUN_PHRASE));
        i = j;
    }
    mark_units(c, &body);
    analysis_free(&body);
    analysis_free(&title);
    if (!strict || !opt || !boost || !loose) {
        ws_qtree_free(strict);
        ws_qtree_free(opt);
        ws_qtree_free(boost);
        ws_qtree_free(loose);
        c->st = WS_ENOMEM;
        return NULL;
    }
    if (strict->nkids == 0) {
        /* only stop words: they are all the query has, so require them */
        ws_qtree_free(strict);
        strict = opt;
        opt = NULL;
    }
    strict = collapse(strict);
    if (!strict) {
        ws_qtree_free(opt);
        ws_qtree_free(boost);
        ws_qtree_free(loose);
        return NULL;
    }
    ws_qtree_add(boost, opt);
    boost = collapse(boost);
    ws_qnode *q = ws_qtree_op(WS_QOP_AND_MAYBE);
    ws_qnode *strict2 = boost ? ws_qtree_copy(strict) : NULL;
    ws_qnode *boost2 = boost ? ws_qtree_copy(boost) : NULL;
    ws_qtree_add(q, strict);
    ws_qtree_add(q, boost);
    q = collapse(q);
    /* relaxed: any of the words, those with all of them far ahead; but a
     * question (WS_QUESTION_WORDS) almost never has them all in one
     * document, and when it has, BM25 over them already ranks it high: on
     * the legal questions the strict part cost 0.002 nDCG@10 and 10% time */
    ws_qnode *r = ws_qtree_op(WS_QOP_OR);
    if (r) {
        if (words < WS_QUESTION_WORDS)
            ws_qtree_add(
                r, ws_qtree_scale(strict2 ? strict2 : ws_qtree_copy(strict), W_STRICT_IN_RELAXED));
        else
            ws_qtree_free(strict2);
        ws_qtree_add(r, collapse(loose));
        /* The boosts (word terms again, the typed run as a phrase) are left
         * out: on the legal questions they cost 0.004 nDCG@10 and 30% time. */
        ws_qtree_free(boost2);
        *relaxed = collapse(r);
    } else {
        ws_qtree_free(strict2);
        ws_qtree_free(boost2);
        ws_qtree_free(loose);
    }
    return q;
}

static ws_qnode *plan_phrase(ctx *c, const ws_qast *n)
{
    analysis body, title;
    if ((c->st = analyze(c, n->text, WS_FIELD_BODY, &body)) != WS_OK)
        return NULL;
    if ((c->st = analyze(c, n->text, WS_FIELD_TITLE, &title)) != WS_OK) {
        analysis_free(&body);
        return NULL;
    }
    ws_qnode * or = ws_qtree_op(WS_QOP_OR);
    if (or &&body.nk) {
        uint32_t end = body.k[body.nk - 1].pos + body.k[body.nk - 1].nchars;
        if (!n->title)
            ws_qtree_add(or, phrase_of(&body, 1, end));
        ws_qtree_add(or, ws_qtree_scale(phrase_of(&title, 1, end), W_TITLE));
        c->units += body.nk;
        c->words++;
        /* the phrase as typed, normalized: pieces joined, Latin words spaced */
        char buf[WS_QUERY_MAX_BYTES * 2];
        size_t bl = 0;
        int prev_alnum = 0;
        for (size_t i = 0; i < body.nk; i++) {
            const qtok *k = &body.k[i];
            if (k->kind == WS_TOKEN_COMPOUND || covered(&body, i))
                continue;
            int alnum = k->kind == WS_TOKEN_ALNUM;
            size_t l = strlen(k->text);
            if (bl + l + 2 >= sizeof buf)
                break;
            if (alnum && prev_alnum)
                buf[bl++] = ' ';
            memcpy(buf + bl, k->text, l);
            bl += l;
            prev_alnum = alnum;
        }
        add_mark(c, buf, bl);
    }
    analysis_free(&body);
    analysis_free(&title);
    return collapse(or);
}

static ws_qnode *plan(ctx *c, const ws_qast *n, ws_qnode **relaxed);

/* The relaxed plan of a quoted phrase's words, as if unquoted; the words are
 * counted once, with the phrase. */
static ws_qnode *phrase_words(ctx *c, const ws_qast *phrase)
{
    ws_qast text = *phrase;
    text.kind = WS_QAST_TEXT;
    size_t units = c->units, words = c->words;
    ws_qnode *r = NULL, *q = plan_text(c, &text, &r);
    c->units = units;
    c->words = words;
    ws_qtree_free(q);
    return r;
}

/* AND of kids: the positive ones required, NOT kids subtracted. */
static ws_qnode *plan_and(ctx *c, const ws_qast *n, ws_qnode **relaxed)
{
    ws_qnode *pos = ws_qtree_op(WS_QOP_AND), *neg = ws_qtree_op(WS_QOP_OR),
             *flt = ws_qtree_op(WS_QOP_AND);
    ws_qnode *rpos = ws_qtree_op(WS_QOP_AND);
    int relaxable = 0, quoted = 0;
    for (size_t i = 0; i < n->nkids && c->st == WS_OK; i++) {
        const ws_qast *k = n->kids[i];
        ws_qnode *r = NULL;
        if (k->kind == WS_QAST_NOT) {
            ws_qtree_add(neg, plan(c, k->kids[0], NULL));
        } else if (k->kind == WS_QAST_SOURCE || k->kind == WS_QAST_TYPE ||
                   k->kind == WS_QAST_DATE) {
            ws_qtree_add(flt, plan(c, k, NULL));
        } else {
            ws_qnode *q = plan(c, k, &r);
            if (q && !r && k->kind == WS_QAST_PHRASE && n->nkids > 1)
                r = phrase_words(c, k);
            if (q) {
                ws_qtree_add(rpos, r ? r : ws_qtree_copy(q));
                relaxable |= r != NULL;
                quoted |= k->kind == WS_QAST_PHRASE;
            }
            ws_qtree_add(pos, q);
        }
    }
    if (quoted && relaxable && rpos->nkids > 1) {
        /* a question that quotes a term (“一房多租”有效吗？): relaxed, any of
         * its parts, those with all of them first */
        rpos->op = WS_QOP_OR;
        ws_qtree_add(rpos, ws_qtree_scale(collapse(ws_qtree_copy(pos)), W_STRICT_IN_RELAXED));
    }
    ws_qnode *parts[2] = {pos, rpos}, *out[2];
    for (int v = 0; v < 2; v++) {
        ws_qnode *q = parts[v];
        if (!q->nkids) {
            ws_qtree_free(q);
            q = ws_qtree_op(WS_QOP_ALL);
        } else {
            q = collapse(q);
        }
        if (flt->nkids) {
            ws_qnode *f = ws_qtree_op(WS_QOP_FILTER);
            ws_qtree_add(f, q);
            ws_qtree_add(f, collapse(ws_qtree_copy(flt)));
            q = f;
        }
        if (neg->nkids) {
            ws_qnode *an = ws_qtree_op(WS_QOP_AND_NOT);
            ws_qtree_add(an, q);
            ws_qtree_add(an, collapse(ws_qtree_copy(neg)));
            q = an;
        }
        out[v] = q;
    }
    ws_qtree_free(flt);
    ws_qtree_free(neg);
    if (relaxed && relaxable)
        *relaxed = out[1];
    else
        ws_qtree_free(out[1]);
    return out[0];
}

static ws_qnode *plan(ctx *c, const ws_qast *n, ws_qnode **relaxed)
{
    char buf[WS_TERM_MAX + 16];
    if (relaxed)
        *relaxed = NULL;
    if (c->st != WS_OK)
        return NULL;
    switch (n->kind) {
    case WS_QAST_TEXT: {
        ws_qnode *r = NULL, *q = plan_text(c, n, &r);
        if (relaxed)
            *relaxed = r;
        else
            ws_qtree_free(r);
        return q;
    }
    case WS_QAST_PHRASE:
        return plan_phrase(c, n);
    case WS_QAST_AND:
        return plan_and(c, n, relaxed);
    case WS_QAST_NOT: {
        ws_qast one = {.kind = WS_QAST_AND, .kids = (ws_qast **)&n, .nkids = 1};
        return plan_and(c, &one, NULL);
    }
    case WS_QAST_OR: {
        ws_qnode * or = ws_qtree_op(WS_QOP_OR);
        for (size_t i = 0; or &&i < n->nkids; i++)
            ws_qtree_add(or, plan(c, n->kids[i], NULL));
        return collapse(or);
    }
    case WS_QAST_SOURCE:
        snprintf(buf, sizeof buf, "%s%s", WS_PFX_SOURCE, n->text);
        return ws_qtree_bool_term(buf, strlen(buf));
    case WS_QAST_TYPE: {
        int l = snprintf(buf, sizeof buf, "%s%s", WS_PFX_TYPE, n->text);
        for (int i = 0; i < l; i++)
            if (buf[i] >= 'A' && buf[i] <= 'Z' && i >= (int)strlen(WS_PFX_TYPE))
                buf[i] = (char)(buf[i] - 'A' + 'a');
        return ws_qtree_bool_term(buf, strlen(buf));
    }
    case WS_QAST_DATE: {
        /* bounds compare as strings with YYYY-MM-DD values: a partial upper
         * bound covers the whole year or month */
        char hi[16];
        snprintf(hi, sizeof hi, "%s~", n->hi);
        return ws_qtree_range(WS_SLOT_DATE, *n->lo ? n->lo : NULL, *n->hi ? hi : NULL);
    }
    }
    return NULL;
}

ws_status ws_plan_build(ws_analyzer *a, const ws_synonyms *syn, const ws_qast *ast, ws_plan *out,
                        char *errbuf, size_t errlen)
{
    ctx c;
    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);
    c.a = a;
    c.syn = syn;
    c.err = errbuf;
    c.errlen = errlen;
    ws_qnode *r = NULL;
    ws_qnode *q = plan(&c, ast, &r);
    out->marks = c.marks;
    out->nmarks = c.nmarks;
    out->units = c.words;
    if (c.st == WS_OK && c.units > WS_QUERY_MAX_TERMS) {
        snprintf(errbuf, errlen, "the query has %zu words; at most %d are allowed", c.units,
                 WS_QUERY_MAX_TERMS);
        c.st = WS_ETOOBIG;
    }
    if (c.st == WS_OK && !q) {
        snprintf(errbuf, errlen, "the query has no word that can be searched");
        c.st = WS_EQUERY;
    }
    if (c.st != WS_OK) {
        ws_qtree_free(q);
        ws_qtree_free(r);
        ws_plan_free(out);
        return c.st;
    }
    out->query = q;
    out->relaxed = r;
    return WS_OK;
}

void ws_plan_free(ws_plan *p)
{
    ws_qtree_free(p->query);
    ws_qtree_free(p->relaxed);
    for (size_t i = 0; i < p->nmarks; i++)
        free(p->marks[i]);
    free(p->marks);
    memset(p, 0, sizeof *p);
}
