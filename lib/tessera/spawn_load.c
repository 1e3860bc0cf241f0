/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A new process's address space (spawn.h): fresh frames for each loadable
 * segment, filled through the spawner's scratch page and then mapped into
 * the child with the segment's rights; the stack, the IPC buffer and the
 * shared frames. Page tables are made when a Frame Map answers
 * FAILED_LOOKUP (a table on the path is missing: the kernel then maps the
 * new one at the first level that lacks one), so no walk is repeated here.
 */
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/objects.h>
#include "invoke.h"
#include "spawn_internal.h"
#include "vspace.h"

#define TABLE_LEVELS 3                  /* levels 1-3 hang below the VSpace */

/* log2 of the span one table covers, per level 1..3 */
static const unsigned table_span_bits[TABLE_LEVELS] = { 39, 30, 21 };

/* Where new page tables go: the process's slot range, or (build NULL, for
 * the spawner's own scratch page) the allocator, to stay for good. */
struct table_source {
        struct tessera_alloc *alloc;
        struct spawn_build *build;
};

static int fail(struct spawn_build *b, const char *step, int err)
{
        if (err && !b->proc->failed)
                b->proc->failed = step;
        return err;
}

/* ---- sizes ----------------------------------------------------------- */

static uint64_t range_pages(uint64_t start, uint64_t end)
{
        return (end - start) / SPAWN_PAGE;
}

/* Tables that [start, end) could need, counting a shared one once per range. */
static uint64_t range_tables(uint64_t start, uint64_t end)
{
        uint64_t n = 0;

        for (unsigned i = 0; i < TABLE_LEVELS; i++)
                n += ((end - 1) >> table_span_bits[i]) - (start >> table_span_bits[i]) + 1;
        return n;
}

uint64_t spawn_stack_floor(unsigned stack_pages)
{
        return TESSERA_ROOT_STACK_TOP - (uint64_t)(stack_pages + 1) * SPAWN_PAGE;
}

uint64_t spawn_vspace_slots(const struct spawn_build *b)
{
        uint64_t stack = spawn_stack_floor(b->stack_pages) + SPAWN_PAGE, n = 0;
        uint64_t ipc = TESSERA_ROOT_IPC_BUFFER_VADDR;

        for (unsigned i = 0; i < b->image.count; i++) {
                uint64_t start, end;

                tessera_elf_segment_pages(&b->image.segments[i], &start, &end);
                n += range_pages(start, end) + range_tables(start, end);
        }
        n += b->stack_pages + range_tables(stack, TESSERA_ROOT_STACK_TOP);
        n += 1 + range_tables(ipc, ipc + SPAWN_PAGE);
        for (unsigned i = 0; i < b->args->share_count; i++) {
                uint64_t v = b->args->shares[i].vaddr;

                n += 1 + range_tables(v, v + SPAWN_PAGE);
        }
        return n;
}

/* ---- mapping --------------------------------------------------------- */

static int new_table(const struct table_source *src, uint64_t *slot)
{
        struct spawn_build *b = src->build;
        int err;

        if (!b)
                return tessera_alloc_object(src->alloc, TESSERA_OBJ_PAGE_TABLE, 0, slot);
        if (b->next >= b->proc->first_slot + b->proc->slot_count)
                return TESSERA_ERR_NOT_ENOUGH_MEMORY;
        err = tessera_alloc_retype(src->alloc, TESSERA_OBJ_PAGE_TABLE, 0, b->next, 1);
        if (!err)
                *slot = b->next++;
        return err;
}

static void drop_table(const struct table_source *src, uint64_t slot)
{
        tessera_cnode_delete(SPAWN_ROOT, slot, SPAWN_ROOT_DEPTH);
        if (src->build)
                src->build->next--;
        else
                tessera_alloc_free_slot(src->alloc, slot);
}

static int add_table(const struct table_source *src, uint64_t vspace, uint64_t vaddr)
{
        uint64_t slot;
        int err = new_table(src, &slot);

        if (err)
                return err;
        err = tessera_page_table_map(slot, vspace, vaddr);
        if (err)
                drop_table(src, slot);
        return err;
}

/* Frame Map, adding the missing tables on the path one level at a time. */
static int map_frame(const struct table_source *src, uint64_t vspace, uint64_t frame,
                     uint64_t vaddr, unsigned rights, unsigned attrs)
{
        int err = tessera_frame_map(frame, vspace, vaddr, rights, attrs);

        for (unsigned i = 0; i < TABLE_LEVELS && err == TESSERA_ERR_FAILED_LOOKUP; i++) {
                err = add_table(src, vspace, vaddr);
                if (!err)
                        err = tessera_frame_map(frame, vspace, vaddr, rights, attrs);
        }
        return err;
}

int tessera_spawn_map_own(struct tessera_alloc *a, uint64_t frame, uint64_t vaddr,
                          unsigned rights, unsigned attrs)
{
        struct table_source own = { a, 0 };

        return map_frame(&own, TESSERA_SLOT_VSPACE, frame, vaddr, rights, attrs);
}

static int map_child(struct spawn_build *b, uint64_t frame, uint64_t vaddr, unsigned rights,
                     unsigned attrs)
{
        struct table_source child = { b->alloc, b };

        return map_frame(&child, b->proc->vspace, frame, vaddr, rights, attrs);
}

/* ---- the image ------------------------------------------------------- */

static void fill_bytes(uint8_t *dst, uint64_t n, const uint8_t *src)
{
        for (uint64_t i = 0; i < n; i++)
                dst[i] = src ? src[i] : 0;
}

/* The page at `va` of segment s, as the program expects it: file bytes where
 * the segment has them, zero elsewhere. */
static void fill_page(uint8_t *page, uint64_t va, const struct tessera_elf_segment *s,
                      const uint8_t *elf)
{
        uint64_t lo = s->vaddr > va ? s->vaddr : va;
        uint64_t hi = s->vaddr + s->filesz < va + SPAWN_PAGE ? s->vaddr + s->filesz : va + SPAWN_PAGE;

        if (lo >= hi) {
                fill_bytes(page, SPAWN_PAGE, 0);
                return;
        }
        fill_bytes(page, lo - va, 0);
        fill_bytes(page + (lo - va), hi - lo, elf + s->offset + (lo - s->vaddr));
        fill_bytes(page + (hi - va), va + SPAWN_PAGE - hi, 0);
}

/* Map the frame at the scratch page, fill it, unmap it. */
static int fill_frame(struct spawn_build *b, uint64_t frame, uint64_t va,
                      const struct tessera_elf_segment *s)
{
        int err = tessera_spawn_map_own(b->alloc, frame, TESSERA_SPAWN_SCRATCH_VADDR,
                                        TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, TESSERA_FRAME_CACHED);

        if (err)
                return fail(b, "map a frame at the scratch page", err);
        fill_page((uint8_t *)(uintptr_t)TESSERA_SPAWN_SCRATCH_VADDR, va, s, b->args->elf);
        return fail(b, "unmap the scratch page", tessera_frame_unmap(frame));
}

/* `count` fresh frames in the range's next slots; the first in *first. */
static int new_frames(struct spawn_build *b, uint64_t count, uint64_t *first)
{
        int err = tessera_alloc_retype(b->alloc, TESSERA_OBJ_FRAME_4K, 0, b->next, count);

        if (err)
                return fail(b, "retype frames", err);
        *first = b->next;
        b->next += count;
        return TESSERA_OK;
}

static int load_segment(struct spawn_build *b, const struct tessera_elf_segment *s)
{
        unsigned rights = TESSERA_RIGHT_READ | ((s->flags & TESSERA_ELF_W) ? TESSERA_RIGHT_WRITE : 0);
        unsigned attrs = (s->flags & TESSERA_ELF_X) ? TESSERA_FRAME_EXECUTE : TESSERA_FRAME_CACHED;
        uint64_t va, end, first;

        tessera_elf_segment_pages(s, &va, &end);
        while (va < end) {
                uint64_t chunk = range_pages(va, end);
                int err;

                if (chunk > TESSERA_ALLOC_MAX_RETYPE)
                        chunk = TESSERA_ALLOC_MAX_RETYPE;
                err = new_frames(b, chunk, &first);
                for (uint64_t i = 0; !err && i < chunk; i++, va += SPAWN_PAGE) {
                        err = fill_frame(b, first + i, va, s);
                        if (!err)
                                err = map_child(b, first + i, va, rights, attrs);
                }
                err = fail(b, "map a segment", err);
                if (err)
                        return err;
        }
        return TESSERA_OK;
}

/* ---- stack, IPC buffer, shares --------------------------------------- */

/* Fresh frames come cleared from the kernel: nothing to copy. */
static int map_stack(struct spawn_build *b)
{
        uint64_t base = spawn_stack_floor(b->stack_pages) + SPAWN_PAGE, first;
        int err = new_frames(b, b->stack_pages, &first);

        for (unsigned i = 0; !err && i < b->stack_pages; i++)
                err = fail(b, "map the stack",
                           map_child(b, first + i, base + i * SPAWN_PAGE,
                                     TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, TESSERA_FRAME_CACHED));
        return err;
}

static int map_ipc_buffer(struct spawn_build *b)
{
        int err = new_frames(b, 1, &b->ipc_frame);

        if (err)
                return err;
        return fail(b, "map the IPC buffer",
                    map_child(b, b->ipc_frame, TESSERA_ROOT_IPC_BUFFER_VADDR,
                              TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, TESSERA_FRAME_CACHED));
}

/* A copy of each shared frame's cap, mapped in the child. */
static int map_shares(struct spawn_build *b)
{
        for (unsigned i = 0; i < b->args->share_count; i++) {
                const struct tessera_spawn_share *s = &b->args->shares[i];
                uint64_t slot = b->next++;
                int err = tessera_cnode_copy(SPAWN_ROOT, slot, SPAWN_ROOT_DEPTH, SPAWN_ROOT, s->frame,
                                             SPAWN_ROOT_DEPTH, s->rights);

                if (!err)
                        err = map_child(b, slot, s->vaddr, s->rights, TESSERA_FRAME_CACHED);
                if (err)
                        return fail(b, "share a frame", err);
        }
        return TESSERA_OK;
}

int spawn_load(struct spawn_build *b)
{
        int err = TESSERA_OK;

        for (unsigned i = 0; !err && i < b->image.count; i++)
                err = load_segment(b, &b->image.segments[i]);
        if (!err)
                err = map_stack(b);
        if (!err)
                err = map_ipc_buffer(b);
        if (!err)
                err = map_shares(b);
        return err;
}
