/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Object invocations for user programs: each wraps one Call with the argument
 * layout of include/tessera/invocations.h and returns the kernel's status
 * (enum tessera_error, 0 on success).
 */
#ifndef LIB_TESSERA_INVOKE_H
#define LIB_TESSERA_INVOKE_H

#include <stdint.h>
#include <tessera/ipc_buffer.h>

/* This thread's IPC buffer; the root task's is set up by default. */
extern struct tessera_ipc_buffer *tessera_ipc;

/* A raw Call: label, up to 9 message registers, up to 2 extra caps. */
int tessera_invoke(uint64_t cptr, uint64_t label, const uint64_t *mrs, unsigned count,
                   const uint64_t *caps, unsigned ncaps);

int tessera_untyped_retype(uint64_t untyped, unsigned type, unsigned size_bits,
                           uint64_t dest_cnode, uint64_t first_slot, uint64_t count);
int tessera_cnode_copy(uint64_t root, uint64_t dest, unsigned dest_depth, uint64_t src_root,
                       uint64_t src, unsigned src_depth, unsigned rights);
int tessera_cnode_mint(uint64_t root, uint64_t dest, unsigned dest_depth, uint64_t src_root,
                       uint64_t src, unsigned src_depth, unsigned rights, uint64_t data);
int tessera_cnode_move(uint64_t root, uint64_t dest, unsigned dest_depth, uint64_t src_root,
                       uint64_t src, unsigned src_depth);
int tessera_cnode_mutate(uint64_t root, uint64_t dest, unsigned dest_depth, uint64_t src_root,
                         uint64_t src, unsigned src_depth, uint64_t data);
int tessera_cnode_delete(uint64_t root, uint64_t index, unsigned depth);
int tessera_cnode_revoke(uint64_t root, uint64_t index, unsigned depth);

#endif
