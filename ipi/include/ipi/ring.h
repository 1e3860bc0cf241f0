/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Single-producer single-consumer rings in memory shared between two cores
 * that do not trust each other. The same code runs in Tessera user programs
 * (aarch64, freestanding) and on the host for unit tests.
 *
 * Each side keeps its own private struct ipi_ring; only the indices, sleep
 * counters and messages live in shared memory. Every shared access is an
 * __atomic load or store, each shared index is read once into a local and
 * checked before use, and a value that breaks a rule below makes the ring
 * corrupt: that call and every later one return IPI_ERR_CORRUPT, and nothing
 * outside [base, base + size) is ever touched. A side writes only the line
 * it owns (and the producer the data area).
 *
 * Shared layout of a ring at `base` (64-byte aligned), `size` bytes:
 *
 *   base +   0  producer line (written by the producer only)
 *                 +0 head        u64  slots (SLOTS) or bytes (BYTES) published
 *                 +8 space_wait  u64  producer sleep counter: odd = waits for room
 *   base +  64  consumer line (written by the consumer only)
 *                 +0 tail        u64  slots or bytes consumed and released
 *                 +8 sleep       u64  consumer sleep counter: odd = waits for data
 *   base + 128  data area
 *
 * IPI_RING_SLOTS: the data area holds the largest power of two of 64-byte
 * slots that fits: { u8 payload[56]; u32 length; u32 control }. Slot i (an
 * absolute, ever-growing index) sits at i mod nslots; its control is
 * (u32)(i + 1) and is stored last, with release. Messages are 0..56 bytes.
 *
 * IPI_RING_BYTES: the data area holds the largest power of two of bytes that
 * fits (>= 64) and carries records, each 8-byte aligned: a header u64 (low
 * half: length, high half: control) and the payload padded to 8 bytes. The
 * control of the record at absolute byte position p is ((p / 8 + 1) mod 2^31),
 * with bit 31 set for a PAD record. A record never wraps: when it would not
 * fit before the end, the producer first writes a PAD whose length is exactly
 * the bytes that follow its header up to the end, then the record at offset
 * 0. Messages are 0..capacity/4 bytes (IPI_RING_BYTES_MAX_DIVISOR), so a
 * message always fits into an empty ring, pad included.
 *
 * Rules the consumer checks (else IPI_ERR_CORRUPT): head - tail <= capacity
 * (unsigned, so a head behind the tail fails too) and head never moves back;
 * SLOTS: control == expected, length <= 56; BYTES: head is a multiple of 8,
 * control == expected, a PAD is not at offset 0, its length is exact and it
 * is published; a record has length <= capacity/4, fits before the end and
 * lies below head. The producer checks that tail moves forward, not past what
 * it published (and, BYTES, is a multiple of 8).
 *
 * Sleep protocol (Dekker, no read-modify-write atomics): a side about to
 * block makes its counter odd, issues a full fence, and re-reads the other's
 * index (ipi_ring_prepare_sleep). The other side stores its index with
 * release, issues a full fence, and reads the counter (ipi_ring_publish,
 * ipi_ring_release); an odd value it has not signalled yet means "signal".
 * One of the two always sees the other, so no wake-up is lost.
 */
#ifndef IPI_RING_H
#define IPI_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ipi/status.h>

enum ipi_ring_kind {
        IPI_RING_SLOTS = 1,     /* fixed 64-byte slots, messages up to 56 bytes */
        IPI_RING_BYTES = 2,     /* variable-length records */
};

enum ipi_ring_role {
        IPI_RING_PRODUCER = 1,
        IPI_RING_CONSUMER = 2,
};

#define IPI_RING_LINE               64u
#define IPI_RING_HEADER_BYTES       128u        /* the two lines before the data area */
#define IPI_RING_SLOT_BYTES         64u
#define IPI_RING_SLOT_PAYLOAD       56u
#define IPI_RING_RECORD_HEADER      8u
#define IPI_RING_PAD_FLAG           0x80000000u /* in a record's control */
#define IPI_RING_SEQ_MASK           0x7fffffffu
#define IPI_RING_BYTES_MIN          64u         /* smallest byte capacity */
#define IPI_RING_BYTES_MAX_DIVISOR  4u          /* max message = capacity / 4 */
#define IPI_RING_CAPACITY_MAX       (1ull << 30) /* slots or bytes; keeps sequences distinct */

struct ipi_ring_producer_line {
        uint64_t head;
        uint64_t space_wait;
        uint64_t reserved[6];
};

struct ipi_ring_consumer_line {
        uint64_t tail;
        uint64_t sleep;
        uint64_t reserved[6];
};

struct ipi_ring_header {
        struct ipi_ring_producer_line producer;
        struct ipi_ring_consumer_line consumer;
};

struct ipi_ring_slot {
        uint64_t payload[IPI_RING_SLOT_PAYLOAD / 8];
        uint32_t length;
        uint32_t control;
};

_Static_assert(sizeof(struct ipi_ring_producer_line) == IPI_RING_LINE, "producer line");
_Static_assert(sizeof(struct ipi_ring_consumer_line) == IPI_RING_LINE, "consumer line");
_Static_assert(offsetof(struct ipi_ring_producer_line, head) == 0, "head at +0");
_Static_assert(offsetof(struct ipi_ring_producer_line, space_wait) == 8, "space_wait at +8");
_Static_assert(offsetof(struct ipi_ring_consumer_line, tail) == 0, "tail at +0");
_Static_assert(offsetof(struct ipi_ring_consumer_line, sleep) == 8, "sleep at +8");
_Static_assert(offsetof(struct ipi_ring_header, producer) == 0, "producer line at +0");
_Static_assert(offsetof(struct ipi_ring_header, consumer) == 64, "consumer line at +64");
_Static_assert(sizeof(struct ipi_ring_header) == IPI_RING_HEADER_BYTES, "data at +128");
_Static_assert(sizeof(struct ipi_ring_slot) == IPI_RING_SLOT_BYTES, "one slot, one line");
_Static_assert(offsetof(struct ipi_ring_slot, length) == 56, "slot length at +56");
_Static_assert(offsetof(struct ipi_ring_slot, control) == 60, "slot control at +60");

/* One side's private view of a ring. Fields are the library's; a side uses
 * only those of its role. */
struct ipi_ring {
        struct ipi_ring_header *shared;
        uint64_t *data;                 /* the data area, as 8-byte words */
        uint64_t capacity;              /* slots or bytes, a power of two */
        uint64_t release_batch;         /* capacity / 4, at least 1 (ipi_ring_release_due) */
        uint32_t max_msg;
        enum ipi_ring_kind kind;
        enum ipi_ring_role role;
        bool corrupt;                   /* sticky */
        uint64_t own_sleep;             /* this side's counter: sleep or space_wait */
        /* producer */
        uint64_t head;                  /* next slot / byte to stage */
        uint64_t head_published;
        uint64_t tail_seen;             /* last checked tail */
        uint64_t need;                  /* room the last FULL write needed; 0 after a success */
        uint64_t sleep_signalled;       /* consumer's odd sleep value last signalled */
        /* consumer */
        uint64_t tail;                  /* next slot / byte to read */
        uint64_t tail_published;
        uint64_t head_seen;             /* last checked head */
        uint64_t space_signalled;       /* producer's odd space_wait value last signalled */
};

/* Sets up one side's view of the ring at [base, base + size). It takes the
 * indices and its counter from the line it owns, so a side that attaches
 * again carries on where it left off; a fresh ring is zeroed memory. Returns
 * IPI_ERR_BAD_ARG (base not 64-byte aligned, too small, bad kind or role) or
 * IPI_ERR_CORRUPT (its own line holds a misaligned index: the ring is then
 * corrupt). */
int ipi_ring_init(struct ipi_ring *r, void *base, uint64_t size, enum ipi_ring_kind kind,
                  enum ipi_ring_role role);
/* Slots (SLOTS) or bytes (BYTES) of the data area that a ring of `size` bytes
 * uses; 0 when it is too small. */
uint64_t ipi_ring_capacity_for(uint64_t size, enum ipi_ring_kind kind);
/* The longest message the ring carries: 56 (SLOTS) or capacity / 4 (BYTES). */
uint32_t ipi_ring_max_msg(const struct ipi_ring *r);
/* IPI_ERR_CORRUPT once the ring saw corruption, else IPI_OK. */
int ipi_ring_status(const struct ipi_ring *r);

/* Producer. Stages one message (invisible to the consumer until published):
 * IPI_OK, IPI_ERR_FULL (nothing staged), IPI_ERR_TOO_BIG, IPI_ERR_CORRUPT. */
int ipi_ring_write(struct ipi_ring *r, const void *msg, uint32_t len);
/* The same with an 8-byte tag in front of the message (RPC ids): the message
 * carries 8 + len bytes. */
int ipi_ring_write_tagged(struct ipi_ring *r, uint64_t tag, const void *msg, uint32_t len);
/* Publishes the staged messages. True when the consumer announced sleep and
 * has not been signalled for that sleep yet: the caller must signal it. */
bool ipi_ring_publish(struct ipi_ring *r);
/* True when messages are staged but not published. */
bool ipi_ring_unpublished(const struct ipi_ring *r);
/* True when the last write failed with IPI_ERR_FULL (and none succeeded since). */
bool ipi_ring_write_blocked(const struct ipi_ring *r);

/* Consumer. Reads the next message into buf: IPI_OK with *len set;
 * IPI_ERR_EMPTY; IPI_ERR_TOO_BIG with *len the size needed (the message stays
 * queued); IPI_ERR_CORRUPT. The slot or record is reused only after
 * ipi_ring_release. */
int ipi_ring_read(struct ipi_ring *r, void *buf, uint32_t cap, uint32_t *len);
/* Reads a message written by ipi_ring_write_tagged: *tag gets the tag, buf the
 * rest. On IPI_ERR_TOO_BIG *tag is set too. A message shorter than the tag
 * breaks the rule of a tagged ring: IPI_ERR_CORRUPT. */
int ipi_ring_read_tagged(struct ipi_ring *r, uint64_t *tag, void *buf, uint32_t cap,
                         uint32_t *len);
/* Drops the next message unread: IPI_OK, IPI_ERR_EMPTY or IPI_ERR_CORRUPT. */
int ipi_ring_discard(struct ipi_ring *r);
/* Publishes the tail (everything read so far). True when the producer waits
 * for room and has not been signalled for that wait yet: signal it. The
 * caller batches: see ipi_ring_release_due. */
bool ipi_ring_release(struct ipi_ring *r);
/* True when a quarter of the ring (slots or bytes) was read since the last
 * release: the batch point at which a busy consumer releases. A consumer also
 * releases whenever it found the ring empty, before it sleeps. */
bool ipi_ring_release_due(const struct ipi_ring *r);
/* True when something was read but not released. */
bool ipi_ring_unreleased(const struct ipi_ring *r);

/* Sleep protocol. Consumer: announce sleep, full fence, look for data.
 * Producer: announce a wait for the room its last failed write needed, full
 * fence, look at the tail. True: nothing there, block now (then
 * ipi_ring_end_sleep). False: no need (work is there, or the ring is
 * corrupt), nothing stays announced. */
bool ipi_ring_prepare_sleep(struct ipi_ring *r);
void ipi_ring_end_sleep(struct ipi_ring *r);

#endif
