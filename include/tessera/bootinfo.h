/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root task's boot info page: what its kernel gave it, as capability slot
 * ranges in its CNode plus a description of each. Mapped read-only at
 * TESSERA_ROOT_BOOTINFO_VADDR; its address also arrives in x0.
 */
#ifndef TESSERA_BOOTINFO_H
#define TESSERA_BOOTINFO_H

#include <stdint.h>

#define TESSERA_ROOT_BOOTINFO_VADDR 0x7ffffff000ull   /* below the stack */
#define TESSERA_ROOT_IPC_BUFFER_VADDR 0x7fffffe000ull
#define TESSERA_ROOT_STACK_TOP      0x7fffffd000ull
#define TESSERA_ROOT_CNODE_BITS     12
#define TESSERA_BOOTINFO_MAGIC      0x4f464e49544f4f52ull /* "ROOTINFO" */
#define TESSERA_BOOTINFO_MAX_UNTYPED 64
#define TESSERA_BOOTINFO_MAX_SHARED 16
#define TESSERA_BOOTINFO_MAX_PORTS  64

/* Fixed slots of the root CNode. */
enum tessera_root_slot {
        TESSERA_SLOT_NULL = 0,
        TESSERA_SLOT_TCB = 1,
        TESSERA_SLOT_CNODE = 2,
        TESSERA_SLOT_VSPACE = 3,
        TESSERA_SLOT_IRQ_CONTROL = 4,
        TESSERA_SLOT_ASID_CONTROL = 5,
        TESSERA_SLOT_BOOTINFO_FRAME = 6,
        TESSERA_SLOT_IPC_BUFFER = 7,
        TESSERA_SLOT_FIRST_FREE_FIXED = 8,
};

struct tessera_slots {
        uint64_t start, end;                    /* [start, end) */
};

struct tessera_untyped_desc {
        uint64_t paddr;
        uint8_t size_bits;
        uint8_t is_device;                      /* device memory: frames only, never cleared */
        uint8_t pad[6];
};

struct tessera_shared_desc {
        char name[32];                          /* the channel's name in the spec */
        uint64_t paddr, size;
        uint32_t peers;                         /* bitmask of member cores */
        uint32_t pad;
        struct tessera_slots frames;            /* its 4 KiB frame caps */
};

struct tessera_port_desc {
        uint32_t send;                          /* 1: an IPI send cap; 0: a receive port */
        uint32_t peer_core;
        uint32_t port;
        uint32_t shared_index;
        uint64_t slot;
};

struct tessera_bootinfo {
        uint64_t magic;
        uint32_t core_id, core_count;
        struct tessera_slots empty;             /* free slots of the root CNode */
        struct tessera_slots untyped;           /* one cap per untyped_list entry */
        struct tessera_slots image_frames;      /* the root task's own image */
        uint32_t untyped_count, shared_count, port_count, pad;
        struct tessera_untyped_desc untyped_list[TESSERA_BOOTINFO_MAX_UNTYPED];
        struct tessera_shared_desc shared[TESSERA_BOOTINFO_MAX_SHARED];
        struct tessera_port_desc ports[TESSERA_BOOTINFO_MAX_PORTS];
};

_Static_assert(sizeof(struct tessera_bootinfo) <= 4096, "root boot info fits one page");
_Static_assert(sizeof(struct tessera_untyped_desc) == 16, "untyped desc layout");

#endif
