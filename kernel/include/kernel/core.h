/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * All of one kernel instance's state, behind one accessor. Every core runs its
 * own copy of the kernel in its own partition, so this single object is per
 * core by construction: no kernel data is shared between cores.
 */
#ifndef KERNEL_CORE_H
#define KERNEL_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/cdt.h>
#include <plat/plat.h>

struct tcb;

#define TICK_HZ 100u

enum fatal_policy {
        FATAL_STOP_CORE,        /* report, then stop this core only */
        FATAL_EXIT_SYSTEM,      /* report, then end the system with status 3 (tests) */
};

struct boot_options {
        char test[32];          /* tessera.test=NAME: run a kernel self-test */
        enum fatal_policy fatal;/* tessera.fatal=stop|exit */
        unsigned run_ticks;     /* tessera.ticks=N: ticks to run before a clean exit */
        bool fastpath;          /* tessera.fastpath=off: every IPC takes the slow path */
        bool pmu_user;          /* tessera.pmu=user: EL0 may read instruction counters */
        bool atomics_lse;       /* tessera.atomics=llsc: no LSE atomics even if the CPU has them */
};

struct core_state {
        uint64_t phys_base;
        unsigned entry_el;
        struct plat_boot boot;
        struct boot_options opts;
        uint64_t tick_period;           /* counter ticks per kernel tick */
        volatile uint64_t ticks;        /* timer interrupts taken */
        volatile uint64_t unexpected_irqs;
        volatile bool in_fatal;
        struct cdt_reaper reaper;       /* deletions in progress (cdt.h) */
        struct tcb *root_thread;        /* the root task: its halt may end the system */
};

struct core_state *core(void);

#define FATAL_EXIT_STATUS 3

void boot_options_parse(const char *args, struct boot_options *opts);
uint64_t image_digest(const void *start, uint64_t len);
_Noreturn void selftest_run(const char *name);
/* Debug builds: check kernel invariants (after every system call). */
void kernel_check_invariants(void);

#endif
