/* plan_text.c - the keyword plan of a run of plain words (a TEXT node, see
 * plan.h): each unit with its synonyms, the boosts, the relaxed plan and the
 * marks. */
#include <stdlib.h>
#include <string.h>
#include "lexicon.h"
#include "plan_int.h"
#include "query.h"
#include "termgen.h"

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

/* Adds the term to an OR once; a repeated term raises its wqf instead
 * (BM25 saturates it), so that a word asked twice does not count twice. */
static void add_once(ws_qnode * or, const ws__qterm *t, double factor)
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
    ws_qnode *n = ws__plan_term(t, 0);
    ws_qtree_add(or, factor == 1.0 ? n : ws_qtree_scale(n, factor));
}

/* What a one-token unit requires in one field. */
static ws_qnode *unit_of(const ws__analysis *an, const ws__qtok *k)
{
    if (k->kind == WS_TOKEN_HAN && k->nchars == 1) {
        for (size_t i = 0; i < an->n; i++)
            if (an->t[i].kind == WS_TERM_UNI && an->t[i].tokpos == k->pos)
                return ws__plan_term(&an->t[i], 0);
        return NULL;
    }
    if (k->kind == WS_TOKEN_HAN)
        return ws__plan_phrase_of(an, k->pos, k->pos + k->nchars - 1);
    for (size_t i = 0; i < an->n; i++)
        if (an->t[i].kind == WS_TERM_WORD && an->t[i].tokpos == k->pos &&
            an->t[i].tokkind == k->kind)
            return ws__plan_term(&an->t[i], 0);
    return NULL;
}

/* Adds to or each of the synonyms syn[0..ns), as phrases in body or title. */
static void add_synonyms(ws__plan_ctx *c, ws_qnode * or, const char **syn, size_t ns,
                         int title_only)
{
    for (size_t i = 0; i < ns; i++) {
        ws__analysis sb, stt;
        if (ws__plan_analyze_both(c, syn[i], &sb, &stt) != WS_OK)
            continue;
        if (sb.nk) {
            uint32_t end = sb.k[sb.nk - 1].pos + sb.k[sb.nk - 1].nchars;
            if (!title_only)
                ws_qtree_add(or, ws__plan_phrase_of(&sb, 1, end));
            ws_qtree_add(or, ws_qtree_scale(ws__plan_phrase_of(&stt, 1, end), W_TITLE));
            ws__plan_mark(c, syn[i], strlen(syn[i]));
        }
        ws__plan_analysis_free(&sb);
        ws__plan_analysis_free(&stt);
    }
}

/* A unit in body or title, with its synonyms. */
static ws_qnode *unit_both(ws__plan_ctx *c, const ws__analysis *body, const ws__analysis *title,
                           const ws__qtok *k, int title_only)
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
    return ws__plan_collapse(or);
}

/* The synonyms of CJK tokens i..*end-1 taken together, longest run first:
 * a word of the synonym file that the segmenter splits (碳达峰 is 碳/达/峰)
 * is still looked up whole. 0 when no run of two tokens or more has any. */
#define SPAN_MAX_TOKENS 8
static size_t span_synonyms(const ws__plan_ctx *c, const ws__analysis *an, size_t i, size_t *end,
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
static ws_qnode *span_both(ws__plan_ctx *c, const ws__analysis *body, const ws__analysis *title,
                           size_t i, size_t j, const char **syn, size_t ns, int title_only)
{
    uint32_t from = body->k[i].pos, to = body->k[j - 1].pos + body->k[j - 1].nchars - 1;
    ws_qnode * or = ws_qtree_op(WS_QOP_OR);
    if (! or)
        return NULL;
    if (!title_only)
        ws_qtree_add(or, ws__plan_phrase_of(body, from, to));
    ws_qtree_add(or, ws_qtree_scale(ws__plan_phrase_of(title, from, to), W_TITLE));
    add_synonyms(c, or, syn, ns, title_only);
    return ws__plan_collapse(or);
}

/* Marks: the text of each unit, and each CJK run whole. */
static void mark_units(ws__plan_ctx *c, const ws__analysis *an)
{
    char run[1024];
    size_t rl = 0;
    uint32_t next = 0;
    for (size_t i = 0; i < an->nk; i++) {
        const ws__qtok *k = &an->k[i];
        if (k->kind == WS_TOKEN_HAN && k->pos == next && rl + strlen(k->text) < sizeof run) {
            memcpy(run + rl, k->text, strlen(k->text));
            rl += strlen(k->text);
        } else {
            if (rl)
                ws__plan_mark(c, run, rl);
            rl = 0;
            if (k->kind == WS_TOKEN_HAN && strlen(k->text) < sizeof run) {
                memcpy(run, k->text, strlen(k->text));
                rl = strlen(k->text);
            }
        }
        next = k->kind == WS_TOKEN_HAN ? k->pos + k->nchars : 0;
        if (k->kind == WS_TOKEN_HAN && k->nchars >= 2)
            ws__plan_mark(c, k->text, strlen(k->text)); /* the word alone, too */
        if (k->kind != WS_TOKEN_HAN && !ws__plan_covered(an, i))
            ws__plan_mark(c, k->text, strlen(k->text));
    }
    if (rl)
        ws__plan_mark(c, run, rl);
}

/* The CJK token that holds character position pos, or NULL. */
static const ws__qtok *token_at(const ws__analysis *an, uint32_t pos)
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
static int loose_skips(const ws__analysis *an, const ws__qterm *t)
{
    if (t->tokkind != WS_TOKEN_HAN)
        return (t->lexflags & WS_LEX_STOP) != 0;
    const ws__qtok *first = t->kind == WS_TERM_BI ? token_at(an, t->at) : NULL;
    const ws__qtok *own = token_at(an, t->tokpos);
    if ((first && is_asking(first->text)) || (own && is_asking(own->text)))
        return 1;
    return t->kind != WS_TERM_BI && (t->lexflags & WS_LEX_STOP);
}

/* Does t go into a relaxed plan's "any of the words"? Its pairs, words and
 * characters, less what loose_skips leaves out. */
static int loose_keeps(const ws__analysis *an, const ws__qterm *t)
{
    return !loose_skips(an, t) && (t->kind == WS_TERM_BI || t->kind == WS_TERM_WORD ||
                                   (t->kind == WS_TERM_UNI && t->nchars == 1));
}

/* Adds to a relaxed plan's OR the terms of each synonym syn[0..ns), as the
 * question's own (loose_keeps), at W_SYNONYM_LOOSE: a question too is asked
 * in the user's words. */
static void loose_synonyms(ws__plan_ctx *c, ws_qnode * or, const char **syn, size_t ns)
{
    for (size_t i = 0; i < ns; i++) {
        ws__analysis sb, stt;
        if (ws__plan_analyze_both(c, syn[i], &sb, &stt) != WS_OK)
            continue;
        for (size_t j = 0; j < sb.n; j++)
            if (loose_keeps(&sb, &sb.t[j]))
                add_once(or, &sb.t[j], W_SYNONYM_LOOSE);
        ws__plan_analysis_free(&sb);
        ws__plan_analysis_free(&stt);
    }
}

/* Variants of a piece at most: the piece, and a synonym in place of one of
 * its words. */
#define PIECE_VARIANTS 32

/* What a piece of a TEXT node between spaces requires: itself as written
 * (ws__plan_exact), or itself with a word of the synonym file in it (the
 * longest run of its words that is one, else a word alone) put in place by
 * one of its synonyms. NULL when it holds no term (punctuation). */
static ws_qnode *plan_piece(ws__plan_ctx *c, const char *piece, int title_only)
{
    size_t ntok = 0;
    ws_qnode *alt = ws_qtree_op(WS_QOP_OR);
    if (!alt)
        return NULL;
    ws_qtree_add(alt, ws__plan_exact(c, piece, title_only, &ntok));
    ws__analysis an;
    if (!ntok || !c->syn || c->st != WS_OK ||
        ws__plan_analyze(c, piece, WS_FIELD_BODY, &an) != WS_OK)
        return ws__plan_collapse(alt);
    size_t plen = strlen(piece), nv = 1;
    for (size_t i = 0; i < an.nk && nv < PIECE_VARIANTS && c->st == WS_OK; i++) {
        const char *syn[WS_SYNONYMS_MAX_GROUP];
        size_t end = i + 1, ns = span_synonyms(c, &an, i, &end, syn);
        if (!ns)
            ns = ws_synonyms_lookup(c->syn, an.k[i].text, syn, WS_SYNONYMS_MAX_GROUP);
        size_t b = an.k[i].start, e = an.k[end - 1].end;
        for (size_t j = 0; j < ns && nv < PIECE_VARIANTS && b <= e && e <= plen; j++, nv++) {
            size_t sl = strlen(syn[j]);
            char *v = malloc(plen - (e - b) + sl + 1);
            if (!v) {
                c->st = WS_ENOMEM;
                break;
            }
            memcpy(v, piece, b);
            memcpy(v + b, syn[j], sl);
            memcpy(v + b + sl, piece + e, plen - e + 1);
            ws_qtree_add(alt, ws__plan_exact(c, v, title_only, NULL));
            free(v);
        }
        i = end - 1;
    }
    ws__plan_analysis_free(&an);
    return ws__plan_collapse(alt);
}

/* The AND of the pieces of text between spaces (plan_piece), or NULL when
 * none holds a term. */
static ws_qnode *plan_pieces(ws__plan_ctx *c, const char *text, int title_only)
{
    ws_qnode *and = ws_qtree_op(WS_QOP_AND);
    size_t n = strlen(text);
    char *piece = malloc(n + 1);
    if (!and || !piece) {
        ws_qtree_free(and);
        free(piece);
        c->st = WS_ENOMEM;
        return NULL;
    }
    int exact_only = c->exact_only;
    c->exact_only = 1;
    for (size_t i = 0; i < n && c->st == WS_OK;) {
        size_t j = i;
        /* the parser joins the words of a run with one space (query.c) */
        while (j < n && text[j] != ' ')
            j++;
        if (j > i) {
            memcpy(piece, text + i, j - i);
            piece[j - i] = '\0';
            ws_qtree_add(and, plan_piece(c, piece, title_only));
        }
        i = j + 1;
    }
    c->exact_only = exact_only;
    free(piece);
    return ws__plan_collapse(and);
}

/* The keyword plan of a TEXT node (strict; *relaxed gets the relaxed one). */
ws_qnode *ws__plan_text(ws__plan_ctx *c, const ws_qast *n, ws_qnode **relaxed)
{
    ws__analysis body, title;
    *relaxed = NULL;
    if ((c->st = ws__plan_analyze_both(c, n->text, &body, &title)) != WS_OK)
        return NULL;
    ws_qnode *strict = ws_qtree_op(WS_QOP_AND), *opt = ws_qtree_op(WS_QOP_OR),
             *boost = ws_qtree_op(WS_QOP_OR), *loose = ws_qtree_op(WS_QOP_OR);
    size_t units = 0, words = 0;
    const char *lsyn[WS_PLAN_LOOSE_SYNONYMS];
    size_t nlsyn = 0;
    int prev_single = 0;
    uint32_t prev_end = 0;
    for (size_t i = 0; i < body.nk && strict && opt && boost && loose; i++) {
        const ws__qtok *k = &body.k[i];
        if (k->kind == WS_TOKEN_PUNCT || ws__plan_covered(&body, i))
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
        /* the synonyms for the relaxed plan, added after the question's own
         * terms (below), so that a term both share keeps the question's */
        const char *other[WS_SYNONYMS_MAX_GROUP];
        const char **ls = ns ? syn : other;
        size_t nl = ns ? ns : ws_synonyms_lookup(c->syn, k->text, other, WS_SYNONYMS_MAX_GROUP);
        for (size_t j = 0; j < nl && nlsyn < WS_PLAN_LOOSE_SYNONYMS; j++)
            lsyn[nlsyn++] = ls[j];
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
    /* boosts: the word terms themselves (segmentation ranks, the pieces as
     * written match) */
    for (size_t i = 0; i < body.n && boost && loose; i++) {
        const ws__qterm *t = &body.t[i];
        if (!n->title && t->kind == WS_TERM_WORD && t->tokkind == WS_TOKEN_HAN)
            ws_qtree_add(boost, ws__plan_term(t, 0));
        if (!n->title && loose_keeps(&body, t))
            add_once(loose, t, 1.0);
    }
    if (!n->title && loose)
        loose_synonyms(c, loose, lsyn, nlsyn);
    /* No title terms in the relaxed plan (see the note at W_TITLE, plan_int.h): the title
     * counts there through the part that holds every word only. */
    mark_units(c, &body);
    ws__plan_analysis_free(&body);
    ws__plan_analysis_free(&title);
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
    ws_qtree_free(opt);
    /* the words, each a substring, are what the relaxed plan weighs up;
     * what matches is the pieces as written */
    ws_qnode *words_all = ws__plan_collapse(strict);
    ws_qnode *exact = words_all ? plan_pieces(c, n->text, n->title) : NULL;
    if (!exact) {
        ws_qtree_free(words_all);
        ws_qtree_free(boost);
        ws_qtree_free(loose);
        return NULL;
    }
    boost = ws__plan_collapse(boost);
    ws_qnode *q = ws_qtree_op(WS_QOP_AND_MAYBE);
    ws_qtree_add(q, exact);
    ws_qtree_add(q, boost);
    q = ws__plan_collapse(q);
    /* relaxed: any of the words, those with all of them far ahead; but a
     * question (WS_QUESTION_WORDS) almost never has them all in one
     * document, and when it has, BM25 over them already ranks it high: on
     * the legal questions the part with every word cost 0.002 nDCG@10 and
     * 10% time. The boosts (word terms again) are left out: on the legal
     * questions they cost 0.004 nDCG@10 and 30% time. */
    ws_qnode *r = ws_qtree_op(WS_QOP_OR);
    if (r) {
        if (words < WS_QUESTION_WORDS)
            ws_qtree_add(r, ws_qtree_scale(words_all, W_STRICT_IN_RELAXED));
        else
            ws_qtree_free(words_all);
        ws_qtree_add(r, ws__plan_collapse(loose));
        *relaxed = ws__plan_collapse(r);
    } else {
        ws_qtree_free(words_all);
        ws_qtree_free(loose);
    }
    return q;
}
