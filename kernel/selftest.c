/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel self-tests chosen with tessera.test=NAME, printed as TAP on the
 * console and ended through arch_exit_system(), so the QEMU harness can judge
 * them. The fault tests end through the fatal path instead: the harness checks
 * the decoded report and the fatal exit status.
 */
#include <arch/arch.h>
#include <kernel/assert.h>
#include <kernel/core.h>
#include <kernel/printk.h>
#include <kernel/string.h>

#define TIMER_TEST_TICKS 20

static unsigned tap_failed;

static void tap(unsigned n, bool ok, const char *what)
{
        kprintf("%sok %u - %s\n", ok ? "" : "not ", n, what);
        if (!ok)
                tap_failed++;
}

static _Noreturn void tap_done(void)
{
        arch_exit_system(tap_failed ? 1 : 0);
}

/* Ticks arrive, never faster than the programmed period, with nothing stray. */
static _Noreturn void selftest_timer(struct core_state *c)
{
        uint64_t start = arch_counter_now(), first, elapsed;
        char what[120];

        kprintf("1..4\n");
        c->ticks = 0;
        arch_irq_enable_local();
        while (c->ticks == 0)
                arch_wait_for_interrupt();
        first = arch_counter_now();
        while (c->ticks < TIMER_TEST_TICKS)
                arch_wait_for_interrupt();
        arch_irq_disable_local();
        elapsed = arch_counter_now() - first;
        tap(1, c->ticks >= TIMER_TEST_TICKS, "timer interrupts arrive");
        ksnprintf(what, sizeof(what), "%u ticks took %llu counter ticks, at least %llu periods",
                  TIMER_TEST_TICKS - 1, (unsigned long long)elapsed,
                  (unsigned long long)(TIMER_TEST_TICKS - 2));
        tap(2, elapsed >= (TIMER_TEST_TICKS - 2) * c->tick_period, what);
        tap(3, first > start, "the counter advances");
        tap(4, c->unexpected_irqs == 0, "no unexpected interrupts");
        tap_done();
}

/* A load from an address nothing maps: a translation fault the kernel reports. */
static _Noreturn void selftest_fault_data(void)
{
        volatile uint64_t *nowhere = (volatile uint64_t *)(uintptr_t)0x1000;

        kprintf("selftest: reading 0x1000, which nothing maps\n");
        (void)*nowhere;
        kprintf("selftest: the read did not fault\n");
        arch_exit_system(1);
}

static _Noreturn void selftest_fault_undef(void)
{
        kprintf("selftest: executing a permanently undefined instruction\n");
        __asm__ volatile("udf #0x7e55");
        kprintf("selftest: the instruction did not trap\n");
        arch_exit_system(1);
}

_Noreturn void selftest_run(const char *name)
{
        struct core_state *c = core();

        c->opts.fatal = FATAL_EXIT_SYSTEM;
        kprintf("selftest: %s\n", name);
        if (kstrcmp(name, "timer") == 0)
                selftest_timer(c);
        if (kstrcmp(name, "fault-data") == 0)
                selftest_fault_data();
        if (kstrcmp(name, "fault-undef") == 0)
                selftest_fault_undef();
        if (kstrcmp(name, "assert") == 0)
                kassert(name[0] == '\0');      /* a deliberately false invariant */
        kprintf("not ok 1 - unknown self-test \"%s\"\n", name);
        arch_exit_system(1);
}
