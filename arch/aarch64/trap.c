/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Exception dispatch and the report for an exception nothing expected.
 * IRQs go to the interrupt layer; anything else taken by the kernel is a bug
 * or a deliberate test, reported in words (class, syndrome, addresses, the EL
 * it came from) before kernel_fatal() applies the stop policy.
 */
#include <arch/arch.h>
#include <arch/sysreg.h>
#include "trap.h"
#include <kernel/printk.h>

enum vector_group { FROM_EL1_SP0, FROM_EL1_SPX, FROM_EL0_A64, FROM_EL0_A32 };
enum vector_kind { KIND_SYNC, KIND_IRQ, KIND_FIQ, KIND_SERROR };

static const char *const kind_names[] = { "synchronous", "IRQ", "FIQ", "SError" };

struct ec_name {
        uint8_t ec;
        const char *name;
};

static const struct ec_name ec_names[] = {
        { 0x00, "unknown reason (undefined instruction)" },
        { 0x01, "WFI/WFE trapped" },
        { 0x07, "FP/SIMD access trapped" },
        { 0x0e, "illegal execution state" },
        { 0x15, "SVC from AArch64" },
        { 0x16, "HVC from AArch64" },
        { 0x17, "SMC from AArch64" },
        { 0x18, "system register access trapped" },
        { 0x20, "instruction abort from a lower EL" },
        { 0x21, "instruction abort from the same EL" },
        { 0x22, "PC alignment fault" },
        { 0x24, "data abort from a lower EL" },
        { 0x25, "data abort from the same EL" },
        { 0x26, "SP alignment fault" },
        { 0x2c, "floating-point exception" },
        { 0x2f, "SError" },
        { 0x30, "breakpoint from a lower EL" },
        { 0x31, "breakpoint from the same EL" },
        { 0x32, "software step from a lower EL" },
        { 0x33, "software step from the same EL" },
        { 0x34, "watchpoint from a lower EL" },
        { 0x35, "watchpoint from the same EL" },
        { 0x3c, "BRK instruction" },
};

static const char *ec_describe(unsigned ec)
{
        for (size_t i = 0; i < sizeof(ec_names) / sizeof(ec_names[0]); i++)
                if (ec_names[i].ec == ec)
                        return ec_names[i].name;
        return "unrecognised exception class";
}

/* Fault status code of an abort (ESR ISS DFSC/IFSC) in words. */
static const char *fault_status_describe(unsigned fsc)
{
        switch (fsc & 0x3c) {
        case 0x00: return "address size fault";
        case 0x04: return "translation fault";
        case 0x08: return "access flag fault";
        case 0x0c: return "permission fault";
        }
        if (fsc == 0x10)
                return "synchronous external abort";
        if (fsc == 0x21)
                return "alignment fault";
        return "other fault";
}

static bool ec_is_abort(unsigned ec)
{
        return ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25;
}

static void report_abort(uint64_t esr, unsigned ec)
{
        unsigned fsc = esr & 0x3f;

        kprintf("  fault: %s, level %u%s\n", fault_status_describe(fsc), fsc & 3,
                (ec == 0x24 || ec == 0x25) ? ((esr & (1u << 6)) ? ", on a write" : ", on a read") : "");
}

static _Noreturn void report_fatal(uint64_t vector, const struct trap_frame *f)
{
        uint64_t esr = sysreg_read(esr_el1);
        uint64_t far = sysreg_read(far_el1);
        unsigned ec = (unsigned)(esr >> 26) & 0x3f;
        enum vector_group group = vector / 4;
        unsigned from_el = (group == FROM_EL0_A64 || group == FROM_EL0_A32) ? 0 : 1;

        kprintf("KERNEL FAULT: unexpected %s exception taken from EL%u\n",
                kind_names[vector % 4], from_el);
        kprintf("  class: %s (EC 0x%02x)\n", ec_describe(ec), ec);
        kprintf("  ESR 0x%016llx  ELR 0x%016llx  FAR 0x%016llx\n",
                (unsigned long long)esr, (unsigned long long)f->elr, (unsigned long long)far);
        kprintf("  SPSR 0x%016llx  SP_EL0 0x%016llx  LR 0x%016llx\n",
                (unsigned long long)f->spsr, (unsigned long long)f->sp_el0,
                (unsigned long long)f->x[30]);
        if (ec_is_abort(ec))
                report_abort(esr, ec);
        kernel_fatal();
}

void arch_trap(uint64_t vector, struct trap_frame *frame)
{
        if (vector % 4 == KIND_IRQ) {
                irq_dispatch();
                return;
        }
        report_fatal(vector, frame);
}
