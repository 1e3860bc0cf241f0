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
        /* TCB */
        TESSERA_INV_TCB_CONFIGURE = 20,     /* MR0 fault ep cptr, MR1 ipc buffer vaddr, MR2 cspace guard;
                                               extra caps: cspace root, vspace, ipc buffer frame */
        TESSERA_INV_TCB_SET_PRIORITY = 21,  /* MR0 priority; extra cap 0: authority TCB */
        TESSERA_INV_TCB_READ_REGISTERS = 22,
        TESSERA_INV_TCB_WRITE_REGISTERS = 23,/* MR0 pc, MR1 sp, MR2.. x0.. */
        TESSERA_INV_TCB_RESUME = 24,
        TESSERA_INV_TCB_SUSPEND = 25,
        TESSERA_INV_TCB_BIND_NOTIFICATION = 26,
        TESSERA_INV_TCB_UNBIND_NOTIFICATION = 27,
        /* VSpace objects */
        TESSERA_INV_PAGE_TABLE_MAP = 30,    /* MR0 vaddr; extra cap 0: the VSpace */
        TESSERA_INV_PAGE_TABLE_UNMAP = 31,
        TESSERA_INV_FRAME_MAP = 32,         /* MR0 vaddr, MR1 rights, MR2 attributes; extra cap 0: VSpace */
        TESSERA_INV_FRAME_UNMAP = 33,
        TESSERA_INV_FRAME_GET_ADDRESS = 34,
        TESSERA_INV_VSPACE_ASSIGN_ASID = 35,/* on the ASID control cap; extra cap 0: VSpace */
        /* Interrupts */
        TESSERA_INV_IRQ_CONTROL_GET = 40,   /* MR0 INTID, MR1 dest index, MR2 dest depth; extra cap 0: CNode */
        TESSERA_INV_IRQ_HANDLER_ACK = 41,
        TESSERA_INV_IRQ_HANDLER_SET_NOTIFICATION = 42,
        TESSERA_INV_IRQ_HANDLER_CLEAR = 43,
        /* IPI ports (cross-core link) */
        TESSERA_INV_IPI_PORT_BIND = 50,
        TESSERA_INV_IPI_PORT_UNBIND = 51,
};

/* Frame map attributes (MR2 of FRAME_MAP). */
#define TESSERA_FRAME_CACHED     0u
#define TESSERA_FRAME_UNCACHED   1u
#define TESSERA_FRAME_EXECUTE    2u

#endif
