/* mailbox.h - hands work from other threads back to the event loop.
 *
 * The daemon's writer calls its done callbacks on its own thread, where no
 * libuv handle may be touched. Such a callback fills its own record, then
 * posts a ws_letter embedded in it; the loop runs the letter's callback soon
 * after (one uv_async for every letter, in the order posted).
 *
 * Ownership: the mailbox is embedded in its owner; letters belong to whoever
 * posts them and must stay valid until their callback has run. */
#ifndef WS_MAILBOX_H
#define WS_MAILBOX_H

#include <uv.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ws_letter ws_letter;
struct ws_letter {
    void (*cb)(ws_letter *l); /* runs on the loop */
    ws_letter *next;
};

typedef struct ws_mailbox {
    uv_async_t async;
    uv_mutex_t lock;
    ws_letter *head, *tail;
    int open;
} ws_mailbox;

/* On the loop's thread. 0 or a libuv error. */
int ws_mailbox_init(ws_mailbox *m, uv_loop_t *loop);

/* From any thread, while the mailbox is open. */
void ws_mailbox_post(ws_mailbox *m, ws_letter *l);

/* On the loop's thread: closes the handle (letters still waiting are
 * delivered first). The mailbox's memory must stay until the loop has run
 * the close. NULL-safe for a mailbox never opened. */
void ws_mailbox_close(ws_mailbox *m);

#ifdef __cplusplus
}
#endif
#endif
