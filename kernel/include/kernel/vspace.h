/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VSpace objects: address spaces (level-0 tables), page tables, frames and
 * this core's ASID table. (Stub: being written.)
 */
#ifndef KERNEL_VSPACE_H
#define KERNEL_VSPACE_H

#include <kernel/cap.h>

/* A frame or page-table cap is being deleted: remove its mapping, if any. */
void vspace_cap_removed(const struct cap *gone);
/* The last cap to a VSpace, page table or frame is going. */
void vspace_destroy(const struct cap *final);

#endif
