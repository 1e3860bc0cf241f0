/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-core state object and the kernel's answers to the arch layer: a
 * timer tick, an interrupt, a fatal exception.
 */
#include <arch/arch.h>
#include <kernel/assert.h>
#include <kernel/core.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/thread.h>

static struct core_state the_core;

struct core_state *core(void)
{
        return &the_core;
}

void kernel_timer_tick(void)
{
        the_core.ticks++;
        thread_tick();
}

void kernel_irq(unsigned irq)
{
        if (irq_fired(irq))
                return;                 /* a user handler's: masked until acked */
        the_core.unexpected_irqs++;
        kprintf("core %u: interrupt %u has no handler\n", the_core.boot.core_id, irq);
}

_Noreturn void kassert_failed(const char *expr, const char *file, int line)
{
        kprintf("KERNEL ASSERTION FAILED on core %u: %s (%s:%d)\n",
                the_core.boot.core_id, expr, file, line);
        kernel_fatal();
}

/* A kernel fault stops this core only, unless the boot options ask to end the
 * whole system (tests, and single-core runs that should not hang). */
_Noreturn void kernel_fatal(void)
{
        struct core_state *c = &the_core;

        if (c->in_fatal || c->opts.fatal == FATAL_EXIT_SYSTEM) {
                c->in_fatal = true;
                kprintf("core %u: halted by a kernel fault; ending the system (status %d)\n",
                        c->boot.core_id, FATAL_EXIT_STATUS);
                arch_exit_system(FATAL_EXIT_STATUS);
        }
        c->in_fatal = true;
        kprintf("core %u: stopped by a kernel fault; other cores continue\n", c->boot.core_id);
        arch_stop_core();
}
