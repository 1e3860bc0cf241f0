/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The counters EL0 may be allowed to read, for the IPC benchmarks
 * (ipcperf, examples/ipcbench): PMEVCNTR0_EL0 (instructions at EL0 and EL1)
 * and PMEVCNTR1_EL0 (EL0 only), which the kernel sets up and opens to EL0
 * with the boot option tessera.pmu=user and which count only under QEMU
 * -icount; and the virtual counter CNTVCT_EL0. Whether a read would trap is
 * found out safely first (counters_probe): a probe thread reads and Calls
 * with the value; a trap sends a fault message instead.
 */
#ifndef TESTS_USER_COUNTERS_H
#define TESTS_USER_COUNTERS_H

#include <stdint.h>
#include <tessera/alloc.h>

enum counter { COUNTER_ALL, COUNTER_USER, COUNTER_TIMER, COUNTER_COUNT };

static inline uint64_t read_counter(enum counter c)
{
        uint64_t v;

        if (c == COUNTER_ALL)
                __asm__ volatile("isb\n\tmrs %0, pmevcntr0_el0" : "=r"(v) : : "memory");
        else if (c == COUNTER_USER)
                __asm__ volatile("isb\n\tmrs %0, pmevcntr1_el0" : "=r"(v) : : "memory");
        else
                __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
        return v;
}

/* CNTFRQ_EL0: the virtual counter's ticks per second. */
static inline uint64_t counter_frequency(void)
{
        uint64_t v;

        __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
        return v;
}

/* 1 if EL0 may read the counter. probe_ep: an endpoint the caller receives
 * on; stack_top: a stack for the probe thread, which runs at `priority`. */
int counters_probe(struct tessera_alloc *a, enum counter c, uint64_t probe_ep, uint64_t *stack_top,
                   unsigned priority);

#endif
