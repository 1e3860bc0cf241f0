/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root task's resources, handed out: slots of its root CNode (the boot
 * info's empty range) and kernel objects retyped from its untyped caps. No
 * heap: a bitmap of the CNode's slots and a table of the untypeds, both of
 * fixed size, live in the caller's struct tessera_alloc.
 *
 * Slots are addressed as the root CNode addresses them: the index is the
 * address, at depth 64 (bootinfo.h). Objects come only from normal (not
 * device) untypeds. The allocator keeps its own estimate of each untyped's
 * free index; the estimate only orders the attempts, the kernel decides: a
 * Retype refused with TESSERA_ERR_NOT_ENOUGH_MEMORY moves on to the next
 * untyped, and untypeds the estimate calls full are still asked last (one
 * whose objects were all deleted and revoked is empty again).
 */
#ifndef LIB_TESSERA_ALLOC_H
#define LIB_TESSERA_ALLOC_H

#include <stdint.h>
#include <tessera/bootinfo.h>

#define TESSERA_ALLOC_MAX_SLOTS   (1u << TESSERA_ROOT_CNODE_BITS)
#define TESSERA_ALLOC_MAX_RETYPE  256   /* objects per Retype (the kernel's bound) */

struct tessera_alloc_untyped {
        uint64_t slot;
        uint64_t used;                  /* estimated free index, in bytes from the base */
        uint8_t size_bits;
};

struct tessera_alloc {
        uint64_t cnode;                 /* the CNode slots live in (TESSERA_SLOT_CNODE) */
        uint64_t first, end;            /* the managed slots [first, end) */
        uint64_t free_slots;
        uint64_t used_map[TESSERA_ALLOC_MAX_SLOTS / 64];  /* 1: allocated or not managed */
        unsigned untyped_count;
        struct tessera_alloc_untyped untyped[TESSERA_BOOTINFO_MAX_UNTYPED];
};

/* Takes over the boot info's empty slots and normal untypeds. A range beyond
 * the root CNode is cut to it. */
void tessera_alloc_init(struct tessera_alloc *a, const struct tessera_bootinfo *bi);

/* Slots: the first of `count` consecutive free ones, marked used; 0 (the
 * null slot, never managed) when no such run is left. */
uint64_t tessera_alloc_slot(struct tessera_alloc *a);
uint64_t tessera_alloc_slots(struct tessera_alloc *a, uint64_t count);
/* Gives slots back. They must be empty (delete their caps first); slots the
 * allocator does not manage are ignored. */
void tessera_alloc_free_slot(struct tessera_alloc *a, uint64_t slot);
void tessera_alloc_free_slots(struct tessera_alloc *a, uint64_t first, uint64_t count);

/* log2 of the bytes an object of `type` takes (size_bits: an untyped's log2
 * size, a CNode's radix; ignored for fixed sizes); 0 for an unknown type. */
unsigned tessera_alloc_object_bits(unsigned type, unsigned size_bits);

/*
 * Retypes `count` objects (1..TESSERA_ALLOC_MAX_RETYPE) into the caller's
 * slots dest..dest+count-1 of the allocator's CNode, all from one untyped
 * with room. Returns TESSERA_OK, TESSERA_ERR_NOT_ENOUGH_MEMORY when no
 * untyped has room, TESSERA_ERR_INVALID_ARGUMENT / _RANGE for an unknown type
 * or a bad count, or the kernel's error when it refuses for another reason.
 */
int tessera_alloc_retype(struct tessera_alloc *a, unsigned type, unsigned size_bits,
                         uint64_t dest, uint64_t count);

/* One object in a fresh slot (*slot on success): as tessera_alloc_retype,
 * and TESSERA_ERR_NOT_ENOUGH_MEMORY also when no slot is free. */
int tessera_alloc_object(struct tessera_alloc *a, unsigned type, unsigned size_bits,
                         uint64_t *slot);

#endif
