/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests for the channels (ipi/channel.c) with pthreads: the fixture of
 * channel_test.h (the fake wake, links, stream messages), then layout,
 * attach and peer records, staging, flushing and signalling. The threaded
 * streams are in test_channel_stream.c, RPC and the malicious peer in
 * test_channel_rpc.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "channel_test.h"

unsigned guard_fired;

/* ---- the fake wake ---- */

uint64_t now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

static int fake_signal(void *arg)
{
        struct wake_ctx *ctx = arg;
        struct wake_side *peer = ctx->peer;

        if (__atomic_load_n(&ctx->self->fail_signals, __ATOMIC_RELAXED))
                return -1;
        pthread_mutex_lock(&peer->lock);
        peer->poked = true;
        pthread_cond_signal(&peer->cond);
        pthread_mutex_unlock(&peer->lock);
        return 0;
}

static int fake_wait(void *arg, uint64_t deadline)
{
        struct wake_side *self = ((struct wake_ctx *)arg)->self;
        uint64_t guard = now_ns() + GUARD_NS;
        bool guarded = deadline == 0 || deadline > guard;
        uint64_t limit = guarded ? guard : deadline;
        int rc = 0;

        pthread_mutex_lock(&self->lock);
        while (!self->poked && rc == 0) {
                struct timespec ts = { .tv_sec = (time_t)(limit / NS_PER_S),
                                       .tv_nsec = (long)(limit % NS_PER_S) };

                if (now_ns() >= limit)
                        rc = IPI_ERR_TIMEOUT;
                else
                        pthread_cond_timedwait(&self->cond, &self->lock, &ts);
        }
        self->poked = false;
        pthread_mutex_unlock(&self->lock);
        if (rc != 0 && guarded) {
                __atomic_store_n(&guard_fired, 1, __ATOMIC_RELAXED);
                return -1;      /* the library gives up with IPI_ERR_WAKE: no hang */
        }
        return rc;
}

static uint64_t fake_now(void *arg)
{
        (void)arg;
        return now_ns();
}

const struct ipi_wake_ops fake_ops = { .signal = fake_signal, .wait = fake_wait, .now = fake_now };

void wake_side_init(struct wake_side *w)
{
        pthread_condattr_t attr;

        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->cond, &attr);
        pthread_condattr_destroy(&attr);
        w->poked = false;
        w->fail_signals = 0;
}

void wake_side_fini(struct wake_side *w)
{
        pthread_cond_destroy(&w->cond);
        pthread_mutex_destroy(&w->lock);
}

void *region_alloc(uint64_t size)
{
        void *mem = NULL;

        if (posix_memalign(&mem, 4096, size) != 0)
                abort();
        memset(mem, 0, size);
        return mem;
}

int link_open(struct link *l, uint64_t size, enum ipi_ring_kind kind)
{
        l->region = region_alloc(size);
        l->size = size;
        for (unsigned s = 0; s < 2; s++) {
                wake_side_init(&l->wake[s]);
                l->ctx[s] = (struct wake_ctx){ .self = &l->wake[s], .peer = &l->wake[!s] };
        }
        for (unsigned s = 0; s < 2; s++)
                if (ipi_channel_attach(&l->ch[s], l->region, size, s, kind, &fake_ops,
                                       &l->ctx[s]) != IPI_OK)
                        return -1;
        return 0;
}

void link_close(struct link *l)
{
        wake_side_fini(&l->wake[0]);
        wake_side_fini(&l->wake[1]);
        free(l->region);
}

/* ---- stream messages ---- */

uint32_t msg_len(uint64_t seq, uint32_t max)
{
        uint64_t mix = (seq + 1) * 0x9e3779b97f4a7c15ull;

        return 8 + (uint32_t)((mix >> 40) % (max - 8 + 1));
}

/* Word j of message seq is seq * 2^32 + j, the first word the sequence
 * itself; the last bytes are the low bytes of their word. buf is 8-aligned. */
static uint64_t msg_word(uint64_t seq, uint32_t j)
{
        return j ? seq << 32 | j : seq;
}

void msg_fill(uint8_t *buf, uint64_t seq, uint32_t len)
{
        uint64_t *words = (uint64_t *)buf;
        uint32_t j = 0;

        for (; j < len / 8; j++)
                words[j] = msg_word(seq, j);
        for (uint32_t i = j * 8; i < len; i++)
                buf[i] = (uint8_t)(msg_word(seq, j) >> (8 * (i - j * 8)));
}

bool msg_check(const uint8_t *buf, uint32_t len, uint64_t seq, uint32_t max)
{
        const uint64_t *words = (const uint64_t *)buf;
        uint32_t j = 0;

        if (len != msg_len(seq, max))
                return false;
        for (; j < len / 8; j++)
                if (words[j] != msg_word(seq, j))
                        return false;
        for (uint32_t i = j * 8; i < len; i++)
                if (buf[i] != (uint8_t)(msg_word(seq, j) >> (8 * (i - j * 8))))
                        return false;
        return true;
}

void tiny_delay(unsigned *seed)
{
        *seed = *seed * 1103515245u + 12345u;
        unsigned r = *seed >> 16;

        if (r % 64 == 0) {
                sched_yield();
                return;
        }
        for (volatile unsigned i = 0; i < r % 2048; i++)
                ;
}

/* ---- layout, attach, staging ---- */

static void test_layout(void)
{
        check(ipi_channel_ring_bytes(4096) == 1984 && ipi_channel_ring_offset(4096, 0) == 128 &&
              ipi_channel_ring_offset(4096, 1) == 128 + 1984, "4 KiB: rings of 1984 at 128, 2112");
        check(ipi_channel_ring_bytes(8192) == 4032 && ipi_channel_ring_offset(8192, 1) == 4160,
              "8 KiB: rings of 4032 at 128, 4160");
        check(ipi_channel_ring_bytes(4095) == 0 && ipi_channel_ring_bytes(0) == 0 &&
              ipi_channel_ring_bytes(6000) == 0, "sizes not a multiple of 4096: 0");
        check(ipi_ring_capacity_for(1984, IPI_RING_SLOTS) == 16 &&
              ipi_ring_capacity_for(1984, IPI_RING_BYTES) == 1024,
              "4 KiB: 16 slots or 1024 bytes each way");
}

static void test_attach(void)
{
        struct link l;
        struct ipi_channel c;
        struct ipi_wake_ops no_signal = fake_ops;

        no_signal.signal = NULL;
        l.region = region_alloc(4096);
        check(ipi_channel_attach(&c, l.region, 4095, 0, IPI_RING_SLOTS, &fake_ops, NULL) ==
              IPI_ERR_BAD_ARG && ipi_channel_attach(&c, l.region, 4096, 2, IPI_RING_SLOTS,
              &fake_ops, NULL) == IPI_ERR_BAD_ARG && ipi_channel_attach(&c, l.region, 4096, 0,
              0, &fake_ops, NULL) == IPI_ERR_BAD_ARG && ipi_channel_attach(&c, l.region + 8,
              4096, 0, IPI_RING_SLOTS, &fake_ops, NULL) == IPI_ERR_BAD_ARG &&
              ipi_channel_attach(&c, l.region, 4096, 0, IPI_RING_SLOTS, &no_signal, NULL) ==
              IPI_ERR_BAD_ARG, "attach refuses bad size, side, kind, alignment and ops");
        free(l.region);

        link_open(&l, 4096, IPI_RING_SLOTS);
        struct ipi_channel *a = &l.ch[0], *b = &l.ch[1];

        check(memcmp(l.region, "TSCH", 4) == 0 && memcmp(l.region + 64, "TSCH", 4) == 0 &&
              *(uint32_t *)(l.region + 8) == 1 && *(uint32_t *)(l.region + 12) == 1,
              "records: 'TSCH' at 0 and 64, generation 1, alive");
        check(ipi_channel_peer_ready(a) && ipi_channel_peer_ready(b) &&
              ipi_channel_peer_generation(a) == 1, "both attached: both ready");
        ipi_channel_attach(b, l.region, 4096, 1, IPI_RING_SLOTS, &fake_ops, &l.ctx[1]);
        check(ipi_channel_peer_generation(a) == 2, "side 1 attached again: generation 2");
        ipi_channel_detach(b);
        check(!ipi_channel_peer_ready(a) && ipi_channel_peer_generation(a) == 0,
              "side 1 detached: not ready");
        ipi_channel_attach(b, l.region, 4096, 1, IPI_RING_BYTES, &fake_ops, &l.ctx[1]);
        check(!ipi_channel_peer_ready(a) && !ipi_channel_peer_ready(b),
              "kinds differ: neither is ready");
        struct ipi_channel big;
        uint8_t *region = region_alloc(8192);

        ipi_channel_attach(&big, region, 8192, 1, IPI_RING_SLOTS, &fake_ops, NULL);
        ipi_channel_attach(a, region, 4096, 0, IPI_RING_SLOTS, &fake_ops, NULL);
        check(!ipi_channel_peer_ready(a), "sizes differ: not ready");
        free(region);
        link_close(&l);
}

static void test_staging(void)
{
        struct link l;
        uint8_t buf[64];
        uint32_t len, n = 0;

        link_open(&l, 4096, IPI_RING_SLOTS);
        struct ipi_channel *a = &l.ch[0], *b = &l.ch[1];

        while (ipi_channel_try_send(a, "hello", 5) == IPI_OK)
                n++;
        check(n == 16 && ipi_channel_poll(b, buf, sizeof(buf), &len) == IPI_ERR_EMPTY,
              "try_send stages 16, then full; nothing visible before flush");
        check(ipi_channel_flush(a) == IPI_OK && a->stats.tx_signals == 0,
              "flush to an awake peer sends no signal");
        n = 0;
        while (ipi_channel_poll(b, buf, sizeof(buf), &len) == IPI_OK && len == 5)
                n++;
        check(n == 16 && a->stats.sent == 16 && b->stats.received == 16 &&
              *(uint64_t *)(l.region + 128 + 64) == 16,
              "after flush all 16 arrive; the counters agree; the tail is released");
        ipi_channel_try_send(a, "z", 1);
        ipi_channel_flush(a);
        int first = ipi_channel_poll(b, buf, sizeof(buf), &len);
        bool held = ipi_ring_unreleased(&b->rx);
        int second = ipi_channel_poll(b, buf, sizeof(buf), &len);

        check(first == IPI_OK && held && second == IPI_ERR_EMPTY && !ipi_ring_unreleased(&b->rx) &&
              *(uint64_t *)(l.region + 128 + 64) == 17,
              "one read (under the batch of 4) is held; the poll that finds the ring empty "
              "releases it");
        check(ipi_channel_prepare_sleep(b), "an empty, released channel may sleep");
        ipi_channel_try_send(a, "x", 1);
        check(ipi_channel_flush(a) == IPI_OK && a->stats.tx_signals == 1 && l.wake[1].poked,
              "flush to a sleeping peer signals it once");
        ipi_channel_end_sleep(b);
        check(ipi_channel_poll(b, buf, 0, &len) == IPI_ERR_TOO_BIG && len == 1 &&
              ipi_channel_discard(b) == IPI_OK && ipi_channel_poll(b, buf, 1, &len) ==
              IPI_ERR_EMPTY, "too small a buffer: the message stays until discarded");
        uint64_t t0 = now_ns();
        int rc = ipi_channel_recv(b, buf, sizeof(buf), &len, 20 * NS_PER_MS);

        check(rc == IPI_ERR_TIMEOUT && now_ns() - t0 >= 20 * NS_PER_MS,
              "recv on an empty channel times out after 20 ms (%s)", ipi_strerror(rc));
        ipi_channel_prepare_sleep(b);
        l.wake[0].fail_signals = 1;
        ipi_channel_try_send(a, "y", 1);
        check(ipi_channel_flush(a) == IPI_ERR_WAKE, "a failing signal is reported by flush");
        ipi_channel_end_sleep(b);
        link_close(&l);
}

int main(void)
{
        test_layout();
        test_attach();
        test_staging();
        test_channel_streams();
        test_channel_rpc();
        test_channel_malicious();
        return tap_finish();
}
