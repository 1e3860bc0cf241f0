/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPI ports (port.h): the only place where one kernel writes memory another
 * kernel reads. The words, all in the shared area the partitioner zeroed:
 *
 *   inbox[d] + 8 * p   port p of core d (one 4 KiB page per core, at most
 *                      BOOTINFO_INBOX_PORTS words). The planner gave word p
 *                      to exactly one (channel, source core s, d).
 *     written by:  the kernel on core s only, with arch_shared_or, on a
 *                  Signal through an IPI send cap to (d, p); it then raises
 *                  the inbox SGI on d.
 *     read by:     the kernel on core d only, with arch_shared_swap(word, 0),
 *                  on the inbox SGI and when port p is bound.
 *     value:       the OR of the badges signalled since d last swapped it
 *                  (TESSERA_IPI_UNBADGED for an unbadged cap, so a signal
 *                  is never 0).
 *
 * Words of no port are never touched, and no kernel ever reads another
 * kernel's state: a stopped or broken core leaves at worst its own inbox
 * words set, which nobody waits on.
 *
 * A receive port not bound to a notification keeps its word: the signal is
 * delivered when the port is bound, not lost.
 */
#include <arch/arch.h>
#include <ipi/port.h>
#include <kernel/ipc.h>
#include <kernel/printk.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/objects.h>

#define INBOX_WORDS 512u                /* BOOTINFO_INBOX_PORTS: a page of words */

struct receive_port {
        unsigned port;                  /* word index in this core's inbox */
        uint64_t notification;          /* bound notification object, 0: none */
        uint64_t badge;                 /* what a firing signals it with; 0: the word */
};

static volatile uint64_t *inbox[PLAT_MAX_CORES];       /* mapped inboxes we use */
static struct receive_port receive[PLAT_MAX_PORTS];
static unsigned receive_count;
static const struct plat_boot *boot;

static int map_inbox(unsigned core_index)
{
        if (core_index >= PLAT_MAX_CORES || !boot->inbox[core_index])
                return -1;
        if (!inbox[core_index])
                inbox[core_index] = arch_map_shared_page(boot->inbox[core_index]);
        return inbox[core_index] ? 0 : -1;
}

int ipi_init(const struct plat_boot *b, bool allow_lse)
{
        unsigned sends = 0;
        bool lse = arch_atomics_init(allow_lse);

        boot = b;
        for (unsigned i = 0; i < b->port_count; i++) {
                const struct plat_port *p = &b->ports[i];

                if (map_inbox(p->send ? p->peer_core : b->core_id) != 0 || p->port >= INBOX_WORDS)
                        return -1;
                if (p->send)
                        sends++;
                else
                        receive[receive_count++] = (struct receive_port){ .port = p->port };
        }
        if (b->port_count)
                kprintf("core %u: ipi: %u receive ports, %u send ports, atomics %s\n", b->core_id,
                        receive_count, sends, lse ? "LSE" : "LL/SC");
        return 0;
}

struct cap ipi_root_cap(const struct plat_port *p)
{
        if (p->send)
                return (struct cap){ .type = CAP_IPI_SEND, .rights = TESSERA_RIGHTS_ALL,
                                     .data = CAP_BADGE_NONE,
                                     .aux = (uint64_t)p->peer_core << 32 | p->port };
        return (struct cap){ .type = CAP_IPI_PORT, .rights = TESSERA_RIGHTS_ALL, .data = p->port };
}

void ipi_signal(const struct cap *send)
{
        unsigned dst = (unsigned)(send->aux >> 32), port = (unsigned)send->aux;
        uint64_t bits = send->data != CAP_BADGE_NONE ? send->data : TESSERA_IPI_UNBADGED;

        /* Caps are made only from plat_boot's send ports, whose inboxes
         * ipi_init mapped (ipi_check_cap checks it in debug builds). */
        arch_shared_or(&inbox[dst][port], bits);
        arch_ipi_send(dst, boot->core_mpidr[dst]);
}

static struct receive_port *receive_port(uint64_t port)
{
        for (unsigned i = 0; i < receive_count; i++)
                if (receive[i].port == port)
                        return &receive[i];
        return NULL;
}

/* Hand a bound port's pending word to its notification. */
static void deliver(struct receive_port *r)
{
        uint64_t word;

        if (!r->notification)
                return;
        word = arch_shared_swap(&inbox[boot->core_id][r->port], 0);
        if (word)
                notification_signal((struct notification *)(uintptr_t)r->notification,
                                    r->badge ? r->badge : word);
}

void kernel_inbox_signalled(void)
{
        for (unsigned i = 0; i < receive_count; i++)
                deliver(&receive[i]);
}

void invoke_ipi_port(const struct invocation *inv)
{
        struct receive_port *r = receive_port(inv->slot->cap.data);
        struct cte *ntfn;
        int err = TESSERA_OK;

        switch (inv->label) {
        case TESSERA_INV_IPI_PORT_BIND:
                err = inv_extra_notification(inv, 0, &ntfn);
                if (err)
                        break;
                r->notification = ntfn->cap.object;
                r->badge = ntfn->cap.data;
                deliver(r);             /* what came before the bind */
                break;
        case TESSERA_INV_IPI_PORT_UNBIND:
                r->notification = 0;
                break;
        default:
                err = TESSERA_ERR_ILLEGAL_OPERATION;
                break;
        }
        inv_reply(inv, err);
}

void ipi_port_destroyed(const struct cap *final)
{
        receive_port(final->data)->notification = 0;
}

void ipi_notification_destroyed(uint64_t notification)
{
        for (unsigned i = 0; i < receive_count; i++)
                if (receive[i].notification == notification)
                        receive[i].notification = 0;
}

static bool send_port_exists(uint64_t aux)
{
        for (unsigned i = 0; boot && i < boot->port_count; i++)
                if (boot->ports[i].send &&
                    aux == ((uint64_t)boot->ports[i].peer_core << 32 | boot->ports[i].port))
                        return inbox[boot->ports[i].peer_core] != NULL;
        return false;
}

const char *ipi_check_cap(const struct cap *c)
{
        if (c->type == CAP_IPI_SEND && (c->object || !send_port_exists(c->aux)))
                return "an IPI send cap names no send port of this core";
        if (c->type == CAP_IPI_PORT && (c->object || c->aux || !receive_port(c->data)))
                return "an IPI port cap names no receive port of this core";
        return NULL;
}
