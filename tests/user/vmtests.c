/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VSpace tests at EL0, as a root task: ASID assignment, page tables at each
 * level, 4 KiB and 2 MiB frames mapped into the root task's own address
 * space and used through those mappings, unmapping, and every error path of
 * Frame, PageTable and ASID control; then teardown by deletion and by
 * revoking the untyped the objects came from. Output is TAP; the exit
 * status is the number of failures.
 *
 * The mappings go at VA (1 TiB, level-0 entry 2), far from the image (4 MiB)
 * and the stack, IPC buffer and boot info (just under 512 GiB), so the
 * tests map their own level-1, -2 and -3 tables there first.
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
#include <tessera/vspace.h>

#define ROOT    TESSERA_SLOT_CNODE
#define DEPTH   64
#define RVS     TESSERA_SLOT_VSPACE             /* the root task's VSpace (ASID 1) */
#define ASIDS   TESSERA_SLOT_ASID_CONTROL
#define VA      0x10000000000ull
#define MB2     0x200000ull
#define RW      (TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE)
#define RO      TESSERA_RIGHT_READ
#define PATTERN 0x5eedf00dcafe1234ull
#define PL011_BASE 0x09000000ull                /* QEMU virt; the spec gives it to core 0 */
#define PL011_PERIPH_ID0 0xfe0

/* Slots, from the boot info's first empty one. */
enum {
        S_SUB = 0,      /* an untyped of 2^SUB_BITS everything below comes from */
        S_VS,           /* a VSpace that gets an ASID */
        S_VS_NO_ASID,   /* one that never does */
        S_L1, S_L2, S_L3, S_PT_SPARE,           /* tables for the root VSpace at VA */
        S_F1, S_F2, S_F1_COPY, S_F1_WRONLY, S_F3,
        S_BIG,          /* a 2 MiB frame */
        S_EP,           /* an endpoint: the wrong type everywhere */
        S_PT_COPY,
        S_VL1, S_VL2, S_VL3, S_VF,              /* tables and a frame for S_VS */
        S_DEV_FRAME,
        S_EMPTY = 50,   /* never filled */
        S_ASID_UT = 99, /* an untyped for the VSpaces that fill the ASID table */
        S_ASID_VS = 100,
};
#define SUB_BITS        24
#define ASID_UT_BITS    20
#define ASID_VSPACES    255     /* one more than the free ASIDs (2..255) */

static uint64_t e;

static volatile uint64_t *word_at(uint64_t vaddr)
{
        return (volatile uint64_t *)(uintptr_t)vaddr;
}

/* The smallest normal untyped with room for the tests' two child untypeds:
 * a boot untyped is cleared whole by its first Retype, so a small one keeps
 * the run short. */
static unsigned pick_untyped(const struct tessera_bootinfo *bi)
{
        unsigned best = bi->untyped_count;

        for (unsigned i = 0; i < bi->untyped_count; i++) {
                const struct tessera_untyped_desc *u = &bi->untyped_list[i];

                if (!u->is_device && u->size_bits > SUB_BITS &&
                    (best == bi->untyped_count || u->size_bits < bi->untyped_list[best].size_bits))
                        best = i;
        }
        return best;
}

static int retype(uint64_t ut, unsigned type, unsigned slot, unsigned count)
{
        return tessera_untyped_retype(ut, type, 0, ROOT, e + slot, count);
}

static int copy(unsigned dest, uint64_t src)
{
        return tessera_cnode_copy(ROOT, e + dest, DEPTH, ROOT, src, DEPTH, TESSERA_RIGHTS_ALL);
}

static void make_objects(void)
{
        uint64_t sub = e + S_SUB;

        expect("retype two VSpaces", retype(sub, TESSERA_OBJ_VSPACE, S_VS, 2), TESSERA_OK);
        expect("retype four page tables", retype(sub, TESSERA_OBJ_PAGE_TABLE, S_L1, 4), TESSERA_OK);
        expect("retype two 4 KiB frames", retype(sub, TESSERA_OBJ_FRAME_4K, S_F1, 2), TESSERA_OK);
        expect("retype a third 4 KiB frame", retype(sub, TESSERA_OBJ_FRAME_4K, S_F3, 1), TESSERA_OK);
        expect("retype a 2 MiB frame", retype(sub, TESSERA_OBJ_FRAME_2M, S_BIG, 1), TESSERA_OK);
        expect("retype an endpoint", retype(sub, TESSERA_OBJ_ENDPOINT, S_EP, 1), TESSERA_OK);
        expect("retype three page tables for the new VSpace",
               retype(sub, TESSERA_OBJ_PAGE_TABLE, S_VL1, 3), TESSERA_OK);
        expect("retype a frame for the new VSpace", retype(sub, TESSERA_OBJ_FRAME_4K, S_VF, 1),
               TESSERA_OK);
}

static void test_asid_control(void)
{
        expect("assign an ASID without a VSpace: TRUNCATED_MESSAGE",
               tessera_invoke(ASIDS, TESSERA_INV_VSPACE_ASSIGN_ASID, 0, 0, 0, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("assign an ASID to an endpoint: INVALID_CAPABILITY",
               tessera_asid_assign(ASIDS, e + S_EP), TESSERA_ERR_INVALID_CAPABILITY);
        expect("assign an ASID to a page table: INVALID_CAPABILITY",
               tessera_asid_assign(ASIDS, e + S_L1), TESSERA_ERR_INVALID_CAPABILITY);
        expect("assign an ASID to an empty slot: INVALID_CAPABILITY",
               tessera_asid_assign(ASIDS, e + S_EMPTY), TESSERA_ERR_INVALID_CAPABILITY);
        expect("copy a VSpace without an ASID: ILLEGAL_OPERATION",
               copy(S_EMPTY, e + S_VS), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("assign an ASID", tessera_asid_assign(ASIDS, e + S_VS), TESSERA_OK);
        expect("assign a second ASID to it: MAPPING",
               tessera_asid_assign(ASIDS, e + S_VS), TESSERA_ERR_MAPPING);
        expect("assign an ASID to the root VSpace (ASID 1): MAPPING",
               tessera_asid_assign(ASIDS, RVS), TESSERA_ERR_MAPPING);
        expect("an unknown label on ASID control: ILLEGAL_OPERATION",
               tessera_invoke(ASIDS, TESSERA_INV_FRAME_UNMAP, 0, 0, 0, 0), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("AssignASID on a VSpace: ILLEGAL_OPERATION",
               tessera_invoke(e + S_VS, TESSERA_INV_VSPACE_ASSIGN_ASID, 0, 0, &(uint64_t){ e + S_VS }, 1),
               TESSERA_ERR_ILLEGAL_OPERATION);
        expect("copy a VSpace with an ASID", copy(S_EMPTY, e + S_VS), TESSERA_OK);
        expect("delete the copy", tessera_cnode_delete(ROOT, e + S_EMPTY, DEPTH), TESSERA_OK);
}

/* Page tables for the root VSpace at VA, level by level, with the errors
 * met on the way. */
static void test_table_map(void)
{
        uint64_t l1 = e + S_L1;

        expect("map a page table with no vaddr: TRUNCATED_MESSAGE",
               tessera_invoke(l1, TESSERA_INV_PAGE_TABLE_MAP, 0, 0, &(uint64_t){ RVS }, 1),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("map a page table without a VSpace: TRUNCATED_MESSAGE",
               tessera_invoke(l1, TESSERA_INV_PAGE_TABLE_MAP, &(uint64_t){ VA }, 1, 0, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("map a page table into a VSpace without an ASID: INVALID_CAPABILITY",
               tessera_page_table_map(l1, e + S_VS_NO_ASID, VA), TESSERA_ERR_INVALID_CAPABILITY);
        expect("map a page table into an endpoint: INVALID_CAPABILITY",
               tessera_page_table_map(l1, e + S_EP, VA), TESSERA_ERR_INVALID_CAPABILITY);
        expect("map a page table at 2^48: RANGE",
               tessera_page_table_map(l1, RVS, 1ull << 48), TESSERA_ERR_RANGE);
        expect("copy an unmapped page table: ILLEGAL_OPERATION",
               copy(S_PT_COPY, l1), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("unmap an unmapped page table: NOT_MAPPED",
               tessera_page_table_unmap(l1), TESSERA_ERR_NOT_MAPPED);
        expect("map a frame with no tables on the path: FAILED_LOOKUP",
               tessera_frame_map(e + S_F1, RVS, VA, RW, 0), TESSERA_ERR_FAILED_LOOKUP);
        expect("map a level-1 table", tessera_page_table_map(l1, RVS, VA), TESSERA_OK);
        expect("map it again: MAPPING", tessera_page_table_map(l1, RVS, VA + 0x1000),
               TESSERA_ERR_MAPPING);
        expect("map a frame without a level-2 table: FAILED_LOOKUP",
               tessera_frame_map(e + S_F1, RVS, VA, RW, 0), TESSERA_ERR_FAILED_LOOKUP);
        expect("map a level-2 table", tessera_page_table_map(e + S_L2, RVS, VA), TESSERA_OK);
        expect("map a frame without a level-3 table: FAILED_LOOKUP",
               tessera_frame_map(e + S_F1, RVS, VA, RW, 0), TESSERA_ERR_FAILED_LOOKUP);
        expect("map a level-3 table (vaddr inside its span)",
               tessera_page_table_map(e + S_L3, RVS, VA + 0x5000), TESSERA_OK);
        expect("map a table where every level has one: MAPPING",
               tessera_page_table_map(e + S_PT_SPARE, RVS, VA), TESSERA_ERR_MAPPING);
        expect("map a 2 MiB frame where a level-2 table is missing: FAILED_LOOKUP",
               tessera_frame_map(e + S_BIG, RVS, VA + 0x40000000, RW, 0), TESSERA_ERR_FAILED_LOOKUP);
}

static void test_frame_errors(void)
{
        uint64_t f = e + S_F1;

        expect("map a frame with two arguments: TRUNCATED_MESSAGE",
               tessera_invoke(f, TESSERA_INV_FRAME_MAP, (const uint64_t[]){ VA, RW }, 2,
                              &(uint64_t){ RVS }, 1), TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("map a frame without a VSpace: TRUNCATED_MESSAGE",
               tessera_invoke(f, TESSERA_INV_FRAME_MAP, (const uint64_t[]){ VA, RW, 0 }, 3, 0, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("map a frame into a VSpace without an ASID: INVALID_CAPABILITY",
               tessera_frame_map(f, e + S_VS_NO_ASID, VA, RW, 0), TESSERA_ERR_INVALID_CAPABILITY);
        expect("map a frame into an endpoint: INVALID_CAPABILITY",
               tessera_frame_map(f, e + S_EP, VA, RW, 0), TESSERA_ERR_INVALID_CAPABILITY);
        expect("map a frame into a page table: INVALID_CAPABILITY",
               tessera_frame_map(f, e + S_L1, VA, RW, 0), TESSERA_ERR_INVALID_CAPABILITY);
        expect("map a frame at 2^48: RANGE", tessera_frame_map(f, RVS, 1ull << 48, RW, 0),
               TESSERA_ERR_RANGE);
        expect("map a frame at a misaligned vaddr: ALIGNMENT",
               tessera_frame_map(f, RVS, VA + 0x800, RW, 0), TESSERA_ERR_ALIGNMENT);
        expect("map a 2 MiB frame at a 4 KiB-aligned vaddr: ALIGNMENT",
               tessera_frame_map(e + S_BIG, RVS, VA + 0x1000, RW, 0), TESSERA_ERR_ALIGNMENT);
        expect("map with no rights: INSUFFICIENT_RIGHTS",
               tessera_frame_map(f, RVS, VA, 0, 0), TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("map write-only: INSUFFICIENT_RIGHTS",
               tessera_frame_map(f, RVS, VA, TESSERA_RIGHT_WRITE, 0), TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("map with the GRANT right: INVALID_ARGUMENT",
               tessera_frame_map(f, RVS, VA, RW | TESSERA_RIGHT_GRANT, 0), TESSERA_ERR_INVALID_ARGUMENT);
        expect("map with an unknown attribute: INVALID_ARGUMENT",
               tessera_frame_map(f, RVS, VA, RW, TESSERA_FRAME_ATTRS_ALL + 1), TESSERA_ERR_INVALID_ARGUMENT);
        expect("mint a write-only copy of the frame",
               tessera_cnode_mint(ROOT, e + S_F1_WRONLY, DEPTH, ROOT, f, DEPTH, TESSERA_RIGHT_WRITE, 0),
               TESSERA_OK);
        expect("map the write-only cap read-write: INSUFFICIENT_RIGHTS",
               tessera_frame_map(e + S_F1_WRONLY, RVS, VA, RW, 0), TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("a frame label on a page table: ILLEGAL_OPERATION",
               tessera_frame_map(e + S_L1, RVS, VA, RW, 0), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("a page table label on a frame: ILLEGAL_OPERATION",
               tessera_page_table_map(f, RVS, VA), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("an unknown label on a frame: ILLEGAL_OPERATION",
               tessera_invoke(f, 999, 0, 0, 0, 0), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("unmap an unmapped frame: NOT_MAPPED", tessera_frame_unmap(f), TESSERA_ERR_NOT_MAPPED);
}

static void test_frame_map(uint64_t ut_base, uint64_t ut_size)
{
        uint64_t f = e + S_F1, pa = 0, pa_copy = 1, pa_later = 2;

        expect("map a frame read-write", tessera_frame_map(f, RVS, VA, RW, 0), TESSERA_OK);
        *word_at(VA + 8) = PATTERN;
        expect_true("write and read it back through the mapping", *word_at(VA + 8) == PATTERN);
        expect("map the mapped cap again: MAPPING", tessera_frame_map(f, RVS, VA + 0x3000, RW, 0),
               TESSERA_ERR_MAPPING);
        expect("copy the mapped frame (the copy starts unmapped)", copy(S_F1_COPY, f), TESSERA_OK);
        expect("map the copy over the first mapping: MAPPING",
               tessera_frame_map(e + S_F1_COPY, RVS, VA, RO, 0), TESSERA_ERR_MAPPING);
        expect("map the copy read-only at a second address",
               tessera_frame_map(e + S_F1_COPY, RVS, VA + 0x1000, RO, 0), TESSERA_OK);
        expect_true("the second mapping reads what the first wrote", *word_at(VA + 0x1008) == PATTERN);
        expect("get the frame's address", tessera_frame_get_address(f, &pa), TESSERA_OK);
        expect("get the copy's address", tessera_frame_get_address(e + S_F1_COPY, &pa_copy), TESSERA_OK);
        expect_true("both name the same memory", pa == pa_copy);
        expect_true("inside the untyped it came from", pa >= ut_base && pa - ut_base < ut_size);
        expect("map a frame uncached", tessera_frame_map(e + S_F2, RVS, VA + 0x2000, RW,
                                                          TESSERA_FRAME_UNCACHED), TESSERA_OK);
        *word_at(VA + 0x2000) = ~PATTERN;
        expect_true("write and read the uncached frame", *word_at(VA + 0x2000) == ~PATTERN);
        expect("map a frame executable", tessera_frame_map(e + S_F3, RVS, VA + 0x3000, RO,
                                                           TESSERA_FRAME_EXECUTE), TESSERA_OK);
        expect("unmap the frame", tessera_frame_unmap(f), TESSERA_OK);
        expect("unmap it again: NOT_MAPPED", tessera_frame_unmap(f), TESSERA_ERR_NOT_MAPPED);
        expect("get the unmapped frame's address", tessera_frame_get_address(f, &pa_later), TESSERA_OK);
        expect_true("the address has not changed", pa_later == pa);
        expect("map it again where it was", tessera_frame_map(f, RVS, VA, RW, 0), TESSERA_OK);
        expect_true("the data is still there", *word_at(VA + 8) == PATTERN);
        expect("delete the mapped copy", tessera_cnode_delete(ROOT, e + S_F1_COPY, DEPTH), TESSERA_OK);
        expect("unmap the executable frame", tessera_frame_unmap(e + S_F3), TESSERA_OK);
        expect("map it where the deleted copy was mapped",
               tessera_frame_map(e + S_F3, RVS, VA + 0x1000, RW, 0), TESSERA_OK);
        *word_at(VA + 0x1008) = 7;
        expect_true("it is another frame than the first", *word_at(VA + 8) == PATTERN);
}

static void test_big_frame(void)
{
        uint64_t big = e + S_BIG, pa = 1;

        expect("map a 2 MiB frame over a level-3 table: MAPPING",
               tessera_frame_map(big, RVS, VA, RW, 0), TESSERA_ERR_MAPPING);
        expect("map a 2 MiB frame", tessera_frame_map(big, RVS, VA + MB2, RW, 0), TESSERA_OK);
        *word_at(VA + MB2 + 0x100008) = PATTERN;
        *word_at(VA + MB2 + MB2 - 8) = ~PATTERN;
        expect_true("write and read it at 1 MiB and at its end",
                    *word_at(VA + MB2 + 0x100008) == PATTERN && *word_at(VA + 2 * MB2 - 8) == ~PATTERN);
        expect("get its address", tessera_frame_get_address(big, &pa), TESSERA_OK);
        expect_true("the address is 2 MiB aligned", (pa & (MB2 - 1)) == 0);
        expect("map a page table under the 2 MiB frame: MAPPING",
               tessera_page_table_map(e + S_PT_SPARE, RVS, VA + MB2), TESSERA_ERR_MAPPING);
        expect("unmap the third 4 KiB frame", tessera_frame_unmap(e + S_F3), TESSERA_OK);
        expect("map a 4 KiB frame inside the 2 MiB one: MAPPING",
               tessera_frame_map(e + S_F3, RVS, VA + MB2 + 0x1000, RW, 0), TESSERA_ERR_MAPPING);
        expect("unmap the 2 MiB frame", tessera_frame_unmap(big), TESSERA_OK);
        expect("map a level-3 table where it was", tessera_page_table_map(e + S_PT_SPARE, RVS, VA + MB2),
               TESSERA_OK);
        expect("map a 4 KiB frame in it", tessera_frame_map(e + S_F3, RVS, VA + MB2 + 0x1000, RW, 0),
               TESSERA_OK);
        expect_true("its data moved with it", *word_at(VA + MB2 + 0x1008) == 7);
        expect("unmap the table (the frame's mapping goes with it)",
               tessera_page_table_unmap(e + S_PT_SPARE), TESSERA_OK);
        expect("unmap the frame whose table went", tessera_frame_unmap(e + S_F3), TESSERA_OK);
}

static void test_table_unmap(void)
{
        uint64_t l3 = e + S_L3;

        expect("copy a mapped page table", copy(S_PT_COPY, l3), TESSERA_OK);
        expect("unmap a table with another cap to it: REVOKE_FIRST",
               tessera_page_table_unmap(l3), TESSERA_ERR_REVOKE_FIRST);
        expect("delete the copy", tessera_cnode_delete(ROOT, e + S_PT_COPY, DEPTH), TESSERA_OK);
        expect_true("the table is still mapped: the frame reads through it", *word_at(VA + 8) == PATTERN);
        expect("unmap the level-3 table", tessera_page_table_unmap(l3), TESSERA_OK);
        expect("unmap it again: NOT_MAPPED", tessera_page_table_unmap(l3), TESSERA_ERR_NOT_MAPPED);
        expect("map a frame where the table was: FAILED_LOOKUP",
               tessera_frame_map(e + S_F3, RVS, VA + 0x4000, RW, 0), TESSERA_ERR_FAILED_LOOKUP);
        expect("unmap a frame that was in that table", tessera_frame_unmap(e + S_F2), TESSERA_OK);
        expect("map the table again", tessera_page_table_map(l3, RVS, VA), TESSERA_OK);
        expect("map that frame again where it was (the table came back empty)",
               tessera_frame_map(e + S_F2, RVS, VA + 0x2000, RW, 0), TESSERA_OK);
        expect("unmap the first frame (its entry is gone already)", tessera_frame_unmap(e + S_F1),
               TESSERA_OK);
        expect("map it again", tessera_frame_map(e + S_F1, RVS, VA, RW, 0), TESSERA_OK);
        expect_true("its data survived", *word_at(VA + 8) == PATTERN);
}

/* A second address space: mapped but never run. Deleting it frees its ASID
 * while tables and a frame still name it. */
static void test_other_vspace(void)
{
        uint64_t vs = e + S_VS;

        expect("map a level-1 table into the new VSpace", tessera_page_table_map(e + S_VL1, vs, 0),
               TESSERA_OK);
        expect("map a level-2 table", tessera_page_table_map(e + S_VL2, vs, 0), TESSERA_OK);
        expect("map a level-3 table", tessera_page_table_map(e + S_VL3, vs, 0), TESSERA_OK);
        expect("map a frame", tessera_frame_map(e + S_VF, vs, 0x1000, RW, 0), TESSERA_OK);
        expect("delete the VSpace", tessera_cnode_delete(ROOT, vs, DEPTH), TESSERA_OK);
        expect("unmap the frame of the deleted VSpace", tessera_frame_unmap(e + S_VF), TESSERA_OK);
        expect("unmap its level-3 table", tessera_page_table_unmap(e + S_VL3), TESSERA_OK);
        expect("map that table into the root VSpace: MAPPING (every level has one)",
               tessera_page_table_map(e + S_VL3, RVS, VA), TESSERA_ERR_MAPPING);
}

static void test_asid_full(uint64_t ut)
{
        unsigned assigned = 0;
        int last = TESSERA_OK;

        expect("retype an untyped for the VSpaces",
               tessera_untyped_retype(ut, TESSERA_OBJ_UNTYPED, ASID_UT_BITS, ROOT, e + S_ASID_UT, 1),
               TESSERA_OK);
        expect("retype 255 VSpaces",
               retype(e + S_ASID_UT, TESSERA_OBJ_VSPACE, S_ASID_VS, ASID_VSPACES), TESSERA_OK);
        for (unsigned i = 0; i < ASID_VSPACES && last == TESSERA_OK; i++) {
                last = tessera_asid_assign(ASIDS, e + S_ASID_VS + i);
                assigned += last == TESSERA_OK;
        }
        expect("ASIDs 2-255 are handed out", (int)assigned, ASID_VSPACES - 1);
        expect("then the table is full: NOT_ENOUGH_MEMORY", last, TESSERA_ERR_NOT_ENOUGH_MEMORY);
        expect("revoke the untyped: the VSpaces go", tessera_cnode_revoke(ROOT, e + S_ASID_UT, DEPTH),
               TESSERA_OK);
        expect("an ASID is free again", tessera_asid_assign(ASIDS, e + S_VS_NO_ASID), TESSERA_OK);
        expect("delete that VSpace", tessera_cnode_delete(ROOT, e + S_VS_NO_ASID, DEPTH), TESSERA_OK);
}

/* Device memory: the UART's page, read through a user mapping. */
static void test_device_frame(const struct tessera_bootinfo *bi)
{
        unsigned i;

        for (i = 0; i < bi->untyped_count; i++)
                if (bi->untyped_list[i].is_device && bi->untyped_list[i].paddr == PL011_BASE)
                        break;
        if (i == bi->untyped_count) {
                tessera_printf("ok %u - map a device frame # SKIP no device untyped at 0x%llx\n",
                               tap_next(), (unsigned long long)PL011_BASE);
                return;
        }
        expect("retype a device frame", tessera_untyped_retype(bi->untyped.start + i,
               TESSERA_OBJ_FRAME_4K, 0, ROOT, e + S_DEV_FRAME, 1), TESSERA_OK);
        expect("map it", tessera_frame_map(e + S_DEV_FRAME, RVS, VA + 0x4000, RO,
                                           TESSERA_FRAME_EXECUTE), TESSERA_OK);
        expect("the UART's peripheral ID 0 reads 0x11",
               (int)*(volatile uint32_t *)(uintptr_t)(VA + 0x4000 + PL011_PERIPH_ID0), 0x11);
        expect("delete the mapped device frame", tessera_cnode_delete(ROOT, e + S_DEV_FRAME, DEPTH),
               TESSERA_OK);
}

/* Revoking the untyped deletes every object above, unmapping as it goes: the
 * same vaddrs take new tables and frames again. */
static void test_revoke(void)
{
        uint64_t sub = e + S_SUB;

        expect("revoke the untyped", tessera_cnode_revoke(ROOT, sub, DEPTH), TESSERA_OK);
        expect("the frame caps are gone", tessera_frame_unmap(e + S_F1), TESSERA_ERR_INVALID_CAPABILITY);
        expect("retype three page tables again", retype(sub, TESSERA_OBJ_PAGE_TABLE, S_L1, 3), TESSERA_OK);
        expect("retype a frame again", retype(sub, TESSERA_OBJ_FRAME_4K, S_F1, 1), TESSERA_OK);
        expect("map a level-1 table at the same vaddr", tessera_page_table_map(e + S_L1, RVS, VA),
               TESSERA_OK);
        expect("map a level-2 table", tessera_page_table_map(e + S_L2, RVS, VA), TESSERA_OK);
        expect("map a level-3 table", tessera_page_table_map(e + S_L3, RVS, VA), TESSERA_OK);
        expect("map the new frame", tessera_frame_map(e + S_F1, RVS, VA, RW, 0), TESSERA_OK);
        expect_true("it reads zero (fresh memory)", *word_at(VA + 8) == 0);
        *word_at(VA + 8) = PATTERN;
        expect_true("write and read it back", *word_at(VA + 8) == PATTERN);
        expect("revoke the untyped again", tessera_cnode_revoke(ROOT, sub, DEPTH), TESSERA_OK);
}

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        unsigned big = pick_untyped(bi);
        uint64_t ut = bi->untyped.start + big;

        e = bi->empty.start;
        if (big == bi->untyped_count) {
                tessera_printf("Bail out! no untyped of more than 2^%u bytes\n", SUB_BITS);
                return 1;
        }
        tessera_printf("# vmtests on core %u: untyped of 2^%u bytes at 0x%llx; free slots %llu-%llu\n",
                       bi->core_id, bi->untyped_list[big].size_bits,
                       (unsigned long long)bi->untyped_list[big].paddr,
                       (unsigned long long)bi->empty.start, (unsigned long long)bi->empty.end);
        expect("retype an untyped for the tests",
               tessera_untyped_retype(ut, TESSERA_OBJ_UNTYPED, SUB_BITS, ROOT, e + S_SUB, 1), TESSERA_OK);
        make_objects();
        test_asid_control();
        test_table_map();
        test_frame_errors();
        test_frame_map(bi->untyped_list[big].paddr, 1ull << bi->untyped_list[big].size_bits);
        test_big_frame();
        test_table_unmap();
        test_other_vspace();
        test_asid_full(ut);
        test_device_frame(bi);
        test_revoke();
        tessera_printf("1..%u\n", tap_checks());
        return suite_finish(bi, tap_failures());
}
