/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hooks from the capability core (untyped.c, cdt_delete.c) to whoever owns
 * the objects: the kernel, or a host test. The core decides when; these do
 * the object-specific work. None of them may change a capability slot.
 */
#ifndef KERNEL_KOBJECT_H
#define KERNEL_KOBJECT_H

#include <stdint.h>
#include <tessera/objects.h>
#include <kernel/cap.h>

/* Zero `bytes` of normal (never device) memory at kernel address va. Called
 * in chunks of at most UNTYPED_CLEAR_CHUNK bytes (untyped.h). */
void kobject_clear(uintptr_t va, uint64_t bytes);

/* Make a new object in zeroed memory of 2^obj_bits bytes at va. Called for
 * every object retyped from normal memory, except Untyped; never for
 * device memory. */
void kobject_init(enum tessera_object_type type, uintptr_t va, unsigned obj_bits);

/* The last capability to an object is going: tear the object down (cancel
 * IPC, unmap, unbind). Called once per object, with the final cap of every
 * type except Null, Untyped and Zombie: for a CNode after its slots have been
 * emptied; for another object with slots (kobject_cap_slots), before they
 * are emptied, so it stops using their caps first. */
void kobject_destroy(const struct cap *final);

/* Any capability is being deleted (final or not), before kobject_destroy:
 * release what belongs to this cap rather than to its object (a frame or
 * page table cap's mapping). */
void kobject_cap_removed(const struct cap *gone);

/* Capability slots inside an object other than a CNode (a TCB's), which the
 * deletion machinery must empty before the object's memory can go: the
 * first of 2^radix slots, or NULL if the object has none. */
struct cte *kobject_cap_slots(const struct cap *c, unsigned *radix);

#endif
