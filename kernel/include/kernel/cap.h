/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capabilities and CNode slots. A capability is a small, readable record (not
 * bit-packed): what it names, with which rights, plus two per-type words. A
 * slot (struct cte) is a capability together with its links in the
 * capability derivation tree (cdt.h); CNodes are arrays of slots, 64 bytes
 * each (TESSERA_SLOT_BITS). All-zero is an empty slot: CAP_NULL, no links,
 * so memory cleared for a new CNode is a CNode of empty slots.
 *
 * Per-type meaning of the fields (object is a kernel virtual address; for
 * memory outside the partition, device MMIO and shared regions, it is the
 * physical-window address, which is not mapped: the kernel never
 * dereferences it, see root_devices.c):
 *
 *   type           object          size_bits     data                aux
 *   UNTYPED        memory base     log2 size     free index (bytes)  -
 *   CNODE          slot array      radix         guard value         -     (guard_bits: guard width)
 *   TCB            tcb             10            -                   -
 *   ENDPOINT       endpoint        4             badge (0: none)     -
 *   NOTIFICATION   notification    5             badge (0: none)     -
 *   REPLY          reply           5             -                   -
 *   FRAME          frame memory    12 or 21      mapped vaddr        mapped ASID   (CAP_FLAG_MAPPED)
 *   VSPACE         level-0 table   12            ASID                -     (CAP_FLAG_MAPPED: has an ASID)
 *   PAGE_TABLE     table           12            mapped vaddr        mapped ASID   (CAP_FLAG_MAPPED)
 *   IRQ_CONTROL    0               0             -                   -
 *   IRQ_HANDLER    0               0             INTID               -
 *   ASID_CONTROL   0               0             -                   -
 *   IPI_SEND       0               0             badge               destination (core << 32 | port)
 *   IPI_PORT       0               0             port                -
 *   ZOMBIE         slot array      radix         slots left to empty next zombie below (cdt.h)
 *                  (of a CNode, or of an object with slots: CAP_FLAG_ZOMBIE_OBJECT)
 *
 * A ZOMBIE is a CNode whose last capability is being deleted: it never
 * leaves the deletion machinery in cdt_delete.c and cannot be invoked,
 * copied or moved.
 */
#ifndef KERNEL_CAP_H
#define KERNEL_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/objects.h>

enum cap_type {
        CAP_NULL = 0,
        CAP_UNTYPED,
        CAP_CNODE,
        CAP_TCB,
        CAP_ENDPOINT,
        CAP_NOTIFICATION,
        CAP_REPLY,
        CAP_FRAME,
        CAP_VSPACE,
        CAP_PAGE_TABLE,
        CAP_IRQ_CONTROL,
        CAP_IRQ_HANDLER,
        CAP_ASID_CONTROL,
        CAP_IPI_SEND,
        CAP_IPI_PORT,
        CAP_ZOMBIE,
        CAP_TYPE_COUNT
};

/* flags */
#define CAP_FLAG_DEVICE  (1u << 0)   /* untyped or frame of device memory: never cleared */
#define CAP_FLAG_MAPPED  (1u << 1)   /* frame/page table: mapped; VSpace: has an ASID */
#define CAP_FLAG_ZOMBIE_OBJECT (1u << 2) /* zombie: of a TCB's slots, not a CNode */
#define CAP_FLAGS_ALL    0x7u

struct cap {
        uint8_t type;           /* enum cap_type */
        uint8_t rights;         /* TESSERA_RIGHT_* */
        uint8_t size_bits;      /* see the table above */
        uint8_t guard_bits;     /* CNode: width of the guard, radix + guard_bits <= 64 */
        uint32_t flags;         /* CAP_FLAG_* */
        uint64_t object;
        uint64_t data;
        uint64_t aux;
};

/* A CNode slot: a capability and its place in the derivation tree (cdt.h). */
struct cte {
        struct cap cap;
        struct cte *parent;
        struct cte *first_child;
        struct cte *next_sibling;
        struct cte *prev_sibling;
};

_Static_assert(sizeof(struct cap) == 32, "struct cap is 32 bytes");
_Static_assert(sizeof(struct cte) == 1u << TESSERA_SLOT_BITS, "a CNode slot is 2^TESSERA_SLOT_BITS bytes");

#define CAP_BADGE_NONE 0u

static inline bool cap_is_null(const struct cap *c) { return c->type == CAP_NULL; }

/* Endpoint, notification and IPI send caps carry a badge in data. */
static inline bool cap_has_badge_field(const struct cap *c)
{
        return c->type == CAP_ENDPOINT || c->type == CAP_NOTIFICATION || c->type == CAP_IPI_SEND;
}

/* log2 of the bytes of memory the cap's object occupies; 0 for caps without memory. */
unsigned cap_object_bits(const struct cap *c);
/* Whether the two caps name the same object (untyped caps never do: each is its own). */
bool cap_same_object(const struct cap *a, const struct cap *b);
/* The slots of a CNode (or zombie) cap. */
static inline struct cte *cap_cnode_slots(const struct cap *c)
{
        return (struct cte *)(uintptr_t)c->object;
}

/* Constructors for the caps the kernel makes from nothing at boot. A normal
 * untyped starts with its free index at the top: its memory counts as dirty
 * and is cleared by the first retype (untyped.h). */
struct cap cap_untyped(uint64_t base, unsigned size_bits, bool device);
struct cap cap_cnode(uint64_t slots, unsigned radix, uint64_t guard, unsigned guard_bits);

#endif
