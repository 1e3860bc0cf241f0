/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The scheduler: fixed priorities 0..255 (255 highest), round robin within a
 * priority. One FIFO ready queue per priority and a two-level bitmap of the
 * non-empty ones make choosing the next thread O(1): one count-leading-zeros
 * on the top word, one on the chosen bottom word.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <kernel/thread.h>

#define SCHED_PRIORITIES 256

void sched_init(void);
void sched_enqueue(struct tcb *t);      /* at the tail of its priority */
void sched_dequeue(struct tcb *t);      /* no-op if not queued */
struct tcb *sched_choose(void);         /* highest-priority queued thread, or NULL */
void sched_rotate(struct tcb *t);       /* to the tail of its queue (a time slice ended) */
/* Debug check: queues, bitmap and thread states agree. NULL or what is wrong. */
const char *sched_check(void);

#endif
