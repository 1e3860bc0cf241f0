/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bad arguments for every invocation, table-driven: each row is one Call
 * (invoked cap, label, message registers, extra caps) and the one error the
 * ABI says it must return. Then a bounded pseudo-random barrage of calls on
 * disposable caps, where any error is fine but the kernel must answer every
 * one and stay consistent (the debug build checks its invariants after each
 * call). Finally the kernel must still do real work. TAP output; the exit
 * status is the number of failures.
 */
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/objects.h>
#include <tessera/syscall.h>
#include <tessera/invoke.h>
#include "suite.h"
#include "tap.h"

#define ROOT   TESSERA_SLOT_CNODE
#define VSPACE TESSERA_SLOT_VSPACE
#define D      64                       /* depth of a root-CNode address */
#define BIG    (1ull << 48)

/* Slots the setup fills, as offsets from the first free slot. */
enum {
        S_EP = 0, S_TCB, S_FRAME, S_PT, S_VS, S_CNODE, S_UT, S_EMPTY, S_FRAME_RO, S_SCRATCH,
        S_FUZZ = 32,                    /* 32 slots of disposable caps for the barrage */
        S_COUNT = 64,
};

struct row {
        const char *what;
        uint64_t cap;                   /* offset (below S_COUNT) or a fixed slot + FIXED */
        uint64_t label;
        unsigned nmr, ncap;
        uint64_t mr[9];
        uint64_t caps[3];
        int want;
};

#define FIXED 0x10000ull                /* marks a fixed root slot in a row */
#define F(slot) (FIXED + (slot))
#define R(slot) ((uint64_t)(slot))      /* an offset from the first free slot */

static uint64_t base;                   /* first free slot */

static uint64_t slot(uint64_t v)
{
        if (v >= FIXED)
                return v - FIXED;
        return base + v;
}

static const struct row rows[] = {
        /* Any cap */
        { "invoke an empty slot", R(S_EMPTY), TESSERA_INV_CNODE_DELETE, 2, 0, { 0, D }, { 0 },
          TESSERA_ERR_INVALID_CAPABILITY },
        { "invoke through a guard mismatch", F(ROOT) | 1ull << 62, TESSERA_INV_CNODE_DELETE, 2, 0,
          { 0, D }, { 0 }, TESSERA_ERR_FAILED_LOOKUP },
        /* Untyped Retype */
        { "retype: no arguments", R(S_UT), TESSERA_INV_UNTYPED_RETYPE, 0, 0, { 0 }, { 0 },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "retype: no destination cap", R(S_UT), TESSERA_INV_UNTYPED_RETYPE, 4, 0,
          { TESSERA_OBJ_ENDPOINT, 0, 0, 1 }, { 0 }, TESSERA_ERR_TRUNCATED_MESSAGE },
        { "retype: unknown type", R(S_UT), TESSERA_INV_UNTYPED_RETYPE, 4, 1, { 77, 0, 0, 1 },
          { F(ROOT) }, TESSERA_ERR_INVALID_ARGUMENT },
        { "retype: destination not a CNode", R(S_UT), TESSERA_INV_UNTYPED_RETYPE, 4, 1,
          { TESSERA_OBJ_ENDPOINT, 0, 0, 1 }, { R(S_EP) }, TESSERA_ERR_INVALID_CAPABILITY },
        { "retype: count 0", R(S_UT), TESSERA_INV_UNTYPED_RETYPE, 4, 1,
          { TESSERA_OBJ_ENDPOINT, 0, 0, 0 }, { F(ROOT) }, TESSERA_ERR_RANGE },
        { "retype: count 257", R(S_UT), TESSERA_INV_UNTYPED_RETYPE, 4, 1,
          { TESSERA_OBJ_ENDPOINT, 0, 0, 257 }, { F(ROOT) }, TESSERA_ERR_RANGE },
        { "retype: slots past the CNode", R(S_UT), TESSERA_INV_UNTYPED_RETYPE, 4, 1,
          { TESSERA_OBJ_ENDPOINT, 0, ~0ull, 1 }, { F(ROOT) }, TESSERA_ERR_RANGE },
        { "retype: into a full slot", R(S_UT), TESSERA_INV_UNTYPED_RETYPE, 4, 1,
          { TESSERA_OBJ_ENDPOINT, 0, F(ROOT) - FIXED, 1 }, { F(ROOT) }, TESSERA_ERR_DELETE_FIRST },
        { "retype: CNode radix 25", R(S_UT), TESSERA_INV_UNTYPED_RETYPE, 4, 1,
          { TESSERA_OBJ_CNODE, 25, 0, 1 }, { F(ROOT) }, TESSERA_ERR_RANGE },
        { "retype: untyped of 2^48", R(S_UT), TESSERA_INV_UNTYPED_RETYPE, 4, 1,
          { TESSERA_OBJ_UNTYPED, 48, 0, 1 }, { F(ROOT) }, TESSERA_ERR_RANGE },
        { "retype: more than the untyped holds", R(S_UT), TESSERA_INV_UNTYPED_RETYPE, 4, 1,
          { TESSERA_OBJ_UNTYPED, 40, 0, 1 }, { F(ROOT) }, TESSERA_ERR_NOT_ENOUGH_MEMORY },
        { "untyped: unknown label", R(S_UT), 999, 0, 0, { 0 }, { 0 }, TESSERA_ERR_ILLEGAL_OPERATION },
        /* CNode */
        { "copy: four arguments", F(ROOT), TESSERA_INV_CNODE_COPY, 4, 1, { 0 }, { F(ROOT) },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "copy: no source root", F(ROOT), TESSERA_INV_CNODE_COPY, 5, 0, { 0 }, { 0 },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "copy: depth 65", F(ROOT), TESSERA_INV_CNODE_COPY, 5, 1, { 0, 65, 0, D, 15 }, { F(ROOT) },
          TESSERA_ERR_RANGE },
        { "copy: depth 0", F(ROOT), TESSERA_INV_CNODE_COPY, 5, 1, { 0, 0, 0, D, 15 }, { F(ROOT) },
          TESSERA_ERR_RANGE },
        { "copy: from an empty slot", F(ROOT), TESSERA_INV_CNODE_COPY, 5, 1, { 0, D, 0, D, 15 },
          { F(ROOT) }, TESSERA_ERR_FAILED_LOOKUP },
        { "copy: into a full slot", F(ROOT), TESSERA_INV_CNODE_COPY, 5, 1, { 1, D, 1, D, 15 },
          { F(ROOT) }, TESSERA_ERR_DELETE_FIRST },
        { "copy: source root not a CNode", F(ROOT), TESSERA_INV_CNODE_COPY, 5, 1, { 0, D, 1, D, 15 },
          { R(S_EP) }, TESSERA_ERR_INVALID_CAPABILITY },
        { "copy: the IRQ control cap", F(ROOT), TESSERA_INV_CNODE_COPY, 5, 1, { 0, D, 4, D, 15 },
          { F(ROOT) }, TESSERA_ERR_ILLEGAL_OPERATION },
        { "mint: five arguments", F(ROOT), TESSERA_INV_CNODE_MINT, 5, 1, { 0 }, { F(ROOT) },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "mint: a guard too wide", F(ROOT), TESSERA_INV_CNODE_MINT, 6, 1,
          { 0, D, TESSERA_SLOT_CNODE, D, 15, 60 }, { F(ROOT) }, TESSERA_ERR_RANGE },
        { "move: three arguments", F(ROOT), TESSERA_INV_CNODE_MOVE, 3, 1, { 0 }, { F(ROOT) },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "move: from an empty slot", F(ROOT), TESSERA_INV_CNODE_MOVE, 4, 1, { 0, D, 0, D }, { F(ROOT) },
          TESSERA_ERR_FAILED_LOOKUP },
        { "mutate: five arguments", F(ROOT), TESSERA_INV_CNODE_MUTATE, 5, 1, { 0 }, { F(ROOT) },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "delete: one argument", F(ROOT), TESSERA_INV_CNODE_DELETE, 1, 0, { 0 }, { 0 },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "delete: depth 65", F(ROOT), TESSERA_INV_CNODE_DELETE, 2, 0, { 0, 65 }, { 0 }, TESSERA_ERR_RANGE },
        { "revoke: one argument", F(ROOT), TESSERA_INV_CNODE_REVOKE, 1, 0, { 0 }, { 0 },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "revoke: bits past the CNode's", F(ROOT), TESSERA_INV_CNODE_REVOKE, 2, 0, { 1, 12 }, { 0 },
          TESSERA_ERR_FAILED_LOOKUP },
        { "rotate: eight arguments", F(ROOT), TESSERA_INV_CNODE_ROTATE, 8, 2, { 0 }, { F(ROOT), F(ROOT) },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "rotate: no pivot root", F(ROOT), TESSERA_INV_CNODE_ROTATE, 9, 1, { 0 }, { F(ROOT) },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "CNode: unknown label", F(ROOT), 999, 0, 0, { 0 }, { 0 }, TESSERA_ERR_ILLEGAL_OPERATION },
        /* TCB */
        { "configure: two arguments", R(S_TCB), TESSERA_INV_TCB_CONFIGURE, 2, 2, { 0 },
          { F(ROOT), F(VSPACE) }, TESSERA_ERR_TRUNCATED_MESSAGE },
        { "configure: a frame as CSpace", R(S_TCB), TESSERA_INV_TCB_CONFIGURE, 3, 2, { 0 },
          { R(S_FRAME), F(VSPACE) }, TESSERA_ERR_INVALID_CAPABILITY },
        { "configure: a VSpace without ASID", R(S_TCB), TESSERA_INV_TCB_CONFIGURE, 3, 2, { 0 },
          { F(ROOT), R(S_VS) }, TESSERA_ERR_INVALID_CAPABILITY },
        { "configure: read-only buffer", R(S_TCB), TESSERA_INV_TCB_CONFIGURE, 3, 3, { 0, 0, 0x1000 },
          { F(ROOT), F(VSPACE), R(S_FRAME_RO) }, TESSERA_ERR_INSUFFICIENT_RIGHTS },
        { "configure: misaligned buffer", R(S_TCB), TESSERA_INV_TCB_CONFIGURE, 3, 3, { 0, 0, 0x1008 },
          { F(ROOT), F(VSPACE), R(S_FRAME) }, TESSERA_ERR_ALIGNMENT },
        { "set priority: 256", R(S_TCB), TESSERA_INV_TCB_SET_PRIORITY, 1, 1, { 256 },
          { F(TESSERA_SLOT_TCB) }, TESSERA_ERR_RANGE },
        { "set priority: above the authority's MCP", R(S_TCB), TESSERA_INV_TCB_SET_PRIORITY, 1, 1, { 1 },
          { R(S_TCB) }, TESSERA_ERR_RANGE },
        { "set priority: authority not a TCB", R(S_TCB), TESSERA_INV_TCB_SET_PRIORITY, 1, 1, { 1 },
          { R(S_EP) }, TESSERA_ERR_INVALID_CAPABILITY },
        { "set MCP: no authority", R(S_TCB), TESSERA_INV_TCB_SET_MCP, 1, 0, { 1 }, { 0 },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "read registers: 35", R(S_TCB), TESSERA_INV_TCB_READ_REGISTERS, 1, 0, { 35 }, { 0 },
          TESSERA_ERR_RANGE },
        { "read registers: no count", R(S_TCB), TESSERA_INV_TCB_READ_REGISTERS, 0, 0, { 0 }, { 0 },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "write registers: count ~0", R(S_TCB), TESSERA_INV_TCB_WRITE_REGISTERS, 2, 0, { 0, ~0ull },
          { 0 }, TESSERA_ERR_RANGE },
        { "write registers: unknown flag", R(S_TCB), TESSERA_INV_TCB_WRITE_REGISTERS, 2, 0, { 4, 0 },
          { 0 }, TESSERA_ERR_INVALID_ARGUMENT },
        { "write registers: the caller's own", F(TESSERA_SLOT_TCB), TESSERA_INV_TCB_WRITE_REGISTERS, 2, 0,
          { 0, 0 }, { 0 }, TESSERA_ERR_ILLEGAL_OPERATION },
        { "set name: one argument", R(S_TCB), TESSERA_INV_TCB_SET_NAME, 1, 0, { 0 }, { 0 },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "TCB: unknown label", R(S_TCB), 999, 0, 0, { 0 }, { 0 }, TESSERA_ERR_ILLEGAL_OPERATION },
        /* Frame */
        { "frame map: no VSpace", R(S_FRAME), TESSERA_INV_FRAME_MAP, 3, 0, { 0x10000000, 3, 0 }, { 0 },
          TESSERA_ERR_TRUNCATED_MESSAGE },
        { "frame map: two arguments", R(S_FRAME), TESSERA_INV_FRAME_MAP, 2, 1, { 0x10000000, 3 },
          { F(VSPACE) }, TESSERA_ERR_TRUNCATED_MESSAGE },
        { "frame map: a CNode as VSpace", R(S_FRAME), TESSERA_INV_FRAME_MAP, 3, 1, { 0x10000000, 3, 0 },
          { F(ROOT) }, TESSERA_ERR_INVALID_CAPABILITY },
        { "frame map: a VSpace without ASID", R(S_FRAME), TESSERA_INV_FRAME_MAP, 3, 1,
          { 0x10000000, 3, 0 }, { R(S_VS) }, TESSERA_ERR_INVALID_CAPABILITY },
        { "frame map: misaligned", R(S_FRAME), TESSERA_INV_FRAME_MAP, 3, 1, { 0x10000010, 3, 0 },
          { F(VSPACE) }, TESSERA_ERR_ALIGNMENT },
        { "frame map: above 2^48", R(S_FRAME), TESSERA_INV_FRAME_MAP, 3, 1, { BIG, 3, 0 }, { F(VSPACE) },
          TESSERA_ERR_RANGE },
        { "frame map: no rights", R(S_FRAME), TESSERA_INV_FRAME_MAP, 3, 1, { 0x10000000, 0, 0 },
          { F(VSPACE) }, TESSERA_ERR_INSUFFICIENT_RIGHTS },
        { "frame map: unknown attribute", R(S_FRAME), TESSERA_INV_FRAME_MAP, 3, 1, { 0x10000000, 3, 8 },
          { F(VSPACE) }, TESSERA_ERR_INVALID_ARGUMENT },
        { "frame map: no page table there", R(S_FRAME), TESSERA_INV_FRAME_MAP, 3, 1,
          { 0x30000000000ull, 3, 0 }, { F(VSPACE) }, TESSERA_ERR_FAILED_LOOKUP },
        { "frame unmap: not mapped", R(S_FRAME), TESSERA_INV_FRAME_UNMAP, 0, 0, { 0 }, { 0 },
          TESSERA_ERR_NOT_MAPPED },
        { "frame: unknown label", R(S_FRAME), 999, 0, 0, { 0 }, { 0 }, TESSERA_ERR_ILLEGAL_OPERATION },
        /* Page table, VSpace, ASID control */
        { "page table map: no VSpace", R(S_PT), TESSERA_INV_PAGE_TABLE_MAP, 1, 0, { 0x30000000000ull },
          { 0 }, TESSERA_ERR_TRUNCATED_MESSAGE },
        { "page table map: an endpoint as VSpace", R(S_PT), TESSERA_INV_PAGE_TABLE_MAP, 1, 1,
          { 0x30000000000ull }, { R(S_EP) }, TESSERA_ERR_INVALID_CAPABILITY },
        { "page table map: above 2^48", R(S_PT), TESSERA_INV_PAGE_TABLE_MAP, 1, 1, { BIG }, { F(VSPACE) },
          TESSERA_ERR_RANGE },
        { "page table unmap: not mapped", R(S_PT), TESSERA_INV_PAGE_TABLE_UNMAP, 0, 0, { 0 }, { 0 },
          TESSERA_ERR_NOT_MAPPED },
        { "page table: unknown label", R(S_PT), 999, 0, 0, { 0 }, { 0 }, TESSERA_ERR_ILLEGAL_OPERATION },
        { "VSpace: any label", R(S_VS), TESSERA_INV_FRAME_MAP, 0, 0, { 0 }, { 0 },
          TESSERA_ERR_ILLEGAL_OPERATION },
        { "assign ASID: no VSpace", F(TESSERA_SLOT_ASID_CONTROL), TESSERA_INV_VSPACE_ASSIGN_ASID, 0, 0,
          { 0 }, { 0 }, TESSERA_ERR_TRUNCATED_MESSAGE },
        { "assign ASID: a frame", F(TESSERA_SLOT_ASID_CONTROL), TESSERA_INV_VSPACE_ASSIGN_ASID, 0, 1,
          { 0 }, { R(S_FRAME) }, TESSERA_ERR_INVALID_CAPABILITY },
        { "assign ASID: one that has one", F(TESSERA_SLOT_ASID_CONTROL), TESSERA_INV_VSPACE_ASSIGN_ASID, 0,
          1, { 0 }, { F(VSPACE) }, TESSERA_ERR_MAPPING },
        { "ASID control: unknown label", F(TESSERA_SLOT_ASID_CONTROL), 999, 0, 0, { 0 }, { 0 },
          TESSERA_ERR_ILLEGAL_OPERATION },
        /* IRQ control */
        { "IRQ get: two arguments", F(TESSERA_SLOT_IRQ_CONTROL), TESSERA_INV_IRQ_CONTROL_GET, 2, 1,
          { 33, 0 }, { F(ROOT) }, TESSERA_ERR_TRUNCATED_MESSAGE },
        { "IRQ get: no destination root", F(TESSERA_SLOT_IRQ_CONTROL), TESSERA_INV_IRQ_CONTROL_GET, 3, 0,
          { 33, 0, D }, { 0 }, TESSERA_ERR_TRUNCATED_MESSAGE },
        { "IRQ get: INTID 5000", F(TESSERA_SLOT_IRQ_CONTROL), TESSERA_INV_IRQ_CONTROL_GET, 3, 1,
          { 5000, 0, D }, { F(ROOT) }, TESSERA_ERR_RANGE },
        { "IRQ get: the timer's PPI", F(TESSERA_SLOT_IRQ_CONTROL), TESSERA_INV_IRQ_CONTROL_GET, 3, 1,
          { 27, 0, D }, { F(ROOT) }, TESSERA_ERR_RANGE },
        { "IRQ control: unknown label", F(TESSERA_SLOT_IRQ_CONTROL), 999, 0, 0, { 0 }, { 0 },
          TESSERA_ERR_ILLEGAL_OPERATION },
};

/* The smallest normal untyped of at least 2 MiB: its first Retype clears
 * it, so a small one keeps the run short. */
static uint64_t untyped_slot(const struct tessera_bootinfo *bi)
{
        unsigned best = bi->untyped_count;

        for (unsigned i = 0; i < bi->untyped_count; i++) {
                const struct tessera_untyped_desc *u = &bi->untyped_list[i];

                if (!u->is_device && u->size_bits >= 21 &&
                    (best == bi->untyped_count || u->size_bits < bi->untyped_list[best].size_bits))
                        best = i;
        }
        return bi->untyped.start + best;
}

static int retype(uint64_t ut, unsigned type, unsigned bits, unsigned at)
{
        return tessera_untyped_retype(ut, type, bits, ROOT, base + at, 1);
}

/* The objects the rows name; a 2^20 untyped of our own keeps the rest intact. */
static int setup(const struct tessera_bootinfo *bi)
{
        uint64_t ut = untyped_slot(bi);
        int err = retype(ut, TESSERA_OBJ_UNTYPED, 20, S_UT);

        if (!err) err = retype(ut, TESSERA_OBJ_ENDPOINT, 0, S_EP);
        if (!err) err = retype(ut, TESSERA_OBJ_TCB, 0, S_TCB);
        if (!err) err = retype(ut, TESSERA_OBJ_FRAME_4K, 0, S_FRAME);
        if (!err) err = retype(ut, TESSERA_OBJ_PAGE_TABLE, 0, S_PT);
        if (!err) err = retype(ut, TESSERA_OBJ_VSPACE, 0, S_VS);
        if (!err) err = retype(ut, TESSERA_OBJ_CNODE, 5, S_CNODE);
        if (!err)
                err = tessera_cnode_mint(ROOT, base + S_FRAME_RO, D, ROOT, base + S_FRAME, D,
                                         TESSERA_RIGHT_READ, 0);
        return err;
}

static void run_rows(void)
{
        for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
                const struct row *r = &rows[i];
                uint64_t caps[3];

                for (unsigned c = 0; c < r->ncap; c++)
                        caps[c] = slot(r->caps[c]);
                expect(r->what, tessera_invoke(slot(r->cap), r->label, r->mr, r->nmr, caps, r->ncap), r->want);
        }
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return rng;
}

/* Values near the edges are where checks go wrong. */
static uint64_t random_word(void)
{
        static const uint64_t edges[] = { 0, 1, 2, 12, 63, 64, 65, 255, 256, 4095, 4096, 1ull << 47,
                                          1ull << 48, ~0ull, ~0ull >> 1, 0x7ffffff000ull };
        uint64_t r = next_random();

        return (r & 3) ? edges[(r >> 2) % (sizeof(edges) / sizeof(edges[0]))] : next_random();
}

/*
 * Calls on the disposable caps with random labels and arguments. Extra caps
 * and invoked caps come only from the disposable range, so nothing the test
 * itself stands on (its CNode, VSpace, TCB, IPC buffer) can be touched;
 * a random CNode address with a 64-bit depth reaches only that range too.
 */
static unsigned barrage(unsigned calls)
{
        unsigned answered = 0;

        for (unsigned i = 0; i < calls; i++) {
                uint64_t mrs[9], caps[3], label = next_random() % 60;
                unsigned nmr = next_random() % 10, ncap = next_random() % 4;

                for (unsigned m = 0; m < 9; m++)
                        mrs[m] = (m == 0 || m == 2 || m == 6) ? base + S_FUZZ + next_random() % 32
                                                              : random_word();
                for (unsigned c = 0; c < 3; c++)
                        caps[c] = base + S_FUZZ + next_random() % 32;
                if (label == TESSERA_INV_TCB_SUSPEND || label == TESSERA_INV_TCB_CONFIGURE)
                        label = TESSERA_INV_TCB_SET_NAME;   /* the disposable TCB keeps its state */
                int got = tessera_invoke(base + S_FUZZ + next_random() % 32, label, mrs, nmr, caps, ncap);

                answered += got >= 0 && got < TESSERA_ERR_COUNT;
        }
        return answered;
}

/* Disposable copies of every kind of cap for the barrage. The endpoint's
 * copies lack WRITE: a Call through one would otherwise be real IPC and wait
 * for a receiver forever; without WRITE it must answer INSUFFICIENT_RIGHTS. */
static void fill_fuzz(void)
{
        static const unsigned kinds[] = { S_EP, S_TCB, S_FRAME, S_PT, S_VS, S_CNODE, S_UT, S_FRAME_RO };

        for (unsigned i = 0; i < 32; i++) {
                unsigned k = kinds[i % (sizeof(kinds) / sizeof(kinds[0]))];

                if (k == S_UT || i >= 24)
                        continue;       /* an untyped cannot be copied with children; leave gaps */
                tessera_cnode_copy(ROOT, base + S_FUZZ + i, D, ROOT, base + k, D,
                                   k == S_EP ? TESSERA_RIGHTS_ALL & ~TESSERA_RIGHT_WRITE : TESSERA_RIGHTS_ALL);
        }
        tessera_untyped_retype(base + S_UT, TESSERA_OBJ_UNTYPED, 16, ROOT, base + S_FUZZ + 24, 1);
}

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        const unsigned calls = 500;

        base = bi->empty.start;
        tessera_printf("# badargs on core %u: %u table rows, %u random calls\n", bi->core_id,
                       (unsigned)(sizeof(rows) / sizeof(rows[0])), calls);
        expect("set up one object of each kind", setup(bi), TESSERA_OK);
        run_rows();
        fill_fuzz();
        expect("the kernel answered every random call with an error code", (int)barrage(calls), (int)calls);
        expect("revoke the test's untyped afterwards", tessera_cnode_revoke(ROOT, base + S_UT, D), TESSERA_OK);
        expect("the kernel still makes objects", retype(untyped_slot(bi), TESSERA_OBJ_ENDPOINT, 0, S_SCRATCH),
               TESSERA_OK);
        tessera_printf("1..%u\n", tap_checks());
        return suite_finish(bi, tap_failures());
}
