/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The interrupt half of the arch contract: picks the GIC driver the platform
 * found, dispatches interrupts to the timer or to generic code, and counts
 * spurious ones. Interrupts are masked everywhere in the kernel except while
 * the core waits in arch_wait_for_interrupt().
 */
#include <arch/arch.h>
#include <arch/gic.h>
#include <arch/sysreg.h>
#include "trap.h"

static const struct gic_ops *gic;
static struct gic_config gic_cfg;

int gic_configure(const struct gic_config *cfg)
{
        const struct gic_ops *ops;

        if (cfg->version == 2)
                ops = &gicv2_ops;
        else if (cfg->version == 3)
                ops = &gicv3_ops;
        else
                return -1;
        if (ops->map(cfg) != 0)
                return -1;
        gic_cfg = *cfg;
        gic = ops;
        return 0;
}

unsigned arch_irq_controller_version(void)
{
        return gic ? gic_cfg.version : 0;
}

int arch_irq_init_core(bool init_distributor)
{
        if (!gic)
                return -1;
        if (init_distributor)
                gic->init_distributor();
        if (gic->init_cpu() != 0)
                return -1;
        gic->enable(gic_cfg.timer_intid);
        gic->enable(GIC_SGI_INBOX);
        return 0;
}

/* The inbox word's store must be seen by the other core before the SGI is:
 * a DSB orders it before the GICv2 SGIR write and the GICv3 ICC_SGI1R_EL1
 * write alike. */
void arch_ipi_send(unsigned core_index, uint64_t mpidr)
{
        dsb(ish);
        gic->send_sgi(GIC_SGI_INBOX, core_index, mpidr);
}

void arch_irq_enable(unsigned irq)
{
        gic->enable(irq);
}

void arch_irq_disable(unsigned irq)
{
        gic->disable(irq);
}

void arch_irq_enable_local(void)
{
        __asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_disable_local(void)
{
        __asm__ volatile("msr daifset, #2" ::: "memory");
}

void arch_wait_for_interrupt(void)
{
        dsb(sy);
        __asm__ volatile("wfi" ::: "memory");
}

/* One IRQ exception: acknowledge, hand on, complete. */
void irq_dispatch(void)
{
        unsigned token;
        unsigned intid = gic->acknowledge(&token);

        if (intid >= GIC_INTID_SPURIOUS)
                return;
        if (intid == gic_cfg.timer_intid) {
                timer_rearm();
                gic->end_of_interrupt(token);
                kernel_timer_tick();
                return;
        }
        gic->end_of_interrupt(token);
        if (intid == GIC_SGI_INBOX)
                kernel_inbox_signalled();
        else
                kernel_irq(intid);
}
