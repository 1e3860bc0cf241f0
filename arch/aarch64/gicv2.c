/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GICv2 driver: distributor and memory-mapped CPU interface. The distributor
 * is programmed once per system (by whoever boots first: the partitioner, or a
 * kernel booted alone); each core then sets up only its banked registers.
 */
#include <arch/arch.h>
#include <arch/gic.h>
#include <arch/sysreg.h>

#define GICD_CTLR        0x000
#define GICD_TYPER       0x004
#define GICD_ISENABLER   0x100
#define GICD_ICENABLER   0x180
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR   0x800
#define GICD_SGIR        0xf00
#define GICD_SGIR_TARGET_SHIFT 16

#define GICC_CTLR        0x000
#define GICC_PMR         0x004
#define GICC_BPR         0x008
#define GICC_IAR         0x00c
#define GICC_EOIR        0x010

#define GIC_PRIORITY_DEFAULT 0xa0a0a0a0u

static uintptr_t gicd, gicc;

static int gicv2_map(const struct gic_config *cfg)
{
        gicd = arch_map_device(cfg->dist_pa, cfg->dist_size);
        gicc = arch_map_device(cfg->cpu_pa, cfg->cpu_size);
        return (gicd && gicc) ? 0 : -1;
}

static unsigned gicv2_lines(void)
{
        return 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);
}

/* All SPIs disabled, default priority, routed to CPU interface 0. */
static void gicv2_init_distributor(void)
{
        unsigned lines = gicv2_lines();

        mmio_write32(gicd + GICD_CTLR, 0);
        for (unsigned i = GIC_SPI_BASE; i < lines; i += 32)
                mmio_write32(gicd + GICD_ICENABLER + i / 8, 0xffffffffu);
        for (unsigned i = GIC_SPI_BASE; i < lines; i += 4) {
                mmio_write32(gicd + GICD_IPRIORITYR + i, GIC_PRIORITY_DEFAULT);
                mmio_write32(gicd + GICD_ITARGETSR + i, 0x01010101u);
        }
        mmio_write32(gicd + GICD_CTLR, 1);
}

/* On virt the CPU interface number is the CPU's index. */
static void gicv2_route(unsigned intid, unsigned cpu_index, uint64_t mpidr)
{
        uintptr_t reg = gicd + GICD_ITARGETSR + (intid & ~3u);
        unsigned shift = 8 * (intid & 3);
        uint32_t v = mmio_read32(reg) & ~(0xffu << shift);

        (void)mpidr;
        mmio_write32(reg, v | ((1u << cpu_index) & 0xff) << shift);
}

static int gicv2_init_cpu(void)
{
        for (unsigned i = 0; i < GIC_SPI_BASE; i += 4)
                mmio_write32(gicd + GICD_IPRIORITYR + i, GIC_PRIORITY_DEFAULT);
        mmio_write32(gicc + GICC_PMR, 0xff);
        mmio_write32(gicc + GICC_BPR, 0);
        mmio_write32(gicc + GICC_CTLR, 1);
        return 0;
}

static void gicv2_enable(unsigned intid)
{
        mmio_write32(gicd + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

/* GICv2 has no write-pending bit: the distributor applies the write in
 * order, and reading a register back waits for it. */
static void gicv2_disable(unsigned intid)
{
        mmio_write32(gicd + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
        (void)mmio_read32(gicd + GICD_ICENABLER + (intid / 32) * 4);
}

/* GICC_IAR: INTID in bits 9:0 and, for an SGI, the sender's CPU in 12:10;
 * GICC_EOIR wants both back. */
static unsigned gicv2_acknowledge(unsigned *token)
{
        unsigned iar = mmio_read32(gicc + GICC_IAR);

        *token = iar & 0x1fff;
        return iar & 0x3ff;
}

static void gicv2_end_of_interrupt(unsigned token)
{
        mmio_write32(gicc + GICC_EOIR, token);
}

/* Target list filter 0: the CPU interfaces named in the list; on virt the
 * interface number is the CPU's index (as in gicv2_route). */
static void gicv2_send_sgi(unsigned sgi, unsigned cpu_index, uint64_t mpidr)
{
        (void)mpidr;
        mmio_write32(gicd + GICD_SGIR, (1u << (GICD_SGIR_TARGET_SHIFT + cpu_index)) | sgi);
}

const struct gic_ops gicv2_ops = {
        .map = gicv2_map,
        .init_distributor = gicv2_init_distributor,
        .route = gicv2_route,
        .init_cpu = gicv2_init_cpu,
        .enable = gicv2_enable,
        .disable = gicv2_disable,
        .acknowledge = gicv2_acknowledge,
        .end_of_interrupt = gicv2_end_of_interrupt,
        .send_sgi = gicv2_send_sgi,
};
