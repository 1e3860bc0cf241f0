/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Probing whether EL0 may read a counter (counters.h): a thread in this
 * address space, whose fault endpoint is the caller's probe endpoint, reads
 * the counter and Calls with it; if the read traps, the kernel sends its
 * fault there instead. Either way the caller learns which, and deletes it.
 */
#include <tessera/errors.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/tcb.h>
#include "counters.h"

#define ROOT         TESSERA_SLOT_CNODE
#define PROBE_ANSWER 1          /* the probe's label when the read worked */

static uint64_t probe_target;

static _Noreturn void probe_main(uint64_t which)
{
        struct tessera_msg m = { .info = tessera_msg_info(PROBE_ANSWER, 0, 1) };

        m.mr[0] = read_counter((enum counter)which);
        for (;;)
                tessera_call(probe_target, &m);
}

int counters_probe(struct tessera_alloc *a, enum counter c, uint64_t probe_ep, uint64_t *stack_top,
                   unsigned priority)
{
        uint64_t regs[4] = { (uint64_t)(uintptr_t)probe_main, (uint64_t)(uintptr_t)stack_top, 0, c };
        struct tessera_msg m = { 0 };
        uint64_t tcb = 0;
        int err = tessera_alloc_object(a, TESSERA_OBJ_TCB, 0, &tcb), readable;

        probe_target = probe_ep;
        if (!err)
                err = tessera_tcb_configure(tcb, probe_ep, ROOT, 0, TESSERA_SLOT_VSPACE, 0, 0);
        if (!err)
                err = tessera_tcb_set_priority(tcb, TESSERA_SLOT_TCB, priority);
        if (!err)
                err = tessera_tcb_write_registers(tcb, TESSERA_TCB_WRITE_RESUME, 4, regs);
        if (err)
                return 0;
        readable = tessera_recv(probe_ep, &m) == TESSERA_OK && tessera_msg_label(m.info) == PROBE_ANSWER;
        tessera_cnode_delete(ROOT, tcb, 64);            /* its Call (or fault) is never answered */
        tessera_alloc_free_slot(a, tcb);
        return readable;
}
