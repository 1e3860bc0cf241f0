/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The CNode invocations (invocations.h: Copy, Mint, Move, Mutate, Delete,
 * Revoke, Rotate) on slots: cspace_decode checks everything and has no
 * effects; cspace_invoke acts and cannot fail.
 *
 * Rights on the CNode caps used as roots (Tessera's rule; seL4 CNode caps
 * carry none): changing a slot needs WRITE on the root it is looked up
 * through (every destination; the source of Move, Mutate and Rotate, which
 * empty it; Delete and Revoke); deriving from a slot needs READ on its root
 * (the source of Copy and Mint). Mint and Copy can only remove rights.
 *
 * Derivation (Copy, Mint, and capability transfer through cspace_derive):
 *  - an empty source: FAILED_LOOKUP. Reply, IRQ control and zombie caps
 *    cannot be copied: ILLEGAL_OPERATION.
 *  - an untyped can be copied only while it has no children (REVOKE_FIRST);
 *    the copy gets the memory: the source's free index moves to its end, so
 *    the two never hand out the same bytes. When the copy is gone the source
 *    has no children again and resets.
 *  - a page table or VSpace cap can be copied only once mapped (has an
 *    ASID), so each table is mapped at most once; a frame's copy starts
 *    unmapped.
 * Data words (Mint's badge or guard, Mutate's and Rotate's data):
 *  - endpoint, notification, IPI send: a nonzero word sets the badge of an
 *    unbadged cap; on a badged one it is ILLEGAL_OPERATION; 0 keeps the
 *    badge. Mutate can badge only a cap without children (REVOKE_FIRST),
 *    since copies of a badged cap must carry its badge.
 *  - CNode: the guard word (cnode.h), always applied; RANGE if it does not fit.
 *  - other types: ignored.
 */
#ifndef KERNEL_CSPACE_OPS_H
#define KERNEL_CSPACE_OPS_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/invocations.h>
#include <kernel/cap.h>

/* A CNode invocation's arguments, as the kernel read them from the message. */
struct cspace_args {
        uint64_t dest_index, dest_depth;        /* Delete, Revoke: the slot */
        uint64_t src_index, src_depth;
        uint64_t pivot_index, pivot_depth;      /* Rotate */
        uint64_t rights;                        /* Copy, Mint: the rights to keep */
        uint64_t data;          /* Mint, Mutate: for the cap going to dest;
                                   Rotate: for the cap going from pivot to dest */
        uint64_t src_data;      /* Rotate: for the cap going from src to pivot */
};

/* The CNode caps addresses are looked up in: dest is the invoked CNode,
 * src (extra cap 0) and pivot (extra cap 1, Rotate) may be NULL when unused. */
struct cspace_roots {
        const struct cap *dest, *src, *pivot;
};

struct cspace_op {
        enum tessera_invocation label;
        struct cte *dest, *src, *pivot;
        struct cap dest_cap;    /* the cap written to dest */
        struct cap pivot_cap;   /* Rotate: the cap written to pivot */
};

int cspace_decode(enum tessera_invocation label, const struct cspace_roots *roots,
                  const struct cspace_args *args, struct cspace_op *op);

/* Copy, Mint, Move, Mutate and Rotate finish at once. Delete and Revoke do
 * up to `budget` units (cdt.h) and return false if preempted. */
bool cspace_invoke(const struct cspace_op *op, unsigned budget);

/* Capability transfer over IPC is cspace_derive, then cspace_insert_copy. */
/* The cap a copy of src would be (rules above), or why there is none. */
int cspace_derive(const struct cte *src, struct cap *out);
/* Puts a derived cap into the empty slot dest as a child of src. */
void cspace_insert_copy(struct cte *src, struct cte *dest, const struct cap *cap);

#endif
