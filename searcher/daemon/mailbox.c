/* mailbox.c - letters from other threads, delivered on the loop. */
#include "mailbox.h"

#include <stddef.h>

static void deliver(ws_mailbox *m)
{
    uv_mutex_lock(&m->lock);
    ws_letter *l = m->head;
    m->head = m->tail = NULL;
    uv_mutex_unlock(&m->lock);
    while (l) {
        ws_letter *next = l->next; /* the callback may free l */
        l->next = NULL;
        l->cb(l);
        l = next;
    }
}

static void on_async(uv_async_t *a)
{
    deliver(a->data);
}

static void on_closed(uv_handle_t *h)
{
    ws_mailbox *m = h->data;
    uv_mutex_destroy(&m->lock);
}

int ws_mailbox_init(ws_mailbox *m, uv_loop_t *loop)
{
    m->head = m->tail = NULL;
    m->open = 0;
    int e = uv_mutex_init(&m->lock);
    if (e != 0)
        return e;
    if ((e = uv_async_init(loop, &m->async, on_async)) != 0) {
        uv_mutex_destroy(&m->lock);
        return e;
    }
    m->async.data = m;
    m->open = 1;
    return 0;
}

void ws_mailbox_post(ws_mailbox *m, ws_letter *l)
{
    l->next = NULL;
    uv_mutex_lock(&m->lock);
    if (m->tail)
        m->tail->next = l;
    else
        m->head = l;
    m->tail = l;
    uv_mutex_unlock(&m->lock);
    uv_async_send(&m->async);
}

void ws_mailbox_close(ws_mailbox *m)
{
    if (!m->open)
        return;
    m->open = 0;
    deliver(m);
    uv_close((uv_handle_t *)&m->async, on_closed);
}
