/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipcbench between cores (ipcbench.h), over the channels "cAB" the runner's
 * spec gives every pair of busy cores A < B:
 *  - chan-pingpong: one pair at a time, in one global order (so no two cores
 *    wait on each other in a cycle): the lower core sends an 8-byte message
 *    and waits for the answer; iters = round trips. Both sides report, so
 *    both sides' instructions are counted (roles ping and pong). Receives
 *    poll up to BENCH_PING_SPIN times before they sleep.
 *  - chan-stream: rounds of disjoint pairs (a round-robin tournament), all
 *    pairs of a round at once: the lower core sends BENCH_STREAM_MSGS
 *    messages of BENCH_STREAM_BYTES bytes, flushing every BENCH_STREAM_BATCH,
 *    the higher one receives and checks each (roles tx and rx). Whichever
 *    side is faster waits for the other, and its instructions include the
 *    polls it waited with.
 *  - chan-burst: the same pairs, the cost of the data path alone: the
 *    receiver says its ring is empty, the sender fills it (BENCH_BURST_MSGS,
 *    one publish), the receiver, woken by the first message, drains the
 *    rest. The windows cover only the fill and the drain, so neither side's
 *    count includes waiting (iters: messages in the window).
 */
#include <ipi/channel.h>
#include <ipi/link.h>
#include <tessera/syscall.h>
#include "ipcbench.h"

#define MAX_CORES    8
#define CHAN_VADDR   0x10000000000ull
#define CHAN_STRIDE  0x100000ull
#define WAIT_S       60
#define PHASE_STREAM 10                 /* barrier phases 10, 11, ...: the stream rounds */
/* Receives spin a little, then sleep in the kernel until the message comes,
 * as a server's would. A receive with a time-out cannot sleep (the kernel
 * has no timed wait: it polls and yields, link.h), and its polls would be
 * counted; a message that never comes ends in the runner's boot time-out. */
#define RECV_SLEEP   0

struct peer_chan {
        struct ipi_link link;
        struct ipi_channel ch;
        bool open;
};

static struct peer_chan chans[MAX_CORES];
static unsigned busy[MAX_CORES], busy_count;

static uint64_t seconds(unsigned s)
{
        return s * ipi_link_ticks_per_second();
}

static void open_channels(struct bench *b)
{
        unsigned me = b->bi->core_id;

        busy_count = 0;
        for (unsigned c = 0; c < MAX_CORES; c++) {
                char name[] = { 'c', (char)('0' + (c < me ? c : me)), (char)('0' + (c < me ? me : c)), '\0' };
                struct peer_chan *p = &chans[c];

                if (c == me) {
                        busy[busy_count++] = c;
                        continue;
                }
                if (ipi_link_open(&p->ch, &p->link, b->bi, &b->alloc, name, CHAN_VADDR + c * CHAN_STRIDE,
                                  IPI_RING_SLOTS) != IPI_OK)
                        continue;
                p->open = ipi_link_await_peer(&p->ch, seconds(WAIT_S)) == IPI_OK;
                if (p->open)
                        busy[busy_count++] = c;
                else
                        tessera_printf("bench: error core=%u: core %u never attached to %s\n", me, c, name);
        }
}

static int send_now(struct ipi_channel *ch, const void *msg, uint32_t len)
{
        int err = ipi_channel_send(ch, msg, len);

        return err ? err : ipi_channel_flush(ch);
}

/* n round trips as the pinging side; how many failed. */
static unsigned ping(struct ipi_channel *ch, unsigned n)
{
        unsigned failed = 0;

        for (uint64_t i = 0; i < n && !failed; i++) {
                uint64_t answer = 0;
                uint32_t len = 0;

                failed += send_now(ch, &i, sizeof(i)) != IPI_OK;
                failed += ipi_channel_recv(ch, &answer, sizeof(answer), &len, RECV_SLEEP) != IPI_OK ||
                          answer != i + 1;
        }
        return failed;
}

static unsigned pong(struct ipi_channel *ch, unsigned n)
{
        unsigned failed = 0;

        for (unsigned i = 0; i < n && !failed; i++) {
                uint64_t v = 0;
                uint32_t len = 0;

                failed += ipi_channel_recv(ch, &v, sizeof(v), &len, RECV_SLEEP) != IPI_OK;
                v++;
                failed += send_now(ch, &v, sizeof(v)) != IPI_OK;
        }
        return failed;
}

static void pingpong_pair(struct bench *b, unsigned peer, bool pinger)
{
        struct ipi_channel *ch = &chans[peer].ch;
        uint32_t spin = ch->spin_limit;
        unsigned failed;

        /* Latency: poll long before sleeping, so a peer that answers within
         * the spin is seen at once, not after an IPI and a vCPU wake-up. */
        ch->spin_limit = BENCH_PING_SPIN;
        failed = pinger ? ping(ch, BENCH_WARMUP) : pong(ch, BENCH_WARMUP);

        for (unsigned s = 0; s < BENCH_SAMPLES && !failed; s++) {
                struct bench_sample sample;

                bench_begin(b, &sample);
                failed += pinger ? ping(ch, BENCH_PING_ITERS) : pong(ch, BENCH_PING_ITERS);
                bench_end(b, &sample);
                bench_report(b, "chan-pingpong", pinger ? "ping" : "pong", (int)peer, BENCH_PING_ITERS, 8,
                             &sample);
        }
        if (failed)
                tessera_printf("bench: error core=%u chan-pingpong with core %u failed\n", b->bi->core_id, peer);
        ch->spin_limit = spin;
}

static unsigned stream_send(struct ipi_channel *ch, uint64_t first)
{
        uint64_t msg[BENCH_STREAM_BYTES / 8] = { 0 };
        unsigned failed = 0;

        for (uint64_t i = 0; i < BENCH_STREAM_MSGS && !failed; i++) {
                msg[0] = first + i;
                failed += ipi_channel_send(ch, msg, sizeof(msg)) != IPI_OK;
                if (i % BENCH_STREAM_BATCH == BENCH_STREAM_BATCH - 1)
                        failed += ipi_channel_flush(ch) != IPI_OK;
        }
        return failed + (ipi_channel_flush(ch) != IPI_OK);
}

static unsigned stream_receive(struct ipi_channel *ch, uint64_t first)
{
        uint64_t msg[BENCH_STREAM_BYTES / 8];
        unsigned failed = 0;

        for (uint64_t i = 0; i < BENCH_STREAM_MSGS && !failed; i++) {
                uint32_t len = 0;

                failed += ipi_channel_recv(ch, msg, sizeof(msg), &len, RECV_SLEEP) != IPI_OK ||
                          len != sizeof(msg) || msg[0] != first + i;
        }
        return failed;
}

static void stream_pair(struct bench *b, unsigned peer, bool sender)
{
        struct ipi_channel *ch = &chans[peer].ch;
        unsigned failed = 0;

        for (unsigned s = 0; s < BENCH_SAMPLES && !failed; s++) {
                struct bench_sample sample;
                uint64_t first = (uint64_t)s * BENCH_STREAM_MSGS;

                bench_begin(b, &sample);
                failed += sender ? stream_send(ch, first) : stream_receive(ch, first);
                bench_end(b, &sample);
                bench_report(b, "chan-stream", sender ? "tx" : "rx", (int)peer, BENCH_STREAM_MSGS,
                             BENCH_STREAM_BYTES, &sample);
        }
        if (failed)
                tessera_printf("bench: error core=%u chan-stream with core %u failed\n", b->bi->core_id, peer);
}

#define BURST_READY 0xacull

/* Waits, outside the window, for the receiver to say its ring is empty and
 * released; then fills it. */
static unsigned burst_send(struct bench *b, struct ipi_channel *ch, unsigned peer, uint64_t first)
{
        uint64_t msg[BENCH_STREAM_BYTES / 8] = { 0 }, ready = 0;
        struct bench_sample sample;
        uint32_t len = 0;
        unsigned failed = ipi_channel_recv(ch, &ready, sizeof(ready), &len, RECV_SLEEP) != IPI_OK ||
                          ready != BURST_READY;

        if (failed)
                return failed;
        bench_begin(b, &sample);
        for (uint64_t i = 0; i < BENCH_BURST_MSGS; i++) {
                msg[0] = first + i;
                failed += ipi_channel_try_send(ch, msg, sizeof(msg)) != IPI_OK;
        }
        failed += ipi_channel_flush(ch) != IPI_OK;
        bench_end(b, &sample);
        bench_report(b, "chan-burst", "tx", (int)peer, BENCH_BURST_MSGS, BENCH_STREAM_BYTES, &sample);
        return failed;
}

/* Finds the ring empty (which releases the tail), says so, waits for the
 * first message, then drains the rest inside the window. */
static unsigned burst_receive(struct bench *b, struct ipi_channel *ch, unsigned peer, uint64_t first)
{
        uint64_t msg[BENCH_STREAM_BYTES / 8], ready = BURST_READY;
        struct bench_sample sample;
        uint32_t len = 0;
        unsigned failed = ipi_channel_poll(ch, msg, sizeof(msg), &len) != IPI_ERR_EMPTY;

        failed += send_now(ch, &ready, sizeof(ready)) != IPI_OK;
        failed += ipi_channel_recv(ch, msg, sizeof(msg), &len, RECV_SLEEP) != IPI_OK || msg[0] != first;
        bench_begin(b, &sample);
        for (uint64_t i = 1; i < BENCH_BURST_MSGS && !failed; i++)
                failed += ipi_channel_poll(ch, msg, sizeof(msg), &len) != IPI_OK || msg[0] != first + i;
        bench_end(b, &sample);
        bench_report(b, "chan-burst", "rx", (int)peer, BENCH_BURST_MSGS - 1, BENCH_STREAM_BYTES, &sample);
        return failed;
}

static void burst_pair(struct bench *b, unsigned peer, bool sender)
{
        struct ipi_channel *ch = &chans[peer].ch;
        unsigned failed = 0;

        for (unsigned s = 0; s < BENCH_SAMPLES && !failed; s++) {
                uint64_t first = (uint64_t)(s + 1) << 32;

                failed += sender ? burst_send(b, ch, peer, first) : burst_receive(b, ch, peer, first);
        }
        if (failed)
                tessera_printf("bench: error core=%u chan-burst with core %u failed\n", b->bi->core_id, peer);
}

/* Round r of the circle method over busy[] (padded to even with a bye):
 * position 0 stays, the others rotate; position i meets n - 1 - i. */
static int stream_partner(unsigned r, unsigned me_pos, unsigned n)
{
        unsigned slots = n + (n & 1), pos[MAX_CORES + 1], other;

        for (unsigned i = 0; i < slots; i++)
                pos[i] = i == 0 ? 0 : 1 + (i - 1 + r) % (slots - 1);
        for (unsigned i = 0; i < slots; i++)
                if (pos[i] == me_pos) {
                        other = pos[slots - 1 - i];
                        return other < n ? (int)other : -1;
                }
        return -1;
}

void bench_cross(struct bench *b)
{
        unsigned me = b->bi->core_id, me_pos = 0, n;

        open_channels(b);
        n = busy_count;
        for (unsigned i = 0; i < n; i++)
                if (busy[i] == me)
                        me_pos = i;
        for (unsigned i = 0; i < n; i++)
                for (unsigned j = i + 1; j < n; j++)
                        if (busy[i] == me || busy[j] == me)
                                pingpong_pair(b, busy[i] == me ? busy[j] : busy[i], busy[i] == me);
        for (unsigned r = 0; n > 1 && r < n - 1 + (n & 1); r++) {
                int partner = stream_partner(r, me_pos, n);

                if (!bench_barrier(b, PHASE_STREAM + r))
                        return;
                if (partner >= 0) {
                        stream_pair(b, busy[partner], me < busy[partner]);
                        burst_pair(b, busy[partner], me < busy[partner]);
                }
        }
}
