/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipctests, cases 7 and 8: notifications and fault messages.
 *
 * Notifications: Signal ORs badges into the word, Wait and Poll take it,
 * an unbadged Signal still wakes, waiters queue FIFO whatever their
 * priorities, and a notification bound to a thread ends its Recv (also when
 * it was pending before the Recv, ahead of a queued sender), with every
 * Bind / Unbind refusal. Faults: a worker with a fault endpoint touches
 * unmapped pages and makes an unknown system call; this thread receives
 * each fault as a message, maps the page or moves the pc, and replies; a
 * reply with a non-zero label leaves the worker stopped for good.
 */
#include <stdint.h>
#include <tessera/errors.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/spawn.h>
#include <tessera/tcb.h>
#include <tessera/vspace.h>
#include "ipc_test.h"

#define PAGE 0x1000ull

struct ntfn_fixture {
        uint64_t ntfn, bit1, bit4, bit10;       /* WRITE-only caps with badges 0x1, 0x4, 0x10 */
};

static void test_signal_wait(const struct ntfn_fixture *f)
{
        uint64_t word = 0;

        expect("Signal with badge 0x1", tessera_signal(f->bit1), TESSERA_OK);
        expect("Signal with badge 0x4", tessera_signal(f->bit4), TESSERA_OK);
        expect("Poll", tessera_poll(f->ntfn, &word), TESSERA_OK);
        expect("the word is both badges ORed: 0x5", (int64_t)word, 0x5);
        expect("Poll again: WOULD_BLOCK (Poll cleared it)", tessera_poll(f->ntfn, &word), TESSERA_ERR_WOULD_BLOCK);
        expect("Signal with badge 0x10", tessera_signal(f->bit10), TESSERA_OK);
        expect("Wait with a signal pending returns at once", tessera_wait(f->ntfn, &word), TESSERA_OK);
        expect("with 0x10", (int64_t)word, 0x10);
        worker_step(0, OP_WAIT, f->ntfn, 0);
        worker_start(0, 100);
        expect("an unbadged Signal to a waiting thread", tessera_signal(f->ntfn), TESSERA_OK);
        settle();
        expect_true("wakes it: Wait returned OK with word 0",
                    ipc_workers[0].done == 1 && ipc_workers[0].res[0].status == TESSERA_OK &&
                    ipc_workers[0].res[0].msg.badge == 0);
        worker_kill(0);
}

/* Waiters at priorities 100, 150, 50 queue in that order and wake in it. */
static void test_waiter_fifo(const struct ntfn_fixture *f)
{
        static const unsigned priority[3] = { 100, 150, 50 };
        const uint64_t bits[3] = { f->bit1, f->bit4, f->bit10 }, words[3] = { 0x1, 0x4, 0x10 };
        uint64_t word = 0;
        int fifo = 1;

        for (unsigned i = 0; i < 3; i++) {
                worker_step(1 + i, OP_WAIT, f->ntfn, 0);
                worker_start(1 + i, priority[i]);
        }
        for (unsigned i = 0; i < 3; i++)
                expect("Signal a notification with waiters", tessera_signal(bits[i]), TESSERA_OK);
        settle();
        for (unsigned i = 0; i < 3; i++) {
                fifo &= ipc_workers[1 + i].done == 1 && ipc_workers[1 + i].res[0].msg.badge == words[i];
                digest_fold(ipc_workers[1 + i].res[0].msg.badge);
                worker_kill(1 + i);
        }
        expect_true("each signal woke the longest waiter with its own badge (FIFO)", fifo);
        expect("nothing left pending: Poll WOULD_BLOCK", tessera_poll(f->ntfn, &word), TESSERA_ERR_WOULD_BLOCK);
}

static void test_bind_errors(const struct ntfn_fixture *f, uint64_t server, uint64_t bound)
{
        uint64_t other = new_object(TESSERA_OBJ_NOTIFICATION);

        expect("bind a notification to the server thread", tessera_tcb_bind_notification(server, bound), TESSERA_OK);
        expect("bind a second one to it: ILLEGAL_OPERATION", tessera_tcb_bind_notification(server, other),
               TESSERA_ERR_ILLEGAL_OPERATION);
        expect("make another thread", worker_make(6, 100, 1, 0), TESSERA_OK);
        expect("bind the first to it too (bound elsewhere): ILLEGAL_OPERATION",
               tessera_tcb_bind_notification(ipc_workers[6].tcb, bound), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("unbind a thread with none bound: ILLEGAL_OPERATION",
               tessera_tcb_unbind_notification(ipc_workers[6].tcb), TESSERA_ERR_ILLEGAL_OPERATION);
        worker_step(7, OP_WAIT, f->ntfn, 0);
        worker_start(7, 100);
        expect("bind a notification that has a waiter: ILLEGAL_OPERATION",
               tessera_tcb_bind_notification(ipc_workers[6].tcb, f->ntfn), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("release the waiter", tessera_signal(f->bit1), TESSERA_OK);
        worker_kill(6);
        worker_step(6, OP_WAIT, bound, 0);
        worker_start(6, 100);
        expect_true("Wait on a notification bound to another thread: ILLEGAL_OPERATION",
                    ipc_workers[6].done == 1 && ipc_workers[6].res[0].status == TESSERA_ERR_ILLEGAL_OPERATION);
        worker_kill(6);
        worker_kill(7);
        drop(other);
}

static int signalled(unsigned k, uint64_t word)
{
        const struct ipc_result *r = &ipc_workers[5].res[k];

        return ipc_workers[5].done > k && r->status == TESSERA_RECV_SIGNALLED && r->msg.badge == word &&
               r->msg.info == 0;
}

/* Worker 5 receives on ep with `bound` bound; worker 4 is queued sending. */
static void test_bound(const struct ntfn_fixture *f)
{
        uint64_t ep = new_object(TESSERA_OBJ_ENDPOINT), bound = new_object(TESSERA_OBJ_NOTIFICATION), word = 0;
        uint64_t bit40 = mint(bound, TESSERA_RIGHT_WRITE, 0x40), bit80 = mint(bound, TESSERA_RIGHT_WRITE, 0x80);
        struct ipc_step *s = worker_step(4, OP_SEND, ep, tessera_msg_info(0x70, 0, 1));

        s->msg.mr[0] = 0x7e;
        worker_start(4, 90);
        for (unsigned k = 0; k < 3; k++)
                worker_step(5, OP_RECV, ep, 0);
        expect("make a server thread", worker_make(5, 100, 1, 0), TESSERA_OK);
        test_bind_errors(f, ipc_workers[5].tcb, bound);
        expect("signal its notification (0x80) before it receives", tessera_signal(bit80), TESSERA_OK);
        worker_go(5);
        settle();
        expect_true("its Recv ended at once: RECV_SIGNALLED, x0 = 0x80, x1 = 0, ahead of the queued sender",
                    signalled(0, 0x80));
        expect_true("its next Recv took the queued message",
                    ipc_workers[5].res[1].status == TESSERA_OK && ipc_workers[5].res[1].msg.mr[0] == 0x7e);
        expect("signal (0x40) while it waits in Recv", tessera_signal(bit40), TESSERA_OK);
        settle();
        expect_true("its Recv ended: RECV_SIGNALLED, x0 = 0x40, x1 = 0", signalled(2, 0x40));
        expect("unbind it", tessera_tcb_unbind_notification(ipc_workers[5].tcb), TESSERA_OK);
        expect("Poll on the unbound notification: WOULD_BLOCK", tessera_poll(bound, &word), TESSERA_ERR_WOULD_BLOCK);
        worker_kill(4);
        worker_kill(5);
        drop(bit80);
        drop(bit40);
        drop(bound);
        drop(ep);
}

void test_notifications(void)
{
        struct ntfn_fixture f = { .ntfn = new_object(TESSERA_OBJ_NOTIFICATION) };

        f.bit1 = mint(f.ntfn, TESSERA_RIGHT_WRITE, 0x1);
        f.bit4 = mint(f.ntfn, TESSERA_RIGHT_WRITE, 0x4);
        f.bit10 = mint(f.ntfn, TESSERA_RIGHT_WRITE, 0x10);
        test_signal_wait(&f);
        test_waiter_fifo(&f);
        test_bound(&f);
        drop(f.bit10);
        drop(f.bit4);
        drop(f.bit1);
        drop(f.ntfn);
}

/* ---- case 8: faults ---- */

#define FAULTER     0
#define FAULT_BADGE 0xfaull

/* Takes the fault the worker has queued on fe; 0 when there is none. */
static int take_fault(uint64_t fe, struct tessera_msg *m, uint64_t label, uint64_t address, const char *what)
{
        int st;

        settle();
        *m = (struct tessera_msg){ 0 };
        st = tessera_nb_recv(fe, m);
        expect(what, st, TESSERA_OK);
        digest_msg(m);
        expect_true("label, length 4, the fault endpoint cap's badge and the address",
                    tessera_msg_label(m->info) == label && tessera_msg_length(m->info) == 4 &&
                    m->badge == FAULT_BADGE && m->mr[1] == address);
        return st == TESSERA_OK;
}

static int answer_fault(uint64_t label, unsigned len, uint64_t pc)
{
        struct tessera_msg m = { .info = tessera_msg_info(label, 0, len), .mr = { pc } };

        return tessera_reply(&m);
}

static void fault_script(uint64_t page)
{
        worker_step(FAULTER, OP_TOUCH, 0, 0)->arg = page;
        worker_step(FAULTER, OP_TOUCH_REDIRECT, 0, 0)->arg = page + PAGE;
        worker_step(FAULTER, OP_BAD_SYSCALL, 0, 0)->arg = 99;
        worker_step(FAULTER, OP_TOUCH, 0, 0)->arg = page + 2 * PAGE;
        worker_step(FAULTER, OP_TOUCH, 0, 0)->arg = page;
}

/* A data fault answered by mapping the page; the load then succeeds. */
static int fault_mapped(uint64_t fe, uint64_t page, uint64_t frame)
{
        const struct ipc_worker *w = &ipc_workers[FAULTER];
        uint64_t touch = (uint64_t)(uintptr_t)worker_touch;
        struct tessera_msg m;

        if (!take_fault(fe, &m, TESSERA_FAULT_VM, page, "a data fault arrives on the fault endpoint"))
                return 0;
        expect_true("MR0 is the pc of the faulting load", m.mr[0] >= touch && m.mr[0] < touch + 64);
        expect_true("MR2 is the syndrome of a data abort from EL0", (m.mr[2] >> 26) == 0x24);
        expect_true("MR3 is the thread's sp", m.mr[3] > worker_stack_base(FAULTER) &&
                                              m.mr[3] <= worker_stack_top(FAULTER));
        expect("map a frame at the address", tessera_spawn_map_own(&ipc_alloc, frame, page,
               TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, TESSERA_FRAME_CACHED), TESSERA_OK);
        *(volatile uint64_t *)(uintptr_t)page = 0xfeed;
        expect("reply label 0", answer_fault(0, 0, 0), TESSERA_OK);
        settle();
        expect_true("the thread resumed: the load read the new page", w->done >= 1 && w->res[0].value == 0xfeed);
        return 1;
}

void test_faults(void)
{
        const struct ipc_worker *w = &ipc_workers[FAULTER];
        uint64_t fe = new_object(TESSERA_OBJ_ENDPOINT), frame = new_object(TESSERA_OBJ_FRAME_4K);
        uint64_t cap = mint(fe, TESSERA_RIGHT_WRITE | TESSERA_RIGHT_GRANT, FAULT_BADGE), page = IPC_FAULT_PAGES;
        struct tessera_msg m;

        fault_script(page);
        expect("make a thread with a fault endpoint", worker_make(FAULTER, 100, 1, cap), TESSERA_OK);
        worker_go(FAULTER);
        if (fault_mapped(fe, page, frame) &&
            take_fault(fe, &m, TESSERA_FAULT_VM, page + PAGE, "a second data fault arrives")) {
                expect("reply label 0 with MR0 = a new pc",
                       answer_fault(0, 1, (uint64_t)(uintptr_t)worker_redirected), TESSERA_OK);
                settle();
                expect("the thread resumed at the new pc", w->redirected, 1);
        }
        if (take_fault(fe, &m, TESSERA_FAULT_UNKNOWN_SYSCALL, 99, "an unknown system call arrives as a fault")) {
                expect("its syndrome is an SVC's (EC 0x15)", (int64_t)(m.mr[2] >> 26), 0x15);
                expect("reply label 0", answer_fault(0, 0, 0), TESSERA_OK);
                settle();
                expect_true("the thread went on after the svc", w->done >= 3 && w->res[2].value == 1);
        }
        if (take_fault(fe, &m, TESSERA_FAULT_VM, page + 2 * PAGE, "a third data fault arrives")) {
                expect("reply label 1", answer_fault(1, 0, 0), TESSERA_OK);
                settle();
                settle();
                expect("the thread stays stopped: no step after the fault", w->done, 3);
        }
        worker_kill(FAULTER);
        tessera_frame_unmap(frame);
        drop(frame);
        drop(cap);
        drop(fe);
}
