/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running thread and the way back to user mode. With nothing runnable the
 * kernel idles with interrupts open until an interrupt makes a thread ready:
 * that is the only place interrupts are taken in kernel mode.
 */
#include <arch/arch.h>
#include <kernel/core.h>
#include <kernel/thread.h>

static struct tcb *current;

struct tcb *thread_current(void)
{
        return current;
}

void thread_make_current(struct tcb *t)
{
        current = t;
        arch_vspace_activate(t->vspace_root, t->asid);
}

struct arch_context *kernel_resume(void)
{
        while (!current || current->state != THREAD_RUNNABLE) {
                arch_irq_enable_local();
                arch_wait_for_interrupt();
                arch_irq_disable_local();
        }
        return &current->ctx;
}
