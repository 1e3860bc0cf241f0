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
 * IPC, unmap, unbind). Called with the final cap of every type except Null,
 * Untyped and Zombie; for a CNode, after its slots have been emptied. */
void kobject_destroy(const struct cap *final);

#endif
