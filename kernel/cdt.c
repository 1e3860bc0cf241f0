/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The derivation tree's links (rules and invariants in cdt.h): inserting,
 * unlinking with a splice, moving and swapping slots, and the questions
 * Delete and Revoke ask. No object is created or destroyed here.
 */
#include <kernel/cdt.h>
#include <kernel/string.h>

void cdt_insert(struct cte *parent, struct cte *slot, const struct cap *cap)
{
        slot->cap = *cap;
        slot->parent = parent;
        slot->prev_sibling = NULL;
        slot->first_child = NULL;
        slot->next_sibling = parent ? parent->first_child : NULL;
        if (slot->next_sibling)
                slot->next_sibling->prev_sibling = slot;
        if (parent)
                parent->first_child = slot;
}

/* Points whoever precedes `slot` (its previous sibling or, at the head of
 * the list, its parent) at `to`. */
static void relink_predecessor(struct cte *slot, struct cte *to)
{
        if (slot->prev_sibling)
                slot->prev_sibling->next_sibling = to;
        else if (slot->parent)
                slot->parent->first_child = to;
}

/* Splices the children of slot into its place; they get slot's parent. */
static void splice_children(struct cte *slot)
{
        struct cte *first = slot->first_child, *last = first;

        for (struct cte *c = first; c; c = c->next_sibling) {
                c->parent = slot->parent;
                last = c;
        }
        first->prev_sibling = slot->prev_sibling;
        last->next_sibling = slot->next_sibling;
        relink_predecessor(slot, first);
        if (slot->next_sibling)
                slot->next_sibling->prev_sibling = last;
}

void cdt_remove(struct cte *slot)
{
        if (slot->first_child) {
                splice_children(slot);
        } else {
                relink_predecessor(slot, slot->next_sibling);
                if (slot->next_sibling)
                        slot->next_sibling->prev_sibling = slot->prev_sibling;
        }
        memset(slot, 0, sizeof(*slot));
}

void cdt_move(struct cte *from, struct cte *to, const struct cap *cap)
{
        struct cap moved = *cap;        /* cap may point into `from` */

        *to = *from;
        to->cap = moved;
        relink_predecessor(to, to);
        if (to->next_sibling)
                to->next_sibling->prev_sibling = to;
        for (struct cte *c = to->first_child; c; c = c->next_sibling)
                c->parent = to;
        memset(from, 0, sizeof(*from));
}

/* Through a temporary slot: correct even when a and b are related. */
void cdt_swap(struct cte *a, struct cte *b)
{
        struct cte tmp;

        if (a == b)
                return;
        memset(&tmp, 0, sizeof(tmp));
        cdt_move(a, &tmp, &a->cap);
        cdt_move(b, a, &b->cap);
        cdt_move(&tmp, b, &tmp.cap);
}

bool cdt_has_children(const struct cte *slot)
{
        return slot->first_child != NULL;
}

static bool names_same(const struct cte *other, const struct cap *cap)
{
        return other && cap_same_object(&other->cap, cap);
}

/* O(1) by the adjacency invariant in cdt.h. */
bool cdt_is_final(const struct cte *slot)
{
        const struct cap *c = &slot->cap;

        if (c->type == CAP_UNTYPED)
                return true;
        return !names_same(slot->parent, c) && !names_same(slot->first_child, c) &&
               !names_same(slot->prev_sibling, c) && !names_same(slot->next_sibling, c);
}
