/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FP/SIMD unit for EL0 threads: whether EL0 may use it (CPACR_EL1.FPEN)
 * and moving its registers to and from a TCB. Which thread's registers are
 * live is generic policy (kernel/fpu.c); this file only does what it is told.
 *
 * The kernel is built -mgeneral-regs-only, so the compiler never touches
 * these registers; the assembler still accepts them, which is all the save
 * and restore below need. FPEN never traps EL1, so they can always run.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>
#include "trap.h"

/* CPACR_EL1.FPEN (bits 21:20). This file owns CPACR_EL1: its other fields
 * stay 0, which keeps SVE and SME trapped (we save no state of theirs). */
#define CPACR_FPEN_TRAP_EL0 (1ull << 20)        /* EL0 traps (EC 0x07), EL1 may use it */
#define CPACR_FPEN_NO_TRAP  (3ull << 20)

_Static_assert(sizeof(struct arch_fpu_state) == 32 * 16 + 16, "V0-V31, FPSR, FPCR");
_Static_assert(__builtin_offsetof(struct arch_fpu_state, fpsr) == 512, "FPSR after the V registers");

/* What CPACR_EL1.FPEN holds on this core, so an unchanged setting costs no
 * system-register write (every return to user asks for one). */
bool arch_fpu_el0_allowed;

static void fpen_write(bool allowed)
{
        sysreg_write(cpacr_el1, allowed ? CPACR_FPEN_NO_TRAP : CPACR_FPEN_TRAP_EL0);
        isb();
        arch_fpu_el0_allowed = allowed;
}

/* Until some thread owns the registers, every EL0 use traps. */
void fpu_init_core(void)
{
        fpen_write(false);
}

void arch_fpu_write_access(bool allowed)
{
        fpen_write(allowed);
}

/* The asm names no V registers as clobbered: kernel code never holds a value
 * in them (-mgeneral-regs-only), so there is nothing of its own to lose. */
void arch_fpu_save(struct arch_fpu_state *s)
{
        __asm__ volatile(
                "stp q0, q1, [%0, #0]\n\t"
                "stp q2, q3, [%0, #32]\n\t"
                "stp q4, q5, [%0, #64]\n\t"
                "stp q6, q7, [%0, #96]\n\t"
                "stp q8, q9, [%0, #128]\n\t"
                "stp q10, q11, [%0, #160]\n\t"
                "stp q12, q13, [%0, #192]\n\t"
                "stp q14, q15, [%0, #224]\n\t"
                "stp q16, q17, [%0, #256]\n\t"
                "stp q18, q19, [%0, #288]\n\t"
                "stp q20, q21, [%0, #320]\n\t"
                "stp q22, q23, [%0, #352]\n\t"
                "stp q24, q25, [%0, #384]\n\t"
                "stp q26, q27, [%0, #416]\n\t"
                "stp q28, q29, [%0, #448]\n\t"
                "stp q30, q31, [%0, #480]"
                :: "r"(s->v) : "memory");
        s->fpsr = sysreg_read(fpsr);
        s->fpcr = sysreg_read(fpcr);
}

void arch_fpu_restore(const struct arch_fpu_state *s)
{
        __asm__ volatile(
                "ldp q0, q1, [%0, #0]\n\t"
                "ldp q2, q3, [%0, #32]\n\t"
                "ldp q4, q5, [%0, #64]\n\t"
                "ldp q6, q7, [%0, #96]\n\t"
                "ldp q8, q9, [%0, #128]\n\t"
                "ldp q10, q11, [%0, #160]\n\t"
                "ldp q12, q13, [%0, #192]\n\t"
                "ldp q14, q15, [%0, #224]\n\t"
                "ldp q16, q17, [%0, #256]\n\t"
                "ldp q18, q19, [%0, #288]\n\t"
                "ldp q20, q21, [%0, #320]\n\t"
                "ldp q22, q23, [%0, #352]\n\t"
                "ldp q24, q25, [%0, #384]\n\t"
                "ldp q26, q27, [%0, #416]\n\t"
                "ldp q28, q29, [%0, #448]\n\t"
                "ldp q30, q31, [%0, #480]"
                :: "r"(s->v) : "memory");
        /* The eret back to EL0 synchronises these writes. */
        sysreg_write(fpsr, s->fpsr);
        sysreg_write(fpcr, s->fpcr);
}
