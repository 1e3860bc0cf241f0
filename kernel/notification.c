/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Notifications: a word of badge bits and a queue of waiters. A signal with
 * nobody waiting is kept (pending, its badge ORed into the word) until a
 * Wait, a Poll or the bound thread's Recv takes it; the waiter queue is
 * non-empty only while nothing is pending. A notification bound to a
 * thread also ends that thread's Recv on an endpoint.
 */
#include <kernel/ipc.h>
#include <tessera/errors.h>
#include <tessera/syscalls.h>

/* t gets the word as a Wait's (or a bound Recv's) result. */
static void deliver(struct tcb *t, uint64_t word, uint64_t status)
{
        t->ctx.x[ARCH_REG_BADGE] = word;
        if (status == TESSERA_RECV_SIGNALLED)
                t->ctx.x[ARCH_REG_INFO] = 0;
        ipc_set_status(t, status);
}

void notification_signal(struct notification *n, uint64_t badge)
{
        struct tcb *t = n->waiters.head;

        if (t) {
                tcb_queue_remove(&n->waiters, t);
                deliver(t, badge, TESSERA_OK);
                thread_switch_to(t);
        } else if (n->bound && n->bound->state == THREAD_BLOCKED_RECV) {
                t = n->bound;
                tcb_queue_remove(&((struct endpoint *)t->ipc_object)->queue, t);
                t->ipc_flags = 0;
                deliver(t, n->word | badge, TESSERA_RECV_SIGNALLED);
                n->word = 0;
                thread_switch_to(t);
        } else {
                n->word |= badge;
                n->pending = 1;
        }
}

static uint64_t take(struct notification *n)
{
        uint64_t word = n->word;

        n->word = 0;
        n->pending = 0;
        return word;
}

void notification_wait(struct tcb *t, struct notification *n, bool block)
{
        if (n->pending) {
                deliver(t, take(n), TESSERA_OK);
        } else if (block) {
                tcb_queue_append(&n->waiters, t);
                t->ipc_object = n;
                thread_stop(t, THREAD_BLOCKED_NOTIFICATION);
        } else {
                deliver(t, 0, TESSERA_ERR_WOULD_BLOCK);
        }
}

bool notification_take_bound(struct tcb *t)
{
        struct notification *n = t->bound;

        if (!n || !n->pending)
                return false;
        deliver(t, take(n), TESSERA_RECV_SIGNALLED);
        return true;
}

int notification_bind(struct tcb *t, struct notification *n)
{
        if (t->bound || n->bound || n->waiters.head)
                return TESSERA_ERR_ILLEGAL_OPERATION;
        t->bound = n;
        n->bound = t;
        return TESSERA_OK;
}

int notification_unbind(struct tcb *t)
{
        if (!t->bound)
                return TESSERA_ERR_ILLEGAL_OPERATION;
        t->bound->bound = NULL;
        t->bound = NULL;
        return TESSERA_OK;
}

void notification_cancel(struct tcb *t)
{
        tcb_queue_remove(&((struct notification *)t->ipc_object)->waiters, t);
}

void notification_destroy(struct notification *n)
{
        struct tcb *t;

        if (n->bound)
                notification_unbind(n->bound);
        while ((t = n->waiters.head)) {
                tcb_queue_remove(&n->waiters, t);
                arch_restart_syscall(&t->ctx);
                thread_make_runnable(t);
        }
}
