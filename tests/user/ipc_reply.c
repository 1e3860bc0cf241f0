/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipctests, cases 6 and 9: the one-shot reply capability, and objects and
 * threads that go away in the middle of IPC.
 *
 * This thread is the server of worker clients: a Reply answers once; a
 * receive while holding a reply cap fails the old caller with NO_REPLY; a
 * caller suspended or deleted leaves nothing to answer; a server deleted
 * fails its caller; ReplyRecv holding nothing just receives. Then endpoints
 * and notifications are deleted with threads queued on them, and queued
 * threads are suspended, resumed and deleted: the woken threads fail, the
 * queues stay consistent (the debug kernel checks after every call) and a
 * resumed thread repeats its call and completes.
 */
#include <stdint.h>
#include <tessera/errors.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/tcb.h>
#include "ipc_proto.h"
#include "ipc_test.h"

static struct ipc_step *call_step(unsigned i, unsigned op, uint64_t cap, uint64_t mr0)
{
        struct ipc_step *s = worker_step(i, op, cap, tessera_msg_info(0x60, 0, 1));

        s->msg.mr[0] = mr0;
        return s;
}

static uint64_t receive(uint64_t ep, const char *what)
{
        struct tessera_msg m = { 0 };

        expect(what, tessera_recv(ep, &m), TESSERA_OK);
        digest_msg(&m);
        return m.mr[0];
}

static int reply_echo(uint64_t mr0)
{
        struct tessera_msg m = { .info = tessera_msg_info(0x61, 0, 1), .mr = { mr0 + 1 } };

        return tessera_reply(&m);
}

/* Worker 0 calls three times: answered, discarded by a receive, suspended. */
static void test_one_shot(uint64_t ep)
{
        const struct ipc_worker *c = &ipc_workers[0];
        struct tessera_msg m = { 0 };

        for (uint64_t k = 5; k <= 7; k++)
                call_step(0, OP_CALL, ep, k);
        worker_start(0, 100);
        expect("receive a Call", (int64_t)receive(ep, "Recv while a caller is queued"), 5);
        expect("Reply", reply_echo(5), TESSERA_OK);
        expect("a second Reply: INVALID_CAPABILITY", reply_echo(5), TESSERA_ERR_INVALID_CAPABILITY);
        settle();
        expect_true("the caller got the one answer", c->res[0].status == TESSERA_OK && c->res[0].msg.mr[0] == 6);
        expect("receive its next Call", (int64_t)receive(ep, "Recv"), 6);
        expect("NBRecv while holding its reply cap (nobody else sends): WOULD_BLOCK",
               tessera_nb_recv(ep, &m), TESSERA_ERR_WOULD_BLOCK);
        settle();
        expect("the discarded caller's Call returned NO_REPLY", c->res[1].status, TESSERA_ERR_NO_REPLY);
        expect("receive its third Call", (int64_t)receive(ep, "Recv"), 7);
        expect("suspend the caller while it waits for the reply", tessera_tcb_suspend(c->tcb), TESSERA_OK);
        expect("Reply to a suspended caller: INVALID_CAPABILITY", reply_echo(7), TESSERA_ERR_INVALID_CAPABILITY);
        worker_kill(0);
}

/* A blocking Recv discards the reply cap too; a deleted caller leaves none. */
static void test_discard_and_delete(uint64_t ep)
{
        call_step(1, OP_CALL, ep, 0x11);
        worker_start(1, 100);
        expect("receive a Call", (int64_t)receive(ep, "Recv"), 0x11);
        call_step(2, OP_SEND, ep, 0x22);
        worker_start(2, 100);
        expect("Recv again (a sender is queued) while holding the reply cap", (int64_t)receive(ep, "Recv"), 0x22);
        settle();
        expect("the first caller's Call returned NO_REPLY", ipc_workers[1].res[0].status, TESSERA_ERR_NO_REPLY);
        expect("the sender's Send returned OK", ipc_workers[2].res[0].status, TESSERA_OK);
        worker_kill(1);
        worker_kill(2);
        call_step(3, OP_CALL, ep, 0x33);
        worker_start(3, 100);
        expect("receive a Call", (int64_t)receive(ep, "Recv"), 0x33);
        worker_kill(3);
        expect("Reply after the caller was deleted: INVALID_CAPABILITY", reply_echo(0x33),
               TESSERA_ERR_INVALID_CAPABILITY);
}

/* Worker 4 serves worker 5, then waits elsewhere holding the reply cap. */
static void test_server_deleted(uint64_t ep)
{
        uint64_t ntfn = new_object(TESSERA_OBJ_NOTIFICATION);

        worker_step(4, OP_RECV, ep, 0);
        worker_step(4, OP_WAIT, ntfn, 0);
        worker_start(4, 120);
        call_step(5, OP_CALL, ep, 0x44);
        worker_start(5, 100);
        expect_true("the server received the Call and waits holding the reply cap",
                    ipc_workers[4].done == 1 && ipc_workers[5].done == 0);
        worker_kill(4);
        settle();
        expect("the server was deleted: its caller's Call returned NO_REPLY", ipc_workers[5].res[0].status,
               TESSERA_ERR_NO_REPLY);
        worker_kill(5);
        drop(ntfn);
}

static void test_reply_recv_without_cap(uint64_t ep)
{
        struct tessera_msg m = { .info = tessera_msg_info(0x99, 0, 2), .mr = { 1, 2 } };

        call_step(6, OP_SEND, ep, 0xab);
        worker_start(6, 100);
        expect("ReplyRecv holding no reply cap just receives", tessera_reply_recv(ep, &m), TESSERA_OK);
        expect_true("the queued sender's message", m.mr[0] == 0xab && m.badge == 0 &&
                                                   m.info == tessera_msg_info(0x60, 0, 1));
        settle();
        expect("its Send returned OK", ipc_workers[6].res[0].status, TESSERA_OK);
        worker_kill(6);
}

void test_reply_caps(void)
{
        uint64_t ep = new_object(TESSERA_OBJ_ENDPOINT);

        test_one_shot(ep);
        test_discard_and_delete(ep);
        test_server_deleted(ep);
        test_reply_recv_without_cap(ep);
        drop(ep);
}

/* ---- case 9: deletion during IPC ---- */

/* Two workers queued on a fresh endpoint doing `op`; the endpoint is deleted. */
static void delete_queued_endpoint(unsigned op, const char *what)
{
        uint64_t ep = new_object(TESSERA_OBJ_ENDPOINT);

        call_step(0, op, ep, 1);
        call_step(1, op, ep, 2);
        worker_start(0, 100);
        worker_start(1, 110);
        expect_true(what, ipc_workers[0].done == 0 && ipc_workers[1].done == 0);
        drop(ep);
        settle();
        expect_true("deleting the endpoint woke both; their calls failed",
                    ipc_workers[0].done == 1 && ipc_workers[0].res[0].status != TESSERA_OK &&
                    ipc_workers[1].done == 1 && ipc_workers[1].res[0].status != TESSERA_OK);
        digest_fold((uint64_t)ipc_workers[0].res[0].status);
        worker_kill(0);
        worker_kill(1);
}

/* Suspend a queued worker: it leaves the queue; resumed, it calls again. */
static void test_suspend_resume(uint64_t ep)
{
        struct tessera_msg m = { .info = tessera_msg_info(0x62, 0, 1), .mr = { 0x5 } };

        call_step(2, OP_RECV, ep, 0);
        worker_start(2, 100);
        expect("suspend a receiver", tessera_tcb_suspend(ipc_workers[2].tcb), TESSERA_OK);
        expect("NBSend: WOULD_BLOCK, it left the queue", tessera_nb_send(ep, &m), TESSERA_ERR_WOULD_BLOCK);
        expect("resume it", tessera_tcb_resume(ipc_workers[2].tcb), TESSERA_OK);
        settle();
        expect("NBSend: it is receiving again", tessera_nb_send(ep, &m), TESSERA_OK);
        settle();
        expect_true("and got the message", ipc_workers[2].done == 1 && ipc_workers[2].res[0].msg.mr[0] == 0x5);
        call_step(3, OP_CALL, ep, 0x6);
        worker_start(3, 100);
        expect("suspend a queued caller", tessera_tcb_suspend(ipc_workers[3].tcb), TESSERA_OK);
        expect("NBRecv: WOULD_BLOCK, it left the queue", tessera_nb_recv(ep, &m), TESSERA_ERR_WOULD_BLOCK);
        expect("resume it", tessera_tcb_resume(ipc_workers[3].tcb), TESSERA_OK);
        settle();
        expect("receive its repeated Call", (int64_t)receive(ep, "Recv"), 0x6);
        expect("Reply", reply_echo(0x6), TESSERA_OK);
        settle();
        expect_true("its Call completed with the answer",
                    ipc_workers[3].res[0].status == TESSERA_OK && ipc_workers[3].res[0].msg.mr[0] == 0x7);
        worker_kill(2);
        worker_kill(3);
}

static void test_suspend_waiter(uint64_t ntfn, uint64_t bit1, uint64_t bit4)
{
        uint64_t word = 0;

        worker_step(4, OP_WAIT, ntfn, 0);
        worker_start(4, 100);
        expect("suspend a waiter", tessera_tcb_suspend(ipc_workers[4].tcb), TESSERA_OK);
        expect("signal (badge 0x1)", tessera_signal(bit1), TESSERA_OK);
        expect("Poll: the signal stayed pending, the waiter left the queue", tessera_poll(ntfn, &word), TESSERA_OK);
        expect("word 0x1", (int64_t)word, 0x1);
        expect("resume it", tessera_tcb_resume(ipc_workers[4].tcb), TESSERA_OK);
        settle();
        expect("it waits again", ipc_workers[4].done, 0);
        expect("signal (badge 0x4)", tessera_signal(bit4), TESSERA_OK);
        settle();
        expect_true("it woke with 0x4", ipc_workers[4].done == 1 && ipc_workers[4].res[0].msg.badge == 0x4);
        worker_kill(4);
}

/* Delete threads blocked in Recv, in a queued Call and in Wait. */
static void test_delete_blocked(uint64_t ep, uint64_t ntfn, uint64_t bit1)
{
        struct tessera_msg m = { .info = tessera_msg_info(0x63, 0, 1) };
        uint64_t word = 0;

        call_step(5, OP_RECV, ep, 0);
        worker_start(5, 100);
        worker_kill(5);
        expect("delete a receiver: NBSend finds nobody (WOULD_BLOCK)", tessera_nb_send(ep, &m),
               TESSERA_ERR_WOULD_BLOCK);
        call_step(6, OP_CALL, ep, 0x8);
        worker_start(6, 100);
        worker_kill(6);
        expect("delete a queued caller: NBRecv finds nobody (WOULD_BLOCK)", tessera_nb_recv(ep, &m),
               TESSERA_ERR_WOULD_BLOCK);
        worker_step(7, OP_WAIT, ntfn, 0);
        worker_start(7, 100);
        worker_kill(7);
        expect("delete a waiter, then signal", tessera_signal(bit1), TESSERA_OK);
        expect("Poll: the signal is pending", tessera_poll(ntfn, &word), TESSERA_OK);
        expect("word 0x1", (int64_t)word, 0x1);
}

/* A notification deleted with a waiter, and one deleted while bound. */
static void test_delete_notifications(uint64_t ep)
{
        uint64_t waited = new_object(TESSERA_OBJ_NOTIFICATION), bound = new_object(TESSERA_OBJ_NOTIFICATION);
        struct tessera_msg m = { .info = tessera_msg_info(0x64, 0, 1), .mr = { 0x9 } };

        worker_step(0, OP_WAIT, waited, 0);
        worker_start(0, 100);
        drop(waited);
        settle();
        expect_true("deleting a notification wakes its waiter; Wait failed",
                    ipc_workers[0].done == 1 && ipc_workers[0].res[0].status != TESSERA_OK);
        digest_fold((uint64_t)ipc_workers[0].res[0].status);
        worker_step(1, OP_RECV, ep, 0);
        expect("make a receiver", worker_make(1, 100, 1, 0), TESSERA_OK);
        expect("bind a notification to it", tessera_tcb_bind_notification(ipc_workers[1].tcb, bound), TESSERA_OK);
        worker_go(1);
        settle();
        drop(bound);
        expect("delete the bound notification: unbind finds none (ILLEGAL_OPERATION)",
               tessera_tcb_unbind_notification(ipc_workers[1].tcb), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("the receiver still receives", tessera_nb_send(ep, &m), TESSERA_OK);
        settle();
        expect_true("it got the message", ipc_workers[1].res[0].status == TESSERA_OK &&
                                          ipc_workers[1].res[0].msg.mr[0] == 0x9);
        worker_kill(0);
        worker_kill(1);
}

void test_deletion(void)
{
        uint64_t ep = new_object(TESSERA_OBJ_ENDPOINT), ntfn = new_object(TESSERA_OBJ_NOTIFICATION);
        uint64_t bit1 = mint(ntfn, TESSERA_RIGHT_WRITE, 0x1), bit4 = mint(ntfn, TESSERA_RIGHT_WRITE, 0x4);

        delete_queued_endpoint(OP_SEND, "two senders queued on an endpoint");
        delete_queued_endpoint(OP_RECV, "two receivers queued on an endpoint");
        delete_queued_endpoint(OP_CALL, "two callers queued on an endpoint");
        test_suspend_resume(ep);
        test_suspend_waiter(ntfn, bit1, bit4);
        test_delete_blocked(ep, ntfn, bit1);
        test_delete_notifications(ep);
        drop(bit4);
        drop(bit1);
        drop(ntfn);
        drop(ep);
}
