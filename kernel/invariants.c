/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The debug build's invariant checker, run after every system call: a broken
 * invariant is a kernel bug, reported as an assertion failure with what broke.
 * Release builds skip it (TESSERA_DEBUG is 0, so the call compiles away).
 */
#include <kernel/assert.h>
#include <kernel/cap_check.h>
#include <kernel/core.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/thread.h>

static const char *check_current(void)
{
        const struct tcb *t = thread_current();

        if (t && t->state == THREAD_RUNNABLE && !t->queued)
                return "the running thread is runnable but not queued";
        if (t && t->state != THREAD_RUNNABLE && t->queued)
                return "a stopped thread is still queued";
        return NULL;
}

#define CHECK_MAX_CNODES 256

/* The running thread's CSpace: tree well-formed, live objects disjoint and
 * aligned (cap_check.c). Memory above free indexes is not scanned here: that
 * would make every system call cost as much as the partition is large. */
static const char *check_cspace(void)
{
        static const struct cap *nodes[CHECK_MAX_CNODES];
        static struct cap_check ck;
        const struct tcb *t = thread_current();

        if (!t || tcb_cspace(t)->type != CAP_CNODE)
                return NULL;
        ck = (struct cap_check){ .nodes = nodes, .capacity = CHECK_MAX_CNODES, .strict = true };
        return cap_check(tcb_cspace(t), &ck);
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
