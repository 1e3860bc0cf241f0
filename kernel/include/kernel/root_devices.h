/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root task's caps to memory outside its partition: device untypeds for
 * its devices' MMIO and frames for its shared regions (root_devices.c).
 * root_task.c calls these while it fills the root CNode; each installs caps
 * from slot `next` on, describes them in the boot-info page and returns the
 * next free slot.
 */
#ifndef KERNEL_ROOT_DEVICES_H
#define KERNEL_ROOT_DEVICES_H

#include <kernel/cap.h>
#include <plat/plat.h>
#include <tessera/bootinfo.h>

/* Appends device untypeds to the untyped slot range, which must end at next. */
unsigned root_install_device_untyped(struct cte *slots, unsigned next, const struct plat_boot *b,
                                     struct tessera_bootinfo *info);
/* One 4 KiB frame cap per page of each shared region, and its shared[] entry. */
unsigned root_install_shared_frames(struct cte *slots, unsigned next, const struct plat_boot *b,
                                    struct tessera_bootinfo *info);

#endif
