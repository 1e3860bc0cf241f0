/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running thread and the way back to user mode. Every return to user
 * asks the scheduler for the highest-priority ready thread; with none, the
 * kernel idles with interrupts open until an interrupt readies one: that is
 * the only place interrupts are taken in kernel mode. A thread's time slice
 * is TIME_SLICE_TICKS timer ticks, after which it goes behind its peers.
 */
#include <arch/arch.h>
#include <kernel/core.h>
#include <kernel/sched.h>
#include <kernel/thread.h>

#define TIME_SLICE_TICKS 5

static struct tcb *current;
static unsigned slice_left = TIME_SLICE_TICKS;
static uint64_t active_root = ~0ull;    /* the user address space installed now */

/* A thread whose VSpace slot holds no VSpace runs with none: every user
 * access faults. */
static void activate_vspace(const struct tcb *t)
{
        const struct cap *v = &t->slots[TCB_SLOT_VSPACE].cap;
        uint64_t root = 0, asid = 0;

        if (v->type == CAP_VSPACE && (v->flags & CAP_FLAG_MAPPED)) {
                root = arch_kva_to_pa((const void *)(uintptr_t)v->object);
                asid = v->data;
        }
        if ((root | asid << 48) == active_root)
                return;
        active_root = root | asid << 48;
        if (root)
                arch_vspace_activate(root, (unsigned)asid);
        else
                arch_vspace_deactivate();
}

struct tcb *thread_current(void)
{
        return current;
}

static void switch_to(struct tcb *t)
{
        activate_vspace(t);
        if (t != current)
                slice_left = TIME_SLICE_TICKS;
        current = t;
}

void thread_make_runnable(struct tcb *t)
{
        t->state = THREAD_RUNNABLE;
        sched_enqueue(t);
}

void thread_stop(struct tcb *t, enum thread_state why)
{
        t->state = why;
        sched_dequeue(t);
}

void thread_destroy(struct tcb *t)
{
        struct core_state *c = core();

        thread_stop(t, THREAD_INACTIVE);
        if (current == t)
                current = NULL;
        if (c->root_thread == t)
                c->root_thread = NULL;
}

void thread_set_priority(struct tcb *t, unsigned priority)
{
        bool queued = t->queued;

        if (queued)
                sched_dequeue(t);
        t->priority = (uint8_t)priority;
        if (queued)
                sched_enqueue(t);
}

void thread_yield(struct tcb *t)
{
        sched_rotate(t);
        slice_left = TIME_SLICE_TICKS;
}

/* Called on every tick: round robin among equals when a slice runs out. */
void thread_tick(void)
{
        if (current && current->state == THREAD_RUNNABLE && --slice_left == 0) {
                sched_rotate(current);
                slice_left = TIME_SLICE_TICKS;
        }
}

struct arch_context *kernel_resume(void)
{
        struct tcb *next;

        while (!(next = sched_choose())) {
                if (active_root) {
                        arch_vspace_deactivate();       /* idle in no address space */
                        active_root = 0;
                }
                arch_irq_enable_local();
                arch_wait_for_interrupt();
                arch_irq_disable_local();
        }
        switch_to(next);
        return &next->ctx;
}
