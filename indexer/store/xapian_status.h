// xapian_status.h - Xapian's exceptions as ws_status values, for the C++ files
// that implement the C API over Xapian (index.cc, and engine.cc and its C++
// neighbours in searcher/search/). C++ only.
#ifndef WS_XAPIAN_STATUS_H
#define WS_XAPIAN_STATUS_H

#include <xapian.h>

#include <exception>
#include <new>
#include <string>

#include "status.h"

// An entry point of the C API: the files are built with hidden visibility, so
// that Xapian's symbols stay inside, and these alone are exported.
#define WS_API extern "C" __attribute__((visibility("default")))

namespace ws
{

// The status of a Xapian error; its type and message (and context) in msg.
inline ws_status map_error(const Xapian::Error &e, std::string &msg)
{
    msg = e.get_type();
    msg += ": ";
    msg += e.get_msg();
    if (!e.get_context().empty())
        msg += " (" + e.get_context() + ")";
    // the system's reason, when there is one: "No space left on device"
    // says what "Error writing block 31" does not
    if (const char *why = e.get_error_string())
        msg += std::string(": ") + why;
    const std::string type = e.get_type();
    if (type == "DatabaseLockError")
        return WS_ELOCKED;
    if (type == "DatabaseModifiedError")
        return WS_EMODIFIED;
    if (type == "DatabaseCorruptError")
        return WS_ECORRUPT;
    if (type == "DatabaseOpeningError" || type == "DatabaseNotFoundError" ||
        type == "DocNotFoundError")
        return WS_ENOTFOUND;
    if (type == "DatabaseError")
        return WS_EIO;
    return WS_EXAPIAN;
}

// The exception in flight as a status, its message in msg: every entry point
// ends in `catch (...) { return ws::caught(msg); }` (the Lippincott idiom).
inline ws_status caught(std::string &msg)
{
    try {
        throw;
    } catch (const Xapian::Error &e) {
        return map_error(e, msg);
    } catch (const std::bad_alloc &) {
        msg = "out of memory";
        return WS_ENOMEM;
    } catch (const std::exception &e) {
        msg = e.what();
        return WS_EINTERNAL;
    } catch (...) {
        msg = "unexpected exception";
        return WS_EINTERNAL;
    }
}

} // namespace ws

#endif
