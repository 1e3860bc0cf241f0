/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Channels on Tessera (link.h): finding a channel's region and IPI caps in
 * the boot info, mapping the region, binding the port, and the counter
 * time-outs are measured in. link_channel.c puts a channel on top.
 */
#include <stdbool.h>
#include <stddef.h>
#include <ipi/link.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/vspace.h>

#define PAGE 0x1000ull
#define ROOT TESSERA_SLOT_CNODE

static bool name_is(const char *have, const char *want)
{
        unsigned i = 0;

        for (; i < 31 && want[i]; i++)
                if (have[i] != want[i])
                        return false;
        return have[i] == '\0' && want[i] == '\0';
}

/* Bits set (no libgcc here for __builtin_popcount). */
static unsigned members(uint32_t peers)
{
        unsigned n = 0;

        for (; peers; peers &= peers - 1)
                n++;
        return n;
}

/* The IPI caps of shared region `index`: one send and one receive port. */
static void find_caps(const struct tessera_bootinfo *bi, unsigned index, struct ipi_link *l)
{
        for (unsigned i = 0; i < bi->port_count && i < TESSERA_BOOTINFO_MAX_PORTS; i++) {
                const struct tessera_port_desc *p = &bi->ports[i];

                if (p->shared_index != index || p->peer_core != l->peer_core)
                        continue;
                if (p->send)
                        l->send = p->slot;
                else
                        l->port = p->slot;
        }
}

int ipi_link_find(const struct tessera_bootinfo *bi, const char *name, struct ipi_link *l)
{
        *l = (struct ipi_link){ 0 };
        for (unsigned i = 0; i < bi->shared_count && i < TESSERA_BOOTINFO_MAX_SHARED; i++) {
                const struct tessera_shared_desc *s = &bi->shared[i];
                uint32_t others = s->peers & ~(1u << bi->core_id);

                if (!name_is(s->name, name))
                        continue;
                if (members(s->peers) != 2 || members(others) != 1)
                        return IPI_ERR_PEER;
                l->shared = s;
                l->size = s->size;
                l->peer_core = (unsigned)__builtin_ctz(others);
                l->side = bi->core_id < l->peer_core ? 0 : 1;
                find_caps(bi, i, l);
                if (!l->send || !l->port || s->frames.end - s->frames.start != s->size / PAGE)
                        return IPI_ERR_NO_CHANNEL;
                return IPI_OK;
        }
        return IPI_ERR_NO_CHANNEL;
}

/* Map one frame, making the page tables that are missing on its way. */
static int map_page(struct tessera_alloc *a, uint64_t frame, uint64_t vaddr)
{
        for (unsigned tries = 0; tries < 4; tries++) {
                uint64_t table;
                int err = tessera_frame_map(frame, TESSERA_SLOT_VSPACE, vaddr,
                                            TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE,
                                            TESSERA_FRAME_CACHED);

                if (err != TESSERA_ERR_FAILED_LOOKUP)
                        return err;
                err = tessera_alloc_object(a, TESSERA_OBJ_PAGE_TABLE, 0, &table);
                if (!err)
                        err = tessera_page_table_map(table, TESSERA_SLOT_VSPACE, vaddr);
                if (err)
                        return err;
        }
        return TESSERA_ERR_MAPPING;
}

int ipi_link_map(struct ipi_link *l, struct tessera_alloc *a, uint64_t vaddr)
{
        if (!l->shared || (vaddr & (PAGE - 1)))
                return IPI_ERR_BAD_ARG;
        for (uint64_t i = 0; i < l->size / PAGE; i++)
                if (map_page(a, l->shared->frames.start + i, vaddr + i * PAGE) != TESSERA_OK)
                        return IPI_ERR_WAKE;
        l->region = (void *)(uintptr_t)vaddr;
        return IPI_OK;
}

int ipi_link_bind(struct ipi_link *l, struct tessera_alloc *a, uint64_t ntfn, uint64_t badge)
{
        uint64_t copy = tessera_alloc_slot(a);
        int err = copy ? TESSERA_OK : TESSERA_ERR_NOT_ENOUGH_MEMORY;

        if (!err)
                err = tessera_cnode_mint(ROOT, copy, 64, ROOT, ntfn, 64, TESSERA_RIGHT_WRITE, badge);
        if (!err)
                err = tessera_invoke(l->port, TESSERA_INV_IPI_PORT_BIND, NULL, 0, &copy, 1);
        if (err)
                return IPI_ERR_WAKE;
        l->ntfn = ntfn;
        return IPI_OK;
}

uint64_t ipi_link_now(void)
{
        uint64_t v;

        __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v) :: "memory");
        return v;
}

uint64_t ipi_link_ticks_per_second(void)
{
        uint64_t v;

        __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
        return v;
}
