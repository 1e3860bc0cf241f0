/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Slot and object allocation over the root task's boot info (alloc.h). The
 * slot bitmap has one bit per slot of the root CNode; slots outside the
 * managed range stay marked used, so no search can return them. Objects are
 * placed by the kernel exactly as untyped.c does (the free index aligned up
 * to the object's size); the allocator mirrors that to guess where room is.
 */
#include <tessera/errors.h>
#include <tessera/objects.h>
#include "alloc.h"
#include "invoke.h"

#define MAP_WORDS (TESSERA_ALLOC_MAX_SLOTS / 64)

static int slot_used(const struct tessera_alloc *a, uint64_t slot)
{
        return (a->used_map[slot / 64] >> (slot % 64)) & 1;
}

static void slot_mark(struct tessera_alloc *a, uint64_t slot, int used)
{
        uint64_t bit = 1ull << (slot % 64);

        if (used)
                a->used_map[slot / 64] |= bit;
        else
                a->used_map[slot / 64] &= ~bit;
}

static void init_untypeds(struct tessera_alloc *a, const struct tessera_bootinfo *bi)
{
        unsigned count = bi->untyped_count;

        if (count > TESSERA_BOOTINFO_MAX_UNTYPED)
                count = TESSERA_BOOTINFO_MAX_UNTYPED;
        a->untyped_count = 0;
        for (unsigned i = 0; i < count && bi->untyped.start + i < bi->untyped.end; i++) {
                const struct tessera_untyped_desc *d = &bi->untyped_list[i];

                /* Device memory makes frames for devices only, never kernel objects. */
                if (d->is_device || d->size_bits > TESSERA_UNTYPED_MAX_BITS)
                        continue;
                a->untyped[a->untyped_count++] = (struct tessera_alloc_untyped){
                        .slot = bi->untyped.start + i, .size_bits = d->size_bits };
        }
}

void tessera_alloc_init(struct tessera_alloc *a, const struct tessera_bootinfo *bi)
{
        a->cnode = TESSERA_SLOT_CNODE;
        a->first = bi->empty.start;
        a->end = bi->empty.end < TESSERA_ALLOC_MAX_SLOTS ? bi->empty.end : TESSERA_ALLOC_MAX_SLOTS;
        if (a->first == TESSERA_SLOT_NULL)
                a->first = 1;           /* slot 0 means "none" to the callers */
        if (a->first > a->end)
                a->first = a->end;
        for (unsigned i = 0; i < MAP_WORDS; i++)
                a->used_map[i] = ~0ull;
        for (uint64_t s = a->first; s < a->end; s++)
                slot_mark(a, s, 0);
        a->free_slots = a->end - a->first;
        init_untypeds(a, bi);
}

uint64_t tessera_alloc_slots(struct tessera_alloc *a, uint64_t count)
{
        uint64_t run = 0;

        if (count == 0 || count > a->free_slots)
                return 0;
        for (uint64_t s = a->first; s < a->end; s++) {
                run = slot_used(a, s) ? 0 : run + 1;
                if (run == count) {
                        uint64_t first = s + 1 - count;

                        for (uint64_t i = first; i <= s; i++)
                                slot_mark(a, i, 1);
                        a->free_slots -= count;
                        return first;
                }
        }
        return 0;
}

uint64_t tessera_alloc_slot(struct tessera_alloc *a)
{
        return tessera_alloc_slots(a, 1);
}

void tessera_alloc_free_slots(struct tessera_alloc *a, uint64_t first, uint64_t count)
{
        for (uint64_t s = first; s - first < count; s++) {
                if (s < a->first || s >= a->end || !slot_used(a, s))
                        continue;
                slot_mark(a, s, 0);
                a->free_slots++;
        }
}

void tessera_alloc_free_slot(struct tessera_alloc *a, uint64_t slot)
{
        tessera_alloc_free_slots(a, slot, 1);
}

unsigned tessera_alloc_object_bits(unsigned type, unsigned size_bits)
{
        switch (type) {
        case TESSERA_OBJ_UNTYPED: return size_bits;
        case TESSERA_OBJ_TCB: return TESSERA_TCB_BITS;
        case TESSERA_OBJ_ENDPOINT: return TESSERA_ENDPOINT_BITS;
        case TESSERA_OBJ_NOTIFICATION: return TESSERA_NOTIFICATION_BITS;
        case TESSERA_OBJ_CNODE: return size_bits + TESSERA_SLOT_BITS;
        case TESSERA_OBJ_REPLY: return TESSERA_REPLY_BITS;
        case TESSERA_OBJ_FRAME_4K: return TESSERA_FRAME_4K_BITS;
        case TESSERA_OBJ_FRAME_2M: return TESSERA_FRAME_2M_BITS;
        case TESSERA_OBJ_VSPACE: return TESSERA_TABLE_BITS;
        case TESSERA_OBJ_PAGE_TABLE: return TESSERA_TABLE_BITS;
        default: return 0;
        }
}

/* Where the kernel would put `count` objects of 2^bits bytes if the free
 * index were `used`: the offset, or the untyped's size when they do not fit. */
static uint64_t untyped_place(const struct tessera_alloc_untyped *u, unsigned bits, uint64_t count)
{
        uint64_t size = 1ull << u->size_bits, align = 1ull << bits;
        uint64_t first = (u->used + align - 1) & ~(align - 1);

        if (bits > u->size_bits || first < u->used || first > size || count > (size - first) >> bits)
                return size;
        return first;
}

static int untyped_fits(const struct tessera_alloc_untyped *u, unsigned bits, uint64_t count)
{
        return untyped_place(u, bits, count) < (1ull << u->size_bits);
}

/* The smallest untyped the estimate says has room: big ones stay whole for
 * big objects. NULL when none. */
static struct tessera_alloc_untyped *best_fit(struct tessera_alloc *a, unsigned bits, uint64_t count)
{
        struct tessera_alloc_untyped *best = 0;

        for (unsigned i = 0; i < a->untyped_count; i++) {
                struct tessera_alloc_untyped *u = &a->untyped[i];

                if (untyped_fits(u, bits, count) && (!best || u->size_bits < best->size_bits))
                        best = u;
        }
        return best;
}

static int retype_from(struct tessera_alloc *a, const struct tessera_alloc_untyped *u,
                       unsigned type, unsigned size_bits, uint64_t dest, uint64_t count)
{
        return tessera_untyped_retype(u->slot, type, size_bits, a->cnode, dest, count);
}

/* The estimate is right or too low: try the best fits, marking each refusal full. */
static int retype_estimated(struct tessera_alloc *a, unsigned type, unsigned size_bits,
                            unsigned bits, uint64_t dest, uint64_t count)
{
        struct tessera_alloc_untyped *u;

        while ((u = best_fit(a, bits, count)) != 0) {
                uint64_t first = untyped_place(u, bits, count);
                int err = retype_from(a, u, type, size_bits, dest, count);

                if (err == TESSERA_OK)
                        u->used = first + (count << bits);
                if (err != TESSERA_ERR_NOT_ENOUGH_MEMORY)
                        return err;
                u->used = 1ull << u->size_bits;
        }
        return TESSERA_ERR_NOT_ENOUGH_MEMORY;
}

/* The estimate was too high for an untyped that the kernel has since reset
 * (its objects all gone): it places from offset 0 again. */
static int retype_reset(struct tessera_alloc *a, unsigned type, unsigned size_bits,
                        unsigned bits, uint64_t dest, uint64_t count)
{
        for (unsigned i = 0; i < a->untyped_count; i++) {
                struct tessera_alloc_untyped *u = &a->untyped[i];
                int err;

                if (bits > u->size_bits || count > (1ull << u->size_bits) >> bits)
                        continue;
                err = retype_from(a, u, type, size_bits, dest, count);
                if (err == TESSERA_OK)
                        u->used = count << bits;
                if (err != TESSERA_ERR_NOT_ENOUGH_MEMORY)
                        return err;
        }
        return TESSERA_ERR_NOT_ENOUGH_MEMORY;
}

int tessera_alloc_retype(struct tessera_alloc *a, unsigned type, unsigned size_bits,
                         uint64_t dest, uint64_t count)
{
        unsigned bits = tessera_alloc_object_bits(type, size_bits);
        int err;

        if (type >= TESSERA_OBJ_TYPE_COUNT)
                return TESSERA_ERR_INVALID_ARGUMENT;
        if (bits == 0 || bits > TESSERA_UNTYPED_MAX_BITS)
                return TESSERA_ERR_RANGE;
        if (count == 0 || count > TESSERA_ALLOC_MAX_RETYPE)
                return TESSERA_ERR_RANGE;
        err = retype_estimated(a, type, size_bits, bits, dest, count);
        if (err == TESSERA_ERR_NOT_ENOUGH_MEMORY)
                err = retype_reset(a, type, size_bits, bits, dest, count);
        return err;
}

int tessera_alloc_object(struct tessera_alloc *a, unsigned type, unsigned size_bits,
                         uint64_t *slot)
{
        uint64_t s = tessera_alloc_slot(a);
        int err;

        if (!s)
                return TESSERA_ERR_NOT_ENOUGH_MEMORY;
        err = tessera_alloc_retype(a, type, size_bits, s, 1);
        if (err) {
                tessera_alloc_free_slot(a, s);
                return err;
        }
        *slot = s;
        return TESSERA_OK;
}
