/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * QEMU `virt` as a handful of constants (NOVA-style): where RAM starts, where
 * QEMU leaves the device tree, and fallbacks for the devices the kernel needs
 * before the device tree is read. Everything else comes from the device tree
 * or the boot info. Used by plat/ and by the partitioner, never by kernel/.
 */
#ifndef PLAT_BOARD_H
#define PLAT_BOARD_H

#define BOARD_RAM_BASE        0x40000000ull  /* RAM starts here; size from -m */
#define BOARD_DTB_PA          BOARD_RAM_BASE /* QEMU puts the DTB at RAM start for an ELF -kernel */
#define BOARD_DTB_MAX         0x00100000ull  /* QEMU's DTB is well under 1 MiB */
#define BOARD_SPEC_PA         0x41000000ull  /* a spec loaded with --spec (tools/tessera_qemu.py) */
#define BOARD_SPEC_MAX        0x00100000ull
#define BOARD_UART_PA         0x09000000ull  /* PL011 */
#define BOARD_UART_INTID      33u
#define BOARD_MMIO_LIMIT      0x40000000ull  /* all of virt's low MMIO sits below RAM */
#define BOARD_TIMER_PPI_INTID 30u            /* EL1 physical timer, PPI 14 */

#endif
