/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Validation of the boot info before a kernel uses it. The kernel trusts the
 * partitioner no further than it can check: magic, version and size first, then
 * every range against the machine's RAM and against each other, every count
 * against its array, every string for its terminator. Pure code, also built
 * and tested on the host.
 */
#include <stdbool.h>
#include <stddef.h>
#include <multikernel/bootinfo.h>

#define KERNEL_REGION_SIZE 0x200000ull
#define GIC_SPI_FIRST      32u
#define GIC_SPI_LAST       1019u

static bool range_ok(const struct bootinfo_range *r)
{
        return r->size != 0 && r->base + r->size > r->base;
}

static bool range_inside(const struct bootinfo_range *in, const struct bootinfo_range *outer)
{
        return range_ok(in) && in->base >= outer->base &&
               in->base + in->size <= outer->base + outer->size;
}

static bool range_disjoint(const struct bootinfo_range *a, const struct bootinfo_range *b)
{
        return a->base + a->size <= b->base || b->base + b->size <= a->base;
}

static bool addr_inside(uint64_t addr, uint64_t size, const struct bootinfo_range *outer)
{
        struct bootinfo_range r = { addr, size };

        return range_inside(&r, outer);
}

static bool terminated(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (s[i] == '\0')
                        return true;
        return false;
}

/* MMIO lies below RAM on QEMU virt and must never overlap it. */
static bool mmio_ok(const struct bootinfo_range *r, const struct bootinfo_range *ram)
{
        return range_ok(r) && range_disjoint(r, ram);
}

static const char *check_header(const struct bootinfo *bi)
{
        if (bi->magic != BOOTINFO_MAGIC)
                return "bad magic";
        if (bi->version != BOOTINFO_VERSION)
                return "unsupported version";
        if (bi->size != sizeof(struct bootinfo))
                return "size does not match this kernel's layout";
        if (bi->core_id >= BOOTINFO_MAX_CORES || bi->core_count == 0 ||
            bi->core_count > BOOTINFO_MAX_CORES)
                return "core id or core count out of range";
        if (bi->flags & ~BOOTINFO_FLAGS_KNOWN)
                return "unknown flags";
        if (!terminated(bi->bootargs, sizeof(bi->bootargs)))
                return "bootargs not terminated";
        return NULL;
}

static const char *check_memory(const struct bootinfo *bi, uint64_t phys_base, uint64_t image_size)
{
        if (!range_ok(&bi->ram))
                return "RAM range empty or wrapping";
        if (bi->kernel.base != phys_base || bi->kernel.size != KERNEL_REGION_SIZE ||
            !range_inside(&bi->kernel, &bi->ram))
                return "kernel region is not where this kernel runs";
        if (image_size > BOOTINFO_OFFSET)
                return "kernel image overlaps the boot info";
        if (!range_inside(&bi->memory, &bi->ram) || !range_disjoint(&bi->memory, &bi->kernel))
                return "user memory outside RAM or overlapping the kernel";
        if (!range_inside(&bi->shared_area, &bi->ram) ||
            !range_disjoint(&bi->shared_area, &bi->kernel) ||
            !range_disjoint(&bi->shared_area, &bi->memory))
                return "shared area outside RAM or overlapping this partition";
        if ((bi->console_lock & 7) || !addr_inside(bi->console_lock, 8, &bi->shared_area))
                return "console lock outside the shared area";
        return NULL;
}

static const char *check_inboxes(const struct bootinfo *bi)
{
        unsigned present = 0;

        for (unsigned i = 0; i < BOOTINFO_MAX_CORES; i++) {
                if (bi->inbox[i] == 0)
                        continue;
                if ((bi->inbox[i] & (BOOTINFO_PAGE - 1)) ||
                    !addr_inside(bi->inbox[i], BOOTINFO_PAGE, &bi->shared_area))
                        return "an inbox lies outside the shared area";
                present++;
        }
        if (bi->inbox[bi->core_id] == 0 || present != bi->core_count)
                return "inboxes do not match the cores";
        if (bi->core_mpidr[bi->core_id] != bi->mpidr)
                return "this core's MPIDR differs from its entry in the core list";
        return NULL;
}

static const char *check_interrupts(const struct bootinfo *bi)
{
        if (bi->gic_version == 2 ? !mmio_ok(&bi->gicc, &bi->ram)
                                 : (bi->gic_version != 3 || !mmio_ok(&bi->gicr, &bi->ram)))
                return "interrupt controller description invalid";
        if (!mmio_ok(&bi->gicd, &bi->ram) || bi->timer_intid < 16 || bi->timer_intid >= 32)
                return "distributor or timer interrupt invalid";
        if (bi->psci > BOOTINFO_PSCI_SMC)
                return "unknown PSCI conduit";
        if (bi->irq_count > BOOTINFO_MAX_IRQS)
                return "too many interrupts";
        for (unsigned i = 0; i < bi->irq_count; i++)
                if (bi->irqs[i] < GIC_SPI_FIRST || bi->irqs[i] > GIC_SPI_LAST)
                        return "an owned interrupt is not an SPI";
        return NULL;
}

static const char *check_devices(const struct bootinfo *bi)
{
        if (bi->device_count > BOOTINFO_MAX_DEVICES)
                return "too many devices";
        for (unsigned i = 0; i < bi->device_count; i++) {
                const struct bootinfo_device *d = &bi->devices[i];

                if (!terminated(d->path, sizeof(d->path)) || !mmio_ok(&d->mmio, &bi->ram) ||
                    d->irq_count > BOOTINFO_MAX_DEVICE_IRQS)
                        return "a device entry is invalid";
        }
        return NULL;
}

/* Two ports are one word when both are received here, or both go to the
 * same peer, on the same word index. */
static bool same_port_word(const struct bootinfo_port *a, const struct bootinfo_port *b)
{
        return a->direction == b->direction && a->port == b->port &&
               (a->direction == BOOTINFO_PORT_RECEIVE || a->peer_core == b->peer_core);
}

static const char *check_channels(const struct bootinfo *bi)
{
        if (bi->shared_count > BOOTINFO_MAX_SHARED || bi->port_count > BOOTINFO_MAX_PORTS ||
            bi->program_count > BOOTINFO_MAX_PROGRAMS)
                return "too many shared regions, ports or programs";
        for (unsigned i = 0; i < bi->shared_count; i++) {
                const struct bootinfo_shared *s = &bi->shared[i];

                if (!terminated(s->name, sizeof(s->name)) ||
                    !range_inside(&s->range, &bi->shared_area) || !(s->peers & (1u << bi->core_id)))
                        return "a shared region is invalid";
        }
        for (unsigned i = 0; i < bi->port_count; i++) {
                const struct bootinfo_port *p = &bi->ports[i];

                if (p->direction > BOOTINFO_PORT_SEND || p->peer_core >= BOOTINFO_MAX_CORES ||
                    p->peer_core == bi->core_id || bi->inbox[p->peer_core] == 0 ||
                    p->port >= BOOTINFO_INBOX_PORTS || p->shared_index >= bi->shared_count ||
                    !(bi->shared[p->shared_index].peers & (1u << p->peer_core)))
                        return "an IPI port is invalid";
                for (unsigned j = 0; j < i; j++)
                        if (same_port_word(p, &bi->ports[j]))
                                return "two IPI ports name the same inbox word";
        }
        for (unsigned i = 0; i < bi->program_count; i++)
                if (!terminated(bi->programs[i].name, sizeof(bi->programs[i].name)))
                        return "a program name is not terminated";
        return NULL;
}

static bool segment_ok(const struct bootinfo *bi, const struct bootinfo_segment *s)
{
        return !((s->vaddr | s->paddr | s->size) & (BOOTINFO_PAGE - 1)) && s->size != 0 &&
               s->vaddr < BOOTINFO_USER_VA_LIMIT && s->size <= BOOTINFO_USER_VA_LIMIT - s->vaddr &&
               addr_inside(s->paddr, s->size, &bi->memory) && s->flags != 0 &&
               !(s->flags & ~(BOOTINFO_SEG_READ | BOOTINFO_SEG_WRITE | BOOTINFO_SEG_EXECUTE));
}

/* The root image: sound segments, disjoint in both address spaces, and an
 * entry point inside an executable one. */
static const char *check_root_image(const struct bootinfo *bi)
{
        bool entry_ok = false;

        if (bi->root_segment_count == 0 || bi->root_segment_count > BOOTINFO_MAX_SEGMENTS)
                return "root image has no or too many segments";
        for (unsigned i = 0; i < bi->root_segment_count; i++) {
                const struct bootinfo_segment *s = &bi->root_segments[i];

                if (!segment_ok(bi, s))
                        return "a root image segment is invalid";
                for (unsigned j = 0; j < i; j++) {
                        const struct bootinfo_segment *t = &bi->root_segments[j];
                        struct bootinfo_range sv = { s->vaddr, s->size }, tv = { t->vaddr, t->size };
                        struct bootinfo_range sp = { s->paddr, s->size }, tp = { t->paddr, t->size };

                        if (!range_disjoint(&sv, &tv) || !range_disjoint(&sp, &tp))
                                return "root image segments overlap";
                }
                if ((s->flags & BOOTINFO_SEG_EXECUTE) && bi->root_entry >= s->vaddr &&
                    bi->root_entry - s->vaddr < s->size)
                        entry_ok = true;
        }
        return entry_ok ? NULL : "root entry point is not in an executable segment";
}

const char *bootinfo_check(const struct bootinfo *bi, uint64_t phys_base, uint64_t image_size)
{
        const char *why = check_header(bi);

        if (!why)
                why = check_memory(bi, phys_base, image_size);
        if (!why)
                why = check_inboxes(bi);
        if (!why)
                why = check_interrupts(bi);
        if (!why)
                why = check_devices(bi);
        if (!why)
                why = check_channels(bi);
        if (!why)
                why = check_root_image(bi);
        return why;
}
