/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Randomized IPC stress, as a root task (on every core at once in the
 * four-core suite). The root thread makes a pool of objects (four
 * endpoints, each with badged, unbadged, read-only, write-only and
 * write + grant-reply caps; two notifications, one bound to worker 0; a
 * "gift" notification for cap transfer) and ten worker threads in its own
 * address space, each with its own stack and IPC buffer, at three
 * priorities (ipcstress_setup.c). The workers run seeded pseudo-random
 * operations (ipcstress_worker.c), checking every status and every message
 * (ipcstress_msg.c).
 *
 * The root thread is the controller, at a priority above the workers,
 * waiting on a notification. A worker wakes it now and then: it suspends
 * or resumes a worker (a blocked call then starts again), sends or receives
 * on an endpoint, signals, or deletes a worker wherever it is. An idle
 * thread below everyone wakes it when every worker is blocked: it then, now
 * and then, deletes the endpoint a worker is blocked on, notification 0 if
 * one waits on it, or a worker holding a reply cap; and frees each blocked
 * worker (a message for a receiver, a receive for a sender, a signal for a
 * waiter, Resume for the suspended). What it deleted comes back on its next
 * wake. Workers stop after their budget; the run ends when all have, or
 * fails when the idle thread finds no progress many times in a row (a
 * deadlock). The debug kernel checks its invariants after every system
 * call. Output is TAP, one result per kind of check, and a summary.
 */
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/tcb.h>
#include "ipcstress.h"
#include "suite.h"

#define ROOT            TESSERA_SLOT_CNODE
#define DEPTH           64
#define OK_             ST_BIT(TESSERA_OK)
#define STUCK_LIMIT     40              /* idle wakes in a row without progress */
#define EP_DELETES      2               /* while a worker is blocked on it */
#define NTFN_DELETES    1               /* notification 0, while a worker waits on it */
#define THREAD_DELETES  3               /* at random, or while holding a reply cap */

static struct stress_thread *const ctl = &stress_threads[STRESS_CONTROLLER];
static unsigned wakes, progress_rounds, suspends, resumes, ep_deletes, ntfn_deletes, thread_deletes, stuck;
static int ep_pending = -1, ntfn_pending = -1, thread_pending = -1;
static unsigned tap_count, tap_failures;

static int tap(int ok, const char *what, unsigned count)
{
        tap_count++;
        tap_failures += !ok;
        tessera_printf("%sok %u - %s (%u)\n", ok ? "" : "not ", tap_count, what, count);
        return ok;
}

/* --- The controller's moves --------------------------------------------------- */

static int present(unsigned e)
{
        return !(stress_ep_epoch[e] & 1);
}

static void ctl_nb_recv(unsigned e)
{
        struct tessera_msg m = { 0 };
        struct stress_label f;
        uint64_t label;
        int st = tessera_nb_recv(stress_caps.ep[e], &m);

        if (!stress_status(ctl, st, OK_ | ST_BIT(TESSERA_ERR_WOULD_BLOCK), "the controller's NBRecv") || st)
                return;
        label = stress_verify_message(ctl, e, &m, tessera_ipc);
        if (!label || !stress_label_parse(label, &f) || f.kind != KIND_CALL)
                return;
        f = (struct stress_label){ KIND_REPLY, STRESS_CONTROLLER, f.seq, e, 0, CAPS_NONE,
                                   (unsigned)stress_rand(ctl, 9), f.sender };
        stress_fill(&m, tessera_ipc, stress_label_make(&f), 0);
        stress_must(tessera_reply(&m), "the controller replies at once");
}

static void ctl_nb_send(unsigned e)
{
        uint32_t seq = stress_next_seq(ctl);
        struct stress_label f = { KIND_DRAIN, STRESS_CONTROLLER, seq, e, SEL_OWN, CAPS_NONE,
                                  (unsigned)stress_rand(ctl, TESSERA_MSG_MAX_LENGTH + 1), 0 };
        struct tessera_msg m;
        int st;

        stress_fill(&m, tessera_ipc, stress_label_make(&f), 0);
        stress_sent_begin(ctl, seq, KIND_DRAIN);
        st = tessera_nb_send(stress_ep_cap(e, SEL_OWN, STRESS_CONTROLLER), &m);
        stress_sent_end(ctl, seq, st);
        stress_status(ctl, st, OK_ | ST_BIT(TESSERA_ERR_WOULD_BLOCK), "the controller's NBSend");
}

static void ctl_signal(unsigned n, int badged)
{
        if (stress_ntfn_epoch[n] & 1)
                return;
        if (badged)
                stress_count_signal(n, STRESS_CONTROLLER);
        stress_must(tessera_signal(badged ? stress_caps.ntfn_sig[n][STRESS_CONTROLLER] : stress_caps.ntfn[n]),
             "the controller signals");
}

static struct stress_thread *pick_worker(int first)
{
        struct stress_thread *t = &stress_threads[first + (int)stress_rand(ctl, STRESS_WORKERS - (unsigned)first)];

        return t->done || t->absent ? 0 : t;
}

static void suspend(struct stress_thread *t)
{
        t->suspends++;          /* before: a receiver compares it across a Call's two arrivals */
        stress_must(tessera_tcb_suspend(t->tcb), "suspend a worker");
        t->suspended = 1;
        suspends++;
}

static void resume(struct stress_thread *t)
{
        stress_must(tessera_tcb_resume(t->tcb), "resume a worker");
        t->suspended = 0;
        resumes++;
}

static void ep_delete(unsigned e)
{
        stress_ep_epoch[e]++;
        stress_must(tessera_cnode_revoke(ROOT, stress_caps.ep[e], DEPTH), "revoke an endpoint's caps");
        stress_must(tessera_cnode_delete(ROOT, stress_caps.ep[e], DEPTH), "delete an endpoint");
        ep_pending = (int)e;
        ep_deletes++;
}

static void ntfn_delete(unsigned n)
{
        stress_ntfn_epoch[n]++;
        stress_must(tessera_cnode_revoke(ROOT, stress_caps.ntfn[n], DEPTH), "revoke a notification's caps");
        stress_must(tessera_cnode_delete(ROOT, stress_caps.ntfn[n], DEPTH), "delete a notification");
        ntfn_pending = (int)n;
        ntfn_deletes++;
}

static void thread_delete(struct stress_thread *t)
{
        t->absent = 1;
        t->deletions++;
        t->suspended = 0;
        stress_must(tessera_cnode_delete(ROOT, t->tcb, DEPTH), "delete a worker's TCB");
        thread_pending = (int)t->id;
        thread_deletes++;
}

/* What was deleted on an earlier wake comes back. */
static void recreate(void)
{
        if (ep_pending >= 0) {
                stress_ep_make((unsigned)ep_pending, 1);
                stress_ep_epoch[ep_pending]++;
                ep_pending = -1;
        }
        if (ntfn_pending >= 0) {
                stress_ntfn_make((unsigned)ntfn_pending, 1);
                stress_ntfn_epoch[ntfn_pending]++;
                ntfn_pending = -1;
        }
        if (thread_pending >= 0) {
                struct stress_thread *t = &stress_threads[thread_pending];

                t->incarnation++;
                stress_thread_make(t, stress_worker_main);
                stress_must(tessera_tcb_resume(t->tcb), "restart a deleted worker");
                thread_pending = -1;
        }
}

static void chaos(void)
{
        unsigned e = (unsigned)stress_rand(ctl, STRESS_ENDPOINTS);
        struct stress_thread *t = pick_worker(0);

        switch (stress_rand(ctl, 16)) {
        case 0: case 1: case 2: case 3:
                if (t && !t->suspended)
                        suspend(t);
                break;
        case 4: case 5: case 6:
                if (t && t->suspended)
                        resume(t);
                break;
        case 7: if (present(e)) ctl_nb_send(e); break;
        case 8: if (present(e)) ctl_nb_recv(e); break;
        case 9: ctl_signal((unsigned)stress_rand(ctl, STRESS_NTFNS), (int)stress_rand(ctl, 2)); break;
        case 10: case 11:
                t = pick_worker(1);     /* worker 0 keeps its bound notification */
                if (t && thread_deletes < THREAD_DELETES && thread_pending < 0)
                        thread_delete(t);
                break;
        case 12:
                if (t && !t->suspended) {
                        suspend(t);     /* a blocked call starts again */
                        resume(t);
                }
                break;
        default:
                break;
        }
}

/* Now and then, while every worker is blocked: delete the endpoint one is
 * queued on (or waits on for a reply), notification 0 if one waits on it,
 * or a worker holding a reply cap. */
static void delete_under_blocked(void)
{
        struct stress_thread *t = pick_worker(1);

        if (!t || t->suspended || stress_rand(ctl, 4))
                return;
        if (t->blocked_op >= 0 && t->blocked_op != OP_WAIT && ep_deletes < EP_DELETES && ep_pending < 0 &&
            present(t->blocked_on))
                ep_delete(t->blocked_on);
        else if (t->blocked_op == OP_WAIT && t->blocked_on == 0 && ntfn_deletes < NTFN_DELETES &&
                 ntfn_pending < 0)
                ntfn_delete(0);
        else if (t->reply == REPLY_HELD && thread_deletes < THREAD_DELETES && thread_pending < 0)
                thread_delete(t);
}

/* Every worker is blocked: free each one. */
static void progress_round(void)
{
        progress_rounds++;
        delete_under_blocked();
        for (unsigned id = 0; id < STRESS_WORKERS; id++) {
                struct stress_thread *t = &stress_threads[id];
                int op = t->blocked_op;
                unsigned on = t->blocked_on;

                if (t->done || t->absent)
                        continue;
                if (t->suspended)
                        resume(t);
                if ((op == OP_SEND || op == OP_CALL) && present(on))
                        ctl_nb_recv(on);
                else if ((op == OP_RECV || op == OP_REPLY_RECV) && present(on))
                        ctl_nb_send(on);
                else if (op == OP_WAIT)
                        ctl_signal(on, (int)stress_rand(ctl, 2));
        }
}

static int all_done(void)
{
        for (unsigned id = 0; id < STRESS_WORKERS; id++)
                if (!stress_threads[id].done)
                        return 0;
        return 1;
}

static void control(void)
{
        uint64_t word, last = ~0ull;
        unsigned strikes = 0;

        while (!all_done()) {
                if (!stress_must(tessera_wait(stress_caps.ctl, &word), "the controller's Wait"))
                        break;
                wakes++;
                recreate();
                if (!(word & (1ull << STRESS_IDLE))) {
                        chaos();
                        continue;
                }
                strikes = stress_progress == last ? strikes + 1 : 0;
                last = stress_progress;
                if (strikes > STUCK_LIMIT) {
                        stuck = 1;
                        break;
                }
                progress_round();
        }
        recreate();
}

/* --- The report --------------------------------------------------------------- */

static void report_stuck(void)
{
        for (unsigned id = 0; id < STRESS_WORKERS; id++) {
                const struct stress_thread *t = &stress_threads[id];

                tessera_printf("# worker %u: done %u, ops left %u, blocked op %d on %u, suspended %u\n", id,
                               t->done, t->ops_left, t->blocked_op, t->blocked_on, t->suspended);
        }
}

static void report(void)
{
        static const char *const what[CAT_COUNT] = {
                "every status is one the ABI allows", "every message arrived intact, with its badge",
                "every Call got its own reply", "notification words hold only badges signalled",
                "caps transferred, unwrapped or refused as told", "each message arrived once, and only if sent",
        };
        static const char *const names[OP_COUNT] = {
                "send", "nbsend", "call", "recv", "nbrecv", "reply", "replyrecv", "signal", "wait", "poll",
                "yield", "wake", "bad" };
        struct stress_stats s = { 0 };

        stress_sum_stats(&s);
        tessera_printf("# ipcstress core %u ops:", stress_core);
        for (unsigned i = 0; i < OP_COUNT; i++)
                tessera_printf(" %s %u", names[i], s.ops[i]);
        tessera_printf("\n# ipcstress core %u: %u messages verified (%u words), %u replies, %u expected errors\n",
                       stress_core, s.messages, s.words, s.replies, s.expected_errors);
        tessera_printf("# ipcstress core %u: %u caps granted (%u refused: slot full), %u unwrapped, "
                       "%u notification words\n", stress_core, s.gifts, s.gifts_refused, s.unwraps, s.signal_words);
        tessera_printf("# ipcstress core %u controller: %u wakes, %u progress rounds, %u suspends, %u resumes, "
                       "%u endpoint, %u notification and %u thread re-creations\n", stress_core, wakes,
                       progress_rounds, suspends, resumes, ep_deletes, ntfn_deletes, thread_deletes);
        tap(!stuck && all_done(), "every worker finished its budget: no deadlock", STRESS_WORKERS);
        for (unsigned i = 0; i < CAT_COUNT; i++)
                tap(s.failures[i] == 0, what[i], s.checks[i]);
}

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        unsigned ops = bi->core_count > 1 ? STRESS_OPS_SMP : STRESS_OPS;

        tessera_printf("# ipcstress on core %u: %u workers, %u operations each; %u untypeds, %llu image frames\n",
                       bi->core_id, STRESS_WORKERS, ops, bi->untyped_count,
                       (unsigned long long)(bi->image_frames.end - bi->image_frames.start));
        stress_setup(bi, ops);
        if (!tap(ctl->stats.failures[CAT_STATUS] == 0, "objects and threads made", ctl->stats.checks[CAT_STATUS])) {
                tessera_printf("1..%u\n", tap_count);
                return suite_finish(bi, tap_failures);
        }
        control();
        stress_must(tessera_tcb_suspend(stress_threads[STRESS_IDLE].tcb), "stop the idle thread");
        if (stuck)
                report_stuck();
        stress_check_records(ctl, thread_deletes);
        report();
        tessera_printf("1..%u\n", tap_count);
        return suite_finish(bi, tap_failures);
}
