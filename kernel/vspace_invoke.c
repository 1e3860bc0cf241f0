/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Invocations on frames, page tables, VSpaces and the ASID control cap
 * (argument layout in tessera/invocations.h, errors in docs/api.md). Each
 * decode checks every argument and has no effects; the invoke that follows
 * cannot fail. Errors, in the order they are checked:
 *
 *   ILLEGAL_OPERATION    a label the object does not have (a VSpace has none)
 *   TRUNCATED_MESSAGE    too few message registers, or no extra cap
 *   (lookup errors)      the extra cap's address does not resolve
 *   INVALID_CAPABILITY   the extra cap is not a VSpace, or one without an ASID
 *                        (AssignASID: not a VSpace)
 *   MAPPING              this cap is mapped already (AssignASID: the VSpace
 *                        has an ASID)
 *   NOT_MAPPED           unmapping a cap that is not mapped
 *   REVOKE_FIRST         PageTable Unmap while other caps to the table exist
 *   RANGE                vaddr >= 2^48
 *   ALIGNMENT            a frame's vaddr not aligned to the frame's size
 *   INVALID_ARGUMENT     rights other than READ/WRITE, unknown attribute bits
 *   INSUFFICIENT_RIGHTS  requested & cap rights lacks READ (AArch64 cannot
 *                        map write-only)
 *   FAILED_LOOKUP        Frame Map: a table on the path is missing (the user
 *                        maps page tables first: a 2 MiB frame needs levels
 *                        1-2, a 4 KiB frame levels 1-3)
 *   MAPPING              something is mapped at vaddr, or a block is in the
 *                        way; PageTable Map: every level has a table already
 *   NOT_ENOUGH_MEMORY    AssignASID: all 255 ASIDs are taken
 */
#include <kernel/cdt.h>
#include <kernel/invocation.h>
#include <kernel/vspace.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>

#define FRAME_RIGHTS (TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE)

/* The address space a Map call names in extra cap 0. */
struct vspace_target {
        uint64_t root;                  /* PA of its level-0 table */
        unsigned asid;
};

static int vspace_target(const struct invocation *inv, struct vspace_target *t)
{
        struct cte *slot;
        const struct cap *c;
        int err = inv_extra_cap(inv, 0, &slot);

        if (err)
                return err;
        c = &slot->cap;
        if (c->type != CAP_VSPACE || !(c->flags & CAP_FLAG_MAPPED))
                return TESSERA_ERR_INVALID_CAPABILITY;
        t->asid = (unsigned)c->data;
        t->root = vspace_asid_root(t->asid);
        /* The table and the cap always agree; a disagreement is refused. */
        return t->root && t->root == vspace_cap_pa(c) ? TESSERA_OK : TESSERA_ERR_INVALID_CAPABILITY;
}

static bool user_vaddr(uint64_t vaddr)
{
        return (vaddr >> ARCH_USER_VA_BITS) == 0;
}

/* ---- frames ---------------------------------------------------------- */

struct frame_map {
        struct vspace_target vs;
        struct arch_walk walk;
        uint64_t vaddr;
        unsigned attrs;                 /* ARCH_MAP_* */
};

static unsigned frame_arch_attrs(const struct cap *f, uint64_t rights, uint64_t attrs)
{
        unsigned a = ARCH_MAP_READ;

        if (rights & TESSERA_RIGHT_WRITE)
                a |= ARCH_MAP_WRITE;
        if (attrs & TESSERA_FRAME_EXECUTE)
                a |= ARCH_MAP_EXECUTE;
        if (f->flags & CAP_FLAG_DEVICE)
                a |= ARCH_MAP_DEVICE;
        else if (attrs & TESSERA_FRAME_UNCACHED)
                a |= ARCH_MAP_UNCACHED;
        return a;
}

/* The entry the frame goes in: FAILED_LOOKUP if a table on the way is
 * missing, MAPPING if anything else is there. */
static int frame_find_entry(const struct cap *f, struct frame_map *m)
{
        unsigned level = vspace_frame_level(f);

        arch_vspace_walk(m->vs.root, m->vaddr, level, &m->walk);
        if (m->walk.level < level)
                return m->walk.kind == ARCH_ENTRY_EMPTY ? TESSERA_ERR_FAILED_LOOKUP : TESSERA_ERR_MAPPING;
        return m->walk.kind == ARCH_ENTRY_EMPTY ? TESSERA_OK : TESSERA_ERR_MAPPING;
}

static int frame_map_decode(const struct invocation *inv, struct frame_map *m)
{
        const struct cap *f = &inv->slot->cap;
        uint64_t rights, attrs;
        int err;

        if (inv->length < 3)
                return TESSERA_ERR_TRUNCATED_MESSAGE;
        err = vspace_target(inv, &m->vs);
        if (err)
                return err;
        if (f->flags & CAP_FLAG_MAPPED)
                return TESSERA_ERR_MAPPING;
        m->vaddr = inv_mr(inv, 0);
        rights = inv_mr(inv, 1);
        attrs = inv_mr(inv, 2);
        if (!user_vaddr(m->vaddr))
                return TESSERA_ERR_RANGE;
        if (m->vaddr & (((uint64_t)1 << f->size_bits) - 1))
                return TESSERA_ERR_ALIGNMENT;
        if ((rights & ~(uint64_t)FRAME_RIGHTS) || (attrs & ~(uint64_t)TESSERA_FRAME_ATTRS_ALL))
                return TESSERA_ERR_INVALID_ARGUMENT;
        rights &= f->rights;
        if (!(rights & TESSERA_RIGHT_READ))
                return TESSERA_ERR_INSUFFICIENT_RIGHTS;
        m->attrs = frame_arch_attrs(f, rights, attrs);
        return frame_find_entry(f, m);
}

static void frame_map(const struct invocation *inv)
{
        struct cap *f = &inv->slot->cap;
        struct frame_map m;
        int err = frame_map_decode(inv, &m);

        if (err) {
                inv_reply(inv, err);
                return;
        }
        if (m.attrs & ARCH_MAP_EXECUTE)
                arch_sync_icache((const void *)(uintptr_t)f->object, (uint64_t)1 << f->size_bits);
        arch_vspace_set_leaf(&m.walk, vspace_cap_pa(f), m.attrs);
        f->flags |= CAP_FLAG_MAPPED;
        f->data = m.vaddr;
        f->aux = m.vs.asid;
        inv_reply(inv, TESSERA_OK);
}

static void frame_unmap(const struct invocation *inv)
{
        struct cap *f = &inv->slot->cap;

        if (!(f->flags & CAP_FLAG_MAPPED)) {
                inv_reply(inv, TESSERA_ERR_NOT_MAPPED);
                return;
        }
        vspace_frame_unlink(f);
        f->flags &= ~CAP_FLAG_MAPPED;
        f->data = f->aux = 0;
        inv_reply(inv, TESSERA_OK);
}

void invoke_frame(const struct invocation *inv)
{
        uint64_t pa = vspace_cap_pa(&inv->slot->cap);

        switch (inv->label) {
        case TESSERA_INV_FRAME_MAP: frame_map(inv); break;
        case TESSERA_INV_FRAME_UNMAP: frame_unmap(inv); break;
        case TESSERA_INV_FRAME_GET_ADDRESS: inv_reply_mrs(inv, &pa, 1); break;
        default: inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION); break;
        }
}

/* ---- page tables ----------------------------------------------------- */

struct table_map {
        struct vspace_target vs;
        struct arch_walk walk;          /* the empty entry the table goes in */
        uint64_t vaddr;
};

static int table_map_decode(const struct invocation *inv, struct table_map *m)
{
        int err;

        if (inv->length < 1)
                return TESSERA_ERR_TRUNCATED_MESSAGE;
        err = vspace_target(inv, &m->vs);
        if (err)
                return err;
        if (inv->slot->cap.flags & CAP_FLAG_MAPPED)
                return TESSERA_ERR_MAPPING;
        m->vaddr = inv_mr(inv, 0);
        if (!user_vaddr(m->vaddr))
                return TESSERA_ERR_RANGE;
        /* Level 2 holds the deepest entries that can point at a table. */
        arch_vspace_walk(m->vs.root, m->vaddr, ARCH_BLOCK_LEVEL, &m->walk);
        return m->walk.kind == ARCH_ENTRY_EMPTY ? TESSERA_OK : TESSERA_ERR_MAPPING;
}

static void table_map(const struct invocation *inv)
{
        struct cap *t = &inv->slot->cap;
        struct table_map m;
        uint64_t span;
        int err = table_map_decode(inv, &m);

        if (err) {
                inv_reply(inv, err);
                return;
        }
        span = (uint64_t)1 << arch_vspace_entry_bits(m.walk.level);
        arch_vspace_set_table(&m.walk, vspace_cap_pa(t));
        t->flags |= CAP_FLAG_MAPPED;
        t->data = m.vaddr & ~(span - 1);
        t->aux = m.vs.asid | (uint64_t)(m.walk.level + 1) << VSPACE_PT_LEVEL_SHIFT;
        inv_reply(inv, TESSERA_OK);
}

static void table_unmap(const struct invocation *inv)
{
        struct cap *t = &inv->slot->cap;

        if (!(t->flags & CAP_FLAG_MAPPED)) {
                inv_reply(inv, TESSERA_ERR_NOT_MAPPED);
                return;
        }
        if (!cdt_is_final(inv->slot)) {
                inv_reply(inv, TESSERA_ERR_REVOKE_FIRST);
                return;
        }
        vspace_page_table_unlink(t);
        t->flags &= ~CAP_FLAG_MAPPED;
        t->data = t->aux = 0;
        inv_reply(inv, TESSERA_OK);
}

void invoke_page_table(const struct invocation *inv)
{
        switch (inv->label) {
        case TESSERA_INV_PAGE_TABLE_MAP: table_map(inv); break;
        case TESSERA_INV_PAGE_TABLE_UNMAP: table_unmap(inv); break;
        default: inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION); break;
        }
}

/* ---- VSpaces and ASIDs ----------------------------------------------- */

void invoke_vspace(const struct invocation *inv)
{
        inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION);
}

static int assign_asid_decode(const struct invocation *inv, struct cte **vspace, unsigned *asid)
{
        int err = inv_extra_cap(inv, 0, vspace);

        if (err)
                return err;
        if ((*vspace)->cap.type != CAP_VSPACE)
                return TESSERA_ERR_INVALID_CAPABILITY;
        if ((*vspace)->cap.flags & CAP_FLAG_MAPPED)
                return TESSERA_ERR_MAPPING;
        *asid = vspace_asid_find_free();
        return *asid == VSPACE_ASID_NONE ? TESSERA_ERR_NOT_ENOUGH_MEMORY : TESSERA_OK;
}

/* A VSpace without an ASID cannot be copied (cspace_ops.c), so the cap
 * changed here is the only one to it. */
void invoke_asid_control(const struct invocation *inv)
{
        struct cte *vspace;
        unsigned asid;
        int err;

        if (inv->label != TESSERA_INV_VSPACE_ASSIGN_ASID) {
                inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION);
                return;
        }
        err = assign_asid_decode(inv, &vspace, &asid);
        if (err) {
                inv_reply(inv, err);
                return;
        }
        vspace_asid_bind(asid, vspace_cap_pa(&vspace->cap));
        vspace->cap.flags |= CAP_FLAG_MAPPED;
        vspace->cap.data = asid;
        inv_reply(inv, TESSERA_OK);
}
