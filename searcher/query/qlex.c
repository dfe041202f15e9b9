/* qlex.c - the query language's tokens (qlex.h): words, phrases,
 * parentheses, operators, and the slips refused with their fix. */
#include "qlex.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "normalize.h"
#include "utf8.h"

void ws__qlex_fail(parser *p, const char *fmt, ...)
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
size_t ws__qlex_char_at(const parser *p, size_t i)
{
    return 1 + ws_utf8_count(p->s, i < p->n ? i : p->n);
}

void ws__qlex_fail_depth(parser *p)
{
    if (!p->failed)
        p->toobig = 1;
    ws__qlex_fail(p, "the query nests deeper than %d levels", WS_QUERY_MAX_DEPTH);
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
size_t ws__qlex_open_paren(const parser *p, size_t i)
{
    return p->s[i] == '(' ? 1 : starts(p, i, "\xEF\xBC\x88") ? 3 : 0; /* （ */
}
static size_t close_paren(const parser *p, size_t i)
{
    return p->s[i] == ')' ? 1 : starts(p, i, "\xEF\xBC\x89") ? 3 : 0; /* ） */
}
size_t ws__qlex_open_quote(const parser *p, size_t i)
{
    return p->s[i] == '"' ? 1 : starts(p, i, "\xE2\x80\x9C") ? 3 : 0; /* “ */
}
size_t ws__qlex_close_quote(const parser *p, size_t i)
{
    return p->s[i] == '"' ? 1 : starts(p, i, "\xE2\x80\x9D") ? 3 : 0; /* ” */
}
/* The length of the quote at i that closes one opened by a quote of length
 * open: " closes ", ” closes “, so that Chinese quotes inside an ASCII
 * quoted phrase ("“十四五”规划") are its text. */
static size_t closes(const parser *p, size_t i, size_t open)
{
    size_t l = ws__qlex_close_quote(p, i);
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
        ws__qlex_fail(
            p,
            "\"%.*s\" at character %zu: write NEAR/n, n the most characters between the two "
            "sides (0 to %d), as in 国家 NEAR/10 安全",
            (int)(len < 64 ? len : 64), w, ws__qlex_char_at(p, p->b), WS_QUERY_MAX_NEAR);
        p->kind = TK_EOF;
        return;
    }
    if (n > WS_QUERY_MAX_NEAR) {
        if (!p->failed)
            p->toobig = 1;
        ws__qlex_fail(
            p,
            "\"%.*s\" at character %zu: NEAR/n allows at most %d characters between the two "
            "sides (use PARAGRAPH for more)",
            (int)(len < 64 ? len : 64), w, ws__qlex_char_at(p, p->b), WS_QUERY_MAX_NEAR);
        p->kind = TK_EOF;
        return;
    }
    prox(p, WS_NEAR_CHARS, (unsigned)n);
}

/* The operator's name as written, for messages. */
const char *ws__qlex_prox_name(const parser *p, char *buf, size_t len)
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
    size_t l = ws__qlex_open_paren(p, i), m;
    /* the run of text before it, to the last space or parenthesis: an
     * operator glued to its group (NOT(草案), OR（二）) leaves it a group */
    size_t w = i;
    while (w > 0) {
        size_t b = ws_utf8_prev(p->s, w);
        if (is_space_at(p, b, &m) || ws__qlex_open_paren(p, b) || close_paren(p, b))
            break;
        w = b;
    }
    const char *run = p->s + w;
    size_t rl = i - w;
    if (operator_word(run, rl))
        return 0;
    if (l == 1 && i > 0) {
        size_t b = ws_utf8_prev(p->s, i);
        if (is_space_at(p, b, &m) || ws__qlex_open_paren(p, b) || close_paren(p, b) ||
            ws__qlex_open_quote(p, b) || ws__qlex_close_quote(p, b) || p->s[b] == '-' ||
            p->s[b] == ':')
            return 0;
    } else if (l == 1) {
        return 0;
    }
    for (size_t j = i + l; j < p->n; j++) {
        if (is_space_at(p, j, &m) || ws__qlex_open_paren(p, j))
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
    return ws_char_is_han(c) || c == '"' || c == '(' || c == ')' || c == 0x201C || c == 0x201D ||
           c == 0xFF08 || c == 0xFF09 || c == 0x300A || c == 0x300B; /* （ ） 《 》 */
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
    /* the nearest code points on each side past the spaces that part the
     * pieces (every Unicode space and line break, as the tokenizer's) */
    size_t l = p->b, r = p->b + len, k;
    while (l > 0 && (k = ws_utf8_space_before(p->s, l)) != 0)
        l -= k;
    if (l == 0 || !operand_edge(ws_utf8_cp_at(p->s, p->n, ws_utf8_prev(p->s, l))))
        return 0;
    while (r < p->n && is_space_at(p, r, &k))
        r += k;
    return r < p->n && operand_edge(ws_utf8_cp_at(p->s, p->n, r));
}

/* Reads the token at p->i into p->kind/b/e. */
void ws__qlex_next(parser *p)
{
    size_t l;
    while (p->i < p->n && is_space_at(p, p->i, &l))
        p->i += l;
    p->at = p->i;
    if (p->i >= p->n) {
        p->kind = TK_EOF;
        return;
    }
    if ((l = ws__qlex_open_paren(p, p->i)) && !paren_text(p, p->i)) {
        p->kind = TK_LP;
        p->i += l;
        return;
    }
    if ((l = close_paren(p, p->i))) {
        p->kind = TK_RP;
        p->i += l;
        return;
    }
    if ((l = ws__qlex_open_quote(p, p->i))) {
        size_t cl, m, j = find_close(p, p->i, l, &cl);
        if (j >= p->n) {
            ws__qlex_fail(p, "unterminated quote at character %zu", ws__qlex_char_at(p, p->i));
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
                    !close_paren(p, end) && !ws__qlex_open_paren(p, end) &&
                    !ws__qlex_open_quote(p, end);
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
        if (ws__qlex_open_paren(p, j)) {
            if (!(past = paren_text(p, j)))
                break;
            j = past;
            continue;
        }
        /* an ASCII quote inside a word, or a quote after a field's colon,
         * starts a quoted value (title:"...", title:“...”); a Chinese
         * quote elsewhere in a word is a mark of its text (《“十四五”规划》) */
        if ((l = ws__qlex_open_quote(p, j)) && (l == 1 || (j > p->i && p->s[j - 1] == ':'))) {
            size_t cl, k = find_close(p, j, l, &cl);
            if (k >= p->n) {
                ws__qlex_fail(p, "unterminated quote at character %zu", ws__qlex_char_at(p, j));
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
        ws__qlex_fail(p,
                      "\"%.*s\" at character %zu: write NEAR/n in capitals with its slash, as in "
                      "国家 NEAR/10 安全 (as written it is a word, which no document holds)",
                      (int)(len < 64 ? len : 64), w, ws__qlex_char_at(p, p->b));
        p->kind = TK_EOF;
    } else if (operator_slip(p, w, len)) {
        char up[4] = {0};
        for (size_t k = 0; k < len; k++)
            up[k] = (char)(w[k] & ~0x20);
        ws__qlex_fail(
            p,
            "\"%.*s\" at character %zu: write %s in capitals for the operator (as written "
            "it is a word the text must hold); to find the word, quote the words around it",
            (int)len, w, ws__qlex_char_at(p, p->b), up);
        p->kind = TK_EOF;
    } else
        p->kind = TK_WORD;
}
