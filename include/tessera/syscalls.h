/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System call numbers, the register convention and the message info word.
 *
 * Register convention (AArch64, `svc #0`):
 *   in:  x7 = system call number, x0 = capability address, x1 = message info,
 *        x2..x5 = message registers 0..3
 *   out: x0 = badge, x1 = message info, x2..x5 = message registers 0..3,
 *        x6 = status: TESSERA_OK, an enum tessera_error when the system
 *        call itself failed (no such cap, wrong type, missing right: nothing
 *        was sent or received), or TESSERA_RECV_SIGNALLED.
 * Other registers are preserved. Of x2..x5 only the first `length` of a
 * received message are defined. Message registers beyond the fourth live
 * in the IPC buffer (ipc_buffer.h). An object invocation (Call on a cap
 * that is not an endpoint) answers with its status both in x6 and as the
 * reply's label, and results in the message registers (invocations.h).
 *
 * IPC (docs/api.md, "IPC"). Endpoint queues are FIFO. A message is its info
 * word, up to TESSERA_MSG_MAX_LENGTH message registers (clipped to 4 when
 * either side has no IPC buffer, and to the shorter side's buffer) and up to
 * TESSERA_MSG_MAX_CAPS extra caps. The receiver gets the sender's badge in
 * x0. Rights: Send and NBSend need WRITE; Call needs WRITE and GRANT or
 * GRANT_REPLY; Recv and NBRecv need READ; sending caps needs GRANT. Signal
 * needs WRITE, Wait and Poll need READ.
 *
 *   Call        send, then wait for the reply; the receiver gets a one-shot
 *               reply capability, kept in its TCB (one at a time).
 *   Reply       answer the reply capability held (x6 INVALID_CAPABILITY if
 *               none); never blocks.
 *   ReplyRecv   Reply (skipped when no reply cap is held), then Recv on x0.
 *   Recv        wait on an endpoint. A reply capability still held is
 *               discarded first: its caller is woken with x6 = NO_REPLY.
 *   NBSend / NBRecv   as Send / Recv, but never block: no partner is
 *               x6 = TESSERA_ERR_WOULD_BLOCK.
 *   Signal      OR the notification cap's badge into its word; wakes one waiter.
 *               On an IPI send cap (needs WRITE): OR its badge
 *               (TESSERA_IPI_UNBADGED if none) into its port's word in the
 *               destination core's inbox and raise an SGI there; that
 *               kernel signals the port's bound notification. Never blocks.
 *   Wait / Poll x0 = the word, which is cleared; Wait blocks while it is 0,
 *               Poll answers 0 at once (x6 WOULD_BLOCK).
 * A thread with a bound notification (TCB BindNotification) waiting in
 * Recv also wakes when the notification is signalled: x6 is then
 * TESSERA_RECV_SIGNALLED, x0 the notification word, x1 = 0.
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

/* x6 of a receive that the receiver's bound notification ended (not an error). */
#define TESSERA_RECV_SIGNALLED   0x100

/*
 * Faults as messages. A thread whose fault endpoint (TCB Configure MR0, a
 * cptr in its own CSpace, looked up when the fault happens) names an
 * endpoint cap with WRITE and GRANT or GRANT_REPLY sends, as if by Call:
 *   badge = that cap's badge, label = enum tessera_fault, length 4,
 *   MR0 = pc, MR1 = fault address (unknown system call: its number),
 *   MR2 = syndrome (ESR_EL1), MR3 = sp.
 * The handler answers through the reply capability: label 0 resumes the
 * thread (at MR0 if the reply has length >= 1, else where it stopped: the
 * faulting instruction, or after an unknown svc); any other label leaves it
 * suspended. With no usable fault endpoint the fault is reported on the
 * console and the thread stopped.
 */
enum tessera_fault {
        TESSERA_FAULT_VM = 1,                   /* data or instruction abort */
        TESSERA_FAULT_UNKNOWN_SYSCALL = 2,
        TESSERA_FAULT_USER_EXCEPTION = 3,       /* undefined instruction, alignment, ... */
};
#define TESSERA_FAULT_LENGTH 4

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
