/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The EL1 physical generic timer as a periodic tick. The compare value advances
 * by whole periods from the first deadline, so a late interrupt does not make
 * the tick drift.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>
#include "trap.h"

static uint64_t period, deadline;

uint64_t arch_counter_now(void)
{
        isb();
        return sysreg_read(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
        return sysreg_read(cntfrq_el0);
}

#define CNTKCTL_EL0VCTEN (1u << 1)

/* Also lets EL0 read the virtual counter and its frequency (CNTVCT_EL0,
 * CNTFRQ_EL0): user time-outs and benchmarks need a clock, and reading it
 * reveals nothing a thread could not learn by counting. */
void arch_timer_start(uint64_t period_ticks)
{
        sysreg_write(cntkctl_el1, CNTKCTL_EL0VCTEN);
        period = period_ticks;
        deadline = arch_counter_now() + period;
        sysreg_write(cntp_cval_el0, deadline);
        sysreg_write(cntp_ctl_el0, 1);          /* ENABLE, interrupt not masked */
        isb();
}

void timer_rearm(void)
{
        uint64_t now = arch_counter_now();

        do
                deadline += period;
        while (deadline <= now);
        sysreg_write(cntp_cval_el0, deadline);
        isb();
}
