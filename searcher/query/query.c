#include "query.h"
#include "date.h"
#include "normalize.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum tk {
    TK_EOF,
    TK_LP,
    TK_RP,
    TK_AND,
    TK_OR,
    TK_NOT,
    TK_PHRASE, /* text in [b, e) */
    TK_WORD,   /* a bare word, perhaps field:value or -word */
    TK_PROX,   /* NEAR/n, SENTENCE, PARAGRAPH: near, within */
} tk;

typedef struct parser {
    const char *s;
    size_t n, i;
    int depth;
    /* the current token */
    tk kind;
    size_t b, e, at;
    ws_near_kind near;
    unsigned within;
    unsigned nprox; /* proximities so far */
    char *err;
    size_t errlen;
    int failed;
    int toobig; /* the failure is a limit passed (WS_ETOOBIG) */
} parser;

static void fail(parser *p, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
}

/* The character at byte offset i, counted from 1 in code points as the user
 * sees them (a Chinese query's bytes are not its characters). */
static size_t char_at(const parser *p, size_t i)
{
    return 1 + ws_utf8_count(p->s, i < p->n ? i : p->n);
}

static void fail_depth(parser *p)
{
    if (!p->failed)
        p->toobig = 1;
    fail(p, "the query nests deeper than %d levels", WS_QUERY_MAX_DEPTH);
}

static int starts(const parser *p, size_t i, const char *lit)
{
    size_t l = strlen(lit);
    return i + l <= p->n && memcmp(p->s + i, lit, l) == 0;
}

static int is_space_at(const parser *p, size_t i, size_t *len)
{
    *len = ws_utf8_space_at(p->s + i, p->n - i);
    return *len != 0;
}

/* Lengths of the delimiters the language knows, 0 when none at i. */
static size_t open_paren(const parser *p, size_t i)
{
    return p->s[i] == '(' ? 1 : starts(p, i, "\xEF\xBC\x88") ? 3 : 0; /* （ */
}
static size_t close_paren(const parser *p, size_t i)
{
    return p->s[i] == ')' ? 1 : starts(p, i, "\xEF\xBC\x89") ? 3 : 0; /* ） */
}
static size_t open_quote(const parser *p, size_t i)
{
    return p->s[i] == '"' ? 1 : starts(p, i, "\xE2\x80\x9C") ? 3 : 0; /* “ */
}
static size_t close_quote(const parser *p, size_t i)
{
    return p->s[i] == '"' ? 1 : starts(p, i, "\xE2\x80\x9D") ? 3 : 0; /* ” */
}
/* The length of the quote at i that closes one opened by a quote of length
 * open: " closes ", ” closes “, so that Chinese quotes inside an ASCII
 * quoted phrase ("“十四五”规划") are its text. */
static size_t closes(const parser *p, size_t i, size_t open)
{
    size_t l = close_quote(p, i);
    return (l == 1) == (open == 1) ? l : 0;
}

/* Where the quote opened at from (open bytes long) closes: its own kind's
 * closer, or when the query has none after it the other kind's ("十四五”
 * and “十四五" as typed in haste); n when neither. *len its length. */
static size_t find_close(const parser *p, size_t from, size_t open, size_t *len)
{
    for (int pass = 0; pass < 2; pass++) {
        size_t want = pass ? (open == 1 ? 3 : 1) : open;
        for (size_t j = from + open; j < p->n; j++)
            if ((*len = closes(p, j, want)) != 0)
                return j;
    }
    *len = 0;
    return p->n;
}

static void prox(parser *p, ws_near_kind near, unsigned within)
{
    p->kind = TK_PROX;
    p->near = near;
    p->within = within;
}

/* NEAR/n, the word w[0..len) at p->b: n a number of characters from 0 to
 * WS_QUERY_MAX_NEAR. */
static void near_n(parser *p, const char *w, size_t len)
{
    size_t i = 5;
    unsigned long n = 0;
    while (i < len && w[i] >= '0' && w[i] <= '9' && n <= WS_QUERY_MAX_NEAR)
        n = n * 10 + (unsigned long)(w[i++] - '0');
    if (len <= 5 || (i < len && (w[i] < '0' || w[i] > '9'))) {
        fail(p,
             "\"%.*s\" at character %zu: write NEAR/n, n the most characters between the two "
             "sides (0 to %d), as in 国家 NEAR/10 安全",
             (int)(len < 64 ? len : 64), w, char_at(p, p->b), WS_QUERY_MAX_NEAR);
        p->kind = TK_EOF;
        return;
    }
    if (n > WS_QUERY_MAX_NEAR) {
        if (!p->failed)
            p->toobig = 1;
        fail(p,
             "\"%.*s\" at character %zu: NEAR/n allows at most %d characters between the two "
             "sides (use PARAGRAPH for more)",
             (int)(len < 64 ? len : 64), w, char_at(p, p->b), WS_QUERY_MAX_NEAR);
        p->kind = TK_EOF;
        return;
    }
    prox(p, WS_NEAR_CHARS, (unsigned)n);
}

/* The operator's name as written, for messages. */
static const char *prox_name(const parser *p, char *buf, size_t len)
{
    if (p->near == WS_NEAR_CHARS)
        snprintf(buf, len, "NEAR/%u", p->within);
    else
        snprintf(buf, len, "%s", p->near == WS_NEAR_SENTENCE ? "SENTENCE" : "PARAGRAPH");
    return buf;
}

/* The operator w[0..len) names (TK_AND, TK_OR, TK_NOT, or TK_PROX for
 * SENTENCE, PARAGRAPH and NEAR or NEAR/...), or 0 for a word. */
static int operator_word(const char *w, size_t len)
{
    if (len == 3 && !memcmp(w, "AND", 3))
        return TK_AND;
    if (len == 2 && !memcmp(w, "OR", 2))
        return TK_OR;
    if (len == 3 && !memcmp(w, "NOT", 3))
        return TK_NOT;
    if ((len == 8 && !memcmp(w, "SENTENCE", 8)) || (len == 9 && !memcmp(w, "PARAGRAPH", 9)) ||
        (len >= 4 && !memcmp(w, "NEAR", 4) && (len == 4 || w[4] == '/')))
        return TK_PROX;
    return 0;
}

/* Past the close of the parenthesis opened at i when the pair is text, 0
 * when it groups. A pair around one piece with no space or parenthesis in
 * it is its text's marks when it is full width (（一）) or glued to text
 * on its left (管理办法(试行)), as pasted from a law: read as a group,
 * （一） asked for every 一 in the corpus. (碳达峰) typed apart groups. */
static size_t paren_text(const parser *p, size_t i)
{
    size_t l = open_paren(p, i), m;
    /* the run of text before it, to the last space or parenthesis: an
     * operator glued to its group (NOT(草案), OR（二）) leaves it a group */
    size_t w = i;
    while (w > 0) {
        size_t b = ws_utf8_prev(p->s, w);
        if (is_space_at(p, b, &m) || open_paren(p, b) || close_paren(p, b))
            break;
        w = b;
    }
    const char *run = p->s + w;
    size_t rl = i - w;
    if (operator_word(run, rl))
        return 0;
    if (l == 1 && i > 0) {
        size_t b = ws_utf8_prev(p->s, i);
        if (is_space_at(p, b, &m) || open_paren(p, b) || close_paren(p, b) || open_quote(p, b) ||
            close_quote(p, b) || p->s[b] == '-' || p->s[b] == ':')
            return 0;
    } else if (l == 1) {
        return 0;
    }
    for (size_t j = i + l; j < p->n; j++) {
        if (is_space_at(p, j, &m) || open_paren(p, j))
            return 0;
        if ((m = close_paren(p, j)) != 0)
            return j > i + l ? j + m : 0;
    }
    return 0;
}

/* Whether w[0..len) is NEAR/n mistyped: near/5, Near/5 (any case but all
 * capitals) or NEAR5 (no slash); read as a word it matched nothing,
 * silently. */
static int near_slip(const char *w, size_t len)
{
    if (len < 5 || strncasecmp(w, "near", 4) != 0)
        return 0;
    size_t i = 4 + (w[4] == '/');
    if (i == 4 && memcmp(w, "NEAR", 4) != 0)
        return 0; /* nearby, Nearest: words */
    if (i >= len)
        return 0;
    while (i < len && w[i] >= '0' && w[i] <= '9')
        i++;
    return i == len;
}

/* Whether code point c may end or begin a Chinese operand: a Han
 * character, or a quote or parenthesis around one. */
static int operand_edge(uint32_t c)
{
    return ws_char_is_han(c) || c == '"' || c == '(' || c == ')' || c == 0x201C || c == 0x201D;
}

static int blank(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000;
}

/* Whether the bare word w (len bytes at p->b) is and, or or not written
 * otherwise than in capitals between two Chinese operands (碳达峰 or
 * 碳中和): there it is an operator mistyped, and read as a word the text
 * must hold it matched nothing in silence. Elsewhere (research and
 * development) it is a word. */
static int operator_slip(const parser *p, const char *w, size_t len)
{
    if (!(len == 2 && !strncasecmp(w, "or", 2)) &&
        !(len == 3 && (!strncasecmp(w, "and", 3) || !strncasecmp(w, "not", 3))))
        return 0;
    size_t l = p->b, r = p->b + len;
    uint32_t c = 0;
    while (l > 0 && blank(c = ws_utf8_cp_at(p->s, p->n, ws_utf8_prev(p->s, l))))
        l = ws_utf8_prev(p->s, l);
    if (l == 0 || !operand_edge(c))
        return 0;
    while (r < p->n && blank(c = ws_utf8_cp_at(p->s, p->n, r)))
        r = ws_utf8_next(p->s, p->n, r);
    return r < p->n && operand_edge(c);
}

/* Reads the token at p->i into p->kind/b/e. */
static void next(parser *p)
{
    size_t l;
    while (p->i < p->n && is_space_at(p, p->i, &l))
        p->i += l;
    p->at = p->i;
    if (p->i >= p->n) {
        p->kind = TK_EOF;
        return;
    }
    if ((l = open_paren(p, p->i)) && !paren_text(p, p->i)) {
        p->kind = TK_LP;
        p->i += l;
        return;
    }
    if ((l = close_paren(p, p->i))) {
        p->kind = TK_RP;
        p->i += l;
        return;
    }
    if ((l = open_quote(p, p->i))) {
        size_t cl, m, j = find_close(p, p->i, l, &cl);
        if (j >= p->n) {
            fail(p, "unterminated quote at character %zu", char_at(p, p->i));
            p->kind = TK_EOF;
            return;
        }
        int sp = 0;
        for (size_t k = p->i + l; k < j; k++)
            sp |= is_space_at(p, k, &m);
        size_t end = j + cl;
        /* Chinese quotes around a word glued to more text (“十四五”规划)
         * are the text's marks, as pasted: the run is one word with them */
        int glued = l == 3 && cl == 3 && !sp && end < p->n && !is_space_at(p, end, &m) &&
                    !close_paren(p, end) && !open_paren(p, end) && !open_quote(p, end);
        if (!glued) {
            p->kind = TK_PHRASE;
            p->b = p->i + l;
            p->e = j;
            p->i = end;
            return;
        }
    }
    size_t j = p->i, past;
    while (j < p->n && !is_space_at(p, j, &l) && !close_paren(p, j)) {
        if (open_paren(p, j)) {
            if (!(past = paren_text(p, j)))
                break;
            j = past;
            continue;
        }
        /* an ASCII quote inside a word, or a quote after a field's colon,
         * starts a quoted value (title:"...", title:“...”); a Chinese
         * quote elsewhere in a word is a mark of its text (《“十四五”规划》) */
        if ((l = open_quote(p, j)) && (l == 1 || (j > p->i && p->s[j - 1] == ':'))) {
            size_t cl, k = find_close(p, j, l, &cl);
            if (k >= p->n) {
                fail(p, "unterminated quote at character %zu", char_at(p, j));
                p->kind = TK_EOF;
                return;
            }
            j = k + cl;
            break;
        }
        j++;
    }
    p->b = p->i;
    p->e = j;
    p->i = j;
    size_t len = j - p->b;
    const char *w = p->s + p->b;
    int op = operator_word(w, len);
    if (op == TK_AND || op == TK_OR || op == TK_NOT)
        p->kind = (tk)op;
    else if (op == TK_PROX && w[0] == 'S')
        prox(p, WS_NEAR_SENTENCE, 0);
    else if (op == TK_PROX && w[0] == 'P')
        prox(p, WS_NEAR_PARAGRAPH, 0);
    else if (op == TK_PROX)
        near_n(p, w, len);
    else if (near_slip(w, len)) {
        fail(p,
             "\"%.*s\" at character %zu: write NEAR/n in capitals with its slash, as in "
             "国家 NEAR/10 安全 (as written it is a word, which no document holds)",
             (int)(len < 64 ? len : 64), w, char_at(p, p->b));
        p->kind = TK_EOF;
    } else if (operator_slip(p, w, len)) {
        char up[4] = {0};
        for (size_t k = 0; k < len; k++)
            up[k] = (char)(w[k] & ~0x20);
        fail(p,
             "\"%.*s\" at character %zu: write %s in capitals for the operator (as written "
             "it is a word the text must hold); to find the word, quote the words around it",
             (int)len, w, char_at(p, p->b), up);
        p->kind = TK_EOF;
    } else
        p->kind = TK_WORD;
}

static ws_qast *node(parser *p, ws_qast_kind kind)
{
    ws_qast *n = calloc(1, sizeof *n);
    if (!n)
        fail(p, "out of memory");
    else
        n->kind = kind;
    return n;
}

static char *dup(parser *p, const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (!d) {
        fail(p, "out of memory");
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
        fail(p, "out of memory");
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
    size_t l = open_quote(p, *b);
    if (l && *e > *b + l) {
        size_t c = *e - 1;
        while (c > *b && ((unsigned char)p->s[c] & 0xC0) == 0x80)
            c--;
        if (close_quote(p, c)) {
            *b += l;
            *e = c;
        }
    }
}

static ws_qast *field(parser *p, const char *name, size_t nlen, size_t vb, size_t ve)
{
    int quoted = open_quote(p, vb) != 0;
    unquote(p, &vb, &ve);
    if (ve <= vb && vb < p->n && p->s[vb] == '(') {
        fail(p,
             "the field %.*s: takes one word or quoted phrase, not parentheses: write "
             "%.*s:A OR %.*s:B",
             (int)nlen, name, (int)nlen, name, (int)nlen, name);
        return NULL;
    }
    if (ve <= vb) {
        fail(p, "the field %.*s: needs a value", (int)nlen, name);
        return NULL;
    }
    /* title:title:X or source:type:X is a slip, which searched for the
     * words "title" and X; a colon meant as text is quoted */
    static const char *const names[] = {"title", "source", "type", "date"};
    for (size_t f = 0; f < 4 && !quoted; f++) {
        size_t l = strlen(names[f]);
        if (ve - vb > l && !memcmp(p->s + vb, names[f], l) && p->s[vb + l] == ':') {
            fail(p,
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
            fail(p,
                 "bad date range \"%.*s\": use date:YYYY-MM-DD..YYYY-MM-DD with days the "
                 "calendar has (YYYY or YYYY-MM also work; either end may be left open)",
                 (int)(ve - vb), v);
        else if (n->lo && n->hi && !ws_query_dates_ordered(n->lo, n->hi))
            fail(p, "the date range \"%.*s\" ends before it starts", (int)(ve - vb), v);
    }
    return n;
}

static ws_qast *parse_or(parser *p);

static ws_qast *parse_primary(parser *p)
{
    if (p->kind == TK_LP) {
        size_t at = p->at;
        if (++p->depth > WS_QUERY_MAX_DEPTH) {
            fail_depth(p);
            return NULL;
        }
        next(p);
        ws_qast *n = parse_or(p);
        if (!p->failed && p->kind != TK_RP)
            fail(p, "missing ')' for the '(' at character %zu", char_at(p, at));
        p->depth--;
        next(p);
        return n;
    }
    if (p->kind == TK_PHRASE) {
        ws_qast *n = node(p, WS_QAST_PHRASE);
        if (n)
            n->text = dup(p, p->s + p->b, p->e - p->b);
        next(p);
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
                    next(p);
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
                fail(p,
                     "unknown field \"%.*s:\" at character %zu: the fields are title:, source:, "
                     "type: and date: (put the word in quotes to search for it as text)",
                     (int)nlen, w, char_at(p, p->b));
                return NULL;
            }
        }
        ws_qast *n = node(p, WS_QAST_TEXT);
        if (n)
            n->text = dup(p, w, p->e - p->b);
        next(p);
        return n;
    }
    char name[32];
    if (p->kind == TK_RP)
        fail(p, "unexpected ')' at character %zu", char_at(p, p->at));
    else if (p->kind == TK_PROX)
        fail(p, "%s at character %zu has nothing on its left", prox_name(p, name, sizeof name),
             char_at(p, p->at));
    else if (p->kind == TK_EOF)
        fail(p, "the query ends where a term was expected");
    else
        fail(p, "expected a term at character %zu", char_at(p, p->at));
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
    if (dashes == len && !open_paren(p, p->e)) {
        fail(p,
             "a lone '%.*s' at character %zu negates nothing: write '-' against the word it "
             "excludes (政策 -草案), or quote it to search for it (\"-\")",
             (int)(len < 16 ? len : 16), w, char_at(p, p->b));
        return 1;
    }
    if (len > 2 && w[0] == '-' && w[1] == '-' && w[2] != '-') {
        fail(p,
             "\"%.*s\" at character %zu: one '-' excludes a word: write -%.*s, or "
             "-\"%.*s\" to exclude the dash with it",
             (int)(len < 64 ? len : 64), w, char_at(p, p->b), (int)(len - 2 < 60 ? len - 2 : 60),
             w + 2, (int)(len - 1 < 60 ? len - 1 : 60), w + 1);
        return 1;
    }
    if ((len == 2 && (!memcmp(w, "||", 2) || !memcmp(w, "&&", 2))) ||
        (len == 1 && (w[0] == '|' || w[0] == '&'))) {
        fail(p, "\"%.*s\" at character %zu is no operator here: write %s (upper case)", (int)len, w,
             char_at(p, p->b), w[0] == '|' ? "OR" : "AND");
        return 1;
    }
    return 0;
}

static ws_qast *parse_unary(parser *p)
{
    if (p->kind == TK_WORD && not_an_operator(p))
        return NULL;
    /* NOT x, -word, -"phrase", -(...) */
    if (p->kind == TK_NOT ||
        (p->kind == TK_WORD && p->s[p->b] == '-' && (p->e - p->b > 1 || open_paren(p, p->e)))) {
        if (++p->depth > WS_QUERY_MAX_DEPTH) {
            fail_depth(p);
            return NULL;
        }
        ws_qast *kid;
        if (p->kind == TK_NOT) {
            next(p);
            kid = parse_unary(p);
        } else {
            /* -word, -"phrase" or -(...): what follows the '-' */
            p->i = p->b + 1;
            next(p);
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
    fail(p,
         "%s at character %zu: each side must be a word, a quoted phrase or alternatives "
         "of them in parentheses ((碳达峰 OR 碳中和) NEAR/5 目标), not %s",
         name, char_at(p, at),
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
    prox_name(p, name, sizeof name);
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
        fail(p, "the query has more than %d proximity operators (NEAR/n, SENTENCE, PARAGRAPH)",
             WS_QUERY_MAX_PROX);
        ws_qast_free(n);
        return NULL;
    }
    next(p);
    if (p->kind == TK_EOF || p->kind == TK_RP || p->kind == TK_OR || p->kind == TK_AND ||
        p->kind == TK_PROX) {
        if (!p->failed)
            fail(p, "%s at character %zu has nothing on its right", name, char_at(p, at));
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
        fail(p,
             "proximity operators do not chain (at character %zu): join two with AND, as in "
             "(A NEAR/5 B) AND (B NEAR/5 C)",
             char_at(p, p->at));
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
            fail(p, "out of memory");
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
                fail(p, "AND at character %zu has nothing on its left", char_at(p, p->at));
            next(p);
            if (p->kind == TK_EOF || p->kind == TK_RP || p->kind == TK_OR)
                fail(p, "AND has nothing on its right");
            else if (p->kind == TK_AND) /* as OR AND is: no operator is read twice */
                fail(p, "AND at character %zu has nothing on its left", char_at(p, p->at));
            continue;
        }
        ws_qast *kid = parse_near(p);
        if (!kid || and_add(p, and, kid) < 0)
            break;
    }
    if (and&&!p->failed && and->nkids == 0)
        fail(p,
             p->kind == TK_OR   ? "OR at character %zu has nothing on its left"
             : p->kind == TK_RP ? "unexpected ')' at character %zu"
                                : "expected a term at character %zu",
             char_at(p, p->at));
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
        next(p);
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
    next(p);
    if (p->kind == TK_EOF && !p->failed) {
        snprintf(p->err, p->errlen, "the query is empty");
        return WS_EQUERY;
    }
    ws_qast *n = parse_or(p);
    if (!p->failed && p->kind == TK_RP)
        fail(p, "unexpected ')' at character %zu", char_at(p, p->at));
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
