/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root task: the one thread a kernel starts by itself. Its image is
 * already in user memory (the partitioner placed it); the kernel makes its
 * TCB, address space, stack, IPC buffer and boot-info page from boot memory
 * just above the image, maps everything, and makes it current.
 */
#include <arch/arch.h>
#include <kernel/core.h>
#include <kernel/string.h>
#include <kernel/thread.h>
#include <tessera/bootinfo.h>
#include <tessera/objects.h>

#define ROOT_STACK_PAGES 4
#define PAGE 4096ull
#define ROOT_ASID 1

static uint64_t alloc_table(void *cookie)
{
        (void)cookie;
        return boot_alloc(PAGE, PAGE);
}

static int map_range(struct tcb *t, uint64_t vaddr, uint64_t pa, uint64_t size, unsigned rights)
{
        for (uint64_t off = 0; off < size; off += PAGE)
                if (arch_vspace_map_page(t->vspace_root, vaddr + off, pa + off, rights,
                                         alloc_table, NULL) != 0)
                        return -1;
        return 0;
}

/* Fresh zeroed pages mapped at vaddr. */
static uint64_t map_fresh(struct tcb *t, uint64_t vaddr, uint64_t pages, unsigned rights)
{
        uint64_t pa = boot_alloc(pages * PAGE, PAGE);

        if (!pa || map_range(t, vaddr, pa, pages * PAGE, rights) != 0)
                return 0;
        return pa;
}

static uint64_t image_end(const struct plat_boot *b)
{
        uint64_t end = b->memory_base;

        for (unsigned i = 0; i < b->root_segment_count; i++) {
                const struct plat_segment *s = &b->root_segments[i];

                if (s->paddr + s->size > end)
                        end = s->paddr + s->size;
        }
        return end;
}

static int fill_bootinfo(struct tcb *t, const struct plat_boot *b)
{
        uint64_t pa = map_fresh(t, TESSERA_ROOT_BOOTINFO_VADDR, 1, ARCH_MAP_READ);
        struct tessera_bootinfo *info;

        if (!pa)
                return -1;
        info = arch_pa_to_kva(pa);
        info->magic = TESSERA_BOOTINFO_MAGIC;
        info->core_id = b->core_id;
        info->core_count = b->core_count;
        return 0;
}

int root_task_create(void)
{
        const struct plat_boot *b = &core()->boot;
        struct tcb *t;
        uint64_t tcb_pa;

        boot_alloc_init(image_end(b), b->memory_base + b->memory_size);
        tcb_pa = boot_alloc(1u << TESSERA_TCB_BITS, 1u << TESSERA_TCB_BITS);
        if (!tcb_pa)
                return -1;
        t = arch_pa_to_kva(tcb_pa);
        t->vspace_root = boot_alloc(PAGE, PAGE);
        if (!t->vspace_root)
                return -1;
        for (unsigned i = 0; i < b->root_segment_count; i++)
                if (map_range(t, b->root_segments[i].vaddr, b->root_segments[i].paddr,
                              b->root_segments[i].size, b->root_segments[i].rights) != 0)
                        return -1;
        if (!map_fresh(t, TESSERA_ROOT_STACK_TOP - ROOT_STACK_PAGES * PAGE, ROOT_STACK_PAGES,
                       ARCH_MAP_READ | ARCH_MAP_WRITE) ||
            !map_fresh(t, TESSERA_ROOT_IPC_BUFFER_VADDR, 1, ARCH_MAP_READ | ARCH_MAP_WRITE) ||
            fill_bootinfo(t, b) != 0)
                return -1;
        arch_context_init(&t->ctx, b->root_entry, TESSERA_ROOT_STACK_TOP, TESSERA_ROOT_BOOTINFO_VADDR);
        kstrlcpy(t->name, "root", sizeof(t->name));
        t->asid = ROOT_ASID;
        t->priority = TESSERA_PRIORITY_COUNT - 1;
        thread_make_runnable(t);
        return 0;
}
