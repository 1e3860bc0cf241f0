/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Untyped memory and Retype: carving kernel objects out of an untyped cap's
 * memory, at the free index (watermark) aligned up to each object's size.
 *
 * Invariants:
 *  - an untyped's base is aligned to its size; objects are aligned to theirs.
 *  - every child of an untyped lies in [base, base + free index), so new
 *    objects, carved at or above the free index, never overlap a live one.
 *  - for normal (not device) memory, every byte at or above the free index
 *    is zero. Objects are therefore made in cleared memory. When an untyped
 *    has no children (Revoke took them all) its memory is free again: the
 *    next Retype first resets it, clearing [0, free index) top down in
 *    chunks of UNTYPED_CLEAR_CHUNK and lowering the free index as it goes,
 *    so the invariant holds after every chunk and the clearing can be
 *    preempted (untyped_reset_step) and resumed by the restarted call.
 *    A device untyped's reset only sets its free index to 0: the kernel
 *    never touches device memory.
 *
 * Retype is decode (every check, no effects), then the reset steps if the
 * plan says so, then invoke (cannot fail).
 */
#ifndef KERNEL_UNTYPED_H
#define KERNEL_UNTYPED_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/objects.h>
#include <kernel/cap.h>
#include <kernel/kobject.h>

#define UNTYPED_CLEAR_CHUNK_BITS  12
#define UNTYPED_CLEAR_CHUNK       (1u << UNTYPED_CLEAR_CHUNK_BITS)
#define UNTYPED_RETYPE_MAX_COUNT  256   /* objects per Retype: bounds its work */

struct untyped_plan {
        struct cte *untyped;
        enum tessera_object_type type;
        unsigned obj_bits;              /* log2 bytes of each object */
        uint64_t first;                 /* offset of the first object from the base */
        uint64_t count;
        struct cte *dest;               /* first of count consecutive empty slots */
        bool reset;                     /* untyped_reset_step must finish first */
};

/*
 * log2 of the size of an object of `type` made with the caller's size_bits
 * (Untyped: log2 of its size; CNode: its radix; ignored for fixed sizes).
 * TESSERA_ERR_INVALID_ARGUMENT for an unknown type, TESSERA_ERR_RANGE for a
 * size out of range.
 */
int untyped_object_bits(uint64_t type, uint64_t size_bits, unsigned *obj_bits);

/*
 * Checks a Retype of `count` objects into dest_cnode's slots dest_offset..
 * Errors: INVALID_CAPABILITY (not an untyped / not a CNode), INVALID_ARGUMENT
 * (type), ILLEGAL_OPERATION (device untyped, not a frame or untyped), RANGE
 * (size_bits, count 0 or above UNTYPED_RETYPE_MAX_COUNT, slots beyond the
 * CNode), DELETE_FIRST (a destination slot is full), NOT_ENOUGH_MEMORY.
 */
int untyped_retype_decode(struct cte *untyped, uint64_t type, uint64_t size_bits,
                          const struct cap *dest_cnode, uint64_t dest_offset, uint64_t count,
                          struct untyped_plan *plan);

/* Clears up to `budget` chunks of a childless untyped; true when its free
 * index has reached 0. */
bool untyped_reset_step(struct cte *untyped, unsigned budget);

/* Makes the objects, their caps (children of the untyped) and moves the
 * free index past them. */
void untyped_retype_invoke(const struct untyped_plan *plan);

#endif
