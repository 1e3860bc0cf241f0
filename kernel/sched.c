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
static uint64_t bottom[WORDS];
static uint64_t top;

void sched_init(void)
{
        for (unsigned p = 0; p < SCHED_PRIORITIES; p++)
                queues[p] = (struct ready_queue){ NULL, NULL };
        for (unsigned w = 0; w < WORDS; w++)
                bottom[w] = 0;
        top = 0;
}

static void bitmap_set(unsigned p)
{
        bottom[p / 64] |= 1ull << (p % 64);
        top |= 1ull << (p / 64);
}

static void bitmap_clear(unsigned p)
{
        bottom[p / 64] &= ~(1ull << (p % 64));
        if (!bottom[p / 64])
                top &= ~(1ull << (p / 64));
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
        unsigned w, b;

        if (!top)
                return NULL;
        w = 63 - (unsigned)__builtin_clzll(top);
        b = 63 - (unsigned)__builtin_clzll(bottom[w]);
        return queues[w * 64 + b].head;
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
        if (!!(bottom[p / 64] & (1ull << (p % 64))) != (q->head != NULL))
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
                if (!!(top & (1ull << w)) != (bottom[w] != 0))
                        return "the top bitmap word disagrees with the bottom";
        return NULL;
}
