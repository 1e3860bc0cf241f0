/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Platform discovery for QEMU virt from the device tree: RAM, CPUs, the GIC
 * (v2 or v3, by compatible string), the timer's PPI and the PSCI conduit. The
 * device tree is read through the boot-data window with the project's
 * bounds-checked FDT reader; nothing in it is trusted without a check.
 */
#include <arch/arch.h>
#include <arch/gic.h>
#include <fdt.h>
#include <plat/board.h>
#include <plat/plat.h>
#include <kernel/string.h>
#include <multikernel/bootinfo.h>

#define PPI_BASE 16u

static const char *const status_text[] = {
        [0] = "ok",
        [1] = "boot argument is neither a device tree nor a boot info",
        [2] = "device tree is malformed",
        [3] = "no supported interrupt controller (GICv2 or GICv3) in the device tree",
        [4] = "no memory node in the device tree",
        [5] = "boot info refused",
};

const char *plat_strerror(int status)
{
        unsigned i = (unsigned)-status;

        return i < sizeof(status_text) / sizeof(status_text[0]) ? status_text[i] : "unknown error";
}

static int find_gic(const struct fdt *fdt, struct gic_config *cfg)
{
        int node = fdt_find_compatible(fdt, -1, "arm,gic-v3");

        if (node >= 0) {
                cfg->version = 3;
                if (fdt_reg(fdt, node, 0, &cfg->dist_pa, &cfg->dist_size) != FDT_OK ||
                    fdt_reg(fdt, node, 1, &cfg->redist_pa, &cfg->redist_size) != FDT_OK)
                        return PLAT_ERR_DEVICE_TREE;
                return PLAT_OK;
        }
        node = fdt_find_compatible(fdt, -1, "arm,cortex-a15-gic");
        if (node < 0)
                node = fdt_find_compatible(fdt, -1, "arm,gic-400");
        if (node < 0)
                return PLAT_ERR_NO_IRQ_CONTROLLER;
        cfg->version = 2;
        if (fdt_reg(fdt, node, 0, &cfg->dist_pa, &cfg->dist_size) != FDT_OK ||
            fdt_reg(fdt, node, 1, &cfg->cpu_pa, &cfg->cpu_size) != FDT_OK)
                return PLAT_ERR_DEVICE_TREE;
        return PLAT_OK;
}

/* The architected timer's second interrupt is the non-secure EL1 physical one. */
static unsigned find_timer_intid(const struct fdt *fdt)
{
        int node = fdt_find_compatible(fdt, -1, "arm,armv8-timer");
        uint32_t type, number;

        if (node < 0 || fdt_prop_u32(fdt, node, "interrupts", 3, &type) != FDT_OK ||
            fdt_prop_u32(fdt, node, "interrupts", 4, &number) != FDT_OK || type != 1)
                return BOARD_TIMER_PPI_INTID;
        return PPI_BASE + number;
}

static enum psci_conduit find_psci(const struct fdt *fdt)
{
        int node = fdt_find_compatible(fdt, -1, "arm,psci-0.2");
        const char *method;

        if (node < 0)
                node = fdt_find_compatible(fdt, -1, "arm,psci");
        method = node >= 0 ? fdt_prop_string(fdt, node, "method", 0) : NULL;
        if (method && kstrcmp(method, "hvc") == 0)
                return PSCI_HVC;
        if (method && kstrcmp(method, "smc") == 0)
                return PSCI_SMC;
        return PSCI_NONE;
}

static unsigned count_cpus(const struct fdt *fdt)
{
        int cpus = fdt_path(fdt, "/cpus");
        unsigned n = 0;

        for (int c = cpus >= 0 ? fdt_first_child(fdt, cpus) : -1; c >= 0; c = fdt_next_sibling(fdt, c)) {
                const char *type = fdt_prop_string(fdt, c, "device_type", 0);

                if (type && kstrcmp(type, "cpu") == 0)
                        n++;
        }
        return n;
}

static int discover_from_fdt(const struct fdt *fdt, struct plat_boot *out)
{
        struct gic_config gic = { 0 };
        int chosen = fdt_path(fdt, "/chosen");
        int memory = fdt_subnode(fdt, fdt_root(fdt), "memory");
        const char *args = chosen >= 0 ? fdt_prop_string(fdt, chosen, "bootargs", 0) : NULL;
        int status;

        if (memory < 0 || fdt_reg(fdt, memory, 0, &out->ram_base, &out->ram_size) != FDT_OK)
                return PLAT_ERR_NO_MEMORY;
        status = find_gic(fdt, &gic);
        if (status != PLAT_OK)
                return status;
        gic.timer_intid = find_timer_intid(fdt);
        if (gic_configure(&gic) != 0)
                return PLAT_ERR_NO_IRQ_CONTROLLER;
        psci_configure(find_psci(fdt));
        kstrlcpy(out->bootargs, args ? args : "", sizeof(out->bootargs));
        out->core_id = 0;
        out->core_count = 1;
        ksnprintf(out->description, sizeof(out->description),
                  "machine: %u CPUs, RAM 0x%llx-0x%llx, GICv%u, timer INTID %u",
                  count_cpus(fdt), (unsigned long long)out->ram_base,
                  (unsigned long long)(out->ram_base + out->ram_size), gic.version, gic.timer_intid);
        return PLAT_OK;
}

int plat_init(uint64_t boot_arg_pa, struct plat_boot *out)
{
        const void *blob = arch_map_boot_data(boot_arg_pa, BOARD_DTB_MAX);
        struct fdt fdt;
        uint32_t size;

        if (!blob)
                return PLAT_ERR_BOOT_ARG;
        if (*(const uint64_t *)blob == BOOTINFO_MAGIC)
                return plat_init_from_boot_info(boot_arg_pa, blob, out);
        size = fdt_header_total_size(blob, BOARD_DTB_MAX);
        if (size == 0)
                return PLAT_ERR_BOOT_ARG;
        if (fdt_init(&fdt, blob, BOARD_DTB_MAX) != FDT_OK)
                return PLAT_ERR_DEVICE_TREE;
        out->from_boot_info = false;
        return discover_from_fdt(&fdt, out);
}
