/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System-call dispatch: a bounds-checked table indexed by the number in x7.
 * A number with no entry is a fault of the calling thread (unknown system
 * call), reported like any other user fault. Each handler checks its own
 * arguments and answers with an error code in x0, never a kernel fault.
 */
#include <arch/arch.h>
#include <kernel/core.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <tessera/errors.h>
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

static const syscall_fn syscall_table[TESSERA_SYS_COUNT] = {
        [TESSERA_SYS_CALL] = kernel_invoke,
        [TESSERA_SYS_YIELD] = sys_yield,
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
                struct user_fault f = { "unknown system call", ctx->pc, a.number, 0 };

                kernel_user_fault(ctx, &f);
                return;
        }
        syscall_table[a.number](t, &a);
        if (ctx->pc != entry_pc - SVC_BYTES || ++restarts % CHECK_EVERY_RESTARTS == 0)
                kernel_check_invariants();
}

/* Until fault endpoints exist (IPC), a faulting thread stops and is reported. */
void kernel_user_fault(struct arch_context *ctx, const struct user_fault *f)
{
        struct core_state *c = core();
        struct tcb *t = thread_current();

        (void)ctx;
        kprintf("core %u: thread %s: %s at pc 0x%llx, address 0x%llx (syndrome 0x%llx); stopped\n",
                c->boot.core_id, t->name, f->kind, (unsigned long long)f->pc,
                (unsigned long long)f->address, (unsigned long long)f->syndrome);
        thread_stop(t, THREAD_FAULTED);
        if (c->boot.ends_system && c->opts.fatal == FATAL_EXIT_SYSTEM && t == c->root_thread)
                arch_exit_system(USER_FAULT_EXIT_STATUS);
}
