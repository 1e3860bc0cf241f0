/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests for the root task's device untypeds and shared-region frames
 * (kernel/root_devices.c): MMIO rounded to pages, sorted, merged and tiled
 * with aligned power-of-two blocks; shared regions given whole or not at
 * all; slot ranges that follow each other; what does not fit left out with a
 * console line. The objects are window addresses never dereferenced here:
 * ASan would report any access.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arch/arch.h>
#include <kernel/printk.h>
#include <kernel/root_devices.h>

#define WINDOW_BASE 0xffffffa000000000ull       /* as the kernel's physical window */
#define WINDOW_SIZE 0x2000000000ull
#define SLOTS (1u << TESSERA_ROOT_CNODE_BITS)

static struct cte slots[SLOTS];
static unsigned checks, failures, left_out;

void *arch_pa_to_kva(uint64_t pa)
{
        return (void *)(uintptr_t)(WINDOW_BASE + pa);
}

uint64_t arch_physical_window_limit(void)
{
        return WINDOW_SIZE;
}

void kprintf(const char *fmt, ...)
{
        char line[256];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        left_out += strstr(line, "left out") != NULL;
        printf("# %s", line);
}

_Noreturn void kassert_failed(const char *expr, const char *file, int line)
{
        printf("Bail out! assertion %s (%s:%d)\n", expr, file, line);
        exit(1);
}

static void check(int ok, const char *what)
{
        checks++;
        failures += !ok;
        printf("%sok %u - %s\n", ok ? "" : "not ", checks, what);
}

/* A boot info whose untyped range ends at `next`, as root_task.c leaves it. */
static void reset(struct tessera_bootinfo *info, unsigned next, unsigned normal_untyped)
{
        memset(slots, 0, sizeof(slots));
        memset(info, 0, sizeof(*info));
        info->untyped = (struct tessera_slots){ next - normal_untyped, next };
        info->untyped_count = normal_untyped;
        left_out = 0;
}

static int untyped_is(const struct tessera_bootinfo *info, unsigned i, uint64_t pa, unsigned bits)
{
        const struct tessera_untyped_desc *d = &info->untyped_list[i];
        const struct cap *c = &slots[info->untyped.start + i].cap;

        return d->paddr == pa && d->size_bits == bits && d->is_device && c->type == CAP_UNTYPED &&
               (c->flags & CAP_FLAG_DEVICE) && c->object == WINDOW_BASE + pa && c->size_bits == bits &&
               c->data == 0;
}

static void test_uart(void)
{
        struct plat_boot b = { .device_count = 1, .devices = { { 0x9000000, 0x1000 } } };
        struct tessera_bootinfo info;
        unsigned next;

        reset(&info, 20, 3);
        next = root_install_device_untyped(slots, 20, &b, &info);
        check(next == 21 && info.untyped.end == 21 && info.untyped_count == 4,
              "the UART: one device untyped after the normal ones");
        check(untyped_is(&info, 3, 0x9000000, 12), "a 4 KiB device untyped at its address");
        check(slots[20].parent == NULL, "parentless");
}

/* virtio slots are 0x200 bytes: eight share a page; listed out of order. */
static void test_merge(void)
{
        struct plat_boot b = { .device_count = 4, .devices = {
                { 0xa000200, 0x200 }, { 0x9000000, 0x1000 }, { 0xa000000, 0x200 }, { 0x9001000, 0x2000 } } };
        struct tessera_bootinfo info;
        unsigned next;

        reset(&info, 8, 0);
        next = root_install_device_untyped(slots, 8, &b, &info);
        check(next == 11 && info.untyped_count == 3, "0x9000000-0x9003000 and one virtio page");
        check(untyped_is(&info, 0, 0x9000000, 13) && untyped_is(&info, 1, 0x9002000, 12) &&
              untyped_is(&info, 2, 0xa000000, 12), "touching ranges merge and tile: 8 KiB, 4 KiB");
        reset(&info, 8, 0);
        b.device_count = 3;
        next = root_install_device_untyped(slots, 8, &b, &info);
        check(next == 10 && untyped_is(&info, 0, 0x9000000, 12) && untyped_is(&info, 1, 0xa000000, 12),
              "sorted by address; two slots in one page give one page");
}

static void test_tiling(void)
{
        struct plat_boot b = { .device_count = 1, .devices = { { 0x10001000, 0x3fff000 } } };
        struct tessera_bootinfo info;
        uint64_t pa = 0x10001000;
        int ok = 1;

        reset(&info, 8, 0);
        root_install_device_untyped(slots, 8, &b, &info);
        for (unsigned i = 0; i < info.untyped_count; i++) {
                const struct tessera_untyped_desc *d = &info.untyped_list[i];

                ok &= d->paddr == pa && (d->paddr & ((1ull << d->size_bits) - 1)) == 0;
                pa += 1ull << d->size_bits;
        }
        check(ok && pa == 0x14000000, "aligned power-of-two blocks tile the range exactly, in order");
        check(info.untyped_count == 14, "blocks grow with the alignment: 4K, 8K .. 32M");
}

static void test_left_out(void)
{
        struct plat_boot b = { .device_count = 2, .devices = {
                { 0x4010000000ull, 0x10000000 }, { 0x9000000, 0x1000 } } };
        struct tessera_bootinfo info;
        unsigned next;

        reset(&info, 8, 0);
        next = root_install_device_untyped(slots, 8, &b, &info);
        check(next == 9 && left_out == 1, "MMIO past the physical window is left out and reported");
        reset(&info, 70, TESSERA_BOOTINFO_MAX_UNTYPED);
        next = root_install_device_untyped(slots, 70, &b, &info);
        check(next == 70 && info.untyped_count == TESSERA_BOOTINFO_MAX_UNTYPED && left_out == 2,
              "a full untyped list: nothing more, reported");
        reset(&info, SLOTS, 2);
        next = root_install_device_untyped(slots, SLOTS, &b, &info);
        check(next == SLOTS && info.untyped_count == 2 && left_out == 2, "a full CNode: nothing more");
}

static void test_shared(void)
{
        struct plat_boot b = { .core_id = 0, .shared_count = 3, .shared = {
                { "console1", { 0x42003000, 0x10000 }, 3 },
                { "odd", { 0x42013800, 0x1000 }, 5 },
                { "log", { 0x42014000, 0x2000 }, 9 } } };
        struct tessera_bootinfo info;
        unsigned next;
        int frames_ok = 1;

        reset(&info, 30, 0);
        next = root_install_shared_frames(slots, 30, &b, &info);
        check(next == 48 && info.shared_count == 3, "16 + 0 + 2 frames for three regions");
        check(info.shared[0].frames.start == 30 && info.shared[0].frames.end == 46 &&
              info.shared[1].frames.start == 46 && info.shared[1].frames.end == 46 &&
              info.shared[2].frames.start == 46 && info.shared[2].frames.end == 48,
              "each region's frames follow the last; a left-out region's range is empty");
        check(!strcmp(info.shared[2].name, "log") && info.shared[2].paddr == 0x42014000 &&
              info.shared[2].size == 0x2000 && info.shared[2].peers == 9, "name, address, size, peers");
        for (unsigned i = 0; i < 16; i++) {
                const struct cap *c = &slots[30 + i].cap;

                frames_ok &= c->type == CAP_FRAME && c->size_bits == 12 && !c->flags &&
                             c->object == WINDOW_BASE + 0x42003000 + i * 0x1000ull && !slots[30 + i].parent;
        }
        check(frames_ok, "unmapped, normal, parentless 4 KiB frames in address order");
        check(left_out == 1, "the region not in whole pages is reported");
        reset(&info, SLOTS - 4, 0);
        b.shared_count = 1;
        next = root_install_shared_frames(slots, SLOTS - 4, &b, &info);
        check(next == SLOTS - 4 && info.shared[0].frames.start == info.shared[0].frames.end,
              "a region larger than the free slots is given not at all");
}

int main(void)
{
        test_uart();
        test_merge();
        test_tiling();
        test_left_out();
        test_shared();
        printf("1..%u\n", checks);
        return failures != 0;
}
