/* kwicline.c - a line of a concordance and its context key (kwicline.h). */
#include "kwicline.h"

#include <stdint.h>
#include <string.h>
#include "analyzer.h"
#include "occurrence.h"
#include "utf8.h"

/* The text an occurrence stands in. */
const char *ws_kwicline_text(const ws_textdoc *d, size_t j, size_t *len)
{
    *len = j < d->ntitle ? d->tlen : d->blen;
    return j < d->ntitle ? d->title : d->body;
}

/* ---- lines ---- */

/* Whether text[i] is a byte add_flat drops or makes a space of with the
 * others beside it: counted for no character of the line here, so that a
 * wrap joined away leaves no character short; the space one makes is cut
 * off after (trim_to). A vertical tab or form feed (a line or page break
 * of a word processor) is white space to the analyzer, as a tab is. */
static int flat_break(char c)
{
    return c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}

/* Appends text[b, e) as one line: a line break that the analyzer joins
 * (a hard wrap inside CJK text or a number: ws_analyzer_break_joined)
 * disappears, any other run of line breaks and tabs is one space, a CR is
 * dropped. A break that ends a paragraph (after the end of a sentence:
 * 。\n国家, ws_analyzer_paragraph_end) is a space, although the analyzer
 * joins it too, as a line break shown. */
static void add_flat(ws_strbuf *sb, const char *text, size_t len, size_t b, size_t e)
{
    size_t from = b;
    for (size_t i = b; i < e; i++) {
        char c = text[i];
        if (!flat_break(c))
            continue;
        ws_strbuf_add(sb, text + from, i - from);
        size_t k = i;
        int breaks = 0, other = 0;
        while (k < e && flat_break(text[k])) {
            breaks += text[k] == '\n';
            other += text[k] != '\n' && text[k] != '\r';
            k++;
        }
        size_t past;
        /* a tab before the break is white space the analyzer keeps (a
         * space); one after it goes with the break */
        int wrap = breaks && (c == '\n' || c == '\r') &&
                   ws_analyzer_break_joined(text, len, i, &past) &&
                   !ws_analyzer_paragraph_end(text, len, i, &past);
        if (!wrap && (breaks || other))
            ws_strbuf_add(sb, " ", 1);
        from = k;
        i = k - 1;
    }
    ws_strbuf_add(sb, text + from, e - from);
}

/* Whether the character at s[i] (of n bytes) belongs with the one before
 * it (ws_analyzer_extends). */
static int extends_at(const char *s, size_t n, size_t i)
{
    uint32_t cp;
    return i < n && (unsigned char)s[i] >= 0xCC &&
           ws_utf8_decode((const unsigned char *)s + i, n - i, &cp) > 0 && ws_analyzer_extends(cp);
}

/* The start of the width characters before b, past the marks of a
 * character cut off (trim_to). */
static size_t left_start(const char *text, size_t b, unsigned width)
{
    size_t i = b;
    for (unsigned n = 0; i > 0 && n < width;) {
        i = ws_utf8_prev(text, i);
        n += !flat_break(text[i]);
    }
    while (i > 0 && extends_at(text, b, i))
        i = ws_utf8_next(text, b, i);
    return i;
}

/* The end of the width characters from e, with the marks of the last. */
static size_t right_end(const char *text, size_t len, size_t e, unsigned width)
{
    size_t i = e;
    for (unsigned n = 0; i < len && n < width;) {
        n += !flat_break(text[i]);
        i = ws_utf8_next(text, len, i);
    }
    while (extends_at(text, len, i))
        i = ws_utf8_next(text, len, i);
    return i;
}

/* Cuts sb's text (a context made by add_flat) to its width characters
 * nearest the match: its last ones on the left, its first on the right;
 * never between a character and the marks that go with it (a combining
 * accent of decomposed text): on the left the marks whose character was
 * cut go too, on the right they stay with it. */
static void trim_to(ws_strbuf *sb, unsigned width, int left)
{
    size_t n = ws_utf8_count(sb->s, sb->len);
    if (n <= width)
        return;
    if (left) {
        size_t cut = 0;
        for (size_t k = 0; k < n - width; k++)
            cut = ws_utf8_next(sb->s, sb->len, cut);
        while (extends_at(sb->s, sb->len, cut))
            cut = ws_utf8_next(sb->s, sb->len, cut);
        memmove(sb->s, sb->s + cut, sb->len - cut);
        sb->len -= cut;
    } else {
        size_t keep = 0;
        for (unsigned k = 0; k < width; k++)
            keep = ws_utf8_next(sb->s, sb->len, keep);
        while (extends_at(sb->s, sb->len, keep))
            keep = ws_utf8_next(sb->s, sb->len, keep);
        sb->len = keep;
    }
}

ws_status ws_kwicline_emit(ws_kwicline *l, const ws_textdoc *d, size_t j, unsigned width,
                           ws_kwic_cb cb, void *ctx)
{
    size_t len;
    const char *text = ws_kwicline_text(d, j, &len);
    const ws_occ *o = &d->occ[j];
    l->left.len = l->match.len = l->right.len = 0;
    ws_strbuf_add(&l->left, "", 0);
    ws_strbuf_add(&l->match, "", 0);
    ws_strbuf_add(&l->right, "", 0);
    add_flat(&l->left, text, len, left_start(text, o->start, width), o->start);
    add_flat(&l->match, text, len, o->start, o->end);
    add_flat(&l->right, text, len, o->end, right_end(text, len, o->end, width));
    if (l->left.failed || l->match.failed || l->right.failed)
        return WS_ENOMEM;
    trim_to(&l->left, width, 1);
    trim_to(&l->right, width, 0);
    l->left.s[l->left.len] = l->match.s[l->match.len] = l->right.s[l->right.len] = '\0';
    ws_kwic_line line = {d->id,  d->title,  d->date,    d->source, d->type,
                         d->url, l->left.s, l->match.s, l->right.s};
    return cb(ctx, &line);
}
/* ---- context keys, for sorting by left or right ---- */

/* The WS_KWICLINE_KEY_CHARS characters nearest the occurrence as the line shows them,
 * leftwards (read from the match outwards) or rightwards, in UTF-8. */
ws_status ws_kwicline_key_make(ws_strbuf *sb, const char *text, size_t len, const ws_occ *o,
                               int left, ws_kwicline_key *k)
{
    sb->len = 0;
    if (left)
        add_flat(sb, text, len, left_start(text, o->start, WS_KWICLINE_KEY_CHARS), o->start);
    else
        add_flat(sb, text, len, o->end, right_end(text, len, o->end, WS_KWICLINE_KEY_CHARS));
    if (sb->failed)
        return WS_ENOMEM;
    k->len = 0;
    if (!left) {
        size_t n = 0;
        for (unsigned c = 0; n < sb->len && c < WS_KWICLINE_KEY_CHARS; c++)
            n = ws_utf8_next(sb->s, sb->len, n);
        memcpy(k->key, sb->s, n);
        k->len = (uint8_t)n;
        return WS_OK;
    }
    size_t e = sb->len;
    for (unsigned c = 0; e > 0 && c < WS_KWICLINE_KEY_CHARS; c++) {
        size_t b = ws_utf8_prev(sb->s, e);
        memcpy(k->key + k->len, sb->s + b, e - b);
        k->len += (uint8_t)(e - b);
        e = b;
    }
    return WS_OK;
}

int ws_kwicline_key_cmp(const void *x, const void *y)
{
    const ws_kwicline_key *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->key, b->key, n);
    if (c)
        return c;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}
