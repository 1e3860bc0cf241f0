/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cross-core rendezvous for the test suite (suite.h), over the "suite"
 * channel's first page. Core k owns the 64-byte record at k * 64: it writes
 * its failure count, then the done word with release ordering; core 0 reads
 * the done word with acquire ordering, then the count. The mapping is made
 * at the end of the run, from slots at the top of the free range and the
 * smallest untyped with room, so the tests' own slots and Revokes never
 * touch it.
 */
#include <stdint.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/objects.h>
#include <tessera/syscall.h>
#include <tessera/invoke.h>
#include "suite.h"

#define SUITE_VADDR   0x20000000000ull          /* its own level-1 entry */
#define DONE_MAGIC    0x454e4f4454495553ull     /* "SUITDONE" */
#define WAIT_YIELDS   20000000u
#define ROOT          TESSERA_SLOT_CNODE
#define RECORD_WORDS  8

struct record {
        uint64_t done, failures, pad[RECORD_WORDS - 2];
};

static const struct tessera_shared_desc *suite_channel(const struct tessera_bootinfo *bi)
{
        static const char name[] = "suite";

        for (unsigned i = 0; i < bi->shared_count && i < TESSERA_BOOTINFO_MAX_SHARED; i++) {
                unsigned n = 0;

                while (n < sizeof(name) && bi->shared[i].name[n] == name[n])
                        n++;
                if (n == sizeof(name) && bi->shared[i].frames.end > bi->shared[i].frames.start)
                        return &bi->shared[i];
        }
        return 0;
}

/* One object from the smallest normal untyped that has room. */
static int retype_small(const struct tessera_bootinfo *bi, unsigned type, uint64_t slot)
{
        for (unsigned bits = 12; bits <= 47; bits++)
                for (unsigned i = 0; i < bi->untyped_count; i++) {
                        const struct tessera_untyped_desc *u = &bi->untyped_list[i];

                        if (u->size_bits == bits && !u->is_device &&
                            tessera_untyped_retype(bi->untyped.start + i, type, 0, ROOT, slot, 1) == TESSERA_OK)
                                return TESSERA_OK;
                }
        return TESSERA_ERR_NOT_ENOUGH_MEMORY;
}

/* Maps the channel's first page at SUITE_VADDR in the root task's own VSpace. */
static volatile struct record *map_records(const struct tessera_bootinfo *bi,
                                           const struct tessera_shared_desc *ch)
{
        uint64_t slot = bi->empty.end - 4;
        uint64_t vspace = TESSERA_SLOT_VSPACE;

        for (unsigned level = 0; level < 3; level++) {
                uint64_t vaddr = SUITE_VADDR;

                if (retype_small(bi, TESSERA_OBJ_PAGE_TABLE, slot + level) != TESSERA_OK ||
                    tessera_invoke(slot + level, TESSERA_INV_PAGE_TABLE_MAP, &vaddr, 1, &vspace, 1) != TESSERA_OK)
                        return 0;
        }
        uint64_t args[] = { SUITE_VADDR, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, TESSERA_FRAME_CACHED };

        if (tessera_invoke(ch->frames.start, TESSERA_INV_FRAME_MAP, args, 3, &vspace, 1) != TESSERA_OK)
                return 0;
        return (volatile struct record *)(uintptr_t)SUITE_VADDR;
}

static unsigned collect(const struct tessera_bootinfo *bi, const struct tessera_shared_desc *ch,
                        volatile struct record *r)
{
        unsigned total = 0, members = 0;

        for (unsigned core = 1; core < 32; core++) {
                unsigned yields = 0;

                if (!(ch->peers & (1u << core)))
                        continue;
                members++;
                while (__atomic_load_n(&r[core].done, __ATOMIC_ACQUIRE) != DONE_MAGIC && yields++ < WAIT_YIELDS)
                        tessera_yield();
                if (yields > WAIT_YIELDS) {
                        tessera_printf("not ok - core %u reported its results\n", core);
                        total++;
                        continue;
                }
                tessera_printf("%sok - core %u reported its results: %llu failures\n",
                               r[core].failures ? "not " : "", core,
                               (unsigned long long)r[core].failures);
                total += (unsigned)r[core].failures;
        }
        (void)bi;
        tessera_printf("1..%u\n", members);
        return total;
}

int suite_finish(const struct tessera_bootinfo *bi, unsigned failures)
{
        const struct tessera_shared_desc *ch = suite_channel(bi);
        volatile struct record *r;

        if (!ch)
                return (int)failures;
        r = map_records(bi, ch);
        if (!r) {
                tessera_printf("Bail out! core %u cannot map the suite channel\n", bi->core_id);
                return (int)failures + 1;
        }
        if (bi->core_id != 0) {
                r[bi->core_id].failures = failures;
                __atomic_store_n(&r[bi->core_id].done, DONE_MAGIC, __ATOMIC_RELEASE);
                return (int)failures;
        }
        return (int)(failures + collect(bi, ch, r));
}

uint64_t suite_largest_untyped(const struct tessera_bootinfo *bi, unsigned *bits)
{
        unsigned best = bi->untyped_count;

        for (unsigned i = 0; i < bi->untyped_count; i++)
                if (!bi->untyped_list[i].is_device &&
                    (best == bi->untyped_count ||
                     bi->untyped_list[i].size_bits > bi->untyped_list[best].size_bits))
                        best = i;
        if (bits)
                *bits = best < bi->untyped_count ? bi->untyped_list[best].size_bits : 0;
        return bi->untyped.start + best;
}
