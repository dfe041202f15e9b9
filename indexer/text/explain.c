#include "explain.h"

#include <string.h>
#include "termgen.h"
#include "utf8.h"

typedef struct words_ctx {
    const char *text;
    FILE *f;
    int first;
    size_t covered_until; /* end of the last compound printed */
} words_ctx;

static ws_status on_word(void *vctx, const ws_token *t)
{
    words_ctx *c = vctx;
    if (t->start < c->covered_until)
        return WS_OK; /* a part of a compound, or of a character that
                         normalizes to two tokens (℃ -> ° c), already printed */
    c->covered_until = t->end;
    if (!c->first)
        fputc(' ', c->f);
    c->first = 0;
    fwrite(c->text + t->start, 1, t->end - t->start, c->f);
    return WS_OK;
}

ws_status ws_explain_words(ws_analyzer *a, const char *text, size_t len, FILE *f)
{
    words_ctx c = {text, f, 1, 0};
    uint32_t pos = 1;
    return ws_analyzer_run(a, text, len, 0, &pos, on_word, &c);
}

typedef struct json_ctx {
    const char *text;
    json_t *words, *terms;
    size_t covered_until;
    const char *field;
    /* where a word's characters are: its character terms come in order, so
     * the next one is at cursor; the last two taken make a pair's range */
    size_t tok_start, cursor;
    size_t ch[2][2]; /* [previous, last][start, end] */
} json_ctx;

/* The bytes of the text term stands for: a character term its own
 * character of the token, a pair the two characters (which may be of two
 * tokens), a run its words, a space term the space; any other the
 * token's. */
static void term_range(json_ctx *c, const char *term, size_t tlen, ws_term_kind kind,
                       const ws_token *t, size_t *b, size_t *e)
{
    *b = t->start;
    *e = t->end;
    if (kind == WS_TERM_UNI) {
        if (t->start != c->tok_start || c->cursor < t->start || c->cursor >= t->end) {
            c->tok_start = t->start;
            c->cursor = t->start;
        }
        /* (a line break the analyzer joined lies inside the token: no
         * character of it) */
        size_t w;
        while (c->cursor < t->end &&
               (w = ws_utf8_space_at(c->text + c->cursor, t->end - c->cursor)))
            c->cursor += w;
        size_t next = ws_utf8_next(c->text, t->end, c->cursor);
        memcpy(c->ch[0], c->ch[1], sizeof c->ch[0]);
        c->ch[1][0] = c->cursor;
        c->ch[1][1] = next;
        c->cursor = next;
        *b = c->ch[1][0];
        *e = c->ch[1][1];
    } else if (kind == WS_TERM_BI && c->ch[0][1] <= c->ch[1][0] && c->ch[1][1] <= t->end) {
        *b = c->ch[0][0];
        *e = c->ch[1][1];
    } else if (kind == WS_TERM_RUN) {
        /* the words before the token, as many characters back as the run
         * holds after its prefix (Traditional to Simplified keeps one
         * character one) */
        size_t n = ws_utf8_count(term + 1, tlen - 1), i = t->end;
        while (n > 0 && i > 0) {
            i = ws_utf8_prev(c->text, i);
            n -= !ws_utf8_space_at(c->text + i, t->end - i); /* (a joined break is none) */
        }
        *b = i;
    } else if (kind == WS_TERM_SPACE) {
        /* the white space before the token it is passed with */
        size_t w = ws_utf8_space_before(c->text, t->start);
        *b = t->start - w;
        *e = t->start;
    }
}

static ws_status on_json_word(void *vctx, const ws_token *t)
{
    json_ctx *c = vctx;
    if (t->start < c->covered_until)
        return WS_OK;
    c->covered_until = t->end;
    json_array_append_new(c->words, json_stringn(c->text + t->start, t->end - t->start));
    return WS_OK;
}

static ws_status on_json_term(void *vctx, const char *term, size_t len, uint32_t pos,
                              ws_term_kind kind, const ws_token *t)
{
    static const char *const kinds[] = {"word",  "char",  "bigram", "gap", "run",
                                        "token", "space", "punct",  "edge"};
    json_ctx *c = vctx;
    size_t b, e;
    term_range(c, term, len, kind, t, &b, &e);
    json_t *o =
        json_pack("{s:s%, s:s, s:s, s:i, s:I, s:I}", "term", term, len, "kind", kinds[kind],
                  "field", c->field, "pos", (int)pos, "start", (json_int_t)b, "end", (json_int_t)e);
    if (!o)
        return WS_ENOMEM;
    json_array_append_new(c->terms, o);
    return WS_OK;
}

ws_status ws_explain_json(ws_analyzer *a, const char *text, size_t len, json_t **out)
{
    json_ctx c = {text, json_array(), json_array(), 0, "body", 0, 0, {{0, 0}, {0, 0}}};
    *out = NULL;
    uint32_t pos = 1;
    ws_status st = ws_analyzer_run(a, text, len, WS_ANALYZE_JOIN_LINES, &pos, on_json_word, &c);
    pos = 1;
    if (st == WS_OK)
        st = ws_termgen_run(a, text, len, WS_FIELD_BODY, WS_ANALYZE_JOIN_LINES | WS_TERMGEN_RUNS,
                            &pos, on_json_term, &c);
    if (st != WS_OK || !c.words || !c.terms) {
        json_decref(c.words);
        json_decref(c.terms);
        return st != WS_OK ? st : WS_ENOMEM;
    }
    *out = json_pack("{s:o, s:o}", "words", c.words, "terms", c.terms);
    return *out ? WS_OK : WS_ENOMEM;
}
