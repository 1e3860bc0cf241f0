/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipctests, cases 4 and 5: capability transfer and long messages.
 *
 * Caps go to a worker waiting in Recv, one script step per message: a
 * frame and an endpoint land in its receive slot with their rights and
 * badge; no GRANT refuses the send; an occupied slot or depth 0 takes no
 * cap but the message; an endpoint cap of the very endpoint is unwrapped
 * to its badge; a cap deleted while its sender waits stops the transfer.
 * Across address spaces the spawned server reports what it received and
 * gives a cap back in a reply. Long messages go to and from the server
 * and a worker, every word checked; a side without an IPC buffer clips
 * the message to its four registers.
 */
#include <stdint.h>
#include <tessera/errors.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include "ipc_proto.h"
#include "ipc_test.h"

#define RECEIVER 0
#define SENDER   1

struct caps_fixture {
        uint64_t a, a_no_grant, a_badge_99, a_badge_11;        /* the endpoint messages go through */
        uint64_t frame, frame_paddr;
        uint64_t e2, e2_write;                  /* another endpoint; a WRITE-only cap, badge 0x77 */
        uint64_t slot[4];                       /* the worker's receive slots */
};

static int send_caps(uint64_t ep, uint64_t mr0, unsigned n, uint64_t c0, uint64_t c1)
{
        struct tessera_msg m = { .info = tessera_msg_info(0x40, n, 1), .mr = { mr0 } };

        tessera_ipc->caps[0] = c0;
        tessera_ipc->caps[1] = c1;
        return tessera_nb_send(ep, &m);
}

/* Step k of the receiver ended with message mr0, `caps` caps processed, `unwrapped` bits. */
static void check_delivery(unsigned k, const char *what, uint64_t mr0, unsigned caps, unsigned unwrapped)
{
        const struct ipc_worker *w = &ipc_workers[RECEIVER];
        const struct tessera_msg *m = &w->res[k].msg;

        settle();
        expect_true(what, w->done > k && w->res[k].status == TESSERA_OK && m->mr[0] == mr0 &&
                          tessera_msg_caps(m->info) == caps && tessera_msg_unwrapped(m->info) == unwrapped);
        digest_msg(m);
}

static void script_receiver(const struct caps_fixture *f)
{
        static const unsigned slot_of_step[8] = { 1, 2, 0, 1, 0, 3, 3, 4 };   /* 1-based, 0: none */

        for (unsigned k = 0; k < 8; k++)
                worker_step(RECEIVER, OP_RECV, k == 2 ? f->e2 : f->a, 0)->receive_slot =
                        slot_of_step[k] ? f->slot[slot_of_step[k] - 1] : 0;
}

static void test_landing(const struct caps_fixture *f)
{
        expect("send a frame cap through a GRANT cap", send_caps(f->a, 100, 1, f->frame, 0), TESSERA_OK);
        check_delivery(0, "the receiver got the message with caps = 1", 100, 1, 0);
        expect_true("the frame landed in its receive slot (same physical page)",
                    frame_paddr(f->slot[0]) == f->frame_paddr);
        expect("send a WRITE-only endpoint cap with badge 0x77", send_caps(f->a, 101, 1, f->e2_write, 0),
               TESSERA_OK);
        check_delivery(1, "the receiver got it with caps = 1", 101, 1, 0);
        expect("the landed cap kept its rights: NBRecv without READ: INSUFFICIENT_RIGHTS",
               tessera_nb_recv(f->slot[1], &(struct tessera_msg){ 0 }), TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("it can send (WRITE)", tessera_nb_send(f->slot[1], &(struct tessera_msg){
                       .info = tessera_msg_info(1, 0, 1), .mr = { 102 } }), TESSERA_OK);
        settle();
        expect("and kept its badge: the message arrived with 0x77",
               (int64_t)ipc_workers[RECEIVER].res[2].msg.badge, 0x77);
}

static void test_refusals(const struct caps_fixture *f)
{
        expect("send a cap through a cap without GRANT: INSUFFICIENT_RIGHTS",
               send_caps(f->a_no_grant, 103, 1, f->frame, 0), TESSERA_ERR_INSUFFICIENT_RIGHTS);
        settle();
        expect("nothing was sent: the receiver still waits", ipc_workers[RECEIVER].done, 3);
        expect("send a cap to an occupied receive slot", send_caps(f->a, 103, 1, f->frame, 0), TESSERA_OK);
        check_delivery(3, "the message arrived with caps = 0", 103, 0, 0);
        expect("send a cap to a receiver with receive depth 0", send_caps(f->a, 104, 1, f->frame, 0),
               TESSERA_OK);
        check_delivery(4, "the message arrived with caps = 0", 104, 0, 0);
}

static void test_unwrapping(const struct caps_fixture *f)
{
        const struct ipc_worker *w = &ipc_workers[RECEIVER];

        expect("send the endpoint's own cap (badge 0x99) through it",
               send_caps(f->a, 105, 1, f->a_badge_99, 0), TESSERA_OK);
        check_delivery(5, "it arrived unwrapped: caps = 1, unwrapped bit 0", 105, 1, 1);
        expect("its badge is in badges[0]", (int64_t)w->res[5].badges[0], 0x99);
        expect_true("and the receive slot stayed empty", slot_is_empty(f->slot[2]));
        expect("send a frame, then the endpoint's cap with badge 0x11",
               send_caps(f->a, 106, 2, f->frame, f->a_badge_11), TESSERA_OK);
        check_delivery(6, "caps = 2, the second unwrapped", 106, 2, 2);
        expect("badges[1] is 0x11", (int64_t)w->res[6].badges[1], 0x11);
        expect_true("the frame landed", frame_paddr(f->slot[2]) == f->frame_paddr);
        expect("send two frames to one receive slot", send_caps(f->a, 107, 2, f->frame, f->frame), TESSERA_OK);
        check_delivery(7, "the transfer stopped after the first: caps = 1", 107, 1, 0);
        expect_true("the first landed", frame_paddr(f->slot[3]) == f->frame_paddr);
}

/* A sender queued with a cap that is deleted before the receiver comes. */
static void test_vanished_cap(const struct caps_fixture *f)
{
        uint64_t copy = mint(f->frame, TESSERA_RIGHTS_ALL, 0), slot = new_slot();
        struct tessera_msg m = { 0 };
        struct ipc_step *s = worker_step(SENDER, OP_SEND, f->a, tessera_msg_info(0x41, 1, 1));

        s->msg.mr[0] = 108;
        s->caps[0] = copy;
        worker_start(SENDER, 100);
        drop(copy);
        root_receive_slot(slot);
        expect("receive from a sender whose cap was deleted while it waited", tessera_recv(f->a, &m),
               TESSERA_OK);
        root_receive_slot(0);
        expect_true("the message arrived with caps = 0", m.mr[0] == 108 && tessera_msg_caps(m.info) == 0);
        expect_true("and nothing landed", slot_is_empty(slot));
        settle();
        expect("the sender's Send returned OK", ipc_workers[SENDER].res[0].status, TESSERA_OK);
        worker_kill(SENDER);
        drop(slot);
}

/* PROBE and GIVE to the spawned server (ipc_proto.h). */
static void test_across_spaces(const struct caps_fixture *f, uint64_t server_ep, uint64_t server_badged,
                               uint64_t gift)
{
        struct tessera_msg m = { .info = tessera_msg_info(IPC_LABEL_PROBE, 1, 0) };
        uint64_t slot = new_slot();

        tessera_ipc->caps[0] = f->frame;
        expect("send a frame cap to the server in another CSpace", tessera_call(server_ep, &m), TESSERA_OK);
        expect_true("it received caps = 1 and the same frame",
                    tessera_msg_caps(m.mr[1]) == 1 && m.mr[3] == f->frame_paddr);
        m = (struct tessera_msg){ .info = tessera_msg_info(IPC_LABEL_PROBE, 1, 0) };
        tessera_ipc->caps[0] = server_badged;
        expect("send the server's endpoint cap (badge 0x1234) through it", tessera_call(server_ep, &m), TESSERA_OK);
        expect_true("it arrived unwrapped: bit 0, badges[0] = 0x1234, nothing landed",
                    tessera_msg_unwrapped(m.mr[1]) == 1 && m.mr[2] == IPC_SERVER_BADGE && m.mr[3] == 0);
        root_receive_slot(slot);
        m = (struct tessera_msg){ .info = tessera_msg_info(IPC_LABEL_GIVE, 0, 0) };
        expect("Call the server; its reply carries a cap", tessera_call(server_ep, &m), TESSERA_OK);
        expect_true("the reply has caps = 1 and its word",
                    tessera_msg_caps(m.info) == 1 && m.mr[0] == IPC_GIFT_WORD);
        expect_true("the server's frame landed in this task's receive slot", frame_paddr(slot) == frame_paddr(gift));
        root_receive_slot(0);
        drop(slot);
}

static int reply_with_frame(uint64_t frame, unsigned caps)
{
        struct tessera_msg m = { .info = tessera_msg_info(0x45, caps, 1), .mr = { 0x46 } };

        tessera_ipc->caps[0] = frame;
        return tessera_reply(&m);
}

/* A reply may carry caps only when the Call was received through a cap
 * with GRANT (the receiver's, as in seL4). */
static void test_reply_caps_grant(const struct caps_fixture *f)
{
        const struct ipc_worker *w = &ipc_workers[SENDER];
        uint64_t ep = new_object(TESSERA_OBJ_ENDPOINT), read_only = mint(ep, TESSERA_RIGHT_READ, 0);
        uint64_t slot = new_slot();
        struct tessera_msg m = { 0 };

        for (unsigned k = 0; k < 2; k++)
                worker_step(SENDER, OP_CALL, ep, tessera_msg_info(0x44, 0, 1))->receive_slot = slot;
        worker_start(SENDER, 100);
        expect("receive a Call through a cap without GRANT", tessera_recv(read_only, &m), TESSERA_OK);
        expect("Reply carrying a cap: INSUFFICIENT_RIGHTS", reply_with_frame(f->frame, 1),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("the reply cap is still there: Reply without caps", reply_with_frame(f->frame, 0), TESSERA_OK);
        settle();
        expect_true("the caller got it, caps = 0", w->res[0].status == TESSERA_OK && w->res[0].msg.mr[0] == 0x46 &&
                                                   tessera_msg_caps(w->res[0].msg.info) == 0);
        expect("receive its next Call through a cap with GRANT", tessera_recv(ep, &m), TESSERA_OK);
        expect("Reply carrying a frame cap", reply_with_frame(f->frame, 1), TESSERA_OK);
        settle();
        expect_true("the caller got it with caps = 1",
                    w->res[1].status == TESSERA_OK && tessera_msg_caps(w->res[1].msg.info) == 1);
        expect_true("the frame landed in the caller's receive slot", frame_paddr(slot) == f->frame_paddr);
        worker_kill(SENDER);
        drop(slot);
        drop(read_only);
        drop(ep);
}

void test_cap_transfer(uint64_t server_ep, uint64_t server_badged, uint64_t gift)
{
        struct caps_fixture f = { .a = new_object(TESSERA_OBJ_ENDPOINT), .frame = new_object(TESSERA_OBJ_FRAME_4K),
                                  .e2 = new_object(TESSERA_OBJ_ENDPOINT) };

        f.frame_paddr = frame_paddr(f.frame);
        f.a_no_grant = mint(f.a, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, 0);
        f.a_badge_99 = mint(f.a, TESSERA_RIGHTS_ALL, 0x99);
        f.a_badge_11 = mint(f.a, TESSERA_RIGHTS_ALL, 0x11);
        f.e2_write = mint(f.e2, TESSERA_RIGHT_WRITE, 0x77);
        for (unsigned i = 0; i < 4; i++)
                f.slot[i] = new_slot();
        script_receiver(&f);
        worker_start(RECEIVER, 100);
        test_landing(&f);
        test_refusals(&f);
        test_unwrapping(&f);
        worker_kill(RECEIVER);
        test_vanished_cap(&f);
        test_reply_caps_grant(&f);
        test_across_spaces(&f, server_ep, server_badged, gift);
        for (unsigned i = 0; i < 4; i++)
                drop(f.slot[i]);
        drop(f.e2_write);
        drop(f.a_badge_11);
        drop(f.a_badge_99);
        drop(f.a_no_grant);
        drop(f.e2);
        drop(f.frame);
        drop(f.a);
}

/* ---- case 5: long messages ---- */

static void test_long_with_worker(uint64_t ep)
{
        const struct ipc_worker *w = &ipc_workers[RECEIVER];
        struct tessera_msg m = { .info = tessera_msg_info(0x51, 0, 77) };
        unsigned good = 1;

        worker_step(RECEIVER, OP_RECV, ep, 0);
        worker_step_words(RECEIVER, OP_SEND, ep, 0x52, TESSERA_MSG_MAX_LENGTH, 77);
        worker_start(RECEIVER, 100);
        for (unsigned i = 0; i < 77; i++) {
                if (i < TESSERA_MSG_REGS_IN_CPU)
                        m.mr[i] = ipc_word(55, i);
                else
                        tessera_ipc->mr[i] = ipc_word(55, i);
        }
        expect("NBSend 77 words to a worker", tessera_nb_send(ep, &m), TESSERA_OK);
        settle();
        for (unsigned i = 0; i < TESSERA_MSG_REGS_IN_CPU; i++)
                good &= w->res[0].msg.mr[i] == ipc_word(55, i);
        expect_true("it received all 77 words", good && w->res[0].msg.info == tessera_msg_info(0x51, 0, 77) &&
                                                w->res[0].long_hash == ipc_pattern_hash(55, 77, 0));
        m = (struct tessera_msg){ 0 };
        expect("receive 120 words from it", tessera_recv(ep, &m), TESSERA_OK);
        good = m.info == tessera_msg_info(0x52, 0, TESSERA_MSG_MAX_LENGTH);
        for (unsigned i = 0; i < TESSERA_MSG_MAX_LENGTH; i++)
                good &= (i < TESSERA_MSG_REGS_IN_CPU ? m.mr[i] : tessera_ipc->mr[i]) == ipc_word(77, i);
        expect_true("every one of the 120 words is right", good);
        settle();
        worker_kill(RECEIVER);
}

/* A worker with no IPC buffer: what it sends and receives is clipped to 4. */
static void test_no_buffer(uint64_t ep, uint64_t server_ep)
{
        const struct ipc_worker *w = &ipc_workers[SENDER];
        struct tessera_msg m;
        int err;

        worker_step_words(SENDER, OP_SEND, ep, 0x54, 10, 88);
        worker_step(SENDER, OP_RECV, ep, 0);
        worker_step_words(SENDER, OP_CALL, server_ep, 0x55, 8, 99);
        err = worker_make(SENDER, 100, 0, 0);
        expect("make a worker without an IPC buffer", err, TESSERA_OK);
        worker_go(SENDER);
        settle();
        m = (struct tessera_msg){ 0 };
        expect("receive its 10-word Send", tessera_recv(ep, &m), TESSERA_OK);
        expect_true("it arrived clipped to 4 words, all right",
                    m.info == tessera_msg_info(0x54, 0, 4) && m.mr[0] == ipc_word(88, 0) && m.mr[3] == ipc_word(88, 3));
        settle();
        m = (struct tessera_msg){ .info = tessera_msg_info(0x53, 0, 10), .mr = { 1, 2, 3, 4 } };
        expect("NBSend it 10 words", tessera_nb_send(ep, &m), TESSERA_OK);
        settle();
        expect_true("it received them clipped to 4",
                    w->res[1].status == TESSERA_OK && w->res[1].msg.info == tessera_msg_info(0x53, 0, 4) &&
                    w->res[1].msg.mr[3] == 4);
        expect_true("its 8-word Call to the server came back as 4 words, echoed",
                    w->done == 3 && w->res[2].status == TESSERA_OK &&
                    w->res[2].msg.info == tessera_msg_info(0x56, 0, 4) &&
                    w->res[2].msg.mr[0] == ipc_word(99, 0) + 1 && w->res[2].msg.mr[3] == ipc_word(99, 3) + 1);
        digest_msg(&w->res[2].msg);
        worker_kill(SENDER);
}

void test_long_messages(uint64_t server_ep)
{
        uint64_t ep = new_object(TESSERA_OBJ_ENDPOINT);
        unsigned good = 0;

        for (unsigned len = TESSERA_MSG_REGS_IN_CPU + 1; len <= TESSERA_MSG_MAX_LENGTH; len++)
                good += (unsigned)echo_check(server_ep, 0x1000 + len, len, 1000 + len);
        expect("116 Calls of 5-120 words across address spaces, both ways, every word checked", good,
               TESSERA_MSG_MAX_LENGTH - TESSERA_MSG_REGS_IN_CPU);
        test_long_with_worker(ep);
        test_no_buffer(ep, server_ep);
        drop(ep);
}
