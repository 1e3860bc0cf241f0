/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests for the shared-memory rings (ipi/ring.c), single-threaded: the
 * geometry, fill and drain, batching, full and empty edges, messages too big,
 * thousands of wrap-arounds with every length (pad records), the sleep
 * protocol's signal decisions, which side writes which line, and every
 * corruption rule broken one at a time (test_ring_corrupt.c). Each region is
 * an exact allocation, so AddressSanitizer catches any access outside it.
 * Threaded tests are in test_channel.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ring_test.h"


void pair_open(struct pair *x, uint64_t size, enum ipi_ring_kind kind)
{
        void *mem = NULL;

        if (posix_memalign(&mem, 64, size) != 0)
                abort();
        memset(mem, 0, size);
        x->mem = mem;
        x->size = size;
        if (ipi_ring_init(&x->p, mem, size, kind, IPI_RING_PRODUCER) != IPI_OK ||
            ipi_ring_init(&x->c, mem, size, kind, IPI_RING_CONSUMER) != IPI_OK)
                abort();
}

void pair_close(struct pair *x)
{
        free(x->mem);
}

uint64_t *word_at(struct pair *x, uint64_t offset)
{
        return (uint64_t *)(x->mem + offset);
}

uint32_t *u32_at(struct pair *x, uint64_t offset)
{
        return (uint32_t *)(x->mem + offset);
}

static void fill(uint8_t *buf, uint32_t len, uint32_t seed)
{
        for (uint32_t i = 0; i < len; i++)
                buf[i] = (uint8_t)(seed * 31u + i * 7u + 1u);
}

static bool matches(const uint8_t *buf, uint32_t len, uint32_t seed)
{
        for (uint32_t i = 0; i < len; i++)
                if (buf[i] != (uint8_t)(seed * 31u + i * 7u + 1u))
                        return false;
        return true;
}

int put(struct ipi_ring *r, uint32_t len, uint32_t seed)
{
        uint8_t buf[4096];

        fill(buf, len, seed);
        return ipi_ring_write(r, buf, len);
}

bool get(struct ipi_ring *r, uint32_t len, uint32_t seed)
{
        uint8_t buf[4096];
        uint32_t got = 0;

        return ipi_ring_read(r, buf, sizeof(buf), &got) == IPI_OK && got == len &&
               matches(buf, len, seed);
}

static void test_geometry(void)
{
        check(ipi_ring_capacity_for(128 + 64 * 16, IPI_RING_SLOTS) == 16, "16 slots fit exactly");
        check(ipi_ring_capacity_for(128 + 64 * 31, IPI_RING_SLOTS) == 16,
              "31 slots of room: the largest power of two, 16");
        check(ipi_ring_capacity_for(128 + 63, IPI_RING_SLOTS) == 0, "no room for a slot: 0");
        check(ipi_ring_capacity_for(128 + 1000, IPI_RING_BYTES) == 512, "1000 bytes of room: 512");
        check(ipi_ring_capacity_for(128 + 64, IPI_RING_BYTES) == 64, "the smallest byte ring");
        check(ipi_ring_capacity_for(128 + 63, IPI_RING_BYTES) == 0, "below 64 bytes: 0");
        check(ipi_ring_capacity_for(100, IPI_RING_BYTES) == 0, "smaller than the header: 0");
        check(ipi_ring_capacity_for(4096, 0) == 0, "unknown kind: 0");

        struct pair x;

        pair_open(&x, 128 + 1000, IPI_RING_BYTES);
        struct ipi_ring r;

        check(ipi_ring_max_msg(&x.p) == 128, "byte ring of 512: messages up to 128 bytes");
        check(ipi_ring_init(&r, x.mem + 8, 1000, IPI_RING_BYTES, IPI_RING_CONSUMER) ==
              IPI_ERR_BAD_ARG, "a base off the 64-byte line is refused");
        check(ipi_ring_init(&r, x.mem, 128 + 63, IPI_RING_BYTES, IPI_RING_CONSUMER) ==
              IPI_ERR_BAD_ARG, "a region too small is refused");
        check(ipi_ring_init(&r, x.mem, x.size, 7, IPI_RING_CONSUMER) == IPI_ERR_BAD_ARG,
              "an unknown kind is refused");
        check(ipi_ring_init(&r, x.mem, x.size, IPI_RING_BYTES, 0) == IPI_ERR_BAD_ARG,
              "an unknown role is refused");
        check(ipi_ring_write(&x.c, "x", 1) == IPI_ERR_BAD_ARG, "the consumer cannot write");
        uint32_t len;

        check(ipi_ring_read(&x.p, NULL, 0, &len) == IPI_ERR_BAD_ARG, "the producer cannot read");
        check(strcmp(ipi_strerror(IPI_ERR_CORRUPT), "shared memory corrupt") == 0 &&
              strcmp(ipi_strerror(42), "unknown status") == 0, "ipi_strerror names codes");
        pair_close(&x);
}

static void test_fill_drain(enum ipi_ring_kind kind)
{
        struct pair x;
        uint32_t len = kind == IPI_RING_SLOTS ? 0 : 24, n = 0;

        pair_open(&x, 128 + 1024, kind);        /* 16 slots or 1024 bytes */
        uint32_t expect = kind == IPI_RING_SLOTS ? 16 : 1024 / 32;

        while (put(&x.p, kind == IPI_RING_SLOTS ? n % 57 : len, n) == IPI_OK)
                n++;
        check(n == expect, "%s: %u messages fill the ring (want %u)", kind_name(kind), n, expect);
        check(put(&x.p, 0, 0) == IPI_ERR_FULL, "%s: a full ring refuses even an empty message",
              kind_name(kind));
        ipi_ring_publish(&x.p);
        bool ok = true;

        for (uint32_t i = 0; i < n; i++)
                ok &= get(&x.c, kind == IPI_RING_SLOTS ? i % 57 : len, i);
        check(ok, "%s: all come out in order with their content", kind_name(kind));
        check(get(&x.c, 0, 0) == false && ipi_ring_read(&x.c, NULL, 0, &len) == IPI_ERR_EMPTY,
              "%s: then the ring is empty", kind_name(kind));
        check(put(&x.p, 0, 0) == IPI_ERR_FULL, "%s: read but not released: still full",
              kind_name(kind));
        ipi_ring_release(&x.c);
        n = 0;
        while (put(&x.p, len, n) == IPI_OK)
                n++;
        check(n == (kind == IPI_RING_SLOTS ? 16 : 32), "%s: released: full room again (%u)",
              kind_name(kind), n);
        pair_close(&x);
}

static void test_batching(enum ipi_ring_kind kind)
{
        struct pair x;
        uint32_t len;

        pair_open(&x, 128 + 1024, kind);
        for (uint32_t i = 0; i < 3; i++)
                put(&x.p, 5 + i, i);
        check(ipi_ring_read(&x.c, NULL, 0, &len) == IPI_ERR_EMPTY && ipi_ring_unpublished(&x.p),
              "%s: staged messages are invisible before publish", kind_name(kind));
        check(__atomic_load_n(word_at(&x, HEAD_AT), __ATOMIC_RELAXED) == 0,
              "%s: the shared head has not moved", kind_name(kind));
        ipi_ring_publish(&x.p);
        check(get(&x.c, 5, 0) && get(&x.c, 6, 1) && get(&x.c, 7, 2) && !ipi_ring_unpublished(&x.p),
              "%s: one publish shows all three", kind_name(kind));
        check(__atomic_load_n(word_at(&x, TAIL_AT), __ATOMIC_RELAXED) == 0 &&
              ipi_ring_unreleased(&x.c), "%s: the tail moves only on release", kind_name(kind));
        ipi_ring_release(&x.c);
        check(__atomic_load_n(word_at(&x, TAIL_AT), __ATOMIC_RELAXED) ==
              (kind == IPI_RING_SLOTS ? 3u : 3 * 16u), "%s: release publishes the tail",
              kind_name(kind));
        pair_close(&x);
}

/* Every length 0..max, over and over, in batches of 1..7 between publishes,
 * read back in batches; counts the wraps and the PAD records written. */
static void test_wrap(enum ipi_ring_kind kind, uint64_t size, unsigned rounds)
{
        struct pair x;
        uint32_t seq = 0, next = 0, pads = 0;
        bool ok = true;

        pair_open(&x, size, kind);
        uint32_t max = ipi_ring_max_msg(&x.p);
        uint64_t cap = x.p.capacity;

        for (unsigned round = 0; round < rounds && ok; round++) {
                for (uint32_t len = 0; len <= max && ok; len++, seq++) {
                        uint64_t offset = x.p.head & (cap - 1);

                        if (put(&x.p, len, seq) == IPI_ERR_FULL) {
                                ipi_ring_publish(&x.p);
                                for (; next < seq; next++)
                                        ok &= get(&x.c, next % (max + 1), next);
                                ipi_ring_release(&x.c);
                                offset = x.p.head & (cap - 1);
                                ok &= put(&x.p, len, seq) == IPI_OK;
                        }
                        pads += kind == IPI_RING_BYTES && offset + 8 + ((len + 7) & ~7u) > cap;
                        if ((seq * 2654435761u) >> 29 == 0)
                                ipi_ring_publish(&x.p);
                }
        }
        uint64_t wraps = x.p.head / cap;       /* head counts slots or bytes */

        check(ok, "%s ring of %llu: %u rounds of every length 0..%u read back intact",
              kind_name(kind), (unsigned long long)cap, rounds, max);
        check(wraps >= 1000, "%s ring of %llu: wrapped %llu times", kind_name(kind),
              (unsigned long long)cap, (unsigned long long)wraps);
        if (kind == IPI_RING_BYTES)
                check(pads >= 1000, "bytes ring of %llu: %u PAD records", (unsigned long long)cap,
                      pads);
        pair_close(&x);
}

static void test_edges_slots(void)
{
        struct pair x;
        uint32_t len;

        pair_open(&x, 128 + 64 * 4, IPI_RING_SLOTS);
        for (uint32_t i = 0; i < 4; i++)
                put(&x.p, 56, i);
        check(put(&x.p, 1, 9) == IPI_ERR_FULL && ipi_ring_write_blocked(&x.p),
              "slots: the fifth of four is refused and remembered");
        ipi_ring_publish(&x.p);
        check(get(&x.c, 56, 0), "slots: a full 56-byte slot reads back");
        ipi_ring_release(&x.c);
        check(put(&x.p, 56, 4) == IPI_OK && !ipi_ring_write_blocked(&x.p),
              "slots: one slot released, one more fits");
        check(put(&x.p, 0, 5) == IPI_ERR_FULL, "slots: and the ring is full again");
        ipi_ring_publish(&x.p);
        bool ok = true;

        for (uint32_t i = 1; i <= 4; i++)
                ok &= get(&x.c, 56, i);
        check(ok && ipi_ring_read(&x.c, NULL, 0, &len) == IPI_ERR_EMPTY,
              "slots: drained across the wrap, then empty");
        pair_close(&x);
}

static void test_edges_bytes(void)
{
        struct pair x;

        pair_open(&x, 128 + 512, IPI_RING_BYTES);
        for (uint32_t i = 0; i < 8; i++)
                put(&x.p, 56, i);               /* 8 records of 64 bytes: exactly full */
        check(put(&x.p, 0, 8) == IPI_ERR_FULL, "bytes: 8 records of 64 fill 512 exactly");
        ipi_ring_publish(&x.p);
        bool ok = true;

        for (uint32_t i = 0; i < 8; i++)
                ok &= get(&x.c, 56, i);
        ipi_ring_release(&x.c);
        for (uint32_t i = 0; i < 7; i++)
                ok &= put(&x.p, 56, 10 + i) == IPI_OK;
        ipi_ring_publish(&x.p);
        ok &= get(&x.c, 56, 10);
        ipi_ring_release(&x.c);
        /* Now tail = 576 (offset 64), head = 960 (offset 448): 64 bytes free
         * at the end and 64 at the start, 128 in all. */
        check(ok && put(&x.p, 64, 20) == IPI_ERR_FULL,
              "bytes: 128 free but split 64 + 64: a 72-byte record (pad 64 + 72) is refused");
        check(put(&x.p, 56, 21) == IPI_OK, "bytes: a 64-byte record fills the end exactly");
        check(put(&x.p, 48, 22) == IPI_OK, "bytes: a 56-byte record fits at the start");
        check(put(&x.p, 0, 23) == IPI_OK && put(&x.p, 0, 24) == IPI_ERR_FULL,
              "bytes: 8 bytes left: one empty message (a header) fits, then none");
        ipi_ring_publish(&x.p);
        for (uint32_t i = 11; i < 17; i++)
                ok &= get(&x.c, 56, i);
        check(ok && get(&x.c, 56, 21) && get(&x.c, 48, 22) && get(&x.c, 0, 23),
              "bytes: all read back in order");
        ipi_ring_release(&x.c);
        /* head at offset 64: 3 x 136 bytes fit, up to 472; a fourth needs a
         * pad of 40 and 136 more, but only 104 are free. */
        check(put(&x.p, 128, 30) == IPI_OK && put(&x.p, 128, 31) == IPI_OK &&
              put(&x.p, 128, 29) == IPI_OK && put(&x.p, 128, 32) == IPI_ERR_FULL,
              "bytes: three maximal messages fit, a fourth with its pad does not");
        ipi_ring_publish(&x.p);
        check(get(&x.c, 128, 30) && get(&x.c, 128, 31) && get(&x.c, 128, 29),
              "bytes: and read back");
        ipi_ring_release(&x.c);
        check(put(&x.p, 128, 32) == IPI_OK && ipi_ring_publish(&x.p) == false &&
              get(&x.c, 128, 32), "bytes: a maximal message with a pad fits an empty ring");
        pair_close(&x);
}

static void test_too_big(void)
{
        struct pair s, b;
        uint8_t buf[256];
        uint32_t len = 0;
        uint64_t tag = 0;

        pair_open(&s, 128 + 1024, IPI_RING_SLOTS);
        pair_open(&b, 128 + 1024, IPI_RING_BYTES);
        check(put(&s.p, 57, 0) == IPI_ERR_TOO_BIG && put(&s.p, 56, 0) == IPI_OK,
              "slots: 57 bytes too big, 56 fit");
        check(put(&b.p, 257, 0) == IPI_ERR_TOO_BIG && put(&b.p, 256, 1) == IPI_OK,
              "bytes of 1024: 257 too big, 256 fit");
        ipi_ring_publish(&s.p);
        ipi_ring_publish(&b.p);
        check(ipi_ring_read(&s.c, buf, 55, &len) == IPI_ERR_TOO_BIG && len == 56,
              "slots: a 55-byte buffer is too small, the size needed is told");
        check(get(&s.c, 56, 0), "slots: the message stayed and reads with a big buffer");
        check(ipi_ring_read(&b.c, buf, 100, &len) == IPI_ERR_TOO_BIG && len == 256 &&
              get(&b.c, 256, 1), "bytes: too small a buffer leaves the message queued");
        check(ipi_ring_write_tagged(&s.p, 1, buf, 49) == IPI_ERR_TOO_BIG &&
              ipi_ring_write_tagged(&s.p, 0x1122334455667788ull, "hello", 5) == IPI_OK,
              "slots: a tag takes 8 of the 56 bytes");
        put(&s.p, 4, 3);
        ipi_ring_publish(&s.p);
        check(ipi_ring_read_tagged(&s.c, &tag, buf, 2, &len) == IPI_ERR_TOO_BIG && len == 5 &&
              tag == 0x1122334455667788ull, "tagged: too big tells the tag and the size");
        check(ipi_ring_read_tagged(&s.c, &tag, buf, sizeof(buf), &len) == IPI_OK && len == 5 &&
              memcmp(buf, "hello", 5) == 0 && tag == 0x1122334455667788ull,
              "tagged: tag and message read back");
        check(ipi_ring_read_tagged(&s.c, &tag, buf, sizeof(buf), &len) == IPI_ERR_CORRUPT,
              "tagged: a 4-byte message cannot hold a tag: corrupt");
        pair_close(&s);
        pair_close(&b);
}

/* The signal decisions: once per sleep, only while asleep. */
static void test_sleep_protocol(enum ipi_ring_kind kind)
{
        struct pair x;

        pair_open(&x, 128 + 256, kind);
        check(ipi_ring_prepare_sleep(&x.c) && (*word_at(&x, SLEEP_AT) & 1),
              "%s: empty ring: the consumer may sleep, its counter is odd", kind_name(kind));
        put(&x.p, 1, 0);
        check(ipi_ring_publish(&x.p), "%s: a publish to a sleeping consumer must signal",
              kind_name(kind));
        put(&x.p, 1, 1);
        check(!ipi_ring_publish(&x.p), "%s: the same sleep is signalled only once",
              kind_name(kind));
        ipi_ring_end_sleep(&x.c);
        check(!(*word_at(&x, SLEEP_AT) & 1), "%s: awake: even again", kind_name(kind));
        check(!ipi_ring_prepare_sleep(&x.c) && !(*word_at(&x, SLEEP_AT) & 1),
              "%s: data waiting: no sleep, counter stays even", kind_name(kind));
        put(&x.p, 1, 2);
        check(!ipi_ring_publish(&x.p), "%s: an awake consumer is not signalled", kind_name(kind));
        while (ipi_ring_discard(&x.c) == IPI_OK)
                ;
        ipi_ring_release(&x.c);
        check(ipi_ring_prepare_sleep(&x.c), "%s: drained: sleeps again", kind_name(kind));
        put(&x.p, 1, 3);
        check(ipi_ring_publish(&x.p), "%s: a new sleep is signalled again", kind_name(kind));
        ipi_ring_end_sleep(&x.c);

        check(!ipi_ring_prepare_sleep(&x.p), "%s: producer with no refused write: no wait",
              kind_name(kind));
        while (put(&x.p, 8, 4) == IPI_OK)
                ;
        ipi_ring_publish(&x.p);
        check(ipi_ring_prepare_sleep(&x.p) && (*word_at(&x, SPACE_WAIT_AT) & 1),
              "%s: full ring: the producer may wait for room", kind_name(kind));
        while (ipi_ring_discard(&x.c) == IPI_OK)
                ;
        check(ipi_ring_release(&x.c), "%s: a release to a waiting producer must signal",
              kind_name(kind));
        ipi_ring_end_sleep(&x.p);
        check(!ipi_ring_prepare_sleep(&x.p), "%s: room now: the producer does not wait",
              kind_name(kind));
        pair_close(&x);
}

/* Which side writes which shared line: compare snapshots around each side's calls. */
static bool only_changed(const uint8_t *before, const uint8_t *after, uint64_t size,
                         uint64_t from, uint64_t to)
{
        for (uint64_t i = 0; i < size; i++)
                if (before[i] != after[i] && (i < from || i >= to))
                        return false;
        return true;
}

static void test_ownership(enum ipi_ring_kind kind)
{
        struct pair x;
        uint8_t snap[128 + 1024];
        uint32_t len;

        pair_open(&x, sizeof(snap), kind);
        while (put(&x.p, 8, 1) == IPI_OK)
                ;
        ipi_ring_publish(&x.p);
        memcpy(snap, x.mem, x.size);
        while (ipi_ring_discard(&x.c) == IPI_OK)
                ;
        ipi_ring_release(&x.c);
        ipi_ring_read(&x.c, NULL, 0, &len);
        ipi_ring_prepare_sleep(&x.c);
        ipi_ring_end_sleep(&x.c);
        check(only_changed(snap, x.mem, x.size, 64, 128),
              "%s: the consumer wrote only its own line", kind_name(kind));
        memcpy(snap, x.mem, x.size);
        while (put(&x.p, 40, 2) == IPI_OK)
                ;
        ipi_ring_publish(&x.p);
        ipi_ring_prepare_sleep(&x.p);
        ipi_ring_end_sleep(&x.p);
        check(memcmp(snap + 64, x.mem + 64, 64) == 0,
              "%s: the producer never wrote the consumer's line", kind_name(kind));
        pair_close(&x);
}

int main(void)
{
        test_geometry();
        for (enum ipi_ring_kind k = IPI_RING_SLOTS; k <= IPI_RING_BYTES; k++) {
                test_fill_drain(k);
                test_batching(k);
                test_sleep_protocol(k);
                test_ownership(k);
        }
        test_edges_slots();
        test_edges_bytes();
        test_too_big();
        test_wrap(IPI_RING_SLOTS, 128 + 64 * 16, 300);
        test_wrap(IPI_RING_BYTES, 128 + 512, 300);
        test_wrap(IPI_RING_BYTES, 128 + 64, 800);
        test_ring_corrupt();
        return tap_finish();
}
