/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Randomized stress for the capability core: seeded sequences of retype,
 * copy, mint, move, mutate, rotate, delete and revoke on random addresses
 * (valid or not) of a small two-level CSpace, with deletes and revokes
 * sometimes preempted and left pending while other operations run, and
 * the invariant checker after every step. At the end of each seed, revoking
 * the untyped must have destroyed every object exactly once.
 */
#include <stdio.h>
#include "cspace_test.h"

#define SEEDS 10
#define OPS_PER_SEED 2500
#define SLOTS_USED 40                   /* root slots in play: collisions are likely */
#define STRESS_UT_BITS 16               /* a small arena: it fills and is revoked often */
#define PROTECTED 3                     /* root CNode, untyped, device untyped */

static uint64_t rng;

static uint64_t rnd(void)
{
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return rng;
}

static uint64_t below(uint64_t n) { return rnd() % n; }

struct addr {
        uint64_t cptr;
        unsigned depth;
};

/* A root slot, or a slot in a CNode of radix 1..3 held in a root slot. */
static struct addr random_addr(bool protect)
{
        uint64_t i = protect ? PROTECTED + below(SLOTS_USED - PROTECTED) : below(SLOTS_USED);
        unsigned r = 1 + (unsigned)below(3);

        if (below(10) < 7)
                return (struct addr){ i, ROOT_RADIX };
        return (struct addr){ i << r | below(1u << r), ROOT_RADIX + r };
}

/* Prefers (a few tries) an address that resolves to a full or empty slot. */
static struct addr pick(bool protect, bool want_full)
{
        struct addr a = random_addr(protect);

        for (unsigned tries = 0; tries < 4; tries++) {
                struct cte *s = lookup_slot(a.cptr, a.depth);

                if (s && cap_is_null(&s->cap) != want_full)
                        break;
                a = random_addr(protect);
        }
        return a;
}

static const struct cap *random_dest_cnode(void)
{
        struct cte *s = slot_at(below(SLOTS_USED));

        return below(3) == 0 && s->cap.type == CAP_CNODE ? &s->cap : &root;
}

static int random_retype(void)
{
        static const uint64_t types[] = {
                TESSERA_OBJ_ENDPOINT, TESSERA_OBJ_NOTIFICATION, TESSERA_OBJ_CNODE, TESSERA_OBJ_CNODE,
                TESSERA_OBJ_TCB, TESSERA_OBJ_REPLY, TESSERA_OBJ_FRAME_4K, TESSERA_OBJ_UNTYPED,
                TESSERA_OBJ_VSPACE, TESSERA_OBJ_PAGE_TABLE,
        };
        uint64_t type = types[below(sizeof(types) / sizeof(types[0]))];
        uint64_t size = type == TESSERA_OBJ_CNODE ? 1 + below(3) : 6 + below(8);
        const struct cap *dest = random_dest_cnode();
        struct addr ut = below(4) ? (struct addr){ below(5) ? UT_SLOT : DEV_SLOT, ROOT_RADIX }
                                  : pick(false, true);

        uint64_t slots = dest == &root ? SLOTS_USED : 1u << dest->size_bits, offset = below(slots);

        for (unsigned tries = 0; tries < 4 && !cap_is_null(&cnode_slot(dest, offset)->cap); tries++)
                offset = below(slots);
        return retype_at(ut.cptr, ut.depth, type, size, dest, offset, 1 + below(3));
}

static struct cspace_args random_args(bool protect_src)
{
        struct addr d = pick(true, false), s = pick(protect_src, true), p = pick(true, true);

        return (struct cspace_args){
                .dest_index = d.cptr, .dest_depth = d.depth,
                .src_index = s.cptr, .src_depth = s.depth,
                .pivot_index = p.cptr, .pivot_depth = p.depth,
                .rights = below(16), .data = below(4), .src_data = below(4),
        };
}

/* A Delete or Revoke that may be preempted and resumed later. */
struct pending {
        bool active;
        enum tessera_invocation label;
        struct cspace_args args;
};

static unsigned preempted_steps;

static bool step(struct pending *p)
{
        struct cspace_roots roots = { &root, &root, &root };
        struct cspace_op op;

        if (cspace_decode(p->label, &roots, &p->args, &op) != TESSERA_OK) {
                p->active = false;      /* the slot went away; the reaper finishes later */
                return true;
        }
        p->active = !cspace_invoke(&op, 1 + (unsigned)below(4));
        preempted_steps += p->active;
        return !p->active;
}

/* Delete a random full slot, or revoke one (a third of the time the
 * untyped). Started while none is pending, it may stay pending. */
static int random_delete(struct pending *p, bool revoke_it)
{
        enum tessera_invocation label = revoke_it ? TESSERA_INV_CNODE_REVOKE : TESSERA_INV_CNODE_DELETE;
        struct addr t = pick(!revoke_it, true);
        struct cspace_args a = { 0 };

        if (revoke_it && below(3) == 0)
                t = (struct addr){ UT_SLOT, ROOT_RADIX };
        a.dest_index = t.cptr, a.dest_depth = t.depth;
        if (p->active)
                return cnode_op(label, &a);
        *p = (struct pending){ true, label, a };
        step(p);
        return TESSERA_OK;
}

static int random_op(struct pending *p)
{
        static const enum tessera_invocation moves[] = {
                TESSERA_INV_CNODE_COPY, TESSERA_INV_CNODE_MINT, TESSERA_INV_CNODE_MOVE,
                TESSERA_INV_CNODE_MUTATE, TESSERA_INV_CNODE_ROTATE,
        };
        enum tessera_invocation label = moves[below(5)];
        uint64_t roll = below(100);
        struct cspace_args a;

        if (p->active && roll < 30)
                return step(p) ? TESSERA_OK : -1;
        if (roll < 55)
                return random_retype();
        if (roll >= 85)
                return random_delete(p, roll >= 93);
        /* only Copy and Mint leave the source in place: others spare the protected slots */
        a = random_args(label != TESSERA_INV_CNODE_COPY && label != TESSERA_INV_CNODE_MINT);
        return cnode_op(label, &a);
}

/* Revoke both untypeds, then empty every root slot but the root's own. */
static bool wind_down(void)
{
        for (uint64_t i = 1; i < (1u << ROOT_RADIX); i++)
                while (!cdt_revoke_step(slot_at(i), 7))
                        ;
        if (live_objects() != 1)
                return false;
        for (uint64_t i = PROTECTED; i < (1u << ROOT_RADIX); i++)
                while (!cdt_delete_step(slot_at(i), 7))
                        ;
        return live_objects() == 1 && cdt_reaper_idle();
}

static bool run_seed(unsigned seed, unsigned *succeeded)
{
        struct pending p = { 0 };
        char when[64];

        rng = 0x9e3779b97f4a7c15ull * (seed + 1);
        fixture_reset_sized(STRESS_UT_BITS);
        for (unsigned i = 0; i < OPS_PER_SEED; i++) {
                int err = random_op(&p);

                *succeeded += err == TESSERA_OK;
                snprintf(when, sizeof(when), "seed %u op %u", seed, i);
                if (err >= TESSERA_ERR_COUNT || !invariants(when))
                        return false;
        }
        while (p.active)
                step(&p);
        return invariants("after the last op") && wind_down() && invariants("after winding down");
}

void test_stress(void)
{
        for (unsigned seed = 0; seed < SEEDS; seed++) {
                unsigned succeeded = 0, steps_before = preempted_steps, inits;
                bool held = run_seed(seed, &succeeded);

                inits = hooks.inits;
                ok(held, "stress seed %u: %u ops (%u succeeded, %u objects made, %u preempted steps); "
                   "invariants held and every object was destroyed once", seed, OPS_PER_SEED, succeeded,
                   inits, preempted_steps - steps_before);
        }
        fixture_reset();
}
