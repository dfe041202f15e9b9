#include "wordlist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "array.h"
#include "strbuf.h"
#include "utf8.h"

int ws_wordlist_is_stop(const ws_lexicon *lex, const ws_token *t)
{
    if (t->kind == WS_TOKEN_HAN)
        return (t->lexflags & WS_LEX_STOP) != 0;
    uint32_t cps[WS_TOKEN_MAX_BYTES];
    int n = 0;
    for (size_t i = 0; i < t->len && n < WS_TOKEN_MAX_BYTES;) {
        int k = ws_utf8_decode((const unsigned char *)t->text + i, t->len - i, &cps[n++]);
        i += (size_t)(k > 0 ? k : 1);
    }
    return (ws_lexicon_lookup(lex, cps, n, NULL) & WS_LEX_STOP) != 0;
}

int ws_wordlist_takes(size_t *covered, const ws_token *t)
{
    if (t->start < *covered)
        return 0;
    *covered = t->end;
    return t->kind != WS_TOKEN_PUNCT;
}

/* ---- building ---- */

struct ws_wordlist {
    const ws_lexicon *lex;
    ws_strbuf value; /* "W1" and the fields ended so far */
    int started;     /* value holds "W1" */
    int open;        /* a field begun and not yet ended */
    int ended;       /* fields ended: 0, 1 (the title), 2 */
    int broken;      /* a word not placed: no list */
    /* the field begun */
    char *norm;
    size_t nlen, *map; /* ws_analyzer_normalize's */
    ws_strbuf words;
    size_t nwords, covered, prev_end;
    size_t *paras, npara;
};

ws_status ws_wordlist_new(const ws_lexicon *lex, ws_wordlist **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return WS_ENOMEM;
    (*out)->lex = lex;
    return WS_OK;
}

static void field_drop(ws_wordlist *w)
{
    free(w->norm);
    free(w->map);
    w->norm = NULL;
    w->map = NULL;
    w->nlen = 0;
    free(w->paras);
    w->paras = NULL;
    w->npara = 0;
    w->words.len = 0;
    w->nwords = w->covered = w->prev_end = 0;
}

void ws_wordlist_free(ws_wordlist *w)
{
    if (!w)
        return;
    field_drop(w);
    free(w->value.s);
    free(w->words.s);
    free(w);
}

static void put_varint(ws_strbuf *b, size_t v)
{
    char buf[10];
    size_t n = 0;
    while (v >= 0x80) {
        buf[n++] = (char)(v | 0x80);
        v >>= 7;
    }
    buf[n++] = (char)v;
    ws_strbuf_add(b, buf, n);
}

static void start(ws_wordlist *w)
{
    if (w->started)
        return;
    w->value.len = 0;
    w->value.failed = w->words.failed = 0; /* a failure is the value's it hit */
    ws_strbuf_add(&w->value, "W1", 2);
    w->started = 1;
    w->ended = 0;
    w->broken = 0;
}

/* Appends the field begun (or an empty one) to the value. */
static void field_end(ws_wordlist *w)
{
    put_varint(&w->value, w->nlen);
    if (w->nlen)
        ws_strbuf_add(&w->value, w->norm, w->nlen);
    put_varint(&w->value, w->nwords);
    if (w->words.len)
        ws_strbuf_add(&w->value, w->words.s, w->words.len);
    put_varint(&w->value, w->npara);
    for (size_t i = 0; i < w->npara; i++)
        put_varint(&w->value, w->paras[i] - (i ? w->paras[i - 1] : 0));
    field_drop(w);
    w->open = 0;
    w->ended++;
}

ws_status ws_wordlist_begin(ws_wordlist *w, ws_analyzer *a, const char *text, size_t len)
{
    start(w);
    if (w->open)
        field_end(w); /* the title, before the body */
    if (w->ended >= 2)
        return WS_EINVAL;
    w->open = 1;
    if (!len)
        return WS_OK;
    ws_status st =
        ws_analyzer_normalize(a, text, len, WS_ANALYZE_JOIN_LINES, &w->norm, &w->nlen, &w->map);
    if (st == WS_OK)
        st = ws_analyzer_paragraph_starts(text, len, w->map, w->nlen, &w->paras, &w->npara);
    return st;
}

/* The first byte of the normalized text that comes from input at or past
 * in (the map never falls). */
static size_t norm_of(const ws_wordlist *w, size_t in)
{
    size_t lo = 0, hi = w->nlen;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->map[mid] < in)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

ws_status ws_wordlist_token(ws_wordlist *w, const ws_token *t)
{
    if (!ws_wordlist_takes(&w->covered, t) || w->broken)
        return WS_OK;
    /* a character that normalizes to more than the token (⒈ to 1 and .)
     * begins with it */
    size_t b = norm_of(w, t->start), e = b + t->len;
    if (!w->norm || b < w->prev_end || e > w->nlen || memcmp(w->norm + b, t->text, t->len)) {
        w->broken = 1;
        return WS_OK;
    }
    put_varint(&w->words, b - w->prev_end);
    put_varint(&w->words, t->len * 2 + (size_t)ws_wordlist_is_stop(w->lex, t));
    w->prev_end = e;
    w->nwords++;
    return w->words.failed ? WS_ENOMEM : WS_OK;
}

ws_status ws_wordlist_value(ws_wordlist *w, const char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    start(w);
    while (w->ended < 2)
        field_end(w);
    w->started = 0;
    if (w->value.failed || w->words.failed)
        return WS_ENOMEM;
    if (!w->broken) {
        *out = w->value.s;
        *len = w->value.len;
    }
    return WS_OK;
}

/* ---- reading ---- */

/* A varint at *p (before end) into *v; 0 when it runs past end or is
 * longer than a size. */
static int get_varint(const unsigned char **p, const unsigned char *end, size_t *v)
{
    size_t x = 0;
    for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
        unsigned char c = *(*p)++;
        x |= (size_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            *v = x;
            return 1;
        }
    }
    return 0;
}

/* Walks nwords words at *p (before end) over a text of len bytes, the
 * first after byte *at (moved on to the last one's end), checking each,
 * into out[0..nwords): 0 when one runs past the text or the value. */
static int walk_words(const unsigned char **p, const unsigned char *end, size_t *at, size_t nwords,
                      size_t len, ws_word *out)
{
    size_t skip, len2;
    for (size_t i = 0; i < nwords; i++) {
        const unsigned char *q = *p;
        if (end - q >= 2 && !((q[0] | q[1]) & 0x80)) {
            /* nearly every word: both its varints are a byte */
            skip = q[0];
            len2 = q[1];
            *p = q + 2;
        } else if (!get_varint(p, end, &skip) || !get_varint(p, end, &len2))
            return 0;
        if (skip > len - *at || len2 / 2 > len - *at - skip)
            return 0;
        *at += skip;
        out[i] = (ws_word){*at, *at + len2 / 2, (int)(len2 & 1)};
        *at += len2 / 2;
    }
    return 1;
}

/* Steps *p (before end) past n varints without reading their values, by
 * their last bytes (top bit clear), eight bytes at a time: what decoding
 * does to find where a field's paragraph starts follow its words, which
 * only ws_wordfield_words reads (and checks). 0 when they run past end. */
static int skip_varints(const unsigned char **p, const unsigned char *end, size_t n)
{
    const unsigned char *q = *p;
    while (n >= 8 && end - q >= 8) {
        uint64_t x;
        memcpy(&x, q, 8);
        uint64_t last = (~x & 0x8080808080808080ull) >> 7;
        size_t k = (size_t)((last * 0x0101010101010101ull) >> 56);
        if (k > n)
            break;
        n -= k;
        q += 8;
    }
    for (; n && q < end; q++)
        n -= !(*q & 0x80);
    if (n)
        return 0;
    *p = q;
    return 1;
}

/* The same for npara paragraph starts: rising, within the text. */
static int walk_paras(const unsigned char **p, const unsigned char *end, size_t npara, size_t len,
                      size_t *out)
{
    size_t x = 0, d;
    for (size_t i = 0; i < npara; i++) {
        if (!get_varint(p, end, &d) || d > len - x || (i && !d))
            return 0;
        x += d;
        if (out)
            out[i] = x;
    }
    return 1;
}

ws_status ws_wordlist_decode(const char *v, size_t len, ws_wordfield f[2])
{
    memset(f, 0, 2 * sizeof *f);
    if (len < 2 || memcmp(v, "W1", 2) != 0)
        return WS_ECORRUPT;
    const unsigned char *p = (const unsigned char *)v + 2, *end = (const unsigned char *)v + len;
    for (int k = 0; k < 2; k++) {
        size_t n;
        if (!get_varint(&p, end, &n) || n > (size_t)(end - p))
            return WS_ECORRUPT;
        f[k].text = (const char *)p;
        f[k].len = n;
        p += n;
        if (!get_varint(&p, end, &f[k].nwords) || f[k].nwords > (size_t)(end - p) / 2)
            return WS_ECORRUPT;
        f[k].words = p;
        if (!skip_varints(&p, end, 2 * f[k].nwords))
            return WS_ECORRUPT;
        f[k].wlen = (size_t)(p - f[k].words);
        if (!get_varint(&p, end, &f[k].npara) || f[k].npara > (size_t)(end - p))
            return WS_ECORRUPT;
        f[k].paras = p;
        if (!walk_paras(&p, end, f[k].npara, f[k].len, NULL))
            return WS_ECORRUPT;
        f[k].plen = (size_t)(p - f[k].paras);
    }
    return p == end ? WS_OK : WS_ECORRUPT;
}

/* Room for n items of size bytes in *items (room for *cap). */
static int room(void **items, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return 1;
    void *g = realloc(*items, n * size);
    if (!g)
        return 0;
    *items = g;
    *cap = n;
    return 1;
}

ws_status ws_wordfield_words(const ws_wordfield *f, ws_word **words, size_t *cap, size_t *n)
{
    *n = 0;
    if (!room((void **)words, cap, f->nwords, sizeof **words))
        return WS_ENOMEM;
    ws_wordwalk w;
    ws_wordwalk_init(&w, f);
    ws_status st;
    while ((st = ws_wordwalk_next(&w, *words + *n)) == WS_OK)
        ++*n;
    if (st != WS_ENOTFOUND) {
        *n = 0;
        return st;
    }
    return WS_OK;
}

void ws_wordwalk_init(ws_wordwalk *w, const ws_wordfield *f)
{
    *w = (ws_wordwalk){f, f->words, 0, 0};
}

/* The bytes of text that the four words of block x (eight one-byte
 * varints: gap, length times 2 plus the stop flag, four times) cover
 * from the end of the word before them to the end of their last. */
static size_t block_span(uint64_t x)
{
    uint64_t gaps = x & 0x00FF00FF00FF00FFull, lens = (x >> 9) & 0x007F007F007F007Full;
    return (size_t)(((gaps + lens) * 0x0001000100010001ull) >> 48);
}

int ws_wordwalk_seek(ws_wordwalk *w, size_t at, size_t more)
{
    size_t back = (more + 3) / 4; /* blocks kept before the place */
    if (back > WS_WORDWALK_MAX_MORE / 4)
        return 0;
    /* where each block stepped over began, the last `back` of them */
    struct {
        const unsigned char *p;
        size_t at;
    } ring[WS_WORDWALK_MAX_MORE / 4 + 1];
    const unsigned char *p = w->p, *stop = w->f->words + w->f->wlen;
    size_t x = w->at, k = w->k, n = 0;
    while (w->f->nwords - k >= 4 && stop - p >= 8) {
        uint64_t v = 0; /* the first byte lowest, on any machine (one load on ours) */
        for (int b = 7; b >= 0; b--)
            v = v << 8 | p[b];
        if (v & 0x8080808080808080ull)
            break; /* a long varint: the words are read one by one */
        size_t span = block_span(v);
        if (span > w->f->len - x || x + span > at)
            break; /* past the text (damaged: reading tells), or touching the place */
        ring[n % (back + 1)].p = p;
        ring[n % (back + 1)].at = x;
        n++;
        p += 8;
        x += span;
        k += 4;
    }
    if (n <= back)
        return 0; /* too few to step over: read on from where the walk is */
    if (back) {   /* the block `back` before the place */
        size_t r = (n - back) % (back + 1);
        p = ring[r].p;
        x = ring[r].at;
    }
    w->p = p;
    w->at = x;
    w->k = k - 4 * back;
    return 1;
}

ws_status ws_wordwalk_next(ws_wordwalk *w, ws_word *out)
{
    const unsigned char *stop = w->f->words + w->f->wlen;
    if (w->k >= w->f->nwords)
        return w->p == stop ? WS_ENOTFOUND : WS_ECORRUPT; /* the words end before their bytes */
    if (!walk_words(&w->p, stop, &w->at, 1, w->f->len, out))
        return WS_ECORRUPT;
    w->k++;
    return WS_OK;
}

ws_status ws_wordfield_paragraphs(const ws_wordfield *f, size_t **at, size_t *cap, size_t *n)
{
    *n = 0;
    if (!room((void **)at, cap, f->npara, sizeof **at))
        return WS_ENOMEM;
    const unsigned char *p = f->paras;
    if (!walk_paras(&p, f->paras + f->plen, f->npara, f->len, *at))
        return WS_ECORRUPT;
    *n = f->npara;
    return WS_OK;
}
