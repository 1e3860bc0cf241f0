/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every rule of the shared ring layout (include/ipi/ring.h), broken one at a
 * time: each case builds a ring in an exact allocation, writes one bad value
 * into one shared field, and expects IPI_ERR_CORRUPT from the side that reads
 * it, again after the field is put back (sticky), and no access outside the
 * region (AddressSanitizer). One case breaks two fields at once (a PAD at
 * offset 0 needs a head to match).
 */
#include <stdio.h>
#include "ring_test.h"

#define SLOTS_SIZE (128 + 64 * 8)      /* 8 slots */
#define BYTES_SIZE (128 + 512)         /* 512 bytes, messages up to 128 */

struct corrupt_case {
        const char *what;
        enum ipi_ring_kind kind;
        void (*setup)(struct pair *x);
        uint64_t offset;                /* the field, from the ring's base */
        unsigned width;                 /* 4 or 8 bytes */
        uint64_t value;
        bool producer_reads;            /* the producer meets it (else the consumer) */
};

static void drain(struct pair *x)
{
        while (ipi_ring_discard(&x->c) == IPI_OK)
                ;
}

/* Three messages published (slots 0..2, or records of 24, 32 and 40 bytes:
 * head 96), all read, so the next read reads head again, and a fourth
 * staged: the slot or record at the tail is valid, so only the rule on head
 * can catch a bad one. */
static void three_read(struct pair *x)
{
        put(&x->p, 10, 1);
        put(&x->p, 20, 2);
        put(&x->p, 30, 3);
        ipi_ring_publish(&x->p);
        drain(x);
        put(&x->p, 16, 4);
}

/* Three published and read, nothing more: slot 3 was never written. */
static void three_read_bare(struct pair *x)
{
        put(&x->p, 10, 1);
        put(&x->p, 20, 2);
        put(&x->p, 30, 3);
        ipi_ring_publish(&x->p);
        drain(x);
}

/* Three messages published, none read. */
static void three_queued(struct pair *x)
{
        put(&x->p, 10, 1);
        put(&x->p, 20, 2);
        put(&x->p, 30, 3);
        ipi_ring_publish(&x->p);
}

/* Bytes: tail and head at offset 448, 64 bytes to the end. */
static void to_offset_448(struct pair *x)
{
        for (int i = 0; i < 7; i++)
                put(&x->p, 56, (uint32_t)i);
        ipi_ring_publish(&x->p);
        drain(x);
        ipi_ring_release(&x->c);
}

/* Bytes: a 56-byte record at 448 (the last 64 bytes), another at 0. */
static void record_at_end(struct pair *x)
{
        to_offset_448(x);
        put(&x->p, 56, 8);
        put(&x->p, 56, 9);
        ipi_ring_publish(&x->p);
}

/* Bytes: a 120-byte message at 448: a PAD over 448..511, the record at 0. */
static void pad_at_end(struct pair *x)
{
        to_offset_448(x);
        put(&x->p, 120, 8);
        ipi_ring_publish(&x->p);
}

/* Full and published: the producer's next write reads the tail again. */
static void full(struct pair *x)
{
        while (put(&x->p, 8, 0) == IPI_OK)
                ;
        ipi_ring_publish(&x->p);
}

/* Slots: 4 read and released, seen by the producer, then full again. */
static void full_after_release(struct pair *x)
{
        full(x);
        for (int i = 0; i < 4; i++)
                ipi_ring_discard(&x->c);
        ipi_ring_release(&x->c);
        full(x);
}

static const struct corrupt_case cases[] = {
        { "slots: head more than capacity ahead", IPI_RING_SLOTS, three_read, HEAD_AT, 8,
          3 + 8 + 1, false },
        { "slots: head behind the tail", IPI_RING_SLOTS, three_read, HEAD_AT, 8, 2, false },
        { "slots: head at 2^64 - 1", IPI_RING_SLOTS, three_read, HEAD_AT, 8, UINT64_MAX, false },
        { "slots: head a full ring ahead, slots never written", IPI_RING_SLOTS, three_read_bare,
          HEAD_AT, 8, 3 + 8, false },
        { "slots: slot control not the sequence", IPI_RING_SLOTS, three_queued, DATA_AT + 60, 4,
          5, false },
        { "slots: slot control from the last lap", IPI_RING_SLOTS, three_queued, DATA_AT + 60, 4,
          (uint32_t)(1 - 8), false },
        { "slots: slot length 57", IPI_RING_SLOTS, three_queued, DATA_AT + 56, 4, 57, false },
        { "slots: slot length 2^32 - 1", IPI_RING_SLOTS, three_queued, DATA_AT + 56, 4,
          UINT32_MAX, false },
        { "bytes: head more than capacity ahead", IPI_RING_BYTES, three_read, HEAD_AT, 8,
          96 + 512 + 8, false },
        { "bytes: head behind the tail", IPI_RING_BYTES, three_read, HEAD_AT, 8, 88, false },
        { "bytes: head not a multiple of 8", IPI_RING_BYTES, three_read, HEAD_AT, 8, 96 + 68,
          false },
        { "bytes: record sequence wrong", IPI_RING_BYTES, three_queued, DATA_AT + 4, 4, 7, false },
        { "bytes: record length max + 1", IPI_RING_BYTES, three_queued, DATA_AT, 4, 129, false },
        { "bytes: record length 2^32 - 1", IPI_RING_BYTES, three_queued, DATA_AT, 4, UINT32_MAX,
          false },
        { "bytes: record past the end of the ring", IPI_RING_BYTES, record_at_end,
          DATA_AT + 448, 4, 64, false },
        { "bytes: record past the published head", IPI_RING_BYTES, three_queued, DATA_AT, 4, 100,
          false },
        { "bytes: pad length short of the end", IPI_RING_BYTES, pad_at_end, DATA_AT + 448, 4, 48,
          false },
        { "bytes: pad length past the end", IPI_RING_BYTES, pad_at_end, DATA_AT + 448, 4, 64,
          false },
        { "bytes: pad not published", IPI_RING_BYTES, pad_at_end, HEAD_AT, 8, 448 + 32, false },
        { "slots: tail past the published head", IPI_RING_SLOTS, full, TAIL_AT, 8, 9, true },
        { "slots: tail moved back", IPI_RING_SLOTS, full_after_release, TAIL_AT, 8, 2, true },
        { "bytes: tail not a multiple of 8", IPI_RING_BYTES, full, TAIL_AT, 8, 4, true },
};

static uint64_t field_get(struct pair *x, const struct corrupt_case *k)
{
        return k->width == 8 ? *word_at(x, k->offset) : *u32_at(x, k->offset);
}

static void field_set(struct pair *x, const struct corrupt_case *k, uint64_t value)
{
        if (k->width == 8)
                *word_at(x, k->offset) = value;
        else
                *u32_at(x, k->offset) = (uint32_t)value;
}

/* The side that meets the bad value: its call, now and on every later call. */
static bool side_corrupt(struct pair *x, bool producer)
{
        static uint8_t buf[4096];       /* big enough that every check is before the copy */
        uint32_t len;

        if (producer)
                return put(&x->p, 8, 0) == IPI_ERR_CORRUPT && !ipi_ring_publish(&x->p) &&
                       !ipi_ring_prepare_sleep(&x->p) && ipi_ring_status(&x->p) == IPI_ERR_CORRUPT;
        return ipi_ring_read(&x->c, buf, sizeof(buf), &len) == IPI_ERR_CORRUPT &&
               ipi_ring_discard(&x->c) == IPI_ERR_CORRUPT && !ipi_ring_release(&x->c) &&
               !ipi_ring_prepare_sleep(&x->c) && ipi_ring_status(&x->c) == IPI_ERR_CORRUPT;
}

static void run_case(const struct corrupt_case *k)
{
        struct pair x;

        pair_open(&x, k->kind == IPI_RING_SLOTS ? SLOTS_SIZE : BYTES_SIZE, k->kind);
        k->setup(&x);
        uint64_t saved = field_get(&x, k);

        field_set(&x, k, k->value);
        bool now = side_corrupt(&x, k->producer_reads);

        field_set(&x, k, saved);
        check(now && side_corrupt(&x, k->producer_reads), "%s: corrupt, and still after repair",
              k->what);
        pair_close(&x);
}

/* A PAD at offset 0 (the producer never writes one there), with a head that
 * covers it. */
static void test_pad_at_zero(void)
{
        struct pair x;

        pair_open(&x, BYTES_SIZE, IPI_RING_BYTES);
        *word_at(&x, DATA_AT) = (uint64_t)(1u | IPI_RING_PAD_FLAG) << 32 | (512 - 8);
        *word_at(&x, HEAD_AT) = 512;
        check(side_corrupt(&x, false), "bytes: a pad at offset 0 is corrupt");
        pair_close(&x);
}

/* A side whose own line holds a misaligned index is corrupt from the start. */
static void test_misaligned_own_index(void)
{
        struct pair x;
        struct ipi_ring r;

        pair_open(&x, BYTES_SIZE, IPI_RING_BYTES);
        *word_at(&x, HEAD_AT) = 12;
        check(ipi_ring_init(&r, x.mem, x.size, IPI_RING_BYTES, IPI_RING_PRODUCER) ==
              IPI_ERR_CORRUPT && ipi_ring_write(&r, "x", 1) == IPI_ERR_CORRUPT,
              "bytes: a producer attaching to a misaligned head is corrupt");
        *word_at(&x, HEAD_AT) = 16;
        check(ipi_ring_init(&r, x.mem, x.size, IPI_RING_BYTES, IPI_RING_PRODUCER) == IPI_OK,
              "bytes: attaching again to an aligned head is fine");
        pair_close(&x);
}

void test_ring_corrupt(void)
{
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                run_case(&cases[i]);
        test_pad_at_zero();
        test_misaligned_own_index();
}
