/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The smallest cross-core pair, the one to copy when writing a server.
 * Both cores run this program; the spec (pingpong.dts) gives them one
 * channel, "ping". Core 0 sends the numbers 0..ROUNDS-1, core 1 answers each
 * with its successor, core 0 checks every answer and ends the system with
 * status 0 when all were right. docs/channels.md walks through it.
 */
#include <stdint.h>
#include <ipi/channel.h>
#include <ipi/link.h>
#include <tessera/alloc.h>
#include <tessera/bootinfo.h>
#include <tessera/syscall.h>

#define ROUNDS        1000
#define STOP          UINT64_MAX            /* core 0's last message */
#define CHANNEL_VADDR 0x10000000000ull      /* where the region is mapped */
#define WAIT_SECONDS  10                    /* for the peer, and for each answer */

int main(const struct tessera_bootinfo *bi);

static struct tessera_alloc alloc;
static struct ipi_link link;
static struct ipi_channel ch;

static int send_number(uint64_t n)
{
        int err = ipi_channel_send(&ch, &n, sizeof(n));

        return err ? err : ipi_channel_flush(&ch);
}

/* timeout: in counter ticks, 0 for none */
static int receive_number(uint64_t *n, uint64_t timeout)
{
        uint32_t len = 0;
        int err = ipi_channel_recv(&ch, n, sizeof(*n), &len, timeout);

        return !err && len != sizeof(*n) ? IPI_ERR_CORRUPT : err;
}

static int ping(void)
{
        unsigned wrong = 0;
        /* The peer attaches when its core gets there: wait for it, a while. */
        int err = ipi_link_await_peer(&ch, WAIT_SECONDS * ipi_link_ticks_per_second());

        for (uint64_t i = 0; i < ROUNDS && !err; i++) {
                uint64_t answer = 0;

                err = send_number(i);
                if (!err)
                        err = receive_number(&answer, WAIT_SECONDS * ipi_link_ticks_per_second());
                wrong += !err && answer != i + 1;
        }
        if (!err)
                err = send_number(STOP);
        tessera_printf("pingpong: %u round trips with core %u, %u answers wrong, %llu IPIs sent: %s\n",
                       ROUNDS, link.peer_core, wrong, (unsigned long long)ch.stats.tx_signals,
                       err ? ipi_strerror(err) : wrong ? "FAILED" : "ok");
        return err || wrong;
}

static int pong(void)
{
        uint64_t n = 0;
        int err;

        while (!(err = receive_number(&n, 0)) && n != STOP)     /* a server waits */
                err = send_number(n + 1);
        return err != IPI_OK;
}

int main(const struct tessera_bootinfo *bi)
{
        int err;

        tessera_alloc_init(&alloc, bi);
        err = ipi_link_open(&ch, &link, bi, &alloc, "ping", CHANNEL_VADDR, IPI_RING_SLOTS);
        if (err) {
                tessera_printf("pingpong on core %u: cannot open channel \"ping\": %s\n",
                               bi->core_id, ipi_strerror(err));
                return 2;
        }
        return link.side == 0 ? ping() : pong();
}
