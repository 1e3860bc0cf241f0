/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System-call dispatch: a bounds-checked table indexed by the number in x7.
 * A number with no entry is a fault of the calling thread (unknown system
 * call), reported like any other user fault. Each handler checks its own
 * arguments and answers with an error code in x0, never a kernel fault.
 */
#include <arch/arch.h>
#include <ipi/port.h>
#include <kernel/cnode.h>
#include <kernel/core.h>
#include <kernel/fastpath.h>
#include <kernel/ipc.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <tessera/errors.h>
#include <tessera/objects.h>
#include <tessera/syscalls.h>

#define USER_FAULT_EXIT_STATUS 4
#define DEBUG_PUTS_MAX 32
#define SVC_BYTES 4
/* A long call restarts after each bounded step (invoke.c); checking the
 * invariants after every step would make clearing a large untyped cost
 * thousands of full checks, so a restarted step is checked one time in this
 * many. Every call that completes is checked. */
#define CHECK_EVERY_RESTARTS 32

static unsigned restarts;

typedef void (*syscall_fn)(struct tcb *t, const struct syscall_args *a);

static void reply(struct tcb *t, uint64_t x0)
{
        static const uint64_t no_mrs[4];

        arch_syscall_return(&t->ctx, x0, 0, no_mrs);
        ipc_set_status(t, TESSERA_OK);
}

static void line_flush(struct tcb *t)
{
        t->line[t->line_len] = '\0';
        kprintf("%s\n", t->line);
        t->line_len = 0;
}

/* Up to 32 bytes packed little-endian in MR0..MR3; a newline ends a line. */
static void sys_debug_puts(struct tcb *t, const struct syscall_args *a)
{
        unsigned len = tessera_msg_length(a->info);

        if (len > DEBUG_PUTS_MAX) {
                reply(t, TESSERA_ERR_RANGE);
                return;
        }
        for (unsigned i = 0; i < len; i++) {
                char ch = (char)(a->mr[i / 8] >> (8 * (i % 8)));

                if (ch == '\n')
                        line_flush(t);
                else if (ch != '\0')
                        t->line[t->line_len++] = ch;
                if (t->line_len == THREAD_LINE_MAX - 1)
                        line_flush(t);
        }
        reply(t, TESSERA_OK);
}

/* The root task on the core that ends the system ends it with its status;
 * any other thread, or a root task elsewhere, only ends itself. */
static void sys_debug_halt(struct tcb *t, const struct syscall_args *a)
{
        struct core_state *c = core();
        int status = (int)a->mr[0];

        if (t->line_len)
                line_flush(t);
        if (c->boot.ends_system && t == c->root_thread)
                arch_exit_system(status);
        kprintf("core %u: %s halted with status %d\n", c->boot.core_id, t->name, status);
        thread_stop(t, THREAD_EXITED);
}

static void sys_yield(struct tcb *t, const struct syscall_args *a)
{
        (void)a;
        reply(t, TESSERA_OK);
        thread_yield(t);
}

/* ---- IPC (rules in syscalls.h) ---------------------------------------- */

/* The cap at cptr in t's CSpace, which must be of `type` and have every
 * right in `rights`. */
static int ipc_cap(const struct tcb *t, uint64_t cptr, enum cap_type type, unsigned rights,
                   const struct cap **cap)
{
        struct cte *slot;
        int err = cnode_lookup_cap(tcb_cspace(t), cptr, &slot);

        if (err)
                return err;
        if (slot->cap.type != type)
                return TESSERA_ERR_INVALID_CAPABILITY;
        if ((slot->cap.rights & rights) != rights)
                return TESSERA_ERR_INSUFFICIENT_RIGHTS;
        *cap = &slot->cap;
        return TESSERA_OK;
}

static struct endpoint *endpoint_of(const struct cap *c)
{
        return (struct endpoint *)(uintptr_t)c->object;
}

static struct notification *notification_of(const struct cap *c)
{
        return (struct notification *)(uintptr_t)c->object;
}

/* What an outgoing message may be: a length the ABI allows, caps only
 * with the right to grant them. */
static int message_check(uint64_t info, bool may_grant)
{
        if (tessera_msg_length(info) > TESSERA_MSG_MAX_LENGTH)
                return TESSERA_ERR_RANGE;
        if (tessera_msg_caps(info) && !may_grant)
                return TESSERA_ERR_INSUFFICIENT_RIGHTS;
        return TESSERA_OK;
}

static unsigned sender_flags(const struct cap *ep)
{
        return ((ep->rights & TESSERA_RIGHT_GRANT) ? IPC_FLAG_GRANT : 0) |
               ((ep->rights & TESSERA_RIGHT_GRANT_REPLY) ? IPC_FLAG_GRANT_REPLY : 0);
}

static void send(struct tcb *t, const struct syscall_args *a, bool block)
{
        const struct cap *ep;
        int err = ipc_cap(t, a->cptr, CAP_ENDPOINT, TESSERA_RIGHT_WRITE, &ep);

        if (!err)
                err = message_check(a->info, ep->rights & TESSERA_RIGHT_GRANT);
        if (err) {
                ipc_set_status(t, (uint64_t)err);
                return;
        }
        ipc_send(t, endpoint_of(ep), ep->data, sender_flags(ep), block);
}

static void sys_send(struct tcb *t, const struct syscall_args *a) { send(t, a, true); }
static void sys_nb_send(struct tcb *t, const struct syscall_args *a) { send(t, a, false); }

/* Call: on an endpoint, IPC; on any other cap (or none), an object
 * invocation, which answers a failed lookup itself. */
static void sys_call(struct tcb *t, const struct syscall_args *a)
{
        struct cte *slot = NULL;
        int err = cnode_lookup_cap(tcb_cspace(t), a->cptr, &slot);
        const struct cap *ep = slot ? &slot->cap : NULL;

        if (err || ep->type != CAP_ENDPOINT) {
                kernel_invoke(t, a, err ? NULL : slot, err);
                return;
        }
        if (!(ep->rights & TESSERA_RIGHT_WRITE) ||
            !(ep->rights & (TESSERA_RIGHT_GRANT | TESSERA_RIGHT_GRANT_REPLY)))
                err = TESSERA_ERR_INSUFFICIENT_RIGHTS;
        if (!err)
                err = message_check(a->info, ep->rights & TESSERA_RIGHT_GRANT);
        if (err) {
                ipc_set_status(t, (uint64_t)err);
                return;
        }
        ipc_send(t, endpoint_of(ep), ep->data, sender_flags(ep) | IPC_FLAG_CALL, true);
}

static int recv_check(const struct tcb *t, uint64_t cptr, const struct cap **ep)
{
        return ipc_cap(t, cptr, CAP_ENDPOINT, TESSERA_RIGHT_READ, ep);
}

static unsigned receiver_flags(const struct cap *ep)
{
        return (ep->rights & TESSERA_RIGHT_GRANT) ? IPC_FLAG_GRANT : 0;
}

static void receive(struct tcb *t, const struct syscall_args *a, bool block)
{
        const struct cap *ep;
        int err = recv_check(t, a->cptr, &ep);

        if (err)
                ipc_set_status(t, (uint64_t)err);
        else
                ipc_receive(t, endpoint_of(ep), receiver_flags(ep), block);
}

static void sys_recv(struct tcb *t, const struct syscall_args *a) { receive(t, a, true); }
static void sys_nb_recv(struct tcb *t, const struct syscall_args *a) { receive(t, a, false); }

static int reply_check(const struct tcb *t, uint64_t info)
{
        return message_check(info, t->reply_grant);
}

static void sys_reply(struct tcb *t, const struct syscall_args *a)
{
        int err = t->caller ? reply_check(t, a->info) : TESSERA_ERR_INVALID_CAPABILITY;

        if (!err)
                ipc_reply(t);
        ipc_set_status(t, (uint64_t)err);
}

/* Everything is checked before the reply goes, so a bad ReplyRecv changes
 * nothing; with no reply cap held it is a Recv. */
static void sys_reply_recv(struct tcb *t, const struct syscall_args *a)
{
        const struct cap *ep;
        int err = recv_check(t, a->cptr, &ep);

        if (!err && t->caller)
                err = reply_check(t, a->info);
        if (err) {
                ipc_set_status(t, (uint64_t)err);
                return;
        }
        ipc_reply(t);
        ipc_receive(t, endpoint_of(ep), receiver_flags(ep), true);
}

/* On a notification, or on an IPI send cap: the same right, another core. */
static void sys_signal(struct tcb *t, const struct syscall_args *a)
{
        struct cte *slot;
        const struct cap *n;
        int err = cnode_lookup_cap(tcb_cspace(t), a->cptr, &slot);

        n = err ? NULL : &slot->cap;
        if (!err && n->type != CAP_NOTIFICATION && n->type != CAP_IPI_SEND)
                err = TESSERA_ERR_INVALID_CAPABILITY;
        if (!err && !(n->rights & TESSERA_RIGHT_WRITE))
                err = TESSERA_ERR_INSUFFICIENT_RIGHTS;
        ipc_set_status(t, (uint64_t)err);
        if (err)
                return;
        if (n->type == CAP_IPI_SEND)
                ipi_signal(n);
        else
                notification_signal(notification_of(n), n->data);
}

static void wait(struct tcb *t, const struct syscall_args *a, bool block)
{
        const struct cap *n;
        int err = ipc_cap(t, a->cptr, CAP_NOTIFICATION, TESSERA_RIGHT_READ, &n);

        if (!err && notification_of(n)->bound && notification_of(n)->bound != t)
                err = TESSERA_ERR_ILLEGAL_OPERATION;
        if (err)
                ipc_set_status(t, (uint64_t)err);
        else
                notification_wait(t, notification_of(n), block);
}

static void sys_wait(struct tcb *t, const struct syscall_args *a) { wait(t, a, true); }
static void sys_poll(struct tcb *t, const struct syscall_args *a) { wait(t, a, false); }

static const syscall_fn syscall_table[TESSERA_SYS_COUNT] = {
        [TESSERA_SYS_CALL] = sys_call,
        [TESSERA_SYS_REPLY_RECV] = sys_reply_recv,
        [TESSERA_SYS_SEND] = sys_send,
        [TESSERA_SYS_NB_SEND] = sys_nb_send,
        [TESSERA_SYS_RECV] = sys_recv,
        [TESSERA_SYS_NB_RECV] = sys_nb_recv,
        [TESSERA_SYS_REPLY] = sys_reply,
        [TESSERA_SYS_YIELD] = sys_yield,
        [TESSERA_SYS_SIGNAL] = sys_signal,
        [TESSERA_SYS_WAIT] = sys_wait,
        [TESSERA_SYS_POLL] = sys_poll,
        [TESSERA_SYS_DEBUG_PUTS] = sys_debug_puts,
        [TESSERA_SYS_DEBUG_HALT] = sys_debug_halt,
};

void kernel_syscall(struct arch_context *ctx)
{
        struct tcb *t = thread_current();
        uint64_t entry_pc = ctx->pc;
        struct syscall_args a;

        arch_syscall_args(ctx, &a);
        if (a.number >= TESSERA_SYS_COUNT || !syscall_table[a.number]) {
                struct user_fault f = { "unknown system call", TESSERA_FAULT_UNKNOWN_SYSCALL,
                                        ctx->pc, a.number, arch_syscall_syndrome() };

                kernel_user_fault(ctx, &f);
                return;
        }
        syscall_table[a.number](t, &a);
        if (ctx->pc != entry_pc - SVC_BYTES || ++restarts % CHECK_EVERY_RESTARTS == 0)
                kernel_check_invariants();
}

/* The thread's fault endpoint, if it names one it may send a fault to. */
static const struct cap *fault_endpoint(const struct tcb *t)
{
        const struct cap *ep;

        if (ipc_cap(t, t->fault_endpoint, CAP_ENDPOINT, TESSERA_RIGHT_WRITE, &ep) ||
            !(ep->rights & (TESSERA_RIGHT_GRANT | TESSERA_RIGHT_GRANT_REPLY)))
                return NULL;
        return ep;
}

/* A fault goes as a message to the thread's fault endpoint; without one
 * the thread stops and is reported. */
void kernel_user_fault(struct arch_context *ctx, const struct user_fault *f)
{
        struct core_state *c = core();
        struct tcb *t = thread_current();
        const struct cap *ep = fault_endpoint(t);

        (void)ctx;
        if (ep) {
                t->fault = *f;
                ipc_send_fault(t, endpoint_of(ep), ep->data, sender_flags(ep));
                return;
        }
        kprintf("core %u: thread %s: %s at pc 0x%llx, address 0x%llx (syndrome 0x%llx); stopped\n",
                c->boot.core_id, t->name, f->kind, (unsigned long long)f->pc,
                (unsigned long long)f->address, (unsigned long long)f->syndrome);
        thread_stop(t, THREAD_FAULTED);
        if (c->boot.ends_system && c->opts.fatal == FATAL_EXIT_SYSTEM && t == c->root_thread)
                arch_exit_system(USER_FAULT_EXIT_STATUS);
}
