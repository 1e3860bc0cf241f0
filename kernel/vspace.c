/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * This core's ASID table and the teardown of mappings (vspace.h). Each core
 * runs its own kernel copy, so the static table here is per core, and so
 * are ASIDs: TLB maintenance never leaves this core.
 *
 * Why no dangling table or frame stays reachable from a live VSpace:
 *  - a frame cap's mapping is removed when that cap is deleted (every copy
 *    has its own), so the last cap's deletion leaves no entry that it made;
 *  - a page table is unlinked when its last cap goes, before its memory can
 *    return to the untyped; a table unlinked by PageTable Unmap is emptied,
 *    so mapping it again cannot revive old entries;
 *  - a walk that does not find the cap's entry (its ASID freed, a table on
 *    the path unmapped or destroyed) means the entry is unreachable already:
 *    a table is linked in at most one place, the one its cap records.
 * An entry is cleared only if it still points at the cap's own object, so a
 * stale cap never removes another object's mapping.
 */
#include <kernel/vspace.h>

/* PA of each ASID's level-0 table; 0: free. ASID 0 is never handed out. */
static uint64_t asid_roots[VSPACE_ASID_COUNT];
/* Next-fit: a freed ASID is handed out again as late as possible. */
static unsigned asid_next = VSPACE_ASID_ROOT + 1;

uint64_t vspace_asid_root(unsigned asid)
{
        return asid < VSPACE_ASID_COUNT ? asid_roots[asid] : 0;
}

unsigned vspace_asid_find_free(void)
{
        for (unsigned i = 0; i < VSPACE_ASID_COUNT - 1; i++) {
                unsigned asid = 1 + (asid_next - 1 + i) % (VSPACE_ASID_COUNT - 1);

                if (!asid_roots[asid])
                        return asid;
        }
        return VSPACE_ASID_NONE;
}

/* The TLB may still hold entries of the ASID's previous VSpace, filled by a
 * speculative walk after it was freed: flush before the new one uses it. */
void vspace_asid_bind(unsigned asid, uint64_t root_pa)
{
        asid_roots[asid] = root_pa;
        asid_next = asid % (VSPACE_ASID_COUNT - 1) + 1;
        arch_tlb_flush_asid(asid);
}

static void asid_free(unsigned asid, uint64_t root_pa)
{
        if (asid >= VSPACE_ASID_COUNT || asid_roots[asid] != root_pa)
                return;
        asid_roots[asid] = 0;
        arch_tlb_flush_asid(asid);
}

void vspace_frame_unlink(const struct cap *frame)
{
        unsigned asid = vspace_mapped_asid(frame), level = vspace_frame_level(frame);
        uint64_t root = vspace_asid_root(asid);
        struct arch_walk w;

        if (!root)
                return;
        arch_vspace_walk(root, frame->data, level, &w);
        if (w.level == level && w.kind == ARCH_ENTRY_LEAF && w.pa == vspace_cap_pa(frame)) {
                arch_vspace_clear_entry(&w);
                arch_tlb_flush_page(asid, frame->data);
        }
}

/* A whole subtree goes, so the whole ASID is flushed: one TLBI covers every
 * page and every cached walk under the table. */
void vspace_page_table_unlink(const struct cap *table)
{
        unsigned asid = vspace_mapped_asid(table), level = vspace_table_level(table);
        uint64_t root = vspace_asid_root(asid), pa = vspace_cap_pa(table);
        struct arch_walk w;

        if (root && level > 0) {
                arch_vspace_walk(root, table->data, level - 1, &w);
                if (w.level == level - 1 && w.kind == ARCH_ENTRY_TABLE && w.pa == pa) {
                        arch_vspace_clear_entry(&w);
                        arch_tlb_flush_asid(asid);
                }
        }
        arch_vspace_clear_table(pa);
}

/* Copies of a page table share its one mapping: it is removed with the
 * last of them (vspace_destroy), not here. */
void vspace_cap_removed(const struct cap *gone)
{
        if (gone->type == CAP_FRAME && (gone->flags & CAP_FLAG_MAPPED))
                vspace_frame_unlink(gone);
}

/* Idempotent: a page table already unlinked is not found again. A frame
 * has nothing left: its last cap's mapping went in vspace_cap_removed. */
void vspace_destroy(const struct cap *final)
{
        if (!(final->flags & CAP_FLAG_MAPPED))
                return;
        if (final->type == CAP_VSPACE)
                asid_free((unsigned)final->data, vspace_cap_pa(final));
        else if (final->type == CAP_PAGE_TABLE)
                vspace_page_table_unlink(final);
}
