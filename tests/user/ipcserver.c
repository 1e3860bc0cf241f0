/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The server ipctests spawns in an address space and CSpace of its own
 * (embedded in ipctests' image, as child.c is in spawntests'). It answers
 * every Call on its endpoint (slot IPC_SERVER_EP) through ReplyRecv: an
 * echo (ipc_proto.h) for ordinary labels, or one of the special requests
 * that report what it received (badge, info, unwrapped badges, a cap that
 * landed in its receive slot) or give a cap back in the reply. It never
 * checks anything itself: the client checks every answer.
 */
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/ipc.h>
#include <tessera/invoke.h>
#include <tessera/vspace.h>
#include "ipc_proto.h"

#define DEPTH 64

/* MR3 of a PROBE answer: the address of the frame that landed, then the
 * slot is emptied for the next message. */
static uint64_t take_received_frame(void)
{
        uint64_t paddr = 0;

        if (tessera_frame_get_address(IPC_SERVER_RECV_SLOT, &paddr) != TESSERA_OK)
                paddr = 0;
        tessera_cnode_delete(TESSERA_SLOT_CNODE, IPC_SERVER_RECV_SLOT, DEPTH);
        return paddr;
}

/* Turns the message received into its answer; 1 when the server should stop. */
static int answer(struct tessera_msg *m)
{
        uint64_t badge = m->badge, info = m->info;

        switch (tessera_msg_label(info)) {
        case IPC_LABEL_WHO:
                *m = (struct tessera_msg){ .info = tessera_msg_info(IPC_LABEL_WHO, 0, 2),
                                           .mr = { badge, info } };
                return 0;
        case IPC_LABEL_PROBE:
                *m = (struct tessera_msg){ .info = tessera_msg_info(IPC_LABEL_PROBE, 0, 4),
                                           .mr = { badge, info, tessera_ipc->badges[0],
                                                   take_received_frame() } };
                return 0;
        case IPC_LABEL_GIVE:
                tessera_ipc->caps[0] = IPC_SERVER_GIFT;
                *m = (struct tessera_msg){ .info = tessera_msg_info(IPC_LABEL_GIVE, 1, 1),
                                           .mr = { IPC_GIFT_WORD } };
                return 0;
        case IPC_LABEL_STOP:
                *m = (struct tessera_msg){ .info = tessera_msg_info(IPC_LABEL_STOP, 0, 0) };
                return 1;
        default:
                ipc_echo(m, tessera_ipc);
                return 0;
        }
}

int main(uint64_t arg);

int main(uint64_t arg)
{
        struct tessera_msg m = { 0 };
        int status;

        (void)arg;
        tessera_ipc->receive_cnode = TESSERA_SLOT_CNODE;
        tessera_ipc->receive_index = IPC_SERVER_RECV_SLOT;
        tessera_ipc->receive_depth = DEPTH;
        status = tessera_recv(IPC_SERVER_EP, &m);
        for (;;) {
                if (status != TESSERA_OK) {
                        /* Nothing to answer (a failed receive): report and wait again. */
                        tessera_printf("ipcserver: receive failed with status %d\n", status);
                        m = (struct tessera_msg){ 0 };
                        status = tessera_recv(IPC_SERVER_EP, &m);
                        continue;
                }
                if (answer(&m)) {
                        tessera_reply(&m);
                        return 0;
                }
                status = tessera_reply_recv(IPC_SERVER_EP, &m);
        }
}
