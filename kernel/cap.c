/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Facts about a single capability: how much memory its object occupies and
 * whether two capabilities name the same object. The derivation tree
 * (cdt.c) uses the latter to tell a copy from a different object.
 */
#include <kernel/cap.h>

unsigned cap_object_bits(const struct cap *c)
{
        switch (c->type) {
        case CAP_CNODE:
        case CAP_ZOMBIE:
                return c->size_bits + TESSERA_SLOT_BITS;
        case CAP_UNTYPED:
        case CAP_TCB:
        case CAP_ENDPOINT:
        case CAP_NOTIFICATION:
        case CAP_REPLY:
        case CAP_FRAME:
        case CAP_VSPACE:
        case CAP_PAGE_TABLE:
                return c->size_bits;
        default:
                return 0;
        }
}

/*
 * Objects without memory are named by a number: the INTID of an IRQ
 * handler, the port of an IPI port, the destination of an IPI send cap;
 * there is one IRQ control and one ASID control object per kernel.
 */
bool cap_same_object(const struct cap *a, const struct cap *b)
{
        if (a->type != b->type)
                return false;
        switch (a->type) {
        case CAP_NULL:
        case CAP_UNTYPED:
        case CAP_ZOMBIE:
                return false;
        case CAP_IRQ_CONTROL:
        case CAP_ASID_CONTROL:
                return true;
        case CAP_IRQ_HANDLER:
        case CAP_IPI_PORT:
                return a->data == b->data;
        case CAP_IPI_SEND:
                return a->aux == b->aux;
        default:
                return a->object == b->object && a->size_bits == b->size_bits;
        }
}

struct cap cap_untyped(uint64_t base, unsigned size_bits, bool device)
{
        struct cap c = {
                .type = CAP_UNTYPED,
                .rights = TESSERA_RIGHTS_ALL,
                .size_bits = (uint8_t)size_bits,
                .flags = device ? CAP_FLAG_DEVICE : 0,
                .object = base,
                .data = device ? 0 : (uint64_t)1 << size_bits,
        };
        return c;
}

struct cap cap_cnode(uint64_t slots, unsigned radix, uint64_t guard, unsigned guard_bits)
{
        struct cap c = {
                .type = CAP_CNODE,
                .rights = TESSERA_RIGHTS_ALL,
                .size_bits = (uint8_t)radix,
                .guard_bits = (uint8_t)guard_bits,
                .object = slots,
                .data = guard,
        };
        return c;
}
