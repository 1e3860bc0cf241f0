/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ending things: stop this core, or end the emulated system with a status.
 * The status leaves through semihosting; if that traps (semihosting off), the
 * fatal path comes back here once more and PSCI SYSTEM_OFF ends the system
 * instead, with status 0 as the only thing it can say.
 */
#include <arch/arch.h>
#include <arch/gic.h>
#include <arch/semihost.h>

static volatile int exit_attempted;

_Noreturn void arch_stop_core(void)
{
        arch_irq_disable_local();
        psci_call(PSCI_CPU_OFF, 0, 0, 0);
        for (;;)
                __asm__ volatile("wfi");
}

_Noreturn void arch_exit_system(int status)
{
        if (!exit_attempted) {
                exit_attempted = 1;
                semihost_exit(status);
        }
        psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
        arch_stop_core();
}
