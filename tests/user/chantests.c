/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Channels between cores at EL0 (ipi/channel.h over ipi/link.h), run as the
 * root task of every core of tests/qemu/specs/user-chantests.dts at once:
 *
 *  - ping-pong over every ordered pair of cores (channels cAB), each answer
 *    checked;
 *  - streams both ways on each pair, long enough to wrap the 64-slot rings
 *    many times, sent in batches and checked message by message, and the
 *    same with variable-length records on "bytes01" (pad records included);
 *  - the lost-wake-up race on "race23": the consumer never spins, so it
 *    announces sleep before every message, while the producer sends one at
 *    a time after random delays (a lost wake-up would end in the receive's
 *    time-out, reported);
 *  - a malicious peer on "evil01": core 1 writes random values over the
 *    whole shared region while core 0 reads; every read must end in a
 *    defined status, corruption must be reported, and nothing may fault;
 *  - RPC on "rpc01": answered calls, a call that times out because the
 *    server holds back, and the stale answer dropped by the next call.
 *
 * Channels are visited in one global order (by their member pair), so no
 * two cores ever wait on each other in a cycle. Output is TAP.
 */
#include <stdbool.h>
#include <stdint.h>
#include <ipi/channel.h>
#include <ipi/link.h>
#include <tessera/alloc.h>
#include <tessera/ipc.h>
#include <tessera/syscall.h>
#include "suite.h"
#include "tap.h"

#define VADDR_BASE     0x10000000000ull
#define VADDR_STRIDE   0x100000ull      /* 1 MiB per channel */
#define PING_ROUNDS    50
#define STREAM_COUNT   1000
#define BATCH          16
#define RACE_COUNT     400
#define EVIL_READS     4000
#define WAIT_SECONDS   60

int main(const struct tessera_bootinfo *bi);

static struct tessera_alloc alloc;
static uint64_t next_vaddr = VADDR_BASE;

struct chan {
        struct ipi_link link;
        struct ipi_channel ch;
        bool open;
};

static uint64_t seconds(unsigned s)
{
        return s * ipi_link_ticks_per_second();
}

static uint64_t random_next(uint64_t *state)
{
        uint64_t x = *state;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return *state = x;
}

static bool open_chan(const struct tessera_bootinfo *bi, const char *name, enum ipi_ring_kind kind,
                      struct chan *c)
{
        int err = ipi_link_open(&c->ch, &c->link, bi, &alloc, name, next_vaddr, kind);

        next_vaddr += VADDR_STRIDE;
        if (err == IPI_ERR_NO_CHANNEL)
                return false;
        expect("open a channel of this core by name", err, IPI_OK);
        c->open = !err;
        return c->open;
}

static bool await_peer(struct chan *c)
{
        return ipi_link_await_peer(&c->ch, seconds(WAIT_SECONDS)) == IPI_OK;
}

/* ---- messages that check themselves ----------------------------------- */

/* Message `seq`: its length from the sequence, then seq and bytes derived
 * from it. */
static uint32_t fill(uint8_t *buf, uint64_t seq, uint32_t max)
{
        uint32_t len = 8 + (uint32_t)(seq * 7 % (max - 7));

        for (unsigned i = 0; i < 8; i++)
                buf[i] = (uint8_t)(seq >> (8 * i));
        for (uint32_t i = 8; i < len; i++)
                buf[i] = (uint8_t)(seq + i);
        return len;
}

static bool check(const uint8_t *buf, uint32_t len, uint64_t seq, uint32_t max)
{
        uint8_t want[512];

        return len == fill(want, seq, max) && __builtin_memcmp(buf, want, len) == 0;
}

static int send_flush(struct chan *c, const void *msg, uint32_t len)
{
        int err = ipi_channel_send(&c->ch, msg, len);

        return err ? err : ipi_channel_flush(&c->ch);
}

/* ---- ping-pong and streams on one pair -------------------------------- */

static unsigned ping(struct chan *c, bool first)
{
        unsigned wrong = 0;

        for (uint64_t i = 0; i < PING_ROUNDS; i++) {
                uint64_t n = i, answer = 0;
                uint32_t len = 0;

                if (first) {
                        wrong += send_flush(c, &n, sizeof(n)) != IPI_OK;
                        wrong += ipi_channel_recv(&c->ch, &answer, sizeof(answer), &len, seconds(WAIT_SECONDS)) != IPI_OK ||
                                 len != sizeof(answer) || answer != i + 1000;
                } else {
                        wrong += ipi_channel_recv(&c->ch, &n, sizeof(n), &len, seconds(WAIT_SECONDS)) != IPI_OK ||
                                 len != sizeof(n) || n != i;
                        n += 1000;
                        wrong += send_flush(c, &n, sizeof(n)) != IPI_OK;
                }
        }
        return wrong;
}

static unsigned stream_send(struct chan *c, uint32_t max)
{
        uint8_t buf[512];
        unsigned failed = 0;

        for (uint64_t seq = 0; seq < STREAM_COUNT; seq++) {
                failed += ipi_channel_send(&c->ch, buf, fill(buf, seq, max)) != IPI_OK;
                if (seq % BATCH == BATCH - 1)
                        failed += ipi_channel_flush(&c->ch) != IPI_OK;
        }
        return failed + (ipi_channel_flush(&c->ch) != IPI_OK);
}

static unsigned stream_receive(struct chan *c, uint32_t max)
{
        uint8_t buf[512];
        unsigned wrong = 0;

        for (uint64_t seq = 0; seq < STREAM_COUNT; seq++) {
                uint32_t len = 0;
                int err = ipi_channel_recv(&c->ch, buf, sizeof(buf), &len, seconds(WAIT_SECONDS));

                if (err) {
                        tessera_printf("# stream: message %llu: %s\n", (unsigned long long)seq, ipi_strerror(err));
                        return wrong + (unsigned)(STREAM_COUNT - seq);
                }
                wrong += !check(buf, len, seq, max);
        }
        return wrong;
}

static void test_pair(struct chan *c, unsigned me, uint32_t max, const char *kind)
{
        bool low = c->link.side == 0;
        uint64_t signals = c->ch.stats.tx_signals;
        unsigned wrong;

        expect_true("the peer attached", await_peer(c));
        if (max == IPI_RING_SLOT_PAYLOAD) {
                expect("ping-pong, this core first: every answer right", ping(c, low), 0);
                expect("ping-pong, the peer first: every answer right", ping(c, !low), 0);
        }
        wrong = low ? stream_send(c, max) + stream_receive(c, max)
                    : stream_receive(c, max) + stream_send(c, max);
        expect(kind, wrong, 0);
        tessera_printf("# core %u with core %u: %llu messages sent, %llu IPIs\n", me, c->link.peer_core,
                       (unsigned long long)c->ch.stats.sent,
                       (unsigned long long)(c->ch.stats.tx_signals - signals + c->ch.stats.rx_signals));
}

static void test_pairs(const struct tessera_bootinfo *bi)
{
        unsigned pairs = 0;

        for (unsigned a = 0; a < 8; a++)
                for (unsigned b = a + 1; b < 8; b++) {
                        char name[] = { 'c', (char)('0' + a), (char)('0' + b), '\0' };
                        static struct chan c;

                        c = (struct chan){ 0 };
                        if ((a != bi->core_id && b != bi->core_id) ||
                            !open_chan(bi, name, IPI_RING_SLOTS, &c))
                                continue;
                        pairs++;
                        test_pair(&c, bi->core_id, IPI_RING_SLOT_PAYLOAD,
                                  "streams both ways over 64-slot rings, in batches: every message right");
                }
        tessera_printf("# core %u: %u pair channels\n", bi->core_id, pairs);
}

/* ---- the lost-wake-up race --------------------------------------------- */

static void test_race(struct chan *c)
{
        uint64_t rng = 0x1234567 + c->link.side;
        unsigned wrong = 0;

        expect_true("race: the peer attached", await_peer(c));
        if (c->link.side == 0) {
                for (uint64_t seq = 0; seq < RACE_COUNT; seq++) {
                        uint64_t delay = random_next(&rng) % 2000;

                        for (volatile uint64_t i = 0; i < delay; i++)
                                ;
                        if (random_next(&rng) % 4 == 0)
                                tessera_yield();
                        wrong += send_flush(c, &seq, sizeof(seq)) != IPI_OK;
                }
                expect("race: every message sent", wrong, 0);
                return;
        }
        c->ch.spin_limit = 0;           /* announce sleep before every message */
        for (uint64_t seq = 0; seq < RACE_COUNT && !wrong; seq++) {
                uint64_t got = 0;
                uint32_t len = 0;
                int err = ipi_channel_recv(&c->ch, &got, sizeof(got), &len, seconds(WAIT_SECONDS));

                if (err == IPI_ERR_TIMEOUT)
                        tessera_printf("# race: message %llu never woke the consumer\n", (unsigned long long)seq);
                wrong += err != IPI_OK || got != seq;
        }
        expect("race: every message arrived and woke the sleeping consumer", wrong, 0);
        expect_true("race: the consumer really slept", c->ch.stats.rx_waits > 0);
        tessera_printf("# race: %llu sleeps for %u messages\n", (unsigned long long)c->ch.stats.rx_waits,
                       RACE_COUNT);
}

/* ---- a malicious peer -------------------------------------------------- */

static void scribble(struct chan *c, const volatile uint32_t *stop)
{
        uint64_t rng = 0xfeedbeef, *words = c->link.region;
        uint64_t count = c->link.size / 8 - 8;  /* all but the reader's record */

        while (!__atomic_load_n(stop, __ATOMIC_ACQUIRE)) {
                for (unsigned i = 0; i < 64; i++) {
                        uint64_t r = random_next(&rng);

                        __atomic_store_n(&words[8 + r % count], random_next(&rng) >> (r >> 58),
                                         __ATOMIC_RELAXED);
                }
                tessera_signal(c->link.send);
        }
}

static void test_evil(struct chan *c, const struct tessera_bootinfo *bi)
{
        unsigned counts[4] = { 0 }, other = 0, corrupt_seen = 0;
        uint8_t buf[64];
        /* The scribbler stops when the reader says so in the last word of
         * its own peer record (side 0's, at +0), which the scribbler skips. */
        volatile uint32_t *stop = (volatile uint32_t *)((uint8_t *)c->link.region + 60);

        if (c->link.side == 1) {
                expect_true("evil: the reader attached", await_peer(c));
                scribble(c, stop);
                expect_true("evil: the scribbler ran until told to stop", 1);
                return;
        }
        for (unsigned i = 0; i < EVIL_READS; i++) {
                uint32_t len = 0;
                int err = ipi_channel_poll(&c->ch, buf, sizeof(buf), &len);

                counts[err == IPI_OK ? 0 : err == IPI_ERR_EMPTY ? 1 : err == IPI_ERR_CORRUPT ? 2 : 3]++;
                other += err != IPI_OK && err != IPI_ERR_EMPTY && err != IPI_ERR_CORRUPT &&
                         err != IPI_ERR_TOO_BIG && err != IPI_ERR_PEER;
                other += err == IPI_OK && len > sizeof(buf);
                if (err == IPI_ERR_CORRUPT) {
                        corrupt_seen++;
                        ipi_channel_attach(&c->ch, c->link.region, c->link.size, 0, IPI_RING_SLOTS,
                                           &ipi_link_wake_ops, &c->link);
                }
                if (i % 64 == 0)
                        tessera_yield();
        }
        __atomic_store_n(stop, 1, __ATOMIC_RELEASE);
        (void)bi;
        expect("evil: every read ended in a defined status", other, 0);
        expect_true("evil: corruption was reported", corrupt_seen > 0);
        tessera_printf("# evil: %u reads: %u ok, %u empty, %u corrupt, %u other refusals\n", EVIL_READS,
                       counts[0], counts[1], counts[2], counts[3]);
}

/* ---- RPC with a time-out ----------------------------------------------- */

#define RPC_ANSWERED 10
#define RPC_LATE     (RPC_ANSWERED + 1)         /* answered after the caller gave up */
#define RPC_CALLS    (RPC_LATE + 1)

static void rpc_serve(struct chan *c)
{
        unsigned wrong = 0;

        for (unsigned i = 1; i <= RPC_CALLS; i++) {
                uint64_t req = 0, id = 0, answer;
                uint32_t len = 0;

                wrong += ipi_rpc_recv(&c->ch, &req, sizeof(req), &len, &id, seconds(WAIT_SECONDS)) != IPI_OK ||
                         req != i;
                if (i == RPC_LATE)
                        for (uint64_t until = ipi_link_now() + seconds(2); ipi_link_now() < until;)
                                tessera_yield();
                answer = req * 3;
                wrong += ipi_rpc_reply(&c->ch, id, &answer, sizeof(answer)) != IPI_OK;
        }
        expect("rpc: the server got every request in order", wrong, 0);
}

static void rpc_call(struct chan *c)
{
        unsigned wrong = 0;
        uint64_t answer = 0;
        uint32_t len = 0;

        for (uint64_t i = 1; i <= RPC_ANSWERED; i++) {
                wrong += ipi_rpc_call(&c->ch, &i, sizeof(i), &answer, sizeof(answer), &len,
                                      seconds(WAIT_SECONDS)) != IPI_OK || answer != i * 3;
        }
        expect("rpc: answered calls, each answer right", wrong, 0);
        uint64_t late = RPC_LATE, last = RPC_CALLS;

        expect("rpc: a call the server holds back times out",
               ipi_rpc_call(&c->ch, &late, sizeof(late), &answer, sizeof(answer), &len, seconds(1) / 2),
               IPI_ERR_TIMEOUT);
        expect("rpc: the next call gets its own answer",
               ipi_rpc_call(&c->ch, &last, sizeof(last), &answer, sizeof(answer), &len, seconds(WAIT_SECONDS)),
               IPI_OK);
        expect("rpc: ... which is right", (int64_t)answer, RPC_CALLS * 3);
        expect("rpc: the late answer was dropped as stale", (int64_t)c->ch.stats.rpc_stale, 1);
}

static void test_rpc(struct chan *c)
{
        expect_true("rpc: the peer attached", await_peer(c));
        if (c->link.side == 0)
                rpc_call(c);
        else
                rpc_serve(c);
}

int main(const struct tessera_bootinfo *bi)
{
        static struct chan c;

        tessera_alloc_init(&alloc, bi);
        tessera_printf("chantests on core %u of %u\n", bi->core_id, bi->core_count);
        test_pairs(bi);
        if (open_chan(bi, "bytes01", IPI_RING_BYTES, &c))
                test_pair(&c, bi->core_id, 400,
                          "variable-length streams both ways, pad records and all: every message right");
        if (open_chan(bi, "race23", IPI_RING_SLOTS, &c))
                test_race(&c);
        if (open_chan(bi, "evil01", IPI_RING_SLOTS, &c))
                test_evil(&c, bi);
        if (open_chan(bi, "rpc01", IPI_RING_SLOTS, &c))
                test_rpc(&c);
        tessera_printf("1..%u\n", tap_checks());
        return suite_finish(bi, tap_failures());
}
