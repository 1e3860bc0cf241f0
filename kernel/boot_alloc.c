/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot allocator: zeroed, aligned memory from the start of this core's
 * user memory (after the root image) for the objects the kernel creates before
 * the root task runs. Everything above the watermark becomes the root task's
 * untyped memory.
 */
#include <arch/arch.h>
#include <kernel/string.h>
#include <kernel/thread.h>

static uint64_t next, limit;

void boot_alloc_init(uint64_t base, uint64_t end)
{
        next = base;
        limit = end;
}

/* PA of `bytes` zeroed bytes aligned to `align` (a power of two), or 0. */
uint64_t boot_alloc(uint64_t bytes, uint64_t align)
{
        uint64_t at = (next + align - 1) & ~(align - 1);

        if (at < next || at > limit || bytes > limit - at)
                return 0;
        memset(arch_pa_to_kva(at), 0, bytes);
        next = at + bytes;
        return at;
}

uint64_t boot_alloc_used_end(void)
{
        return next;
}
