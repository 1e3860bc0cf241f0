/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Two-sided channels over one shared region (layout and threading rules:
 * include/ipi/channel.h): attaching and the peer records, staged sends with
 * publish-and-signal, receive by polling, spinning and sleeping, tail release
 * in batches, and RPC. The ring does the checking of shared memory; this file
 * decides when to publish, release, signal and wait, through the wake ops.
 */
#include <ipi/channel.h>
#include "shared_access.h"

/* ---- layout and peer records ---- */

static bool channel_size_valid(uint64_t size)
{
        return size >= IPI_CHANNEL_PAGE && size % IPI_CHANNEL_PAGE == 0;
}

uint64_t ipi_channel_ring_bytes(uint64_t size)
{
        if (!channel_size_valid(size))
                return 0;
        return ((size - IPI_CHANNEL_RECORDS) / 2) & ~(uint64_t)(IPI_RING_LINE - 1);
}

uint64_t ipi_channel_ring_offset(uint64_t size, unsigned from)
{
        return IPI_CHANNEL_RECORDS + (from ? ipi_channel_ring_bytes(size) : 0);
}

static bool channel_args_valid(const struct ipi_channel *c, const void *region, uint64_t size,
                               unsigned side, enum ipi_ring_kind kind,
                               const struct ipi_wake_ops *ops)
{
        return c && region && ((uintptr_t)region & (IPI_RING_LINE - 1)) == 0 &&
               channel_size_valid(size) && side <= 1 &&
               (kind == IPI_RING_SLOTS || kind == IPI_RING_BYTES) &&
               ops && ops->signal && ops->wait && ops->now;
}

/* Our record: dead while it changes, then the fields, then alive. */
static void channel_publish_record(struct ipi_channel *c)
{
        struct ipi_peer_record *rec = c->self;
        uint32_t generation = load32(&rec->generation) + 1;

        c->generation = generation ? generation : 1;
        store32(&rec->alive, 0);
        store32(&rec->magic, 0);
        store32(&rec->kind, (uint32_t)c->kind);
        store32(&rec->generation, c->generation);
        store64(&rec->size, c->size);
        store32_release(&rec->magic, IPI_CHANNEL_MAGIC);
        store32_release(&rec->alive, 1);
}

/* Field by field: a structure assignment may become a call to memset, which
 * freestanding code need not have. */
static void channel_clear_stats(struct ipi_channel_stats *s)
{
        s->sent = s->received = 0;
        s->tx_signals = s->rx_signals = 0;
        s->tx_waits = s->rx_waits = 0;
        s->rpc_stale = 0;
}

int ipi_channel_attach(struct ipi_channel *c, void *region, uint64_t size, unsigned side,
                       enum ipi_ring_kind kind, const struct ipi_wake_ops *ops, void *ctx)
{
        if (!channel_args_valid(c, region, size, side, kind, ops))
                return IPI_ERR_BAD_ARG;
        char *base = region;
        uint64_t ring_bytes = ipi_channel_ring_bytes(size);
        int tx = ipi_ring_init(&c->tx, base + ipi_channel_ring_offset(size, side), ring_bytes,
                               kind, IPI_RING_PRODUCER);
        int rx = ipi_ring_init(&c->rx, base + ipi_channel_ring_offset(size, !side), ring_bytes,
                               kind, IPI_RING_CONSUMER);

        if (tx == IPI_ERR_BAD_ARG || rx == IPI_ERR_BAD_ARG)
                return IPI_ERR_BAD_ARG;
        c->self = (struct ipi_peer_record *)base + side;
        c->peer = (const struct ipi_peer_record *)base + !side;
        c->ops = ops;
        c->ctx = ctx;
        c->size = size;
        c->kind = kind;
        c->side = side;
        c->spin_limit = IPI_CHANNEL_DEFAULT_SPIN;
        c->rpc_seq = 0;
        c->rx_armed = c->tx_armed = false;
        channel_clear_stats(&c->stats);
        channel_publish_record(c);
        return tx != IPI_OK ? tx : rx;
}

void ipi_channel_detach(struct ipi_channel *c)
{
        store32_release(&c->self->alive, 0);
}

bool ipi_channel_peer_ready(const struct ipi_channel *c)
{
        const struct ipi_peer_record *rec = c->peer;

        return load32_acquire(&rec->alive) == 1 && load32(&rec->magic) == IPI_CHANNEL_MAGIC &&
               load32(&rec->kind) == (uint32_t)c->kind && load64(&rec->size) == c->size;
}

uint32_t ipi_channel_peer_generation(const struct ipi_channel *c)
{
        if (!ipi_channel_peer_ready(c))
                return 0;
        return load32(&c->peer->generation);
}

/* ---- sending ---- */

static int channel_signal(struct ipi_channel *c, uint64_t *count)
{
        (*count)++;
        return c->ops->signal(c->ctx) == 0 ? IPI_OK : IPI_ERR_WAKE;
}

/* Waits until poked, unless prepare_sleep finds work first. IPI_OK also after
 * a timeout: the caller looks again and then at its deadline. */
static int channel_block(struct ipi_channel *c, struct ipi_ring *ring, uint64_t deadline,
                         uint64_t *waits)
{
        if (!ipi_ring_prepare_sleep(ring))
                return IPI_OK;
        (*waits)++;
        int rc = c->ops->wait(c->ctx, deadline);

        ipi_ring_end_sleep(ring);
        return rc == 0 || rc == IPI_ERR_TIMEOUT ? IPI_OK : IPI_ERR_WAKE;
}

static bool channel_past(const struct ipi_channel *c, uint64_t deadline)
{
        return deadline != 0 && c->ops->now(c->ctx) >= deadline;
}

/* 0 (none) for a timeout of 0, else now + timeout, saturated. */
static uint64_t channel_deadline(const struct ipi_channel *c, uint64_t timeout)
{
        if (timeout == 0)
                return 0;
        uint64_t now = c->ops->now(c->ctx);

        return now + timeout < now ? UINT64_MAX : now + timeout;
}

int ipi_channel_flush(struct ipi_channel *c)
{
        if (!c)
                return IPI_ERR_BAD_ARG;
        if (ipi_ring_status(&c->tx) != IPI_OK)
                return IPI_ERR_CORRUPT;
        if (ipi_ring_publish(&c->tx))
                return channel_signal(c, &c->stats.tx_signals);
        return IPI_OK;
}

static int channel_write(struct ipi_channel *c, const uint64_t *tag, const void *msg,
                         uint32_t len)
{
        int rc = tag ? ipi_ring_write_tagged(&c->tx, *tag, msg, len)
                     : ipi_ring_write(&c->tx, msg, len);

        if (rc == IPI_OK)
                c->stats.sent++;
        return rc;
}

/* Stages one message. While the ring is full: publish, retry spin_limit
 * times, then sleep until the consumer releases room. */
static int channel_send_until(struct ipi_channel *c, const uint64_t *tag, const void *msg,
                              uint32_t len, uint64_t deadline)
{
        uint32_t spins = 0;

        for (;;) {
                int rc = channel_write(c, tag, msg, len);

                if (rc != IPI_ERR_FULL)
                        return rc;
                rc = ipi_channel_flush(c);
                if (rc == IPI_OK && spins < c->spin_limit) {
                        spins++;
                        continue;
                }
                if (rc == IPI_OK && channel_past(c, deadline))
                        rc = IPI_ERR_TIMEOUT;
                if (rc == IPI_OK)
                        rc = channel_block(c, &c->tx, deadline, &c->stats.tx_waits);
                if (rc != IPI_OK)
                        return rc;
        }
}

int ipi_channel_send(struct ipi_channel *c, const void *msg, uint32_t len)
{
        if (!c)
                return IPI_ERR_BAD_ARG;
        return channel_send_until(c, NULL, msg, len, 0);
}

int ipi_channel_try_send(struct ipi_channel *c, const void *msg, uint32_t len)
{
        if (!c)
                return IPI_ERR_BAD_ARG;
        return channel_write(c, NULL, msg, len);
}

/* ---- receiving ---- */

static int channel_release(struct ipi_channel *c)
{
        if (ipi_ring_release(&c->rx))
                return channel_signal(c, &c->stats.rx_signals);
        return IPI_OK;
}

/* One read. The tail is released before a read once a batch is due (so a
 * failing signal never costs a message) and when the ring is empty. */
static int channel_take(struct ipi_channel *c, uint64_t *tag, void *buf, uint32_t cap,
                        uint32_t *len)
{
        if (ipi_ring_release_due(&c->rx) && channel_release(c) != IPI_OK)
                return IPI_ERR_WAKE;
        int rc = tag ? ipi_ring_read_tagged(&c->rx, tag, buf, cap, len)
                     : ipi_ring_read(&c->rx, buf, cap, len);

        if (rc == IPI_OK)
                c->stats.received++;
        if (rc == IPI_ERR_EMPTY && channel_release(c) != IPI_OK)
                return IPI_ERR_WAKE;
        return rc;
}

/* Spin, then sleep, until a message comes or the deadline passes. */
static int channel_recv_until(struct ipi_channel *c, uint64_t *tag, void *buf, uint32_t cap,
                              uint32_t *len, uint64_t deadline)
{
        uint32_t spins = 0;

        for (;;) {
                int rc = channel_take(c, tag, buf, cap, len);

                if (rc != IPI_ERR_EMPTY)
                        return rc;
                if (spins < c->spin_limit) {
                        spins++;
                        continue;
                }
                if (channel_past(c, deadline))
                        return IPI_ERR_TIMEOUT;
                rc = channel_block(c, &c->rx, deadline, &c->stats.rx_waits);
                if (rc != IPI_OK)
                        return rc;
        }
}

int ipi_channel_poll(struct ipi_channel *c, void *buf, uint32_t cap, uint32_t *len)
{
        if (!c)
                return IPI_ERR_BAD_ARG;
        return channel_take(c, NULL, buf, cap, len);
}

int ipi_channel_recv(struct ipi_channel *c, void *buf, uint32_t cap, uint32_t *len,
                     uint64_t timeout_ticks)
{
        if (!c)
                return IPI_ERR_BAD_ARG;
        return channel_recv_until(c, NULL, buf, cap, len, channel_deadline(c, timeout_ticks));
}

int ipi_channel_discard(struct ipi_channel *c)
{
        if (!c)
                return IPI_ERR_BAD_ARG;
        int rc = ipi_ring_discard(&c->rx);

        if (rc == IPI_OK)
                c->stats.received++;
        return rc;
}

/* ---- many-channel servers ---- */

bool ipi_channel_prepare_sleep(struct ipi_channel *c)
{
        c->rx_armed = c->tx_armed = false;
        if (ipi_ring_unreleased(&c->rx) || ipi_ring_unpublished(&c->tx) ||
            ipi_ring_status(&c->tx) != IPI_OK || !ipi_ring_prepare_sleep(&c->rx))
                return false;
        c->rx_armed = true;
        if (!ipi_ring_write_blocked(&c->tx))
                return true;
        if (!ipi_ring_prepare_sleep(&c->tx)) {
                ipi_channel_end_sleep(c);
                return false;
        }
        c->tx_armed = true;
        return true;
}

void ipi_channel_end_sleep(struct ipi_channel *c)
{
        if (c->rx_armed)
                ipi_ring_end_sleep(&c->rx);
        if (c->tx_armed)
                ipi_ring_end_sleep(&c->tx);
        c->rx_armed = c->tx_armed = false;
}

/* ---- RPC ---- */

static uint64_t rpc_next_id(struct ipi_channel *c)
{
        if (++c->rpc_seq == 0)
                c->rpc_seq = 1;
        return (uint64_t)c->generation << 32 | c->rpc_seq;
}

/* Receives until the response to `id`; others are stale and dropped. */
static int rpc_await(struct ipi_channel *c, uint64_t id, void *resp, uint32_t resp_cap,
                     uint32_t *resp_len, uint64_t deadline)
{
        for (;;) {
                uint64_t got = 0;
                int rc = channel_recv_until(c, &got, resp, resp_cap, resp_len, deadline);

                if (rc == IPI_ERR_TOO_BIG && ipi_ring_discard(&c->rx) != IPI_OK)
                        return IPI_ERR_CORRUPT;
                if (rc != IPI_OK && rc != IPI_ERR_TOO_BIG)
                        return rc;
                if (got == id)
                        return rc;
                c->stats.rpc_stale++;
        }
}

int ipi_rpc_call(struct ipi_channel *c, const void *req, uint32_t req_len, void *resp,
                 uint32_t resp_cap, uint32_t *resp_len, uint64_t timeout_ticks)
{
        if (!c || (!req && req_len) || (!resp && resp_cap) || !resp_len)
                return IPI_ERR_BAD_ARG;
        uint32_t peer_generation = ipi_channel_peer_generation(c);

        if (peer_generation == 0)
                return IPI_ERR_PEER;
        uint64_t deadline = channel_deadline(c, timeout_ticks);
        uint64_t id = rpc_next_id(c);
        int rc = channel_send_until(c, &id, req, req_len, deadline);

        if (rc == IPI_OK)
                rc = ipi_channel_flush(c);
        if (rc == IPI_OK)
                rc = rpc_await(c, id, resp, resp_cap, resp_len, deadline);
        if (rc == IPI_ERR_TIMEOUT && ipi_channel_peer_generation(c) != peer_generation)
                return IPI_ERR_PEER;
        return rc;
}

int ipi_rpc_poll(struct ipi_channel *c, void *buf, uint32_t cap, uint32_t *len, uint64_t *id)
{
        if (!c || !id)
                return IPI_ERR_BAD_ARG;
        return channel_take(c, id, buf, cap, len);
}

int ipi_rpc_recv(struct ipi_channel *c, void *buf, uint32_t cap, uint32_t *len, uint64_t *id,
                 uint64_t timeout_ticks)
{
        if (!c || !id)
                return IPI_ERR_BAD_ARG;
        return channel_recv_until(c, id, buf, cap, len, channel_deadline(c, timeout_ticks));
}

int ipi_rpc_reply(struct ipi_channel *c, uint64_t id, const void *resp, uint32_t len)
{
        if (!c)
                return IPI_ERR_BAD_ARG;
        int rc = channel_send_until(c, &id, resp, len, 0);

        return rc == IPI_OK ? ipi_channel_flush(c) : rc;
}
