/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A malicious peer (fixture: channel_test.h). Side 0 belongs to a thread
 * that scribbles over the whole region (indices, sleep counters, slots,
 * records, peer records) with random words and with plausible ones (an
 * index a little ahead, a header with the expected sequence), and now and
 * then clears the region and sends real messages so that reads also
 * succeed. Side 1 meanwhile polls, receives with a short timeout, discards,
 * sends, flushes and arms sleeps in a loop, attaching again after each
 * corruption. Every result must be one the API allows, no access may leave
 * the exact allocation (AddressSanitizer), and corruption must be seen.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include "channel_test.h"

#define HOSTILE_NS (500 * NS_PER_MS)

struct hostile {
        struct link *l;
        enum ipi_ring_kind kind;
        unsigned stop;
        uint64_t scribbles, sent;
};

static uint64_t rng_next(uint64_t *state)
{
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        return *state;
}

static void region_store(struct link *l, uint64_t offset, uint64_t value)
{
        __atomic_store_n((uint64_t *)(l->region + offset), value, __ATOMIC_RELAXED);
}

static uint64_t region_load(struct link *l, uint64_t offset)
{
        return __atomic_load_n((uint64_t *)(l->region + offset), __ATOMIC_RELAXED);
}

/* A word near what a rule expects, to get past the first checks. */
static void scribble_plausible(struct hostile *h, uint64_t r)
{
        struct link *l = h->l;
        uint64_t ring = ipi_channel_ring_offset(l->size, (r >> 8) & 1);
        uint64_t field = ring + ((r >> 9) & 1 ? 0 : 64);        /* head or tail */
        uint64_t delta = (r >> 10) % 24, step = h->kind == IPI_RING_BYTES ? 8 : 1;

        if ((r >> 16) & 1) {
                region_store(l, field, region_load(l, field) + delta * step - 3 * step);
                return;
        }
        uint64_t index = region_load(l, ring + 64);                     /* the tail */
        uint64_t bytes = ipi_channel_ring_bytes(l->size) - 128;
        uint64_t at = ring + 128 + ((index * (h->kind == IPI_RING_BYTES ? 1 : 64)) % bytes & ~7ull);
        uint64_t seq = h->kind == IPI_RING_BYTES ? index / 8 + 1 : index + 1;
        uint64_t length = (r >> 20) % 300;

        if (h->kind == IPI_RING_SLOTS)
                region_store(l, at + 56, seq << 32 | length);
        else
                region_store(l, at, ((seq | ((r >> 30) & 1) << 31) << 32) | length);
}

/* Clears the region, attaches again and sends a few real messages. */
static void scribble_quiet(struct hostile *h, uint64_t *state)
{
        struct link *l = h->l;

        for (uint64_t off = 0; off < l->size; off += 8)
                region_store(l, off, 0);
        ipi_channel_attach(&l->ch[0], l->region, l->size, 0, h->kind, &fake_ops, &l->ctx[0]);
        for (int i = 0; i < 8; i++) {
                uint32_t len = (uint32_t)(rng_next(state) % 48);

                h->sent += ipi_channel_try_send(&l->ch[0], "0123456789abcdef0123456789abcdef"
                                                "0123456789abcdef", len) == IPI_OK;
        }
        ipi_channel_flush(&l->ch[0]);
}

static void *scribbler(void *arg)
{
        struct hostile *h = arg;
        uint64_t state = 0x9e3779b97f4a7c15ull;

        while (!__atomic_load_n(&h->stop, __ATOMIC_RELAXED)) {
                uint64_t r = rng_next(&state);

                if (r % 4096 == 0) {
                        scribble_quiet(h, &state);
                        struct timespec ts = { 0, 200000 };

                        nanosleep(&ts, NULL);
                } else if (r % 2) {
                        region_store(h->l, (r >> 8) % (h->l->size / 8) * 8, rng_next(&state));
                } else {
                        scribble_plausible(h, r);
                }
                h->scribbles++;
        }
        return NULL;
}

struct tally {
        uint64_t ok, empty, corrupt, too_big, timeout, other;
};

static void tally(struct tally *t, int rc, bool timeout_allowed)
{
        if (rc == IPI_OK)
                t->ok++;
        else if (rc == IPI_ERR_EMPTY)
                t->empty++;
        else if (rc == IPI_ERR_CORRUPT)
                t->corrupt++;
        else if (rc == IPI_ERR_TOO_BIG)
                t->too_big++;
        else if (rc == IPI_ERR_TIMEOUT && timeout_allowed)
                t->timeout++;
        else
                t->other++;
}

/* One round of the victim: a read of some kind, a send, a sleep armed. */
static int victim_round(struct ipi_channel *c, uint64_t r, struct tally *t)
{
        uint8_t buf[512];
        uint32_t len = 0, cap = r & 1 ? 16 : sizeof(buf);
        int rc;

        if ((r >> 1) % 8 == 0)
                rc = ipi_channel_recv(c, buf, cap, &len, 50000), tally(t, rc, true);
        else
                rc = ipi_channel_poll(c, buf, cap, &len), tally(t, rc, false);
        if (rc == IPI_OK && len > cap)
                t->other++;
        if (rc == IPI_ERR_TOO_BIG) {
                int d = ipi_channel_discard(c);

                t->other += d != IPI_OK && d != IPI_ERR_CORRUPT && d != IPI_ERR_EMPTY;
        }
        int s = ipi_channel_try_send(c, buf, (uint32_t)(r >> 8) % 40);
        int f = ipi_channel_flush(c);

        t->other += (s != IPI_OK && s != IPI_ERR_FULL && s != IPI_ERR_CORRUPT) ||
                    (f != IPI_OK && f != IPI_ERR_CORRUPT);
        if (ipi_channel_prepare_sleep(c))
                ipi_channel_end_sleep(c);
        return rc == IPI_ERR_CORRUPT || s == IPI_ERR_CORRUPT || f == IPI_ERR_CORRUPT;
}

static void test_hostile(enum ipi_ring_kind kind)
{
        struct link l;
        struct hostile h = { .l = &l, .kind = kind };
        struct tally t = { 0 };
        uint64_t state = 12345, rounds = 0;
        pthread_t th;

        link_open(&l, 8192, kind);
        l.ch[1].spin_limit = 4;
        pthread_create(&th, NULL, scribbler, &h);
        for (uint64_t end = now_ns() + HOSTILE_NS; now_ns() < end; rounds++) {
                if (victim_round(&l.ch[1], rng_next(&state), &t)) {
                        int rc = ipi_channel_attach(&l.ch[1], l.region, l.size, 1, kind,
                                                    &fake_ops, &l.ctx[1]);

                        t.other += rc != IPI_OK && rc != IPI_ERR_CORRUPT;
                        l.ch[1].spin_limit = 4;
                }
        }
        __atomic_store_n(&h.stop, 1, __ATOMIC_RELAXED);
        pthread_join(th, NULL);
        check(t.other == 0 && t.corrupt > 0,
              "%s under a scribbling peer: %llu rounds, only allowed results (ok %llu, empty "
              "%llu, corrupt %llu, too big %llu, timeout %llu); %llu scribbles", kind_name(kind),
              (unsigned long long)rounds, (unsigned long long)t.ok, (unsigned long long)t.empty,
              (unsigned long long)t.corrupt, (unsigned long long)t.too_big,
              (unsigned long long)t.timeout, (unsigned long long)h.scribbles);
        link_close(&l);
}

void test_channel_malicious(void)
{
        test_hostile(IPI_RING_SLOTS);
        test_hostile(IPI_RING_BYTES);
}
