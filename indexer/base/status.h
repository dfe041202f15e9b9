/* status.h - the status codes every Wensuo function returns.
 *
 * WS_OK is 0; every other value is an error whose detail, where there is one,
 * is kept on the handle that reported it (see each header's *_errmsg()). */
#ifndef WS_STATUS_H
#define WS_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ws_status {
    WS_OK = 0,
    WS_ENOMEM,    /* out of memory */
    WS_EINVAL,    /* bad argument or malformed input */
    WS_EIO,       /* a file or the disk failed */
    WS_ENOTFOUND, /* no such document, file or database */
    WS_ELOCKED,   /* the index is held by another writer */
    WS_ECORRUPT,  /* the index is damaged */
    WS_ETOOBIG,   /* an input passed a named limit */
    WS_EENCODING, /* text in no encoding that is read, or not told */
    WS_EQUERY,    /* a query that cannot be parsed */
    WS_EMODIFIED, /* the index changed under a reader; reopen and retry */
    WS_EXAPIAN,   /* any other Xapian error */
    WS_EICU,      /* an ICU error */
    WS_EINTERNAL, /* a bug: an unexpected exception or state */
    WS_ETIMEOUT,  /* a request ran past the time it was given (ws_db_set_deadline) */
    WS_STATUS_COUNT
} ws_status;

/* A static string naming the status; never NULL. */
const char *ws_status_to_string(ws_status st);

#ifdef __cplusplus
}
#endif
#endif
