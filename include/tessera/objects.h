/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel object types, as Untyped_Retype names them, and their sizes. A type
 * with a variable size (Untyped, CNode) takes size_bits from the caller.
 */
#ifndef TESSERA_OBJECTS_H
#define TESSERA_OBJECTS_H

enum tessera_object_type {
        TESSERA_OBJ_UNTYPED = 0,
        TESSERA_OBJ_TCB = 1,
        TESSERA_OBJ_ENDPOINT = 2,
        TESSERA_OBJ_NOTIFICATION = 3,
        TESSERA_OBJ_CNODE = 4,
        TESSERA_OBJ_REPLY = 5,
        TESSERA_OBJ_FRAME_4K = 6,
        TESSERA_OBJ_FRAME_2M = 7,
        TESSERA_OBJ_VSPACE = 8,          /* level-0 translation table: an address space */
        TESSERA_OBJ_PAGE_TABLE = 9,      /* a level-1, -2 or -3 table, placed by its map call */
        TESSERA_OBJ_TYPE_COUNT
};

#define TESSERA_TCB_BITS          11     /* 2 KiB */
#define TESSERA_ENDPOINT_BITS     4
#define TESSERA_NOTIFICATION_BITS 6
#define TESSERA_REPLY_BITS        5
#define TESSERA_SLOT_BITS         6      /* a CNode slot is 64 bytes */
#define TESSERA_FRAME_4K_BITS     12
#define TESSERA_FRAME_2M_BITS     21
#define TESSERA_TABLE_BITS        12     /* every translation table is one page */
#define TESSERA_UNTYPED_MIN_BITS  4
#define TESSERA_UNTYPED_MAX_BITS  47
#define TESSERA_CNODE_MAX_RADIX   24

/* Capability rights (Mint may only remove them). */
#define TESSERA_RIGHT_READ   (1u << 0)
#define TESSERA_RIGHT_WRITE  (1u << 1)
#define TESSERA_RIGHT_GRANT  (1u << 2)   /* may transfer caps over an endpoint */
#define TESSERA_RIGHT_GRANT_REPLY (1u << 3)
#define TESSERA_RIGHTS_ALL   0xfu

#define TESSERA_PRIORITY_COUNT 256

#endif
