/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot-time partitioner (single-kernel form): reads the machine's device
 * tree, chooses the physical base for the one kernel image it carries (RAM +
 * 32 MiB, or `tessera.base=ADDR` from the command line, which the system tests
 * use to prove the image runs at any 2 MiB-aligned base), copies it there and
 * enters it with x0 = the device tree's address.
 */
#include <stdarg.h>
#include <arch/semihost.h>
#include <fdt.h>
#include <kernel/string.h>
#include <plat/board.h>
#include "partitioner.h"

#define PARTITIONER_FAIL_STATUS 2

void partitioner_main(void);

_Noreturn void partitioner_fail(const char *fmt, ...)
{
        char line[200];
        va_list ap;

        va_start(ap, fmt);
        kvsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        pprintf("partitioner: error: %s\n", line);
        semihost_exit(PARTITIONER_FAIL_STATUS);
        for (;;)
                __asm__ volatile("wfe");
}

/* The value of `key=` in the command line, or NULL. */
static const char *bootarg_value(const char *args, const char *key, size_t *len)
{
        size_t klen = kstrlen(key);

        for (const char *p = args; p && *p; ) {
                size_t n = 0;

                while (*p == ' ')
                        p++;
                while (p[n] && p[n] != ' ')
                        n++;
                if (n > klen && kstrncmp(p, key, klen) == 0 && p[klen] == '=') {
                        *len = n - klen - 1;
                        return p + klen + 1;
                }
                p += n;
        }
        return NULL;
}

static uint64_t choose_base(const struct fdt *fdt, uint64_t ram_base, uint64_t ram_size,
                            uint64_t image_size)
{
        int chosen = fdt_path(fdt, "/chosen");
        const char *args = chosen >= 0 ? fdt_prop_string(fdt, chosen, "bootargs", 0) : NULL;
        size_t len = 0;
        const char *v = bootarg_value(args, "tessera.base", &len);
        uint64_t base = ram_base + PARTITIONER_RESERVE;

        if (v && kparse_u64(v, len, &base) != 0)
                partitioner_fail("tessera.base: '%.*s' is not a number", (int)len, v);
        if (base & (KERNEL_REGION - 1))
                partitioner_fail("kernel base 0x%llx is not 2 MiB aligned", (unsigned long long)base);
        if (base < (uint64_t)(uintptr_t)__partitioner_end || base < ram_base ||
            base + KERNEL_REGION > ram_base + ram_size || image_size > KERNEL_REGION)
                partitioner_fail("kernel region 0x%llx-0x%llx is not free RAM (RAM 0x%llx-0x%llx, partitioner ends at 0x%llx)",
                                 (unsigned long long)base, (unsigned long long)(base + KERNEL_REGION),
                                 (unsigned long long)ram_base, (unsigned long long)(ram_base + ram_size),
                                 (unsigned long long)(uintptr_t)__partitioner_end);
        return base;
}

void partitioner_main(void)
{
        const void *dtb = (const void *)(uintptr_t)BOARD_DTB_PA;
        const uint8_t *image = _binary_kernel_kernel_bin_start;
        uint64_t size = (uint64_t)(_binary_kernel_kernel_bin_end - image);
        uint64_t ram_base, ram_size, base;
        struct fdt fdt;
        int memory, status;

        status = fdt_init(&fdt, dtb, BOARD_DTB_MAX);
        if (status != FDT_OK)
                partitioner_fail("machine device tree at 0x%llx: %s",
                                 (unsigned long long)BOARD_DTB_PA, fdt_strerror(status));
        memory = fdt_subnode(&fdt, fdt_root(&fdt), "memory");
        if (memory < 0 || fdt_reg(&fdt, memory, 0, &ram_base, &ram_size) != FDT_OK)
                partitioner_fail("machine device tree has no usable /memory node");
        base = choose_base(&fdt, ram_base, ram_size, size);
        pprintf("partitioner: kernel image %llu bytes -> 0x%llx\n",
                (unsigned long long)size, (unsigned long long)base);
        memcpy((void *)(uintptr_t)base, image, size);
        jump_to_kernel(base, BOARD_DTB_PA);
}
