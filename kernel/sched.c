/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ready queues and their bitmap. Invariants (checked by sched_check): a thread
 * is in exactly the queue of its priority iff it is queued; a queued thread is
 * runnable; bit p of the bottom bitmap is set iff queue p is non-empty; bit w
 * of the top word is set iff bottom word w is non-zero.
 */
#include <stddef.h>
#include <kernel/sched.h>

#define WORDS (SCHED_PRIORITIES / 64)

struct ready_queue {
        struct tcb *head, *tail;
};

static struct ready_queue queues[SCHED_PRIORITIES];
static uint64_t sched_bitmap_bottom[WORDS];
static uint64_t sched_bitmap_top;
int sched_highest_priority = -1;

void sched_init(void)
{
        for (unsigned p = 0; p < SCHED_PRIORITIES; p++)
                queues[p] = (struct ready_queue){ NULL, NULL };
        for (unsigned w = 0; w < WORDS; w++)
                sched_bitmap_bottom[w] = 0;
        sched_bitmap_top = 0;
        sched_highest_priority = -1;
}

/* The highest non-empty queue, from the bitmap: one count-leading-zeros
 * on the top word, one on the chosen bottom word. */
static int bitmap_highest(void)
{
        unsigned w;

        if (!sched_bitmap_top)
                return -1;
        w = 63 - (unsigned)__builtin_clzll(sched_bitmap_top);
        return (int)(w * 64 + 63 - (unsigned)__builtin_clzll(sched_bitmap_bottom[w]));
}

static void bitmap_set(unsigned p)
{
        sched_bitmap_bottom[p / 64] |= 1ull << (p % 64);
        sched_bitmap_top |= 1ull << (p / 64);
        if ((int)p > sched_highest_priority)
                sched_highest_priority = (int)p;
}

static void bitmap_clear(unsigned p)
{
        sched_bitmap_bottom[p / 64] &= ~(1ull << (p % 64));
        if (!sched_bitmap_bottom[p / 64])
                sched_bitmap_top &= ~(1ull << (p / 64));
        if ((int)p == sched_highest_priority)
                sched_highest_priority = bitmap_highest();
}

void sched_enqueue(struct tcb *t)
{
        struct ready_queue *q = &queues[t->priority];

        if (t->queued)
                return;
        t->sched_next = NULL;
        t->sched_prev = q->tail;
        if (q->tail)
                q->tail->sched_next = t;
        else
                q->head = t;
        q->tail = t;
        t->queued = true;
        bitmap_set(t->priority);
}

void sched_enqueue_head(struct tcb *t)
{
        struct ready_queue *q = &queues[t->priority];

        if (t->queued)
                return;
        t->sched_prev = NULL;
        t->sched_next = q->head;
        if (q->head)
                q->head->sched_prev = t;
        else
                q->tail = t;
        q->head = t;
        t->queued = true;
        bitmap_set(t->priority);
}

void sched_dequeue(struct tcb *t)
{
        struct ready_queue *q = &queues[t->priority];

        if (!t->queued)
                return;
        if (t->sched_prev)
                t->sched_prev->sched_next = t->sched_next;
        else
                q->head = t->sched_next;
        if (t->sched_next)
                t->sched_next->sched_prev = t->sched_prev;
        else
                q->tail = t->sched_prev;
        t->sched_next = t->sched_prev = NULL;
        t->queued = false;
        if (!q->head)
                bitmap_clear(t->priority);
}

struct tcb *sched_choose(void)
{
        int p = sched_highest();

        return p < 0 ? NULL : queues[p].head;
}

void sched_rotate(struct tcb *t)
{
        sched_dequeue(t);
        sched_enqueue(t);
}

static const char *check_queue(unsigned p)
{
        const struct ready_queue *q = &queues[p];
        const struct tcb *prev = NULL;
        unsigned n = 0;

        for (const struct tcb *t = q->head; t; prev = t, t = t->sched_next) {
                if (t->sched_prev != prev || !t->queued || t->priority != p)
                        return "a ready queue's links or priorities are inconsistent";
                if (t->state != THREAD_RUNNABLE)
                        return "a queued thread is not runnable";
                if (++n > 1u << 20)
                        return "a ready queue has a cycle";
        }
        if (q->tail != prev)
                return "a ready queue's tail is wrong";
        if (!!(sched_bitmap_bottom[p / 64] & (1ull << (p % 64))) != (q->head != NULL))
                return "the bitmap disagrees with a queue";
        return NULL;
}

const char *sched_check(void)
{
        for (unsigned p = 0; p < SCHED_PRIORITIES; p++) {
                const char *why = check_queue(p);

                if (why)
                        return why;
        }
        for (unsigned w = 0; w < WORDS; w++)
                if (!!(sched_bitmap_top & (1ull << w)) != (sched_bitmap_bottom[w] != 0))
                        return "the top bitmap word disagrees with the bottom";
        if (sched_highest_priority != bitmap_highest())
                return "the cached highest priority disagrees with the bitmap";
        return NULL;
}
