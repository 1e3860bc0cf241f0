/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The scheduler: fixed priorities 0..255 (255 highest), round robin within a
 * priority. One FIFO ready queue per priority and a two-level bitmap of the
 * non-empty ones make choosing the next thread O(1): one count-leading-zeros
 * on the top word, one on the chosen bottom word.
 *
 * The running thread is not in a ready queue (thread.c puts it back when
 * something else is chosen), so IPC can hand the CPU from one thread to
 * another without touching the queues.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <kernel/thread.h>

#define SCHED_PRIORITIES 256

void sched_init(void);
void sched_enqueue(struct tcb *t);      /* at the tail of its priority */
void sched_enqueue_head(struct tcb *t); /* at the head: it was preempted */
void sched_dequeue(struct tcb *t);      /* no-op if not queued */
struct tcb *sched_choose(void);         /* highest-priority queued thread, or NULL */
/* Kept by sched.c as queues fill and empty (sched_check verifies it). */
extern int sched_highest_priority;

/* The priority of the highest queued thread, or -1 when none is queued.
 * Inline and one load: the IPC fast path asks it on every call. */
static inline int sched_highest(void)
{
        return sched_highest_priority;
}
void sched_rotate(struct tcb *t);       /* to the tail of its queue (a time slice ended) */
/* Debug check: queues, bitmap and thread states agree. NULL or what is wrong. */
const char *sched_check(void);

#endif
