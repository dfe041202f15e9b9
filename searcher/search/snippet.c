#include "snippet.h"

#include <stdlib.h>
#include <string.h>
#include "analyzer.h"
#include "normalize.h"
#include "utf8.h"

typedef struct match {
    size_t b, e; /* in the normalized text */
    size_t mark;
} match;

static int cmp_match(const void *x, const void *y)
{
    const match *a = x, *b = y;
    return a->b < b->b ? -1 : a->b > b->b ? 1 : (a->e > b->e ? -1 : a->e < b->e);
}

/* The byte index of the character n characters before/after i. */
static size_t back_chars(const char *s, size_t i, size_t n)
{
    while (i > 0 && n > 0) {
        i--;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
            i--;
        n--;
    }
    return i;
}

static size_t fwd_chars(const char *s, size_t len, size_t i, size_t n)
{
    while (i < len && n > 0) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        n--;
    }
    return i;
}

static size_t count_chars(const char *s, size_t b, size_t e)
{
    return ws_utf8_count(s + b, e - b);
}

/* The places of the marks in the normalized text, at most
 * WS_SNIPPET_MAX_MATCHES, in order; a mark that begins or ends with a
 * letter or digit only where the text does not go on with one. */
static size_t find_matches(const char *norm, size_t nlen, char *const *marks, size_t nmarks,
                           match *ms)
{
    size_t nm = 0;
    for (size_t k = 0; k < nmarks; k++) {
        size_t ml = strlen(marks[k]);
        if (!ml)
            continue;
        /* a space stands for any run of white space, as in the index */
        size_t covers = 0;
        for (const char *p = norm;
             nm < WS_SNIPPET_MAX_MATCHES &&
             (p = ws_utf8_find_spaced(p, nlen - (size_t)(p - norm), marks[k], ml, &covers));
             p++) {
            size_t b = (size_t)(p - norm), e = b + covers;
            if (!ws_normalize_apart(norm, nlen, b, e, marks[k], ml))
                continue;
            ms[nm++] = (match){b, e, k};
        }
    }
    qsort(ms, nm, sizeof *ms, cmp_match);
    return nm;
}

/* [*wb, *we) of the normalized text: the window of WS_SNIPPET_CHARS
 * characters holding the most distinct marks, then the most matched
 * characters, widened so that it cuts no match. */
static void best_window(const char *norm, size_t nlen, const match *ms, size_t nm, size_t *wb,
                        size_t *we)
{
    size_t best_b = 0, best_e = 0, best_distinct = 0, best_cover = 0;
    size_t window_bytes = WS_SNIPPET_CHARS * 3;
    for (size_t i = 0; i < nm; i++) {
        unsigned char seen[64] = {0};
        size_t distinct = 0, cover = 0, last_e = ms[i].b;
        for (size_t j = i; j < nm && ms[j].e <= ms[i].b + window_bytes; j++) {
            size_t mk = ms[j].mark % 512;
            if (!(seen[mk / 8] & (1u << (mk % 8)))) {
                seen[mk / 8] |= (unsigned char)(1u << (mk % 8));
                distinct++;
            }
            if (ms[j].e > last_e) {
                cover += ms[j].e - (ms[j].b > last_e ? ms[j].b : last_e);
                last_e = ms[j].e;
            }
        }
        if (distinct > best_distinct || (distinct == best_distinct && cover > best_cover)) {
            best_distinct = distinct;
            best_cover = cover;
            best_b = ms[i].b;
            best_e = last_e;
        }
    }
    if (!best_distinct) {
        *wb = 0;
        *we = fwd_chars(norm, nlen, 0, WS_SNIPPET_CHARS);
    } else {
        size_t used = count_chars(norm, best_b, best_e);
        size_t pad = used < WS_SNIPPET_CHARS ? (WS_SNIPPET_CHARS - used) : 0;
        *wb = back_chars(norm, best_b, pad / 3);
        *we = fwd_chars(norm, nlen, best_e, pad - pad / 3);
    }
    /* a match the window cuts is taken in whole, so that every match shown
     * is marked whole */
    for (size_t i = 0; i < nm; i++) {
        if (ms[i].b < *wb && ms[i].e > *wb)
            *wb = ms[i].b;
        if (ms[i].b < *we && ms[i].e > *we)
            *we = ms[i].e;
    }
}

/* The original text of the window [wb, we) of norm, the matches inside it
 * between \x01 and \x02, "…" where it is cut; a new string (caller frees),
 * NULL when out of memory. */
static char *cut_marked(const char *text, size_t len, const char *norm, const size_t *map,
                        const match *ms, size_t nm, size_t wb, size_t we)
{
    size_t ob = map[wb], oe = map[we];
    size_t cap = (oe - ob) + nm * 2 + 16, n = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    if (ob > 0) {
        memcpy(s, "\xE2\x80\xA6", 3); /* … */
        n = 3;
    }
    size_t j = 0, open_until = 0;
    int open = 0;
    for (size_t o = ob; o < oe; o++) {
        /* open a mark at the first match starting here, close when passed */
        if (open && o >= open_until) {
            s[n++] = '\x02';
            open = 0;
        }
        while (j < nm && map[ms[j].b] < o)
            j++;
        if (!open && j < nm && map[ms[j].b] == o && ms[j].b >= wb && ms[j].e <= we) {
            open_until = ws_analyzer_source_end(text, len, norm, map, ms[j].b, ms[j].e);
            while (j + 1 < nm && map[ms[j + 1].b] < open_until) {
                j++;
                if (map[ms[j].e] > open_until)
                    open_until = ws_analyzer_source_end(text, len, norm, map, ms[j].b, ms[j].e);
            }
            s[n++] = '\x01';
            open = 1;
        }
        char c = text[o];
        if (c == '\x01' || c == '\x02' || c == '\r')
            continue;
        if (c == '\n' || ws_utf8_blank(c)) {
            /* white space is shown as one space, and so is a line break
             * but where the analyzer joins it (a wrap of print inside CJK
             * text or a number) or an ideographic space follows (the
             * indent of a paragraph, shown as written) */
            int indent = o + 3 < len && !memcmp(text + o + 1, "\xE3\x80\x80", 3);
            if ((n == 0 || s[n - 1] != ' ') &&
                (c != '\n' || !(indent || ws_analyzer_break_joined(text, len, o, &(size_t){0}))))
                s[n++] = ' ';
            continue;
        }
        s[n++] = c;
        if (n + 8 > cap) {
            cap *= 2;
            char *ns = realloc(s, cap);
            if (!ns) {
                free(s);
                return NULL;
            }
            s = ns;
        }
    }
    if (open)
        s[n++] = '\x02';
    if (oe < len) {
        memcpy(s + n, "\xE2\x80\xA6", 3);
        n += 3;
    }
    s[n] = '\0';
    return s;
}

/* Where the stretch that starts at from ends: WS_SNIPPET_SCAN bytes on,
 * after a line break in its last quarter if there is one (where the
 * analyzer would end a chunk too), else on a character's start. */
static size_t stretch_end(const char *text, size_t len, size_t from)
{
    if (len - from <= WS_SNIPPET_SCAN)
        return len;
    size_t e = from + WS_SNIPPET_SCAN;
    for (size_t i = e; i > e - WS_SNIPPET_SCAN / 4; i--)
        if (text[i - 1] == '\n')
            return i;
    while (e > from && ((unsigned char)text[e] & 0xC0) == 0x80)
        e--;
    return e;
}

ws_status ws_snippet_make(ws_analyzer *a, const char *text, size_t len, char *const *marks,
                          size_t nmarks, char **out)
{
    char *norm = NULL;
    size_t nlen = 0, *map = NULL, nm = 0, from = 0, to = 0;
    *out = NULL;
    match *ms = malloc(WS_SNIPPET_MAX_MATCHES * sizeof *ms);
    if (!ms)
        return WS_ENOMEM;
    ws_status st;
    for (;;) {
        to = stretch_end(text, len, from);
        st = ws_analyzer_normalize(a, text + from, to - from, WS_ANALYZE_JOIN_LINES, &norm, &nlen,
                                   &map);
        if (st != WS_OK || (nm = find_matches(norm, nlen, marks, nmarks, ms)) || to == len ||
            to >= WS_SNIPPET_SCAN_MAX)
            break;
        free(norm);
        free(map);
        norm = NULL;
        map = NULL;
        /* the next stretch begins a little before this one ended, on a
         * character's start, so that a match the cut parts is found whole
         * (the marks are a query's pieces, shorter than this) */
        from = to - WS_SNIPPET_OVERLAP;
        while (((unsigned char)text[from] & 0xC0) == 0x80)
            from--;
    }
    if (st == WS_OK && !nm && from > 0) { /* none: the opening, as of a text without */
        free(norm);
        free(map);
        norm = NULL;
        map = NULL;
        from = 0;
        to = stretch_end(text, len, 0);
        st = ws_analyzer_normalize(a, text, to, WS_ANALYZE_JOIN_LINES, &norm, &nlen, &map);
    }
    if (st == WS_OK) {
        size_t wb, we;
        best_window(norm, nlen, ms, nm, &wb, &we);
        /* the stretch as the text: a window that reaches its end where the
         * text goes on is cut there (cut_marked adds no … then: it is rare) */
        *out = cut_marked(text + from, to - from, norm, map, ms, nm, wb, we);
        if (!*out)
            st = WS_ENOMEM;
    }
    free(ms);
    free(norm);
    free(map);
    return st;
}

char *ws_snippet_render(const char *snippet, const char *open, const char *close, int escape_html)
{
    size_t lo = strlen(open), lc = strlen(close), n = 0;
    size_t cap = strlen(snippet) * 5 + 1;
    for (const char *p = snippet; *p; p++)
        if (*p == '\x01' || *p == '\x02')
            cap += lo + lc;
    char *r = malloc(cap);
    if (!r)
        return NULL;
    for (const char *p = snippet; *p; p++) {
        const char *rep = NULL;
        if (*p == '\x01')
            rep = open;
        else if (*p == '\x02')
            rep = close;
        else if (escape_html && *p == '&')
            rep = "&amp;";
        else if (escape_html && *p == '<')
            rep = "&lt;";
        else if (escape_html && *p == '>')
            rep = "&gt;";
        if (rep) {
            size_t l = strlen(rep);
            memcpy(r + n, rep, l);
            n += l;
        } else {
            r[n++] = *p;
        }
    }
    r[n] = '\0';
    return r;
}
