/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * From the plan to one core's boot info: its partition, the machine facts its
 * kernel needs (GIC, timer, PSCI), its devices and SPIs, the channels it is a
 * member of and its IPI ports in both directions. Pure code over the plan.
 */
#include <kernel/string.h>
#include <multikernel/bootinfo.h>
#include "partitioner.h"
#include "plan.h"

static struct bootinfo_range range_of(struct plan_range r)
{
        return (struct bootinfo_range){ r.base, r.size };
}

static void fill_machine(const struct plan *p, struct bootinfo *bi)
{
        bi->ram = (struct bootinfo_range){ p->ram_base, p->ram_end - p->ram_base };
        bi->shared_area = range_of(p->shared);
        bi->console_lock = p->system_page;
        for (unsigned i = 0; i < p->core_count; i++) {
                bi->inbox[p->cores[i].reg] = p->cores[i].inbox;
                bi->core_mpidr[p->cores[i].reg] = p->cores[i].mpidr;
        }
        bi->gic_version = p->machine.gic_version;
        bi->timer_intid = p->machine.timer_intid;
        bi->gicd = range_of(p->machine.gicd);
        bi->gicc = range_of(p->machine.gicc);
        bi->gicr = range_of(p->machine.gicr);
        bi->psci = p->machine.psci == PLAN_PSCI_HVC ? BOOTINFO_PSCI_HVC
                 : p->machine.psci == PLAN_PSCI_SMC ? BOOTINFO_PSCI_SMC : BOOTINFO_PSCI_NONE;
}

static void fill_devices(const struct plan_core *core, struct bootinfo *bi)
{
        bi->device_count = core->device_count;
        for (unsigned i = 0; i < core->device_count; i++) {
                const struct plan_device *d = &core->devices[i];
                struct bootinfo_device *out = &bi->devices[i];

                kstrlcpy(out->path, d->path, sizeof(out->path));
                out->mmio = d->reg_count ? range_of(d->regs[0]) : (struct bootinfo_range){ 0, 0 };
                out->irq_count = d->spi_count;
                memcpy(out->irqs, d->spis, d->spi_count * sizeof(d->spis[0]));
        }
        bi->irq_count = core->irq_count;
        memcpy(bi->irqs, core->irqs, core->irq_count * sizeof(core->irqs[0]));
        bi->program_count = core->program_count;
        for (unsigned i = 0; i < core->program_count; i++)
                kstrlcpy(bi->programs[i].name, core->programs[i], sizeof(bi->programs[i].name));
}

/* Channels this core belongs to, renumbered densely; ports point at them. */
static void fill_channels(const struct plan *p, uint32_t me, struct bootinfo *bi)
{
        uint32_t index_of[PLAN_MAX_CHANNELS];

        for (unsigned c = 0; c < p->channel_count; c++) {
                const struct plan_channel *ch = &p->channels[c];
                struct bootinfo_shared *out = &bi->shared[bi->shared_count];

                if (!(ch->members & (1u << me)))
                        continue;
                kstrlcpy(out->name, ch->name, sizeof(out->name));
                out->range = (struct bootinfo_range){ ch->base, ch->size };
                out->peers = ch->members;
                index_of[c] = bi->shared_count++;
        }
        for (unsigned i = 0; i < p->port_count; i++) {
                const struct plan_port *port = &p->ports[i];

                if (port->dst != me && port->src != me)
                        continue;
                bi->ports[bi->port_count++] = (struct bootinfo_port){
                        .direction = port->dst == me ? BOOTINFO_PORT_RECEIVE : BOOTINFO_PORT_SEND,
                        .peer_core = port->dst == me ? port->src : port->dst,
                        .port = port->port,
                        .shared_index = index_of[port->channel],
                };
        }
}

void handoff_fill(const struct plan *p, unsigned index, const char *bootargs, bool ends_system,
                  struct bootinfo *bi)
{
        const struct plan_core *core = &p->cores[index];

        memset(bi, 0, sizeof(*bi));
        bi->magic = BOOTINFO_MAGIC;
        bi->version = BOOTINFO_VERSION;
        bi->size = sizeof(*bi);
        bi->core_id = core->reg;
        bi->core_count = p->core_count;
        bi->mpidr = core->mpidr;
        bi->kernel = range_of(core->kernel);
        bi->memory = range_of(core->user);
        bi->flags = ends_system ? BOOTINFO_FLAG_SYSTEM_EXIT : 0;
        kstrlcpy(bi->bootargs, bootargs, sizeof(bi->bootargs));
        fill_machine(p, bi);
        fill_devices(core, bi);
        fill_channels(p, core->reg, bi);
}
