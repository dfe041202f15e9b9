/* tty.h - printing text from documents for a person, on a terminal or not.
 *
 * A document's title, id or body may hold control characters: ESC[2J
 * clears the screen, ESC]0;...BEL sets the window title, and some terminals
 * take the C1 controls (U+0080 to U+009F) as ESC sequences too. Printed raw
 * they would act on the reader's terminal; they are written visibly
 * escaped instead (\x1b, \u009b), as are bytes that are not UTF-8; a tab
 * is written as a space. Every other character, Chinese included, is
 * written as it is. */
#ifndef WS_TTY_H
#define WS_TTY_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes s[0..len) to f with its control characters escaped. */
void ws_tty_write(FILE *f, const char *s, size_t len);

/* The same for a NUL-terminated string (NULL prints nothing). */
void ws_tty_puts(FILE *f, const char *s);

/* Writes the JSON text json (as jansson writes it: C0 controls escaped
 * already) and a line break to f, with DEL and the C1 controls, which JSON
 * may hold raw, written as \u escapes: the same JSON, safe on a terminal. */
void ws_tty_json(FILE *f, const char *json);

/* Whether output to stdout may be coloured: a terminal, NO_COLOR unset
 * or empty (no-color.org), and a TERM that is set and not "dumb". */
int ws_tty_color(void);

#ifdef __cplusplus
}
#endif
#endif
