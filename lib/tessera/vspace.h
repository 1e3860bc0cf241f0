/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VSpace invocations for user programs: mapping frames and page tables into
 * an address space, and giving a new address space an ASID. Each wraps one
 * Call with the layout of include/tessera/invocations.h and returns the
 * kernel's status (enum tessera_error, 0 on success); docs/api.md lists
 * every error.
 */
#ifndef LIB_TESSERA_VSPACE_H
#define LIB_TESSERA_VSPACE_H

#include <stdint.h>

/* Map a frame at vaddr (aligned to its size) in the VSpace, with rights
 * (TESSERA_RIGHT_READ / _WRITE, masked by the frame cap's) and attributes
 * (TESSERA_FRAME_*). The page tables on the way must be mapped already. */
int tessera_frame_map(uint64_t frame, uint64_t vspace, uint64_t vaddr, unsigned rights,
                      unsigned attrs);
int tessera_frame_unmap(uint64_t frame);
/* The frame's physical address in *paddr (left alone on an error). */
int tessera_frame_get_address(uint64_t frame, uint64_t *paddr);
/* Map a page table at the first level on vaddr's path that has none. */
int tessera_page_table_map(uint64_t table, uint64_t vspace, uint64_t vaddr);
int tessera_page_table_unmap(uint64_t table);
/* Give a VSpace an ASID (asid_control: the ASID control cap). */
int tessera_asid_assign(uint64_t asid_control, uint64_t vspace);

#endif
