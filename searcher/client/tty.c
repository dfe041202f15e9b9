/* tty.c - control characters from documents, escaped for the terminal. */
#include "tty.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Length of the well-formed UTF-8 sequence at s[0..len) that is not a C0
 * control, DEL or a C1 control, or 0: those are escaped. */
static size_t printable(const unsigned char *s, size_t len)
{
    unsigned c = s[0];
    if (c < 0x80)
        return c >= 0x20 && c != 0x7f;
    size_t n = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (!n || n > len)
        return 0;
    unsigned cp = c & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return cp <= 0x9f ? 0 : n; /* C1 controls */
}

void ws_tty_write(FILE *f, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t run = i, n;
        while (run < len && (n = printable(u + run, len - run)) != 0)
            run += n;
        fwrite(u + i, 1, run - i, f);
        if (run == len)
            break;
        /* a tab is white space, harmless: a space, as snippets show it */
        if (u[run] == '\t') {
            fputc(' ', f);
            i = run + 1;
        } else if (u[run] == 0xc2 && run + 1 < len && u[run + 1] >= 0x80 && u[run + 1] <= 0x9f) {
            fprintf(f, "\\u%04x", u[run + 1]);
            i = run + 2;
        } else {
            fprintf(f, "\\x%02x", u[run]);
            i = run + 1;
        }
    }
}

void ws_tty_puts(FILE *f, const char *s)
{
    if (s)
        ws_tty_write(f, s, strlen(s));
}

void ws_tty_json(FILE *f, const char *json)
{
    const unsigned char *u = (const unsigned char *)json;
    size_t i = 0;
    for (size_t k = 0; u[k]; k++) {
        int c1 = u[k] == 0xc2 && u[k + 1] >= 0x80 && u[k + 1] <= 0x9f;
        if (u[k] != 0x7f && !c1)
            continue;
        fwrite(u + i, 1, k - i, f);
        fprintf(f, "\\u%04x", c1 ? u[k + 1] : 0x7f);
        k += (size_t)c1;
        i = k + 1;
    }
    fputs(json + i, f);
    fputc('\n', f);
}

int ws_tty_color(void)
{
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(1) && !(no && *no) && term && *term && strcmp(term, "dumb") != 0;
}
