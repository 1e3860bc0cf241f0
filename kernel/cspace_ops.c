/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CNode invocations on slots: decode (every check, no effects), then invoke
 * (cannot fail). The rules are in cspace_ops.h.
 */
#include <kernel/cdt.h>
#include <kernel/cnode.h>
#include <kernel/cspace_ops.h>
#include <tessera/errors.h>

static int lookup(const struct cap *root, uint64_t index, uint64_t depth, unsigned need,
                  struct cte **slot)
{
        if (!root || root->type != CAP_CNODE)
                return TESSERA_ERR_INVALID_CAPABILITY;
        if ((root->rights & need) != need)
                return TESSERA_ERR_INSUFFICIENT_RIGHTS;
        if (depth == 0 || depth > 64)
                return TESSERA_ERR_RANGE;
        return cnode_lookup(root, index, (unsigned)depth, slot);
}

/* The destination of Copy, Mint, Move and Mutate: found and empty. */
static int lookup_dest(const struct cspace_roots *roots, const struct cspace_args *a,
                       struct cte **slot)
{
        int err = lookup(roots->dest, a->dest_index, a->dest_depth, TESSERA_RIGHT_WRITE, slot);

        if (!err && !cap_is_null(&(*slot)->cap))
                return TESSERA_ERR_DELETE_FIRST;
        return err;
}

/* A source slot: found and holding a cap. */
static int lookup_full(const struct cap *root, uint64_t index, uint64_t depth, unsigned need,
                       struct cte **slot)
{
        int err = lookup(root, index, depth, need, slot);

        if (!err && cap_is_null(&(*slot)->cap))
                return TESSERA_ERR_FAILED_LOOKUP;
        return err;
}

int cspace_derive(const struct cte *src, struct cap *out)
{
        const struct cap *c = &src->cap;

        switch (c->type) {
        case CAP_NULL:
                return TESSERA_ERR_FAILED_LOOKUP;
        case CAP_ZOMBIE:
        case CAP_REPLY:
        case CAP_IRQ_CONTROL:
                return TESSERA_ERR_ILLEGAL_OPERATION;
        case CAP_UNTYPED:
                if (src->first_child)
                        return TESSERA_ERR_REVOKE_FIRST;
                break;
        case CAP_VSPACE:
        case CAP_PAGE_TABLE:
                if (!(c->flags & CAP_FLAG_MAPPED))
                        return TESSERA_ERR_ILLEGAL_OPERATION;
                break;
        default:
                break;
        }
        *out = *c;
        if (c->type == CAP_FRAME) {
                out->flags &= ~CAP_FLAG_MAPPED;
                out->data = 0;
                out->aux = 0;
        }
        return TESSERA_OK;
}

static int set_guard(struct cap *c, uint64_t data)
{
        uint64_t guard;
        unsigned bits;
        int err = cnode_guard_decode(data, c->size_bits, &guard, &bits);

        if (!err) {
                c->data = guard;
                c->guard_bits = (uint8_t)bits;
        }
        return err;
}

/* Mint's data word on the derived cap `out` of src. */
static int mint_data(const struct cap *src, uint64_t data, struct cap *out)
{
        if (cap_has_badge_field(src) && data != CAP_BADGE_NONE) {
                if (src->data != CAP_BADGE_NONE)
                        return TESSERA_ERR_ILLEGAL_OPERATION;
                out->data = data;
        }
        if (src->type == CAP_CNODE)
                return set_guard(out, data);
        return TESSERA_OK;
}

/* Mutate's (and Rotate's) data word: the moved cap keeps its tree place. */
static int mutate_data(const struct cte *src, uint64_t data, struct cap *out)
{
        const struct cap *c = &src->cap;

        *out = *c;
        if (c->type == CAP_ZOMBIE)
                return TESSERA_ERR_ILLEGAL_OPERATION;
        if (cap_has_badge_field(c) && data != CAP_BADGE_NONE) {
                if (c->data != CAP_BADGE_NONE)
                        return TESSERA_ERR_ILLEGAL_OPERATION;
                if (src->first_child)
                        return TESSERA_ERR_REVOKE_FIRST;
                out->data = data;
        }
        if (c->type == CAP_CNODE)
                return set_guard(out, data);
        return TESSERA_OK;
}

static int decode_copy(const struct cspace_roots *roots, const struct cspace_args *a,
                       bool mint, struct cspace_op *op)
{
        int err = lookup_dest(roots, a, &op->dest);

        if (!err)
                err = lookup_full(roots->src, a->src_index, a->src_depth, TESSERA_RIGHT_READ,
                                  &op->src);
        if (!err)
                err = cspace_derive(op->src, &op->dest_cap);
        if (err)
                return err;
        op->dest_cap.rights &= (uint8_t)(a->rights & TESSERA_RIGHTS_ALL);
        return mint ? mint_data(&op->src->cap, a->data, &op->dest_cap) : TESSERA_OK;
}

static int decode_move(const struct cspace_roots *roots, const struct cspace_args *a,
                       bool mutate, struct cspace_op *op)
{
        int err = lookup_dest(roots, a, &op->dest);

        if (!err)
                err = lookup_full(roots->src, a->src_index, a->src_depth, TESSERA_RIGHT_WRITE,
                                  &op->src);
        if (err)
                return err;
        if (op->src->cap.type == CAP_ZOMBIE)
                return TESSERA_ERR_ILLEGAL_OPERATION;
        if (!mutate) {
                op->dest_cap = op->src->cap;
                return TESSERA_OK;
        }
        return mutate_data(op->src, a->data, &op->dest_cap);
}

/* Rotate: pivot's cap to dest, src's cap to pivot; dest == src swaps. */
static int decode_rotate(const struct cspace_roots *roots, const struct cspace_args *a,
                         struct cspace_op *op)
{
        int err = lookup(roots->dest, a->dest_index, a->dest_depth, TESSERA_RIGHT_WRITE, &op->dest);

        if (!err)
                err = lookup_full(roots->pivot, a->pivot_index, a->pivot_depth,
                                  TESSERA_RIGHT_WRITE, &op->pivot);
        if (!err)
                err = lookup_full(roots->src, a->src_index, a->src_depth, TESSERA_RIGHT_WRITE,
                                  &op->src);
        if (err)
                return err;
        if (op->pivot == op->src || op->pivot == op->dest)
                return TESSERA_ERR_ILLEGAL_OPERATION;
        if (op->dest != op->src && !cap_is_null(&op->dest->cap))
                return TESSERA_ERR_DELETE_FIRST;
        err = mutate_data(op->pivot, a->data, &op->dest_cap);
        return err ? err : mutate_data(op->src, a->src_data, &op->pivot_cap);
}

int cspace_decode(enum tessera_invocation label, const struct cspace_roots *roots,
                  const struct cspace_args *a, struct cspace_op *op)
{
        op->label = label;
        op->dest = op->src = op->pivot = NULL;
        switch (label) {
        case TESSERA_INV_CNODE_COPY:
        case TESSERA_INV_CNODE_MINT:
                return decode_copy(roots, a, label == TESSERA_INV_CNODE_MINT, op);
        case TESSERA_INV_CNODE_MOVE:
        case TESSERA_INV_CNODE_MUTATE:
                return decode_move(roots, a, label == TESSERA_INV_CNODE_MUTATE, op);
        case TESSERA_INV_CNODE_ROTATE:
                return decode_rotate(roots, a, op);
        case TESSERA_INV_CNODE_DELETE:
        case TESSERA_INV_CNODE_REVOKE:
                return lookup(roots->dest, a->dest_index, a->dest_depth, TESSERA_RIGHT_WRITE,
                              &op->dest);
        default:
                return TESSERA_ERR_ILLEGAL_OPERATION;
        }
}

void cspace_insert_copy(struct cte *src, struct cte *dest, const struct cap *cap)
{
        cdt_insert(src, dest, cap);
        if (src->cap.type == CAP_UNTYPED)
                src->cap.data = (uint64_t)1 << src->cap.size_bits;
}

static void invoke_rotate(const struct cspace_op *op)
{
        if (op->dest == op->src) {
                cdt_swap(op->src, op->pivot);
                op->src->cap = op->dest_cap;
                op->pivot->cap = op->pivot_cap;
        } else {
                cdt_move(op->pivot, op->dest, &op->dest_cap);
                cdt_move(op->src, op->pivot, &op->pivot_cap);
        }
}

bool cspace_invoke(const struct cspace_op *op, unsigned budget)
{
        switch (op->label) {
        case TESSERA_INV_CNODE_COPY:
        case TESSERA_INV_CNODE_MINT:
                cspace_insert_copy(op->src, op->dest, &op->dest_cap);
                return true;
        case TESSERA_INV_CNODE_MOVE:
        case TESSERA_INV_CNODE_MUTATE:
                cdt_move(op->src, op->dest, &op->dest_cap);
                return true;
        case TESSERA_INV_CNODE_ROTATE:
                invoke_rotate(op);
                return true;
        case TESSERA_INV_CNODE_DELETE:
                return cdt_delete_step(op->dest, budget);
        case TESSERA_INV_CNODE_REVOKE:
                return cdt_revoke_step(op->dest, budget);
        default:
                return true;
        }
}
