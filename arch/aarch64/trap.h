/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The register frame vectors.S pushes on every exception, and the arch-internal
 * entry points the trap code calls. TRAP_FRAME_SIZE in layout.h must match.
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdint.h>
#include <arch/layout.h>

struct trap_frame {
        uint64_t x[31];
        uint64_t elr;
        uint64_t spsr;
        uint64_t sp_el0;
};

_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "vectors.S frame size");
_Static_assert(__builtin_offsetof(struct trap_frame, elr) == 248, "vectors.S elr offset");
_Static_assert(__builtin_offsetof(struct trap_frame, spsr) == 256, "vectors.S spsr offset");
_Static_assert(__builtin_offsetof(struct trap_frame, sp_el0) == 264, "vectors.S sp_el0 offset");

void arch_trap(uint64_t vector, struct trap_frame *frame);
void irq_dispatch(void);
void timer_rearm(void);
void timer_configure(unsigned intid);
void fpu_init_core(void);              /* EL0 FP/SIMD trapped, no owner yet (fpu.c) */

#endif
