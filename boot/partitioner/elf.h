/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Placing a user program's ELF image in a core's user memory, so its kernel
 * only has to map pages: elf_plan() checks the ELF and computes where every
 * loadable segment goes (pure, tested on the host); elf_load() copies.
 */
#ifndef PARTITIONER_ELF_H
#define PARTITIONER_ELF_H

#include <stdint.h>
#include <multikernel/bootinfo.h>

struct elf_layout {
        uint64_t entry;
        uint64_t end;                           /* first byte after the placed image */
        unsigned count;
        struct bootinfo_segment segments[BOOTINFO_MAX_SEGMENTS];
        uint64_t file_offset[BOOTINFO_MAX_SEGMENTS], file_size[BOOTINFO_MAX_SEGMENTS];
        uint64_t page_offset[BOOTINFO_MAX_SEGMENTS];
};

/* NULL on success, else what is wrong with the image or why it does not fit
 * in [dest, dest + room). */
const char *elf_plan(const uint8_t *elf, uint64_t size, uint64_t dest, uint64_t room,
                     struct elf_layout *out);
/* Copy the planned segments (physical addresses; the MMU is off). */
void elf_load(const uint8_t *elf, const struct elf_layout *layout);

#endif
