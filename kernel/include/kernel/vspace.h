/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VSpace objects: address spaces (level-0 tables), page tables, frames and
 * this core's ASID table. The invocations are in vspace_invoke.c; the ASID
 * table, tearing mappings down and the object hooks in vspace.c. Every
 * descriptor is written by the arch layer (arch.h, "User address spaces").
 *
 * Mapping state lives in the caps (cap.h):
 *   VSpace      CAP_FLAG_MAPPED once it has an ASID; data = the ASID
 *   frame       CAP_FLAG_MAPPED, data = vaddr, aux = ASID; each cap (copies
 *               included) has its own mapping, so a copy starts unmapped
 *   page table  CAP_FLAG_MAPPED, data = vaddr (aligned to the span the table
 *               covers), aux = ASID | level << 16 (level 1..3); copies exist
 *               only once mapped and share the one mapping
 * A mapping is found again through the ASID table, never through a pointer
 * kept in the cap: an ASID whose VSpace is gone finds nothing, and a walk
 * only removes an entry that still points at the cap's own object.
 */
#ifndef KERNEL_VSPACE_H
#define KERNEL_VSPACE_H

#include <stdint.h>
#include <arch/arch.h>
#include <kernel/cap.h>
#include <tessera/objects.h>

#define VSPACE_ASID_COUNT 256           /* 8-bit ASIDs (TCR_EL1.AS = 0) */
#define VSPACE_ASID_NONE  0             /* never a VSpace's */
#define VSPACE_ASID_ROOT  1             /* the root task's, registered at boot */
#define VSPACE_PT_LEVEL_SHIFT 16        /* page table caps: aux = ASID | level << 16 */

/* Physical address of a frame's, page table's or VSpace's memory. */
static inline uint64_t vspace_cap_pa(const struct cap *c)
{
        return arch_kva_to_pa((const void *)(uintptr_t)c->object);
}

/* The ASID a mapped frame or page table cap was mapped with. */
static inline unsigned vspace_mapped_asid(const struct cap *c)
{
        return (unsigned)(c->aux & 0xffff);
}

static inline unsigned vspace_table_level(const struct cap *c)
{
        return (unsigned)(c->aux >> VSPACE_PT_LEVEL_SHIFT) & 0xff;
}

/* The level of the table whose entries map a frame of this size. */
static inline unsigned vspace_frame_level(const struct cap *frame)
{
        return frame->size_bits == TESSERA_FRAME_2M_BITS ? ARCH_BLOCK_LEVEL : ARCH_PAGE_LEVEL;
}

/* This core's ASID table. */
uint64_t vspace_asid_root(unsigned asid);       /* PA of its level-0 table, 0 if free */
unsigned vspace_asid_find_free(void);           /* VSPACE_ASID_NONE when all are taken */
/* Bind a free ASID to a level-0 table (AssignASID, and the root task at boot). */
void vspace_asid_bind(unsigned asid, uint64_t root_pa);

/* Remove a frame cap's or page table cap's mapping if it is still there
 * (the cap's state is left to the caller). A page table is emptied too. */
void vspace_frame_unlink(const struct cap *frame);
void vspace_page_table_unlink(const struct cap *table);

/* A frame or page-table cap is being deleted: remove its mapping, if any. */
void vspace_cap_removed(const struct cap *gone);
/* The last cap to a VSpace, page table or frame is going. */
void vspace_destroy(const struct cap *final);

#endif
