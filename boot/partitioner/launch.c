/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Launching the planned system: zero the shared area, program the GIC
 * distributor once (every SPI to its owner), then for each core copy the one
 * kernel image to its region, write its boot info and start it with PSCI
 * CPU_ON, waiting for it to say it is up. The core the partitioner runs on is
 * entered last, by a plain branch. Runs with the MMU off: physical addresses
 * throughout, Device-memory rules for every access (aligned only).
 */
#include <arch/arch.h>
#include <arch/gic.h>
#include <arch/sysreg.h>
#include <kernel/string.h>
#include <multikernel/bootinfo.h>
#include "partitioner.h"

#define CORE_START_PATIENCE_S 60u

/* The GIC drivers map MMIO through this; with the MMU off a PA is its address. */
uintptr_t arch_map_device(uint64_t pa, uint64_t size)
{
        (void)size;
        return (uintptr_t)pa;
}

static void zero_words(uint64_t base, uint64_t size)
{
        volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)base;

        for (uint64_t i = 0; i < size / 8; i++)
                p[i] = 0;
}

/* 8-byte copies: the image and boot info are 8-byte aligned at both ends. */
static void copy_words(uint64_t dst, const void *src, uint64_t size)
{
        volatile uint64_t *d = (volatile uint64_t *)(uintptr_t)dst;
        const uint64_t *s = src;

        for (uint64_t i = 0; i < (size + 7) / 8; i++)
                d[i] = s[i];
}

static void program_distributor(const struct bootinfo *bi, unsigned count)
{
        const struct gic_ops *gic = bi[0].gic_version == 3 ? &gicv3_ops : &gicv2_ops;
        struct gic_config cfg = {
                .version = bi[0].gic_version,
                .dist_pa = bi[0].gicd.base, .dist_size = bi[0].gicd.size,
                .cpu_pa = bi[0].gicc.base, .cpu_size = bi[0].gicc.size,
        };

        gic->map(&cfg);
        gic->init_distributor();
        for (unsigned c = 0; c < count; c++)
                for (unsigned i = 0; i < bi[c].irq_count; i++)
                        gic->route(bi[c].irqs[i], bi[c].core_id, bi[c].mpidr);
}

#define GICR_FRAME_SIZE 0x20000ull
#define GICR_TYPER      0x8
#define GICR_TYPER_LAST (1ull << 4)

/* GICv3: give each kernel only its own redistributor frame, found here by
 * affinity, so no kernel ever reads another core's frame. */
static bool narrow_redistributor(struct bootinfo *bi)
{
        uint32_t aff = (uint32_t)((bi->mpidr & 0xffffff) | ((bi->mpidr >> 32) & 0xff) << 24);

        for (uint64_t off = 0; off + GICR_FRAME_SIZE <= bi->gicr.size; off += GICR_FRAME_SIZE) {
                uint64_t typer = mmio_read64((uintptr_t)(bi->gicr.base + off + GICR_TYPER));

                if ((uint32_t)(typer >> 32) == aff) {
                        bi->gicr = (struct bootinfo_range){ bi->gicr.base + off, GICR_FRAME_SIZE };
                        return true;
                }
                if (typer & GICR_TYPER_LAST)
                        break;
        }
        return false;
}

bool launch_prepare(struct bootinfo *bi)
{
        return bi->gic_version != 3 || narrow_redistributor(bi);
}

static uint64_t counter_now(void)
{
        isb();
        return sysreg_read(cntpct_el0);
}

/* The kernel publishes `started` and sends an event; check before every wfe. */
static bool wait_started(const volatile struct bootinfo *bi)
{
        uint64_t deadline = counter_now() + sysreg_read(cntfrq_el0) * CORE_START_PATIENCE_S;

        for (;;) {
                dsb(sy);
                if (bi->started)
                        return true;
                if (counter_now() > deadline)
                        return false;
                __asm__ volatile("wfe" ::: "memory");
        }
}

static uint64_t place_kernel(const struct bootinfo *bi, const uint8_t *image, uint64_t size)
{
        uint64_t slot = bi->kernel.base + BOOTINFO_OFFSET;

        copy_words(bi->kernel.base, image, size);
        copy_words(slot, bi, sizeof(*bi));
        return slot;
}

static void start_secondary(const struct bootinfo *bi, uint64_t slot)
{
        int64_t status = psci_call(PSCI_CPU_ON, bi->mpidr, bi->kernel.base, slot);

        if (status != 0) {
                pprintf("partitioner: core %u: PSCI CPU_ON failed (%lld); it stays off\n",
                        bi->core_id, (long long)status);
                return;
        }
        if (!wait_started((const volatile struct bootinfo *)(uintptr_t)slot))
                pprintf("partitioner: core %u: no sign of life after %u s; going on without it\n",
                        bi->core_id, CORE_START_PATIENCE_S);
}

_Noreturn void launch_system(const struct bootinfo *bi, unsigned count, unsigned self,
                             const uint8_t *image, uint64_t image_size)
{
        uint64_t self_slot = 0;

        psci_configure(bi[0].psci == BOOTINFO_PSCI_HVC ? PSCI_HVC
                       : bi[0].psci == BOOTINFO_PSCI_SMC ? PSCI_SMC : PSCI_NONE);
        zero_words(bi[0].shared_area.base, bi[0].shared_area.size);
        program_distributor(bi, count);
        for (unsigned c = 0; c < count; c++) {
                uint64_t slot = place_kernel(&bi[c], image, image_size);

                if (c == self)
                        self_slot = slot;
                else
                        start_secondary(&bi[c], slot);
        }
        if (self < count)
                jump_to_kernel(bi[self].kernel.base, self_slot);
        pprintf("partitioner: this CPU runs no kernel; turning it off\n");
        psci_call(PSCI_CPU_OFF, 0, 0, 0);
        for (;;)
                __asm__ volatile("wfe");
}
