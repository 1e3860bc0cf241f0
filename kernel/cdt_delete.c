/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Delete and Revoke, in bounded units of work (interface in cdt.h).
 *
 * Deleting the last cap to a CNode must first delete every cap in the CNode
 * (they are live tree members in its memory), and those may be the last caps
 * to further CNodes. A TCB holds slots too (kobject_cap_slots) and is
 * treated the same way, as a small CNode. The cap becomes a ZOMBIE that empties its CNode from
 * the highest slot down; a zombie found in the way is pushed on the reaper
 * stack and finished first. The stack is threaded through the zombies:
 *
 *   reaper.top ──aux──► zombie ──aux──► ... ──aux=0──► (reaper.bottom)
 *
 * Invariants:
 *  - every zombie is on the reaper stack; any Delete or Revoke finishes the
 *    stack before starting its own work, so the bottom zombie is the only
 *    one made outside a dying CNode (it is in the slot being deleted).
 *  - a zombie other than the bottom lives in the slot of the CNode below it
 *    that that one is emptying, or in its own CNode; so the only zombie the
 *    top can meet in its CNode, other than itself, is the bottom. Then the
 *    two exchange slots (both childless: O(1)) and the cycle is broken.
 *  - a zombie's CNode memory holds live slots until the zombie is removed,
 *    and the zombie is a child in the tree until then, so the untyped it
 *    came from cannot be reset under it.
 */
#include <kernel/assert.h>
#include <kernel/cdt.h>
#include <kernel/cnode.h>
#include <kernel/kobject.h>

static bool destroys_object(uint8_t type)
{
        return type != CAP_NULL && type != CAP_UNTYPED && type != CAP_ZOMBIE;
}

/* Deletes a cap that is not the last one to an object with slots. */
static void delete_plain(struct cte *slot)
{
        struct cap gone = slot->cap;
        bool final = cdt_is_final(slot);

        kobject_cap_removed(&gone);
        cdt_remove(slot);
        if (final && destroys_object(gone.type))
                kobject_destroy(&gone);
}

/* Turns the last cap to a CNode, or to another object with slots, into a
 * zombie on top of the stack. The other object is destroyed now (a thread
 * stops before its CSpace and VSpace go); a CNode when it is empty. */
static void reaper_push(struct cdt_reaper *r, struct cte *slot, struct cte *slots, unsigned radix)
{
        struct cap *z = &slot->cap;

        kobject_cap_removed(z);
        if (z->type != CAP_CNODE) {
                kobject_destroy(z);
                z->object = (uint64_t)(uintptr_t)slots;
                z->size_bits = (uint8_t)radix;
                z->flags |= CAP_FLAG_ZOMBIE_OBJECT;
        }
        z->type = CAP_ZOMBIE;
        z->guard_bits = 0;
        z->data = (uint64_t)1 << z->size_bits;          /* slots left to empty */
        z->aux = r->top != r->bottom ? (uint64_t)(uintptr_t)r->top : 0;
        if (!r->bottom)
                r->bottom = slot;
        r->top = slot;
}

static void delete_unit(struct cdt_reaper *r, struct cte *slot)
{
        struct cte *slots;
        unsigned radix = 0;

        kassert(slot->cap.type != CAP_ZOMBIE);
        if (slot->cap.type == CAP_CNODE && cdt_is_final(slot))
                reaper_push(r, slot, NULL, 0);
        else if ((slots = kobject_cap_slots(&slot->cap, &radix)) != NULL && cdt_is_final(slot))
                reaper_push(r, slot, slots, radix);
        else
                delete_plain(slot);
}

/* The top zombie's slots are empty: remove it and destroy a CNode (other
 * objects were destroyed when they became zombies). */
static void reaper_pop(struct cdt_reaper *r)
{
        struct cte *z = r->top;
        struct cap cnode = cap_cnode(z->cap.object, z->cap.size_bits, 0, 0);
        bool is_cnode = !(z->cap.flags & CAP_FLAG_ZOMBIE_OBJECT);

        if (z == r->bottom)
                r->top = r->bottom = NULL;
        else
                r->top = z->cap.aux ? (struct cte *)(uintptr_t)z->cap.aux : r->bottom;
        cdt_remove(z);
        if (is_cnode)
                kobject_destroy(&cnode);
}

/* The top met the bottom zombie in its CNode: exchange their slots, so the
 * top lives in its own CNode and the bottom where the top was. */
static void reaper_uncycle(struct cdt_reaper *r, struct cte *found)
{
        struct cte *top = r->top;

        kassert(found == r->bottom);
        cdt_swap(found, top);
        r->top = found;
        r->bottom = top;
}

static void reap_unit(struct cdt_reaper *r)
{
        struct cte *z = r->top, *s;

        if (z->cap.data == 0) {
                reaper_pop(r);
                return;
        }
        s = cnode_slot(&z->cap, z->cap.data - 1);
        if (s == z || s->cap.type == CAP_NULL)
                z->cap.data--;
        else if (s->cap.type == CAP_ZOMBIE)
                reaper_uncycle(r, s);
        else
                delete_unit(r, s);      /* s empties, or becomes the top */
}

bool cdt_reaper_idle(void)
{
        return cdt_reaper()->top == NULL;
}

bool cdt_delete_step(struct cte *slot, unsigned budget)
{
        struct cdt_reaper *r = cdt_reaper();

        for (; budget; budget--) {
                if (r->top)
                        reap_unit(r);
                else if (slot->cap.type != CAP_NULL)
                        delete_unit(r, slot);
                else
                        return true;
        }
        return !r->top && slot->cap.type == CAP_NULL;
}

static struct cte *deepest_first_child(struct cte *slot)
{
        while (slot->first_child)
                slot = slot->first_child;
        return slot;
}

/* Leaves first, so no delete here splices children. */
bool cdt_revoke_step(struct cte *slot, unsigned budget)
{
        struct cdt_reaper *r = cdt_reaper();

        for (; budget; budget--) {
                if (r->top)
                        reap_unit(r);
                else if (slot->first_child)
                        delete_unit(r, deepest_first_child(slot));
                else
                        return true;
        }
        return !r->top && !slot->first_child;
}
