/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lazy FP/SIMD switching (fpu.h). The registers stay with their owner until
 * another thread uses them, so the cost falls only on threads that do:
 *   - a switch (fpu_switch_to) compares one pointer and, when the answer
 *     changes, writes the access control once;
 *   - a thread's first FP/SIMD instruction after someone else used the unit
 *     traps once: save the owner's 528 bytes, load its own, run on;
 *   - a thread that never uses FP/SIMD never traps and never saves.
 *
 * The owner is a global of this kernel, so it is this core's: every core runs its own copy
 * of the kernel, and a thread never leaves its core.
 */
#include <arch/arch.h>
#include <kernel/assert.h>
#include <kernel/fpu.h>
#include <kernel/thread.h>

/* Whose values the FP/SIMD registers hold, or NULL when they are nobody's
 * (none used yet, or the owner was destroyed: its values are then dead and
 * are overwritten without being saved). */
struct tcb *fpu_owner_thread;

void fpu_thread_gone(const struct tcb *t)
{
        /* Forgetting the owner matters: its TCB memory may become a new TCB,
         * which must start from its own zeroed state, not these registers. */
        if (t == fpu_owner_thread)
                fpu_owner_thread = NULL;
}

const struct tcb *fpu_owner(void)
{
        return fpu_owner_thread;
}

/* The current thread touched FP/SIMD while trapped: it is not the owner. */
void kernel_fpu_trap(void)
{
        struct tcb *t = thread_current();

        kassert(t != NULL && t != fpu_owner_thread);
        if (fpu_owner_thread)
                arch_fpu_save(&fpu_owner_thread->fpu);
        arch_fpu_restore(&t->fpu);
        fpu_owner_thread = t;
        arch_fpu_set_access(true);
}
