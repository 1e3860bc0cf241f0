/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lazy FP/SIMD switching at EL0 (kernel/fpu.c), as a root task with threads
 * in its own address space:
 *   - a thread's first FP/SIMD use sees zeroed registers, FPCR and FPSR,
 *     also in the memory of a deleted thread that owned the registers;
 *   - a thread holding values keeps them while others use FP/SIMD and the
 *     owner is deleted;
 *   - three threads with their own V0-V31, FPCR and FPSR flags, a thread
 *     that never uses FP/SIMD and the root task run side by side, switched
 *     by yields and by the timer, each checking its registers every round;
 *   - the root task's own arithmetic is exact (round to nearest, no flush
 *     to zero) whatever rounding modes the others run with.
 * Output is TAP; the exit status is the number of failures.
 *
 * Everything above the marked FP section at the end keeps to the general
 * registers (the pragma below), so the FP/SIMD registers change only where
 * a test writes them on purpose, and a thread that must not use FP/SIMD
 * cannot by accident. As no caller then holds a value in d8-d15, the
 * patterns may overwrite those callee-saved registers.
 */
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/objects.h>
#include <tessera/syscall.h>
#include <tessera/invoke.h>
#include <tessera/tcb.h>
#include "suite.h"
#include "tap.h"

/* In the FP section at the end; declared out here so that it is compiled
 * with FP/SIMD (a declaration under the pragma would carry the pragma). */
static unsigned root_arith_errors(int report);

#pragma GCC push_options
#pragma GCC target("general-regs-only")

#define ROOT            TESSERA_SLOT_CNODE
#define DEPTH           64
#define TOP             255
#define STACK_WORDS     1024
#define ROUNDS          40              /* per thread in the side-by-side run */
#define PREEMPT_EVERY   4               /* every 4th round waits for the timer */
#define SPIN_LIMIT      (1u << 28)      /* a failsafe, far beyond a time slice */
#define WAIT_YIELDS     100000u

/* FPSR cumulative flags and FPCR fields (Arm ARM, C5.2.7-8). */
#define FPSR_IOC        (1ull << 0)
#define FPSR_DZC        (1ull << 1)
#define FPSR_IXC        (1ull << 4)
#define FPSR_FLAGS      0x9full
#define FPCR_AHP        (1ull << 26)
#define FPCR_DN         (1ull << 25)
#define FPCR_FZ         (1ull << 24)
#define FPCR_RP         (1ull << 22)    /* RMode: toward +infinity */
#define FPCR_RM         (2ull << 22)    /* toward -infinity */
#define FPCR_RZ         (3ull << 22)    /* toward zero */

#define DOUBLE_ONE      0x3ff0000000000000ull
#define DOUBLE_THREE    0x4008000000000000ull

/* Thread ids: also indexes of stacks and, for the FP workers, of `workers`. */
enum { ID_ROOT, ID_W0, ID_W1, ID_W2, ID_PLAIN, ID_KEEPER, ID_FRESH, ID_COUNT };
#define WORKERS 3

struct fp_image {
        uint64_t v[64];                 /* V0..V31, low half first */
        uint64_t fpcr, fpsr;
};

/* A thread that checks its registers: what it loads, what it found wrong. */
struct fp_checker {
        struct fp_image want;
        uint64_t num, den;              /* the division that sets its FPSR flag */
        volatile unsigned rounds, bad, preempted, done;
        volatile int first_bad;         /* register index (64 FPCR, 65 FPSR), or -1 */
};

static uint64_t stacks[ID_COUNT][STACK_WORDS] __attribute__((aligned(16)));
static struct fp_checker workers[WORKERS], keeper, root_checker;
static struct fp_image fresh_seen, fresh_mine;
static volatile unsigned fresh_ready, keeper_ready, keeper_go, plain_rounds, plain_done;
static volatile unsigned last_runner;   /* who ran last: a changed value means preemption */

/* ---- Registers, by hand: the compiler never touches them here. ---- */

static void fp_load(const uint64_t *v)
{
        __asm__ volatile("ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%0], #64\n\t"
                         "ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%0], #64\n\t"
                         "ld1 {v8.2d, v9.2d, v10.2d, v11.2d}, [%0], #64\n\t"
                         "ld1 {v12.2d, v13.2d, v14.2d, v15.2d}, [%0], #64\n\t"
                         "ld1 {v16.2d, v17.2d, v18.2d, v19.2d}, [%0], #64\n\t"
                         "ld1 {v20.2d, v21.2d, v22.2d, v23.2d}, [%0], #64\n\t"
                         "ld1 {v24.2d, v25.2d, v26.2d, v27.2d}, [%0], #64\n\t"
                         "ld1 {v28.2d, v29.2d, v30.2d, v31.2d}, [%0], #64"
                         : "+r"(v) : : "memory");
}

/* V0-V31, FPCR and FPSR as they are. */
static void fp_capture(struct fp_image *img)
{
        uint64_t *v = img->v, fpcr, fpsr;

        __asm__ volatile("st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%0], #64\n\t"
                         "st1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%0], #64\n\t"
                         "st1 {v8.2d, v9.2d, v10.2d, v11.2d}, [%0], #64\n\t"
                         "st1 {v12.2d, v13.2d, v14.2d, v15.2d}, [%0], #64\n\t"
                         "st1 {v16.2d, v17.2d, v18.2d, v19.2d}, [%0], #64\n\t"
                         "st1 {v20.2d, v21.2d, v22.2d, v23.2d}, [%0], #64\n\t"
                         "st1 {v24.2d, v25.2d, v26.2d, v27.2d}, [%0], #64\n\t"
                         "st1 {v28.2d, v29.2d, v30.2d, v31.2d}, [%0], #64\n\t"
                         "mrs %1, fpcr\n\t"
                         "mrs %2, fpsr"
                         : "+r"(v), "=r"(fpcr), "=r"(fpsr) : : "memory");
        img->fpcr = fpcr;
        img->fpsr = fpsr;
}

static void fp_write_fpcr(uint64_t fpcr)
{
        __asm__ volatile("msr fpcr, %0" : : "r"(fpcr));
}

static void fp_write_fpsr(uint64_t fpsr)
{
        __asm__ volatile("msr fpsr, %0" : : "r"(fpsr));
}

/* One division of two doubles (as bit patterns): sets FPSR flags for real. */
static void fp_divide(uint64_t num, uint64_t den)
{
        __asm__ volatile("fmov d0, %0\n\tfmov d1, %1\n\tfdiv d2, d0, d1" : : "r"(num), "r"(den));
}

/* Values no other thread or register has: the id and register in the top bytes. */
static void make_pattern(struct fp_image *img, unsigned id, uint64_t fpcr)
{
        for (uint64_t r = 0; r < 32; r++) {
                img->v[2 * r] = (uint64_t)(id + 1) << 56 | r << 48 | 0x123456789abcull;
                img->v[2 * r + 1] = (uint64_t)(id + 1 + 0x80) << 56 | r << 48 | 0xfedcba987654ull;
        }
        img->fpcr = fpcr;
}

/* -1 when `got` is `want`, else the first register that differs. */
static int fp_compare(const struct fp_image *got, const struct fp_image *want)
{
        for (int i = 0; i < 64; i++)
                if (got->v[i] != want->v[i])
                        return i;
        if (got->fpcr != want->fpcr)
                return 64;
        if ((got->fpsr & FPSR_FLAGS) != want->fpsr)
                return 65;
        return -1;
}

static int fp_check(const struct fp_image *want)
{
        struct fp_image seen;

        fp_capture(&seen);
        return fp_compare(&seen, want);
}

/* ---- Scheduling, by hand too: tessera_yield (syscall.h) is compiled outside
 * the pragma and may clear its message through a SIMD register. ---- */

static void yield_raw(void)
{
        register uint64_t x7 __asm__("x7") = TESSERA_SYS_YIELD;

        __asm__ volatile("svc #0" : "+r"(x7) : : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "memory");
}

static void yield_as(unsigned id)
{
        yield_raw();
        last_runner = id;
}

/* Spins until another thread has run (the timer ended this one's slice). */
static int spin_until_preempted(unsigned id)
{
        unsigned n = 0;

        last_runner = id;
        while (last_runner == id && n < SPIN_LIMIT)
                n++;
        last_runner = id;
        return n < SPIN_LIMIT;
}

static _Noreturn void park(unsigned id)
{
        for (;;)
                yield_as(id);
}

/* Yields until *flag is set, at most WAIT_YIELDS times. */
static int wait_for(volatile unsigned *flag)
{
        for (unsigned n = 0; n < WAIT_YIELDS; n++) {
                if (*flag)
                        return 1;
                yield_as(ID_ROOT);
        }
        return *flag != 0;
}

/* ---- The threads. ---- */

static void checker_round(struct fp_checker *c, unsigned id, unsigned round)
{
        int bad;

        if (round % PREEMPT_EVERY == PREEMPT_EVERY - 1)
                c->preempted += (unsigned)spin_until_preempted(id);
        else
                yield_as(id);
        bad = fp_check(&c->want);
        if (bad >= 0) {
                if (!c->bad)
                        c->first_bad = bad;
                c->bad++;
        }
        c->rounds++;
}

/* Sets its own FPSR flag by a division, loads its values, checks them each round. */
static void checker_run(struct fp_checker *c, unsigned id)
{
        fp_divide(c->num, c->den);
        fp_load(c->want.v);
        fp_write_fpcr(c->want.fpcr);
        c->first_bad = -1;
        for (unsigned r = 0; r < ROUNDS; r++)
                checker_round(c, id, r);
}

static _Noreturn void worker_main(uint64_t i)
{
        checker_run(&workers[i], ID_W0 + (unsigned)i);
        workers[i].done = 1;
        park(ID_W0 + (unsigned)i);
}

/* Never uses FP/SIMD: it must neither trap nor disturb the others. */
static _Noreturn void plain_main(uint64_t unused)
{
        (void)unused;
        for (unsigned r = 0; r < ROUNDS; r++) {
                if (r % PREEMPT_EVERY == PREEMPT_EVERY - 1)
                        spin_until_preempted(ID_PLAIN);
                else
                        yield_as(ID_PLAIN);
                plain_rounds++;
        }
        plain_done = 1;
        park(ID_PLAIN);
}

/* Loads its values, then waits (no FP/SIMD) until told to check them once. */
static _Noreturn void keeper_main(uint64_t unused)
{
        (void)unused;
        fp_load(keeper.want.v);
        fp_write_fpcr(keeper.want.fpcr);
        keeper_ready = 1;
        while (!keeper_go)
                yield_as(ID_KEEPER);
        keeper.first_bad = fp_check(&keeper.want);
        keeper.done = 1;
        park(ID_KEEPER);
}

/* Its first FP/SIMD instruction is the store of what it finds; then it
 * leaves its own values in the registers, owning them, and waits. */
static _Noreturn void fresh_main(uint64_t unused)
{
        (void)unused;
        fp_capture(&fresh_seen);
        fp_load(fresh_mine.v);
        fp_write_fpcr(fresh_mine.fpcr);
        fresh_ready = 1;
        park(ID_FRESH);
}

/* ---- The root task's side. ---- */

/* A thread in the root task's CSpace and VSpace at the root's priority,
 * running entry(arg) on stack `id`, without an IPC buffer. */
static int thread_start(uint64_t ut, uint64_t slot, unsigned id, const char *name,
                        void (*entry)(uint64_t), uint64_t arg)
{
        uint64_t regs[4] = { (uint64_t)(uintptr_t)entry, (uint64_t)(uintptr_t)&stacks[id][STACK_WORDS],
                             0, arg };
        int st;

        if ((st = tessera_untyped_retype(ut, TESSERA_OBJ_TCB, 0, ROOT, slot, 1)) ||
            (st = tessera_tcb_configure(slot, 0, ROOT, 0, TESSERA_SLOT_VSPACE, 0, 0)) ||
            (st = tessera_tcb_set_priority(slot, TESSERA_SLOT_TCB, TOP)) ||
            (st = tessera_tcb_set_name(slot, name)) ||
            (st = tessera_tcb_write_registers(slot, 0, 4, regs)))
                return st;
        return tessera_tcb_resume(slot);
}

/* A fresh thread in `tcb_ut` (room for one TCB): what it found first, then
 * left running as the owner of the registers. */
static void fresh_start(uint64_t tcb_ut, uint64_t slot, const char *what)
{
        static const struct fp_image zero;

        fresh_ready = 0;
        for (unsigned i = 0; i < 64; i++)
                fresh_seen.v[i] = ~0ull;
        fresh_seen.fpcr = fresh_seen.fpsr = ~0ull;
        expect(what, thread_start(tcb_ut, slot, ID_FRESH, "fp-fresh", fresh_main, 0), TESSERA_OK);
        expect_true("it ran and loaded its own values", wait_for(&fresh_ready));
        expect("its first FP/SIMD use found V0-V31, FPCR and FPSR zero (first bad register)",
               fp_compare(&fresh_seen, &zero), -1);
}

/* The owner of the registers is deleted and its memory becomes a new TCB at
 * once: that thread must start from zero, not from the dead owner's values
 * (it would, were the kernel still to take the memory for the owner). A
 * third thread holding values of its own keeps them throughout. Nothing here
 * but those threads uses FP/SIMD, so each fresh thread still owns the
 * registers when it is deleted. */
static void test_deleted_owner(uint64_t ut, uint64_t e)
{
        uint64_t tcb_ut = e + 20, fresh = e + 21, keeper_tcb = e + 22;

        make_pattern(&keeper.want, ID_KEEPER, FPCR_DN | FPCR_FZ | FPCR_AHP);
        make_pattern(&fresh_mine, ID_FRESH, FPCR_RZ);
        expect("start a thread that loads its values and waits",
               thread_start(ut, keeper_tcb, ID_KEEPER, "fp-keeper", keeper_main, 0), TESSERA_OK);
        expect_true("it loaded them", wait_for(&keeper_ready));
        expect("retype an untyped with room for one TCB",
               tessera_untyped_retype(ut, TESSERA_OBJ_UNTYPED, TESSERA_TCB_BITS, ROOT, tcb_ut, 1),
               TESSERA_OK);
        fresh_start(tcb_ut, fresh, "start a fresh thread in it");
        expect("delete it while it owns the registers", tessera_cnode_delete(ROOT, fresh, DEPTH), TESSERA_OK);
        fresh_start(tcb_ut, fresh, "start another in the same memory");
        expect("delete that one too", tessera_cnode_delete(ROOT, fresh, DEPTH), TESSERA_OK);
        keeper_go = 1;
        expect_true("the waiting thread checked its values", wait_for(&keeper.done));
        expect("... and found V0-V31 and FPCR as it left them (first bad register)",
               keeper.first_bad, -1);
        expect("delete it", tessera_cnode_delete(ROOT, keeper_tcb, DEPTH), TESSERA_OK);
        expect("revoke the TCB untyped", tessera_cnode_revoke(ROOT, tcb_ut, DEPTH), TESSERA_OK);
        expect("delete it", tessera_cnode_delete(ROOT, tcb_ut, DEPTH), TESSERA_OK);
}

/* The root task's values kept across a few yields and one preemption. */
static void root_pattern_round(unsigned round)
{
        fp_load(root_checker.want.v);
        fp_write_fpcr(root_checker.want.fpcr);
        fp_write_fpsr(0);               /* its arithmetic left the inexact flag */
        for (unsigned r = 0; r < PREEMPT_EVERY; r++)
                checker_round(&root_checker, ID_ROOT, round * PREEMPT_EVERY + r);
}

static int all_done(void)
{
        for (unsigned i = 0; i < WORKERS; i++)
                if (!workers[i].done)
                        return 0;
        return plain_done;
}

static void start_side_by_side(uint64_t ut, uint64_t e)
{
        static const uint64_t fpcr[WORKERS] = { FPCR_RP | FPCR_DN, FPCR_RM | FPCR_FZ, FPCR_RZ | FPCR_AHP };
        static const uint64_t den[WORKERS] = { 0, DOUBLE_THREE, 0 };
        static const uint64_t num[WORKERS] = { DOUBLE_ONE, DOUBLE_ONE, 0 };
        static const uint64_t fpsr[WORKERS] = { FPSR_DZC, FPSR_IXC, FPSR_IOC };
        static const char *const names[WORKERS] = { "fp-w0", "fp-w1", "fp-w2" };

        for (unsigned i = 0; i < WORKERS; i++) {
                make_pattern(&workers[i].want, ID_W0 + i, fpcr[i]);
                workers[i].want.fpsr = fpsr[i];
                workers[i].num = num[i];
                workers[i].den = den[i];
                expect("start an FP thread with its own values, FPCR and FPSR flag",
                       thread_start(ut, e + 30 + i, ID_W0 + i, names[i], worker_main, i), TESSERA_OK);
        }
        expect("start a thread that never uses FP/SIMD",
               thread_start(ut, e + 30 + WORKERS, ID_PLAIN, "fp-plain", plain_main, 0), TESSERA_OK);
}

static void report_checker(const char *who, const struct fp_checker *c)
{
        tessera_printf("# %s: %u rounds, %u preempted by the timer\n", who, c->rounds, c->preempted);
        expect("... kept V0-V31, FPCR and FPSR flags every round (first bad register)", c->first_bad, -1);
}

/* Three FP threads, one that never uses FP/SIMD and the root task, side by
 * side; the root alternates between checking its own values and exact
 * arithmetic until the others are done. */
static void test_side_by_side(uint64_t ut, uint64_t e)
{
        unsigned rounds = 0, arith_errors = 0, preempted = 0;

        make_pattern(&root_checker.want, ID_ROOT, 0);
        root_checker.want.fpsr = 0;
        root_checker.first_bad = -1;
        start_side_by_side(ut, e);
        while (!all_done() && rounds < 10 * ROUNDS) {
                root_pattern_round(rounds++);
                arith_errors += root_arith_errors(0);
        }
        expect_true("every thread finished its rounds", all_done());
        for (unsigned i = 0; i < WORKERS; i++) {
                report_checker("an FP thread", &workers[i]);
                preempted += workers[i].preempted;
        }
        report_checker("the root task", &root_checker);
        expect("the root task's arithmetic stayed exact meanwhile (errors)", (int)arith_errors, 0);
        expect("the thread without FP/SIMD ran all its rounds", (int)plain_rounds, ROUNDS);
        expect_true("the timer preempted threads in the middle of their rounds", preempted > 0);
        for (unsigned i = 0; i <= WORKERS; i++)
                expect("delete a thread", tessera_cnode_delete(ROOT, e + 30 + i, DEPTH), TESSERA_OK);
        expect("the root task's arithmetic is exact after the deletions (errors)",
               (int)root_arith_errors(0), 0);
}

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        uint64_t ut = suite_largest_untyped(bi, 0), e = bi->empty.start;

        tessera_printf("# fputests on core %u\n", bi->core_id);
        expect("the root task's arithmetic is exact (errors)", (int)root_arith_errors(1), 0);
        test_deleted_owner(ut, e);
        test_side_by_side(ut, e);
        tessera_printf("1..%u\n", tap_checks());
        return suite_finish(bi, tap_failures());
}

#pragma GCC pop_options

/* ---- FP section: compiled FP/SIMD code of the root task. ---- */

static volatile double two = 2.0, three = 3.0, tiny = 0x1p-1022, quarter = 0.25;

static uint64_t double_bits(double d)
{
        union { double d; uint64_t u; } b = { .d = d };

        return b.u;
}

/* Round to nearest with subnormals kept (FPCR 0): another thread's FPCR
 * leaking in would round 2/3 up (toward +infinity) or flush 2^-1024 to 0. A
 * leaked FPSR would show a division-by-zero or invalid flag. */
static unsigned root_arith_errors(int report)
{
        uint64_t fpsr, fpcr;
        double third = two / three, sub = tiny * quarter, sum = 0;
        unsigned errors = 0;

        for (int k = 1; k <= 1000; k++)
                sum += k;
        __asm__ volatile("mrs %0, fpcr\n\tmrs %1, fpsr" : "=r"(fpcr), "=r"(fpsr));
        errors += double_bits(third) != 0x3fe5555555555555ull;
        errors += double_bits(sub) != 0x0004000000000000ull;
        errors += sum != 500500.0 || (long long)(sum * 1.5) != 750750;
        errors += fpcr != 0;
        errors += (fpsr & (FPSR_IOC | FPSR_DZC)) != 0;
        if (report)
                tessera_printf("# root: 2/3 = 0x%llx, 2^-1022/4 = 0x%llx, 1+...+1000 = %lld, "
                               "FPCR 0x%llx, FPSR 0x%llx\n", (unsigned long long)double_bits(third),
                               (unsigned long long)double_bits(sub), (long long)sum,
                               (unsigned long long)fpcr, (unsigned long long)fpsr);
        return errors;
}
