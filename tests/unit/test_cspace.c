/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests for the capability core (kernel/cap*.c, cnode.c, cdt*.c,
 * untyped.c, cspace_ops.c): the fixture and hooks, then guarded lookup.
 * The other cases live in test_cspace_ops.c (derivation tree, CNode
 * invocations), test_cspace_retype.c (retype, object destruction) and
 * test_cspace_stress.c (randomized, invariant checker after every step).
 */
#define _POSIX_C_SOURCE 200809L       /* clock_gettime */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <kernel/assert.h>
#include <kernel/kobject.h>
#include "cspace_test.h"

struct hook_stats hooks;
struct cap root;
uint8_t *arena, *device_mem;
unsigned invariant_runs;

static unsigned checks, failures;
static struct cte root_slots[1u << ROOT_RADIX]
        __attribute__((aligned(1u << (ROOT_RADIX + TESSERA_SLOT_BITS))));
static struct cdt_reaper reaper;

/* ---- TAP ---------------------------------------------------------------- */

bool ok(bool cond, const char *fmt, ...)
{
        va_list ap;

        checks++;
        failures += !cond;
        printf("%sok %u - ", cond ? "" : "not ", checks);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
        return cond;
}

bool expect_err(int got, int want, const char *what)
{
        return ok(got == want, "%s: error %d (want %d)", what, got, want);
}

/* The checker's two ways of comparing caps pairwise: through a scratch list
 * of the live caps (what the kernel uses), or walking every slot. */
bool invariant_without_live_list;

const char *invariant_fault(void)
{
        static const struct cap *nodes[4096];
        static struct cte *live[8192];
        static struct cap_check ck;

        ck = (struct cap_check){ .nodes = nodes, .capacity = 4096, .strict = true, .scan_free = true };
        if (!invariant_without_live_list) {
                ck.live = live;
                ck.live_capacity = 8192;
        }
        invariant_runs++;
        return cap_check(&root, &ck);
}

bool invariants(const char *when)
{
        const char *why = invariant_fault();

        if (!why && (hooks.dirty_inits || hooks.bad_destroys || hooks.device_touches ||
                     hooks.bad_inits || hooks.big_clears))
                why = "an object hook saw a broken rule (dirty init, bad destroy, device touched)";
        if (why)
                ok(false, "invariants %s: %s", when, why);
        return !why;
}

/* ---- the hooks the core calls -------------------------------------------- */

static uint64_t live[1u << 16];
static unsigned live_count;

static bool inside(const uint8_t *mem, unsigned bits, uintptr_t va, uint64_t bytes)
{
        uintptr_t base = (uintptr_t)mem;

        return mem && va >= base && va - base + bytes <= ((uint64_t)1 << bits);
}

static bool all_zero(const uint8_t *p, uint64_t n)
{
        for (uint64_t i = 0; i < n; i++)
                if (p[i])
                        return false;
        return true;
}

static void live_add(uint64_t va)
{
        for (unsigned i = 0; i < live_count; i++)
                if (live[i] == va)
                        hooks.bad_inits++;
        if (live_count < sizeof(live) / sizeof(live[0]))
                live[live_count++] = va;
}

static bool live_remove(uint64_t va)
{
        for (unsigned i = 0; i < live_count; i++)
                if (live[i] == va) {
                        live[i] = live[--live_count];
                        return true;
                }
        return false;
}

unsigned live_objects(void) { return live_count; }

void kobject_clear(uintptr_t va, uint64_t bytes)
{
        if (inside(device_mem, DEVICE_BITS, va, 1))
                hooks.device_touches++;
        if (bytes > UNTYPED_CLEAR_CHUNK)
                hooks.big_clears++;
        memset((void *)va, 0, bytes);
        hooks.cleared += bytes;
}

/* A used object's memory is no longer zero: scribble on all but CNodes. */
void kobject_init(enum tessera_object_type type, uintptr_t va, unsigned obj_bits)
{
        uint64_t size = (uint64_t)1 << obj_bits;

        hooks.inits++;
        if (inside(device_mem, DEVICE_BITS, va, 1))
                hooks.device_touches++;
        if (!inside(arena, ARENA_BITS, va, size) || (va & (size - 1)))
                hooks.bad_inits++;
        if (!all_zero((const uint8_t *)va, size))
                hooks.dirty_inits++;
        live_add(va);
        if (type != TESSERA_OBJ_CNODE)
                memset((void *)va, 0xa5, size < 64 ? size : 64);
}

void kobject_destroy(const struct cap *final)
{
        hooks.destroys++;
        hooks.last_destroyed = *final;
        if (cap_object_bits(final) && !(final->flags & CAP_FLAG_DEVICE) && !live_remove(final->object))
                hooks.bad_destroys++;
}

void kobject_cap_removed(const struct cap *gone)
{
        (void)gone;
        hooks.removals++;
}

/* As the kernel's TCB: four slots at 1 KiB into the object. */
struct cte *kobject_cap_slots(const struct cap *c, unsigned *radix)
{
        if (c->type != CAP_TCB)
                return NULL;
        *radix = 2;
        return (struct cte *)(uintptr_t)(c->object + 1024);
}

struct cdt_reaper *cdt_reaper(void) { return &reaper; }

_Noreturn void kassert_failed(const char *expr, const char *file, int line)
{
        fprintf(stderr, "kassert failed: %s at %s:%d\n", expr, file, line);
        abort();
}

/* ---- fixture and operations ---------------------------------------------- */

void fixture_reset(void)
{
        fixture_reset_sized(ARENA_BITS);
}

void fixture_reset_sized(unsigned ut_bits)
{
        struct cap ut = cap_untyped((uintptr_t)arena, ut_bits, false);
        struct cap dev = cap_untyped((uintptr_t)device_mem, DEVICE_BITS, true);

        memset(root_slots, 0, sizeof(root_slots));
        memset(arena, 0x77, (size_t)1 << ARENA_BITS);          /* dirty until reset */
        memset(device_mem, 0xdd, (size_t)1 << DEVICE_BITS);
        memset(&hooks, 0, sizeof(hooks));
        memset(&reaper, 0, sizeof(reaper));
        live_count = 0;
        root = cap_cnode((uintptr_t)root_slots, ROOT_RADIX, 0, 0);
        live_add(root.object);
        cdt_insert(NULL, &root_slots[0], &root);
        cdt_insert(NULL, &root_slots[UT_SLOT], &ut);
        cdt_insert(NULL, &root_slots[DEV_SLOT], &dev);
}

struct cte *slot_at(uint64_t index) { return &root_slots[index]; }

struct cte *lookup_slot(uint64_t cptr, unsigned depth)
{
        struct cte *s = NULL;

        return cnode_lookup(&root, cptr, depth, &s) ? NULL : s;
}

int retype_at(uint64_t ut_cptr, unsigned ut_depth, uint64_t type, uint64_t size_bits,
              const struct cap *dest, uint64_t offset, uint64_t count)
{
        struct untyped_plan plan;
        struct cte *ut;
        int err = cnode_lookup(&root, ut_cptr, ut_depth, &ut);

        if (!err)
                err = untyped_retype_decode(ut, type, size_bits, dest, offset, count, &plan);
        if (err)
                return err;
        while (plan.reset && !untyped_reset_step(ut, 3))
                ;
        untyped_retype_invoke(&plan);
        return TESSERA_OK;
}

int retype(uint64_t ut, uint64_t type, uint64_t size_bits, uint64_t offset, uint64_t count)
{
        return retype_at(ut, ROOT_RADIX, type, size_bits, &root, offset, count);
}

int cnode_op(enum tessera_invocation label, const struct cspace_args *a)
{
        struct cspace_roots roots = { &root, &root, &root };
        struct cspace_op op;
        int err;

        do {            /* a preempted Delete/Revoke restarts: decode again */
                err = cspace_decode(label, &roots, a, &op);
        } while (!err && !cspace_invoke(&op, 5));
        return err;
}

#define ARGS(...) (&(struct cspace_args){ .dest_depth = ROOT_RADIX, .src_depth = ROOT_RADIX, \
                                          .pivot_depth = ROOT_RADIX, __VA_ARGS__ })

int copy(uint64_t src, uint64_t dest, unsigned rights)
{
        return cnode_op(TESSERA_INV_CNODE_COPY, ARGS(.src_index = src, .dest_index = dest, .rights = rights));
}

int mint(uint64_t src, uint64_t dest, unsigned rights, uint64_t data)
{
        return cnode_op(TESSERA_INV_CNODE_MINT,
                        ARGS(.src_index = src, .dest_index = dest, .rights = rights, .data = data));
}

int move(uint64_t src, uint64_t dest)
{
        return cnode_op(TESSERA_INV_CNODE_MOVE, ARGS(.src_index = src, .dest_index = dest));
}

int mutate(uint64_t src, uint64_t dest, uint64_t data)
{
        return cnode_op(TESSERA_INV_CNODE_MUTATE, ARGS(.src_index = src, .dest_index = dest, .data = data));
}

int delete(uint64_t slot) { return cnode_op(TESSERA_INV_CNODE_DELETE, ARGS(.dest_index = slot)); }
int revoke(uint64_t slot) { return cnode_op(TESSERA_INV_CNODE_REVOKE, ARGS(.dest_index = slot)); }

unsigned stepped(enum tessera_invocation label, uint64_t cptr, unsigned depth, unsigned budget,
                 bool check_each)
{
        struct cspace_roots roots = { &root, &root, &root };
        struct cspace_args a = { .dest_index = cptr, .dest_depth = depth };
        struct cspace_op op;
        unsigned steps = 0;

        for (;;) {
                if (cspace_decode(label, &roots, &a, &op))
                        return steps;
                steps++;
                if (cspace_invoke(&op, budget))
                        return steps;
                if (check_each && !invariants("between preempted steps"))
                        return steps;
        }
}

/* ---- lookup ----------------------------------------------------------------- */

static struct cte level1[16] __attribute__((aligned(1024)));
static struct cte level2[8] __attribute__((aligned(512)));
static struct cte cyclic[4] __attribute__((aligned(256)));
static uint8_t endpoint_object[16] __attribute__((aligned(16)));

static struct cap endpoint_cap(void)
{
        return (struct cap){ .type = CAP_ENDPOINT, .rights = TESSERA_RIGHTS_ALL,
                             .size_bits = TESSERA_ENDPOINT_BITS,
                             .object = (uintptr_t)endpoint_object };
}

static bool finds(const struct cap *r, uint64_t cptr, unsigned depth, const struct cte *want)
{
        struct cte *s = NULL;
        int err = cnode_lookup(r, cptr, depth, &s);

        return err == TESSERA_OK && s == want;
}

static int lookup_err(const struct cap *r, uint64_t cptr, unsigned depth)
{
        struct cte *s;

        return cnode_lookup(r, cptr, depth, &s);
}

/* level1: radix 4, guard 0xa in 4 bits (8 bits a level); level1[3] holds
 * level2: radix 3, guard 0b01 in 2 bits (5 bits); level2[5] an endpoint. */
static void lookup_two_levels(void)
{
        struct cap l1 = cap_cnode((uintptr_t)level1, 4, 0xa, 4);
        struct cap ep = endpoint_cap();
        uint64_t deep = 0xa3u << 5 | 1u << 3 | 5;

        memset(level1, 0, sizeof(level1));
        memset(level2, 0, sizeof(level2));
        level1[3].cap = cap_cnode((uintptr_t)level2, 3, 1, 2);
        level2[5].cap = ep;
        ok(finds(&l1, 0xa3, 8, &level1[3]), "lookup: one level, guard matches");
        ok(finds(&l1, deep, 13, &level2[5]), "lookup: two levels with guards");
        ok(finds(&l1, 0xffffull << 13 | deep, 13, &level2[5]), "lookup: bits above depth are ignored");
        expect_err(lookup_err(&l1, 0xb3, 8), TESSERA_ERR_FAILED_LOOKUP, "lookup: first-level guard mismatch");
        expect_err(lookup_err(&l1, 0xa3u << 5 | 2u << 3 | 5, 13), TESSERA_ERR_FAILED_LOOKUP,
                   "lookup: second-level guard mismatch");
        expect_err(lookup_err(&l1, 0x51, 7), TESSERA_ERR_FAILED_LOOKUP, "lookup: bits run out inside a level");
        expect_err(lookup_err(&l1, 0xa3u << 2 | 1, 10), TESSERA_ERR_FAILED_LOOKUP,
                   "lookup: bits run out inside the second level");
        expect_err(lookup_err(&l1, deep << 4, 17), TESSERA_ERR_FAILED_LOOKUP,
                   "lookup: bits left at a non-CNode cap");
        expect_err(lookup_err(&l1, 0xa4u << 4, 12), TESSERA_ERR_FAILED_LOOKUP,
                   "lookup: bits left at an empty slot");
        expect_err(lookup_err(&l1, 0xa3, 0), TESSERA_ERR_RANGE, "lookup: depth 0");
        expect_err(lookup_err(&l1, 0xa3, 65), TESSERA_ERR_RANGE, "lookup: depth 65");
        expect_err(lookup_err(&ep, 0, 8), TESSERA_ERR_FAILED_LOOKUP, "lookup: root is not a CNode");
        expect_err(lookup_err(&(struct cap){ 0 }, 0, 8), TESSERA_ERR_FAILED_LOOKUP, "lookup: root is empty");
}

/* 64-bit lookups: the syscall form stops at a leaf, the exact form does not. */
static void lookup_full_width(void)
{
        struct cap l1 = cap_cnode((uintptr_t)level1, 4, 0, 28);
        struct cte *s = NULL;

        memset(level1, 0, sizeof(level1));
        memset(level2, 0, sizeof(level2));
        level1[2].cap = cap_cnode((uintptr_t)level2, 3, 0, 29);
        level1[6].cap = endpoint_cap();
        level2[7].cap = endpoint_cap();
        ok(finds(&l1, 2ull << 32 | 7, 64, &level2[7]), "lookup: 64 bits through two guarded levels");
        ok(cnode_lookup_cap(&l1, 2ull << 32 | 7, &s) == TESSERA_OK && s == &level2[7],
           "lookup_cap: two levels");
        ok(cnode_lookup_cap(&l1, 6ull << 32 | 0x1234, &s) == TESSERA_OK && s == &level1[6],
           "lookup_cap: stops at a leaf and ignores the bits left");
        expect_err(lookup_err(&l1, 6ull << 32 | 0x1234, 64), TESSERA_ERR_FAILED_LOOKUP,
                   "lookup: the exact form refuses bits left at a leaf");
        expect_err(cnode_lookup_cap(&l1, 1ull << 63, &s), TESSERA_ERR_FAILED_LOOKUP,
                   "lookup_cap: guard mismatch");
        ok(finds(&(struct cap){ .type = CAP_CNODE, .size_bits = 4, .guard_bits = 60,
                                .object = (uintptr_t)level1 }, 6, 64, &level1[6]),
           "lookup: one level with a 60-bit guard");
}

/* A CNode holding a cap to itself: a 64-bit lookup walks 32 levels and ends. */
static void lookup_cycle(void)
{
        struct cap c = cap_cnode((uintptr_t)cyclic, 2, 0, 0);

        memset(cyclic, 0, sizeof(cyclic));
        cyclic[1].cap = c;
        cyclic[2].cap = endpoint_cap();
        ok(finds(&c, 0x5555555555555556ull, 64, &cyclic[2]), "lookup: a cyclic CSpace terminates");
        expect_err(lookup_err(&c, 0x555555555555555dull, 64), TESSERA_ERR_FAILED_LOOKUP,
                   "lookup: a cycle reaching an empty slot with bits left");
}

static void guard_words(void)
{
        uint64_t g = 0;
        unsigned w = 0;

        ok(cnode_guard_decode(GUARD(5, 3), 8, &g, &w) == TESSERA_OK && g == 5 && w == 3,
           "guard word: value 5 in 3 bits");
        expect_err(cnode_guard_decode(GUARD(9, 3), 8, &g, &w), TESSERA_ERR_RANGE, "guard word: value too wide");
        expect_err(cnode_guard_decode(GUARD(0, 57), 8, &g, &w), TESSERA_ERR_RANGE,
                   "guard word: radix + guard over 64");
        ok(cnode_guard_decode(GUARD(0, 56), 8, &g, &w) == TESSERA_OK && w == 56, "guard word: exactly 64 bits");
}

void test_lookup(void)
{
        lookup_two_levels();
        lookup_full_width();
        lookup_cycle();
        guard_words();
}

/* A corrupted tree can make an operation loop: fail instead of hanging. */
static void timed_out(int sig)
{
        static const char msg[] = "Bail out! timed out (a loop in a corrupted tree?)\n";

        (void)sig;
        if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
                _exit(2);
        _exit(1);
}

int main(void)
{
        struct timespec t0, t1;

        setvbuf(stdout, NULL, _IOLBF, 0);
        signal(SIGALRM, timed_out);
        alarm(100);
        arena = aligned_alloc((size_t)1 << ARENA_BITS, (size_t)1 << ARENA_BITS);
        device_mem = aligned_alloc((size_t)1 << DEVICE_BITS, (size_t)1 << DEVICE_BITS);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        fixture_reset();
        invariants("on a fresh fixture");
        test_lookup();
        test_cdt();
        test_ops();
        test_retype();
        test_destroy();
        test_stress();
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("# %u invariant checks, %.2f s\n", invariant_runs,
               (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
        printf("1..%u\n", checks);
        free(arena);
        free(device_mem);
        return failures ? 1 : 0;
}
