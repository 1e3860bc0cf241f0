/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal interfaces of the boot-time partitioner. */
#ifndef PARTITIONER_H
#define PARTITIONER_H

#include <stdbool.h>
#include <stdint.h>

#define PARTITIONER_RESERVE 0x02000000ull   /* RAM start: DTB and this image */
#define KERNEL_REGION       0x00200000ull   /* each core's kernel: image and data */

void pprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void partitioner_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void jump_to_kernel(uint64_t entry, uint64_t boot_arg);

struct bootinfo;
struct plan;

struct program {
        const char *name;
        const uint8_t *start, *end;             /* the ELF image */
};
const struct program *program_find(const char *name);
const char *const *program_list(unsigned *count);
/* Per-core machine facts the partitioner finds itself (GICv3 redistributor). */
bool launch_prepare(struct bootinfo *bi);
void handoff_fill(const struct plan *p, unsigned index, const char *bootargs, bool ends_system,
                  struct bootinfo *bi);
/* Start every planned core; bi[self] is the CPU running the partitioner. */
_Noreturn void launch_system(const struct bootinfo *bi, unsigned count, unsigned self,
                             const uint8_t *image, uint64_t image_size);

extern const uint8_t _binary_kernel_kernel_bin_start[], _binary_kernel_kernel_bin_end[];
extern const uint8_t _binary_specs_default_spec_dtb_start[], _binary_specs_default_spec_dtb_end[];
extern const char __partitioner_end[];

#endif
