/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests for the user runtime's allocator (lib/tessera/alloc.c) against
 * a model of the kernel's Retype (placement at the free index aligned up,
 * NOT_ENOUGH_MEMORY, DELETE_FIRST, the reset of an untyped whose children
 * are all gone): slot runs, first fit and frees; objects from the smallest
 * untyped with room, never from device memory; moving on when the kernel
 * refuses; finding an untyped the kernel has emptied; and a random run of
 * slot allocations checked against a plain array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/errors.h>
#include <tessera/objects.h>
#include <tessera/alloc.h>
#include <tessera/invoke.h>

#define EMPTY_START 100
#define UT_SLOT     10

static unsigned checks, failures;

static void check(int ok, const char *what)
{
        checks++;
        failures += !ok;
        printf("%sok %u - %s\n", ok ? "" : "not ", checks, what);
}

/* ---- the kernel, modelled --------------------------------------------- */

struct model_untyped {
        unsigned bits;
        int device;
        uint64_t free;          /* the kernel's free index */
        unsigned children;
};

static const unsigned untyped_bits[] = { 20, 12, 16, 21, 14 };
static struct model_untyped untypeds[5];
static uint8_t slot_full[TESSERA_ALLOC_MAX_SLOTS];
static int slot_parent[TESSERA_ALLOC_MAX_SLOTS];
static unsigned retype_calls, device_calls;
static int last_untyped;

static unsigned model_bits(unsigned type, unsigned size_bits)
{
        static const unsigned fixed[TESSERA_OBJ_TYPE_COUNT] = {
                [TESSERA_OBJ_TCB] = 11, [TESSERA_OBJ_ENDPOINT] = 4, [TESSERA_OBJ_NOTIFICATION] = 5,
                [TESSERA_OBJ_REPLY] = 5, [TESSERA_OBJ_FRAME_4K] = 12, [TESSERA_OBJ_FRAME_2M] = 21,
                [TESSERA_OBJ_VSPACE] = 12, [TESSERA_OBJ_PAGE_TABLE] = 12,
        };

        if (type == TESSERA_OBJ_UNTYPED)
                return size_bits;
        return type == TESSERA_OBJ_CNODE ? size_bits + 6 : fixed[type];
}

int tessera_untyped_retype(uint64_t untyped, unsigned type, unsigned size_bits,
                           uint64_t dest_cnode, uint64_t first_slot, uint64_t count)
{
        struct model_untyped *u;
        uint64_t free, first, bits;

        retype_calls++;
        if (untyped < UT_SLOT || untyped >= UT_SLOT + 5 || dest_cnode != 2)
                return TESSERA_ERR_INVALID_CAPABILITY;
        u = &untypeds[untyped - UT_SLOT];
        device_calls += u->device;
        last_untyped = (int)(untyped - UT_SLOT);
        if (type >= TESSERA_OBJ_TYPE_COUNT)
                return TESSERA_ERR_INVALID_ARGUMENT;
        bits = model_bits(type, size_bits);
        if (first_slot + count > TESSERA_ALLOC_MAX_SLOTS)
                return TESSERA_ERR_RANGE;
        for (uint64_t i = 0; i < count; i++)
                if (slot_full[first_slot + i])
                        return TESSERA_ERR_DELETE_FIRST;
        free = u->children ? u->free : 0;
        first = (free + (1ull << bits) - 1) & ~((1ull << bits) - 1);
        if (bits > u->bits || first + (count << bits) > 1ull << u->bits)
                return TESSERA_ERR_NOT_ENOUGH_MEMORY;
        for (uint64_t i = 0; i < count; i++) {
                slot_full[first_slot + i] = 1;
                slot_parent[first_slot + i] = (int)(untyped - UT_SLOT);
        }
        u->free = first + (count << bits);
        u->children += (unsigned)count;
        return TESSERA_OK;
}

static void model_delete(uint64_t slot)
{
        if (slot_full[slot]) {
                untypeds[slot_parent[slot]].children--;
                slot_full[slot] = 0;
        }
}

static void model_reset(struct tessera_bootinfo *bi, int device_index)
{
        memset(bi, 0, sizeof(*bi));
        memset(slot_full, 0, sizeof(slot_full));
        bi->empty = (struct tessera_slots){ EMPTY_START, TESSERA_ALLOC_MAX_SLOTS + 50 };
        bi->untyped = (struct tessera_slots){ UT_SLOT, UT_SLOT + 5 };
        bi->untyped_count = 5;
        for (int i = 0; i < 5; i++) {
                untypeds[i] = (struct model_untyped){ untyped_bits[i], i == device_index, 0, 0 };
                bi->untyped_list[i] = (struct tessera_untyped_desc){
                        .paddr = 0x40000000ull + ((uint64_t)i << 24), .size_bits = (uint8_t)untyped_bits[i],
                        .is_device = i == device_index };
        }
        retype_calls = device_calls = 0;
}

/* ---- slots ------------------------------------------------------------ */

static void test_slots(void)
{
        struct tessera_bootinfo bi;
        struct tessera_alloc a;
        uint64_t free_count;

        model_reset(&bi, -1);
        tessera_alloc_init(&a, &bi);
        check(a.first == EMPTY_START && a.end == TESSERA_ALLOC_MAX_SLOTS &&
              a.free_slots == TESSERA_ALLOC_MAX_SLOTS - EMPTY_START,
              "the empty range, cut to the root CNode, is managed");
        check(tessera_alloc_slot(&a) == 100, "the first slot comes first");
        check(tessera_alloc_slots(&a, 5) == 101, "a run of five follows it");
        tessera_alloc_free_slots(&a, 102, 2);
        check(tessera_alloc_slots(&a, 2) == 102, "a freed hole is reused by a run that fits");
        check(tessera_alloc_slots(&a, 3) == 106, "a longer run goes past the hole");
        check(tessera_alloc_slots(&a, 0) == 0 && tessera_alloc_slots(&a, 5000) == 0,
              "runs of 0 or more than are free: none");
        free_count = a.free_slots;
        tessera_alloc_free_slot(&a, 5);
        tessera_alloc_free_slot(&a, 5000);
        tessera_alloc_free_slots(&a, 4000, 200);
        check(a.free_slots == free_count, "freeing slots not handed out changes nothing");
        check(tessera_alloc_slots(&a, a.free_slots) == 109, "the rest in one run");
        check(tessera_alloc_slot(&a) == 0 && a.free_slots == 0, "then nothing is left");
}

/* Random runs allocated and freed, against an array of owners. */
static void test_random_slots(void)
{
        static int owner[TESSERA_ALLOC_MAX_SLOTS];
        struct tessera_bootinfo bi;
        struct tessera_alloc a;
        unsigned seed = 7, ok = 1;
        uint64_t free_count = TESSERA_ALLOC_MAX_SLOTS - EMPTY_START;

        model_reset(&bi, -1);
        tessera_alloc_init(&a, &bi);
        memset(owner, 0, sizeof(owner));
        for (int op = 1; op < 20000 && ok; op++) {
                uint64_t n, first;

                seed = seed * 1103515245u + 12345u;
                n = 1 + (seed >> 8) % 40;
                if ((seed >> 20) % 3) {
                        first = tessera_alloc_slots(&a, n);
                        for (uint64_t s = first; first && s < first + n; s++) {
                                ok &= s >= EMPTY_START && s < TESSERA_ALLOC_MAX_SLOTS && !owner[s];
                                owner[s] = op;
                        }
                        free_count -= first ? n : 0;
                } else {
                        first = EMPTY_START + (seed >> 4) % (TESSERA_ALLOC_MAX_SLOTS - EMPTY_START);
                        for (uint64_t s = first; s < first + n && s < TESSERA_ALLOC_MAX_SLOTS; s++)
                                free_count -= owner[s] ? 0 : 1;
                        tessera_alloc_free_slots(&a, first, n);
                        for (uint64_t s = first; s < first + n && s < TESSERA_ALLOC_MAX_SLOTS; s++)
                                owner[s] = 0;
                        free_count += n > TESSERA_ALLOC_MAX_SLOTS - first ? TESSERA_ALLOC_MAX_SLOTS - first : n;
                }
                ok &= a.free_slots == free_count;
        }
        check(ok, "20000 random runs and frees: never a slot twice, the free count exact");
}

/* ---- objects ---------------------------------------------------------- */

static void test_objects(void)
{
        struct tessera_bootinfo bi;
        struct tessera_alloc a;
        uint64_t slot, free_count;
        unsigned calls;

        model_reset(&bi, 4);
        tessera_alloc_init(&a, &bi);
        check(a.untyped_count == 4, "the device untyped is left out");
        check(tessera_alloc_object(&a, TESSERA_OBJ_TCB, 0, &slot) == TESSERA_OK && last_untyped == 1,
              "a TCB comes from the smallest untyped");
        check(tessera_alloc_object(&a, TESSERA_OBJ_TCB, 0, &slot) == TESSERA_OK && last_untyped == 1,
              "a second one still fits there");
        check(tessera_alloc_object(&a, TESSERA_OBJ_TCB, 0, &slot) == TESSERA_OK && last_untyped == 2,
              "a third goes to the next smallest");
        check(tessera_alloc_object(&a, TESSERA_OBJ_FRAME_2M, 0, &slot) == TESSERA_OK && last_untyped == 3,
              "a 2 MiB frame goes to the only untyped that holds one");
        free_count = a.free_slots;
        check(tessera_alloc_object(&a, TESSERA_OBJ_FRAME_2M, 0, &slot) == TESSERA_ERR_NOT_ENOUGH_MEMORY,
              "a second 2 MiB frame: NOT_ENOUGH_MEMORY");
        check(a.free_slots == free_count, "its slot is given back");
        check(device_calls == 0, "device memory was never asked");
        calls = retype_calls;
        check(tessera_alloc_object(&a, 99, 0, &slot) == TESSERA_ERR_INVALID_ARGUMENT &&
              tessera_alloc_retype(&a, TESSERA_OBJ_ENDPOINT, 0, 500, 0) == TESSERA_ERR_RANGE &&
              tessera_alloc_retype(&a, TESSERA_OBJ_ENDPOINT, 0, 500, 257) == TESSERA_ERR_RANGE &&
              tessera_alloc_retype(&a, TESSERA_OBJ_CNODE, 50, 500, 1) == TESSERA_ERR_RANGE,
              "an unknown type, a bad count, a size beyond any untyped: refused here");
        check(retype_calls == calls, "without asking the kernel");
        check(tessera_alloc_retype(&a, TESSERA_OBJ_FRAME_4K, 0, 600, 256) == TESSERA_OK &&
              slot_full[600] && slot_full[855], "256 frames into the caller's slots at once");
}

/* The kernel's answer decides when the estimate is wrong. */
static void test_kernel_decides(void)
{
        struct tessera_bootinfo bi;
        struct tessera_alloc a;
        uint64_t slot, next, free_count;

        model_reset(&bi, -1);
        tessera_alloc_init(&a, &bi);
        /* Someone else fills the smallest untyped, into a slot not managed here. */
        tessera_untyped_retype(UT_SLOT + 1, TESSERA_OBJ_FRAME_4K, 0, 2, 50, 1);
        retype_calls = 0;
        check(tessera_alloc_object(&a, TESSERA_OBJ_TCB, 0, &slot) == TESSERA_OK && last_untyped == 4 &&
              retype_calls == 2, "an untyped filled behind its back: NOT_ENOUGH_MEMORY, then the next best");
        next = tessera_alloc_slot(&a);
        tessera_alloc_free_slot(&a, next);
        slot_full[next] = 1;
        free_count = a.free_slots;
        check(tessera_alloc_object(&a, TESSERA_OBJ_ENDPOINT, 0, &slot) == TESSERA_ERR_DELETE_FIRST,
              "a destination slot that is full: the kernel's DELETE_FIRST comes back");
        check(a.free_slots == free_count, "and the slot is given back");
        slot_full[next] = 0;
        /* Every estimate says full; the kernel has room (untyped 0 was never used). */
        for (unsigned i = 0; i < a.untyped_count; i++)
                a.untyped[i].used = 1ull << a.untyped[i].size_bits;
        check(tessera_alloc_object(&a, TESSERA_OBJ_FRAME_4K, 0, &slot) == TESSERA_OK && last_untyped == 0,
              "all estimated full, but the kernel has room: asked anyway");
        check(a.untyped[0].used == 0x1000, "the estimate restarts from the untyped's base");
        model_delete(50);
        check(untypeds[1].children == 0, "the model: an untyped whose children are all gone");
        for (unsigned i = 0; i < a.untyped_count; i++)
                a.untyped[i].used = 1ull << a.untyped[i].size_bits;
        untypeds[0].free = 1ull << untypeds[0].bits;
        check(tessera_alloc_object(&a, TESSERA_OBJ_FRAME_4K, 0, &slot) == TESSERA_OK && last_untyped == 1,
              "is found again once the kernel has reset it");
}

int main(void)
{
        test_slots();
        test_random_slots();
        test_objects();
        test_kernel_decides();
        printf("1..%u\n", checks);
        return failures ? 1 : 0;
}
