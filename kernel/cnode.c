/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CNode address resolution (see cnode.h for the rules). Pure: reads caps
 * and slots, changes nothing.
 */
#include <stdbool.h>
#include <kernel/cnode.h>
#include <tessera/errors.h>

static inline uint64_t low_mask(unsigned bits)
{
        return bits >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << bits) - 1;
}

/* The `count` bits of cptr just below bit position `top` (count <= top <= 64). */
static inline uint64_t bits_below(uint64_t cptr, unsigned top, unsigned count)
{
        unsigned shift = top - count;

        return (shift >= 64 ? 0 : cptr >> shift) & low_mask(count);
}

/*
 * One level: checks node's guard against the bits below `*left`, consumes
 * them and the index, and returns the slot. NULL means a failed lookup.
 */
static struct cte *resolve_level(const struct cap *node, uint64_t cptr, unsigned *left)
{
        unsigned radix = node->size_bits, width = radix + node->guard_bits;
        uint64_t bits;

        if (node->type != CAP_CNODE || radix == 0 || width > *left)
                return NULL;
        bits = bits_below(cptr, *left, width);
        if ((bits >> radix) != node->data)
                return NULL;
        *left -= width;
        return cnode_slot(node, bits & low_mask(radix));
}

static int resolve(const struct cap *root, uint64_t cptr, unsigned depth, bool stop_at_leaf,
                   struct cte **slot)
{
        const struct cap *node = root;
        unsigned left = depth;
        struct cte *s;

        for (;;) {
                s = resolve_level(node, cptr, &left);
                if (!s)
                        return TESSERA_ERR_FAILED_LOOKUP;
                if (left == 0 || (stop_at_leaf && s->cap.type != CAP_CNODE)) {
                        *slot = s;
                        return TESSERA_OK;
                }
                node = &s->cap;
        }
}

int cnode_lookup(const struct cap *root, uint64_t cptr, unsigned depth, struct cte **slot)
{
        if (depth == 0 || depth > 64)
                return TESSERA_ERR_RANGE;
        return resolve(root, cptr, depth, false, slot);
}

int cnode_lookup_cap(const struct cap *root, uint64_t cptr, struct cte **slot)
{
        return resolve(root, cptr, 64, true, slot);
}

int cnode_guard_decode(uint64_t data, unsigned radix, uint64_t *guard, unsigned *guard_bits)
{
        unsigned width = (unsigned)(data & low_mask(CNODE_GUARD_WIDTH_BITS));
        uint64_t value = data >> CNODE_GUARD_WIDTH_BITS;

        if (radix + width > 64 || (value & ~low_mask(width)) != 0)
                return TESSERA_ERR_RANGE;
        *guard = value;
        *guard_bits = width;
        return TESSERA_OK;
}
