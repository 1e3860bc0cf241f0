/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guarded, multi-level CNode lookup. A capability address (cptr) is read
 * most significant bit first. At each CNode the next guard_bits bits must
 * equal the CNode cap's guard, and the radix bits after them index a slot;
 * a level consumes guard_bits + radix bits. Lookups terminate: every level
 * consumes at least one bit (radix >= 1), so at most 64 levels are walked,
 * whatever cycles a CSpace contains.
 */
#ifndef KERNEL_CNODE_H
#define KERNEL_CNODE_H

#include <stdint.h>
#include <kernel/cap.h>

/* Mint/Mutate data word for a CNode cap: guard width in the low 6 bits, the
 * guard value above them (so guard values are limited to 58 bits). */
#define CNODE_GUARD_WIDTH_BITS 6u

/* The slot `index` of a CNode cap; index < 2^radix is the caller's promise. */
static inline struct cte *cnode_slot(const struct cap *cnode, uint64_t index)
{
        return cap_cnode_slots(cnode) + index;
}

/*
 * Resolves exactly `depth` bits of cptr (its low depth bits) from `root`.
 * TESSERA_ERR_RANGE: depth is 0 or more than 64. TESSERA_ERR_FAILED_LOOKUP:
 * root is not a CNode, a guard does not match, the bits run out within a
 * level, or bits remain at a slot that does not hold a CNode cap.
 * The slot found may be empty.
 */
int cnode_lookup(const struct cap *root, uint64_t cptr, unsigned depth, struct cte **slot);

/*
 * The lookup for an invoked capability address (a syscall's x0): all 64
 * bits, but it stops at the first slot that does not hold a CNode cap and
 * ignores any bits left (seL4's behaviour for implicit-depth lookups).
 */
int cnode_lookup_cap(const struct cap *root, uint64_t cptr, struct cte **slot);

/* Checks and decodes a CNode guard data word for a CNode cap of `radix`.
 * TESSERA_ERR_RANGE when the guard does not fit its width or
 * radix + width > 64. */
int cnode_guard_decode(uint64_t data, unsigned radix, uint64_t *guard, unsigned *guard_bits);

#endif
