/* query.c - the query language's parser (query.h): a syntax tree of the
 * tokens qlex.h reads, with its operators' precedence and its limits. */
#include "query.h"
#include "date.h"
#include "qlex.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static ws_qast *node(parser *p, ws_qast_kind kind)
{
    ws_qast *n = calloc(1, sizeof *n);
    if (!n)
        ws__qlex_fail(p, "out of memory");
    else
        n->kind = kind;
    return n;
}

static char *dup(parser *p, const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (!d) {
        ws__qlex_fail(p, "out of memory");
        return NULL;
    }
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

static int add_kid(parser *p, ws_qast *parent, ws_qast *kid)
{
    ws_qast **k = realloc(parent->kids, (parent->nkids + 1) * sizeof *k);
    if (!k) {
        ws__qlex_fail(p, "out of memory");
        ws_qast_free(kid);
        return -1;
    }
    parent->kids = k;
    parent->kids[parent->nkids++] = kid;
    return 0;
}

void ws_qast_free(ws_qast *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        ws_qast_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n->lo);
    free(n->hi);
    free(n);
}

int ws_query_dates_ordered(const char *lo, const char *hi)
{
    if (!lo || !*lo || !hi || !*hi)
        return 1;
    /* hi covers its whole year or month: compare with it extended */
    char end[16];
    snprintf(end, sizeof end, "%s~", hi);
    return strcmp(lo, end) <= 0;
}

/* A field value without its quotes. */
static void unquote(const parser *p, size_t *b, size_t *e)
{
    size_t l = ws__qlex_open_quote(p, *b);
    if (l && *e > *b + l) {
        size_t c = *e - 1;
        while (c > *b && ((unsigned char)p->s[c] & 0xC0) == 0x80)
            c--;
        if (ws__qlex_close_quote(p, c)) {
            *b += l;
            *e = c;
        }
    }
}

static ws_qast *field(parser *p, const char *name, size_t nlen, size_t vb, size_t ve)
{
    int quoted = ws__qlex_open_quote(p, vb) != 0;
    unquote(p, &vb, &ve);
    if (ve <= vb && vb < p->n && p->s[vb] == '(') {
        ws__qlex_fail(p,
                      "the field %.*s: takes one word or quoted phrase, not parentheses: write "
                      "%.*s:A OR %.*s:B",
                      (int)nlen, name, (int)nlen, name, (int)nlen, name);
        return NULL;
    }
    if (ve <= vb) {
        ws__qlex_fail(p, "the field %.*s: needs a value", (int)nlen, name);
        return NULL;
    }
    /* title:title:X or source:type:X is a slip, which searched for the
     * words "title" and X; a colon meant as text is quoted */
    static const char *const names[] = {"title", "source", "type", "date"};
    for (size_t f = 0; f < 4 && !quoted; f++) {
        size_t l = strlen(names[f]);
        if (ve - vb > l && !memcmp(p->s + vb, names[f], l) && p->s[vb + l] == ':') {
            ws__qlex_fail(
                p,
                "the field %.*s: is followed by another field, %s: give each field its own "
                "value (%.*s:A %s:B), or quote a value that holds a colon",
                (int)nlen, name, names[f], (int)nlen, name, names[f]);
            return NULL;
        }
    }
    ws_qast *n = NULL;
    if (nlen == 5 && !memcmp(name, "title", 5)) {
        n = node(p, quoted ? WS_QAST_PHRASE : WS_QAST_TEXT);
        if (n) {
            n->title = 1;
            n->text = dup(p, p->s + vb, ve - vb);
        }
    } else if ((nlen == 6 && !memcmp(name, "source", 6)) ||
               (nlen == 4 && !memcmp(name, "type", 4))) {
        n = node(p, nlen == 6 ? WS_QAST_SOURCE : WS_QAST_TYPE);
        if (n)
            n->text = dup(p, p->s + vb, ve - vb);
    } else {
        const char *v = p->s + vb, *dots = NULL;
        for (const char *c = v; c + 1 < p->s + ve; c++)
            if (c[0] == '.' && c[1] == '.') {
                dots = c;
                break;
            }
        n = node(p, WS_QAST_DATE);
        if (!n)
            return NULL;
        if (dots) {
            n->lo = dup(p, v, (size_t)(dots - v));
            n->hi = dup(p, dots + 2, (size_t)(p->s + ve - dots - 2));
        } else {
            n->lo = dup(p, v, ve - vb);
            n->hi = dup(p, v, ve - vb);
        }
        if (n->lo && n->hi &&
            ((*n->lo && !ws_date_bound_valid(n->lo)) || (*n->hi && !ws_date_bound_valid(n->hi)) ||
             (!*n->lo && !*n->hi)))
            ws__qlex_fail(p,
                          "bad date range \"%.*s\": use date:YYYY-MM-DD..YYYY-MM-DD with days the "
                          "calendar has (YYYY or YYYY-MM also work; either end may be left open)",
                          (int)(ve - vb), v);
        else if (n->lo && n->hi && !ws_query_dates_ordered(n->lo, n->hi))
            ws__qlex_fail(p, "the date range \"%.*s\" ends before it starts", (int)(ve - vb), v);
    }
    return n;
}

static ws_qast *parse_or(parser *p);

static ws_qast *parse_primary(parser *p)
{
    if (p->kind == TK_LP) {
        size_t at = p->at;
        if (++p->depth > WS_QUERY_MAX_DEPTH) {
            ws__qlex_fail_depth(p);
            return NULL;
        }
        ws__qlex_next(p);
        ws_qast *n = parse_or(p);
        if (!p->failed && p->kind != TK_RP)
            ws__qlex_fail(p, "missing ')' for the '(' at character %zu", ws__qlex_char_at(p, at));
        p->depth--;
        ws__qlex_next(p);
        return n;
    }
    if (p->kind == TK_PHRASE) {
        ws_qast *n = node(p, WS_QAST_PHRASE);
        if (n)
            n->text = dup(p, p->s + p->b, p->e - p->b);
        ws__qlex_next(p);
        return n;
    }
    if (p->kind == TK_WORD) {
        const char *w = p->s + p->b;
        const char *colon = memchr(w, ':', p->e - p->b);
        if (colon) {
            size_t nlen = (size_t)(colon - w);
            static const char *const fields[] = {"title", "source", "type", "date"};
            for (size_t f = 0; f < 4; f++) {
                if (nlen == strlen(fields[f]) && !memcmp(w, fields[f], nlen)) {
                    ws_qast *n = field(p, w, nlen, p->b + nlen + 1, p->e);
                    ws__qlex_next(p);
                    return n;
                }
            }
            /* a name of Latin letters before a colon is meant as a field: a
             * typo (titel:) would otherwise be searched as text, silently */
            size_t letters = 0;
            while (letters < nlen && ((w[letters] >= 'a' && w[letters] <= 'z') ||
                                      (w[letters] >= 'A' && w[letters] <= 'Z')))
                letters++;
            if (nlen && letters == nlen) {
                ws__qlex_fail(
                    p,
                    "unknown field \"%.*s:\" at character %zu: the fields are title:, source:, "
                    "type: and date: (put the word in quotes to search for it as text)",
                    (int)nlen, w, ws__qlex_char_at(p, p->b));
                return NULL;
            }
        }
        ws_qast *n = node(p, WS_QAST_TEXT);
        if (n)
            n->text = dup(p, w, p->e - p->b);
        ws__qlex_next(p);
        return n;
    }
    char name[32];
    if (p->kind == TK_RP)
        ws__qlex_fail(p, "unexpected ')' at character %zu", ws__qlex_char_at(p, p->at));
    else if (p->kind == TK_PROX)
        ws__qlex_fail(p, "%s at character %zu has nothing on its left",
                      ws__qlex_prox_name(p, name, sizeof name), ws__qlex_char_at(p, p->at));
    else if (p->kind == TK_EOF)
        ws__qlex_fail(p, "the query ends where a term was expected");
    else
        ws__qlex_fail(p, "expected a term at character %zu", ws__qlex_char_at(p, p->at));
    return NULL;
}

/* Refuses the word at p's token when it looks like an operator that is
 * none: a lone '-' (it negated nothing, and the next piece was required,
 * the opposite of what was meant), "--word" (it excluded "-word"), and
 * ||, |, &&, & (read as marks, so that A || B was A AND B). 1 when it did. */
static int not_an_operator(parser *p)
{
    const char *w = p->s + p->b;
    size_t len = p->e - p->b;
    size_t dashes = 0;
    while (dashes < len && w[dashes] == '-')
        dashes++;
    if (dashes == len && !ws__qlex_open_paren(p, p->e)) {
        ws__qlex_fail(
            p,
            "a lone '%.*s' at character %zu negates nothing: write '-' against the word it "
            "excludes (政策 -草案), or quote it to search for it (\"-\")",
            (int)(len < 16 ? len : 16), w, ws__qlex_char_at(p, p->b));
        return 1;
    }
    if (len > 2 && w[0] == '-' && w[1] == '-' && w[2] != '-') {
        ws__qlex_fail(p,
                      "\"%.*s\" at character %zu: one '-' excludes a word: write -%.*s, or "
                      "-\"%.*s\" to exclude the dash with it",
                      (int)(len < 64 ? len : 64), w, ws__qlex_char_at(p, p->b),
                      (int)(len - 2 < 60 ? len - 2 : 60), w + 2, (int)(len - 1 < 60 ? len - 1 : 60),
                      w + 1);
        return 1;
    }
    if ((len == 2 && (!memcmp(w, "||", 2) || !memcmp(w, "&&", 2))) ||
        (len == 1 && (w[0] == '|' || w[0] == '&'))) {
        ws__qlex_fail(p, "\"%.*s\" at character %zu is no operator here: write %s (upper case)",
                      (int)len, w, ws__qlex_char_at(p, p->b), w[0] == '|' ? "OR" : "AND");
        return 1;
    }
    return 0;
}

static ws_qast *parse_unary(parser *p)
{
    if (p->kind == TK_WORD && not_an_operator(p))
        return NULL;
    /* NOT x, -word, -"phrase", -(...) */
    if (p->kind == TK_NOT || (p->kind == TK_WORD && p->s[p->b] == '-' &&
                              (p->e - p->b > 1 || ws__qlex_open_paren(p, p->e)))) {
        if (++p->depth > WS_QUERY_MAX_DEPTH) {
            ws__qlex_fail_depth(p);
            return NULL;
        }
        ws_qast *kid;
        if (p->kind == TK_NOT) {
            ws__qlex_next(p);
            kid = parse_unary(p);
        } else {
            /* -word, -"phrase" or -(...): what follows the '-' */
            p->i = p->b + 1;
            ws__qlex_next(p);
            kid = parse_primary(p);
        }
        p->depth--;
        if (!kid)
            return NULL;
        ws_qast *n = node(p, WS_QAST_NOT);
        if (!n || add_kid(p, n, kid) < 0) {
            ws_qast_free(n);
            return NULL;
        }
        return n;
    }
    return parse_primary(p);
}

/* Whether n may be a side of a proximity: a word (one, without spaces), a
 * quoted phrase, or alternatives of these (A OR B). */
static int near_side(const ws_qast *n)
{
    if (n->kind == WS_QAST_TEXT)
        return !strchr(n->text, ' ');
    if (n->kind == WS_QAST_PHRASE)
        return 1;
    if (n->kind != WS_QAST_OR)
        return 0;
    for (size_t i = 0; i < n->nkids; i++)
        if (!near_side(n->kids[i]))
            return 0;
    return 1;
}

/* Fails p unless side may be a side of the proximity operator name (at
 * character at); not_what names a NOT side, which on the left may be meant
 * to exclude the pair. */
static void check_side(parser *p, const ws_qast *side, const char *name, size_t at,
                       const char *not_what)
{
    if (near_side(side))
        return;
    ws__qlex_fail(p,
                  "%s at character %zu: each side must be a word, a quoted phrase or alternatives "
                  "of them in parentheses ((碳达峰 OR 碳中和) NEAR/5 目标), not %s",
                  name, ws__qlex_char_at(p, at),
                  side->kind == WS_QAST_NOT    ? not_what
                  : side->kind == WS_QAST_TEXT ? "several words (quote them as one phrase)"
                                               : "this expression");
}

/* A term, or two joined by a proximity operator: A NEAR/n B. */
static ws_qast *parse_near(parser *p)
{
    ws_qast *left = parse_unary(p);
    if (!left || p->failed || p->kind != TK_PROX)
        return left;
    char name[32];
    size_t at = p->at;
    ws__qlex_prox_name(p, name, sizeof name);
    ws_qast *n = node(p, WS_QAST_NEAR);
    if (!n || add_kid(p, n, left) < 0) {
        ws_qast_free(n);
        return NULL;
    }
    n->near = p->near;
    n->within = p->within;
    n->prox = p->nprox++;
    check_side(p, left, name, at, "a NOT (write NOT (A NEAR/5 B) to exclude a pair)");
    if (p->failed) {
        ws_qast_free(n);
        return NULL;
    }
    if (p->nprox > WS_QUERY_MAX_PROX) {
        p->toobig = 1;
        ws__qlex_fail(
            p, "the query has more than %d proximity operators (NEAR/n, SENTENCE, PARAGRAPH)",
            WS_QUERY_MAX_PROX);
        ws_qast_free(n);
        return NULL;
    }
    ws__qlex_next(p);
    if (p->kind == TK_EOF || p->kind == TK_RP || p->kind == TK_OR || p->kind == TK_AND ||
        p->kind == TK_PROX) {
        if (!p->failed)
            ws__qlex_fail(p, "%s at character %zu has nothing on its right", name,
                          ws__qlex_char_at(p, at));
        ws_qast_free(n);
        return NULL;
    }
    ws_qast *right = parse_unary(p);
    if (!right || add_kid(p, n, right) < 0) {
        ws_qast_free(n);
        return NULL;
    }
    check_side(p, right, name, at, "a NOT");
    if (!p->failed && p->kind == TK_PROX)
        ws__qlex_fail(
            p,
            "proximity operators do not chain (at character %zu): join two with AND, as in "
            "(A NEAR/5 B) AND (B NEAR/5 C)",
            ws__qlex_char_at(p, p->at));
    if (p->failed) {
        ws_qast_free(n);
        return NULL;
    }
    return n;
}

/* Appends kid to and, merging a plain TEXT into a TEXT just before it. */
static int and_add(parser *p, ws_qast *and, ws_qast *kid)
{
    ws_qast *last = and->nkids ? and->kids[ and->nkids - 1] : NULL;
    if (last && last->kind == WS_QAST_TEXT && !last->title && kid->kind == WS_QAST_TEXT &&
        !kid->title) {
        size_t a = strlen(last->text), b = strlen(kid->text);
        char *t = realloc(last->text, a + b + 2);
        if (!t) {
            ws__qlex_fail(p, "out of memory");
            ws_qast_free(kid);
            return -1;
        }
        t[a] = ' ';
        memcpy(t + a + 1, kid->text, b + 1);
        last->text = t;
        ws_qast_free(kid);
        return 0;
    }
    return add_kid(p, and, kid);
}

static ws_qast *parse_and(parser *p)
{
    ws_qast *and = node(p, WS_QAST_AND);
    while (and&&!p->failed) {
        if (p->kind == TK_EOF || p->kind == TK_RP || p->kind == TK_OR)
            break;
        if (p->kind == TK_AND) {
            if (!and->nkids)
                ws__qlex_fail(p, "AND at character %zu has nothing on its left",
                              ws__qlex_char_at(p, p->at));
            ws__qlex_next(p);
            if (p->kind == TK_EOF || p->kind == TK_RP || p->kind == TK_OR)
                ws__qlex_fail(p, "AND has nothing on its right");
            else if (p->kind == TK_AND) /* as OR AND is: no operator is read twice */
                ws__qlex_fail(p, "AND at character %zu has nothing on its left",
                              ws__qlex_char_at(p, p->at));
            continue;
        }
        ws_qast *kid = parse_near(p);
        if (!kid || and_add(p, and, kid) < 0)
            break;
    }
    if (and&&!p->failed && and->nkids == 0)
        ws__qlex_fail(p,
                      p->kind == TK_OR   ? "OR at character %zu has nothing on its left"
                      : p->kind == TK_RP ? "unexpected ')' at character %zu"
                                         : "expected a term at character %zu",
                      ws__qlex_char_at(p, p->at));
    if (p->failed) {
        ws_qast_free(and);
        return NULL;
    }
    if (and->nkids == 1) {
        ws_qast *only = and->kids[0];
        and->nkids = 0;
        ws_qast_free(and);
        return only;
    }
    return and;
}

static ws_qast *parse_or(parser *p)
{
    ws_qast *first = parse_and(p);
    if (!first || p->kind != TK_OR)
        return first;
    ws_qast * or = node(p, WS_QAST_OR);
    if (! or || add_kid(p, or, first) < 0) {
        ws_qast_free(or);
        return NULL;
    }
    while (!p->failed && p->kind == TK_OR) {
        ws__qlex_next(p);
        ws_qast *kid = parse_and(p);
        if (!kid || add_kid(p, or, kid) < 0)
            break;
    }
    if (p->failed) {
        ws_qast_free(or);
        return NULL;
    }
    return or ;
}

/* q with the full-width forms of ASCII (U+FF01..U+FF5E) made ASCII, into
 * a new string: an input method types title：, －草案, ＯＲ, NEAR／１０ and
 * ＂…＂, which are the language's own once NFKC has made them ASCII, as it
 * does in the text the index reads. One code point stays one, so that a
 * message's character numbers are those of q. NULL without memory. */
static char *fold_full_width(const char *q, size_t n)
{
    char *f = malloc(n + 1);
    if (!f)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const unsigned char *c = (const unsigned char *)q + i;
        /* U+FF01..U+FF5E: EF BC 81..BF, EF BD 80..9E; but （） (EF BC 88,
         * 89), which may be a law's text (paren_text) */
        if (i + 3 <= n && c[0] == 0xEF && !(c[1] == 0xBC && (c[2] == 0x88 || c[2] == 0x89)) &&
            ((c[1] == 0xBC && c[2] >= 0x81 && c[2] <= 0xBF) ||
             (c[1] == 0xBD && c[2] >= 0x80 && c[2] <= 0x9E))) {
            uint32_t cp = 0xFF00u + ((uint32_t)(c[1] - 0xBC) << 6) + (uint32_t)(c[2] - 0x80);
            f[o++] = (char)(cp - 0xFEE0u);
            i += 3;
        } else {
            f[o++] = q[i++];
        }
    }
    f[o] = '\0';
    return f;
}

/* Parses the whole of p's text into *out. */
static ws_status parse_all(parser *p, ws_qast **out)
{
    ws__qlex_next(p);
    if (p->kind == TK_EOF && !p->failed) {
        snprintf(p->err, p->errlen, "the query is empty");
        return WS_EQUERY;
    }
    ws_qast *n = parse_or(p);
    if (!p->failed && p->kind == TK_RP)
        ws__qlex_fail(p, "unexpected ')' at character %zu", ws__qlex_char_at(p, p->at));
    if (p->failed) {
        ws_qast_free(n);
        return p->toobig ? WS_ETOOBIG : WS_EQUERY;
    }
    *out = n;
    return WS_OK;
}

ws_status ws_query_parse(const char *q, ws_qast **out, char *errbuf, size_t errlen)
{
    parser p;
    memset(&p, 0, sizeof p);
    *out = NULL;
    p.n = strlen(q);
    p.err = errbuf;
    p.errlen = errlen;
    if (p.n > WS_QUERY_MAX_BYTES) {
        snprintf(errbuf, errlen, "the query is %zu bytes long; at most %d are allowed", p.n,
                 WS_QUERY_MAX_BYTES);
        return WS_ETOOBIG;
    }
    char *folded = fold_full_width(q, p.n);
    if (!folded) {
        snprintf(errbuf, errlen, "out of memory");
        return WS_ENOMEM;
    }
    p.s = folded;
    p.n = strlen(folded);
    ws_status st = parse_all(&p, out);
    free(folded);
    return st;
}
