/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Single-producer single-consumer rings in untrusted shared memory (layout,
 * rules and sleep protocol: include/ipi/ring.h). Shared memory is touched only
 * through the accessors of shared_access.h; a value read from it is checked once, then
 * only the local copy is used. A broken rule marks the ring corrupt for good.
 */
#include <ipi/ring.h>
#include "shared_access.h"

/* ---- geometry ---- */

static uint64_t pow2_floor(uint64_t x)
{
        uint64_t p = 1;

        while (p <= x / 2)
                p <<= 1;
        return p;
}

static uint64_t round8(uint64_t n)
{
        return (n + 7) & ~(uint64_t)7;
}

uint64_t ipi_ring_capacity_for(uint64_t size, enum ipi_ring_kind kind)
{
        if (size < IPI_RING_HEADER_BYTES)
                return 0;
        uint64_t data = size - IPI_RING_HEADER_BYTES;
        uint64_t cap;

        if (kind == IPI_RING_SLOTS) {
                if (data < IPI_RING_SLOT_BYTES)
                        return 0;
                cap = pow2_floor(data / IPI_RING_SLOT_BYTES);
        } else if (kind == IPI_RING_BYTES) {
                if (data < IPI_RING_BYTES_MIN)
                        return 0;
                cap = pow2_floor(data);
        } else {
                return 0;
        }
        return cap < IPI_RING_CAPACITY_MAX ? cap : IPI_RING_CAPACITY_MAX;
}

uint32_t ipi_ring_max_msg(const struct ipi_ring *r)
{
        return r->max_msg;
}

int ipi_ring_status(const struct ipi_ring *r)
{
        return r->corrupt ? IPI_ERR_CORRUPT : IPI_OK;
}

static int ring_mark_corrupt(struct ipi_ring *r)
{
        r->corrupt = true;
        return IPI_ERR_CORRUPT;
}

/* The counter this side owns: the consumer's sleep or the producer's space_wait. */
static uint64_t *ring_own_counter(struct ipi_ring *r)
{
        return r->role == IPI_RING_CONSUMER ? &r->shared->consumer.sleep
                                            : &r->shared->producer.space_wait;
}

/* Every private field, from the index and counter in this side's own line.
 * An odd counter means an earlier incarnation died asleep: made even again. */
static int ring_resume(struct ipi_ring *r)
{
        uint64_t *counter = ring_own_counter(r);
        uint64_t index;

        r->own_sleep = load64(counter);
        if (r->own_sleep & 1)
                store64(counter, ++r->own_sleep);
        if (r->role == IPI_RING_PRODUCER)
                index = load64(&r->shared->producer.head);
        else
                index = load64(&r->shared->consumer.tail);
        r->head = r->head_published = index;
        r->tail_seen = index - r->capacity;     /* no room known: the tail is read first */
        r->tail = r->tail_published = r->head_seen = index;
        r->need = r->sleep_signalled = r->space_signalled = 0;
        r->corrupt = false;
        if (r->kind == IPI_RING_BYTES && (index & 7))
                return ring_mark_corrupt(r);
        return IPI_OK;
}

int ipi_ring_init(struct ipi_ring *r, void *base, uint64_t size, enum ipi_ring_kind kind,
                  enum ipi_ring_role role)
{
        uint64_t cap = ipi_ring_capacity_for(size, kind);

        if (!r || !base || ((uintptr_t)base & (IPI_RING_LINE - 1)) || cap == 0 ||
            (role != IPI_RING_PRODUCER && role != IPI_RING_CONSUMER))
                return IPI_ERR_BAD_ARG;
        r->shared = base;
        r->data = (uint64_t *)((char *)base + IPI_RING_HEADER_BYTES);
        r->capacity = cap;
        r->release_batch = cap / 4 ? cap / 4 : 1;
        r->kind = kind;
        r->role = role;
        r->max_msg = kind == IPI_RING_SLOTS ? IPI_RING_SLOT_PAYLOAD
                                            : (uint32_t)(cap / IPI_RING_BYTES_MAX_DIVISOR);
        return ring_resume(r);
}

/* ---- producer ---- */

static uint32_t record_control(uint64_t pos, bool pad)
{
        return ((uint32_t)(pos / 8 + 1) & IPI_RING_SEQ_MASK) | (pad ? IPI_RING_PAD_FLAG : 0);
}

static uint64_t record_header(uint32_t length, uint32_t control)
{
        return (uint64_t)control << 32 | length;
}

/* Whether `need` slots or bytes are free, reading the tail again when the
 * last one seen is not enough. The tail must lie in [tail_seen,
 * head_published]: the consumer can neither go back nor pass what it saw. */
static int ring_room(struct ipi_ring *r, uint64_t need)
{
        if (r->capacity - (r->head - r->tail_seen) >= need)
                return IPI_OK;
        uint64_t tail = load64_acquire(&r->shared->consumer.tail);

        if (tail - r->tail_seen > r->head_published - r->tail_seen ||
            (r->kind == IPI_RING_BYTES && (tail & 7)))
                return ring_mark_corrupt(r);
        r->tail_seen = tail;
        return r->capacity - (r->head - tail) >= need ? IPI_OK : IPI_ERR_FULL;
}

static int ring_full(struct ipi_ring *r, int rc, uint64_t need)
{
        if (rc == IPI_ERR_FULL)
                r->need = need;
        return rc;
}

static int slots_write(struct ipi_ring *r, const uint64_t *tag, const uint8_t *msg, uint32_t len)
{
        uint32_t total = len + (tag ? 8 : 0);

        if (len > IPI_RING_SLOT_PAYLOAD || total > IPI_RING_SLOT_PAYLOAD)
                return IPI_ERR_TOO_BIG;
        int rc = ring_room(r, 1);

        if (rc != IPI_OK)
                return ring_full(r, rc, 1);
        struct ipi_ring_slot *slot =
                (struct ipi_ring_slot *)r->data + (r->head & (r->capacity - 1));

        copy_in(slot->payload, tag, msg, len);
        store32(&slot->length, total);
        store32_release(&slot->control, (uint32_t)(r->head + 1));
        r->head++;
        return IPI_OK;
}

/* A record that does not fit before the end first needs a PAD over the rest. */
static int bytes_write(struct ipi_ring *r, const uint64_t *tag, const uint8_t *msg, uint32_t len)
{
        uint32_t total = len + (tag ? 8 : 0);

        if (len > r->max_msg || total > r->max_msg)
                return IPI_ERR_TOO_BIG;
        uint64_t record = IPI_RING_RECORD_HEADER + round8(total);
        uint64_t offset = r->head & (r->capacity - 1);
        uint64_t to_end = r->capacity - offset;
        uint64_t need = record <= to_end ? record : to_end + record;
        int rc = ring_room(r, need);

        if (rc != IPI_OK)
                return ring_full(r, rc, need);
        if (record > to_end) {
                uint32_t pad_len = (uint32_t)(to_end - IPI_RING_RECORD_HEADER);

                store64_release(&r->data[offset / 8],
                                record_header(pad_len, record_control(r->head, true)));
                r->head += to_end;
                offset = 0;
        }
        copy_in(&r->data[offset / 8 + 1], tag, msg, len);
        store64_release(&r->data[offset / 8], record_header(total, record_control(r->head, false)));
        r->head += record;
        return IPI_OK;
}

static int ring_write(struct ipi_ring *r, const uint64_t *tag, const void *msg, uint32_t len)
{
        if (!r || r->role != IPI_RING_PRODUCER || (!msg && len))
                return IPI_ERR_BAD_ARG;
        if (r->corrupt)
                return IPI_ERR_CORRUPT;
        int rc = r->kind == IPI_RING_SLOTS ? slots_write(r, tag, msg, len)
                                           : bytes_write(r, tag, msg, len);

        if (rc == IPI_OK)
                r->need = 0;
        return rc;
}

int ipi_ring_write(struct ipi_ring *r, const void *msg, uint32_t len)
{
        return ring_write(r, NULL, msg, len);
}

int ipi_ring_write_tagged(struct ipi_ring *r, uint64_t tag, const void *msg, uint32_t len)
{
        return ring_write(r, &tag, msg, len);
}

/* An odd counter of the other side that this side has not signalled yet. */
static bool ring_must_signal(const uint64_t *counter, uint64_t *signalled)
{
        uint64_t value = load64(counter);

        if (!(value & 1) || value == *signalled)
                return false;
        *signalled = value;
        return true;
}

bool ipi_ring_publish(struct ipi_ring *r)
{
        if (r->role != IPI_RING_PRODUCER || r->corrupt || r->head == r->head_published)
                return false;
        store64_release(&r->shared->producer.head, r->head);
        r->head_published = r->head;
        full_fence();
        return ring_must_signal(&r->shared->consumer.sleep, &r->sleep_signalled);
}

bool ipi_ring_unpublished(const struct ipi_ring *r)
{
        return r->role == IPI_RING_PRODUCER && r->head != r->head_published;
}

bool ipi_ring_write_blocked(const struct ipi_ring *r)
{
        return r->role == IPI_RING_PRODUCER && r->need != 0;
}

/* ---- consumer ---- */

/* Slots or bytes readable, reading head again only when the last one seen is
 * used up (head_seen == tail). The new head may lie neither behind the tail
 * (so it never moves back) nor more than the capacity ahead of it. */
static int ring_available(struct ipi_ring *r, uint64_t *avail)
{
        if (r->tail != r->head_seen) {
                *avail = r->head_seen - r->tail;
                return IPI_OK;
        }
        uint64_t head = load64_acquire(&r->shared->producer.head);

        if (head - r->tail > r->capacity || (r->kind == IPI_RING_BYTES && (head & 7)))
                return ring_mark_corrupt(r);
        r->head_seen = head;
        *avail = head - r->tail;
        return IPI_OK;
}

/* Where ring_take puts the message: an optional tag, then up to cap bytes,
 * or nowhere (discard). */
struct ring_dest {
        uint64_t *tag;
        uint8_t *buf;
        uint32_t cap;
        uint32_t *len;
        bool discard;
};

/* Checks a message of `length` bytes at `words` against d and copies it. */
static int ring_deliver(struct ipi_ring *r, const uint64_t *words, uint32_t length,
                        const struct ring_dest *d)
{
        if (d->discard)
                return IPI_OK;
        uint32_t tag_len = d->tag ? 8 : 0;

        if (length < tag_len)
                return ring_mark_corrupt(r);
        if (d->tag)
                *d->tag = load64(words++);
        *d->len = length - tag_len;
        if (*d->len > d->cap)
                return IPI_ERR_TOO_BIG;
        copy_out(words, d->buf, *d->len);
        return IPI_OK;
}

static int slots_take(struct ipi_ring *r, const struct ring_dest *d)
{
        const struct ipi_ring_slot *slot =
                (const struct ipi_ring_slot *)r->data + (r->tail & (r->capacity - 1));
        uint32_t control = load32_acquire(&slot->control);
        uint32_t length = load32(&slot->length);

        if (control != (uint32_t)(r->tail + 1) || length > IPI_RING_SLOT_PAYLOAD)
                return ring_mark_corrupt(r);
        int rc = ring_deliver(r, slot->payload, length, d);

        if (rc == IPI_OK)
                r->tail++;
        return rc;
}

/* A PAD covers exactly the rest of the ring up to the end and is published. */
static int bytes_skip_pad(struct ipi_ring *r, uint64_t offset, uint32_t length, uint64_t avail)
{
        uint64_t to_end = r->capacity - offset;

        if (offset == 0 || length != to_end - IPI_RING_RECORD_HEADER || avail < to_end)
                return ring_mark_corrupt(r);
        r->tail += to_end;
        return IPI_OK;
}

static int bytes_take(struct ipi_ring *r, const struct ring_dest *d)
{
        for (;;) {
                uint64_t avail;
                int rc = ring_available(r, &avail);

                if (rc != IPI_OK || avail == 0)
                        return rc != IPI_OK ? rc : IPI_ERR_EMPTY;
                uint64_t offset = r->tail & (r->capacity - 1);
                uint64_t header = load64_acquire(&r->data[offset / 8]);
                uint32_t length = (uint32_t)header, control = (uint32_t)(header >> 32);

                if ((control & IPI_RING_SEQ_MASK) != (record_control(r->tail, false)))
                        return ring_mark_corrupt(r);
                if (control & IPI_RING_PAD_FLAG) {
                        rc = bytes_skip_pad(r, offset, length, avail);
                        if (rc != IPI_OK)
                                return rc;
                        continue;
                }
                uint64_t record = IPI_RING_RECORD_HEADER + round8(length);

                if (length > r->max_msg || record > r->capacity - offset || record > avail)
                        return ring_mark_corrupt(r);
                rc = ring_deliver(r, &r->data[offset / 8 + 1], length, d);
                if (rc == IPI_OK)
                        r->tail += record;
                return rc;
        }
}

static int ring_take(struct ipi_ring *r, const struct ring_dest *d)
{
        if (r->role != IPI_RING_CONSUMER)
                return IPI_ERR_BAD_ARG;
        if (r->corrupt)
                return IPI_ERR_CORRUPT;
        if (r->kind == IPI_RING_BYTES)
                return bytes_take(r, d);
        uint64_t avail;
        int rc = ring_available(r, &avail);

        if (rc != IPI_OK || avail == 0)
                return rc != IPI_OK ? rc : IPI_ERR_EMPTY;
        return slots_take(r, d);
}

int ipi_ring_read(struct ipi_ring *r, void *buf, uint32_t cap, uint32_t *len)
{
        struct ring_dest d = { .tag = NULL, .buf = buf, .cap = cap, .len = len, .discard = false };

        if (!r || !len || (!buf && cap))
                return IPI_ERR_BAD_ARG;
        return ring_take(r, &d);
}

int ipi_ring_read_tagged(struct ipi_ring *r, uint64_t *tag, void *buf, uint32_t cap,
                         uint32_t *len)
{
        struct ring_dest d = { .tag = tag, .buf = buf, .cap = cap, .len = len, .discard = false };

        if (!r || !tag || !len || (!buf && cap))
                return IPI_ERR_BAD_ARG;
        return ring_take(r, &d);
}

int ipi_ring_discard(struct ipi_ring *r)
{
        struct ring_dest d = { .tag = NULL, .buf = NULL, .cap = 0, .len = NULL, .discard = true };

        if (!r)
                return IPI_ERR_BAD_ARG;
        return ring_take(r, &d);
}

bool ipi_ring_release(struct ipi_ring *r)
{
        if (r->role != IPI_RING_CONSUMER || r->corrupt || r->tail == r->tail_published)
                return false;
        store64_release(&r->shared->consumer.tail, r->tail);
        r->tail_published = r->tail;
        full_fence();
        return ring_must_signal(&r->shared->producer.space_wait, &r->space_signalled);
}

bool ipi_ring_release_due(const struct ipi_ring *r)
{
        return r->role == IPI_RING_CONSUMER && r->tail - r->tail_published >= r->release_batch;
}

bool ipi_ring_unreleased(const struct ipi_ring *r)
{
        return r->role == IPI_RING_CONSUMER && r->tail != r->tail_published;
}

/* ---- sleep protocol ---- */

/* After the fence: is there something to do instead of sleeping? */
static bool ring_ready(struct ipi_ring *r)
{
        if (r->role == IPI_RING_PRODUCER)
                return r->need == 0 || ring_room(r, r->need) != IPI_ERR_FULL;
        uint64_t avail;

        return ring_available(r, &avail) != IPI_OK || avail != 0;
}

bool ipi_ring_prepare_sleep(struct ipi_ring *r)
{
        if (r->corrupt)
                return false;
        uint64_t *counter = ring_own_counter(r);

        store64(counter, ++r->own_sleep);       /* odd: asleep */
        full_fence();
        if (!ring_ready(r))
                return true;
        store64(counter, ++r->own_sleep);
        return false;
}

void ipi_ring_end_sleep(struct ipi_ring *r)
{
        if (r->own_sleep & 1)
                store64(ring_own_counter(r), ++r->own_sleep);
}
