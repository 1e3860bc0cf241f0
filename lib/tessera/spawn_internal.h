/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What spawn.c (the process's objects, CSpace and thread) and spawn_load.c
 * (its address space: frames, page tables, copying the image) share while a
 * process is being built.
 */
#ifndef LIB_TESSERA_SPAWN_INTERNAL_H
#define LIB_TESSERA_SPAWN_INTERNAL_H

#include "spawn.h"

#define SPAWN_PAGE        0x1000ull
#define SPAWN_ROOT        TESSERA_SLOT_CNODE    /* the spawner's CNode */
#define SPAWN_ROOT_DEPTH  64

struct spawn_build {
        struct tessera_alloc *alloc;
        struct tessera_process *proc;
        const struct tessera_spawn_args *args;
        struct tessera_elf_image image;
        unsigned stack_pages;
        uint64_t next;                  /* the process range's next unused slot */
        uint64_t ipc_frame;             /* its IPC buffer's frame cap */
};

/* Slots the address space needs at most: frames plus page tables. */
uint64_t spawn_vspace_slots(const struct spawn_build *b);

/* The lowest address the stack (and its guard page) leaves to the image. */
uint64_t spawn_stack_floor(unsigned stack_pages);

/* Fill the child's VSpace: the image's segments, the stack, the IPC buffer
 * (b->ipc_frame), the shares. Sets b->proc->failed on an error. */
int spawn_load(struct spawn_build *b);

#endif
