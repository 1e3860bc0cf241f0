/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's own translation tables after head.S: the device window (MMIO,
 * mapped in 2 MiB blocks on demand) and the boot-data window (a read-only view
 * of the boot argument). head.S built the kernel window; this file links the
 * other two L1 slots and drops the boot identity map.
 */
#include <arch/arch.h>
#include <arch/layout.h>
#include <arch/sysreg.h>
#include "trap.h"

extern uint64_t kernel_l1[512], kernel_l2_device[512], kernel_l2_bootdata[512];
extern uint64_t kernel_l2_shared[512], kernel_l3_shared[SHARED_PAGES];
extern uint64_t kernel_l2_physmap[PHYSMAP_L2S][512];
extern const char _start[], __ro_end[], __kernel_end[];

#define L1_INDEX(va)    (((va) >> 30) & 0x1ff)
#define L2_INDEX(va)    (((va) >> 21) & 0x1ff)
#define BLOCK_DEVICE    (DESC_BLOCK | DESC_ATTR(MT_DEVICE_nGnRE) | DESC_AF | DESC_PXN | DESC_UXN)
#define PAGE_SHARED     (DESC_PAGE | DESC_ATTR(MT_NORMAL) | DESC_SH_INNER | DESC_AF | \
                         DESC_PXN | DESC_UXN)
#define BLOCK_KERNEL_DATA (DESC_BLOCK | DESC_ATTR(MT_NORMAL) | DESC_SH_INNER | DESC_AF | \
                           DESC_PXN | DESC_UXN)
#define BLOCK_BOOTDATA  (DESC_BLOCK | DESC_ATTR(MT_NORMAL) | DESC_SH_INNER | DESC_AF | \
                         DESC_AP_RO | DESC_PXN | DESC_UXN)

static uint64_t phys_base;
static unsigned shared_pages_used, physmap_l2s_used;

static uint64_t kernel_va_to_pa(const void *va)
{
        return (uint64_t)(uintptr_t)va - KERNEL_VBASE + phys_base;
}

/* A translation table of the kernel's own (in .bss) from its physical address. */
static uint64_t *arch_kernel_table(uint64_t pa)
{
        return (uint64_t *)(uintptr_t)(pa - phys_base + KERNEL_VBASE);
}

static void tlb_flush_all(void)
{
        dsb(ishst);
        __asm__ volatile("tlbi vmalle1" ::: "memory");
        dsb(ish);
        isb();
}

void arch_init_core(uint64_t base)
{
        phys_base = base;
        kernel_l1[L1_INDEX(DEVICE_VBASE)] = kernel_va_to_pa(kernel_l2_device) | DESC_TABLE;
        kernel_l1[L1_INDEX(BOOTDATA_VBASE)] = kernel_va_to_pa(kernel_l2_bootdata) | DESC_TABLE;
        kernel_l1[L1_INDEX(SHARED_VBASE)] = kernel_va_to_pa(kernel_l2_shared) | DESC_TABLE;
        kernel_l2_shared[0] = kernel_va_to_pa(kernel_l3_shared) | DESC_TABLE;
        /* No user space yet: TTBR0 walks are disabled until a VSpace is installed. */
        sysreg_write(tcr_el1, sysreg_read(tcr_el1) | TCR_EPD0);
        sysreg_write(ttbr0_el1, 0);
        tlb_flush_all();
        fpu_init_core();        /* the first EL0 FP/SIMD use traps (lazy switching) */
}

uint64_t arch_phys_base(void)
{
        return phys_base;
}

const void *arch_image_start(void)
{
        return _start;
}

size_t arch_image_ro_size(void)
{
        return (size_t)(__ro_end - _start);
}

size_t arch_image_total_size(void)
{
        return (size_t)(__kernel_end - _start);
}

uintptr_t arch_map_device(uint64_t pa, uint64_t size)
{
        if (size == 0 || pa >= DEVICE_WINDOW_SIZE || size > DEVICE_WINDOW_SIZE - pa)
                return 0;
        for (uint64_t b = pa & ~(uint64_t)(BLOCK_SIZE - 1); b < pa + size; b += BLOCK_SIZE)
                kernel_l2_device[L2_INDEX(b)] = b | BLOCK_DEVICE;
        dsb(ishst);
        isb();
        return (uintptr_t)(DEVICE_VBASE + pa);
}

/* Replaces whatever the window showed before: one boot argument at a time. */
const void *arch_map_boot_data(uint64_t pa, uint64_t size)
{
        uint64_t first = pa & ~(uint64_t)(BLOCK_SIZE - 1);

        if (size == 0 || pa + size < pa || pa + size - first > BOOTDATA_SIZE)
                return NULL;
        for (unsigned i = 0; i < 512; i++)
                kernel_l2_bootdata[i] = 0;
        for (uint64_t b = first; b < pa + size; b += BLOCK_SIZE)
                kernel_l2_bootdata[L2_INDEX(b - first)] = b | BLOCK_BOOTDATA;
        tlb_flush_all();
        return (const void *)(uintptr_t)(BOOTDATA_VBASE + (pa - first));
}

/* Shared words live outside the partition; each page is mapped once, on its own. */
volatile void *arch_map_shared_page(uint64_t pa)
{
        if ((pa & (PAGE_SIZE - 1)) || shared_pages_used >= SHARED_PAGES)
                return NULL;
        kernel_l3_shared[shared_pages_used] = pa | PAGE_SHARED;
        dsb(ishst);
        isb();
        return (volatile void *)(uintptr_t)(SHARED_VBASE + PAGE_SIZE * shared_pages_used++);
}

void *arch_pa_to_kva(uint64_t pa)
{
        return (void *)(uintptr_t)(PHYSMAP_VBASE + pa);
}

uint64_t arch_physical_window_limit(void)
{
        return PHYSMAP_SIZE;
}

uint64_t arch_kva_to_pa(const void *kva)
{
        uint64_t va = (uint64_t)(uintptr_t)kva;

        if (va >= PHYSMAP_VBASE && va - PHYSMAP_VBASE < PHYSMAP_SIZE)
                return va - PHYSMAP_VBASE;
        return kernel_va_to_pa(kva);
}

/* The L2 table behind an L1 slot of the physical window, taken from the
 * static pool the first time the slot is used. */
static uint64_t *physmap_l2(uint64_t va)
{
        uint64_t *l1 = &kernel_l1[L1_INDEX(va)];

        if (!(*l1 & DESC_VALID)) {
                if (physmap_l2s_used == PHYSMAP_L2S)
                        return NULL;
                *l1 = kernel_va_to_pa(kernel_l2_physmap[physmap_l2s_used++]) | DESC_TABLE;
        }
        return arch_kernel_table((*l1 & 0x0000fffffffff000ull));
}

/* Part of this core's partition in the physical window: data, never code. */
static uint64_t mapped_base, mapped_end;      /* the partition, once mapped */

int arch_map_physical(uint64_t pa, uint64_t size)
{
        if ((pa | size) & (BLOCK_SIZE - 1) || size == 0 || pa >= PHYSMAP_SIZE ||
            size > PHYSMAP_SIZE - pa)
                return -1;
        for (uint64_t b = pa; b < pa + size; b += BLOCK_SIZE) {
                uint64_t *l2 = physmap_l2(PHYSMAP_VBASE + b);

                if (!l2)
                        return -1;
                l2[L2_INDEX(PHYSMAP_VBASE + b)] = b | BLOCK_KERNEL_DATA;
        }
        dsb(ishst);
        isb();
        mapped_base = pa;
        mapped_end = pa + size;
        return 0;
}

/* New code written through the data side must reach the instruction side:
 * clean each line to the point of unification, then invalidate this core's
 * instruction cache (each core runs its own threads). Memory outside the
 * partition (shared regions, devices) has no window mapping: only the
 * instruction cache is invalidated for it. */
void arch_sync_icache(const void *kva, uint64_t size)
{
        uint64_t va = (uint64_t)(uintptr_t)kva, pa = va - PHYSMAP_VBASE;
        uint64_t line = 4ull << ((sysreg_read(ctr_el0) >> 16) & 0xf);

        if (va >= PHYSMAP_VBASE && pa >= mapped_base && pa < mapped_end && size <= mapped_end - pa)
                for (uint64_t a = va & ~(line - 1); a < va + size; a += line)
                        __asm__ volatile("dc cvau, %0" :: "r"(a) : "memory");
        dsb(nsh);
        __asm__ volatile("ic iallu" ::: "memory");
        dsb(nsh);
        isb();
}

void arch_publish(volatile uint64_t *word, uint64_t value)
{
        *word = value;
        dsb(ish);
        __asm__ volatile("dc cvac, %0" :: "r"(word) : "memory");
        dsb(sy);
        __asm__ volatile("sev" ::: "memory");
}
