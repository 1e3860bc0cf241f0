/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The capability derivation tree (CDT): which capability was derived from
 * which, so that Revoke can find everything made from a capability and
 * Delete can tell when the last capability to an object goes.
 *
 * Rules (seL4's semantics, in an explicit tree):
 *  - Retype makes each new object's cap a child of the untyped cap.
 *  - Copy and Mint make the new cap a child of the source cap; a badged
 *    endpoint (notification, IPI send) cap minted from an unbadged one is
 *    therefore its child, and copies of the badged cap are its children.
 *  - Move, Mutate and Rotate move a cap to another slot and keep its place
 *    in the tree; only the slot changes.
 *  - Deleting a cap with children is allowed: its children take its place
 *    among its parent's children, in order (parentless caps stay linked to
 *    their former siblings).
 *  - Revoke deletes every descendant, leaves first.
 *  - Children are inserted at the head of their parent's list.
 *
 * Invariants (checked by cap_check.c):
 *  - links are symmetric; a cap's children and siblings are acyclic lists;
 *    an empty slot has no links.
 *  - children of an untyped lie inside [base, base + free index) of it;
 *    children of an IRQ control cap are IRQ handlers; any other cap's
 *    children name the same object, with the parent's badge if it has one.
 *  - the caps naming one object that do not have a parent naming it (the
 *    "top" caps) share one parent and are adjacent siblings. Hence a cap is
 *    the last one to its object iff neither its parent, its first child
 *    nor its two neighbours name the same object: cdt_is_final is O(1).
 *
 * Costs: insert, has_children and is_final are O(1); remove (the splice),
 * move and swap are O(number of direct children), because each child's
 * parent pointer changes.
 */
#ifndef KERNEL_CDT_H
#define KERNEL_CDT_H

#include <stdbool.h>
#include <kernel/cap.h>

/* Writes cap into the empty slot and links it as the first child of parent
 * (NULL: a parentless cap, as boot makes them). */
void cdt_insert(struct cte *parent, struct cte *slot, const struct cap *cap);
/* Unlinks slot, splicing its children into its place, and empties it. */
void cdt_remove(struct cte *slot);
/* Moves the cap in `from` to the empty slot `to` as `cap` (the same cap or a
 * mutated one); the tree position moves with it and `from` is left empty. */
void cdt_move(struct cte *from, struct cte *to, const struct cap *cap);
/* Exchanges the contents of two slots, tree positions included. */
void cdt_swap(struct cte *a, struct cte *b);

bool cdt_has_children(const struct cte *slot);
/* No other capability names this cap's object (untyped caps: always). */
bool cdt_is_final(const struct cte *slot);

/*
 * Deletion (cdt_delete.c). Deleting the last cap to an object destroys the
 * object through kobject_destroy (kobject.h). The last cap to a CNode turns
 * into a zombie that empties the CNode slot by slot first; zombies of CNodes
 * found inside it stack up on this core's reaper, whose state lives in the
 * zombie caps and in struct cdt_reaper, so the work survives preemption.
 *
 * Both step functions do at most `budget` units of work (a unit: examine
 * one slot of a dying CNode, or delete one cap) and return true when done.
 * On false the kernel takes a preemption point and restarts the system
 * call, which calls them again; any delete or revoke first finishes the
 * reaper's pending work. budget >= 1 always makes progress.
 */
struct cdt_reaper {
        struct cte *top;        /* the zombie being worked on */
        struct cte *bottom;     /* the zombie that started the work */
};

/* This core's reaper: defined by the caller (the kernel's per-core state). */
struct cdt_reaper *cdt_reaper(void);

/* Deletes the cap in slot; true when the slot is empty and nothing is pending. */
bool cdt_delete_step(struct cte *slot, unsigned budget);
/* Deletes every descendant of the cap in slot; true when there are none left. */
bool cdt_revoke_step(struct cte *slot, unsigned budget);
/* Whether the reaper has no pending work. */
bool cdt_reaper_idle(void);

#endif
