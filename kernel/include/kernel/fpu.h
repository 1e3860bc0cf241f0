/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lazy FP/SIMD switching (kernel/fpu.c). At most one thread per core owns
 * the FP/SIMD registers: the one whose state they hold. Every other thread
 * runs with EL0 FP/SIMD access trapped; its first FP/SIMD instruction traps
 * (kernel_fpu_trap), the owner's registers are saved to its TCB and the
 * thread's loaded, and it becomes the owner. A thread that never touches
 * FP/SIMD never traps and costs a switch nothing but one comparison.
 */
#ifndef KERNEL_FPU_H
#define KERNEL_FPU_H

#include <arch/arch.h>

struct tcb;

extern struct tcb *fpu_owner_thread;    /* kernel/fpu.c; NULL: nobody */

/* `t` is about to run: allow FP/SIMD iff it owns the registers. Inline:
 * every return to user asks. */
static inline void fpu_switch_to(const struct tcb *t)
{
        arch_fpu_set_access(t == fpu_owner_thread);
}
/* `t` is being destroyed: if it owns the registers, nobody does now. */
void fpu_thread_gone(const struct tcb *t);
/* The owner, or NULL (for tests and the invariant checker). */
const struct tcb *fpu_owner(void);

#endif
