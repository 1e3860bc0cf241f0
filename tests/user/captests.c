/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capability tests at EL0, as a root task: every CNode invocation and Retype,
 * on their success paths and on each error path, through the real system-call
 * path. Output is TAP; the exit status is the number of failures, so the run
 * fails if any check does.
 */
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/objects.h>
#include <tessera/syscall.h>
#include <tessera/invoke.h>
#include "suite.h"
#include "tap.h"

#define ROOT  TESSERA_SLOT_CNODE
#define DEPTH 64                /* the root CNode resolves a whole word in one level */

static void test_retype(uint64_t ut, unsigned ut_bits, uint64_t e)
{
        expect("retype an endpoint into an empty slot",
               tessera_untyped_retype(ut, TESSERA_OBJ_ENDPOINT, 0, ROOT, e, 1), TESSERA_OK);
        expect("retype into a full slot: DELETE_FIRST",
               tessera_untyped_retype(ut, TESSERA_OBJ_ENDPOINT, 0, ROOT, e, 1), TESSERA_ERR_DELETE_FIRST);
        expect("retype an unknown type: INVALID_ARGUMENT",
               tessera_untyped_retype(ut, 99, 0, ROOT, e + 10, 1), TESSERA_ERR_INVALID_ARGUMENT);
        expect("retype a CNode of radix 0: RANGE",
               tessera_untyped_retype(ut, TESSERA_OBJ_CNODE, 0, ROOT, e + 10, 1), TESSERA_ERR_RANGE);
        expect("retype a CNode of radix 25: RANGE",
               tessera_untyped_retype(ut, TESSERA_OBJ_CNODE, 25, ROOT, e + 10, 1), TESSERA_ERR_RANGE);
        expect("retype zero objects: RANGE",
               tessera_untyped_retype(ut, TESSERA_OBJ_ENDPOINT, 0, ROOT, e + 10, 0), TESSERA_ERR_RANGE);
        expect("retype past the end of the CNode: RANGE",
               tessera_untyped_retype(ut, TESSERA_OBJ_ENDPOINT, 0, ROOT, 4095, 2), TESSERA_ERR_RANGE);
        expect("retype into an endpoint as if a CNode: INVALID_CAPABILITY",
               tessera_untyped_retype(ut, TESSERA_OBJ_ENDPOINT, 0, e, 0, 1), TESSERA_ERR_INVALID_CAPABILITY);
        expect("retype an untyped bigger than its parent: NOT_ENOUGH_MEMORY",
               tessera_untyped_retype(ut, TESSERA_OBJ_UNTYPED, ut_bits + 1, ROOT, e + 10, 1),
               TESSERA_ERR_NOT_ENOUGH_MEMORY);
        expect("retype without the destination cap: TRUNCATED_MESSAGE",
               tessera_invoke(ut, TESSERA_INV_UNTYPED_RETYPE,
                              (const uint64_t[]){ TESSERA_OBJ_ENDPOINT, 0, e + 10, 1 }, 4, 0, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("retype with three arguments: TRUNCATED_MESSAGE",
               tessera_invoke(ut, TESSERA_INV_UNTYPED_RETYPE,
                              (const uint64_t[]){ TESSERA_OBJ_ENDPOINT, 0, e + 10 }, 3,
                              (const uint64_t[]){ ROOT }, 1),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("retype 8 notifications at once",
               tessera_untyped_retype(ut, TESSERA_OBJ_NOTIFICATION, 0, ROOT, e + 20, 8), TESSERA_OK);
        expect("retype a 16-slot CNode",
               tessera_untyped_retype(ut, TESSERA_OBJ_CNODE, 4, ROOT, e + 30, 1), TESSERA_OK);
}

static void test_cnode_ops(uint64_t e)
{
        expect("mint a badged copy of the endpoint",
               tessera_cnode_mint(ROOT, e + 1, DEPTH, ROOT, e, DEPTH, TESSERA_RIGHTS_ALL, 5), TESSERA_OK);
        expect("mint a badge onto a badged cap: ILLEGAL_OPERATION",
               tessera_cnode_mint(ROOT, e + 2, DEPTH, ROOT, e + 1, DEPTH, TESSERA_RIGHTS_ALL, 6),
               TESSERA_ERR_ILLEGAL_OPERATION);
        expect("copy with fewer rights",
               tessera_cnode_copy(ROOT, e + 2, DEPTH, ROOT, e, DEPTH, TESSERA_RIGHT_READ), TESSERA_OK);
        expect("copy into a full slot: DELETE_FIRST",
               tessera_cnode_copy(ROOT, e + 2, DEPTH, ROOT, e, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_ERR_DELETE_FIRST);
        expect("copy from an empty slot: FAILED_LOOKUP",
               tessera_cnode_copy(ROOT, e + 3, DEPTH, ROOT, e + 9, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_ERR_FAILED_LOOKUP);
        expect("copy with depth 0: RANGE",
               tessera_cnode_copy(ROOT, e + 3, 0, ROOT, e, DEPTH, TESSERA_RIGHTS_ALL), TESSERA_ERR_RANGE);
        expect("copy from a slot with guard bits set: FAILED_LOOKUP",
               tessera_cnode_copy(ROOT, e + 3, DEPTH, ROOT, e | 1ull << 40, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_ERR_FAILED_LOOKUP);
        expect("move the read-only copy",
               tessera_cnode_move(ROOT, e + 3, DEPTH, ROOT, e + 2, DEPTH), TESSERA_OK);
        expect("move from the slot just emptied: FAILED_LOOKUP",
               tessera_cnode_move(ROOT, e + 4, DEPTH, ROOT, e + 2, DEPTH), TESSERA_ERR_FAILED_LOOKUP);
        expect("delete the moved copy", tessera_cnode_delete(ROOT, e + 3, DEPTH), TESSERA_OK);
        expect("delete an empty slot", tessera_cnode_delete(ROOT, e + 3, DEPTH), TESSERA_OK);
        expect("revoke the endpoint: its badged child goes", tessera_cnode_revoke(ROOT, e, DEPTH),
               TESSERA_OK);
        expect("the revoked child's slot is empty",
               tessera_cnode_copy(ROOT, e + 3, DEPTH, ROOT, e + 1, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_ERR_FAILED_LOOKUP);
        expect("mint a CNode cap without WRITE",
               tessera_cnode_mint(ROOT, e + 5, DEPTH, ROOT, ROOT, DEPTH, TESSERA_RIGHT_READ, 0),
               TESSERA_OK);
        expect("copy into a CNode through a cap without WRITE: INSUFFICIENT_RIGHTS",
               tessera_cnode_copy(e + 5, e + 6, DEPTH, ROOT, e, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
}

static void test_invoking(uint64_t e)
{
        expect("invoke an empty slot: INVALID_CAPABILITY",
               tessera_cnode_delete(e + 9, 0, DEPTH), TESSERA_ERR_INVALID_CAPABILITY);
        expect("invoke an address with guard bits set: FAILED_LOOKUP",
               tessera_cnode_delete(ROOT | 1ull << 63, e, DEPTH), TESSERA_ERR_FAILED_LOOKUP);
        expect("a CNode label on an untyped: ILLEGAL_OPERATION",
               tessera_invoke(e + 40, TESSERA_INV_CNODE_DELETE, (const uint64_t[]){ 0, DEPTH }, 2, 0, 0),
               TESSERA_ERR_ILLEGAL_OPERATION);
        expect("an unknown label on a CNode: ILLEGAL_OPERATION",
               tessera_invoke(ROOT, 999, 0, 0, 0, 0), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("delete with one argument: TRUNCATED_MESSAGE",
               tessera_invoke(ROOT, TESSERA_INV_CNODE_DELETE, (const uint64_t[]){ e }, 1, 0, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
}

/* Revoking an untyped frees its memory: the same objects fit again. */
static void test_reuse(uint64_t ut, uint64_t e)
{
        expect("revoke the untyped", tessera_cnode_revoke(ROOT, ut, DEPTH), TESSERA_OK);
        expect("its objects' slots are empty",
               tessera_cnode_copy(ROOT, e + 50, DEPTH, ROOT, e + 20, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_ERR_FAILED_LOOKUP);
        expect("retype again after the revoke",
               tessera_untyped_retype(ut, TESSERA_OBJ_ENDPOINT, 0, ROOT, e, 1), TESSERA_OK);
        expect("copying an untyped with children: REVOKE_FIRST",
               tessera_cnode_copy(ROOT, e + 51, DEPTH, ROOT, ut, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_ERR_REVOKE_FIRST);
}

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        unsigned ut_bits;
        uint64_t ut = suite_largest_untyped(bi, &ut_bits);
        uint64_t e = bi->empty.start;

        tessera_printf("# captests on core %u: %u untyped, largest 2^%u bytes; free slots %llu-%llu\n",
                       bi->core_id, bi->untyped_count, ut_bits, (unsigned long long)bi->empty.start,
                       (unsigned long long)bi->empty.end);
        expect("the boot info is the kernel's", bi->magic == TESSERA_BOOTINFO_MAGIC, 1);
        test_retype(ut, ut_bits, e);
        tessera_untyped_retype(ut, TESSERA_OBJ_UNTYPED, 12, ROOT, e + 40, 1);
        test_cnode_ops(e);
        test_invoking(e);
        test_reuse(ut, e);
        tessera_printf("1..%u\n", tap_checks());
        return suite_finish(bi, tap_failures());
}
