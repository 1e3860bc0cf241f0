/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The program spawntests spawns (embedded in its image, not a root task).
 * It runs in a process of its own and reports in its record of the page it
 * shares with the parent (spawn_child.h): whether its image was loaded as
 * linked, whether its fixed slots hold its own caps, and whether the marker
 * it wrote at an address every child shares is still its own after the
 * others wrote theirs. In fault mode it touches memory nobody mapped.
 */
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/objects.h>
#include <tessera/syscall.h>
#include <tessera/invoke.h>
#include <tessera/tcb.h>
#include "spawn_child.h"

#define DEPTH 64
#define SCRATCH_SLOT 20

static volatile uint64_t marker = CHILD_DATA_INIT;      /* .data */
static volatile uint64_t zeroed;                        /* .bss */

/* 0 when each fixed slot holds what spawn.h promises; else the failing
 * step * 100 + its status. */
static int64_t check_caps(void)
{
        static const uint64_t slots[] = { TESSERA_SLOT_TCB, TESSERA_SLOT_CNODE, TESSERA_SLOT_VSPACE,
                                          TESSERA_SLOT_IPC_BUFFER, TESSERA_SLOT_FIRST_FREE_FIXED };
        uint64_t reg;
        int err;

        for (unsigned i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
                err = tessera_cnode_copy(TESSERA_SLOT_CNODE, SCRATCH_SLOT, DEPTH, TESSERA_SLOT_CNODE,
                                         slots[i], DEPTH, TESSERA_RIGHTS_ALL);
                if (!err)
                        err = tessera_cnode_delete(TESSERA_SLOT_CNODE, SCRATCH_SLOT, DEPTH);
                if (err)
                        return (int64_t)(i + 1) * 100 + err;
        }
        /* Only a thread's own TCB refuses to read its registers. */
        err = tessera_tcb_read_registers(TESSERA_SLOT_TCB, 1, &reg);
        return err == TESSERA_ERR_ILLEGAL_OPERATION ? 0 : 900 + err;
}

static int isolation(struct child_record *r, unsigned id, volatile uint64_t *go)
{
        r->image_ok = marker == CHILD_DATA_INIT && zeroed == 0;
        r->cap_status = check_caps();
        marker = CHILD_MARKER(id);
        r->marker_vaddr = (uint64_t)(uintptr_t)&marker;
        r->state = CHILD_WROTE;
        while (!*go)
                tessera_yield();
        r->seen = marker;
        r->state = CHILD_DONE;
        return (int)(10 + id);
}

int main(uint64_t arg);

int main(uint64_t arg)
{
        struct child_page *page = (struct child_page *)(uintptr_t)CHILD_SHARED_VADDR;
        unsigned id = CHILD_ARG_ID(arg);
        struct child_record *r = &page->child[id % CHILD_MAX];

        r->arg = arg;
        tessera_printf("child %u: hello from its own address space, mode %u\n", id, CHILD_ARG_MODE(arg));
        if (CHILD_ARG_MODE(arg) == CHILD_FAULT) {
                r->state = CHILD_FAULTING;
                return (int)*(volatile uint64_t *)0xdead0000ull;
        }
        return isolation(r, id, &page->go);
}
