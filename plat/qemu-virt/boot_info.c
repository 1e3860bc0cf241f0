/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Booting from the partitioner's boot info: copy it into the kernel, check it
 * (multikernel/bootinfo.c), then configure the GIC, PSCI and the console's
 * shared line lock from it. Nothing is read from the device tree on this path.
 */
#include <arch/arch.h>
#include <arch/gic.h>
#include <kernel/string.h>
#include <multikernel/bootinfo.h>
#include <plat/plat.h>

static struct bootinfo boot_info;       /* this kernel's own checked copy */
static volatile uint64_t *started;      /* the word the partitioner waits on */

static int configure_from(const struct bootinfo *bi)
{
        struct gic_config gic = {
                .version = bi->gic_version,
                .dist_pa = bi->gicd.base, .dist_size = bi->gicd.size,
                .cpu_pa = bi->gicc.base, .cpu_size = bi->gicc.size,
                .redist_pa = bi->gicr.base, .redist_size = bi->gicr.size,
                .timer_intid = bi->timer_intid,
        };
        uint64_t lock_page = bi->console_lock & ~(BOOTINFO_PAGE - 1);
        volatile uint8_t *lock_va = arch_map_shared_page(lock_page);

        if (gic_configure(&gic) != 0 || !lock_va)
                return PLAT_ERR_NO_IRQ_CONTROLLER;
        psci_configure(bi->psci == BOOTINFO_PSCI_HVC ? PSCI_HVC
                       : bi->psci == BOOTINFO_PSCI_SMC ? PSCI_SMC : PSCI_NONE);
        plat_console_share((volatile uint64_t *)(lock_va + (bi->console_lock - lock_page)));
        return PLAT_OK;
}

_Static_assert(PLAT_MAX_DEVICES >= BOOTINFO_MAX_DEVICES && PLAT_MAX_IRQS >= BOOTINFO_MAX_IRQS &&
               PLAT_MAX_SHARED >= BOOTINFO_MAX_SHARED && PLAT_NAME_MAX >= BOOTINFO_NAME_MAX &&
               PLAT_MAX_CORES == BOOTINFO_MAX_CORES && PLAT_MAX_PORTS >= BOOTINFO_MAX_PORTS,
               "plat_boot holds every device, SPI and shared region a boot info may list");

/* The cross-core link: inboxes, SGI targets and ports (checked by bootinfo_check). */
static void describe_link(const struct bootinfo *bi, struct plat_boot *out)
{
        for (unsigned i = 0; i < BOOTINFO_MAX_CORES; i++) {
                out->inbox[i] = bi->inbox[i];
                out->core_mpidr[i] = bi->core_mpidr[i];
        }
        out->port_count = bi->port_count;
        for (unsigned i = 0; i < bi->port_count; i++)
                out->ports[i] = (struct plat_port){
                        .send = bi->ports[i].direction == BOOTINFO_PORT_SEND,
                        .peer_core = bi->ports[i].peer_core, .port = bi->ports[i].port,
                        .shared_index = bi->ports[i].shared_index };
}

/* Devices, SPIs and shared regions: counts already checked by bootinfo_check. */
static void describe_owned(const struct bootinfo *bi, struct plat_boot *out)
{
        out->device_count = bi->device_count;
        for (unsigned i = 0; i < bi->device_count; i++)
                out->devices[i] = (struct plat_range){ bi->devices[i].mmio.base,
                                                       bi->devices[i].mmio.size };
        out->irq_count = bi->irq_count;
        for (unsigned i = 0; i < bi->irq_count; i++)
                out->irqs[i] = bi->irqs[i];
        out->shared_count = bi->shared_count;
        for (unsigned i = 0; i < bi->shared_count; i++) {
                const struct bootinfo_shared *s = &bi->shared[i];

                kstrlcpy(out->shared[i].name, s->name, sizeof(out->shared[i].name));
                out->shared[i].range = (struct plat_range){ s->range.base, s->range.size };
                out->shared[i].peers = s->peers;
        }
}

static void describe(const struct bootinfo *bi, struct plat_boot *out)
{
        out->from_boot_info = true;
        out->ends_system = bi->flags & BOOTINFO_FLAG_SYSTEM_EXIT;
        out->core_id = bi->core_id;
        out->core_count = bi->core_count;
        out->ram_base = bi->ram.base;
        out->ram_size = bi->ram.size;
        out->kernel_base = bi->kernel.base;
        out->kernel_size = bi->kernel.size;
        out->memory_base = bi->memory.base;
        out->memory_size = bi->memory.size;
        kstrlcpy(out->bootargs, bi->bootargs, sizeof(out->bootargs));
        out->root_entry = bi->root_entry;
        out->root_segment_count = bi->root_segment_count;
        for (unsigned i = 0; i < bi->root_segment_count && i < PLAT_MAX_SEGMENTS; i++) {
                const struct bootinfo_segment *s = &bi->root_segments[i];

                out->root_segments[i] = (struct plat_segment){
                        s->vaddr, s->paddr, s->size,
                        ((s->flags & BOOTINFO_SEG_READ) ? ARCH_MAP_READ : 0) |
                        ((s->flags & BOOTINFO_SEG_WRITE) ? ARCH_MAP_WRITE : 0) |
                        ((s->flags & BOOTINFO_SEG_EXECUTE) ? ARCH_MAP_EXECUTE : 0) };
        }
        describe_owned(bi, out);
        describe_link(bi, out);
        ksnprintf(out->description, sizeof(out->description),
                  "partition: GICv%u, %u devices, %u SPIs, %u shared regions, %u IPI ports",
                  bi->gic_version, bi->device_count, bi->irq_count, bi->shared_count,
                  bi->port_count);
}

int plat_init_from_boot_info(uint64_t pa, const void *mapped, struct plat_boot *out)
{
        const char *why;
        int status;

        memcpy(&boot_info, mapped, sizeof(boot_info));
        why = bootinfo_check(&boot_info, arch_phys_base(), arch_image_total_size());
        if (!why && pa != boot_info.kernel.base + BOOTINFO_OFFSET)
                why = "boot info is not at its place in the kernel region";
        if (why) {
                kstrlcpy(out->description, why, sizeof(out->description));
                return PLAT_ERR_BOOT_INFO;
        }
        if (arch_map_physical(boot_info.kernel.base, boot_info.kernel.size) != 0 ||
            arch_map_physical(boot_info.memory.base, boot_info.memory.size) != 0) {
                kstrlcpy(out->description, "partition cannot be mapped", sizeof(out->description));
                return PLAT_ERR_BOOT_INFO;
        }
        status = configure_from(&boot_info);
        if (status != PLAT_OK)
                return status;
        describe(&boot_info, out);
        started = arch_pa_to_kva(pa + __builtin_offsetof(struct bootinfo, started));
        return PLAT_OK;
}

void plat_boot_complete(void)
{
        if (started)
                arch_publish(started, 1);
}
