/* listed.h - a query's occurrences in documents read from their word
 * lists (indexer/text/wordlist.h) instead of their stored JSON: the text
 * there is already normalized, so finding the patterns costs a search of
 * it, with no JSON to decode, nothing to inflate and no normalization.
 * What the counting instruments use where the index's positions do not
 * give a count (positions.h: a Latin word, a proximity). Internal to the
 * search layer. */
#ifndef WS_LISTED_H
#define WS_LISTED_H

#include <limits.h>
#include <stddef.h>
#include "engine.h"
#include "occurrence.h"
#include "valuecursor.h"
#include "wordlist.h"

/* Reads docid's word list through c (WS_SLOT_WORDS, docids rising) into
 * wf[2] (its title and body, valid until c's next call). WS_ENOTFOUND when
 * it has none, or one that does not decode (damaged: its stored text
 * decides); WS_EMODIFIED when the revision read has gone; another status
 * with ws_db_errmsg saying why. */
ws_status ws_listed_get(ws_valuecursor *c, unsigned docid, ws_wordfield wf[2]);

/* Reads docid's word list through c (WS_SLOT_WORDS, docids rising) into
 * wf[2] (its title and body, valid until c's next call) and the
 * occurrences of ps there into *occ (a new array, the caller frees; NULL
 * when none), the title's first: *n of them, *ntitle in the title.
 * WS_ENOTFOUND when docid has no list that reads (its stored text
 * decides), WS_EMODIFIED when the revision read has gone, WS_ENOMEM, or
 * another status with ws_db_errmsg saying why. */
ws_status ws_listed_read(ws_valuecursor *c, const ws_occ_patterns *ps, unsigned docid,
                         ws_wordfield wf[2], ws_occ **occ, size_t *n, size_t *ntitle);

/* A count ws_listed_count could not take: the document has no list. */
#define WS_LISTED_UNKNOWN UINT_MAX

/* counts[i] = the occurrences of ps in document docid[i] (in any order),
 * for i < n, from the word lists; WS_LISTED_UNKNOWN for a document without
 * one, or deleted since (reading its stored text tells which, and its
 * count). Otherwise as ws_listed_read. */
ws_status ws_listed_count(ws_db *db, const ws_occ_patterns *ps, const unsigned *docid, size_t n,
                          unsigned *counts);

#endif
