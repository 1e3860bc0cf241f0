/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Instruction-count windows of known length, for the insncount QEMU plugin
 * (tools/insncount/insncount.c; tests/qemu/check_insncount.py checks them).
 *
 * Each window is a `hint #0x70` (start) ... `hint #0x71` (end) pair around
 * inline assembly whose EL0 instruction count is fixed by construction:
 * 1000 NOPs, a counted loop of 12345 instructions, nothing, and a Yield
 * system call (2 instructions at EL0, some at EL1 in the kernel). The set
 * runs ROUNDS times: the first round's blocks are freshly translated, later
 * ones run from QEMU's cache, chained. Core 0 prints one expectation line
 * per window, in order, for the checker:
 *
 *     markers: expect window 5 el0=12345 el1=0 (counted loop, round 1)
 *
 * Every core runs the same windows; on four cores the "suite" channel ends
 * the run (suite.c). The exit status is 0: the checker judges the counts.
 */
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/syscall.h>
#include "suite.h"

#define ROUNDS          3
#define LOOP_TURNS      6172    /* 1 mov + 2 per turn = 12345 */

struct window_case {
        const char *name;
        void (*run)(void);
        unsigned el0;           /* instructions at EL0, exactly */
        int el1_some;           /* 0: none at EL1; 1: some (a system call) */
};

static void window_nops(void)
{
        __asm__ volatile("hint #0x70\n"
                         ".rept 1000\n nop\n .endr\n"
                         "hint #0x71" ::: "memory");
}

static void window_loop(void)
{
        __asm__ volatile("hint #0x70\n"
                         "mov x9, %0\n"
                         "1: subs x9, x9, #1\n"
                         "b.ne 1b\n"
                         "hint #0x71" :: "i"(LOOP_TURNS) : "x9", "cc", "memory");
}

static void window_empty(void)
{
        __asm__ volatile("hint #0x70\n hint #0x71" ::: "memory");
}

/* Yield by hand (lib/tessera/syscall.h's stub would add compiler-chosen
 * instructions): x0 and x1 are set before the window, so it holds just
 * `mov x7` and `svc`; x0-x6 come back changed. */
static void window_yield(void)
{
        __asm__ volatile("mov x0, #0\n"
                         "mov x1, #0\n"
                         "hint #0x70\n"
                         "mov x7, %0\n"
                         "svc #0\n"
                         "hint #0x71" :: "i"(TESSERA_SYS_YIELD)
                         : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "memory");
}

static const struct window_case cases[] = {
        { "1000 nops", window_nops, 1000, 0 },
        { "counted loop", window_loop, 1 + 2 * LOOP_TURNS, 0 },
        { "empty", window_empty, 0, 0 },
        { "yield system call", window_yield, 2, 1 },
};
#define CASES (sizeof(cases) / sizeof(cases[0]))

static void print_expectations(void)
{
        for (unsigned r = 0; r < ROUNDS; r++)
                for (unsigned c = 0; c < CASES; c++)
                        tessera_printf("markers: expect window %u el0=%u el1%s (%s, round %u)\n",
                                       r * (unsigned)CASES + c, cases[c].el0,
                                       cases[c].el1_some ? ">0" : "=0", cases[c].name, r);
}

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        if (bi->core_id == 0)
                print_expectations();
        for (unsigned r = 0; r < ROUNDS; r++)
                for (unsigned c = 0; c < CASES; c++)
                        cases[c].run();
        tessera_printf("markers: core %u ran %u windows\n", bi->core_id, ROUNDS * (unsigned)CASES);
        return suite_finish(bi, 0);
}
