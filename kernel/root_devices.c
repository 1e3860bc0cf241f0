/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root task's caps to memory outside its partition (root_devices.h).
 *
 * Representation: such a cap's object is the memory's physical-window
 * address (arch_pa_to_kva), like every other object's, although the window
 * maps only the partition. So a frame's physical address is
 * arch_kva_to_pa(object) for every frame alike, objects of different memory
 * never overlap, and alignment is physical alignment. The kernel never
 * dereferences these objects: device untypeds are never cleared and their
 * children never initialised (untyped.c), frames are never cleared, and the
 * invariant checker scans only normal untypeds; a stray access would fault
 * on an unmapped window address rather than touch a device.
 *
 * Device MMIO is rounded out to whole pages (the planner gives a page's
 * devices to one core only), overlaps merged (QEMU's virtio slots share
 * pages) and tiled with the largest aligned power-of-two blocks, each a
 * parentless device untyped after the normal ones. A shared region's pages
 * become parentless 4 KiB frames, unmapped, of normal memory. What does not
 * fit (the window, the boot info's list, the CNode) is left out and reported.
 */
#include <arch/arch.h>
#include <kernel/assert.h>
#include <kernel/cdt.h>
#include <kernel/printk.h>
#include <kernel/root_devices.h>
#include <kernel/string.h>
#include <tessera/objects.h>

#define PAGE 4096ull
#define ROOT_SLOTS (1u << TESSERA_ROOT_CNODE_BITS)

static void report_left_out(const struct plat_boot *b, const char *what, uint64_t base,
                            uint64_t size, const char *why)
{
        kprintf("core %u: root task: %s 0x%llx-0x%llx left out (%s)\n", b->core_id, what,
                (unsigned long long)base, (unsigned long long)(base + size), why);
}

/* Sorted by base: insertion, at most PLAT_MAX_DEVICES ranges. */
static void insert_sorted(struct plat_range *r, unsigned n, uint64_t base, uint64_t end)
{
        unsigned j = n;

        for (; j > 0 && r[j - 1].base > base; j--)
                r[j] = r[j - 1];
        r[j] = (struct plat_range){ base, end - base };
}

/* Each device's MMIO in whole pages, sorted by base, overlapping or touching
 * ranges merged. A range past the physical window is left out. */
static unsigned device_ranges(const struct plat_boot *b, struct plat_range *r)
{
        unsigned n = 0, merged = 0;

        for (unsigned i = 0; i < b->device_count; i++) {
                const struct plat_range *d = &b->devices[i];

                if (d->base + d->size > arch_physical_window_limit())
                        report_left_out(b, "device MMIO", d->base, d->size,
                                        "beyond the physical window");
                else
                        insert_sorted(r, n++, d->base & ~(PAGE - 1),
                                      (d->base + d->size + PAGE - 1) & ~(PAGE - 1));
        }
        for (unsigned i = 0; i < n; i++) {
                struct plat_range *last = merged ? &r[merged - 1] : NULL;

                if (!last || r[i].base > last->base + last->size)
                        r[merged++] = r[i];
                else if (r[i].base + r[i].size > last->base + last->size)
                        last->size = r[i].base + r[i].size - last->base;
        }
        return merged;
}

/* log2 of the largest block at base that is aligned, both physically and in
 * the window, and ends by end. */
static unsigned block_bits(uint64_t base, uint64_t end)
{
        uint64_t kva = (uint64_t)(uintptr_t)arch_pa_to_kva(base);
        unsigned bits = 63 - (unsigned)__builtin_clzll(end - base);

        if ((unsigned)__builtin_ctzll(base) < bits)
                bits = (unsigned)__builtin_ctzll(base);
        if ((unsigned)__builtin_ctzll(kva) < bits)
                bits = (unsigned)__builtin_ctzll(kva);
        return bits > TESSERA_UNTYPED_MAX_BITS ? TESSERA_UNTYPED_MAX_BITS : bits;
}

static unsigned install_device_range(struct cte *slots, unsigned next, const struct plat_boot *b,
                                     const struct plat_range *r, struct tessera_bootinfo *info)
{
        uint64_t base = r->base, end = r->base + r->size;

        while (base < end) {
                unsigned bits = block_bits(base, end);
                struct cap c = cap_untyped((uint64_t)(uintptr_t)arch_pa_to_kva(base), bits, true);

                if (info->untyped_count == TESSERA_BOOTINFO_MAX_UNTYPED || next == ROOT_SLOTS) {
                        report_left_out(b, "device MMIO", base, end - base, "no room");
                        break;
                }
                cdt_insert(NULL, &slots[next++], &c);
                info->untyped_list[info->untyped_count++] = (struct tessera_untyped_desc){
                        .paddr = base, .size_bits = (uint8_t)bits, .is_device = 1 };
                base += 1ull << bits;
        }
        return next;
}

unsigned root_install_device_untyped(struct cte *slots, unsigned next, const struct plat_boot *b,
                                     struct tessera_bootinfo *info)
{
        struct plat_range ranges[PLAT_MAX_DEVICES];
        unsigned count = device_ranges(b, ranges);

        kassert(info->untyped.end == next);
        for (unsigned i = 0; i < count; i++)
                next = install_device_range(slots, next, b, &ranges[i], info);
        info->untyped.end = next;
        return next;
}

static struct cap shared_frame_cap(uint64_t pa)
{
        return (struct cap){ .type = CAP_FRAME, .rights = TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE,
                             .size_bits = TESSERA_FRAME_4K_BITS,
                             .object = (uint64_t)(uintptr_t)arch_pa_to_kva(pa) };
}

static void report_shared_left_out(const struct plat_boot *b, const struct plat_shared *s)
{
        char what[PLAT_NAME_MAX + 16];

        ksnprintf(what, sizeof(what), "shared region %s", s->name);
        report_left_out(b, what, s->range.base, s->range.size, "not whole pages, or no room");
}

/* All of a region's pages or none: a region's frames are its whole range.
 * The partitioner places regions on pages inside the shared area. */
static bool shared_fits(const struct plat_range *r, unsigned next)
{
        return !((r->base | r->size) & (PAGE - 1)) &&
               r->base + r->size <= arch_physical_window_limit() &&
               r->size / PAGE <= ROOT_SLOTS - next;
}

static unsigned install_region(struct cte *slots, unsigned next, const struct plat_boot *b,
                               const struct plat_shared *s)
{
        if (!shared_fits(&s->range, next)) {
                report_shared_left_out(b, s);
                return next;
        }
        for (uint64_t off = 0; off < s->range.size; off += PAGE) {
                struct cap c = shared_frame_cap(s->range.base + off);

                cdt_insert(NULL, &slots[next++], &c);
        }
        return next;
}

unsigned root_install_shared_frames(struct cte *slots, unsigned next, const struct plat_boot *b,
                                    struct tessera_bootinfo *info)
{
        for (unsigned i = 0; i < b->shared_count && i < TESSERA_BOOTINFO_MAX_SHARED; i++) {
                const struct plat_shared *s = &b->shared[i];
                struct tessera_shared_desc *d = &info->shared[info->shared_count++];

                kstrlcpy(d->name, s->name, sizeof(d->name));
                d->paddr = s->range.base;
                d->size = s->range.size;
                d->peers = s->peers;
                d->frames.start = next;
                next = install_region(slots, next, b, s);
                d->frames.end = next;
        }
        return next;
}
