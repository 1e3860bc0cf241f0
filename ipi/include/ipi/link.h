/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Channels on Tessera (link.c): what a program needs to use a channel of the
 * spec, found by its name in the root task's boot info. A link is one
 * two-member channel seen from one member: the shared region mapped in this
 * program's address space, the IPI send cap that signals the peer and the
 * IPI port cap the peer signals, bound to a notification this program waits
 * on. ipi_link_open does it all and attaches an ipi_channel (channel.h) to
 * it, whose wake operations are then Signal, Wait and the virtual counter.
 *
 * Several links may share one notification (a server waiting on many
 * clients): each binds its port with its own badge, and ipi_link_wait_any
 * tells which fired.
 */
#ifndef IPI_LINK_H
#define IPI_LINK_H

#include <stdint.h>
#include <ipi/status.h>
#include <tessera/alloc.h>
#include <tessera/bootinfo.h>

struct ipi_link {
        const struct tessera_shared_desc *shared;
        unsigned peer_core;
        unsigned side;                  /* 0: this core is the lower-numbered member */
        uint64_t send;                  /* IPI send cap to the peer's port */
        uint64_t port;                  /* IPI port cap: the peer signals it */
        uint64_t ntfn;                  /* the notification the port is bound to (READ) */
        void *region;                   /* where the region is mapped, once mapped */
        uint64_t size;
};

/* The channel `name` of this core: IPI_ERR_NO_CHANNEL when the spec gives
 * this core no channel of that name or no IPI caps for it, IPI_ERR_PEER when
 * it does not have exactly two members. */
int ipi_link_find(const struct tessera_bootinfo *bi, const char *name, struct ipi_link *l);
/* Map the whole region, read-write and cached, at vaddr (page aligned, in a
 * range this program does not use), making page tables as needed. */
int ipi_link_map(struct ipi_link *l, struct tessera_alloc *a, uint64_t vaddr);
/* Bind the port to ntfn (a notification cap with READ and WRITE) with
 * `badge` (0: unbadged): a copy of ntfn with that badge is made from a.
 * ipi_link_wait then waits on ntfn. */
int ipi_link_bind(struct ipi_link *l, struct tessera_alloc *a, uint64_t ntfn, uint64_t badge);
/* link_channel.c: find + map + a new notification + bind (badge 1) +
 * ipi_channel_attach (channel.h) with the wake operations below, whose ctx
 * is the struct ipi_link. kind: an enum ipi_ring_kind. */
struct ipi_channel;
int ipi_link_open(struct ipi_channel *c, struct ipi_link *l, const struct tessera_bootinfo *bi,
                  struct tessera_alloc *a, const char *name, uint64_t vaddr, unsigned kind);
extern const struct ipi_wake_ops ipi_link_wake_ops;
/* Yields until the channel's peer has attached (ipi_channel_peer_ready),
 * for at most timeout_ticks: IPI_OK or IPI_ERR_PEER. */
int ipi_link_await_peer(const struct ipi_channel *c, uint64_t timeout_ticks);
/* The virtual counter (CNTVCT_EL0) and its frequency, for time-outs. */
uint64_t ipi_link_now(void);
uint64_t ipi_link_ticks_per_second(void);

#endif
