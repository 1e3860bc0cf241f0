/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC buffer: one page per thread, shared with its kernel. Message
 * registers 0-3 travel in CPU registers; 4 and up, and the capability
 * addresses of extra caps, are read from and written to this page.
 */
#ifndef TESSERA_IPC_BUFFER_H
#define TESSERA_IPC_BUFFER_H

#include <stdint.h>
#include <tessera/syscalls.h>

struct tessera_ipc_buffer {
        uint64_t tag;                           /* reserved */
        uint64_t mr[TESSERA_MSG_MAX_LENGTH];    /* mr[0..3] unused: they are in registers */
        uint64_t caps[TESSERA_MSG_MAX_CAPS];    /* extra caps: capability addresses */
        uint64_t badges[TESSERA_MSG_MAX_CAPS];  /* received caps' badges */
        uint64_t receive_cnode, receive_index, receive_depth;
};

_Static_assert(sizeof(struct tessera_ipc_buffer) <= 4096, "the IPC buffer is one page");

#endif
