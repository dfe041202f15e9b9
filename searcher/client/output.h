/* output.h - the answers of the research instruments (research.h) printed
 * for a person, aligned and marked, or for a spreadsheet as CSV; each
 * prints what a daemon or the local searcher answered (the JSON of
 * searcher/README.md) to stdout. A document's text goes through tty.h, so
 * that its control characters are shown, not obeyed; a CSV cell that a
 * spreadsheet would run as a formula begins with an apostrophe
 * (ws_cell_formula). Nothing is kept: the caller owns the JSON. */
#ifndef WS_OUTPUT_H
#define WS_OUTPUT_H

#include <jansson.h>

/* The string at key of o, or "" (o's: valid while o is). */
const char *ws_output_str(json_t *o, const char *key);

/* Concordance lines aligned on their match; marked in colour when color
 * is set, else in [brackets]. *left_cols (in and out) is the column the
 * matches stand at, widened to the widest left context of lines: pages of
 * one concordance printed in turn stay aligned (as far as the first page
 * sets the column, which a full page of contexts of the same width does). */
void ws_output_kwic(json_t *lines, int color, int *left_cols);

/* text with the spans of occ ([from, to) code points) marked; as
 * paragraphs when paras is set: a hard wrap inside CJK text joined, a
 * blank line between paragraphs. */
void ws_output_marked(const char *text, json_t *occ, int paras, int color);

/* A trend as a table with a bar a bucket, or as CSV. */
void ws_output_trend(json_t *t);
void ws_output_trend_csv(json_t *t);

/* Collocates as a table, or as CSV. */
void ws_output_collocates(json_t *c);
void ws_output_collocates_csv(json_t *c);

#endif
