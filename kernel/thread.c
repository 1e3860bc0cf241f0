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

struct tcb *thread_current(void)
{
        return current;
}

static void switch_to(struct tcb *t)
{
        if (t != current || !current)
                arch_vspace_activate(t->vspace_root, t->asid);
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
        thread_stop(t, THREAD_INACTIVE);
        if (current == t)
                current = NULL;
}

void thread_set_vspace(struct tcb *t, const struct cap *vspace)
{
        t->vspace_root = arch_kva_to_pa((const void *)(uintptr_t)vspace->object);
        t->asid = (uint16_t)vspace->data;
        if (t == current)
                arch_vspace_activate(t->vspace_root, t->asid);
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
                arch_irq_enable_local();
                arch_wait_for_interrupt();
                arch_irq_disable_local();
        }
        switch_to(next);
        return &next->ctx;
}
