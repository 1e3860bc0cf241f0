/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kernel_main: the flat list of steps that bring one kernel instance up on its
 * core, each step one call. head.S arrives here on the boot stack at the linked
 * high address, with the MMU on and interrupts masked.
 */
#include <arch/arch.h>
#include <ipi/port.h>
#include <kernel/assert.h>
#include <kernel/core.h>
#include <kernel/fastpath.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <plat/plat.h>

/* The root task made (its partition is mapped since plat_init), then user mode. */
static _Noreturn void start_root_task(struct core_state *c)
{
        sched_init();
        if (root_task_create() != 0) {
                kprintf("core %u: cannot create the root task (partition 0x%llx-0x%llx)\n",
                        c->boot.core_id, (unsigned long long)c->boot.memory_base,
                        (unsigned long long)(c->boot.memory_base + c->boot.memory_size));
                kernel_fatal();
        }
        arch_resume_user(kernel_resume());
}

void kernel_main(uint64_t boot_arg_pa, uint64_t phys_base, uint64_t entry_el);

/* The "up" line's format is a promise to scripts (docs/spec.md). */
static void boot_report(const struct core_state *c)
{
        const struct plat_boot *b = &c->boot;
        unsigned long long digest = image_digest(arch_image_start(), arch_image_ro_size());

        kprintf("tessera %s kernel (%s build) on core %u of %u: entered at EL%u, running at EL1\n",
                TESSERA_VERSION, TESSERA_DEBUG ? "debug" : "release",
                b->core_id, b->core_count, c->entry_el);
        if (b->from_boot_info)
                kprintf("core %u: up, kernel 0x%llx-0x%llx, memory 0x%llx-0x%llx, image %016llx\n",
                        b->core_id, (unsigned long long)b->kernel_base,
                        (unsigned long long)(b->kernel_base + b->kernel_size),
                        (unsigned long long)b->memory_base,
                        (unsigned long long)(b->memory_base + b->memory_size), digest);
        else
                kprintf("core %u: up, kernel 0x%llx-0x%llx, image %016llx\n", b->core_id,
                        (unsigned long long)c->phys_base,
                        (unsigned long long)(c->phys_base + arch_image_total_size()), digest);
        kprintf("core %u: %s\n", b->core_id, b->description);
}

/* Without user programs yet, the kernel runs its tick for a while; the kernel
 * that ends the system then ends it, the others keep ticking. */
static _Noreturn void idle_until_done(struct core_state *c)
{
        uint64_t start = arch_counter_now();

        arch_irq_enable_local();
        if (c->boot.from_boot_info && !c->boot.ends_system)
                for (;;)
                        arch_wait_for_interrupt();
        while (c->ticks < c->opts.run_ticks)
                arch_wait_for_interrupt();
        kprintf("core %u: %llu timer ticks in %llu us; halting\n", c->boot.core_id,
                (unsigned long long)c->ticks,
                (unsigned long long)((arch_counter_now() - start) * 1000000 / arch_counter_freq()));
        arch_exit_system(0);
}

void kernel_main(uint64_t boot_arg_pa, uint64_t phys_base, uint64_t entry_el)
{
        struct core_state *c = core();
        int status;

        c->phys_base = phys_base;                       /* where this copy runs */
        c->entry_el = (unsigned)entry_el;
        arch_init_core(phys_base);                      /* device window, no identity map */
        plat_console_init();                            /* from here on kprintf works */
        status = plat_init(boot_arg_pa, &c->boot);      /* read the boot argument */
        if (status != PLAT_OK) {
                kprintf("core ?: cannot boot: %s (boot argument at 0x%llx)%s%s\n",
                        plat_strerror(status), (unsigned long long)boot_arg_pa,
                        status == PLAT_ERR_BOOT_INFO ? ": " : "",
                        status == PLAT_ERR_BOOT_INFO ? c->boot.description : "");
                kernel_fatal();
        }
        boot_options_parse(c->boot.bootargs, &c->opts); /* tessera.* options */
        boot_report(c);                                 /* the lines scripts rely on */
        fastpath_init(c->opts.fastpath);
        if (c->opts.pmu_user)
                arch_pmu_user_enable();
        if (arch_irq_init_core(!c->boot.from_boot_info) != 0) {
                kprintf("core %u: cannot boot: no interrupt controller interface for this core\n",
                        c->boot.core_id);
                kernel_fatal();
        }
        c->tick_period = arch_counter_freq() / TICK_HZ;
        kassert(c->tick_period > 0);
        arch_timer_start(c->tick_period);               /* periodic tick */
        if (ipi_init(&c->boot, c->opts.atomics_lse) != 0) {     /* the cross-core link */
                kprintf("core %u: cannot boot: an IPI inbox cannot be mapped\n", c->boot.core_id);
                kernel_fatal();
        }
        plat_boot_complete();                           /* the partitioner may go on */
        if (c->opts.test[0])
                selftest_run(c->opts.test);             /* debug self-tests, never return */
        if (!c->boot.root_entry)
                idle_until_done(c);                     /* single-kernel mode: no user space */
        start_root_task(c);                             /* never returns */
}
