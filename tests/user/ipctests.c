/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPC at EL0, as a root task: endpoints, reply capabilities, notifications
 * and fault messages through the real system-call path (the debug kernel
 * checks its invariants after every call, the fast path's only what it
 * touched). A server spawned in an address
 * space of its own (tests/user/ipcserver.c) answers 1000 Calls of every
 * short length and 116 long ones, each answer checked word by word; the
 * other cases use scripted threads in this task's own address space
 * (ipc_workers.c): a server with badged clients, rights and errors
 * (ipc_rights.c), cap transfer and long messages (ipc_transfer.c), reply
 * caps and deletion during IPC (ipc_reply.c), notifications and faults
 * (ipc_notify.c).
 *
 * Output is TAP; the exit status is the number of failures. The line
 * "ipc digest: 0x..." folds every value checked, in order: the same
 * program must print the same digest with the kernel's fast path on or
 * off (tests/qemu/compare_runs.py).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/errors.h>
#include <tessera/format.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/spawn.h>
#include <tessera/vspace.h>
#include "ipc_proto.h"
#include "ipc_test.h"
#include "suite.h"

#define PINGPONG_ROUNDS   1000
#define SAME_SPACE_ROUNDS 100
#define SERVER_PRIORITY   200
#define SERVER_CNODE_BITS 5             /* 32 slots: its fixed ones and IPC_SERVER_RECV_SLOT */
#define CLIENTS           3
#define CLIENT_CALLS      4
#define CLIENT_BADGE      0xb0ull

/* The server's ELF, embedded by objcopy (examples/meson.build). */
extern const uint8_t _binary_examples_ipcserver_elf_start[], _binary_examples_ipcserver_elf_end[];

struct tessera_alloc ipc_alloc;
static unsigned checks, failures;
static uint64_t digest = 0xcbf29ce484222325ull;

/* ---- TAP, digest and small helpers (ipc_test.h) ---- */

void digest_fold(uint64_t value)
{
        digest = (digest ^ value) * 0x100000001b3ull;
        digest ^= digest >> 29;
}

void digest_msg(const struct tessera_msg *m)
{
        unsigned len = tessera_msg_length(m->info);

        digest_fold(m->badge);
        digest_fold(m->info);
        for (unsigned i = 0; i < len && i < TESSERA_MSG_REGS_IN_CPU; i++)
                digest_fold(m->mr[i]);
}

/* Console output, packed: the kernel takes 32 bytes per system call and
 * each call is followed by the debug kernel's invariant check, so lines go
 * out in full 32-byte chunks, a line's tail with the start of the next;
 * out_flush sends what is left. */
static char pending[32];
static unsigned pending_len;

static void out_chunk(void)
{
        struct tessera_msg m = { .info = tessera_msg_info(0, 0, pending_len) };

        for (unsigned n = 0; n < pending_len; n++)
                m.mr[n / 8] |= (uint64_t)(unsigned char)pending[n] << (8 * (n % 8));
        tessera_syscall(TESSERA_SYS_DEBUG_PUTS, 0, &m);
        pending_len = 0;
}

static void out_flush(void)
{
        if (pending_len)
                out_chunk();
}

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
        char line[256];
        va_list ap;

        va_start(ap, fmt);
        format_string(line, sizeof(line), fmt, ap);
        va_end(ap);
        for (const char *c = line; *c; c++) {
                pending[pending_len++] = *c;
                if (pending_len == sizeof(pending))
                        out_chunk();
        }
}

void expect(const char *what, int64_t got, int64_t want)
{
        checks++;
        if (got != want)
                failures++;
        digest_fold((uint64_t)got);
        /* Every byte printed is a system call per 32 (and an invariant check):
         * the values go out only when they are wrong. */
        if (got == want)
                out("ok %u - %s\n", checks, what);
        else
                out("not ok %u - %s (got %lld, want %lld)\n", checks, what, (long long)got,
                               (long long)want);
}

void expect_true(const char *what, int cond)
{
        expect(what, cond ? 1 : 0, 1);
}

uint64_t new_slot(void)
{
        uint64_t slot = tessera_alloc_slot(&ipc_alloc);

        if (!slot)
                expect("a free slot", 0, 1);
        return slot;
}

uint64_t new_object(unsigned type)
{
        uint64_t slot = 0;
        int err = tessera_alloc_object(&ipc_alloc, type, 0, &slot);

        if (err)
                expect("retype an object", err, TESSERA_OK);
        return err ? 0 : slot;
}

uint64_t mint(uint64_t src, unsigned rights, uint64_t badge)
{
        uint64_t slot = new_slot();
        int err = tessera_cnode_mint(ROOT, slot, DEPTH, ROOT, src, DEPTH, rights, badge);

        if (err)
                expect("mint a cap", err, TESSERA_OK);
        return slot;
}

void drop(uint64_t slot)
{
        tessera_cnode_delete(ROOT, slot, DEPTH);
        tessera_alloc_free_slot(&ipc_alloc, slot);
}

/* Copying from an empty slot fails its lookup; a full one is copied and the copy deleted. */
int slot_is_empty(uint64_t slot)
{
        uint64_t probe = new_slot();
        int err = tessera_cnode_copy(ROOT, probe, DEPTH, ROOT, slot, DEPTH, TESSERA_RIGHTS_ALL);

        drop(probe);
        return err == TESSERA_ERR_FAILED_LOOKUP;
}

uint64_t frame_paddr(uint64_t frame)
{
        uint64_t paddr = 0;

        return tessera_frame_get_address(frame, &paddr) == TESSERA_OK ? paddr : 0;
}

static uint64_t mix(uint64_t x)
{
        x += 0x9e3779b97f4a7c15ull;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
        return x ^ (x >> 31);
}

uint64_t ipc_word(uint64_t seed, unsigned i)
{
        return mix(seed * 131 + i);
}

uint64_t ipc_hash_words(const uint64_t *words, unsigned from, unsigned to)
{
        uint64_t h = 0x84222325ull;

        for (unsigned i = from; i < to; i++)
                h = mix(h ^ words[i]);
        return h;
}

uint64_t ipc_pattern_hash(uint64_t seed, unsigned len, uint64_t add)
{
        uint64_t h = 0x84222325ull;

        for (unsigned i = TESSERA_MSG_REGS_IN_CPU; i < len; i++)
                h = mix(h ^ (ipc_word(seed, i) + add));
        return h;
}

void root_receive_slot(uint64_t slot)
{
        tessera_ipc->receive_cnode = ROOT;
        tessera_ipc->receive_index = slot;
        tessera_ipc->receive_depth = slot ? DEPTH : 0;
}

/* ---- calls to an echo server ---- */

/* One Call of `len` pattern words; 1 when every word of the answer is the
 * echo (ipc_proto.h), else 0. What came back goes into the digest. */
int echo_check(uint64_t ep, uint64_t label, unsigned len, uint64_t seed)
{
        struct tessera_msg m = { .info = tessera_msg_info(label, 0, len) };
        int st, good;

        for (unsigned i = 0; i < len; i++) {
                if (i < TESSERA_MSG_REGS_IN_CPU)
                        m.mr[i] = ipc_word(seed, i);
                else
                        tessera_ipc->mr[i] = ipc_word(seed, i);
        }
        st = tessera_call(ep, &m);
        digest_fold((uint64_t)st);
        digest_msg(&m);
        good = st == TESSERA_OK && m.badge == 0 &&
               m.info == tessera_msg_info((label + 1) & IPC_LABEL_MASK, 0, len);
        for (unsigned i = 0; good && i < len; i++) {
                uint64_t got = i < TESSERA_MSG_REGS_IN_CPU ? m.mr[i] : tessera_ipc->mr[i];

                digest_fold(got);
                good = got == ipc_word(seed, i) + 1;
        }
        return good;
}

/* Labels of every size up to 52 bits, none a special request. */
static uint64_t pingpong_label(unsigned i)
{
        uint64_t label = mix(i) & (IPC_LABEL_MASK >> (i % 52));

        if (i == 0)
                return IPC_LABEL_MASK;          /* its answer wraps to 0 */
        if (label >= IPC_LABEL_WHO && label <= IPC_LABEL_STOP)
                label ^= 1ull << 40;
        return label;
}

static void pingpong(const char *what, uint64_t ep, unsigned rounds)
{
        unsigned good = 0;

        for (unsigned i = 0; i < rounds; i++)
                good += (unsigned)echo_check(ep, pingpong_label(i), i % 5, i + 1);
        expect(what, good, rounds);
}

/* ---- case 1: ping-pong ---- */

static void test_pingpong_same_space(void)
{
        uint64_t ep = new_object(TESSERA_OBJ_ENDPOINT), badged = mint(ep, TESSERA_RIGHTS_ALL, 0x77);

        worker_step(0, OP_ECHO_SERVER, ep, 0)->arg = SAME_SPACE_ROUNDS;
        worker_start(0, SERVER_PRIORITY);
        pingpong("100 Calls to a thread of this address space, each answer checked",
                 badged, SAME_SPACE_ROUNDS);
        settle();
        expect("that server answered them all, the last by Reply", (int64_t)ipc_workers[0].res[0].value,
               SAME_SPACE_ROUNDS);
        expect("its last Reply succeeded", ipc_workers[0].res[0].status, TESSERA_OK);
        expect("and it finished", ipc_workers[0].done, 1);
        worker_kill(0);
        drop(badged);
        drop(ep);
}

/* ---- case 2: one server (this thread), badged clients ---- */

static void script_clients(uint64_t ep, uint64_t *caps)
{
        for (unsigned id = 0; id < CLIENTS; id++) {
                caps[id] = mint(ep, TESSERA_RIGHTS_ALL, CLIENT_BADGE + id);
                for (unsigned k = 0; k < CLIENT_CALLS; k++) {
                        struct ipc_step *s = worker_step(id, OP_CALL, caps[id],
                                                         tessera_msg_info(0x200 + k, 0, 1 + k % 4));

                        s->msg.mr[0] = id;
                        s->msg.mr[1] = k;
                        s->msg.mr[2] = 3 * k;
                        s->msg.mr[3] = 5 * k;
                }
        }
}

static int client_answers_right(unsigned id)
{
        const struct ipc_worker *w = &ipc_workers[id];
        int good = w->done == CLIENT_CALLS;

        for (unsigned k = 0; good && k < CLIENT_CALLS; k++) {
                const struct tessera_msg *got = &w->res[k].msg, *sent = &w->step[k].msg;
                unsigned len = tessera_msg_length(sent->info);

                digest_msg(got);
                good = w->res[k].status == TESSERA_OK && got->badge == 0 &&
                       got->info == tessera_msg_info(0x201 + k, 0, len);
                for (unsigned i = 0; good && i < len; i++)
                        good = got->mr[i] == sent->mr[i] + 1;
        }
        return good;
}

/* Serves every client's Calls; the order of the clients served is in order[]. */
static unsigned serve_clients(uint64_t ep, unsigned *order, unsigned *bad_badges)
{
        struct tessera_msg m = { 0 };
        unsigned n = 0, total = CLIENTS * CLIENT_CALLS;
        int st = tessera_recv(ep, &m);

        while (st == TESSERA_OK && n < total) {
                order[n++] = (unsigned)m.mr[0];
                if (m.badge != CLIENT_BADGE + m.mr[0])
                        ++*bad_badges;
                digest_msg(&m);
                ipc_echo(&m, tessera_ipc);
                st = n == total ? tessera_reply(&m) : tessera_reply_recv(ep, &m);
        }
        expect("the server's last receive or reply succeeded", st, TESSERA_OK);
        return n;
}

/* Clients at priorities 50, 150 and 100 queue up in the order 0, 2, 1 and
 * are answered in that (FIFO) order; after that each Call comes as its
 * client runs: the highest priority finishes first. */
static void test_server_pattern(void)
{
        static const unsigned priority[CLIENTS] = { 50, 150, 100 };
        static const unsigned want[CLIENTS * CLIENT_CALLS] = { 0, 2, 1, 1, 1, 1, 2, 2, 2, 0, 0, 0 };
        uint64_t ep = new_object(TESSERA_OBJ_ENDPOINT), caps[CLIENTS];
        unsigned order[CLIENTS * CLIENT_CALLS] = { 0 }, bad_badges = 0, same = 1, n;

        script_clients(ep, caps);
        worker_start(0, priority[0]);
        worker_start(2, priority[2]);
        worker_start(1, priority[1]);
        n = serve_clients(ep, order, &bad_badges);
        expect("the server received every client's 4 Calls", n, CLIENTS * CLIENT_CALLS);
        expect("each message's badge names the client in its MR0", bad_badges, 0);
        for (unsigned i = 0; i < CLIENTS * CLIENT_CALLS; i++)
                same &= order[i] == want[i];
        expect_true("queued callers came in FIFO order, then by priority", same);
        settle();
        for (unsigned id = 0; id < CLIENTS; id++) {
                expect_true(id == 0 ? "client 0 (priority 50): every answer checked" :
                            id == 1 ? "client 1 (priority 150): every answer checked" :
                                      "client 2 (priority 100): every answer checked",
                            client_answers_right(id));
                worker_kill(id);
                drop(caps[id]);
        }
        drop(ep);
}

/* ---- the spawned server ---- */

static int spawn_server(struct tessera_process *p, uint64_t ep, uint64_t gift)
{
        struct tessera_spawn_args args = {
                .elf = _binary_examples_ipcserver_elf_start,
                .elf_size = (size_t)(_binary_examples_ipcserver_elf_end - _binary_examples_ipcserver_elf_start),
                .name = "ipcserver", .priority = SERVER_PRIORITY,
                .cnode_bits = SERVER_CNODE_BITS, .stack_pages = 1,
                .cap_count = 2, .caps = { ep, gift },
        };
        int err = tessera_spawn(&ipc_alloc, &args, p);

        if (err)
                out("# spawn ipcserver: status %d at \"%s\"\n", err, p->failed ? p->failed : "?");
        return err;
}

static void stop_server(struct tessera_process *p, uint64_t ep)
{
        struct tessera_msg m = { .info = tessera_msg_info(IPC_LABEL_STOP, 0, 0) };

        expect("the server answers STOP", tessera_call(ep, &m), TESSERA_OK);
        settle();               /* it halts before its process goes */
        expect("destroy the server's process", tessera_spawn_destroy(&ipc_alloc, p), TESSERA_OK);
}

static void test_with_server(void)
{
        struct tessera_process server;
        uint64_t ep = new_object(TESSERA_OBJ_ENDPOINT), gift = new_object(TESSERA_OBJ_FRAME_4K);
        uint64_t badged = mint(ep, TESSERA_RIGHTS_ALL, IPC_SERVER_BADGE);

        expect("spawn the server in an address space of its own", spawn_server(&server, ep, gift),
               TESSERA_OK);
        if (server.slot_count) {
                pingpong("1000 Calls across address spaces, lengths 0-4, each answer checked", badged,
                         PINGPONG_ROUNDS);
                test_badges_and_rights(ep, badged);
                test_cap_transfer(ep, badged, gift);
                test_long_messages(ep);
                stop_server(&server, ep);
        }
        drop(badged);
        drop(gift);
        drop(ep);
}

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        struct tessera_msg m = { 0 };

        out("# ipctests on core %u: %u untypeds, %llu image frames\n", bi->core_id, bi->untyped_count,
            (unsigned long long)(bi->image_frames.end - bi->image_frames.start));
        tessera_alloc_init(&ipc_alloc, bi);
        root_receive_slot(0);
        expect("Reply with no reply capability held: INVALID_CAPABILITY", tessera_reply(&m),
               TESSERA_ERR_INVALID_CAPABILITY);
        workers_init();
        test_with_server();
        test_pingpong_same_space();
        test_server_pattern();
        test_reply_caps();
        test_notifications();
        test_faults();
        test_deletion();
        out("ipc digest: 0x%016llx\n", (unsigned long long)digest);
        out("1..%u\n", checks);
        out_flush();
        return suite_finish(bi, failures);
}
