/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC fast path (conditions in fastpath.h). Each step below mirrors what
 * the slow path (ipc.c, syscall.c, thread.c) does in the same situation;
 * when changing either, change both: the ipctests suite runs with the fast
 * path on and off and compares the results.
 *
 * The running thread is in no ready queue and neither is a thread blocked
 * in IPC, so switching from one to the other touches no queue: the fast
 * path only checks that no queued thread outranks the partner.
 */
#include <kernel/assert.h>
#include <kernel/core.h>
#include <kernel/fastpath.h>
#include <kernel/ipc.h>
#include <kernel/sched.h>
#include <tessera/errors.h>
#include <tessera/objects.h>
#include <tessera/syscalls.h>

/* Info bits the fast path takes: length <= 4 and no caps. */
#define INFO_LENGTH_AND_CAPS 0x1ffull
#define INFO_UNWRAPPED       (7ull << 9)

_Static_assert(TESSERA_SYS_CALL == 1 && TESSERA_SYS_REPLY_RECV == 2,
               "vectors.S dispatches on these numbers");

bool fastpath_enabled;

void fastpath_init(bool on)
{
        fastpath_enabled = on;
}

/* The cap at cptr if the thread's CSpace root resolves all 64 bits in one
 * level (as the root task's and spawned processes' do); else NULL. */
static const struct cap *lookup_one_level(const struct tcb *t, uint64_t cptr)
{
        const struct cap *root = tcb_cspace(t);
        unsigned radix = root->size_bits;

        if (root->type != CAP_CNODE || radix + root->guard_bits != 64 ||
            (cptr >> radix) != root->data)
                return NULL;
        return &cap_cnode_slots(root)[cptr ^ (root->data << radix)].cap;  /* the index bits */
}

/* The short message in from's registers, delivered to `to` (ipc.c: transfer). */
static void copy_short(const struct tcb *from, struct tcb *to, uint64_t badge, uint64_t info)
{
        to->ctx.x[ARCH_REG_BADGE] = badge;
        to->ctx.x[ARCH_REG_INFO] = info & ~INFO_UNWRAPPED;
        for (unsigned i = 0; i < TESSERA_MSG_REGS_IN_CPU; i++)
                to->ctx.x[ARCH_REG_MR0 + i] = from->ctx.x[ARCH_REG_MR0 + i];
        to->ctx.x[ARCH_REG_STATUS] = TESSERA_OK;
}

/* Debug builds check what the fast path touched (the whole-world check
 * after every call would make IPC-heavy tests crawl under emulation; the
 * slow path's calls still get it). */
static void check(const struct tcb *a, const struct tcb *b, const struct endpoint *ep)
{
        const char *why = ipc_check_thread(a);

        if (!why)
                why = ipc_check_thread(b);
        if (!why)
                why = ipc_check_endpoint(ep);
        if (why)
                kassert_failed(why, "fast path check", 0);
}

static struct arch_context *switch_to(struct tcb *from, struct tcb *next, const struct endpoint *ep)
{
        thread_run(next);
        if (TESSERA_DEBUG)
                check(from, next, ep);
        return &next->ctx;
}

struct arch_context *fastpath_call(struct arch_context *ctx)
{
        struct tcb *t = (struct tcb *)ctx;      /* the context is the TCB's first member */
        uint64_t info = t->ctx.x[ARCH_REG_INFO];
        const struct cap *c = lookup_one_level(t, t->ctx.x[ARCH_REG_CPTR]);
        struct endpoint *ep;
        struct tcb *r;

        if (!c || c->type != CAP_ENDPOINT ||
            (info & INFO_LENGTH_AND_CAPS) > TESSERA_MSG_REGS_IN_CPU ||
            !(c->rights & TESSERA_RIGHT_WRITE) ||
            !(c->rights & (TESSERA_RIGHT_GRANT | TESSERA_RIGHT_GRANT_REPLY)))
                return NULL;
        ep = (struct endpoint *)(uintptr_t)c->object;
        r = ep->queue.head;
        if (!r || r->state != THREAD_BLOCKED_RECV || (int)r->priority < sched_highest())
                return NULL;

        ep->queue.head = r->ipc_next;
        if (r->ipc_next)
                r->ipc_next->ipc_prev = NULL;
        else
                ep->queue.tail = NULL;
        r->ipc_next = NULL;
        r->ipc_object = NULL;
        copy_short(t, r, c->data, info);

        t->ipc_flags = IPC_FLAG_CALL | ((c->rights & TESSERA_RIGHT_GRANT) ? IPC_FLAG_GRANT : 0) |
                       ((c->rights & TESSERA_RIGHT_GRANT_REPLY) ? IPC_FLAG_GRANT_REPLY : 0);
        t->state = THREAD_BLOCKED_REPLY;
        t->replier = r;
        r->caller = t;
        r->reply_grant = r->ipc_flags & IPC_FLAG_GRANT;
        r->state = THREAD_RUNNABLE;
        return switch_to(t, r, ep);
}

struct arch_context *fastpath_reply_recv(struct arch_context *ctx)
{
        struct tcb *t = (struct tcb *)ctx;
        uint64_t info = t->ctx.x[ARCH_REG_INFO];
        const struct cap *c = lookup_one_level(t, t->ctx.x[ARCH_REG_CPTR]);
        struct tcb *caller = t->caller, *tail;
        struct endpoint *ep;

        if (!c || c->type != CAP_ENDPOINT || !(c->rights & TESSERA_RIGHT_READ) || !caller ||
            (info & INFO_LENGTH_AND_CAPS) > TESSERA_MSG_REGS_IN_CPU || t->bound ||
            (caller->ipc_flags & IPC_FLAG_FAULT) || (int)caller->priority < sched_highest())
                return NULL;
        ep = (struct endpoint *)(uintptr_t)c->object;
        tail = ep->queue.tail;
        if (tail && tail->state == THREAD_BLOCKED_SEND)
                return NULL;

        t->caller = NULL;
        caller->replier = NULL;
        copy_short(t, caller, 0, info);
        caller->state = THREAD_RUNNABLE;

        t->ipc_flags = (c->rights & TESSERA_RIGHT_GRANT) ? IPC_FLAG_GRANT : 0;
        t->ipc_next = NULL;
        t->ipc_prev = tail;
        if (tail)
                tail->ipc_next = t;
        else
                ep->queue.head = t;
        ep->queue.tail = t;
        t->ipc_object = ep;
        t->state = THREAD_BLOCKED_RECV;
        return switch_to(t, caller, ep);
}
