/* kwicline.h - a line of a concordance (concordance.h): the text around
 * one occurrence as the line shows it, `width` characters on each side
 * within its field, line breaks shown as spaces and hard wraps inside CJK
 * text joined; and the key a sort by the left or right context compares,
 * made of the same characters. Internal to the search layer.
 *
 * A line is made in the caller's buffers (ws_kwicline, which it
 * zero-initializes and frees: free() of left.s, match.s and right.s) and
 * handed to the caller's callback; its strings are valid during the
 * callback only. */
#ifndef WS_KWICLINE_H
#define WS_KWICLINE_H

#include <stddef.h>
#include <stdint.h>
#include "concordance.h"
#include "status.h"
#include "strbuf.h"
#include "textdoc.h"

/* The text the occurrence j of d stands in (its title or its body), its
 * length in *len; d's. */
const char *ws_kwicline_text(const ws_textdoc *d, size_t j, size_t *len);

/* The buffers a line is made in, reused from one line to the next. */
typedef struct ws_kwicline {
    ws_strbuf left, match, right;
} ws_kwicline;

/* Makes the line of occurrence j of d in l and calls cb(ctx, line) with
 * it; cb's status, or WS_ENOMEM. */
ws_status ws_kwicline_emit(ws_kwicline *l, const ws_textdoc *d, size_t j, unsigned width,
                           ws_kwic_cb cb, void *ctx);

#define WS_KWICLINE_KEY_CHARS 10 /* the nearest characters */
#define WS_KWICLINE_KEY_BYTES (WS_KWICLINE_KEY_CHARS * 4)

/* A line's context key, by value: the caller's. */
typedef struct ws_kwicline_key {
    uint32_t i, j; /* document in the list, occurrence in the document */
    uint8_t len;
    unsigned char key[WS_KWICLINE_KEY_BYTES];
} ws_kwicline_key;

/* The key of occurrence o of text into *k (sb a scratch buffer of the
 * caller's); WS_ENOMEM. */
ws_status ws_kwicline_key_make(ws_strbuf *sb, const char *text, size_t len, const ws_occ *o,
                               int left, ws_kwicline_key *k);

/* qsort's comparison of two ws_kwicline_key: by key, then by place. */
int ws_kwicline_key_cmp(const void *x, const void *y);

#endif
