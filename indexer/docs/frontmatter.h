/* frontmatter.h - the front matter that may open a .txt or .md file: a
 * "---" line, "key: value" lines, a "---" line (reader.h). id, title, date,
 * source, type and url fill the document's fields; any other key goes to
 * its meta. A line that is not "key: value" or a field too long is
 * reported through the read's warn and skipped; a date is its day, read by
 * ws_date_lead (2024-03-05, or with a time after it as static site
 * generators write it: 2024-03-05T10:00:00+08:00, 2024-03-05 10:00:00
 * +0800), and one that is not a real day is reported and refuses the
 * document (as a JSON line's).
 * Internal to the docs layer: callers see reader.h. */
#ifndef WS_FRONTMATTER_H
#define WS_FRONTMATTER_H

#include <stddef.h>

#include "document.h"
#include "reader_int.h"

/* Reads the block at the start of text[0..len) into doc, whose fields then
 * own their strings (freed with doc); *used is the number of bytes the
 * block covers (0 when the text has none, or the block is not closed).
 * WS_OK; WS_EINVAL for a bad date (reported: the document is not to be
 * indexed); WS_ENOMEM. */
ws_status ws__frontmatter_read(const ws__reader *r, const char *text, size_t len, ws_doc *doc,
                               size_t *used);

#endif
