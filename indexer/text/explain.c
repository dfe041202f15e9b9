#include "explain.h"

#include <string.h>
#include "termgen.h"

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
} json_ctx;

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
    json_t *o = json_pack("{s:s%, s:s, s:s, s:i, s:I, s:I}", "term", term, len, "kind", kinds[kind],
                          "field", c->field, "pos", (int)pos, "start", (json_int_t)t->start, "end",
                          (json_int_t)t->end);
    if (!o)
        return WS_ENOMEM;
    json_array_append_new(c->terms, o);
    return WS_OK;
}

ws_status ws_explain_json(ws_analyzer *a, const char *text, size_t len, json_t **out)
{
    json_ctx c = {text, json_array(), json_array(), 0, "body"};
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
