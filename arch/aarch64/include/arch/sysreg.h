/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System-register access and barriers for AArch64. Only arch/aarch64/ includes
 * this header; generic code goes through arch.h.
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

#define sysreg_read(reg) ({                                     \
        uint64_t v_;                                            \
        __asm__ volatile("mrs %0, " #reg : "=r"(v_));           \
        v_; })

#define sysreg_write(reg, val)                                  \
        __asm__ volatile("msr " #reg ", %0" :: "r"((uint64_t)(val)) : "memory")

/* Registers that older assemblers only know by their encoding. */
#define sysreg_read_s(enc) ({                                   \
        uint64_t v_;                                            \
        __asm__ volatile("mrs %0, " enc : "=r"(v_));            \
        v_; })
#define sysreg_write_s(enc, val)                                \
        __asm__ volatile("msr " enc ", %0" :: "r"((uint64_t)(val)) : "memory")

#define isb()     __asm__ volatile("isb" ::: "memory")
#define dsb(opt)  __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt)  __asm__ volatile("dmb " #opt ::: "memory")

static inline uint32_t mmio_read32(uintptr_t addr)
{
        return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t val)
{
        *(volatile uint32_t *)addr = val;
}

static inline uint64_t mmio_read64(uintptr_t addr)
{
        return *(volatile uint64_t *)addr;
}

static inline void mmio_write64(uintptr_t addr, uint64_t val)
{
        *(volatile uint64_t *)addr = val;
}

#endif
