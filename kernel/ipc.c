/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Endpoints, message transfer, reply capabilities and fault messages (the
 * model is in ipc.h). Every function here leaves each thread in exactly one
 * of: running or ready, in one queue with the matching blocked state,
 * waiting for a reply with its holder linked back, or stopped.
 */
#include <ipi/port.h>
#include <kernel/cnode.h>
#include <kernel/cspace_ops.h>
#include <kernel/ipc.h>
#include <tessera/errors.h>
#include <tessera/syscalls.h>

#define MSG_REG_FIRST ARCH_REG_MR0

/* ---- queues ---------------------------------------------------------- */

void tcb_queue_append(struct tcb_queue *q, struct tcb *t)
{
        t->ipc_next = NULL;
        t->ipc_prev = q->tail;
        if (q->tail)
                q->tail->ipc_next = t;
        else
                q->head = t;
        q->tail = t;
}

void tcb_queue_remove(struct tcb_queue *q, struct tcb *t)
{
        if (t->ipc_prev)
                t->ipc_prev->ipc_next = t->ipc_next;
        else
                q->head = t->ipc_next;
        if (t->ipc_next)
                t->ipc_next->ipc_prev = t->ipc_prev;
        else
                q->tail = t->ipc_prev;
        t->ipc_next = t->ipc_prev = NULL;
        t->ipc_object = NULL;
}

static void block_on(struct tcb_queue *q, void *object, struct tcb *t, enum thread_state why)
{
        tcb_queue_append(q, t);
        t->ipc_object = object;
        thread_stop(t, why);
}

/* ---- message transfer ------------------------------------------------ */

/* The receive slot t named in its IPC buffer, if it accepts a cap there. */
static struct cte *receive_slot(const struct tcb *t, const struct tessera_ipc_buffer *buf)
{
        struct cte *node, *slot;

        if (buf->receive_depth == 0 || buf->receive_depth > 64)
                return NULL;
        if (cnode_lookup_cap(tcb_cspace(t), buf->receive_cnode, &node) ||
            node->cap.type != CAP_CNODE || !(node->cap.rights & TESSERA_RIGHT_WRITE))
                return NULL;
        if (cnode_lookup(&node->cap, buf->receive_index, (unsigned)buf->receive_depth, &slot) ||
            !cap_is_null(&slot->cap))
                return NULL;
        return slot;
}

/*
 * The sender's extra caps, in order: one naming `ep` itself is unwrapped
 * (its badge goes to the receiver), another is copied to the receiver's
 * receive slot if that is still free; the first that can be neither ends
 * the transfer. Returns how many were dealt with.
 */
static unsigned transfer_caps(struct tcb *from, struct tcb *to, const struct endpoint *ep,
                              unsigned count, unsigned *unwrapped)
{
        const struct tessera_ipc_buffer *src = tcb_ipc_buffer(from);
        struct tessera_ipc_buffer *dst = tcb_ipc_buffer(to);
        bool slot_used = false;
        unsigned i;

        for (i = 0; i < count; i++) {
                struct cte *c, *slot;
                struct cap copy;

                if (cnode_lookup_cap(tcb_cspace(from), src->caps[i], &c) || cap_is_null(&c->cap))
                        break;
                if (ep && c->cap.type == CAP_ENDPOINT && c->cap.object == (uintptr_t)ep) {
                        dst->badges[i] = c->cap.data;
                        *unwrapped |= 1u << i;
                        continue;
                }
                if (slot_used || !(slot = receive_slot(to, dst)) || cspace_derive(c, &copy))
                        break;
                cspace_insert_copy(c, slot, &copy);
                slot_used = true;
        }
        return i;
}

/* A fault message's words (syscalls.h). */
static uint64_t fault_word(const struct tcb *from, unsigned i)
{
        switch (i) {
        case 0: return from->fault.pc;
        case 1: return from->fault.address;
        case 2: return from->fault.syndrome;
        default: return from->ctx.sp;
        }
}

/*
 * Copies from's message to `to`, which then sees it as received: badge in
 * x0, the info word as delivered in x1, MR0-MR3 in x2-x5, the rest in its
 * IPC buffer, status OK in x6. Caps go only if `grant`. `ep` is the
 * endpoint the message passes through (NULL for a reply).
 */
static void transfer(struct tcb *from, struct tcb *to, uint64_t badge, const struct endpoint *ep,
                     bool grant)
{
        struct tessera_ipc_buffer *src = tcb_ipc_buffer(from), *dst = tcb_ipc_buffer(to);
        uint64_t info = from->ctx.x[ARCH_REG_INFO];
        unsigned length = tessera_msg_length(info), caps = 0, unwrapped = 0;

        if (from->ipc_flags & IPC_FLAG_FAULT) {
                info = tessera_msg_info(from->fault.type, 0, TESSERA_FAULT_LENGTH);
                for (unsigned i = 0; i < TESSERA_FAULT_LENGTH; i++)
                        to->ctx.x[MSG_REG_FIRST + i] = fault_word(from, i);
                length = TESSERA_FAULT_LENGTH;
        } else {
                if (length > TESSERA_MSG_REGS_IN_CPU && (!src || !dst))
                        length = TESSERA_MSG_REGS_IN_CPU;
                /* All four, whatever the length: those past it are undefined
                 * (syscalls.h), and the fast path copies them unconditionally. */
                for (unsigned i = 0; i < TESSERA_MSG_REGS_IN_CPU; i++)
                        to->ctx.x[MSG_REG_FIRST + i] = from->ctx.x[MSG_REG_FIRST + i];
                for (unsigned i = TESSERA_MSG_REGS_IN_CPU; i < length; i++)
                        dst->mr[i] = src->mr[i];
                if (grant && src && dst && tessera_msg_caps(info))
                        caps = transfer_caps(from, to, ep, tessera_msg_caps(info), &unwrapped);
        }
        to->ctx.x[ARCH_REG_BADGE] = badge;
        to->ctx.x[ARCH_REG_INFO] = tessera_msg_info(tessera_msg_label(info), caps, length) |
                       (uint64_t)unwrapped << 9;
        ipc_set_status(to, TESSERA_OK);
}

/* The reply capability of caller's Call goes to `holder`. */
static void link_reply(struct tcb *holder, struct tcb *caller, bool grant)
{
        holder->caller = caller;
        holder->reply_grant = grant;
        caller->replier = holder;
        caller->state = THREAD_BLOCKED_REPLY;
}

/* ---- endpoints ------------------------------------------------------- */

void ipc_send(struct tcb *t, struct endpoint *ep, uint64_t badge, unsigned flags, bool block)
{
        struct tcb *r = ep->queue.head;

        t->ipc_flags = flags;
        if (r && r->state == THREAD_BLOCKED_RECV) {
                tcb_queue_remove(&ep->queue, r);
                transfer(t, r, badge, ep, flags & IPC_FLAG_GRANT);
                if (flags & IPC_FLAG_CALL) {
                        thread_stop(t, THREAD_BLOCKED_REPLY);
                        link_reply(r, t, r->ipc_flags & IPC_FLAG_GRANT);
                } else {
                        ipc_set_status(t, TESSERA_OK);
                }
                thread_switch_to(r);
        } else if (block) {
                t->ipc_badge = badge;
                block_on(&ep->queue, ep, t, THREAD_BLOCKED_SEND);
        } else {
                ipc_set_status(t, TESSERA_ERR_WOULD_BLOCK);
        }
}

void ipc_send_fault(struct tcb *t, struct endpoint *ep, uint64_t badge, unsigned flags)
{
        ipc_send(t, ep, badge, flags | IPC_FLAG_CALL | IPC_FLAG_FAULT, true);
}

void ipc_receive(struct tcb *t, struct endpoint *ep, unsigned flags, bool block)
{
        struct tcb *s = ep->queue.head;

        ipc_discard_reply(t);
        if (notification_take_bound(t))
                return;
        t->ipc_flags = flags;
        if (s && s->state == THREAD_BLOCKED_SEND) {
                tcb_queue_remove(&ep->queue, s);
                transfer(s, t, s->ipc_badge, ep, s->ipc_flags & IPC_FLAG_GRANT);
                if (s->ipc_flags & IPC_FLAG_CALL) {
                        link_reply(t, s, flags & IPC_FLAG_GRANT);
                } else {
                        ipc_set_status(s, TESSERA_OK);
                        thread_make_runnable(s);
                }
        } else if (block) {
                block_on(&ep->queue, ep, t, THREAD_BLOCKED_RECV);
        } else {
                ipc_set_status(t, TESSERA_ERR_WOULD_BLOCK);
        }
}

/* A fault handler's answer: label 0 resumes (at MR0 if given), any other
 * leaves the thread suspended. Its registers are otherwise untouched. */
static void reply_to_fault(const struct tcb *handler, struct tcb *c)
{
        uint64_t info = handler->ctx.x[ARCH_REG_INFO];

        c->ipc_flags = 0;
        if (tessera_msg_label(info) != 0) {
                c->state = THREAD_INACTIVE;
                return;
        }
        if (tessera_msg_length(info) >= 1)
                c->ctx.pc = handler->ctx.x[MSG_REG_FIRST];
        thread_switch_to(c);
}

bool ipc_reply(struct tcb *t)
{
        struct tcb *c = t->caller;

        if (!c)
                return false;
        t->caller = NULL;
        c->replier = NULL;
        if (c->ipc_flags & IPC_FLAG_FAULT) {
                reply_to_fault(t, c);
                return true;
        }
        t->ipc_flags = 0;
        transfer(t, c, 0, NULL, t->reply_grant);
        thread_switch_to(c);
        return true;
}

void ipc_discard_reply(struct tcb *t)
{
        struct tcb *c = t->caller;

        if (!c)
                return;
        t->caller = NULL;
        c->replier = NULL;
        if (c->ipc_flags & IPC_FLAG_FAULT) {
                c->ipc_flags = 0;
                c->state = THREAD_INACTIVE;     /* Resume retries the faulting instruction */
                return;
        }
        c->ctx.x[ARCH_REG_INFO] = 0;
        ipc_set_status(c, TESSERA_ERR_NO_REPLY);
        thread_make_runnable(c);
}

/* ---- cancelling ------------------------------------------------------ */

/* A thread taken out of IPC re-executes its system call when it runs again;
 * one stopped by a fault re-executes the faulting instruction (pc is there). */
static void restart(struct tcb *t)
{
        if (!(t->ipc_flags & IPC_FLAG_FAULT))
                arch_restart_syscall(&t->ctx);
        t->ipc_flags = 0;
}

void ipc_cancel(struct tcb *t)
{
        switch (t->state) {
        case THREAD_BLOCKED_SEND:
        case THREAD_BLOCKED_RECV:
                tcb_queue_remove(&((struct endpoint *)t->ipc_object)->queue, t);
                break;
        case THREAD_BLOCKED_NOTIFICATION:
                notification_cancel(t);
                break;
        case THREAD_BLOCKED_REPLY:
                if (t->replier)
                        t->replier->caller = NULL;
                t->replier = NULL;
                break;
        default:
                return;
        }
        restart(t);
        t->state = THREAD_INACTIVE;
}

void ipc_thread_gone(struct tcb *t)
{
        ipc_cancel(t);
        ipc_discard_reply(t);
        if (t->bound)
                notification_unbind(t);
}

void endpoint_destroy(struct endpoint *ep)
{
        struct tcb *t;

        while ((t = ep->queue.head)) {
                tcb_queue_remove(&ep->queue, t);
                restart(t);
                thread_make_runnable(t);
        }
}

/* ---- checks ---------------------------------------------------------- */

static const char *check_queue(const struct tcb_queue *q, const void *object,
                               enum thread_state a, enum thread_state b)
{
        const struct tcb *prev = NULL;
        unsigned n = 0;

        for (const struct tcb *t = q->head; t; prev = t, t = t->ipc_next) {
                if (t->ipc_prev != prev || t->ipc_object != object)
                        return "an IPC queue's links are inconsistent";
                if (t->state != a && t->state != b)
                        return "a thread in an IPC queue is not blocked on it";
                if (t->state != q->head->state)
                        return "an endpoint queue mixes senders and receivers";
                if (t->queued)
                        return "a thread blocked in IPC is in a ready queue";
                if (++n > 1u << 20)
                        return "an IPC queue has a cycle";
        }
        return q->tail == prev ? NULL : "an IPC queue's tail is wrong";
}

const char *ipc_check_endpoint(const struct endpoint *ep)
{
        return check_queue(&ep->queue, ep, THREAD_BLOCKED_SEND, THREAD_BLOCKED_RECV);
}

const char *ipc_check_thread(const struct tcb *t)
{
        if (t->caller && t->caller->replier != t)
                return "a reply capability's caller does not name its holder";
        if (t->caller && t->caller->state != THREAD_BLOCKED_REPLY)
                return "a reply capability names a thread not waiting for a reply";
        if (t->replier && (t->replier->caller != t || t->state != THREAD_BLOCKED_REPLY))
                return "a thread's replier does not hold its reply capability";
        if (t->bound && t->bound->bound != t)
                return "a bound notification does not name its thread";
        if ((t->state == THREAD_BLOCKED_SEND || t->state == THREAD_BLOCKED_RECV ||
             t->state == THREAD_BLOCKED_NOTIFICATION) && !t->ipc_object)
                return "a thread blocked in IPC names no object";
        return NULL;
}

const char *ipc_check_cap(const struct cap *c)
{
        const struct notification *n;

        switch (c->type) {
        case CAP_TCB:
                return ipc_check_thread((const struct tcb *)(uintptr_t)c->object);
        case CAP_ENDPOINT:
                return ipc_check_endpoint((const struct endpoint *)(uintptr_t)c->object);
        case CAP_NOTIFICATION:
                n = (const struct notification *)(uintptr_t)c->object;
                if (n->bound && n->bound->bound != n)
                        return "a notification's bound thread does not name it";
                if (n->waiters.head && n->pending)
                        return "a notification has waiters and a pending signal";
                return check_queue(&n->waiters, n, THREAD_BLOCKED_NOTIFICATION,
                                   THREAD_BLOCKED_NOTIFICATION);
        case CAP_IPI_SEND:
        case CAP_IPI_PORT:
                return ipi_check_cap(c);
        default:
                return NULL;
        }
}
