/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User address spaces: 48-bit virtual addresses through four levels of 4 KiB
 * tables (L0..L3), walked through the kernel window. Tables come from the
 * caller's allocator, so this file never decides where memory comes from.
 * A user mapping is never kernel-executable (PXN) and is not global (nG), so
 * TLB entries are tagged with the address space's ASID.
 */
#include <arch/arch.h>
#include <arch/layout.h>
#include <arch/sysreg.h>

#define USER_VA_BITS    48
#define ENTRY_ADDR_MASK 0x0000fffffffff000ull
#define TTBR_ASID_SHIFT 48
#define TCR_T0SZ_MASK   0x3full

static uint64_t *table_entry(uint64_t table_pa, uint64_t vaddr, unsigned level)
{
        uint64_t *table = arch_pa_to_kva(table_pa);

        return &table[(vaddr >> (39 - 9 * level)) & 0x1ff];
}

static uint64_t page_descriptor(uint64_t pa, unsigned rights)
{
        uint64_t d = pa | DESC_PAGE | DESC_ATTR(MT_NORMAL) | DESC_SH_INNER | DESC_AF | DESC_NG |
                     DESC_AP_EL0 | DESC_PXN;

        if (!(rights & ARCH_MAP_WRITE))
                d |= DESC_AP_RO;
        if (!(rights & ARCH_MAP_EXECUTE))
                d |= DESC_UXN;
        return d;
}

/* 0 on success; -1 if the address is not a user page address, -2 if something
 * is already mapped there, -3 if a table could not be allocated. */
int arch_vspace_map_page(uint64_t root_pa, uint64_t vaddr, uint64_t pa, unsigned rights,
                         arch_table_alloc_fn alloc, void *cookie)
{
        uint64_t table = root_pa;

        if ((vaddr | pa) & (PAGE_SIZE - 1) || vaddr >> USER_VA_BITS)
                return -1;
        for (unsigned level = 0; level < 3; level++) {
                uint64_t *e = table_entry(table, vaddr, level);

                if (!(*e & DESC_VALID)) {
                        uint64_t fresh = alloc(cookie);

                        if (!fresh)
                                return -3;
                        *e = fresh | DESC_TABLE;
                }
                table = *e & ENTRY_ADDR_MASK;
        }
        uint64_t *leaf = table_entry(table, vaddr, 3);

        if (*leaf & DESC_VALID)
                return -2;
        *leaf = page_descriptor(pa, rights);
        dsb(ishst);
        return 0;
}

void arch_vspace_activate(uint64_t root_pa, unsigned asid)
{
        uint64_t tcr = sysreg_read(tcr_el1);

        tcr = (tcr & ~(TCR_T0SZ_MASK | TCR_EPD0)) | (64 - USER_VA_BITS);
        sysreg_write(tcr_el1, tcr);
        sysreg_write(ttbr0_el1, root_pa | (uint64_t)asid << TTBR_ASID_SHIFT);
        isb();
}
