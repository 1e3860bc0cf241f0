/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Invocation labels: the label of the message info in a Call on an object
 * capability selects the operation. Arguments travel in message registers
 * (MR0.. in order) and extra caps; the kernel's reply carries the error (0 on
 * success) as its label and any results in message registers.
 */
#ifndef TESSERA_INVOCATIONS_H
#define TESSERA_INVOCATIONS_H

enum tessera_invocation {
        TESSERA_INV_NONE = 0,
        /* Untyped: MR0 type, MR1 size_bits, MR2 first destination slot, MR3 count;
         * extra cap 0: the destination CNode (the new caps go to slots MR2..MR2+MR3-1). */
        TESSERA_INV_UNTYPED_RETYPE = 1,
        /* CNode (the invoked cap is the destination root): MR0 dest index, MR1 dest
         * depth, MR2 src index, MR3 src depth, MR4 rights (Copy, Mint), MR5 data:
         * a badge (Mint, Mutate on endpoint-like caps) or a CNode guard word
         * (width in bits 5..0, value above); extra cap 0: the source root.
         * Delete, Revoke: MR0 index, MR1 depth. Rotate: as above plus MR6 pivot
         * index, MR7 pivot depth, MR8 the src cap's new data; extra cap 1: the
         * pivot root. */
        TESSERA_INV_CNODE_COPY = 10,
        TESSERA_INV_CNODE_MINT = 11,
        TESSERA_INV_CNODE_MOVE = 12,
        TESSERA_INV_CNODE_MUTATE = 13,
        TESSERA_INV_CNODE_DELETE = 14,
        TESSERA_INV_CNODE_REVOKE = 15,
        TESSERA_INV_CNODE_ROTATE = 16,
        /* TCB (the invoked cap is the thread's).
         * Configure: MR0 fault endpoint cptr (in the thread's own CSpace),
         * MR1 CSpace root data (a CNode guard word as for Mint; 0 keeps the
         * cap's guard), MR2 IPC buffer vaddr (4 KiB aligned; 0 with no frame);
         * extra caps: 0 CSpace root CNode, 1 VSpace (with an ASID),
         * 2 IPC buffer frame (optional: without it the thread has no buffer).
         * SetPriority / SetMCP: MR0 the value; extra cap 0: an authority TCB
         * whose maximum controlled priority (MCP) bounds it.
         * ReadRegisters: MR0 count (1..TESSERA_TCB_REG_COUNT); the reply
         * carries that many registers, in tessera_tcb_reg order.
         * WriteRegisters: MR0 flags (TESSERA_TCB_WRITE_RESUME), MR1 count,
         * MR2.. the values in tessera_tcb_reg order.
         * SetName: MR0-MR1 up to 15 bytes of a debug name, little-endian.
         * BindNotification: extra cap 0: a notification with READ, bound to
         * no other thread and with no waiters; the thread must have none
         * bound (ILLEGAL_OPERATION otherwise). UnbindNotification: no
         * arguments (ILLEGAL_OPERATION when none is bound). */
        TESSERA_INV_TCB_CONFIGURE = 20,
        TESSERA_INV_TCB_SET_PRIORITY = 21,
        TESSERA_INV_TCB_READ_REGISTERS = 22,
        TESSERA_INV_TCB_WRITE_REGISTERS = 23,
        TESSERA_INV_TCB_RESUME = 24,
        TESSERA_INV_TCB_SUSPEND = 25,
        TESSERA_INV_TCB_BIND_NOTIFICATION = 26,
        TESSERA_INV_TCB_UNBIND_NOTIFICATION = 27,
        TESSERA_INV_TCB_SET_MCP = 28,
        TESSERA_INV_TCB_SET_NAME = 29,
        /* VSpace objects.
         * PageTable Map: MR0 vaddr; extra cap 0: a VSpace with an ASID. The
         * table goes to the first level (1, 2 or 3) on vaddr's path that has
         * none, covering the aligned span around vaddr.
         * PageTable Unmap, Frame Unmap, Frame GetAddress: no arguments
         * (GetAddress answers the physical address in MR0).
         * Frame Map: MR0 vaddr (aligned to the frame's size), MR1 rights
         * (TESSERA_RIGHT_READ / _WRITE, masked by the cap's), MR2 attributes
         * (TESSERA_FRAME_*); extra cap 0: a VSpace with an ASID.
         * AssignASID, on the ASID control cap: extra cap 0: the VSpace. */
        TESSERA_INV_PAGE_TABLE_MAP = 30,
        TESSERA_INV_PAGE_TABLE_UNMAP = 31,
        TESSERA_INV_FRAME_MAP = 32,
        TESSERA_INV_FRAME_UNMAP = 33,
        TESSERA_INV_FRAME_GET_ADDRESS = 34,
        TESSERA_INV_VSPACE_ASSIGN_ASID = 35,
        /* Interrupts.
         * IRQControl Get: MR0 INTID, MR1 dest index, MR2 dest depth; extra
         * cap 0: the destination root CNode. Only INTIDs this core owns.
         * IRQHandler Ack, Clear: no arguments. SetNotification: extra cap 0. */
        TESSERA_INV_IRQ_CONTROL_GET = 40,
        TESSERA_INV_IRQ_HANDLER_ACK = 41,
        TESSERA_INV_IRQ_HANDLER_SET_NOTIFICATION = 42,
        TESSERA_INV_IRQ_HANDLER_CLEAR = 43,
        /* IPI ports (the cross-core link, docs/channels.md). A port is a word
         * of this core's inbox that one other core may signal (the spec's
         * channels make them; the root task gets one IPI port cap each).
         * Bind: extra cap 0, a notification with WRITE; each later signal of
         * the port signals it with that cap's badge, or, when the cap is
         * unbadged, with the port's word (the OR of the senders' badges).
         * Signals that came while unbound are delivered at Bind. Binding
         * again replaces the notification. Unbind: no arguments. */
        TESSERA_INV_IPI_PORT_BIND = 50,
        TESSERA_INV_IPI_PORT_UNBIND = 51,
};

/* What Signal on an unbadged IPI send cap ORs into the port's word: a
 * signal is never 0. Badges minted onto IPI send caps should leave this
 * bit clear. */
#define TESSERA_IPI_UNBADGED (1ull << 63)

/* A CNode guard word (MR5 of CNode Mint / Mutate, MR1 of TCB Configure):
 * the guard's width in bits 5..0, its value above. A CNode of radix r with
 * a zero guard of 64 - r bits resolves a whole 64-bit capability address at
 * depth 64, as the root CNode does (radix 12, guard width 52). */
#define TESSERA_CNODE_GUARD_WIDTH_BITS 6
#define TESSERA_CNODE_GUARD(value, width) \
        ((unsigned long long)(value) << TESSERA_CNODE_GUARD_WIDTH_BITS | (unsigned long long)(width))

/* Frame map attributes (MR2 of FRAME_MAP). Frames of device memory are
 * always mapped as device memory, whatever the cacheability asked. */
#define TESSERA_FRAME_CACHED     0u     /* normal memory, write-back */
#define TESSERA_FRAME_UNCACHED   1u     /* normal memory, non-cacheable */
#define TESSERA_FRAME_EXECUTE    2u     /* user may execute */
#define TESSERA_FRAME_ATTRS_ALL  3u

/* TCB registers, in ReadRegisters / WriteRegisters order. */
enum tessera_tcb_reg {
        TESSERA_REG_PC = 0,
        TESSERA_REG_SP = 1,
        TESSERA_REG_NZCV = 2,           /* condition flags (bits 31..28); nothing else writable */
        TESSERA_REG_X0 = 3,             /* x0..x30 follow */
        TESSERA_TCB_REG_COUNT = 34,
};
#define TESSERA_TCB_WRITE_RESUME 1u

#endif
