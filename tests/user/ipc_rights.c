/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipctests, case 3: badges and rights. The badge a message arrives with,
 * each right each call needs, caps of the wrong type, slots that hold
 * nothing, over-long messages and the non-blocking calls with nobody on
 * the other side.
 *
 * A call that the kernel wrongly let through must not hang the test: sends
 * go to an endpoint where a worker answers everything (an echo server that
 * should stay idle), receives to one where a worker is queued sending, and
 * a Wait to a notification that is already pending. Afterwards those
 * workers must not have moved.
 */
#include <stdint.h>
#include <tessera/errors.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include "ipc_proto.h"
#include "ipc_test.h"

#define SINK        0           /* worker: an echo server on the send endpoint */
#define SOURCE      1           /* worker: queued sending on the receive endpoint */
#define SINK_CALLS  100

static int sys(unsigned number, uint64_t cap, uint64_t info)
{
        struct tessera_msg m = { .info = info, .mr = { 1, 2, 3, 4 } };

        return (int)tessera_syscall(number, cap, &m);
}

/* WHO to the server: the badge it saw, or ~0 when the call failed. */
static uint64_t who(uint64_t ep, uint64_t info, uint64_t *info_seen)
{
        struct tessera_msg m = { .info = info };
        int st = tessera_call(ep, &m);

        *info_seen = m.mr[1];
        return st == TESSERA_OK ? m.mr[0] : ~0ull;
}

static void test_badges(uint64_t server_ep, uint64_t server_badged)
{
        uint64_t info = tessera_msg_info(IPC_LABEL_WHO, 0, 3), seen = 0;
        uint64_t grant_reply = mint(server_ep, TESSERA_RIGHT_WRITE | TESSERA_RIGHT_GRANT_REPLY, 0x55);
        uint64_t grant = mint(server_ep, TESSERA_RIGHT_WRITE | TESSERA_RIGHT_GRANT, 0x56);

        expect("the server sees the badge of the caller's cap in x0", (int64_t)who(server_badged, info, &seen),
               IPC_SERVER_BADGE);
        expect_true("and the info word as sent", seen == info);
        expect("an unbadged cap delivers badge 0", (int64_t)who(server_ep, info, &seen), 0);
        expect("Call with WRITE and GRANT_REPLY only works", (int64_t)who(grant_reply, info, &seen), 0x55);
        expect("Call with WRITE and GRANT only works", (int64_t)who(grant, info, &seen), 0x56);
        drop(grant);
        drop(grant_reply);
}

static void test_endpoint_rights(uint64_t out, uint64_t in)
{
        uint64_t no_write = mint(out, TESSERA_RIGHTS_ALL & ~TESSERA_RIGHT_WRITE, 0);
        uint64_t no_grant = mint(out, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, 0);
        uint64_t no_read = mint(in, TESSERA_RIGHTS_ALL & ~TESSERA_RIGHT_READ, 0);
        uint64_t info = tessera_msg_info(9, 0, 4);

        expect("Send without WRITE: INSUFFICIENT_RIGHTS", sys(TESSERA_SYS_SEND, no_write, info),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("NBSend without WRITE: INSUFFICIENT_RIGHTS", sys(TESSERA_SYS_NB_SEND, no_write, info),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("Call without WRITE: INSUFFICIENT_RIGHTS", sys(TESSERA_SYS_CALL, no_write, info),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("Call without GRANT or GRANT_REPLY: INSUFFICIENT_RIGHTS", sys(TESSERA_SYS_CALL, no_grant, info),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("Recv without READ: INSUFFICIENT_RIGHTS", sys(TESSERA_SYS_RECV, no_read, info),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("NBRecv without READ: INSUFFICIENT_RIGHTS", sys(TESSERA_SYS_NB_RECV, no_read, info),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("ReplyRecv without READ: INSUFFICIENT_RIGHTS", sys(TESSERA_SYS_REPLY_RECV, no_read, info),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        drop(no_write);
        drop(no_grant);
        drop(no_read);
}

static void test_notification_rights(uint64_t ntfn)
{
        uint64_t no_write = mint(ntfn, TESSERA_RIGHT_READ, 0x1);
        uint64_t no_read = mint(ntfn, TESSERA_RIGHT_WRITE, 0x2);
        uint64_t word = 0;

        expect("signal the notification (unbadged)", tessera_signal(ntfn), TESSERA_OK);
        expect("Signal without WRITE: INSUFFICIENT_RIGHTS", tessera_signal(no_write),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("Wait without READ: INSUFFICIENT_RIGHTS", tessera_wait(no_read, &word),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("Poll without READ: INSUFFICIENT_RIGHTS", tessera_poll(no_read, &word),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("Poll: the unbadged signal is pending, word 0", tessera_poll(ntfn, &word), TESSERA_OK);
        expect("the word is 0 (no Signal without WRITE got through)", (int64_t)word, 0);
        word = 5;
        expect("Poll again with nothing pending: WOULD_BLOCK", tessera_poll(ntfn, &word),
               TESSERA_ERR_WOULD_BLOCK);
        expect("and x0 is 0", (int64_t)word, 0);
        drop(no_write);
        drop(no_read);
}

static int is_lookup_error(int st)
{
        return st == TESSERA_ERR_FAILED_LOOKUP || st == TESSERA_ERR_INVALID_CAPABILITY;
}

static void test_wrong_caps(uint64_t out, uint64_t ntfn)
{
        uint64_t info = tessera_msg_info(9, 0, 1), empty = new_slot(), word = 0;

        expect("Send on a notification: INVALID_CAPABILITY", sys(TESSERA_SYS_SEND, ntfn, info),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect("NBRecv on a notification: INVALID_CAPABILITY", sys(TESSERA_SYS_NB_RECV, ntfn, info),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect("Signal on an endpoint: INVALID_CAPABILITY", tessera_signal(out), TESSERA_ERR_INVALID_CAPABILITY);
        expect("Wait on an endpoint: INVALID_CAPABILITY", tessera_wait(out, &word),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect("Poll on an endpoint: INVALID_CAPABILITY", tessera_poll(out, &word),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect("Send on a TCB cap: INVALID_CAPABILITY", sys(TESSERA_SYS_SEND, TESSERA_SLOT_TCB, info),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect("NBRecv on a CNode cap: INVALID_CAPABILITY", sys(TESSERA_SYS_NB_RECV, ROOT, info),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect("Signal on a frame cap: INVALID_CAPABILITY", tessera_signal(TESSERA_SLOT_IPC_BUFFER),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect_true("Send on an empty slot: FAILED_LOOKUP or INVALID_CAPABILITY",
                    is_lookup_error(sys(TESSERA_SYS_SEND, empty, info)));
        expect_true("Recv on an empty slot: FAILED_LOOKUP or INVALID_CAPABILITY",
                    is_lookup_error(sys(TESSERA_SYS_RECV, empty, info)));
        expect_true("Wait on an empty slot: FAILED_LOOKUP or INVALID_CAPABILITY",
                    is_lookup_error(tessera_wait(empty, &word)));
        expect("Send to an address with guard bits set: FAILED_LOOKUP",
               sys(TESSERA_SYS_SEND, out | 1ull << 40, info), TESSERA_ERR_FAILED_LOOKUP);
        expect("Signal an address with guard bits set: FAILED_LOOKUP", tessera_signal(ntfn | 1ull << 40),
               TESSERA_ERR_FAILED_LOOKUP);
        drop(empty);
}

static void test_lengths(uint64_t out, uint64_t idle_ep)
{
        unsigned wrong = 0;
        struct tessera_msg m = { 0 };

        for (unsigned len = TESSERA_MSG_MAX_LENGTH + 1; len <= 127; len++)
                wrong += sys(TESSERA_SYS_NB_SEND, out, tessera_msg_info(3, 0, len)) != TESSERA_ERR_RANGE;
        expect("NBSend of lengths 121-127: RANGE for each", wrong, 0);
        expect("Send of length 127: RANGE", sys(TESSERA_SYS_SEND, out, tessera_msg_info(3, 0, 127)),
               TESSERA_ERR_RANGE);
        expect("Call of length 121: RANGE", sys(TESSERA_SYS_CALL, out, tessera_msg_info(3, 0, 121)),
               TESSERA_ERR_RANGE);
        expect("NBSend with no receiver: WOULD_BLOCK", sys(TESSERA_SYS_NB_SEND, idle_ep, tessera_msg_info(3, 0, 1)),
               TESSERA_ERR_WOULD_BLOCK);
        m.badge = 7;
        expect("NBRecv with no sender: WOULD_BLOCK", tessera_nb_recv(idle_ep, &m), TESSERA_ERR_WOULD_BLOCK);
}

void test_badges_and_rights(uint64_t server_ep, uint64_t server_badged)
{
        uint64_t out = new_object(TESSERA_OBJ_ENDPOINT), in = new_object(TESSERA_OBJ_ENDPOINT);
        uint64_t idle = new_object(TESSERA_OBJ_ENDPOINT), ntfn = new_object(TESSERA_OBJ_NOTIFICATION);

        test_badges(server_ep, server_badged);
        worker_step(SINK, OP_ECHO_SERVER, out, 0)->arg = SINK_CALLS;
        worker_start(SINK, 100);
        worker_step(SOURCE, OP_SEND, in, tessera_msg_info(0x50, 0, 1));
        worker_start(SOURCE, 100);
        test_endpoint_rights(out, in);
        test_notification_rights(ntfn);
        test_wrong_caps(out, ntfn);
        test_lengths(out, idle);
        settle();
        expect("no refused send reached the waiting receiver", (int64_t)ipc_workers[SINK].res[0].value, 0);
        expect("no refused receive took the queued sender's message", ipc_workers[SOURCE].done, 0);
        worker_kill(SINK);
        worker_kill(SOURCE);
        drop(ntfn);
        drop(idle);
        drop(in);
        drop(out);
}
