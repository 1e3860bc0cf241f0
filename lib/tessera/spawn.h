/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Starting a program in a process of its own: a new CSpace, address space
 * and thread, made from the spawner's allocator, with the program's ELF image
 * (in the spawner's memory, typically embedded in its own image) loaded
 * into fresh frames.
 *
 * What a child gets (docs/api.md, "User runtime"):
 *   address space  its PT_LOAD segments at their link addresses with their
 *                  rights (text: read + execute; data: read + write); a
 *                  stack of stack_pages pages below TESSERA_ROOT_STACK_TOP
 *                  with one unmapped guard page below it; its IPC buffer at
 *                  TESSERA_ROOT_IPC_BUFFER_VADDR; each share's frame at its
 *                  vaddr. Nothing else: no boot info page.
 *   CSpace         a CNode of 2^cnode_bits slots with a zero guard of
 *                  64 - cnode_bits bits, so, like the root CNode, a slot's
 *                  index is its address at depth 64. Slot 1 its TCB, 2 its
 *                  CNode, 3 its VSpace, 7 its IPC buffer frame (the fixed
 *                  slots of bootinfo.h; 4-6 stay empty), and from slot
 *                  TESSERA_SLOT_FIRST_FREE_FIXED on, copies of args->caps.
 *   thread         pc = the ELF entry, sp = TESSERA_ROOT_STACK_TOP, x0 =
 *                  args->arg, args->priority (at most the spawner's MCP),
 *                  no fault endpoint (a fault is reported and stops it).
 * So a program linked with the user runtime runs unchanged, and its main()
 * receives args->arg where a root task gets its boot info.
 *
 * Every cap spawn makes lives in one range of consecutive slots of the
 * spawner's CNode (struct tessera_process); tessera_spawn_destroy deletes
 * them all. The memory of the objects goes back to the untypeds only when
 * an untyped's children are all gone (the kernel resets it then).
 *
 * To fill a frame, spawn maps it for a moment at TESSERA_SPAWN_SCRATCH_VADDR
 * in the spawner's own VSpace (TESSERA_SLOT_VSPACE); the page tables that
 * address needs are made on first use and kept.
 */
#ifndef LIB_TESSERA_SPAWN_H
#define LIB_TESSERA_SPAWN_H

#include <stddef.h>
#include <stdint.h>
#include "alloc.h"
#include "elf.h"

#define TESSERA_SPAWN_SCRATCH_VADDR   0x7fff000000ull   /* one page, its 2 MiB span unused */
#define TESSERA_SPAWN_CNODE_BITS      8                 /* default: 256 slots */
#define TESSERA_SPAWN_STACK_PAGES     4                 /* default: 16 KiB */
#define TESSERA_SPAWN_MAX_STACK_PAGES 256
#define TESSERA_SPAWN_MAX_SHARES      4
#define TESSERA_SPAWN_MAX_CAPS        4

/* spawn's answer for an image tessera_elf_parse refused with `e`; every
 * other answer is an enum tessera_error. */
#define TESSERA_SPAWN_ELF_ERROR(e)    (0x100 + (e))

/* A frame of the spawner's, mapped into the child too (through a copy of
 * the cap, so the spawner's own mapping stays). */
struct tessera_spawn_share {
        uint64_t frame;                 /* slot of a 4 KiB frame cap */
        uint64_t vaddr;                 /* where the child sees it */
        unsigned rights;                /* TESSERA_RIGHT_READ, optionally | _WRITE */
};

struct tessera_spawn_args {
        const void *elf;
        size_t elf_size;
        const char *name;               /* the thread's debug name (15 bytes kept); NULL: none */
        uint64_t arg;                   /* x0 at entry */
        unsigned priority;
        unsigned cnode_bits;            /* 0: TESSERA_SPAWN_CNODE_BITS */
        unsigned stack_pages;           /* 0: TESSERA_SPAWN_STACK_PAGES */
        unsigned share_count;
        struct tessera_spawn_share shares[TESSERA_SPAWN_MAX_SHARES];
        unsigned cap_count;
        uint64_t caps[TESSERA_SPAWN_MAX_CAPS];  /* spawner slots, copied with all rights */
};

/* A spawned process: its caps are the spawner's slots [first_slot,
 * first_slot + slot_count), laid out as tcb, cnode, vspace, then frames,
 * page tables and share copies in the order they were made. */
struct tessera_process {
        uint64_t first_slot, slot_count;
        uint64_t tcb, cnode, vspace;    /* slots in the spawner's CNode */
        unsigned cnode_bits;            /* depth to address the child's slots through cnode */
        uint64_t entry;
        int elf_error;                  /* enum tessera_elf_error of the last refusal */
        const char *failed;             /* on an error: the step that failed */
};

/*
 * Spawns the program and starts it. Returns TESSERA_OK; or
 * TESSERA_SPAWN_ELF_ERROR(e) for an image refused by the ELF checks (or one
 * reaching the stack); TESSERA_ERR_INVALID_ARGUMENT / _RANGE for bad args;
 * TESSERA_ERR_NOT_ENOUGH_MEMORY when the slots or untypeds run out; or the
 * kernel's error from the step named in p->failed. On any error nothing
 * spawn made is left: its slots are empty and given back.
 */
int tessera_spawn(struct tessera_alloc *a, const struct tessera_spawn_args *args,
                  struct tessera_process *p);

/* Stops the thread, deletes (revoking first) every cap spawn made, and gives
 * the slots back. Returns the first error met; it carries on past it. */
int tessera_spawn_destroy(struct tessera_alloc *a, struct tessera_process *p);

/* Maps a 4 KiB frame into the caller's own VSpace, making the page tables
 * on the way from the allocator (they stay). For memory the spawner shares
 * with its children. */
int tessera_spawn_map_own(struct tessera_alloc *a, uint64_t frame, uint64_t vaddr,
                          unsigned rights, unsigned attrs);

#endif
