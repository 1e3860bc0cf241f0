/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PSCI calls through the conduit the device tree names (hvc at EL1 under QEMU
 * by default, smc when QEMU emulates EL2). Shared by the kernel and the
 * partitioner, which starts the other cores with CPU_ON.
 */
#include <arch/gic.h>

static enum psci_conduit conduit = PSCI_NONE;

void psci_configure(enum psci_conduit c)
{
        conduit = c;
}

int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
        register uint64_t x0 __asm__("x0") = fn;
        register uint64_t x1 __asm__("x1") = a1;
        register uint64_t x2 __asm__("x2") = a2;
        register uint64_t x3 __asm__("x3") = a3;

        if (conduit == PSCI_HVC)
                __asm__ volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
        else if (conduit == PSCI_SMC)
                __asm__ volatile("smc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
        else
                return -1;
        return (int64_t)x0;
}
