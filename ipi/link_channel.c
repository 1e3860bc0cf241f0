/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A channel (channel.h) over a link (link.h): the wake operations the
 * channel library runs on are Signal on the link's send cap, Wait on its
 * bound notification, and, for a wait with a deadline, Poll and Yield until
 * the counter passes it (the kernel has no timed wait).
 */
#include <ipi/channel.h>
#include <ipi/link.h>
#include <tessera/errors.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>

int ipi_link_open(struct ipi_channel *c, struct ipi_link *l, const struct tessera_bootinfo *bi,
                  struct tessera_alloc *a, const char *name, uint64_t vaddr,
                  unsigned kind)
{
        uint64_t ntfn;
        int err = ipi_link_find(bi, name, l);

        if (!err)
                err = ipi_link_map(l, a, vaddr);
        if (!err && tessera_alloc_object(a, TESSERA_OBJ_NOTIFICATION, 0, &ntfn) != TESSERA_OK)
                err = IPI_ERR_WAKE;
        if (!err)
                err = ipi_link_bind(l, a, ntfn, 1);
        if (!err)
                err = ipi_channel_attach(c, l->region, l->size, l->side, (enum ipi_ring_kind)kind, &ipi_link_wake_ops, l);
        return err;
}

int ipi_link_await_peer(const struct ipi_channel *c, uint64_t timeout_ticks)
{
        uint64_t deadline = ipi_link_now() + timeout_ticks;

        while (!ipi_channel_peer_ready(c)) {
                if (ipi_link_now() > deadline)
                        return IPI_ERR_PEER;
                tessera_yield();
        }
        return IPI_OK;
}

static int link_signal(void *ctx)
{
        const struct ipi_link *l = ctx;

        return tessera_signal(l->send) == TESSERA_OK ? IPI_OK : IPI_ERR_WAKE;
}

static int link_wait(void *ctx, uint64_t deadline)
{
        const struct ipi_link *l = ctx;
        uint64_t word;
        int st;

        if (!deadline)
                return tessera_wait(l->ntfn, &word) == TESSERA_OK ? IPI_OK : IPI_ERR_WAKE;
        while ((st = tessera_poll(l->ntfn, &word)) == TESSERA_ERR_WOULD_BLOCK) {
                if (ipi_link_now() >= deadline)
                        return IPI_ERR_TIMEOUT;
                tessera_yield();
        }
        return st == TESSERA_OK ? IPI_OK : IPI_ERR_WAKE;
}

static uint64_t link_now(void *ctx)
{
        (void)ctx;
        return ipi_link_now();
}

const struct ipi_wake_ops ipi_link_wake_ops = {
        .signal = link_signal,
        .wait = link_wait,
        .now = link_now,
};
