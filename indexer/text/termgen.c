#include "termgen.h"

#include <string.h>
#include "normalize.h"
#include "schema.h"

typedef struct state {
    ws_field field;
    ws_term_cb cb;
    void *ctx;
    char prev[8]; /* the previous CJK character, UTF-8 */
    size_t prevlen;
    uint32_t prevpos;  /* its position; 0 when none */
    uint32_t spacepos; /* the last space term's position; 0 when none */
    unsigned flags;
    /* the text of the CJK words just before, side by side with each other
     * and with the next one if it starts at prevpos + 1 without a gap:
     * word[0] the last, word[1] the one before; nwords of them */
    char word[2][WS_TERM_MAX + 1];
    size_t wordlen[2];
    int nwords;
    char term[WS_TERM_MAX + 16];
} state;

const char *ws_termgen_prefix(ws_field field, ws_term_kind kind)
{
    static const char *const pfx[2][9] = {
        {WS_PFX_WORD, WS_PFX_UNI, WS_PFX_BI, WS_PFX_GAP, WS_PFX_RUN, "", WS_PFX_SPACE, WS_PFX_PUNCT,
         WS_PFX_MARK_EDGE},
        {WS_PFX_TITLE_WORD, WS_PFX_TITLE_UNI, WS_PFX_TITLE_BI, WS_PFX_TITLE_GAP, WS_PFX_TITLE_RUN,
         "", WS_PFX_TITLE_SPACE, WS_PFX_TITLE_PUNCT, WS_PFX_TITLE_MARK_EDGE},
    };
    return pfx[field][kind];
}

static ws_status put(state *s, ws_term_kind kind, const char *a, size_t alen, const char *b,
                     size_t blen, uint32_t pos, const ws_token *tok)
{
    const char *pfx = ws_termgen_prefix(s->field, kind);
    size_t plen = strlen(pfx);
    if (plen + alen + blen > WS_TERM_MAX)
        return WS_OK;
    memcpy(s->term, pfx, plen);
    memcpy(s->term + plen, a, alen);
    memcpy(s->term + plen + alen, b, blen);
    s->term[plen + alen + blen] = '\0';
    return s->cb(s->ctx, s->term, plen + alen + blen, pos, kind, tok);
}

/* The runs t ends, with the one or two CJK words before it that stand side by
 * side with it (adjacent says whether the last one does); then t becomes the
 * last word. A word longer than a term is no part of a run. */
static ws_status put_word_runs(state *s, const ws_token *t, int adjacent)
{
    ws_status st = WS_OK;
    /* A one-character stop word (的 了 和 在) is no part of a run either: a
     * researcher's term seldom starts, ends or holds one, and runs with one
     * are a quarter of those of two words and a third of those of three
     * (the cost of the terms is in indexer/README.md). */
    int out = t->len > WS_TERM_MAX || (t->nchars == 1 && (t->lexflags & WS_LEX_STOP));
    if (!adjacent || out)
        s->nwords = 0;
    if (out)
        return WS_OK;
    if (s->nwords >= 1)
        st = put(s, WS_TERM_RUN, s->word[0], s->wordlen[0], t->text, t->len, 0, t);
    if (st == WS_OK && s->nwords >= 2 && s->wordlen[1] + s->wordlen[0] <= WS_TERM_MAX) {
        /* the first two joined, then the third */
        char two[2 * WS_TERM_MAX];
        memcpy(two, s->word[1], s->wordlen[1]);
        memcpy(two + s->wordlen[1], s->word[0], s->wordlen[0]);
        st = put(s, WS_TERM_RUN, two, s->wordlen[1] + s->wordlen[0], t->text, t->len, 0, t);
    }
    memcpy(s->word[1], s->word[0], s->wordlen[0]);
    s->wordlen[1] = s->wordlen[0];
    memcpy(s->word[0], t->text, t->len);
    s->wordlen[0] = t->len;
    s->nwords = s->nwords < 2 ? s->nwords + 1 : 2;
    return st;
}

/* 0 for a mark inside a word (949.21, don't, covid-19), 1 for a letter or
 * digit: a letter beside a digit is no edge of a part (5g, pm2), as a
 * concordance finds no word there (occurrence.h: a pattern that begins or
 * ends with a letter or digit is found only where none stands beside it),
 * and /search must match the documents a concordance counts. */
static int run_class(uint32_t cp)
{
    return ws_char_is_alnum(cp) ? 1 : 0;
}

/* The runs of letters and digits of a word that marks part in several
 * (949.21 -> 949, 21; covid-19 -> covid, 19; pm2.5 -> pm2, 5; not 5g),
 * without positions: the parts find the document, while phrases go by the
 * whole word at its position. */
static ws_status put_runs(state *s, const ws_token *t)
{
    const unsigned char *p = (const unsigned char *)t->text;
    size_t b = 0, nruns = 0;
    int cls = -1;
    for (int pass = 0; pass < 2; pass++) {
        cls = -1;
        for (size_t i = 0; i <= t->len;) {
            uint32_t cp = 0;
            int n = i < t->len ? ws_utf8_decode(p + i, t->len - i, &cp) : 1;
            int c = i < t->len ? run_class(cp) : -1;
            if (c != cls) {
                if (cls > 0 && pass == 0)
                    nruns++;
                if (cls > 0 && pass == 1) {
                    ws_status st = put(s, WS_TERM_WORD, t->text + b, i - b, "", 0, 0, t);
                    if (st != WS_OK)
                        return st;
                }
                cls = c;
                b = i;
            }
            i += (size_t)n;
        }
        if (nruns < 2)
            return WS_OK;
    }
    return WS_OK;
}

/* Whether a punctuation token is a mark a phrase may hold: a mark or a
 * run of them (——, ……, which NFKC makes ......, --), none the U+FFFD that
 * broken input becomes nor a control character (the analyzer gives each a
 * position all the same). A run longer than a term gets none, in the
 * query as in the text. */
static int is_mark(const ws_token *t)
{
    if (!t->len)
        return 0;
    for (size_t i = 0; i < t->len;) {
        uint32_t cp = 0;
        int n = ws_utf8_decode((const unsigned char *)t->text + i, t->len - i, &cp);
        if (n <= 0 || cp < 0x20 || cp == 0x7F || cp == 0xFFFD || (cp >= 0x80 && cp < 0xA0))
            return 0;
        i += (size_t)n;
    }
    return 1;
}

size_t ws_termgen_mark_run(const char *text, size_t len, size_t *width)
{
    uint32_t first = 0;
    int n = len ? ws_utf8_decode((const unsigned char *)text, len, &first) : 0;
    if (n <= 0 || !ws_analyzer_mark_runs(first) || len % (size_t)n)
        return 0;
    for (size_t i = 0; i < len; i += (size_t)n)
        if (memcmp(text + i, text, (size_t)n))
            return 0; /* not one mark repeated */
    *width = (size_t)n;
    return len / (size_t)n;
}

/* For a run of one mark that the analyzer makes one token: its first k
 * marks, k = 1 ... WS_MARK_EDGE_MAX, each a term at its position. */
static ws_status put_run_edges(state *s, const ws_token *t)
{
    size_t w = 0, marks = ws_termgen_mark_run(t->text, t->len, &w);
    ws_status st = WS_OK;
    for (size_t k = 1; k <= marks && k <= WS_MARK_EDGE_MAX && st == WS_OK; k++)
        st = put(s, WS_TERM_MARK_EDGE, t->text, k * w, "", 0, t->pos, t);
    return st;
}

static ws_status on_token(void *ctx, const ws_token *t)
{
    state *s = ctx;
    ws_status st = WS_OK;
    /* once for a compound and its first part, which share the position */
    if (t->spaced == 2 && t->pos > 1 && s->spacepos != t->pos - 1) {
        s->spacepos = t->pos - 1;
        st = put(s, WS_TERM_SPACE, "", 0, "", 0, t->pos - 1, t);
    }
    if (st == WS_OK && (s->flags & WS_TERMGEN_TOKENS))
        st = s->cb(s->ctx, "", 0, t->pos, WS_TERM_TOKEN, t);
    if (st != WS_OK)
        return st;
    switch (t->kind) {
    case WS_TOKEN_HAN: {
        if (t->nchars >= 2)
            st = put(s, WS_TERM_WORD, t->text, t->len, "", 0, 0, t);
        if (st == WS_OK && t->spaced && s->prevpos && s->prevpos + 1 == t->pos)
            st = put(s, WS_TERM_GAP, "", 0, "", 0, t->pos, t);
        /* side by side: the previous CJK character right before, and no
         * white space between (where a gap term would stand) */
        if (st == WS_OK && (s->flags & WS_TERMGEN_RUNS))
            st = put_word_runs(s, t, s->prevpos && s->prevpos + 1 == t->pos && !t->spaced);
        const unsigned char *p = (const unsigned char *)t->text;
        uint32_t pos = t->pos;
        for (size_t i = 0; i < t->len && st == WS_OK; pos++) {
            uint32_t cp;
            int n = ws_utf8_decode(p + i, t->len - i, &cp);
            st = put(s, WS_TERM_UNI, t->text + i, (size_t)n, "", 0, pos, t);
            if (st == WS_OK && s->prevpos && s->prevpos + 1 == pos)
                st = put(s, WS_TERM_BI, s->prev, s->prevlen, t->text + i, (size_t)n, 0, t);
            memcpy(s->prev, t->text + i, (size_t)n);
            s->prevlen = (size_t)n;
            s->prevpos = pos;
            i += (size_t)n;
        }
        break;
    }
    case WS_TOKEN_ALNUM:
        st = put(s, WS_TERM_WORD, t->text, t->len, "", 0, t->pos, t);
        if (st == WS_OK)
            st = put_runs(s, t);
        break;
    case WS_TOKEN_COMPOUND:
        st = put(s, WS_TERM_WORD, t->text, t->len, "", 0, t->pos, t);
        break;
    case WS_TOKEN_PUNCT:
        if (is_mark(t) && (st = put(s, WS_TERM_PUNCT, t->text, t->len, "", 0, t->pos, t)) == WS_OK)
            st = put_run_edges(s, t);
        break;
    }
    return st;
}

ws_status ws_termgen_run(ws_analyzer *a, const char *text, size_t len, ws_field field,
                         unsigned flags, uint32_t *pos, ws_term_cb cb, void *ctx)
{
    state s;
    memset(&s, 0, sizeof s);
    s.field = field;
    s.cb = cb;
    s.ctx = ctx;
    s.flags = flags;
    return ws_analyzer_run(a, text, len, flags & ~(WS_TERMGEN_RUNS | WS_TERMGEN_TOKENS), pos,
                           on_token, &s);
}
