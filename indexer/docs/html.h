/* html.h - the title and visible text of an HTML page.
 *
 * The page is parsed by libxml2's HTML parser, which recovers from any
 * malformed markup. Script, style, head and the like are left out; block elements
 * and <br> end lines; white space runs collapse to one space, and to none
 * where a source line break falls between two CJK characters (HTML wrapped
 * in the middle of a Chinese sentence must not gain a space). */
#ifndef WS_HTML_H
#define WS_HTML_H

#include <stddef.h>
#include "status.h"

/* Extracts the page's title (<title>, else the first <h1>) and its visible
 * text from text[0..len), which is UTF-8. On WS_OK, *body is NULL when the
 * page has no root element (nothing visible), else a string; *title may be
 * NULL. Both are the caller's, to free(). On failure both are NULL. *cut is
 * 1 when the parser stopped early at one of libxml2's limits: the text after
 * that point is missing. */
ws_status ws_html_extract(const char *text, size_t len, char **title, char **body, int *cut);

#endif
