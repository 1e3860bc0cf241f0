/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Instruction counters for benchmarks. Event 0x08 (INST_RETIRED) on event
 * counters 0 and 1; counter 1 filters out EL1 (PMEVTYPER.P), so the two
 * give all instructions and the user's. QEMU counts instructions exactly
 * only under -icount (../shared/FACTS.md). Enabled only by the boot option
 * tessera.pmu=user: counters readable at EL0 are a timing channel.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>

#define EVENT_INST_RETIRED 0x08ull
#define PMEVTYPER_P        (1ull << 31)         /* do not count at EL1 */
#define PMCR_E             (1ull << 0)
#define PMCR_P             (1ull << 1)          /* reset the event counters */
#define PMUSERENR_EN       (1ull << 0)          /* EL0 may access the PMU */
#define PMUSERENR_ER       (1ull << 3)          /* EL0 may read event counters */

void arch_pmu_user_enable(void)
{
        sysreg_write(pmevtyper0_el0, EVENT_INST_RETIRED);
        sysreg_write(pmevtyper1_el0, EVENT_INST_RETIRED | PMEVTYPER_P);
        sysreg_write(pmcntenset_el0, 3);
        sysreg_write(pmcr_el0, sysreg_read(pmcr_el0) | PMCR_E | PMCR_P);
        sysreg_write(pmuserenr_el0, PMUSERENR_EN | PMUSERENR_ER);
        isb();
}
