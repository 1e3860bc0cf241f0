/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests: Untyped Retype arithmetic and errors (test_retype), and the
 * destruction of objects when their last cap goes, CNodes included, with
 * cycles and preemption (test_destroy).
 */
#include <string.h>
#include "cspace_test.h"

#define ALL TESSERA_RIGHTS_ALL

static struct cte *S(uint64_t i) { return slot_at(i); }
static uint64_t offset_of(uint64_t slot) { return S(slot)->cap.object - (uintptr_t)arena; }
static uint64_t watermark(void) { return S(UT_SLOT)->cap.data; }

/* A slot of the CNode in root slot `cnode` (radix r, no guard). */
static uint64_t in(uint64_t cnode, unsigned r, uint64_t index) { return cnode << r | index; }

static int copy_at(uint64_t src, unsigned src_depth, uint64_t dest, unsigned dest_depth)
{
        return cnode_op(TESSERA_INV_CNODE_COPY,
                        &(struct cspace_args){ .src_index = src, .src_depth = src_depth, .dest_index = dest,
                                               .dest_depth = dest_depth, .rights = ALL });
}

static int move_at(uint64_t src, unsigned src_depth, uint64_t dest, unsigned dest_depth)
{
        return cnode_op(TESSERA_INV_CNODE_MOVE,
                        &(struct cspace_args){ .src_index = src, .src_depth = src_depth, .dest_index = dest,
                                               .dest_depth = dest_depth });
}

/* ---- retype ------------------------------------------------------------------ */

static void retype_every_type(void)
{
        static const struct { uint64_t type, size_bits; uint8_t cap_type, cap_size; } want[] = {
                { TESSERA_OBJ_UNTYPED, 12, CAP_UNTYPED, 12 },
                { TESSERA_OBJ_TCB, 0, CAP_TCB, TESSERA_TCB_BITS },
                { TESSERA_OBJ_ENDPOINT, 0, CAP_ENDPOINT, TESSERA_ENDPOINT_BITS },
                { TESSERA_OBJ_NOTIFICATION, 0, CAP_NOTIFICATION, TESSERA_NOTIFICATION_BITS },
                { TESSERA_OBJ_CNODE, 3, CAP_CNODE, 3 },
                { TESSERA_OBJ_REPLY, 0, CAP_REPLY, TESSERA_REPLY_BITS },
                { TESSERA_OBJ_FRAME_4K, 0, CAP_FRAME, 12 },
                { TESSERA_OBJ_VSPACE, 0, CAP_VSPACE, 12 },
                { TESSERA_OBJ_PAGE_TABLE, 0, CAP_PAGE_TABLE, 12 },
        };
        unsigned n = sizeof(want) / sizeof(want[0]);

        fixture_reset();
        for (unsigned i = 0; i < n; i++) {
                const struct cap *c = &S(10 + i)->cap;
                unsigned bits;

                ok(retype(UT_SLOT, want[i].type, want[i].size_bits, 10 + i, 1) == 0 &&
                   c->type == want[i].cap_type && c->size_bits == want[i].cap_size &&
                   S(10 + i)->parent == S(UT_SLOT) && (bits = cap_object_bits(c)) != 0 &&
                   (c->object & ((1ull << bits) - 1)) == 0, "retype: type %u makes an aligned cap",
                   (unsigned)want[i].type);
        }
        ok(hooks.cleared == 1u << ARENA_BITS && hooks.inits == n - 1 && !hooks.dirty_inits,
           "retype: the first retype cleared the whole untyped; every object but the untyped inited");
        ok(retype(UT_SLOT, TESSERA_OBJ_FRAME_2M, 0, 30, 1) == TESSERA_ERR_NOT_ENOUGH_MEMORY,
           "retype: a 2 MiB frame does not fit in 1 MiB");
        invariants("after every type");
}

static void retype_alignment(void)
{
        fixture_reset();
        retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 10, 1);
        ok(offset_of(10) == 0 && watermark() == 16, "retype: an endpoint at 0, watermark 16");
        retype(UT_SLOT, TESSERA_OBJ_TCB, 0, 11, 1);
        ok(offset_of(11) == 2048 && watermark() == 4096, "retype: a TCB aligned up to 2048");
        retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 12, 3);
        ok(offset_of(12) == 4096 && offset_of(13) == 4112 && offset_of(14) == 4128 && watermark() == 4144,
           "retype: three endpoints after the TCB, not in the gap below the watermark");
        retype(UT_SLOT, TESSERA_OBJ_CNODE, 4, 15, 1);
        ok(offset_of(15) == 5120 && watermark() == 6144, "retype: a CNode of radix 4 aligned to 1 KiB");
        invariants("after aligned retypes");
}

static void retype_errors(void)
{
        fixture_reset();
        retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 10, 1);
        expect_err(retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 10, 1), TESSERA_ERR_DELETE_FIRST,
                   "retype: twice into the same slot");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 8, 3), TESSERA_ERR_DELETE_FIRST,
                   "retype: a full slot inside the destination range");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 20, 0), TESSERA_ERR_RANGE, "retype: count 0");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 0, UNTYPED_RETYPE_MAX_COUNT + 1),
                   TESSERA_ERR_RANGE, "retype: count above the fan-out limit");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 250, 10), TESSERA_ERR_RANGE,
                   "retype: slots beyond the CNode");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 256, 1), TESSERA_ERR_RANGE,
                   "retype: offset beyond the CNode");
        expect_err(retype(UT_SLOT, 99, 0, 20, 1), TESSERA_ERR_INVALID_ARGUMENT, "retype: unknown type");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_CNODE, 0, 20, 1), TESSERA_ERR_RANGE, "retype: CNode radix 0");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_CNODE, TESSERA_CNODE_MAX_RADIX + 1, 20, 1), TESSERA_ERR_RANGE,
                   "retype: CNode radix above the maximum");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_CNODE, TESSERA_CNODE_MAX_RADIX, 20, 1),
                   TESSERA_ERR_NOT_ENOUGH_MEMORY, "retype: the largest CNode does not fit");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_UNTYPED, 3, 20, 1), TESSERA_ERR_RANGE, "retype: untyped of 8 bytes");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_UNTYPED, 48, 20, 1), TESSERA_ERR_RANGE, "retype: untyped of 2^48");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_UNTYPED, ARENA_BITS + 1, 20, 1), TESSERA_ERR_NOT_ENOUGH_MEMORY,
                   "retype: untyped larger than its parent");
        expect_err(retype(10, TESSERA_OBJ_ENDPOINT, 0, 20, 1), TESSERA_ERR_INVALID_CAPABILITY,
                   "retype: from an endpoint");
        expect_err(retype_at(UT_SLOT, ROOT_RADIX, TESSERA_OBJ_ENDPOINT, 0, &S(10)->cap, 0, 1),
                   TESSERA_ERR_INVALID_CAPABILITY, "retype: destination is not a CNode");
        ok(retype(UT_SLOT, TESSERA_OBJ_UNTYPED, ARENA_BITS - 1, 20, 1) == 0 && offset_of(20) == 1u << 19,
           "retype: half the untyped, aligned past the endpoint");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 21, 1), TESSERA_ERR_NOT_ENOUGH_MEMORY,
                   "retype: no room above the watermark, none reused below it");
        invariants("after retype errors");
}

static void retype_device(void)
{
        fixture_reset();
        expect_err(retype(DEV_SLOT, TESSERA_OBJ_ENDPOINT, 0, 10, 1), TESSERA_ERR_ILLEGAL_OPERATION,
                   "retype: an endpoint from device memory");
        ok(retype(DEV_SLOT, TESSERA_OBJ_FRAME_4K, 0, 10, 2) == 0 && (S(11)->cap.flags & CAP_FLAG_DEVICE),
           "retype: device frames carry the device flag");
        ok(retype(DEV_SLOT, TESSERA_OBJ_UNTYPED, 13, 12, 1) == 0 &&
           retype(12, TESSERA_OBJ_FRAME_4K, 0, 13, 1) == 0 && (S(13)->cap.flags & CAP_FLAG_DEVICE),
           "retype: a device untyped child makes device frames");
        revoke(DEV_SLOT);
        ok(retype(DEV_SLOT, TESSERA_OBJ_FRAME_4K, 0, 10, 1) == 0 && S(10)->cap.object == (uintptr_t)device_mem,
           "retype: revoked device memory is reused from its start");
        ok(hooks.cleared == 0 && hooks.inits == 0 && device_mem[0] == 0xdd && device_mem[4095] == 0xdd,
           "retype: device memory is never cleared or touched");
        invariants("after device retypes");
}

/* Revoke frees; the next retype clears (in chunks, preemptibly) and reuses. */
static void retype_reuse(void)
{
        uint64_t before[4], used;
        struct untyped_plan plan;
        unsigned steps = 0;
        bool same = true;

        fixture_reset();
        retype(UT_SLOT, TESSERA_OBJ_FRAME_4K, 0, 30, 4);
        for (unsigned i = 0; i < 4; i++) {
                before[i] = S(30 + i)->cap.object;
                memset((void *)(uintptr_t)before[i], 0xee, 4096);      /* the frame in use */
        }
        used = watermark();
        revoke(UT_SLOT);
        ok(hooks.destroys == 4 && live_objects() == 1, "reuse: revoking the untyped destroyed its 4 frames");
        invariants("after the revoke");
        ok(untyped_retype_decode(S(UT_SLOT), TESSERA_OBJ_FRAME_4K, 0, &root, 30, 4, &plan) == 0 && plan.reset,
           "reuse: the next retype must reset first");
        hooks.cleared = 0;
        while (!untyped_reset_step(S(UT_SLOT), 1) && invariants("between reset steps"))
                steps++;
        ok(steps + 1 == used / UNTYPED_CLEAR_CHUNK && hooks.cleared == used,
           "reuse: the reset cleared %llu bytes in %u preemptible chunks", (unsigned long long)used, steps + 1);
        untyped_retype_invoke(&plan);
        for (unsigned i = 0; i < 4; i++)
                same = same && S(30 + i)->cap.object == before[i];
        ok(same && !hooks.dirty_inits, "reuse: the same memory, made cleared");
        invariants("after reuse");
}

static void retype_nested_untyped(void)
{
        fixture_reset();
        retype(UT_SLOT, TESSERA_OBJ_UNTYPED, 16, 40, 1);
        ok(retype(40, TESSERA_OBJ_ENDPOINT, 0, 41, 4) == 0 && S(41)->parent == S(40) &&
           S(44)->cap.object == S(40)->cap.object + 48, "retype: from a child untyped");
        invariants("with a child untyped");
        delete(40);
        ok(S(41)->parent == S(UT_SLOT), "retype: deleting a child untyped hands its objects to the parent");
        invariants("after deleting the child untyped");
        revoke(UT_SLOT);
        ok(live_objects() == 1 && hooks.destroys == 4, "retype: revoking the parent destroys the grandchildren");
        invariants("after revoking the parent");
}

void test_retype(void)
{
        retype_every_type();
        retype_alignment();
        retype_errors();
        retype_device();
        retype_reuse();
        retype_nested_untyped();
}

/* ---- destroying objects ---------------------------------------------------------- */

static void cnode_at(uint64_t slot, unsigned radix)
{
        retype(UT_SLOT, TESSERA_OBJ_CNODE, radix, slot, 1);
}

static void destroy_cnode_contents(void)
{
        fixture_reset();
        cnode_at(50, 2);
        retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 51, 1);
        copy_at(51, ROOT_RADIX, in(50, 2, 0), ROOT_RADIX + 2);
        move_at(51, ROOT_RADIX, in(50, 2, 1), ROOT_RADIX + 2);
        invariants("with caps inside a CNode");
        delete(50);
        ok(hooks.destroys == 2 && hooks.last_destroyed.type == CAP_CNODE && live_objects() == 1 &&
           cdt_reaper_idle(), "destroy: deleting a CNode's last cap deletes its caps and their object");
        invariants("after destroying a CNode");
}

static void destroy_nested(void)
{
        uint64_t outer;

        fixture_reset();
        cnode_at(50, 2);
        cnode_at(51, 2);
        retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 52, 1);
        move_at(52, ROOT_RADIX, in(51, 2, 3), ROOT_RADIX + 2);
        move_at(51, ROOT_RADIX, in(50, 2, 2), ROOT_RADIX + 2);
        ok(lookup_slot(in(in(50, 2, 2), 2, 3), ROOT_RADIX + 4)->cap.type == CAP_ENDPOINT,
           "destroy: an endpoint two CNodes deep");
        outer = S(50)->cap.object;
        delete(50);
        ok(hooks.destroys == 3 && hooks.last_destroyed.object == outer && live_objects() == 1,
           "destroy: nested CNodes are emptied inside out");
        invariants("after nested destroy");
}

/* A preempted delete leaves a zombie in the slot; nothing else may use it. */
static void destroy_preempted(void)
{
        struct cspace_roots roots = { &root, &root, &root };
        struct cspace_args a = { .dest_index = 60, .dest_depth = ROOT_RADIX };
        struct cspace_op op;
        unsigned steps;

        fixture_reset();
        cnode_at(60, 6);
        retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 61, 1);
        for (unsigned i = 0; i < 64; i += 5)
                copy_at(61, ROOT_RADIX, in(60, 6, i), ROOT_RADIX + 6);
        cspace_decode(TESSERA_INV_CNODE_DELETE, &roots, &a, &op);
        ok(!cspace_invoke(&op, 3) && S(60)->cap.type == CAP_ZOMBIE, "destroy: a preempted delete leaves a zombie");
        invariants("with a zombie");
        expect_err(copy(60, 62, ALL), TESSERA_ERR_ILLEGAL_OPERATION, "zombie: cannot be copied");
        expect_err(move(60, 62), TESSERA_ERR_ILLEGAL_OPERATION, "zombie: cannot be moved");
        expect_err(mutate(60, 62, 0), TESSERA_ERR_ILLEGAL_OPERATION, "zombie: cannot be mutated");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 60, 1), TESSERA_ERR_DELETE_FIRST,
                   "zombie: its slot is not empty");
        ok(lookup_slot(in(60, 6, 0), ROOT_RADIX + 6) == NULL, "zombie: no lookup goes through it");
        steps = stepped(TESSERA_INV_CNODE_DELETE, 60, ROOT_RADIX, 1, true);
        ok(steps > 64 && cap_is_null(&S(60)->cap) && cdt_reaper_idle() && hooks.destroys == 1,
           "destroy: the restarted delete finishes in %u more steps", steps);
        delete(61);
        ok(hooks.destroys == 2 && live_objects() == 1, "destroy: the endpoint goes with its last cap");
        invariants("after a preempted delete");
}

/* Caps to CNodes stored in those CNodes: reachable only through the tree. */
static void destroy_cycles(void)
{
        fixture_reset();
        cnode_at(70, 2);
        retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 71, 1);
        move_at(71, ROOT_RADIX, in(70, 2, 0), ROOT_RADIX + 2);
        move_at(70, ROOT_RADIX, in(70, 2, 1), ROOT_RADIX + 2);          /* C holds its only cap */
        invariants("with a self-contained CNode");
        stepped(TESSERA_INV_CNODE_REVOKE, UT_SLOT, ROOT_RADIX, 1, true);
        ok(hooks.destroys == 2 && live_objects() == 1 && cdt_reaper_idle(),
           "destroy: revoke reclaims a CNode holding its own last cap");
        invariants("after the self cycle");

        cnode_at(72, 2);                                /* C */
        cnode_at(73, 2);                                /* D */
        cnode_at(74, 2);                                /* E */
        retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 75, 1);
        move_at(75, ROOT_RADIX, in(73, 2, 0), ROOT_RADIX + 2);
        move_at(73, ROOT_RADIX, in(72, 2, 1), ROOT_RADIX + 2);          /* C holds D */
        move_at(74, ROOT_RADIX, in(in(72, 2, 1), 2, 2), ROOT_RADIX + 4); /* D holds E */
        ok(lookup_slot(in(in(in(72, 2, 1), 2, 2), 2, 3), ROOT_RADIX + 6) != NULL,
           "destroy: a chain C -> D -> E");
        move_at(72, ROOT_RADIX, in(in(in(72, 2, 1), 2, 2), 2, 3), ROOT_RADIX + 6); /* E holds C */
        invariants("with a three-CNode cycle");
        stepped(TESSERA_INV_CNODE_REVOKE, UT_SLOT, ROOT_RADIX, 1, true);
        ok(hooks.destroys == 6 && live_objects() == 1 && cdt_reaper_idle(),
           "destroy: revoke reclaims a cycle of three CNodes");
        invariants("after the three-CNode cycle");
}

/* The root CNode's own cap: deleting it deletes everything. */
static void destroy_root(void)
{
        fixture_reset();
        retype(UT_SLOT, TESSERA_OBJ_CNODE, 3, 80, 2);
        retype(UT_SLOT, TESSERA_OBJ_TCB, 0, 82, 3);
        copy_at(82, ROOT_RADIX, in(80, 3, 7), ROOT_RADIX + 3);
        invariants("before deleting the root");
        stepped(TESSERA_INV_CNODE_DELETE, 0, ROOT_RADIX, 7, false);
        ok(live_objects() == 0 && cdt_reaper_idle() && hooks.last_destroyed.object == root.object,
           "destroy: deleting the root CNode's cap destroys every object, the root last");
        fixture_reset();
}

void test_destroy(void)
{
        destroy_cnode_contents();
        destroy_nested();
        destroy_preempted();
        destroy_cycles();
        destroy_root();
}
