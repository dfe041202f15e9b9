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

/* What a page says of itself besides its text. */
typedef struct ws_html_meta {
    char date[11]; /* the day it was published, YYYY-MM-DD, or "" (below) */
} ws_html_meta;

/* Extracts the page's title (<title>, else the first <h1>) and its visible
 * text from text[0..len), which is UTF-8. On WS_OK, *body is NULL when the
 * page has no root element (nothing visible), else a string; *title may be
 * NULL. Both are the caller's, to free(). On failure both are NULL. *cut is
 * 1 when the parser stopped early at one of libxml2's limits: the text after
 * that point is missing. meta (may be NULL) gets the date of the first
 * <meta> that names a publication date (name pubdate, publishdate,
 * firstpublishedtime, dc.date, dc.date.issued, dcterms.issued,
 * citation_publication_date, citation_date; not a bare "date" nor
 * dcterms.created, which CMS templates and generators give the day a page
 * was made; property
 * article:published_time; itemprop datePublished; case aside) and whose
 * content opens with a real day (ws_date_lead); one that does not is passed
 * over, since a page's metadata is not the user's to put right. */
ws_status ws_html_extract(const char *text, size_t len, char **title, char **body, int *cut,
                          ws_html_meta *meta);

/* The first WS_HTML_CHARSET_SCAN bytes of a page that browsers look in for
 * its declared charset (the HTML standard's prescan reads 1,024; pages
 * with long comments or scripts before their <meta> are not rare). */
#define WS_HTML_CHARSET_SCAN 8192

/* The charset a page declares for itself in its first WS_HTML_CHARSET_SCAN
 * bytes, raw[0..len) in any encoding: the first <meta charset="X"> or <meta
 * http-equiv="Content-Type" content="...; charset=X">, X into label[0..cap)
 * as written; "" when there is none (or it does not fit). WS_ENOMEM. */
ws_status ws_html_find_charset(const char *raw, size_t len, char *label, size_t cap);

#endif
