/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The debug build's invariant checker, run after every system call: a broken
 * invariant is a kernel bug, reported as an assertion failure with what broke.
 * Release builds skip it (TESSERA_DEBUG is 0, so the call compiles away).
 */
#include <kernel/assert.h>
#include <kernel/cap_check.h>
#include <kernel/core.h>
#include <kernel/ipc.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/thread.h>

static const char *check_current(void)
{
        const struct tcb *t = thread_current();

        if (t && t->queued)
                return "the running thread is in a ready queue";
        if (t && t->state != THREAD_RUNNABLE && t->queued)
                return "a stopped thread is still queued";
        return NULL;
}

#define CHECK_MAX_CNODES 256
#define CHECK_MAX_LIVE   8192

/* The capability world: walked from the root task's CSpace, which reaches
 * every cap its descendants made (their CNodes and TCBs are named by caps it
 * holds, or linked in the tree); tree links must all lead into walked slots.
 * Without a root task, the running thread's CSpace, without that demand.
 * Memory above free indexes is not scanned here: that would make every
 * system call cost as much as the partition is large. */
static const char *check_cspace(void)
{
        static const struct cap *nodes[CHECK_MAX_CNODES];
        static struct cte *live[CHECK_MAX_LIVE];
        static struct cap_check ck;
        const struct tcb *root = core()->root_thread, *t = thread_current();
        const struct tcb *from = root && tcb_cspace(root)->type == CAP_CNODE ? root : t;

        if (!from || tcb_cspace(from)->type != CAP_CNODE)
                return NULL;
        ck = (struct cap_check){
                .nodes = nodes, .capacity = CHECK_MAX_CNODES, .strict = from == root,
                .visit = ipc_check_cap, .live = live, .live_capacity = CHECK_MAX_LIVE,
        };
        return cap_check(tcb_cspace(from), &ck);
}

void kernel_check_invariants(void)
{
        const char *why;

        if (!TESSERA_DEBUG)
                return;
        why = sched_check();
        if (!why)
                why = check_current();
        if (!why)
                why = check_cspace();
        if (why)
                kassert_failed(why, "invariant checker", 0);
}
