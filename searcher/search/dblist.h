/* dblist.h - every match of a query, for the instruments (concordance.h,
 * trend.h, export.h): the lists of engine.h's "every match" section,
 * ws_db_list_all, ws_db_list_page, ws_db_match_set and ws_db_near_filter,
 * made in dblist.cc. Their declarations stay in engine.h, the one public
 * header of the C API over Xapian (as notmuch.h is notmuch's), so that this
 * header only names the file's noun. A list is the caller's, freed with
 * ws_db_list_free; a failed call leaves none to free. */
#ifndef WS_DBLIST_H
#define WS_DBLIST_H

#include "engine.h"

#endif
