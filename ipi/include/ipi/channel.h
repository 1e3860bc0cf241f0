/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A two-sided channel between two cores: one shared region, one ring each
 * way (ring.h), a record per side saying who is attached, the sleep/wake
 * protocol, blocking, polling and spin-then-block receive, batching, and an
 * RPC helper with a timeout. The library makes no system calls: it pokes and
 * waits through struct ipi_wake_ops, which a Tessera program backs with an
 * IPI and a notification and a host test with a mutex and a condvar.
 *
 * Region layout, from `size` alone (a multiple of 4096, at least 4096):
 *
 *   +0     side 0's peer record (one 64-byte line, written by side 0 only)
 *   +64    side 1's peer record (written by side 1 only)
 *   +128   ring 0->1 (side 0 produces), ipi_channel_ring_bytes(size) bytes
 *   +128 + ipi_channel_ring_bytes(size)
 *          ring 1->0 (side 1 produces), as many bytes
 *
 * where ipi_channel_ring_bytes(size) = ((size - 128) / 2) rounded down to 64.
 * Side 0 is the core with the lower id; each caller says which side it is.
 * A peer record: +0 magic ('TSCH' while attached), +4 ring kind, +8
 * generation (bumped by every attach), +12 alive (1 attached, 0 detached),
 * +16 the region size the side attached with.
 *
 * Threads: a side is driven by one thread, or by one sending thread (send,
 * try_send, flush) and one receiving thread (poll, recv); the two use
 * disjoint fields. The wake ops then have to wake both waiters of a side.
 * The RPC calls and ipi_channel_prepare_sleep use both directions: one thread.
 */
#ifndef IPI_CHANNEL_H
#define IPI_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ipi/ring.h>

#define IPI_CHANNEL_MAGIC        0x48435354u   /* "TSCH" in memory order */
#define IPI_CHANNEL_PAGE         4096u
#define IPI_CHANNEL_RECORDS      128u          /* the two peer records before the rings */
#define IPI_CHANNEL_DEFAULT_SPIN 64u           /* retries before recv or send blocks */

struct ipi_peer_record {
        uint32_t magic;
        uint32_t kind;
        uint32_t generation;
        uint32_t alive;
        uint64_t size;
        uint64_t reserved[5];
};

_Static_assert(sizeof(struct ipi_peer_record) == 64, "a peer record is one line");
_Static_assert(offsetof(struct ipi_peer_record, magic) == 0, "magic at +0");
_Static_assert(offsetof(struct ipi_peer_record, kind) == 4, "kind at +4");
_Static_assert(offsetof(struct ipi_peer_record, generation) == 8, "generation at +8");
_Static_assert(offsetof(struct ipi_peer_record, alive) == 12, "alive at +12");
_Static_assert(offsetof(struct ipi_peer_record, size) == 16, "size at +16");
_Static_assert(IPI_CHANNEL_RECORDS == 2 * sizeof(struct ipi_peer_record), "two records");
_Static_assert(IPI_CHANNEL_RECORDS % IPI_RING_LINE == 0, "rings start on a line");

/* How a side pokes its peer and waits to be poked. */
struct ipi_wake_ops {
        /* Poke the peer (an IPI): 0 or an error. */
        int (*signal)(void *ctx);
        /* Block until poked, or until now() >= deadline if deadline != 0: 0,
         * IPI_ERR_TIMEOUT, or an error. May wake spuriously. A poke that came
         * before the call (since the last wait returned) is not lost. */
        int (*wait)(void *ctx, uint64_t deadline);
        /* Monotonic ticks, the unit of every timeout and deadline here. */
        uint64_t (*now)(void *ctx);
};

/* What a side did, for tests and tuning (a busy stream needs few signals). */
struct ipi_channel_stats {
        uint64_t sent;                  /* messages staged (send, try_send, rpc) */
        uint64_t received;              /* messages read (poll, recv, rpc) */
        uint64_t tx_signals;            /* pokes after a publish: the peer slept */
        uint64_t rx_signals;            /* pokes after a release: the peer waited for room */
        uint64_t tx_waits;              /* waits for room */
        uint64_t rx_waits;              /* waits for messages */
        uint64_t rpc_stale;             /* responses to earlier calls dropped */
};

/* One side's private view of a channel. */
struct ipi_channel {
        struct ipi_ring tx;             /* this side's outgoing ring (producer) */
        struct ipi_ring rx;             /* the incoming ring (consumer) */
        struct ipi_peer_record *self;
        const struct ipi_peer_record *peer;
        const struct ipi_wake_ops *ops;
        void *ctx;
        uint64_t size;
        enum ipi_ring_kind kind;
        unsigned side;
        uint32_t generation;            /* ours, as attached */
        uint32_t spin_limit;            /* retries before recv or send blocks (caller may set) */
        uint32_t rpc_seq;
        bool rx_armed, tx_armed;        /* what ipi_channel_prepare_sleep announced */
        struct ipi_channel_stats stats;
};

/* Bytes of each ring in a region of `size` bytes (0 when size is invalid). */
uint64_t ipi_channel_ring_bytes(uint64_t size);
/* Offset in the region of the ring that side `from` produces into. */
uint64_t ipi_channel_ring_offset(uint64_t size, unsigned from);

/* Attaches as `side` (0 or 1) to `region` (64-byte aligned; zeroed before the
 * first attach by either side): bumps this side's generation, records the
 * kind and size, marks it alive, and sets up both rings, carrying on from the
 * indices this side published before. Does not wait for the peer.
 * IPI_ERR_BAD_ARG, or IPI_ERR_CORRUPT when this side's own ring lines hold
 * impossible values. */
int ipi_channel_attach(struct ipi_channel *c, void *region, uint64_t size, unsigned side,
                       enum ipi_ring_kind kind, const struct ipi_wake_ops *ops, void *ctx);
/* Marks this side detached (alive = 0); staged messages are not published. */
void ipi_channel_detach(struct ipi_channel *c);
/* The peer's record says attached and alive, with our kind and size. */
bool ipi_channel_peer_ready(const struct ipi_channel *c);
/* The peer's generation when ipi_channel_peer_ready, else 0. A change means
 * the peer attached again (restarted). */
uint32_t ipi_channel_peer_generation(const struct ipi_channel *c);

/* Stages one message; when the ring is full, publishes (signalling the peer
 * if it sleeps), retries spin_limit times, then blocks until there is room.
 * Not visible before a flush. */
int ipi_channel_send(struct ipi_channel *c, const void *msg, uint32_t len);
/* Stages one message, never blocks: IPI_ERR_FULL when there is no room. */
int ipi_channel_try_send(struct ipi_channel *c, const void *msg, uint32_t len);
/* Publishes what is staged; signals the peer only if it sleeps. */
int ipi_channel_flush(struct ipi_channel *c);

/* Reads one message, never blocks: IPI_OK, IPI_ERR_EMPTY, IPI_ERR_TOO_BIG
 * (*len the size needed; the message stays), IPI_ERR_CORRUPT, IPI_ERR_WAKE.
 * Releases the tail when a quarter of the ring was read and whenever the
 * ring is empty, signalling a producer that waits for room. */
int ipi_channel_poll(struct ipi_channel *c, void *buf, uint32_t cap, uint32_t *len);
/* Like poll, but when empty polls spin_limit times, then sleeps until a
 * message comes or timeout_ticks pass (0: forever): IPI_ERR_TIMEOUT. */
int ipi_channel_recv(struct ipi_channel *c, void *buf, uint32_t cap, uint32_t *len,
                     uint64_t timeout_ticks);
/* Drops the next incoming message (one too big to read, say). */
int ipi_channel_discard(struct ipi_channel *c);

/* For a server of many channels: announce sleep on each, then wait once on
 * the shared notification, then ipi_channel_end_sleep on each. Announces a
 * wait for messages, and for room when the last try_send was refused. False
 * when there is work instead (a message to read, a tail to release, staged
 * messages to flush, room, or corruption: poll or flush to see it); nothing
 * stays announced then. */
bool ipi_channel_prepare_sleep(struct ipi_channel *c);
void ipi_channel_end_sleep(struct ipi_channel *c);

/* RPC over a channel: each message starts with an 8-byte id (the caller's
 * generation in the high half, a per-call count in the low half). The client
 * sends the request, flushes, and receives until the response with its id
 * comes, dropping responses to earlier calls that timed out; timeout_ticks 0
 * waits forever. IPI_ERR_PEER when the peer is not ready, or timed out having
 * restarted; IPI_ERR_TOO_BIG when the response exceeds resp_cap (*resp_len is
 * its size; it is dropped). */
int ipi_rpc_call(struct ipi_channel *c, const void *req, uint32_t req_len, void *resp,
                 uint32_t resp_cap, uint32_t *resp_len, uint64_t timeout_ticks);
/* Server: the next request and its id (recv's rules; too big: it stays). */
int ipi_rpc_recv(struct ipi_channel *c, void *buf, uint32_t cap, uint32_t *len, uint64_t *id,
                 uint64_t timeout_ticks);
/* Server: the next request if one is there, never blocking (poll's rules):
 * for a server of many channels that sleeps on all of them at once. */
int ipi_rpc_poll(struct ipi_channel *c, void *buf, uint32_t cap, uint32_t *len, uint64_t *id);
/* Server: sends the response to request `id` (blocking for room) and flushes. */
int ipi_rpc_reply(struct ipi_channel *c, uint64_t id, const void *resp, uint32_t len);

#endif
