/* positions.h - how often a query's patterns (occurrence.h) occur in
 * documents, counted from the index's positions instead of their stored
 * text: the totals of a concordance without reading every document.
 *
 * Every CJK character is indexed at its position (U, and TU in the title),
 * each character, Latin word and punctuation mark taking one, a paragraph
 * break one, and white space one (none in an index made before
 * 2026-12-03's evening, where a gap term, G or TG, stands where white
 * space parts two CJK characters at consecutive positions: termgen.h). So a
 * run of CJK characters occurs in the normalized text (steps 1-3 of the
 * analyzer, hard wraps joined) exactly where its characters stand at
 * consecutive positions with no gap between: the occurrences ws_occ_find
 * finds, counted the same way (each pattern left to right without overlap,
 * then of two that overlap the one that starts first, the longer at one
 * start), with the same title and body. Only for patterns of CJK characters
 * alone and no proximity (ws_positions_can_count), on an index made with
 * gap terms (ws_positions_exact); otherwise the text decides. Where the wdfs
 * already give a document's count, no position list or fewer are read
 * (poscounter.cc says when, and why it is exact): pairs the document lacks;
 * a run of two different characters; the witnesses, a run the analyzer
 * cut as one word (国务院, 中华人民共和国) or as two or three words side by
 * side (人民 政府, 人民 代表 大会: the run terms of termgen.h) as often as
 * its least pair stands (the word and run terms' wdfs bound the count from
 * below, the pair's from above). Every document is judged so first; then Xapian's phrase match,
 * and the pass that finds where white space may part a pair, run once each
 * over only the documents still undecided, and the positions of those left
 * are read last. */
#ifndef WS_POSITIONS_H
#define WS_POSITIONS_H

#include <stddef.h>
#include "engine.h"
#include "occurrence.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when the occurrences of ps can be counted from positions: it has a
 * pattern, no proximity, and every pattern is made of CJK characters alone
 * (normalize.h's ws_char_is_han); 0 otherwise. */
int ws_positions_can_count(const ws_occ_patterns *ps);

/* The most position lists read for each document (the distinct characters
 * of the patterns, and the gaps) where positions are taken: each costs
 * about as much as reading 1/6 to 1/8 of a document's stored text (two
 * blocks of 8 KB, through a cursor of its own). Most documents read none
 * (the wdfs tell their counts), so that a run as long as 中华人民共和国 (7
 * characters and the gaps) is still 4 times cheaper from the index
 * (tools/README.md); past 16, a document that must read them all costs
 * twice its text. */
#define WS_POSITIONS_MAX_LISTS 16

/* 1 when ws_positions_can_count(ps) and counting from positions is the
 * cheaper: at most WS_POSITIONS_MAX_LISTS lists a document. */
int ws_positions_cheaper(const ws_occ_patterns *ps);

/* Whether every shard of db has its gap terms (WS_GAPS_KEY), into *yes:
 * only then are the counts below exact. An index with a remote shard says
 * no. */
ws_status ws_positions_exact(ws_db *db, int *yes);

/* counts[i] = the occurrences of ps in document docid[i] (title and body),
 * for i < n, docids in any order; 0 for a document deleted since. ps must
 * pass ws_positions_can_count. WS_ENOMEM, or another status with
 * ws_db_errmsg saying why. */
ws_status ws_positions_count(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid, size_t n,
                             unsigned *counts);

/* The same, but counts[i] only nonzero exactly where ps occurs in
 * docid[i] (a count or less): a word witness (the run cut as one word)
 * then tells without the bounds the exact count needs, and no position is
 * read for it. What a proximity asks of its sides joined. */
ws_status ws_positions_any(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid, size_t n,
                           unsigned *counts);

#ifdef __cplusplus
}
#endif
#endif
