/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Threaded streams over channels (fixture: channel_test.h): 1,000,000
 * messages each way for both ring kinds, content-checked, with few signals;
 * the lost wake-up races, a consumer that always sleeps and a producer that
 * keeps waiting for room, each wait bounded so that a lost wake-up fails
 * instead of hanging; both directions at once on one thread per side with
 * try_send, poll and ipi_channel_prepare_sleep; and a server of two
 * channels that sleeps once on a shared wake side.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <time.h>
#include "channel_test.h"

struct stream {
        struct ipi_channel *ch;
        uint64_t count;
        uint32_t max;
        unsigned batch;                 /* sender: flush every `batch`; 0: random 1..16 */
        bool delays;                    /* a tiny random delay before each message */
        unsigned pause_every;           /* receiver: sleep 1 ms every this many (0: never) */
        uint64_t bad, timeouts;
};

static void *stream_sender(void *arg)
{
        struct stream *s = arg;
        uint64_t buf[MSG_MAX / 8];
        unsigned seed = 1, next_flush = 1;

        for (uint64_t seq = 0; seq < s->count && !s->bad; seq++) {
                uint32_t len = msg_len(seq, s->max);

                if (s->delays)
                        tiny_delay(&seed);
                msg_fill((uint8_t *)buf, seq, len);
                s->bad += ipi_channel_send(s->ch, buf, len) != IPI_OK;
                if (--next_flush == 0) {
                        s->bad += ipi_channel_flush(s->ch) != IPI_OK;
                        seed = seed * 1103515245u + 12345u;
                        next_flush = s->batch ? s->batch : 1 + (seed >> 16) % 16;
                }
        }
        s->bad += ipi_channel_flush(s->ch) != IPI_OK;
        return NULL;
}

static void *stream_receiver(void *arg)
{
        struct stream *s = arg;
        uint64_t buf[MSG_MAX / 8];
        uint32_t len;
        unsigned seed = 2;

        for (uint64_t seq = 0; seq < s->count && !s->bad; seq++) {
                struct timespec ms = { .tv_sec = 0, .tv_nsec = (long)NS_PER_MS };

                if (s->delays)
                        tiny_delay(&seed);
                if (s->pause_every && seq % s->pause_every == 0)
                        nanosleep(&ms, NULL);
                int rc = ipi_channel_recv(s->ch, buf, sizeof(buf), &len, GUARD_NS);

                s->timeouts += rc == IPI_ERR_TIMEOUT;
                s->bad += rc != IPI_OK || !msg_check((uint8_t *)buf, len, seq, s->max);
        }
        return NULL;
}

/* Runs `count` messages from side `from` to the other; true when all arrived intact. */
static bool stream_run(struct link *l, unsigned from, struct stream *tx, struct stream *rx)
{
        pthread_t t[2];

        tx->ch = &l->ch[from];
        rx->ch = &l->ch[!from];
        rx->count = tx->count;
        rx->max = tx->max;
        pthread_create(&t[0], NULL, stream_sender, tx);
        pthread_create(&t[1], NULL, stream_receiver, rx);
        pthread_join(t[0], NULL);
        pthread_join(t[1], NULL);
        return tx->bad == 0 && rx->bad == 0 && !guard_fired;
}

static void test_stream(enum ipi_ring_kind kind, uint64_t count)
{
        struct link l;

        link_open(&l, 65536, kind);             /* 256 slots or 16 KiB each way */
        uint32_t max = kind == IPI_RING_SLOTS ? 56 : MSG_MAX;

        for (unsigned from = 0; from < 2; from++) {
                struct stream tx = { .count = count, .max = max, .batch = 0 };
                struct stream rx = { .delays = false };
                struct ipi_channel_stats before_tx = l.ch[from].stats;
                struct ipi_channel_stats before_rx = l.ch[!from].stats;
                uint64_t t0 = now_ns();

                l.ch[!from].spin_limit = l.ch[from].spin_limit = 1000;
                bool ok = stream_run(&l, from, &tx, &rx);
                uint64_t signals = l.ch[from].stats.tx_signals - before_tx.tx_signals +
                                   l.ch[!from].stats.rx_signals - before_rx.rx_signals;

                check(ok, "%s: %llu messages of 8..%u bytes %u->%u intact, in order (%llu ms)",
                      kind_name(kind), (unsigned long long)count, max, from, !from,
                      (unsigned long long)((now_ns() - t0) / NS_PER_MS));
                check(signals * 20 < count, "%s %u->%u: %llu signals for %llu messages (< 5%%)",
                      kind_name(kind), from, !from, (unsigned long long)signals,
                      (unsigned long long)count);
        }
        link_close(&l);
}

/* The consumer never spins: every empty ring is a sleep, and a lost wake-up
 * would leave it asleep until its 10 s deadline, which fails the test. */
static void test_lost_wakeup(enum ipi_ring_kind kind, uint64_t count)
{
        struct link l;

        link_open(&l, 4096, kind);
        l.ch[1].spin_limit = 0;
        struct stream tx = { .count = count, .max = 48, .batch = 1, .delays = true };
        struct stream rx = { .delays = false };
        uint64_t t0 = now_ns();
        bool ok = stream_run(&l, 0, &tx, &rx);

        check(ok && rx.timeouts == 0,
              "%s: %llu messages to a consumer that always sleeps: no lost wake-up "
              "(%llu waits, %llu signals, %llu ms)", kind_name(kind), (unsigned long long)count,
              (unsigned long long)l.ch[1].stats.rx_waits,
              (unsigned long long)l.ch[0].stats.tx_signals,
              (unsigned long long)((now_ns() - t0) / NS_PER_MS));
        check(l.ch[1].stats.rx_waits > count / 50, "%s: the consumer did sleep (%llu times)",
              kind_name(kind), (unsigned long long)l.ch[1].stats.rx_waits);
        link_close(&l);
}

/* The producer outruns a slow consumer (tiny delays, and a 1 ms pause every
 * 256 messages): it keeps waiting for room, never spinning, and a lost
 * wake-up on that side leaves it blocked until the guard fires. */
static void test_lost_wakeup_room(enum ipi_ring_kind kind, uint64_t count)
{
        struct link l;

        link_open(&l, 4096, kind);
        l.ch[0].spin_limit = l.ch[1].spin_limit = 0;
        struct stream tx = { .count = count, .max = 48, .batch = 1, .delays = false };
        struct stream rx = { .delays = true, .pause_every = 256 };
        bool ok = stream_run(&l, 0, &tx, &rx);

        check(ok && l.ch[0].stats.tx_waits > count / 1000,
              "%s: %llu messages to a slow consumer: the producer waited for room %llu "
              "times, never lost", kind_name(kind), (unsigned long long)count,
              (unsigned long long)l.ch[0].stats.tx_waits);
        link_close(&l);
}

/* ---- both directions, one thread per side ---- */

struct duplex {
        struct ipi_channel *ch;
        uint64_t count, sent, got;
        uint32_t max;                   /* message lengths 8..max */
        uint64_t bad, waits, timeouts;
};

/* Stages until full or done, then flushes: true when something was staged. */
static bool duplex_send(struct duplex *d, uint64_t *buf)
{
        bool progress = false;

        while (d->sent < d->count) {
                uint32_t len = msg_len(d->sent, d->max);

                msg_fill((uint8_t *)buf, d->sent, len);
                int rc = ipi_channel_try_send(d->ch, buf, len);

                if (rc == IPI_ERR_FULL)
                        break;
                d->bad += rc != IPI_OK;
                d->sent++;
                progress = true;
        }
        d->bad += ipi_channel_flush(d->ch) != IPI_OK;
        return progress;
}

/* Reads until empty or done: true when something was read. */
static bool duplex_recv(struct duplex *d, uint64_t *buf)
{
        bool progress = false;
        uint32_t len;

        while (d->got < d->count) {
                int rc = ipi_channel_poll(d->ch, buf, MSG_MAX, &len);

                if (rc == IPI_ERR_EMPTY)
                        break;
                d->bad += rc != IPI_OK || !msg_check((uint8_t *)buf, len, d->got, d->max);
                d->got++;
                progress = true;
        }
        return progress;
}

/* Work while there is work, else announce both waits and sleep once. */
static void *duplex_side(void *arg)
{
        struct duplex *d = arg;
        uint64_t buf[MSG_MAX / 8];

        while ((d->sent < d->count || d->got < d->count) && !d->bad) {
                bool sent = duplex_send(d, buf), got = duplex_recv(d, buf);

                if (sent || got || !ipi_channel_prepare_sleep(d->ch))
                        continue;
                d->waits++;
                int rc = d->ch->ops->wait(d->ch->ctx, now_ns() + GUARD_NS);

                ipi_channel_end_sleep(d->ch);
                d->timeouts += rc == IPI_ERR_TIMEOUT;
                d->bad += rc != IPI_OK;
        }
        return NULL;
}

static void test_duplex(enum ipi_ring_kind kind, uint64_t count)
{
        struct link l;
        struct duplex d[2];
        pthread_t t[2];

        link_open(&l, 4096, kind);
        for (unsigned s = 0; s < 2; s++) {
                d[s] = (struct duplex){ .ch = &l.ch[s], .count = count,
                                        .max = ipi_ring_max_msg(&l.ch[s].tx) };
                pthread_create(&t[s], NULL, duplex_side, &d[s]);
        }
        pthread_join(t[0], NULL);
        pthread_join(t[1], NULL);
        check(d[0].bad == 0 && d[1].bad == 0 && d[0].got == count && d[1].got == count,
              "%s: %llu messages each way at once, one thread per side, intact; "
              "%llu + %llu sleeps, %llu timeouts", kind_name(kind), (unsigned long long)count,
              (unsigned long long)d[0].waits, (unsigned long long)d[1].waits,
              (unsigned long long)(d[0].timeouts + d[1].timeouts));
        link_close(&l);
}

/* ---- a server of two channels ---- */

struct server {
        struct ipi_channel ch[2];
        struct wake_ctx *ctx;           /* shared by both channels */
        uint64_t count, got[2], bad, waits;
};

static bool server_drain(struct server *sv, unsigned i, uint64_t *buf)
{
        bool progress = false;
        uint32_t len;

        while (sv->got[i] < sv->count && !sv->bad) {
                int rc = ipi_channel_poll(&sv->ch[i], buf, MSG_MAX, &len);

                if (rc == IPI_ERR_EMPTY)
                        break;
                sv->bad += rc != IPI_OK || !msg_check((uint8_t *)buf, len, sv->got[i], 56);
                sv->got[i]++;
                progress = true;
        }
        return progress;
}

static void *server_main(void *arg)
{
        struct server *sv = arg;
        uint64_t buf[MSG_MAX / 8];

        while ((sv->got[0] < sv->count || sv->got[1] < sv->count) && !sv->bad) {
                bool p0 = server_drain(sv, 0, buf), p1 = server_drain(sv, 1, buf);

                if (p0 || p1 || !ipi_channel_prepare_sleep(&sv->ch[0]))
                        continue;
                if (ipi_channel_prepare_sleep(&sv->ch[1])) {
                        sv->waits++;
                        sv->bad += fake_ops.wait(sv->ctx, now_ns() + GUARD_NS) != 0;
                        ipi_channel_end_sleep(&sv->ch[1]);
                }
                ipi_channel_end_sleep(&sv->ch[0]);
        }
        return NULL;
}

static void test_server(uint64_t count)
{
        struct wake_side ws[3];         /* client 0, client 1, server */
        struct wake_ctx client_ctx[2], server_ctx[2];
        struct ipi_channel clients[2];
        struct stream tx[2];
        struct server sv = { .count = count };
        uint8_t *region[2];
        pthread_t t[3];

        for (unsigned i = 0; i < 3; i++)
                wake_side_init(&ws[i]);
        sv.ctx = &server_ctx[0];
        for (unsigned i = 0; i < 2; i++) {
                region[i] = region_alloc(4096);
                client_ctx[i] = (struct wake_ctx){ .self = &ws[i], .peer = &ws[2] };
                server_ctx[i] = (struct wake_ctx){ .self = &ws[2], .peer = &ws[i] };
                ipi_channel_attach(&clients[i], region[i], 4096, 0, IPI_RING_SLOTS, &fake_ops,
                                   &client_ctx[i]);
                ipi_channel_attach(&sv.ch[i], region[i], 4096, 1, IPI_RING_SLOTS, &fake_ops,
                                   &server_ctx[i]);
                tx[i] = (struct stream){ .ch = &clients[i], .count = count, .max = 56,
                                         .batch = 0, .delays = true };
                pthread_create(&t[i], NULL, stream_sender, &tx[i]);
        }
        pthread_create(&t[2], NULL, server_main, &sv);
        for (unsigned i = 0; i < 3; i++)
                pthread_join(t[i], NULL);
        check(sv.bad == 0 && tx[0].bad == 0 && tx[1].bad == 0 && sv.got[0] == count &&
              sv.got[1] == count && !guard_fired,
              "server of two channels: %llu messages from each client intact, %llu sleeps "
              "on one shared wake side", (unsigned long long)count, (unsigned long long)sv.waits);
        for (unsigned i = 0; i < 3; i++)
                wake_side_fini(&ws[i]);
        free(region[0]);
        free(region[1]);
}

void test_channel_streams(void)
{
        for (enum ipi_ring_kind k = IPI_RING_SLOTS; k <= IPI_RING_BYTES; k++)
                test_stream(k, 1000000);
        test_lost_wakeup(IPI_RING_SLOTS, 200000);
        test_lost_wakeup(IPI_RING_BYTES, 50000);
        test_lost_wakeup_room(IPI_RING_SLOTS, 100000);
        test_lost_wakeup_room(IPI_RING_BYTES, 50000);
        test_duplex(IPI_RING_SLOTS, 200000);
        test_duplex(IPI_RING_BYTES, 100000);
        test_server(100000);
}
