/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User address spaces: 48-bit virtual addresses through four levels of 4 KiB
 * tables (L0..L3), walked through the kernel window. This file owns every
 * descriptor and every TLB instruction for user space; generic code sees a
 * walk's result (struct arch_walk) and asks for entries to be written or
 * cleared. Tables come from the caller, so this file never decides where
 * memory comes from. A user mapping is never kernel-executable (PXN) and is
 * not global (nG), so TLB entries are tagged with the address space's ASID.
 *
 * Entries only ever go from invalid to valid or back (never valid to other
 * valid), so no break-before-make sequence is needed; a new entry needs only
 * its store to be visible to the walker before the return to EL0 (an eret
 * is context synchronizing). Each core runs its own kernel with its own
 * ASIDs, so TLB maintenance is local: the non-shareable TLBI forms and
 * DSB NSH, never the inner-shareable broadcasts.
 */
#include <arch/arch.h>
#include <arch/layout.h>
#include <arch/sysreg.h>

#define ENTRY_ADDR_MASK 0x0000fffffffff000ull
#define ENTRIES         512
#define TTBR_ASID_SHIFT 48
#define TLBI_ASID_SHIFT 48
#define TCR_T0SZ_MASK   0x3full

_Static_assert(ARCH_USER_VA_BITS == 48, "four levels of 4 KiB tables translate 48 bits");

static uint64_t *table_entry(uint64_t table_pa, uint64_t vaddr, unsigned level)
{
        uint64_t *table = arch_pa_to_kva(table_pa);

        return &table[(vaddr >> arch_vspace_entry_bits(level)) & (ENTRIES - 1)];
}

/* Memory type, shareability and execute-never bits for a leaf. */
static uint64_t leaf_attributes(unsigned attrs)
{
        uint64_t d = DESC_AF | DESC_NG | DESC_AP_EL0 | DESC_PXN;

        if (attrs & ARCH_MAP_DEVICE)
                d |= DESC_ATTR(MT_DEVICE_nGnRE) | DESC_UXN;     /* never executable */
        else if (attrs & ARCH_MAP_UNCACHED)
                d |= DESC_ATTR(MT_NORMAL_NC) | DESC_SH_INNER;
        else
                d |= DESC_ATTR(MT_NORMAL) | DESC_SH_INNER;
        if (!(attrs & ARCH_MAP_WRITE))
                d |= DESC_AP_RO;
        if (!(attrs & ARCH_MAP_EXECUTE))
                d |= DESC_UXN;
        return d;
}

static void entry_write(uint64_t *e, uint64_t value)
{
        *(volatile uint64_t *)e = value;
        dsb(ishst);
}

/* 0 on success; -1 if the address is not a user page address, -2 if something
 * is already mapped there, -3 if a table could not be allocated. */
int arch_vspace_map_page(uint64_t root_pa, uint64_t vaddr, uint64_t pa, unsigned rights,
                         arch_table_alloc_fn alloc, void *cookie)
{
        uint64_t table = root_pa;

        if ((vaddr | pa) & (PAGE_SIZE - 1) || vaddr >> ARCH_USER_VA_BITS)
                return -1;
        for (unsigned level = 0; level < ARCH_PAGE_LEVEL; level++) {
                uint64_t *e = table_entry(table, vaddr, level);

                if (!(*e & DESC_VALID)) {
                        uint64_t fresh = alloc(cookie);

                        if (!fresh)
                                return -3;
                        entry_write(e, fresh | DESC_TABLE);
                }
                table = *e & ENTRY_ADDR_MASK;
        }
        uint64_t *leaf = table_entry(table, vaddr, ARCH_PAGE_LEVEL);

        if (*leaf & DESC_VALID)
                return -2;
        entry_write(leaf, pa | DESC_PAGE | leaf_attributes(rights));
        return 0;
}

static enum arch_entry_kind entry_kind(uint64_t e, unsigned level)
{
        if (!(e & DESC_VALID))
                return ARCH_ENTRY_EMPTY;
        if (level < ARCH_PAGE_LEVEL && (e & DESC_TABLE) == DESC_TABLE)
                return ARCH_ENTRY_TABLE;
        return ARCH_ENTRY_LEAF;
}

void arch_vspace_walk(uint64_t root_pa, uint64_t vaddr, unsigned level, struct arch_walk *w)
{
        uint64_t table = root_pa;

        for (unsigned l = 0;; l++) {
                uint64_t *e = table_entry(table, vaddr, l);

                w->entry = e;
                w->level = l;
                w->kind = entry_kind(*e, l);
                w->pa = *e & ENTRY_ADDR_MASK;
                if (l >= level || w->kind != ARCH_ENTRY_TABLE)
                        return;
                table = w->pa;
        }
}

void arch_vspace_set_leaf(const struct arch_walk *w, uint64_t pa, unsigned attrs)
{
        uint64_t type = w->level == ARCH_PAGE_LEVEL ? DESC_PAGE : DESC_BLOCK;

        entry_write(w->entry, pa | type | leaf_attributes(attrs));
}

void arch_vspace_set_table(const struct arch_walk *w, uint64_t table_pa)
{
        entry_write(w->entry, table_pa | DESC_TABLE);
}

void arch_vspace_clear_entry(const struct arch_walk *w)
{
        *(volatile uint64_t *)w->entry = 0;
        dsb(nshst);     /* the store reaches this core's walker before the TLBI */
}

void arch_vspace_clear_table(uint64_t table_pa)
{
        volatile uint64_t *table = arch_pa_to_kva(table_pa);

        for (unsigned i = 0; i < ENTRIES; i++)
                table[i] = 0;
        dsb(ishst);
}

void arch_tlb_flush_page(unsigned asid, uint64_t vaddr)
{
        uint64_t op = (uint64_t)asid << TLBI_ASID_SHIFT | (vaddr >> 12 & ((1ull << 44) - 1));

        dsb(nshst);
        __asm__ volatile("tlbi vae1, %0" :: "r"(op) : "memory");
        dsb(nsh);
        isb();
}

void arch_tlb_flush_asid(unsigned asid)
{
        dsb(nshst);
        __asm__ volatile("tlbi aside1, %0" :: "r"((uint64_t)asid << TLBI_ASID_SHIFT) : "memory");
        dsb(nsh);
        isb();
}

/* Whether TCR_EL1 has TTBR0 walks on for user space (T0SZ for 48 bits,
 * EPD0 clear); arch_init_core leaves them off. Switching between two
 * address spaces then writes TTBR0 alone. */
static bool user_walks_on;

void arch_vspace_activate(const void *root, unsigned asid)
{
        uint64_t root_pa = (uint64_t)(uintptr_t)root - PHYSMAP_VBASE;

        if (!user_walks_on) {
                uint64_t tcr = sysreg_read(tcr_el1);

                tcr = (tcr & ~(TCR_T0SZ_MASK | TCR_EPD0)) | (64 - ARCH_USER_VA_BITS);
                sysreg_write(tcr_el1, tcr);
                user_walks_on = true;
        }
        sysreg_write(ttbr0_el1, root_pa | (uint64_t)asid << TTBR_ASID_SHIFT);
        isb();
}

void arch_vspace_deactivate(void)
{
        sysreg_write(ttbr0_el1, 0);
        sysreg_write(tcr_el1, sysreg_read(tcr_el1) | TCR_EPD0);
        isb();
        user_walks_on = false;
}
