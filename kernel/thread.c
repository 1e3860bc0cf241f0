/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running thread and the way back to user mode. Every return to user
 * asks for the thread to run next: the running one keeps the CPU unless a
 * queued thread of higher priority is ready, or its time slice ran out (or
 * it yielded) and a peer of its priority is waiting. With nothing to run,
 * the kernel idles with interrupts open until an interrupt readies a
 * thread: that is the only place interrupts are taken in kernel mode. A
 * time slice is THREAD_TIME_SLICE_TICKS timer ticks.
 *
 * The running thread is never in a ready queue (sched.h): it is put back
 * when it stops running while still runnable, at the head of its queue if
 * preempted, at the tail if its slice ended. IPC that blocks the running
 * thread and wakes its partner names the partner as the candidate
 * (thread_switch_to): it runs next, unqueued, if no queued thread has a
 * higher priority, just as the IPC fast path decides (fastpath.c).
 */
#include <arch/arch.h>
#include <kernel/core.h>
#include <kernel/fpu.h>
#include <kernel/sched.h>
#include <kernel/thread.h>

struct thread_cpu thread_cpu = { .slice_left = THREAD_TIME_SLICE_TICKS };
static struct tcb *candidate;           /* woken by IPC, not queued (thread_switch_to) */
static bool rotate_current;             /* slice over or yielded: behind its peers */

void thread_switch_vspace(uint64_t root, uint64_t asid)
{
        thread_cpu.vspace_root = root;
        thread_cpu.vspace_asid = asid;
        if (root)
                arch_vspace_activate((const void *)(uintptr_t)root, (unsigned)asid);
        else
                arch_vspace_deactivate();
}

struct tcb *thread_current(void)
{
        return thread_cpu.current;
}

static bool runnable(const struct tcb *t)
{
        return t && t->state == THREAD_RUNNABLE;
}

void thread_make_runnable(struct tcb *t)
{
        t->state = THREAD_RUNNABLE;
        if (t != thread_cpu.current && t != candidate)
                sched_enqueue(t);
}

void thread_switch_to(struct tcb *t)
{
        t->state = THREAD_RUNNABLE;
        if (t == thread_cpu.current || t == candidate)
                return;
        if (candidate)
                sched_enqueue(candidate);
        sched_dequeue(t);
        candidate = t;
}

void thread_stop(struct tcb *t, enum thread_state why)
{
        t->state = why;
        sched_dequeue(t);
}

void thread_destroy(struct tcb *t)
{
        struct core_state *c = core();

        fpu_thread_gone(t);
        thread_stop(t, THREAD_INACTIVE);
        if (thread_cpu.current == t)
                thread_cpu.current = NULL;
        if (candidate == t)
                candidate = NULL;
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
        (void)t;
        rotate_current = true;
}

/* Called on every tick: round robin among equals when a slice runs out. */
void thread_tick(void)
{
        if (runnable(thread_cpu.current) && --thread_cpu.slice_left == 0) {
                rotate_current = true;
                thread_cpu.slice_left = THREAD_TIME_SLICE_TICKS;
        }
}

/* The IPC candidate runs if it is at least as urgent as every queued thread
 * and more urgent than a running thread that could go on. */
static struct tcb *take_candidate(void)
{
        struct tcb *c = candidate;

        candidate = NULL;
        if (!runnable(c))
                return NULL;
        if ((int)c->priority >= sched_highest() &&
            (!runnable(thread_cpu.current) || c->priority > thread_cpu.current->priority))
                return c;
        sched_enqueue(c);
        return NULL;
}

static struct tcb *choose(void)
{
        struct tcb *next = take_candidate();
        struct tcb *best;

        if (!next && runnable(thread_cpu.current)) {
                int highest = sched_highest();

                if (highest < (int)thread_cpu.current->priority ||
                    (highest == (int)thread_cpu.current->priority && !rotate_current)) {
                        rotate_current = false;
                        return thread_cpu.current;
                }
        }
        if (runnable(thread_cpu.current)) {
                if (rotate_current)
                        sched_enqueue(thread_cpu.current);
                else
                        sched_enqueue_head(thread_cpu.current);
        }
        rotate_current = false;
        if (next)
                return next;
        best = sched_choose();
        if (best)
                sched_dequeue(best);
        return best;
}

struct arch_context *kernel_resume(void)
{
        struct tcb *next;

        while (!(next = choose())) {
                thread_cpu.current = NULL;
                if (thread_cpu.vspace_root)
                        thread_switch_vspace(0, 0);     /* idle in no address space */
                arch_irq_enable_local();
                arch_wait_for_interrupt();
                arch_irq_disable_local();
        }
        thread_run(next);
        return &next->ctx;
}
