/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ipcperf server loop (ipcperf.h), linked into both the client's image
 * (its server thread) and the spawned server's, so both run the same code.
 */
#include <stdint.h>
#include <tessera/ipc.h>
#include "ipcperf.h"

_Noreturn void ipcperf_serve(uint64_t ep)
{
        struct tessera_msg m = { 0 };

        tessera_recv(ep, &m);
        for (;;) {
                m.info = tessera_msg_info(ipcperf_answer(tessera_msg_label(m.info), tessera_msg_length(m.info),
                                                         m.mr), 0, 0);
                tessera_reply_recv(ep, &m);
        }
}
