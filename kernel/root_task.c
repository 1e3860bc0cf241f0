/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root task: the one thread a kernel starts by itself. Its image is
 * already in user memory (the partitioner placed it); the kernel makes its
 * TCB, address space, stack, IPC buffer, boot-info page and root CNode from
 * boot memory just above the image, maps everything, fills the CNode (fixed
 * slots of tessera/bootinfo.h, its image frames, then untyped caps covering
 * all the memory above the boot watermark, then its device untypeds and
 * shared-region frames: root_devices.c) and makes the task runnable.
 */
#include <arch/arch.h>
#include <ipi/port.h>
#include <kernel/cdt.h>
#include <kernel/cnode.h>
#include <kernel/core.h>
#include <kernel/root_devices.h>
#include <kernel/string.h>
#include <kernel/thread.h>
#include <kernel/vspace.h>
#include <tessera/bootinfo.h>
#include <tessera/objects.h>

#define ROOT_STACK_PAGES 4
#define PAGE 4096ull
#define ROOT_ASID 1
#define ROOT_SLOTS (1u << TESSERA_ROOT_CNODE_BITS)

static struct cte *root_slots;
static unsigned next_slot = TESSERA_SLOT_FIRST_FREE_FIXED;

static void install(unsigned slot, struct cap cap)
{
        cdt_insert(NULL, &root_slots[slot], &cap);
}

static struct cap frame_cap(uint64_t pa, uint64_t vaddr, unsigned rights)
{
        return (struct cap){ .type = CAP_FRAME, .rights = (uint8_t)rights,
                             .size_bits = TESSERA_FRAME_4K_BITS, .flags = CAP_FLAG_MAPPED,
                             .object = (uint64_t)(uintptr_t)arch_pa_to_kva(pa),
                             .data = vaddr, .aux = ROOT_ASID };
}

static unsigned tessera_rights(unsigned map_rights)
{
        return TESSERA_RIGHT_READ | ((map_rights & ARCH_MAP_WRITE) ? TESSERA_RIGHT_WRITE : 0);
}

static uint64_t alloc_table(void *cookie)
{
        (void)cookie;
        return boot_alloc(PAGE, PAGE);
}

static uint64_t root_table;            /* PA of the root task's level-0 table */

static int map_range(struct tcb *t, uint64_t vaddr, uint64_t pa, uint64_t size, unsigned rights)
{
        for (uint64_t off = 0; off < size; off += PAGE)
                if (arch_vspace_map_page(root_table, vaddr + off, pa + off, rights,
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

/* One frame cap per page of the image, in consecutive slots. */
static void install_image_frames(const struct plat_boot *b, struct tessera_bootinfo *info)
{
        info->image_frames.start = next_slot;
        for (unsigned i = 0; i < b->root_segment_count; i++) {
                const struct plat_segment *s = &b->root_segments[i];

                for (uint64_t off = 0; off < s->size && next_slot < ROOT_SLOTS; off += PAGE)
                        install(next_slot++, frame_cap(s->paddr + off, s->vaddr + off,
                                                       tessera_rights(s->rights)));
        }
        info->image_frames.end = next_slot;
}

static unsigned floor_log2(uint64_t v)
{
        return 63 - (unsigned)__builtin_clzll(v);
}

/* Everything above the boot watermark, as the largest power-of-two blocks that
 * tile it, aligned both physically (frames must be) and in the kernel window,
 * where cap objects live: the two agree only up to 2 MiB, since the window
 * starts at this core's 2 MiB-aligned base. Its memory is not yet cleared: the first Retype of
 * each untyped clears it, in preemptible steps. */
static void install_untyped(const struct plat_boot *b, struct tessera_bootinfo *info)
{
        uint64_t base = (boot_alloc_used_end() + PAGE - 1) & ~(PAGE - 1);
        uint64_t end = b->memory_base + b->memory_size;

        info->untyped.start = next_slot;
        while (base < end && info->untyped_count < TESSERA_BOOTINFO_MAX_UNTYPED &&
               next_slot < ROOT_SLOTS) {
                uint64_t kva = (uint64_t)(uintptr_t)arch_pa_to_kva(base);
                unsigned bits = floor_log2(end - base);

                if (__builtin_ctzll(base) < (int)bits)
                        bits = (unsigned)__builtin_ctzll(base);
                if (__builtin_ctzll(kva) < (int)bits)
                        bits = (unsigned)__builtin_ctzll(kva);
                if (bits > TESSERA_UNTYPED_MAX_BITS)
                        bits = TESSERA_UNTYPED_MAX_BITS;
                install(next_slot++, cap_untyped(kva, bits, false));
                info->untyped_list[info->untyped_count++] =
                        (struct tessera_untyped_desc){ .paddr = base, .size_bits = (uint8_t)bits };
                base += 1ull << bits;
        }
        info->untyped.end = next_slot;
}

static int make_cspace(struct tcb *t, uint64_t bootinfo_pa, uint64_t ipc_pa)
{
        uint64_t cnode_pa = boot_alloc((uint64_t)ROOT_SLOTS << TESSERA_SLOT_BITS,
                                       (uint64_t)ROOT_SLOTS << TESSERA_SLOT_BITS);

        if (!cnode_pa)
                return -1;
        root_slots = arch_pa_to_kva(cnode_pa);
        install(TESSERA_SLOT_CNODE, cap_cnode((uint64_t)(uintptr_t)root_slots, TESSERA_ROOT_CNODE_BITS,
                                              0, 64 - TESSERA_ROOT_CNODE_BITS));
        install(TESSERA_SLOT_TCB, (struct cap){ .type = CAP_TCB, .rights = TESSERA_RIGHTS_ALL,
                                                .size_bits = TESSERA_TCB_BITS,
                                                .object = (uint64_t)(uintptr_t)t });
        install(TESSERA_SLOT_VSPACE, (struct cap){ .type = CAP_VSPACE, .rights = TESSERA_RIGHTS_ALL,
                                                   .size_bits = TESSERA_TABLE_BITS,
                                                   .flags = CAP_FLAG_MAPPED, .data = ROOT_ASID,
                                                   .object = (uint64_t)(uintptr_t)arch_pa_to_kva(root_table) });
        install(TESSERA_SLOT_IRQ_CONTROL, (struct cap){ .type = CAP_IRQ_CONTROL, .rights = TESSERA_RIGHTS_ALL });
        install(TESSERA_SLOT_ASID_CONTROL, (struct cap){ .type = CAP_ASID_CONTROL, .rights = TESSERA_RIGHTS_ALL });
        install(TESSERA_SLOT_BOOTINFO_FRAME, frame_cap(bootinfo_pa, TESSERA_ROOT_BOOTINFO_VADDR,
                                                       TESSERA_RIGHT_READ));
        install(TESSERA_SLOT_IPC_BUFFER, frame_cap(ipc_pa, TESSERA_ROOT_IPC_BUFFER_VADDR,
                                                   TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE));
        return 0;
}

/* The thread's own slots hold copies of its CSpace, VSpace and IPC buffer
 * caps, as TCB_Configure would make them. */
static void configure_root(struct tcb *t)
{
        struct cap ipc = root_slots[TESSERA_SLOT_IPC_BUFFER].cap;

        ipc.flags &= ~CAP_FLAG_MAPPED;
        ipc.data = ipc.aux = 0;
        cdt_insert(&root_slots[TESSERA_SLOT_CNODE], &t->slots[TCB_SLOT_CSPACE],
                   &root_slots[TESSERA_SLOT_CNODE].cap);
        cdt_insert(&root_slots[TESSERA_SLOT_VSPACE], &t->slots[TCB_SLOT_VSPACE],
                   &root_slots[TESSERA_SLOT_VSPACE].cap);
        cdt_insert(&root_slots[TESSERA_SLOT_IPC_BUFFER], &t->slots[TCB_SLOT_IPC_BUFFER], &ipc);
}

/* One cap per IPI port, in plat_boot's order, each described in ports[]:
 * a send cap (unbadged) per port this core may signal, a port cap per port
 * it receives on. Indexes into shared[] are plat_boot's, as above. */
static void install_ipi_caps(const struct plat_boot *b, struct tessera_bootinfo *info)
{
        for (unsigned i = 0; i < b->port_count && i < TESSERA_BOOTINFO_MAX_PORTS &&
                             next_slot < ROOT_SLOTS; i++) {
                const struct plat_port *p = &b->ports[i];

                install(next_slot, ipi_root_cap(p));
                info->ports[info->port_count++] = (struct tessera_port_desc){
                        .send = p->send, .peer_core = p->peer_core, .port = p->port,
                        .shared_index = p->shared_index, .slot = next_slot++ };
        }
}

/* The boot-info page last: it describes every slot made before it. */
static int fill_bootinfo(struct tcb *t, const struct plat_boot *b, uint64_t ipc_pa)
{
        uint64_t pa = map_fresh(t, TESSERA_ROOT_BOOTINFO_VADDR, 1, ARCH_MAP_READ);
        struct tessera_bootinfo *info;

        if (!pa || make_cspace(t, pa, ipc_pa) != 0)
                return -1;
        info = arch_pa_to_kva(pa);
        info->magic = TESSERA_BOOTINFO_MAGIC;
        info->core_id = b->core_id;
        info->core_count = b->core_count;
        install_image_frames(b, info);
        install_untyped(b, info);
        next_slot = root_install_device_untyped(root_slots, next_slot, b, info);
        next_slot = root_install_shared_frames(root_slots, next_slot, b, info);
        install_ipi_caps(b, info);
        configure_root(t);
        info->empty = (struct tessera_slots){ next_slot, ROOT_SLOTS };
        return 0;
}

int root_task_create(void)
{
        const struct plat_boot *b = &core()->boot;
        struct tcb *t;
        uint64_t tcb_pa, ipc_pa;

        boot_alloc_init(image_end(b), b->memory_base + b->memory_size);
        tcb_pa = boot_alloc(1u << TESSERA_TCB_BITS, 1u << TESSERA_TCB_BITS);
        if (!tcb_pa)
                return -1;
        t = arch_pa_to_kva(tcb_pa);
        root_table = boot_alloc(PAGE, PAGE);
        if (!root_table)
                return -1;
        vspace_asid_bind(ROOT_ASID, root_table);
        for (unsigned i = 0; i < b->root_segment_count; i++)
                if (map_range(t, b->root_segments[i].vaddr, b->root_segments[i].paddr,
                              b->root_segments[i].size, b->root_segments[i].rights) != 0)
                        return -1;
        if (!map_fresh(t, TESSERA_ROOT_STACK_TOP - ROOT_STACK_PAGES * PAGE, ROOT_STACK_PAGES,
                       ARCH_MAP_READ | ARCH_MAP_WRITE))
                return -1;
        ipc_pa = map_fresh(t, TESSERA_ROOT_IPC_BUFFER_VADDR, 1, ARCH_MAP_READ | ARCH_MAP_WRITE);
        if (!ipc_pa || fill_bootinfo(t, b, ipc_pa) != 0)
                return -1;
        t->ipc_buffer_vaddr = TESSERA_ROOT_IPC_BUFFER_VADDR;
        arch_context_init(&t->ctx, b->root_entry, TESSERA_ROOT_STACK_TOP, TESSERA_ROOT_BOOTINFO_VADDR);
        kstrlcpy(t->name, "root", sizeof(t->name));
        t->priority = TESSERA_PRIORITY_COUNT - 1;
        t->mcp = TESSERA_PRIORITY_COUNT - 1;
        core()->root_thread = t;
        thread_make_runnable(t);
        return 0;
}
