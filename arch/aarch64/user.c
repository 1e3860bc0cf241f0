/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The user side of the trap path: EL0 register contexts, the system-call
 * register convention of include/tessera/syscalls.h, and the decoding of
 * exceptions taken from EL0 into system calls, FP/SIMD traps, interrupts
 * and faults.
 */
#include <arch/arch.h>
#include <arch/layout.h>
#include <arch/sysreg.h>
#include "trap.h"
#include <tessera/syscalls.h>

#define SPSR_EL0t        0x0ull
#define EC_SVC64         0x15
#define EC_IABT_LOWER    0x20
#define EC_DABT_LOWER    0x24
#define EC_UNKNOWN       0x00
#define EC_FP_ACCESS     0x07
#define VECTOR_EL0_SYNC  8
#define VECTOR_EL0_IRQ   9

_Static_assert(sizeof(struct arch_context) == sizeof(struct trap_frame), "context is a trap frame");
_Static_assert(__builtin_offsetof(struct arch_context, pc) == __builtin_offsetof(struct trap_frame, elr),
               "pc is the saved ELR");
_Static_assert(__builtin_offsetof(struct arch_context, sp) == __builtin_offsetof(struct trap_frame, sp_el0),
               "sp is the saved SP_EL0");

struct arch_context *arch_trap_user(uint64_t vector, struct arch_context *ctx);

void arch_context_init(struct arch_context *ctx, uint64_t pc, uint64_t sp, uint64_t arg0)
{
        for (unsigned i = 0; i < 31; i++)
                ctx->x[i] = 0;
        ctx->x[0] = arg0;
        ctx->pc = pc;
        ctx->sp = sp;
        ctx->spsr = SPSR_EL0t;          /* EL0, interrupts unmasked */
}

/* Interrupts stay masked while a system call is handled, so ESR_EL1 still
 * describes the svc. */
uint64_t arch_syscall_syndrome(void)
{
        return sysreg_read(esr_el1);
}

void arch_syscall_args(const struct arch_context *ctx, struct syscall_args *out)
{
        out->number = ctx->x[7];
        out->cptr = ctx->x[0];
        out->info = ctx->x[1];
        for (unsigned i = 0; i < 4; i++)
                out->mr[i] = ctx->x[2 + i];
}

void arch_syscall_return(struct arch_context *ctx, uint64_t badge, uint64_t info,
                         const uint64_t mr[4])
{
        ctx->x[0] = badge;
        ctx->x[1] = info;
        for (unsigned i = 0; i < 4; i++)
                ctx->x[2 + i] = mr[i];
}

static const char *user_fault_kind(unsigned ec)
{
        switch (ec) {
        case EC_IABT_LOWER: return "instruction fetch fault";
        case EC_DABT_LOWER: return "data access fault";
        case EC_UNKNOWN: return "undefined instruction";
        default: return "unexpected exception";
        }
}

struct arch_context *arch_trap_user(uint64_t vector, struct arch_context *ctx)
{
        if (vector == VECTOR_EL0_IRQ) {
                irq_dispatch();
        } else {
                uint64_t esr = sysreg_read(esr_el1);
                unsigned ec = (unsigned)(esr >> 26) & 0x3f;

                if (vector == VECTOR_EL0_SYNC && ec == EC_SVC64) {
                        kernel_syscall(ctx);    /* the fast path declined it (vectors.S) */
                } else if (vector == VECTOR_EL0_SYNC && ec == EC_FP_ACCESS) {
                        kernel_fpu_trap();      /* lazy switching: not a fault */
                } else {
                        struct user_fault f = {
                                .kind = vector == VECTOR_EL0_SYNC ? user_fault_kind(ec)
                                                                  : "unexpected exception",
                                .type = (vector == VECTOR_EL0_SYNC &&
                                         (ec == EC_IABT_LOWER || ec == EC_DABT_LOWER))
                                                ? TESSERA_FAULT_VM : TESSERA_FAULT_USER_EXCEPTION,
                                .pc = ctx->pc, .address = sysreg_read(far_el1), .syndrome = esr,
                        };
                        kernel_user_fault(ctx, &f);
                }
        }
        return kernel_resume();
}
