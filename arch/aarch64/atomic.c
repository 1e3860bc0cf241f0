/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Atomic OR and swap on words another kernel shares: the IPI inbox words
 * (ipi/port.c), the only memory two kernels write. Both come in two forms:
 * the load/store-exclusive loop every ARMv8.0 core has, and the single
 * ARMv8.1 LSE instruction (LDSETAL, SWPAL). The kernel is built with
 * -mno-outline-atomics, so nothing calls a helper behind our back; the form
 * is picked once at boot from ID_AA64ISAR0_EL1.Atomic, and
 * `tessera.atomics=llsc` keeps the loop on a CPU that has LSE, so tests run
 * both on one QEMU. Each form has acquire and release semantics: the OR is
 * ordered before the SGI that follows it (arch_ipi_send adds a DSB), and
 * whatever the receiver does with the swapped value after it.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>

#define ISAR0_ATOMIC_SHIFT 20
#define ISAR0_ATOMIC_LSE   2u

static bool use_lse;

bool arch_atomics_init(bool allow_lse)
{
        uint64_t isar0 = sysreg_read(id_aa64isar0_el1);

        use_lse = allow_lse && ((isar0 >> ISAR0_ATOMIC_SHIFT) & 0xf) >= ISAR0_ATOMIC_LSE;
        return use_lse;
}

static void or_llsc(volatile uint64_t *word, uint64_t bits)
{
        uint64_t old, new;
        uint32_t failed;

        __asm__ volatile("1:     ldaxr   %0, %3\n"
                         "       orr     %1, %0, %4\n"
                         "       stlxr   %w2, %1, %3\n"
                         "       cbnz    %w2, 1b\n"
                         : "=&r"(old), "=&r"(new), "=&r"(failed), "+Q"(*word)
                         : "r"(bits)
                         : "memory");
}

static uint64_t swap_llsc(volatile uint64_t *word, uint64_t value)
{
        uint64_t old;
        uint32_t failed;

        __asm__ volatile("1:     ldaxr   %0, %2\n"
                         "       stlxr   %w1, %3, %2\n"
                         "       cbnz    %w1, 1b\n"
                         : "=&r"(old), "=&r"(failed), "+Q"(*word)
                         : "r"(value)
                         : "memory");
        return old;
}

static void or_lse(volatile uint64_t *word, uint64_t bits)
{
        uint64_t old;

        __asm__ volatile(".arch_extension lse\n"
                         "       ldsetal %1, %0, %2\n"
                         : "=r"(old)
                         : "r"(bits), "Q"(*word)
                         : "memory");
}

static uint64_t swap_lse(volatile uint64_t *word, uint64_t value)
{
        uint64_t old;

        __asm__ volatile(".arch_extension lse\n"
                         "       swpal   %1, %0, %2\n"
                         : "=r"(old)
                         : "r"(value), "Q"(*word)
                         : "memory");
        return old;
}

void arch_shared_or(volatile uint64_t *word, uint64_t bits)
{
        if (use_lse)
                or_lse(word, bits);
        else
                or_llsc(word, bits);
}

uint64_t arch_shared_swap(volatile uint64_t *word, uint64_t value)
{
        return use_lse ? swap_lse(word, value) : swap_llsc(word, value);
}
