#include "status.h"

static const char *const names[WS_STATUS_COUNT] = {
    [WS_OK] = "ok",
    [WS_ENOMEM] = "out of memory",
    [WS_EINVAL] = "invalid argument or input",
    [WS_EIO] = "input/output error",
    [WS_ENOTFOUND] = "not found",
    [WS_ELOCKED] = "index is locked by another writer",
    [WS_ECORRUPT] = "index is corrupt",
    [WS_ETOOBIG] = "input exceeds a limit",
    [WS_EENCODING] = "text is not UTF-8 nor in an encoding told well enough to read",
    [WS_EQUERY] = "query cannot be parsed",
    [WS_EMODIFIED] = "index was modified; reopen",
    [WS_EXAPIAN] = "Xapian error",
    [WS_EICU] = "ICU error",
    [WS_EINTERNAL] = "internal error",
    [WS_ETIMEOUT] = "time limit passed",
};

const char *ws_status_to_string(ws_status st)
{
    if ((unsigned)st >= WS_STATUS_COUNT)
        return "unknown status";
    return names[st];
}
