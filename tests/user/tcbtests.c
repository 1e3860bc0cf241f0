/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCB tests at EL0, as a root task: Configure, SetPriority / SetMCP,
 * Read/WriteRegisters, Resume, Suspend, SetName and deletion, on their success
 * paths and every error path, with a second thread in the root task's own
 * address space; and the preemption of a long Revoke by the timer, seen by
 * that thread running while the root task's Revoke is in progress. Output is
 * TAP; the exit status is the number of failures.
 */
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/objects.h>
#include <tessera/syscall.h>
#include <tessera/invoke.h>
#include "suite.h"
#include "tap.h"
#include <tessera/tcb.h>

#define ROOT   TESSERA_SLOT_CNODE
#define DEPTH  64
#define TOP    255
#define STACK_WORDS 2048

static volatile uint64_t counter, worker_arg;
static uint64_t worker_stack[STACK_WORDS] __attribute__((aligned(16)));

/* The second thread: counts, yielding, until told to halt (counter's top bit). */
static _Noreturn void worker(uint64_t arg)
{
        worker_arg = arg;
        for (;;) {
                if (counter >> 63)
                        tessera_debug_halt(7);
                counter++;
                tessera_yield();
        }
}

/* Yields until the worker has counted `more` times, at most `tries` yields. */
static int worker_advances(uint64_t more, unsigned tries)
{
        uint64_t start = counter;

        while (tries--) {
                if (counter - start >= more)
                        return 1;
                tessera_yield();
        }
        return 0;
}

static void test_configure(uint64_t t, uint64_t e)
{
        expect("configure with two arguments: TRUNCATED_MESSAGE",
               tessera_invoke(t, TESSERA_INV_TCB_CONFIGURE, (const uint64_t[]){ 0, 0 }, 2,
                              (const uint64_t[]){ ROOT, TESSERA_SLOT_VSPACE }, 2),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("configure with one cap: TRUNCATED_MESSAGE",
               tessera_invoke(t, TESSERA_INV_TCB_CONFIGURE, (const uint64_t[]){ 0, 0, 0 }, 3,
                              (const uint64_t[]){ ROOT }, 1),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("configure with a TCB as CSpace: INVALID_CAPABILITY",
               tessera_tcb_configure(t, 0, t, 0, TESSERA_SLOT_VSPACE, 0, 0), TESSERA_ERR_INVALID_CAPABILITY);
        expect("configure with a CNode as VSpace: INVALID_CAPABILITY",
               tessera_tcb_configure(t, 0, ROOT, 0, ROOT, 0, 0), TESSERA_ERR_INVALID_CAPABILITY);
        expect("configure with an empty slot as VSpace: INVALID_CAPABILITY",
               tessera_tcb_configure(t, 0, ROOT, 0, e + 9, 0, 0), TESSERA_ERR_INVALID_CAPABILITY);
        expect("configure with a bad guard word: RANGE",
               tessera_tcb_configure(t, 0, ROOT, 0x3f, TESSERA_SLOT_VSPACE, 0, 0), TESSERA_ERR_RANGE);
        expect("configure a buffer address without a frame: INVALID_ARGUMENT",
               tessera_invoke(t, TESSERA_INV_TCB_CONFIGURE, (const uint64_t[]){ 0, 0, 0x1000 }, 3,
                              (const uint64_t[]){ ROOT, TESSERA_SLOT_VSPACE }, 2),
               TESSERA_ERR_INVALID_ARGUMENT);
        expect("configure with an endpoint as buffer: INVALID_CAPABILITY",
               tessera_tcb_configure(t, 0, ROOT, 0, TESSERA_SLOT_VSPACE, 0x10000000, e + 1),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect("configure with a misaligned buffer: ALIGNMENT",
               tessera_tcb_configure(t, 0, ROOT, 0, TESSERA_SLOT_VSPACE, 0x10000008,
                                     TESSERA_SLOT_IPC_BUFFER), TESSERA_ERR_ALIGNMENT);
        expect("configure with a buffer above 2^48: RANGE",
               tessera_tcb_configure(t, 0, ROOT, 0, TESSERA_SLOT_VSPACE, 1ull << 48,
                                     TESSERA_SLOT_IPC_BUFFER), TESSERA_ERR_RANGE);
        expect("mint a read-only copy of the IPC buffer frame",
               tessera_cnode_mint(ROOT, e + 2, DEPTH, ROOT, TESSERA_SLOT_IPC_BUFFER, DEPTH,
                                  TESSERA_RIGHT_READ, 0), TESSERA_OK);
        expect("configure with a read-only buffer: INSUFFICIENT_RIGHTS",
               tessera_tcb_configure(t, 0, ROOT, 0, TESSERA_SLOT_VSPACE, 0x10000000, e + 2),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("configure with the root's CSpace, VSpace and a buffer",
               tessera_tcb_configure(t, 0, ROOT, 0, TESSERA_SLOT_VSPACE, TESSERA_ROOT_IPC_BUFFER_VADDR,
                                     TESSERA_SLOT_IPC_BUFFER), TESSERA_OK);
        expect("configure again, replacing the caps, without a buffer",
               tessera_tcb_configure(t, 0, ROOT, 0, TESSERA_SLOT_VSPACE, 0, 0), TESSERA_OK);
}

static void test_priorities(uint64_t t)
{
        expect("set priority without authority: TRUNCATED_MESSAGE",
               tessera_invoke(t, TESSERA_INV_TCB_SET_PRIORITY, (const uint64_t[]){ 1 }, 1, 0, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("set priority with a CNode as authority: INVALID_CAPABILITY",
               tessera_tcb_set_priority(t, ROOT, 1), TESSERA_ERR_INVALID_CAPABILITY);
        expect("set priority above the authority's MCP (0): RANGE",
               tessera_tcb_set_priority(t, t, 1), TESSERA_ERR_RANGE);
        expect("set priority 256: RANGE",
               tessera_tcb_set_priority(t, TESSERA_SLOT_TCB, 256), TESSERA_ERR_RANGE);
        expect("set priority 0 with its own authority", tessera_tcb_set_priority(t, t, 0), TESSERA_OK);
        expect("set MCP 200 with the root's authority", tessera_tcb_set_mcp(t, TESSERA_SLOT_TCB, 200),
               TESSERA_OK);
        expect("set MCP 201 with its own authority (200): RANGE",
               tessera_tcb_set_mcp(t, t, 201), TESSERA_ERR_RANGE);
        expect("set priority 200 with its own authority", tessera_tcb_set_priority(t, t, 200), TESSERA_OK);
        expect("set priority 255 with the root's authority",
               tessera_tcb_set_priority(t, TESSERA_SLOT_TCB, TOP), TESSERA_OK);
}

static void test_registers(uint64_t t)
{
        uint64_t regs[TESSERA_TCB_REG_COUNT] = { 0 };

        regs[TESSERA_REG_PC] = (uint64_t)(uintptr_t)worker;
        regs[TESSERA_REG_SP] = (uint64_t)(uintptr_t)&worker_stack[STACK_WORDS];
        regs[TESSERA_REG_NZCV] = ~0ull;
        regs[TESSERA_REG_X0] = 42;
        expect("write 35 registers: RANGE", tessera_tcb_write_registers(t, 0, 35, regs), TESSERA_ERR_RANGE);
        expect("write with unknown flags: INVALID_ARGUMENT",
               tessera_tcb_write_registers(t, 2, 4, regs), TESSERA_ERR_INVALID_ARGUMENT);
        expect("write 4 registers with 3 values: TRUNCATED_MESSAGE",
               tessera_invoke(t, TESSERA_INV_TCB_WRITE_REGISTERS, (const uint64_t[]){ 0, 4, 1, 2, 3 }, 5, 0, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("write its own registers: ILLEGAL_OPERATION",
               tessera_tcb_write_registers(TESSERA_SLOT_TCB, 0, 4, regs), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("write pc, sp, flags and x0", tessera_tcb_write_registers(t, 0, 4, regs), TESSERA_OK);
        for (unsigned i = 0; i < TESSERA_TCB_REG_COUNT; i++)
                regs[i] = 0xbad;
        expect("read 0 registers: RANGE", tessera_tcb_read_registers(t, 0, regs), TESSERA_ERR_RANGE);
        expect("read 35 registers: RANGE", tessera_tcb_read_registers(t, 35, regs), TESSERA_ERR_RANGE);
        expect("read its own registers: ILLEGAL_OPERATION",
               tessera_tcb_read_registers(TESSERA_SLOT_TCB, 4, regs), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("read all registers", tessera_tcb_read_registers(t, TESSERA_TCB_REG_COUNT, regs), TESSERA_OK);
        expect_true("pc, sp and x0 read back as written",
                    regs[TESSERA_REG_PC] == (uint64_t)(uintptr_t)worker &&
                    regs[TESSERA_REG_SP] == (uint64_t)(uintptr_t)&worker_stack[STACK_WORDS] &&
                    regs[TESSERA_REG_X0] == 42 && regs[TESSERA_REG_X0 + 30] == 0);
        expect_true("only the condition flags of PSTATE are writable",
                    regs[TESSERA_REG_NZCV] == 0xf0000000ull);
}

static void test_running(uint64_t t)
{
        expect("name the thread", tessera_tcb_set_name(t, "worker"), TESSERA_OK);
        expect("set name with one argument: TRUNCATED_MESSAGE",
               tessera_invoke(t, TESSERA_INV_TCB_SET_NAME, (const uint64_t[]){ 0 }, 1, 0, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect_true("the worker does not run before Resume", !worker_advances(1, 20));
        expect("resume", tessera_tcb_resume(t), TESSERA_OK);
        expect_true("the worker runs and counts", worker_advances(3, 100));
        expect_true("it started with x0 as written", worker_arg == 42);
        expect("suspend", tessera_tcb_suspend(t), TESSERA_OK);
        expect_true("a suspended worker does not count", !worker_advances(1, 20));
        expect("resume again", tessera_tcb_resume(t), TESSERA_OK);
        expect("resume a running thread", tessera_tcb_resume(t), TESSERA_OK);
        expect_true("the worker counts again", worker_advances(3, 100));
        expect("an unknown label on a TCB: ILLEGAL_OPERATION",
               tessera_invoke(t, 999, 0, 0, 0, 0), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("binding with no notification cap: TRUNCATED_MESSAGE",
               tessera_invoke(t, TESSERA_INV_TCB_BIND_NOTIFICATION, 0, 0, 0, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("binding a TCB cap as a notification: INVALID_CAPABILITY",
               tessera_invoke(t, TESSERA_INV_TCB_BIND_NOTIFICATION, 0, 0, &t, 1),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect("unbinding with none bound: ILLEGAL_OPERATION",
               tessera_invoke(t, TESSERA_INV_TCB_UNBIND_NOTIFICATION, 0, 0, 0, 0),
               TESSERA_ERR_ILLEGAL_OPERATION);
}

/* A Revoke that deletes a CNode of 2^13 slots works in many preemptible
 * steps; the worker, at the same priority, runs between them when the
 * timer ends the root task's time slice. */
static void test_long_revoke(const struct tessera_bootinfo *bi, uint64_t e)
{
        uint64_t ut = bi->untyped.start, before;
        unsigned bits = 0;
        int ran = 0;

        for (unsigned i = 0; i < bi->untyped_count; i++)
                if (bi->untyped_list[i].size_bits >= 20 && bi->untyped_list[i].size_bits < 26) {
                        ut = bi->untyped.start + i;
                        bits = bi->untyped_list[i].size_bits;
                        break;
                }
        expect_true("an untyped of 1-32 MiB to work in", bits != 0);
        /* A time slice is 5 ticks (50 ms): on a fast host many Revokes fit
         * in one, and the slice may also end between them. Try until one
         * Revoke is cut by the end of a slice; each try runs a few ms, so
         * the slices cannot keep ending elsewhere for 400 tries. */
        unsigned tries = 0, failed = 0;

        for (; tries < 400 && !ran && !failed; tries++) {
                failed += tessera_untyped_retype(ut, TESSERA_OBJ_CNODE, 13, ROOT, e + 20, 1) != TESSERA_OK;
                failed += tessera_cnode_copy(e + 20, 8191, 13, ROOT, e + 10, DEPTH,
                                             TESSERA_RIGHTS_ALL) != TESSERA_OK;
                before = counter;
                failed += tessera_cnode_revoke(ROOT, ut, DEPTH) != TESSERA_OK;
                ran = counter > before;
        }
        expect("retype a CNode of 2^13 slots, copy the worker's TCB cap into it, revoke the "
               "untyped (the CNode goes, slot by slot): every try", failed, 0);
        tessera_printf("# the worker first ran during revoke %u\n", tries);
        expect_true("the worker ran while a revoke was in progress", ran);
        expect("the CNode's slot is empty",
               tessera_cnode_copy(ROOT, e + 21, DEPTH, ROOT, e + 20, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_ERR_FAILED_LOOKUP);
}

static void test_halt_and_delete(uint64_t t, uint64_t e)
{
        counter |= 1ull << 63;          /* the worker halts with status 7 */
        tessera_yield();
        tessera_yield();
        expect("the root task still runs after the worker halted", TESSERA_OK, TESSERA_OK);
        expect("resume the halted worker (it halts again)", tessera_tcb_resume(t), TESSERA_OK);
        tessera_yield();
        expect("delete the worker's TCB cap copy", tessera_cnode_delete(ROOT, e + 11, DEPTH), TESSERA_OK);
        expect("delete its last cap: the thread and its slots go", tessera_cnode_delete(ROOT, t, DEPTH),
               TESSERA_OK);
        expect("invoking the deleted TCB: INVALID_CAPABILITY", tessera_tcb_resume(t),
               TESSERA_ERR_INVALID_CAPABILITY);
}

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        uint64_t ut = suite_largest_untyped(bi, 0), e = bi->empty.start, t = e + 10;

        tessera_printf("# tcbtests on core %u\n", bi->core_id);
        expect("retype an endpoint", tessera_untyped_retype(ut, TESSERA_OBJ_ENDPOINT, 0, ROOT, e + 1, 1),
               TESSERA_OK);
        expect("retype a TCB", tessera_untyped_retype(ut, TESSERA_OBJ_TCB, 0, ROOT, t, 1), TESSERA_OK);
        expect("copy the TCB cap", tessera_cnode_copy(ROOT, e + 11, DEPTH, ROOT, t, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_OK);
        test_configure(t, e);
        test_priorities(t);
        test_registers(t);
        test_running(t);
        test_long_revoke(bi, e);
        test_halt_and_delete(t, e);
        tessera_printf("1..%u\n", tap_checks());
        return suite_finish(bi, tap_failures());
}
