/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests for the scheduler: choice by priority, FIFO and round robin
 * within a priority, and a seeded random sequence of operations checked after
 * every step against a simple model (and sched_check's invariants).
 */
#include <stdio.h>
#include <string.h>
#include <kernel/sched.h>

#define THREADS 64

static struct tcb threads[THREADS];
static unsigned checks, failures;

static void check(int ok, const char *what)
{
        checks++;
        failures += !ok;
        printf("%sok %u - %s\n", ok ? "" : "not ", checks, what);
}

static struct tcb *make(unsigned i, unsigned prio)
{
        memset(&threads[i], 0, sizeof(threads[i]));
        threads[i].priority = (uint8_t)prio;
        threads[i].state = THREAD_RUNNABLE;
        return &threads[i];
}

static void test_basics(void)
{
        sched_init();
        check(sched_choose() == NULL, "nothing queued: no choice");
        struct tcb *low = make(0, 3), *high = make(1, 200), *top = make(2, 255), *zero = make(3, 0);

        sched_enqueue(low);
        sched_enqueue(zero);
        check(sched_choose() == low, "priority 3 beats priority 0");
        sched_enqueue(high);
        check(sched_choose() == high, "priority 200 beats 3 (other bitmap word)");
        sched_enqueue(top);
        check(sched_choose() == top, "priority 255, the highest, is chosen");
        sched_dequeue(top);
        sched_dequeue(high);
        sched_dequeue(low);
        check(sched_choose() == zero, "priority 0 is chosen when alone");
        check(sched_check() == NULL, "invariants hold");
}

static void test_round_robin(void)
{
        struct tcb *a = make(4, 100), *b = make(5, 100), *c = make(6, 100);

        sched_init();
        sched_enqueue(a);
        sched_enqueue(b);
        sched_enqueue(c);
        check(sched_choose() == a, "FIFO within a priority");
        sched_rotate(a);
        check(sched_choose() == b, "a rotated thread goes behind its peers");
        sched_rotate(b);
        sched_rotate(c);
        check(sched_choose() == a, "round robin comes back to the first");
        sched_enqueue(a);
        check(sched_check() == NULL, "enqueueing a queued thread changes nothing");
}

/* Random enqueue/dequeue/rotate against a model: the highest priority, then
 * the earliest queued among them. */
static void test_random(void)
{
        unsigned seed = 7, ok = 1;
        unsigned long stamp = 0, order[THREADS] = { 0 };

        sched_init();
        for (unsigned i = 0; i < THREADS; i++)
                make(i, (i % 16) * 17);        /* 16 levels across all words, 4 threads each */
        for (int step = 0; step < 200000 && ok; step++) {
                seed = seed * 1103515245u + 12345u;
                struct tcb *t = &threads[(seed >> 8) % THREADS];
                unsigned op = (seed >> 20) % 3;

                bool was_queued = t->queued;

                op == 0 ? sched_enqueue(t) : op == 1 ? sched_dequeue(t) : sched_rotate(t);
                if ((op == 0 && !was_queued) || op == 2)
                        order[t - threads] = ++stamp;   /* it went to the tail */
                struct tcb *want = NULL;
                for (unsigned i = 0; i < THREADS; i++) {
                        struct tcb *u = &threads[i];

                        if (u->queued && (!want || u->priority > want->priority ||
                                          (u->priority == want->priority &&
                                           order[i] < order[want - threads])))
                                want = u;
                }
                ok = sched_choose() == want && sched_check() == NULL;
        }
        check(ok, "200000 random operations match the model and keep the invariants");
}

int main(void)
{
        test_basics();
        test_round_robin();
        test_random();
        printf("1..%u\n", checks);
        return failures ? 1 : 0;
}
