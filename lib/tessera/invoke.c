/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Invocation stubs: registers 0-3 in the call, the rest and the extra caps'
 * addresses through the IPC buffer, the status back in x6 (which for an
 * object invocation is also the reply's label).
 */
#include <tessera/bootinfo.h>
#include <tessera/invocations.h>
#include <tessera/syscall.h>
#include "invoke.h"

struct tessera_ipc_buffer *tessera_ipc =
        (struct tessera_ipc_buffer *)(uintptr_t)TESSERA_ROOT_IPC_BUFFER_VADDR;

int tessera_invoke(uint64_t cptr, uint64_t label, const uint64_t *mrs, unsigned count,
                   const uint64_t *caps, unsigned ncaps)
{
        struct tessera_msg m = { .info = tessera_msg_info(label, ncaps, count) };

        for (unsigned i = 0; i < count; i++) {
                if (i < TESSERA_MSG_REGS_IN_CPU)
                        m.mr[i] = mrs[i];
                else
                        tessera_ipc->mr[i] = mrs[i];
        }
        for (unsigned i = 0; i < ncaps; i++)
                tessera_ipc->caps[i] = caps[i];
        /* The status register, not the reply's label: they agree for an
         * object, but a Call that reaches an endpoint is IPC, whose label
         * is the other side's. */
        return (int)tessera_syscall(TESSERA_SYS_CALL, cptr, &m);
}

int tessera_untyped_retype(uint64_t untyped, unsigned type, unsigned size_bits,
                           uint64_t dest_cnode, uint64_t first_slot, uint64_t count)
{
        uint64_t mrs[] = { type, size_bits, first_slot, count };

        return tessera_invoke(untyped, TESSERA_INV_UNTYPED_RETYPE, mrs, 4, &dest_cnode, 1);
}

int tessera_cnode_copy(uint64_t root, uint64_t dest, unsigned dest_depth, uint64_t src_root,
                       uint64_t src, unsigned src_depth, unsigned rights)
{
        uint64_t mrs[] = { dest, dest_depth, src, src_depth, rights };

        return tessera_invoke(root, TESSERA_INV_CNODE_COPY, mrs, 5, &src_root, 1);
}

int tessera_cnode_mint(uint64_t root, uint64_t dest, unsigned dest_depth, uint64_t src_root,
                       uint64_t src, unsigned src_depth, unsigned rights, uint64_t data)
{
        uint64_t mrs[] = { dest, dest_depth, src, src_depth, rights, data };

        return tessera_invoke(root, TESSERA_INV_CNODE_MINT, mrs, 6, &src_root, 1);
}

int tessera_cnode_move(uint64_t root, uint64_t dest, unsigned dest_depth, uint64_t src_root,
                       uint64_t src, unsigned src_depth)
{
        uint64_t mrs[] = { dest, dest_depth, src, src_depth };

        return tessera_invoke(root, TESSERA_INV_CNODE_MOVE, mrs, 4, &src_root, 1);
}

int tessera_cnode_mutate(uint64_t root, uint64_t dest, unsigned dest_depth, uint64_t src_root,
                         uint64_t src, unsigned src_depth, uint64_t data)
{
        uint64_t mrs[] = { dest, dest_depth, src, src_depth, 0, data };

        return tessera_invoke(root, TESSERA_INV_CNODE_MUTATE, mrs, 6, &src_root, 1);
}

int tessera_cnode_delete(uint64_t root, uint64_t index, unsigned depth)
{
        uint64_t mrs[] = { index, depth };

        return tessera_invoke(root, TESSERA_INV_CNODE_DELETE, mrs, 2, 0, 0);
}

int tessera_cnode_revoke(uint64_t root, uint64_t index, unsigned depth)
{
        uint64_t mrs[] = { index, depth };

        return tessera_invoke(root, TESSERA_INV_CNODE_REVOKE, mrs, 2, 0, 0);
}
