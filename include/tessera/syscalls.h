/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System call numbers, the register convention and the message info word.
 *
 * Register convention (AArch64, `svc #0`):
 *   in:  x7 = system call number, x0 = capability address, x1 = message info,
 *        x2..x5 = message registers 0..3
 *   out: x0 = badge (or error for a failed invocation's reply), x1 = message
 *        info, x2..x5 = message registers 0..3
 * Message registers beyond the fourth live in the IPC buffer (ipc_buffer.h).
 */
#ifndef TESSERA_SYSCALLS_H
#define TESSERA_SYSCALLS_H

#include <stdint.h>

enum tessera_syscall {
        TESSERA_SYS_CALL = 1,
        TESSERA_SYS_REPLY_RECV = 2,
        TESSERA_SYS_SEND = 3,
        TESSERA_SYS_NB_SEND = 4,
        TESSERA_SYS_RECV = 5,
        TESSERA_SYS_NB_RECV = 6,
        TESSERA_SYS_REPLY = 7,
        TESSERA_SYS_YIELD = 8,
        TESSERA_SYS_SIGNAL = 9,
        TESSERA_SYS_WAIT = 10,
        TESSERA_SYS_POLL = 11,
        TESSERA_SYS_DEBUG_PUTS = 12,     /* debug builds: a line to the console */
        TESSERA_SYS_DEBUG_HALT = 13,     /* debug builds: end the system with a status */
        TESSERA_SYS_COUNT
};

#define TESSERA_MSG_MAX_LENGTH   120     /* message registers in all */
#define TESSERA_MSG_REGS_IN_CPU  4
#define TESSERA_MSG_MAX_CAPS     3

/* Message info: label (52 bits) | caps unwrapped (3) | extra caps (2) | length (7). */
static inline uint64_t tessera_msg_info(uint64_t label, unsigned caps, unsigned length)
{
        return label << 12 | (uint64_t)(caps & 3) << 7 | (length & 0x7f);
}

static inline uint64_t tessera_msg_label(uint64_t info) { return info >> 12; }
static inline unsigned tessera_msg_length(uint64_t info) { return info & 0x7f; }
static inline unsigned tessera_msg_caps(uint64_t info) { return (info >> 7) & 3; }
static inline unsigned tessera_msg_unwrapped(uint64_t info) { return (info >> 9) & 7; }

#endif
