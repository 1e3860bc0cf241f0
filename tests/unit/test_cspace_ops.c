/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests: the derivation tree's operations and the invariant checker
 * (test_cdt), and every CNode invocation with each of its error paths
 * (test_ops). Root slots are addressed at depth ROOT_RADIX.
 */
#include <string.h>
#include "cspace_test.h"

#define ALL TESSERA_RIGHTS_ALL
#define R TESSERA_RIGHT_READ
#define W TESSERA_RIGHT_WRITE

static struct cte *S(uint64_t i) { return slot_at(i); }

static void endpoint_at(uint64_t slot)
{
        retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, slot, 1);
}

/* ---- tree ------------------------------------------------------------------ */

static void cdt_copy_and_splice(void)
{
        unsigned destroys;

        fixture_reset();
        endpoint_at(10);
        copy(10, 11, ALL);
        copy(10, 12, ALL);
        copy(11, 13, ALL);
        ok(S(11)->parent == S(10) && S(10)->first_child == S(12) && S(12)->next_sibling == S(11) &&
           S(13)->parent == S(11), "cdt: copies are children of their source, newest first");
        ok(!cdt_is_final(S(10)) && cdt_has_children(S(10)), "cdt: a copied cap is not final");
        invariants("after copies");
        destroys = hooks.destroys;
        delete(10);
        ok(S(12)->parent == S(UT_SLOT) && S(12)->next_sibling == S(11) && S(13)->parent == S(11) &&
           hooks.destroys == destroys, "cdt: deleting a parent splices its children into its place");
        invariants("after a splice");
        ok(!cdt_is_final(S(12)) && !cdt_is_final(S(11)), "cdt: spliced copies are adjacent, not final");
        delete(12);
        delete(11);
        ok(S(13)->parent == S(UT_SLOT) && cdt_is_final(S(13)) && hooks.destroys == destroys,
           "cdt: the last copy is final; nothing destroyed yet");
        delete(13);
        ok(hooks.destroys == destroys + 1 && hooks.last_destroyed.type == CAP_ENDPOINT &&
           live_objects() == 1, "cdt: deleting the final cap destroys the object once");
        invariants("after the final delete");
}

static void cdt_move_and_swap(void)
{
        fixture_reset();
        endpoint_at(20);
        copy(20, 21, ALL);
        copy(21, 22, ALL);
        move(21, 30);
        ok(S(30)->parent == S(20) && S(22)->parent == S(30) && S(20)->first_child == S(30) &&
           cap_is_null(&S(21)->cap) && !S(21)->parent, "cdt: move keeps the tree position");
        invariants("after a move");
        cdt_swap(S(20), S(30));
        ok(S(20)->parent == S(30) && S(30)->first_child == S(20) && S(22)->parent == S(20) &&
           S(30)->parent == S(UT_SLOT), "cdt: swapping a parent and its child");
        invariants("after a swap");
        revoke(30);
        ok(!cdt_has_children(S(30)) && cap_is_null(&S(20)->cap) && cap_is_null(&S(22)->cap) &&
           hooks.destroys == 0, "cdt: revoke deletes all descendants, the object lives on");
        invariants("after a revoke");
}

/* Caps made at boot have no parent; their spliced children stay linked. */
static void cdt_parentless(void)
{
        struct cap asid = { .type = CAP_ASID_CONTROL, .rights = ALL };
        unsigned destroys;

        fixture_reset();
        cdt_insert(NULL, S(50), &asid);
        copy(50, 51, ALL);
        copy(50, 52, ALL);
        destroys = hooks.destroys;
        delete(50);
        ok(!S(51)->parent && S(52)->next_sibling == S(51) && !cdt_is_final(S(51)),
           "cdt: children of a parentless cap stay siblings");
        invariants("after a parentless splice");
        delete(51);
        ok(hooks.destroys == destroys && cdt_is_final(S(52)), "cdt: parentless copies: the last is final");
        delete(52);
        ok(hooks.destroys == destroys + 1 && hooks.last_destroyed.type == CAP_ASID_CONTROL,
           "cdt: deleting it destroys the object");
}

/* Objects without memory: IRQ handlers (children of IRQ control) are told
 * apart by INTID, IPI send caps by destination, whatever their badge. */
static void cdt_numbered_objects(void)
{
        struct cap irq_control = { .type = CAP_IRQ_CONTROL, .rights = ALL };
        struct cap handler = { .type = CAP_IRQ_HANDLER, .rights = ALL, .data = 33 };
        struct cap ipi = { .type = CAP_IPI_SEND, .rights = ALL, .aux = 2ull << 32 | 5 };

        fixture_reset();
        cdt_insert(NULL, S(40), &irq_control);
        cdt_insert(S(40), S(41), &handler);
        handler.data = 34;
        cdt_insert(S(40), S(42), &handler);
        copy(41, 43, ALL);
        ok(!cdt_is_final(S(41)) && cdt_is_final(S(42)) && cdt_is_final(S(40)),
           "cdt: IRQ handlers are told apart by INTID");
        invariants("with IRQ handlers");
        delete(41);
        ok(hooks.destroys == 0 && S(43)->parent == S(40), "cdt: a handler's copy outlives it");
        delete(43);
        ok(hooks.destroys == 1 && hooks.last_destroyed.data == 33, "cdt: the last handler cap for INTID 33");
        cdt_insert(NULL, S(44), &ipi);
        mint(44, 45, ALL, 0x80);
        ipi.aux++;
        cdt_insert(NULL, S(46), &ipi);
        ok(!cdt_is_final(S(44)) && !cdt_is_final(S(45)) && cdt_is_final(S(46)) && S(45)->cap.data == 0x80,
           "cdt: IPI send caps name their destination; the badge does not matter");
        invariants("with IPI send caps");
}

/* A chain and a star of copies, revoked one unit at a time. */
static void cdt_preempted_revoke(void)
{
        unsigned steps;

        fixture_reset();
        endpoint_at(60);
        for (unsigned i = 61; i < 90; i++)
                copy(i - 1, i, ALL);
        for (unsigned i = 90; i < 120; i++)
                copy(60, i, ALL);
        invariants("with a chain and a star of copies");
        steps = stepped(TESSERA_INV_CNODE_REVOKE, 60, ROOT_RADIX, 1, true);
        ok(steps == 59, "cdt: revoke of 59 descendants with budget 1 takes 59 steps (%u)", steps);
        ok(!cdt_has_children(S(60)) && cdt_is_final(S(60)) && hooks.destroys == 0,
           "cdt: after revoke only the original is left");
}

/* The checker itself: each corruption is reported. */
static void checker_catches(const char *what, const char *want, struct cte *victim, struct cte saved)
{
        const char *got = invariant_fault();

        ok(got && strstr(got, want), "checker catches %s: %s", what, got ? got : "(passed)");
        invariant_without_live_list = true;
        got = invariant_fault();
        invariant_without_live_list = false;
        ok(got && strstr(got, want), "checker, walking every slot, catches %s: %s", what,
           got ? got : "(passed)");
        *victim = saved;
}

static void cdt_checker(void)
{
        struct cte saved;
        struct cte *s;

        fixture_reset();
        endpoint_at(70);
        mint(70, 71, ALL, 5);
        copy(71, 72, ALL);
        retype(UT_SLOT, TESSERA_OBJ_TCB, 0, 73, 1);
        ok(invariants("before corruption"), "checker: a sound CSpace passes");
        s = S(72), saved = *s, s->cap.data = 6;
        checker_catches("a copy of a badged cap with another badge", "another badge", s, saved);
        s = S(72), saved = *s, s->prev_sibling = S(70);
        checker_catches("a sibling link that is not symmetric", "does not link back", s, saved);
        s = S(71), saved = *s, s->cap.object += 16;
        checker_catches("a child naming another object", "another object", s, saved);
        s = S(73), saved = *s, s->cap.object = S(70)->cap.object & ~1023ull;
        checker_catches("two live objects overlap", "overlap", s, saved);
        s = S(73), saved = *s, s->cap.object += 512;
        checker_catches("an object not aligned to its size", "not aligned", s, saved);
        s = S(UT_SLOT), saved = *s, s->cap.data = 16;
        checker_catches("a child above its untyped's free index", "outside [base", s, saved);
        s = S(74), saved = *s, s->parent = S(70);
        checker_catches("an empty slot with links", "empty slot with tree links", s, saved);
        s = S(UT_SLOT), saved = *s, arena[(1u << ARENA_BITS) - 1] = 1;
        checker_catches("dirty memory above the free index", "not zero", s, saved);
        arena[(1u << ARENA_BITS) - 1] = 0;
        ok(invariants("after restoring"), "checker: restored CSpace passes again");
}

void test_cdt(void)
{
        cdt_copy_and_splice();
        cdt_move_and_swap();
        cdt_parentless();
        cdt_numbered_objects();
        cdt_preempted_revoke();
        cdt_checker();
}

/* ---- invocations -------------------------------------------------------------- */

static int op_with(enum tessera_invocation label, const struct cap *dest_root, const struct cap *src_root,
                   struct cspace_args a)
{
        struct cspace_roots roots = { dest_root, src_root, src_root };
        struct cspace_op op;
        int err = cspace_decode(label, &roots, &a, &op);

        if (!err)
                while (!cspace_invoke(&op, 8))
                        ;
        return err;
}

#define ROOT_ARGS(...) ((struct cspace_args){ .dest_depth = ROOT_RADIX, .src_depth = ROOT_RADIX, \
                                              .pivot_depth = ROOT_RADIX, __VA_ARGS__ })

static void ops_setup(void)
{
        fixture_reset();
        endpoint_at(10);
        retype(UT_SLOT, TESSERA_OBJ_NOTIFICATION, 0, 11, 1);
        retype(UT_SLOT, TESSERA_OBJ_REPLY, 0, 12, 1);
        retype(UT_SLOT, TESSERA_OBJ_CNODE, 2, 13, 1);
        retype(UT_SLOT, TESSERA_OBJ_FRAME_4K, 0, 14, 1);
        retype(UT_SLOT, TESSERA_OBJ_VSPACE, 0, 15, 1);
}

static void ops_copy(void)
{
        struct cspace_args a;

        ops_setup();
        ok(copy(10, 20, R) == 0 && S(20)->cap.rights == R, "copy: rights masked to READ");
        ok(mint(20, 21, ALL, 0) == 0 && S(21)->cap.rights == R, "mint: rights can only shrink");
        expect_err(copy(10, 11, ALL), TESSERA_ERR_DELETE_FIRST, "copy: destination full");
        expect_err(copy(40, 41, ALL), TESSERA_ERR_FAILED_LOOKUP, "copy: source empty");
        a = ROOT_ARGS(.src_index = 10, .dest_index = 42);
        a.dest_depth = 0;
        expect_err(cnode_op(TESSERA_INV_CNODE_COPY, &a), TESSERA_ERR_RANGE, "copy: destination depth 0");
        a = ROOT_ARGS(.src_index = 10, .dest_index = 42);
        a.src_depth = 65;
        expect_err(cnode_op(TESSERA_INV_CNODE_COPY, &a), TESSERA_ERR_RANGE, "copy: source depth 65");
        a = ROOT_ARGS(.src_index = 10 << 1, .dest_index = 42);
        a.src_depth = 9;
        expect_err(cnode_op(TESSERA_INV_CNODE_COPY, &a), TESSERA_ERR_FAILED_LOOKUP,
                   "copy: source address goes past a leaf");
        expect_err(copy(12, 43, ALL), TESSERA_ERR_ILLEGAL_OPERATION, "copy: a reply cap");
        expect_err(mint(12, 43, ALL, 1), TESSERA_ERR_ILLEGAL_OPERATION, "mint: a reply cap");
        ok(move(12, 43) == 0 && S(43)->cap.type == CAP_REPLY, "move: a reply cap");
        cdt_insert(NULL, S(30), &(struct cap){ .type = CAP_IRQ_CONTROL, .rights = ALL });
        expect_err(copy(30, 44, ALL), TESSERA_ERR_ILLEGAL_OPERATION, "copy: IRQ control");
        expect_err(copy(15, 44, ALL), TESSERA_ERR_ILLEGAL_OPERATION, "copy: a VSpace without an ASID");
        S(15)->cap.flags |= CAP_FLAG_MAPPED, S(15)->cap.data = 9;
        ok(copy(15, 44, ALL) == 0 && S(44)->cap.data == 9, "copy: a VSpace with an ASID keeps it");
        S(14)->cap.flags |= CAP_FLAG_MAPPED, S(14)->cap.data = 0x400000;
        ok(copy(14, 45, ALL) == 0 && !(S(45)->cap.flags & CAP_FLAG_MAPPED) && S(45)->cap.data == 0,
           "copy: a mapped frame's copy is unmapped");
        invariants("after copies");
}

static void ops_mint(void)
{
        ops_setup();
        ok(mint(10, 22, ALL, 7) == 0 && S(22)->cap.data == 7 && S(22)->parent == S(10),
           "mint: badges an endpoint; the badged cap is a child");
        expect_err(mint(22, 23, ALL, 9), TESSERA_ERR_ILLEGAL_OPERATION, "mint: a badge onto a badged cap");
        ok(mint(22, 23, ALL, 0) == 0 && S(23)->cap.data == 7 && S(23)->parent == S(22),
           "mint: badge 0 keeps the badge");
        ok(mint(11, 24, ALL, 3) == 0 && S(24)->cap.data == 3, "mint: badges a notification");
        ok(mint(13, 25, ALL, GUARD(1, 2)) == 0 && S(25)->cap.data == 1 && S(25)->cap.guard_bits == 2,
           "mint: sets a CNode's guard");
        expect_err(mint(13, 26, ALL, GUARD(4, 2)), TESSERA_ERR_RANGE, "mint: a guard wider than its width");
        expect_err(mint(13, 26, ALL, GUARD(0, 63)), TESSERA_ERR_RANGE, "mint: guard + radix over 64");
        ok(lookup_slot(25u << 4 | 1u << 2 | 3, 12) == cnode_slot(&S(13)->cap, 3),
           "mint: lookup through the minted guard");
        invariants("after mints");
        revoke(10);
        ok(cap_is_null(&S(22)->cap) && cap_is_null(&S(23)->cap), "revoke: removes the badged children");
}

static void ops_mutate(void)
{
        ops_setup();
        copy(10, 25, ALL);
        ok(mutate(25, 26, 5) == 0 && S(26)->cap.data == 5 && S(26)->parent == S(10) &&
           cap_is_null(&S(25)->cap), "mutate: badges a childless cap, keeping its place");
        expect_err(mutate(26, 27, 6), TESSERA_ERR_ILLEGAL_OPERATION, "mutate: a badge onto a badged cap");
        expect_err(mutate(10, 27, 3), TESSERA_ERR_REVOKE_FIRST, "mutate: badging a cap with children");
        ok(mutate(26, 27, 0) == 0 && S(27)->cap.data == 5, "mutate: data 0 moves it as it is");
        ok(mutate(13, 28, GUARD(3, 4)) == 0 && S(28)->cap.guard_bits == 4 && S(28)->cap.data == 3,
           "mutate: sets a CNode's guard");
        expect_err(mutate(28, 29, GUARD(1 << 10, 10)), TESSERA_ERR_RANGE, "mutate: a guard that does not fit");
        expect_err(mutate(40, 29, 0), TESSERA_ERR_FAILED_LOOKUP, "mutate: source empty");
        expect_err(move(27, 28), TESSERA_ERR_DELETE_FIRST, "move: destination full");
        expect_err(move(27, 27), TESSERA_ERR_DELETE_FIRST, "move: onto itself");
        invariants("after mutates");
}

static int rotate(uint64_t dest, uint64_t pivot, uint64_t src, uint64_t pivot_data, uint64_t src_data)
{
        return cnode_op(TESSERA_INV_CNODE_ROTATE,
                        &ROOT_ARGS(.dest_index = dest, .pivot_index = pivot, .src_index = src,
                                   .data = pivot_data, .src_data = src_data));
}

static void ops_rotate(void)
{
        struct cap ep, ntfn;

        ops_setup();
        ep = S(10)->cap, ntfn = S(11)->cap;
        ok(rotate(20, 11, 10, 0, 4) == 0 && S(20)->cap.type == CAP_NOTIFICATION &&
           S(11)->cap.type == CAP_ENDPOINT && S(11)->cap.data == 4 && cap_is_null(&S(10)->cap),
           "rotate: pivot to dest, src to pivot (badged on the way)");
        invariants("after a rotate");
        ok(rotate(20, 11, 20, 0, 0) == 0 && S(20)->cap.object == ep.object &&
           S(11)->cap.object == ntfn.object, "rotate: dest == src swaps");
        expect_err(rotate(21, 20, 20, 0, 0), TESSERA_ERR_ILLEGAL_OPERATION, "rotate: pivot == src");
        expect_err(rotate(20, 20, 11, 0, 0), TESSERA_ERR_ILLEGAL_OPERATION, "rotate: pivot == dest");
        expect_err(rotate(13, 11, 20, 0, 0), TESSERA_ERR_DELETE_FIRST, "rotate: dest full");
        expect_err(rotate(21, 22, 20, 0, 0), TESSERA_ERR_FAILED_LOOKUP, "rotate: pivot empty");
        expect_err(rotate(21, 20, 22, 0, 0), TESSERA_ERR_FAILED_LOOKUP, "rotate: src empty");
        expect_err(rotate(21, 20, 11, 9, 0), TESSERA_ERR_ILLEGAL_OPERATION, "rotate: badging a badged cap");
        invariants("after rotates");
}

static void ops_rights(void)
{
        struct cap ro, wo, ep;
        struct cspace_args a;

        ops_setup();
        copy(0, 5, R);
        copy(0, 6, W);
        ro = S(5)->cap, wo = S(6)->cap, ep = S(10)->cap;
        expect_err(op_with(TESSERA_INV_CNODE_COPY, &ro, &root, ROOT_ARGS(.src_index = 10, .dest_index = 30)),
                   TESSERA_ERR_INSUFFICIENT_RIGHTS, "rights: copy into a read-only CNode");
        ok(op_with(TESSERA_INV_CNODE_COPY, &root, &ro, ROOT_ARGS(.src_index = 10, .dest_index = 30)) == 0,
           "rights: copy out of a read-only CNode");
        expect_err(op_with(TESSERA_INV_CNODE_MOVE, &root, &ro, ROOT_ARGS(.src_index = 30, .dest_index = 31)),
                   TESSERA_ERR_INSUFFICIENT_RIGHTS, "rights: move out of a read-only CNode");
        expect_err(op_with(TESSERA_INV_CNODE_COPY, &root, &wo, ROOT_ARGS(.src_index = 10, .dest_index = 31)),
                   TESSERA_ERR_INSUFFICIENT_RIGHTS, "rights: copy out of a write-only CNode");
        expect_err(op_with(TESSERA_INV_CNODE_DELETE, &ro, NULL, ROOT_ARGS(.dest_index = 30)),
                   TESSERA_ERR_INSUFFICIENT_RIGHTS, "rights: delete in a read-only CNode");
        expect_err(op_with(TESSERA_INV_CNODE_REVOKE, &ro, NULL, ROOT_ARGS(.dest_index = 10)),
                   TESSERA_ERR_INSUFFICIENT_RIGHTS, "rights: revoke in a read-only CNode");
        expect_err(op_with(TESSERA_INV_CNODE_COPY, &root, &ep, ROOT_ARGS(.src_index = 10, .dest_index = 31)),
                   TESSERA_ERR_INVALID_CAPABILITY, "copy: source root is not a CNode");
        expect_err(op_with(TESSERA_INV_CNODE_MOVE, &root, NULL, ROOT_ARGS(.src_index = 10, .dest_index = 31)),
                   TESSERA_ERR_INVALID_CAPABILITY, "move: no source root");
        expect_err(op_with(TESSERA_INV_UNTYPED_RETYPE, &root, &root, ROOT_ARGS(.dest_index = 31)),
                   TESSERA_ERR_ILLEGAL_OPERATION, "decode: not a CNode invocation");
        a = ROOT_ARGS(.dest_index = 1 << 1);
        a.dest_depth = 9;
        expect_err(op_with(TESSERA_INV_CNODE_DELETE, &root, NULL, a), TESSERA_ERR_FAILED_LOOKUP,
                   "delete: address past a leaf");
        ok(delete(99) == 0, "delete: an empty slot is a no-op");
        invariants("after rights checks");
}

/* Copying an untyped hands its memory to the copy (cspace_ops.h). */
static void ops_untyped_copy(void)
{
        fixture_reset();
        ok(copy(UT_SLOT, 20, ALL) == 0 && S(UT_SLOT)->cap.data == 1u << ARENA_BITS &&
           S(20)->parent == S(UT_SLOT), "copy: an untyped without children; the copy gets the memory");
        expect_err(retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 30, 1), TESSERA_ERR_NOT_ENOUGH_MEMORY,
                   "retype: from the untyped that was copied");
        ok(retype(20, TESSERA_OBJ_ENDPOINT, 0, 30, 1) == 0 && S(30)->cap.object == (uintptr_t)arena,
           "retype: from the copy, at the start of the memory");
        expect_err(copy(20, 21, ALL), TESSERA_ERR_REVOKE_FIRST, "copy: an untyped with children");
        invariants("with an untyped copy");
        revoke(20);
        delete(20);
        ok(retype(UT_SLOT, TESSERA_OBJ_ENDPOINT, 0, 30, 1) == 0 && S(30)->cap.object == (uintptr_t)arena,
           "retype: the original works again once the copy is gone");
        invariants("after the copy went");
}

void test_ops(void)
{
        ops_copy();
        ops_mint();
        ops_mutate();
        ops_rotate();
        ops_rights();
        ops_untyped_copy();
}
