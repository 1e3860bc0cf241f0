/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What ipctests and the server it spawns (tests/user/ipcserver.c) agree on:
 * the server's slots, the labels of its special requests, and the echo
 * answer both that server and ipctests' own server threads give. The echo
 * is a pure function of the message, so a client checks every word of the
 * answer: label + 1 (52 bits), the same length, each message register + 1
 * (registers 4 and up through the IPC buffer).
 */
#ifndef TESTS_USER_IPC_PROTO_H
#define TESTS_USER_IPC_PROTO_H

#include <stdint.h>
#include <tessera/ipc_buffer.h>
#include <tessera/syscall.h>

/* The server's CSpace (spawn.h): its endpoint, a frame it may give away, and
 * the slot where it takes caps sent to it. */
#define IPC_SERVER_EP          8u
#define IPC_SERVER_GIFT        9u
#define IPC_SERVER_RECV_SLOT   20u

#define IPC_LABEL_MASK   ((1ull << 52) - 1)

/* Special requests (any other label is echoed). */
enum ipc_server_label {
        IPC_LABEL_WHO = 0x5e0001,       /* answer: MR0 badge, MR1 info, both as received */
        IPC_LABEL_PROBE = 0x5e0002,     /* takes caps: MR0 badge, MR1 info, MR2 badges[0],
                                         * MR3 GetAddress of the cap received (0: none) */
        IPC_LABEL_GIVE = 0x5e0003,      /* answer carries the gift frame: MR0 IPC_GIFT_WORD */
        IPC_LABEL_STOP = 0x5e0004,      /* answer, then end with status 0 */
};
#define IPC_GIFT_WORD 0x61f7ull

/* The echo of a received message m (registers 4.. in b, rewritten in place). */
static inline void ipc_echo(struct tessera_msg *m, struct tessera_ipc_buffer *b)
{
        unsigned len = tessera_msg_length(m->info);

        for (unsigned i = 0; i < len; i++) {
                if (i < TESSERA_MSG_REGS_IN_CPU)
                        m->mr[i]++;
                else
                        b->mr[i]++;
        }
        m->info = tessera_msg_info((tessera_msg_label(m->info) + 1) & IPC_LABEL_MASK, 0, len);
}

#endif
