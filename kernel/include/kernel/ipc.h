/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Synchronous IPC through endpoints, notifications, reply capabilities and
 * fault messages (semantics: include/tessera/syscalls.h, docs/api.md "IPC").
 *
 * An endpoint is a FIFO queue of blocked threads, all sending or all
 * receiving (their state says which). A message is never buffered in the
 * kernel: a blocked sender's message stays in its registers and IPC buffer
 * until a receiver copies it out.
 *
 * The reply capability of a Call is held in the receiver's TCB
 * (t->caller), like seL4's caller slot, and is linked both ways: the caller
 * waits in THREAD_BLOCKED_REPLY with t->replier naming the holder. The link
 * is cut whenever either side stops taking part (reply, discard, cancel,
 * destruction), so neither ever points at a thread that is not waiting on
 * it; ipc_check verifies this.
 *
 * Syscall-level checks (cap type, rights, lengths) are the caller's
 * (syscall.c); these functions act and cannot fail.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/thread.h>
#include <tessera/objects.h>

/* A FIFO of blocked threads, linked through their ipc_next / ipc_prev. */
struct tcb_queue {
        struct tcb *head, *tail;
};

struct endpoint {
        struct tcb_queue queue;         /* blocked threads, all sending or all receiving */
};

struct notification {
        uint64_t word;                  /* badges ORed since last taken */
        uint64_t pending;               /* 1 if signalled since last taken (word may be 0) */
        struct tcb_queue waiters;
        struct tcb *bound;              /* the TCB bound to it, or NULL */
        uint64_t reserved[3];
};

void tcb_queue_append(struct tcb_queue *q, struct tcb *t);
void tcb_queue_remove(struct tcb_queue *q, struct tcb *t);

_Static_assert(sizeof(struct endpoint) == 1u << TESSERA_ENDPOINT_BITS, "endpoint object size");
_Static_assert(sizeof(struct notification) == 1u << TESSERA_NOTIFICATION_BITS, "notification object size");

/* Endpoints (ipc.c). `flags` are the sender's IPC_FLAG_*; for a receiver
 * only IPC_FLAG_GRANT (its cap may grant: replies may then carry caps). */
void ipc_send(struct tcb *t, struct endpoint *ep, uint64_t badge, unsigned flags, bool block);
void ipc_receive(struct tcb *t, struct endpoint *ep, unsigned flags, bool block);
/* Reply through t's reply capability. False (nothing done) if it holds none. */
bool ipc_reply(struct tcb *t);
/* A fault of t (t->fault filled in) to the endpoint; it then waits for the reply. */
void ipc_send_fault(struct tcb *t, struct endpoint *ep, uint64_t badge, unsigned flags);

/* t leaves whatever IPC it is blocked in (Suspend, deletion). A thread
 * blocked in a system call will re-execute it when resumed. */
void ipc_cancel(struct tcb *t);
/* t is being destroyed: cancel, discard its reply cap, unbind its notification. */
void ipc_thread_gone(struct tcb *t);
/* Discard the reply capability t holds, if any: its caller's Call fails (NO_REPLY). */
void ipc_discard_reply(struct tcb *t);
/* The last cap to an endpoint or notification is going: every thread
 * queued on it re-executes its system call (which will find no cap). */
void endpoint_destroy(struct endpoint *ep);
void notification_destroy(struct notification *n);

/* Notifications (notification.c). */
void notification_signal(struct notification *n, uint64_t badge);
/* Wait: take the word, or block (block false: WOULD_BLOCK). */
void notification_wait(struct tcb *t, struct notification *n, bool block);
/* A thread about to receive on an endpoint with a pending bound
 * notification takes the word instead. True if it did. */
bool notification_take_bound(struct tcb *t);
int notification_bind(struct tcb *t, struct notification *n);
int notification_unbind(struct tcb *t);
/* Removes t from n's waiter queue. */
void notification_cancel(struct tcb *t);

/* Debug (the invariant checker asks it of every cap): the object's queue
 * and the reply and binding links of a TCB are consistent. NULL or what is
 * wrong. */
const char *ipc_check_cap(const struct cap *c);
const char *ipc_check_thread(const struct tcb *t);
const char *ipc_check_endpoint(const struct endpoint *ep);

/* Register conventions of a completed system call (syscalls.h). */
static inline void ipc_set_status(struct tcb *t, uint64_t status)
{
        t->ctx.x[ARCH_REG_STATUS] = status;
}

#endif
