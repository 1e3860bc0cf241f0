/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's virtual address map. Safe to include from assembly.
 *
 *   0xffff_ff80_0000_0000  kernel window: VA = KERNEL_VBASE + (PA - phys_base),
 *                          the image's 2 MiB block(s), as linked (TTBR1 L1[0])
 *   0xffff_ffc0_0000_0000  device window: VA = DEVICE_VBASE + PA for PA < 1 GiB,
 *                          Device-nGnRE, mapped on demand (TTBR1 L1[256])
 *   0xffff_ffa0_0000_0000  physical window: VA = PHYSMAP_VBASE + PA for this core's
 *                          own partition only (kernel region and user memory),
 *                          2 MiB blocks, never executable (TTBR1 L1[128..255]).
 *                          Kernel objects live here, so an object's virtual and
 *                          physical alignments agree.
 *   0xffff_fff0_0000_0000  shared window: the few 4 KiB pages of shared words
 *                          (console line lock, IPI inboxes), Normal memory (L1[448])
 *   0xffff_ffe0_0000_0000  boot-data window: read-only view of the boot argument
 *                          (device tree or boot info) while it is parsed (L1[384])
 *   0x0000_0000_0000_0000  user space (TTBR0); during early boot only an identity
 *   .. 0x0000_007f_ffff_ffff  map of the 1 GiB around the image, dropped at once.
 *
 * 39-bit virtual addresses, 4 KiB granule: three levels (L1 1 GiB, L2 2 MiB, L3 4 KiB).
 * The same bytes run on every core; only phys_base differs.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#ifdef __ASSEMBLER__
#define U64(x) x
#else
#define U64(x) x##ull
#endif

#define KERNEL_VBASE        U64(0xffffff8000000000)
#define KERNEL_WINDOW_L2S   1                  /* the image: one 2 MiB kernel region */
#define DEVICE_VBASE        U64(0xffffffc000000000)
#define DEVICE_WINDOW_SIZE  U64(0x40000000)    /* 1 GiB: one L2 table */
#define BOOTDATA_VBASE      U64(0xffffffe000000000)
#define BOOTDATA_SIZE       U64(0x40000000)
#define PHYSMAP_VBASE       U64(0xffffffa000000000)
#define PHYSMAP_SIZE        U64(0x2000000000)  /* 128 GiB of physical addresses */
#define PHYSMAP_L2S         8                  /* a partition spans at most 8 GiB slots */
#define SHARED_VBASE        U64(0xfffffff000000000)
#define SHARED_PAGES        512                /* one L3 table of 4 KiB pages */

#define PAGE_SIZE           0x1000
#define BLOCK_SIZE          0x200000           /* 2 MiB */
#define VA_BITS             39

#define KERNEL_STACK_SIZE   0x4000
#define TRAP_FRAME_SIZE     272                /* struct trap_frame, checked in trap.c */

/* MAIR_EL1 attribute indexes used in descriptors. */
#define MT_DEVICE_nGnRnE    0
#define MT_DEVICE_nGnRE     1
#define MT_NORMAL           2
#define MT_NORMAL_NC        3
#define MAIR_VALUE          0x44ff0400         /* attr3 NC, attr2 WB RA WA, attr1 nGnRE, attr0 nGnRnE */

/* Descriptor bits. */
#define DESC_VALID          (1 << 0)
#define DESC_TABLE          (3 << 0)
#define DESC_BLOCK          (1 << 0)
#define DESC_PAGE           (3 << 0)
#define DESC_ATTR(i)        ((i) << 2)
#define DESC_AP_RO          (U64(1) << 7)           /* AP[2]: read-only */
#define DESC_AP_EL0         (1 << 6)           /* AP[1]: EL0 access */
#define DESC_SH_INNER       (3 << 8)
#define DESC_AF             (1 << 10)
#define DESC_NG             (1 << 11)
#define DESC_PXN            (U64(1) << 53)
#define DESC_UXN            (U64(1) << 54)

#define BLOCK_KERNEL_RWX    (DESC_BLOCK | DESC_ATTR(MT_NORMAL) | DESC_SH_INNER | DESC_AF | DESC_UXN)

/* TCR_EL1: T0SZ = T1SZ = 25, 4 KiB granules, inner-shareable write-back walks.
 * IPS is filled in at boot from ID_AA64MMFR0_EL1. */
#define TCR_VALUE           ((64 - VA_BITS) | (1 << 8) | (1 << 10) | (3 << 12) | \
                             ((64 - VA_BITS) << 16) | (1 << 24) | (1 << 26) | (3 << 28) | \
                             (2 << 30))
#define TCR_EPD0            (1 << 7)

/* SCTLR_EL1: RES1 bits of v8.0, plus M, C, SA, SA0, I when the MMU is on. */
#define SCTLR_EL1_RES1      0x30d00800
#define SCTLR_EL1_MMU_ON    (SCTLR_EL1_RES1 | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 12))

#endif
