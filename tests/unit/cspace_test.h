/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared fixture for the capability-core host tests (test_cspace*.c): TAP
 * output, the object hooks the core calls (kobject_*, cdt_reaper) with a
 * registry of live objects, and a CSpace built the way boot builds one: a
 * root CNode of 2^8 slots addressed at depth 8, an untyped over an arena.
 */
#ifndef CSPACE_TEST_H
#define CSPACE_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/objects.h>
#include <kernel/cap.h>
#include <kernel/cap_check.h>
#include <kernel/cdt.h>
#include <kernel/cnode.h>
#include <kernel/cspace_ops.h>
#include <kernel/untyped.h>

#define ROOT_RADIX 8
#define ARENA_BITS 20                   /* the untyped in slot UT_SLOT */
#define DEVICE_BITS 16                  /* the device untyped in slot DEV_SLOT */
#define UT_SLOT 1
#define DEV_SLOT 2
#define GUARD(value, width) ((uint64_t)(value) << CNODE_GUARD_WIDTH_BITS | (width))

struct hook_stats {
        uint64_t cleared;               /* bytes kobject_clear zeroed */
        unsigned inits, destroys, removals;
        unsigned dirty_inits;           /* kobject_init saw memory that was not zero */
        unsigned bad_destroys;          /* destroy of an object not live, or twice */
        unsigned device_touches;        /* clear/init inside device memory */
        unsigned bad_inits;             /* init over a live object, or outside the arena */
        unsigned big_clears;            /* a clear larger than UNTYPED_CLEAR_CHUNK */
        struct cap last_destroyed;
};

extern struct hook_stats hooks;
extern struct cap root;                 /* the root CNode cap */
extern uint8_t *arena, *device_mem;

/* TAP */
bool ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool expect_err(int got, int want, const char *what);
/* cap_check over root (strict, scan_free); reports a failure line if broken. */
bool invariants(const char *when);
extern unsigned invariant_runs;
/* The checker's verdict without reporting it (for tests of the checker). */
const char *invariant_fault(void);
extern bool invariant_without_live_list;  /* test_cspace.c: use the slow pair walk */

/* Fresh fixture: empty root CNode, untyped (dirty: free index at its end) in
 * UT_SLOT, device untyped in DEV_SLOT, all hooks and stats reset. */
void fixture_reset(void);
/* The same with an untyped of 2^ut_bits (<= ARENA_BITS) in UT_SLOT. */
void fixture_reset_sized(unsigned ut_bits);
unsigned live_objects(void);            /* objects inited and not yet destroyed */
struct cte *slot_at(uint64_t index);    /* root CNode slot */
struct cte *lookup_slot(uint64_t cptr, unsigned depth);

/* Operations through cspace_decode/cspace_invoke, run to completion. Slots
 * are root slots (depth ROOT_RADIX) unless the *_at forms give a depth. */
int retype_at(uint64_t ut_cptr, unsigned ut_depth, uint64_t type, uint64_t size_bits,
              const struct cap *dest, uint64_t offset, uint64_t count);
int retype(uint64_t ut, uint64_t type, uint64_t size_bits, uint64_t offset, uint64_t count);
int cnode_op(enum tessera_invocation label, const struct cspace_args *a);
int copy(uint64_t src, uint64_t dest, unsigned rights);
int mint(uint64_t src, uint64_t dest, unsigned rights, uint64_t data);
int move(uint64_t src, uint64_t dest);
int mutate(uint64_t src, uint64_t dest, uint64_t data);
int delete(uint64_t slot);
int revoke(uint64_t slot);
/* Delete or Revoke one budget at a time; returns the number of steps. */
unsigned stepped(enum tessera_invocation label, uint64_t cptr, unsigned depth, unsigned budget,
                 bool check_each);

void test_lookup(void);
void test_cdt(void);
void test_ops(void);
void test_retype(void);
void test_destroy(void);
void test_stress(void);

#endif
