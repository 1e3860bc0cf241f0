/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GICv3 driver: distributor with affinity routing, this core's redistributor
 * (found by matching GICR_TYPER's affinity with MPIDR_EL1) and the
 * system-register CPU interface. QEMU virt runs it in a single security state,
 * so everything is group 1.
 */
#include <arch/arch.h>
#include <arch/gic.h>
#include <arch/sysreg.h>

#define GICD_CTLR        0x0000
#define GICD_TYPER       0x0004
#define GICD_IGROUPR     0x0080
#define GICD_ISENABLER   0x0100
#define GICD_ICENABLER   0x0180
#define GICD_IPRIORITYR  0x0400
#define GICD_IROUTER     0x6000
#define GICD_CTLR_RWP    (1u << 31)
#define GICD_CTLR_ARE    (1u << 4)
#define GICD_CTLR_GRP1   (1u << 1)

#define GICR_FRAME_SIZE  0x20000
#define GICR_WAKER       0x0014
#define GICR_TYPER       0x0008
#define GICR_TYPER_LAST  (1u << 4)
#define GICR_SGI         0x10000
#define GICR_IGROUPR0    (GICR_SGI + 0x0080)
#define GICR_ISENABLER0  (GICR_SGI + 0x0100)
#define GICR_ICENABLER0  (GICR_SGI + 0x0180)
#define GICR_CTLR        0x0000
#define GICR_CTLR_RWP    (1u << 3)
#define GICR_IPRIORITYR  (GICR_SGI + 0x0400)
#define WAKER_SLEEP      (1u << 1)
#define WAKER_ASLEEP     (1u << 2)

#define ICC_SRE_EL1      "S3_0_C12_C12_5"
#define ICC_PMR_EL1      "S3_0_C4_C6_0"
#define ICC_BPR1_EL1     "S3_0_C12_C12_3"
#define ICC_IGRPEN1_EL1  "S3_0_C12_C12_7"
#define ICC_IAR1_EL1     "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1    "S3_0_C12_C12_1"
#define ICC_SGI1R_EL1    "S3_0_C12_C11_5"

#define GIC_PRIORITY_DEFAULT 0xa0a0a0a0u

static uintptr_t gicd, gicr_region, gicr;
static uint64_t gicr_region_size;

static int gicv3_map(const struct gic_config *cfg)
{
        gicd = arch_map_device(cfg->dist_pa, cfg->dist_size);
        gicr_region = arch_map_device(cfg->redist_pa, cfg->redist_size);
        gicr_region_size = cfg->redist_size;
        return (gicd && gicr_region) ? 0 : -1;
}

static void gicv3_wait_rwp(void)
{
        while (mmio_read32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
                ;
}

/* All SPIs group 1, disabled, default priority, routed to this core. */
static void gicv3_init_distributor(void)
{
        unsigned lines = 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);
        uint64_t mpidr = sysreg_read(mpidr_el1);
        uint64_t affinity = (mpidr & 0xffffffull) | ((mpidr >> 32) & 0xff) << 32;

        mmio_write32(gicd + GICD_CTLR, 0);
        gicv3_wait_rwp();
        for (unsigned i = GIC_SPI_BASE; i < lines; i += 32) {
                mmio_write32(gicd + GICD_ICENABLER + i / 8, 0xffffffffu);
                mmio_write32(gicd + GICD_IGROUPR + i / 8, 0xffffffffu);
        }
        for (unsigned i = GIC_SPI_BASE; i < lines; i += 4)
                mmio_write32(gicd + GICD_IPRIORITYR + i, GIC_PRIORITY_DEFAULT);
        for (unsigned i = GIC_SPI_BASE; i < lines; i++)
                mmio_write64(gicd + GICD_IROUTER + 8 * i, affinity);
        mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
        gicv3_wait_rwp();
}

static void gicv3_route(unsigned intid, unsigned cpu_index, uint64_t mpidr)
{
        (void)cpu_index;
        mmio_write64(gicd + GICD_IROUTER + 8 * intid,
                     (mpidr & 0xffffffull) | ((mpidr >> 32) & 0xff) << 32);
}

/* This core's redistributor: the frame whose affinity matches MPIDR_EL1. */
static uintptr_t gicv3_find_redistributor(void)
{
        uint64_t mpidr = sysreg_read(mpidr_el1);
        uint32_t aff = (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24);

        for (uint64_t off = 0; off + GICR_FRAME_SIZE <= gicr_region_size; off += GICR_FRAME_SIZE) {
                uint64_t typer = mmio_read64(gicr_region + off + GICR_TYPER);

                if ((uint32_t)(typer >> 32) == aff)
                        return gicr_region + off;
                if (typer & GICR_TYPER_LAST)
                        break;
        }
        return 0;
}

static int gicv3_init_cpu(void)
{
        gicr = gicv3_find_redistributor();
        if (!gicr)
                return -1;
        mmio_write32(gicr + GICR_WAKER, mmio_read32(gicr + GICR_WAKER) & ~WAKER_SLEEP);
        while (mmio_read32(gicr + GICR_WAKER) & WAKER_ASLEEP)
                ;
        mmio_write32(gicr + GICR_IGROUPR0, 0xffffffffu);
        for (unsigned i = 0; i < GIC_SPI_BASE; i += 4)
                mmio_write32(gicr + GICR_IPRIORITYR + i, GIC_PRIORITY_DEFAULT);
        sysreg_write_s(ICC_SRE_EL1, 7);
        isb();
        sysreg_write_s(ICC_PMR_EL1, 0xff);
        sysreg_write_s(ICC_BPR1_EL1, 0);
        sysreg_write_s(ICC_IGRPEN1_EL1, 1);
        isb();
        return 0;
}

static void gicv3_enable(unsigned intid)
{
        if (intid < GIC_SPI_BASE)
                mmio_write32(gicr + GICR_ISENABLER0, 1u << intid);
        else
                mmio_write32(gicd + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

/* Clearing an enable is only certain once the register-write-pending bit
 * of the frame written (distributor or redistributor) reads 0. */
static void gicv3_disable(unsigned intid)
{
        if (intid < GIC_SPI_BASE) {
                mmio_write32(gicr + GICR_ICENABLER0, 1u << intid);
                while (mmio_read32(gicr + GICR_CTLR) & GICR_CTLR_RWP)
                        ;
        } else {
                mmio_write32(gicd + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
                gicv3_wait_rwp();
        }
}

static unsigned gicv3_acknowledge(unsigned *token)
{
        *token = (unsigned)(sysreg_read_s(ICC_IAR1_EL1) & 0xffffff);
        return *token;
}

static void gicv3_end_of_interrupt(unsigned token)
{
        sysreg_write_s(ICC_EOIR1_EL1, token);
        isb();
}

/* ICC_SGI1R_EL1: Aff3 [55:48], Aff2 [39:32], Aff1 [23:16], INTID [27:24],
 * and Aff0 as a bit of the 16-bit target list [15:0] in the range RS [47:44]
 * of sixteen. */
static void gicv3_send_sgi(unsigned sgi, unsigned cpu_index, uint64_t mpidr)
{
        uint64_t aff0 = mpidr & 0xff;
        uint64_t v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
                     (aff0 >> 4) << 44 | ((mpidr >> 8) & 0xff) << 16 |
                     (uint64_t)(sgi & 0xf) << 24 | 1ull << (aff0 & 0xf);

        (void)cpu_index;
        sysreg_write_s(ICC_SGI1R_EL1, v);
        isb();
}

const struct gic_ops gicv3_ops = {
        .map = gicv3_map,
        .init_distributor = gicv3_init_distributor,
        .route = gicv3_route,
        .init_cpu = gicv3_init_cpu,
        .enable = gicv3_enable,
        .disable = gicv3_disable,
        .acknowledge = gicv3_acknowledge,
        .end_of_interrupt = gicv3_end_of_interrupt,
        .send_sgi = gicv3_send_sgi,
};
