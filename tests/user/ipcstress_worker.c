/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC stress test's workers (ipcstress.h). Each runs a fixed budget of
 * operations drawn from its own pseudo-random sequence: Send, NBSend, Call,
 * Recv, NBRecv, Reply, ReplyRecv, Signal, Wait, Poll, Yield, waking the
 * controller, and calls that must fail (missing rights, wrong object type,
 * too long a message, an empty slot). Every status is checked against what
 * the ABI allows for that call at that moment; every message, reply and
 * notification word received is checked for contents. While in a blocking
 * call a worker says so (blocked_op), so the controller can free it when
 * every thread is blocked.
 */
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include "ipcstress.h"

#define ROOT  TESSERA_SLOT_CNODE
#define DEPTH 64
#define OK_   ST_BIT(TESSERA_OK)
#define GONE  (ST_BIT(TESSERA_ERR_FAILED_LOOKUP) | ST_BIT(TESSERA_ERR_INVALID_CAPABILITY))

/* Operation weights, in enum stress_op order. */
static const unsigned op_weight[OP_COUNT] = { 9, 12, 10, 9, 12, 4, 8, 7, 4, 7, 3, 3, 8 };

static unsigned pick_len(struct stress_thread *t)
{
        switch (stress_rand(t, 4)) {
        case 0: return (unsigned)stress_rand(t, TESSERA_MSG_REGS_IN_CPU + 1);  /* registers only */
        case 1: return TESSERA_MSG_REGS_IN_CPU + 1 + (unsigned)stress_rand(t, 12);
        default: return (unsigned)stress_rand(t, TESSERA_MSG_MAX_LENGTH + 1);
        }
}

static void block_begin(struct stress_thread *t, int op, unsigned on)
{
        t->blocked_on = on;
        t->blocked_op = op;
}

static void block_end(struct stress_thread *t)
{
        t->blocked_op = -1;
}

static int sys(unsigned number, uint64_t cap, struct tessera_msg *m)
{
        return (int)tessera_syscall(number, cap, m);
}

/* A Send, NBSend or Call of a fresh message; `allowed` is for a present endpoint. */
static void send_message(struct stress_thread *t, int op, unsigned e, uint64_t cap, unsigned sel,
                         unsigned caps, unsigned len, uint32_t allowed)
{
        static const unsigned number[] = { [OP_SEND] = TESSERA_SYS_SEND, [OP_NB_SEND] = TESSERA_SYS_NB_SEND,
                                           [OP_CALL] = TESSERA_SYS_CALL };
        unsigned kind = op == OP_CALL ? KIND_CALL : KIND_SEND;
        uint32_t seq = stress_next_seq(t), e0, e1;
        struct stress_label f = { kind, t->id, seq, e, sel, caps, len, 0 };
        uint64_t label = stress_label_make(&f);
        struct tessera_msg m;
        int st;

        stress_fill(&m, t->ipc, label, caps == CAPS_NONE ? 0 : caps == CAPS_UNWRAP_GIFT ? 2 : 1);
        t->ipc->caps[0] = caps == CAPS_GIFT ? stress_caps.gift : cap;
        t->ipc->caps[1] = stress_caps.gift;
        e0 = stress_ep_epoch[e];
        stress_sent_begin(t, seq, kind);
        if (op != OP_NB_SEND)
                block_begin(t, op, e);
        st = sys(number[op], cap, &m);
        block_end(t);
        e1 = stress_ep_epoch[e];
        stress_sent_end(t, seq, st);
        if (stress_status(t, st, stress_allowed(e0, e1, allowed), "a send's status is one the ABI allows") &&
            op == OP_CALL && st == TESSERA_OK)
                stress_verify_reply(t, seq, &m, t->ipc);
}

static void op_send(struct stress_thread *t, int op)
{
        unsigned e = (unsigned)stress_rand(t, STRESS_ENDPOINTS), caps = CAPS_NONE;
        unsigned sel = (unsigned)stress_rand(t, SEL_COUNT);
        uint32_t allowed = op == OP_NB_SEND ? OK_ | ST_BIT(TESSERA_ERR_WOULD_BLOCK) : OK_;

        if (op == OP_CALL) {
                allowed |= ST_BIT(TESSERA_ERR_NO_REPLY);
                if (sel == SEL_WRITE_ONLY)
                        sel = SEL_OWN;
        }
        if ((sel == SEL_OWN || sel == SEL_ORIG) && stress_rand(t, 6) == 0)
                caps = CAPS_GIFT + (unsigned)stress_rand(t, 3);
        send_message(t, op, e, stress_ep_cap(e, sel, t->id), sel, caps, pick_len(t), allowed);
}

/* The reply to the Call held (or a dummy that must never arrive). */
static void fill_reply(struct stress_thread *t, struct tessera_msg *m)
{
        struct stress_label call, f = { KIND_REPLY, t->id, 0, 0, 0, CAPS_NONE, pick_len(t), 0 };

        if (t->reply != REPLY_NONE && stress_label_parse(t->reply_label, &call)) {
                f.seq = call.seq;
                f.ep = call.ep;
                f.caller = call.sender;
        }
        stress_fill(m, t->ipc, stress_label_make(&f), 0);
}

static void received(struct stress_thread *t, unsigned e, int st, const struct tessera_msg *m)
{
        struct stress_label f;
        uint64_t label;

        if (st == TESSERA_RECV_SIGNALLED) {
                stress_check(t, CAT_NOTIFY, t->id == 0 && m->info == 0,
                             "only the bound thread's receive ends signalled, with info 0", m->info);
                stress_verify_word(t, 1, m->badge);
                return;
        }
        label = stress_verify_message(t, e, m, t->ipc);
        if (label && stress_label_parse(label, &f) && f.kind == KIND_CALL) {
                t->reply = REPLY_HELD;
                t->reply_label = label;
        }
}

static void op_recv(struct stress_thread *t, int op)
{
        static const unsigned number[] = { [OP_RECV] = TESSERA_SYS_RECV, [OP_NB_RECV] = TESSERA_SYS_NB_RECV,
                                           [OP_REPLY_RECV] = TESSERA_SYS_REPLY_RECV };
        unsigned e = (unsigned)stress_rand(t, STRESS_ENDPOINTS), which = (unsigned)stress_rand(t, 3);
        uint64_t cap = which == 0 ? stress_ep_cap(e, SEL_OWN, t->id) :
                       which == 1 ? stress_caps.ep[e] : stress_caps.ep_read[e];
        uint32_t allowed = OK_, e0, e1;
        struct tessera_msg m = { 0 };
        int st;

        if (op == OP_NB_RECV)
                allowed |= ST_BIT(TESSERA_ERR_WOULD_BLOCK);
        if (t->id == 0)
                allowed |= ST_BIT(TESSERA_RECV_SIGNALLED);
        if (op == OP_REPLY_RECV) {
                fill_reply(t, &m);
                t->stats.replies += t->reply != REPLY_NONE;
        }
        e0 = stress_ep_epoch[e];
        if (op != OP_NB_RECV)
                block_begin(t, op, e);
        st = sys(number[op], cap, &m);
        block_end(t);
        e1 = stress_ep_epoch[e];
        if (!stress_status(t, st, stress_allowed(e0, e1, allowed), "a receive's status is one the ABI allows"))
                return;
        if (st == TESSERA_OK || st == TESSERA_RECV_SIGNALLED || st == TESSERA_ERR_WOULD_BLOCK)
                t->reply = REPLY_NONE;          /* a receive discards the reply cap held */
        else if (op == OP_REPLY_RECV && t->reply != REPLY_NONE)
                t->reply = REPLY_MAYBE;         /* the reply may have gone before the lookup failed */
        if (st == TESSERA_OK || st == TESSERA_RECV_SIGNALLED)
                received(t, e, st, &m);
}

static void op_reply(struct stress_thread *t)
{
        uint32_t allowed = ST_BIT(TESSERA_ERR_INVALID_CAPABILITY);
        struct tessera_msg m;

        if (t->reply != REPLY_NONE)
                allowed |= OK_;         /* the caller may have been suspended or deleted */
        fill_reply(t, &m);
        stress_status(t, tessera_reply(&m), allowed, t->reply == REPLY_NONE ?
                      "Reply without a reply cap: INVALID_CAPABILITY" : "Reply answers the Call held");
        t->reply = REPLY_NONE;
}

/* The status of a call on notification n, its epoch e0 before the call. */
static int ntfn_status(struct stress_thread *t, int st, unsigned n, uint32_t e0, uint32_t normal,
                       const char *what)
{
        return stress_status(t, st, stress_allowed(e0, stress_ntfn_epoch[n], normal), what) && st == TESSERA_OK;
}

static void op_signal(struct stress_thread *t)
{
        unsigned n = (unsigned)stress_rand(t, STRESS_NTFNS);
        uint32_t e0 = stress_ntfn_epoch[n];

        stress_count_signal(n, t->id);
        ntfn_status(t, tessera_signal(stress_caps.ntfn_sig[n][t->id]), n, e0, OK_, "Signal succeeds");
}

static void op_wait(struct stress_thread *t)
{
        unsigned n = t->id == 0 ? (unsigned)stress_rand(t, STRESS_NTFNS) : 0;
        uint32_t e0 = stress_ntfn_epoch[n];
        uint64_t word;
        int st;

        block_begin(t, OP_WAIT, n);
        st = tessera_wait(stress_caps.ntfn[n], &word);
        block_end(t);
        if (ntfn_status(t, st, n, e0, OK_, "Wait succeeds"))
                stress_verify_word(t, n, word);
}

static void op_poll(struct stress_thread *t)
{
        unsigned n = (unsigned)stress_rand(t, STRESS_NTFNS);
        uint64_t cap = stress_rand(t, 2) ? stress_caps.ntfn[n] : stress_caps.ntfn_read[n], word;
        uint32_t allowed = OK_ | ST_BIT(TESSERA_ERR_WOULD_BLOCK), e0 = stress_ntfn_epoch[n];
        int st = tessera_poll(cap, &word);

        if (n == 1 && t->id != 0)
                allowed |= ST_BIT(TESSERA_ERR_ILLEGAL_OPERATION);  /* bound to worker 0 */
        if (!stress_status(t, st, stress_allowed(e0, stress_ntfn_epoch[n], allowed),
                           "Poll's status is one the ABI allows"))
                return;
        if (st == TESSERA_OK)
                stress_verify_word(t, n, word);
        else if (st == TESSERA_ERR_WOULD_BLOCK)
                stress_check(t, CAT_NOTIFY, word == 0, "Poll with nothing pending answers 0", word);
}

/* A call that must fail with `want` (or "gone" around an endpoint delete). */
static void expect_fail(struct stress_thread *t, int st, uint32_t e0, unsigned e, int want, const char *what)
{
        stress_status(t, st, stress_allowed(e0, stress_ep_epoch[e], ST_BIT(want)), what);
}

static void bad_wait(struct stress_thread *t, uint64_t cap, unsigned n, int want, const char *what)
{
        uint32_t e0 = stress_ntfn_epoch[n];
        uint64_t word;
        int st;

        block_begin(t, OP_WAIT, n);
        st = tessera_wait(cap, &word);
        block_end(t);
        ntfn_status(t, st, n, e0, ST_BIT(want), what);
}

static void op_bad(struct stress_thread *t)
{
        unsigned e = (unsigned)stress_rand(t, STRESS_ENDPOINTS), len = pick_len(t);
        uint32_t e0 = stress_ep_epoch[e], n0 = stress_ntfn_epoch[0];
        const struct stress_slots *c = &stress_caps;
        struct tessera_msg m = { 0 };
        const uint32_t rights = ST_BIT(TESSERA_ERR_INSUFFICIENT_RIGHTS);

        switch (stress_rand(t, 12)) {
        case 0:
                send_message(t, OP_SEND, e, c->ep_read[e], SEL_ORIG, CAPS_NONE, len, rights);
                break;
        case 1:
                send_message(t, OP_CALL, e, stress_ep_cap(e, SEL_WRITE_ONLY, t->id), SEL_WRITE_ONLY,
                             CAPS_NONE, len, rights);
                break;
        case 2:
                send_message(t, OP_NB_SEND, e, stress_ep_cap(e, SEL_WRITE_REPLY, t->id), SEL_WRITE_REPLY,
                             CAPS_GIFT, len, rights);
                break;
        case 3:
                send_message(t, OP_SEND, e, stress_ep_cap(e, SEL_OWN, t->id), SEL_OWN, CAPS_NONE,
                             TESSERA_MSG_MAX_LENGTH + 1 + (unsigned)stress_rand(t, 7),
                             ST_BIT(TESSERA_ERR_RANGE));
                break;
        case 4:
                expect_fail(t, sys(TESSERA_SYS_NB_RECV, stress_ep_cap(e, SEL_WRITE_ONLY, t->id), &m), e0, e,
                            TESSERA_ERR_INSUFFICIENT_RIGHTS, "NBRecv on a write-only cap: INSUFFICIENT_RIGHTS");
                break;
        case 5:
                expect_fail(t, tessera_signal(c->ep[e]), e0, e, TESSERA_ERR_INVALID_CAPABILITY,
                            "Signal on an endpoint: INVALID_CAPABILITY");
                break;
        case 6:
                ntfn_status(t, sys(TESSERA_SYS_NB_SEND, c->ntfn[0], &m), 0, n0, ST_BIT(TESSERA_ERR_INVALID_CAPABILITY),
                            "NBSend on a notification: INVALID_CAPABILITY");
                break;
        case 7:
                ntfn_status(t, sys(TESSERA_SYS_NB_RECV, c->ntfn[0], &m), 0, n0, ST_BIT(TESSERA_ERR_INVALID_CAPABILITY),
                            "NBRecv on a notification: INVALID_CAPABILITY");
                break;
        case 8:
                if (t->id != 0)
                        bad_wait(t, c->ntfn[1], 1, TESSERA_ERR_ILLEGAL_OPERATION,
                                 "Wait on a notification bound to another thread: ILLEGAL_OPERATION");
                else
                        bad_wait(t, c->ntfn_sig[0][t->id], 0, TESSERA_ERR_INSUFFICIENT_RIGHTS,
                                 "Wait through a write-only cap: INSUFFICIENT_RIGHTS");
                break;
        case 9:
                stress_status(t, sys(TESSERA_SYS_NB_SEND, c->empty, &m), GONE, "NBSend on an empty slot fails");
                break;
        case 10:
                ntfn_status(t, tessera_signal(c->ntfn_read[0]), 0, n0, ST_BIT(TESSERA_ERR_INSUFFICIENT_RIGHTS),
                            "Signal through a read-only cap: INSUFFICIENT_RIGHTS");
                break;
        default:
                if (t->reply == REPLY_NONE)
                        op_reply(t);
                else
                        stress_status(t, sys(TESSERA_SYS_YIELD, 0, &m), OK_, "Yield succeeds");
                break;
        }
}

static void run_op(struct stress_thread *t, unsigned op)
{
        struct tessera_msg m = { 0 };

        switch (op) {
        case OP_SEND: case OP_NB_SEND: case OP_CALL: op_send(t, (int)op); break;
        case OP_RECV: case OP_NB_RECV: case OP_REPLY_RECV: op_recv(t, (int)op); break;
        case OP_REPLY: op_reply(t); break;
        case OP_SIGNAL: op_signal(t); break;
        case OP_WAIT: op_wait(t); break;
        case OP_POLL: op_poll(t); break;
        case OP_YIELD:
                stress_status(t, sys(TESSERA_SYS_YIELD, 0, &m), OK_, "Yield succeeds");
                break;
        case OP_WAKE:
                stress_status(t, tessera_signal(stress_caps.ctl_sig[t->id]), OK_, "waking the controller");
                break;
        default: op_bad(t); break;
        }
}

static unsigned pick_op(struct stress_thread *t)
{
        unsigned total = 0, r;

        for (unsigned i = 0; i < OP_COUNT; i++)
                total += op_weight[i];
        r = (unsigned)stress_rand(t, total);
        for (unsigned i = 0; i < OP_COUNT; i++) {
                if (r < op_weight[i])
                        return i;
                r -= op_weight[i];
        }
        return OP_YIELD;
}

_Noreturn void stress_worker_main(uint64_t id)
{
        struct stress_thread *t = &stress_threads[id];
        uint64_t word;

        t->reply = REPLY_NONE;
        tessera_cnode_delete(ROOT, t->recv_slot, DEPTH);        /* a gift a deleted incarnation left */
        t->slot_full = 0;
        while (t->ops_left) {
                unsigned op = pick_op(t);

                t->stats.ops[op]++;
                run_op(t, op);
                t->ops_left--;
                __atomic_fetch_add(&stress_progress, 1, __ATOMIC_RELAXED);
        }
        if (t->reply != REPLY_NONE)
                op_reply(t);
        t->done = 1;
        tessera_signal(stress_caps.ctl_sig[t->id]);
        for (;;)
                tessera_wait(stress_caps.park, &word);          /* nobody signals it */
}

/* Runs only when every other thread is blocked: tells the controller. */
_Noreturn void stress_idle_main(uint64_t id)
{
        struct tessera_msg m = { 0 };

        for (;;) {
                tessera_signal(stress_caps.ctl_sig[id]);
                tessera_syscall(TESSERA_SYS_YIELD, 0, &m);
        }
}
