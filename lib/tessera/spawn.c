/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Spawning a process (spawn.h): check the arguments and the image, reserve
 * one range of slots for every cap the process needs, make its CNode,
 * VSpace and TCB, fill the address space (spawn_load.c), give the child its
 * fixed slots, then configure and start the thread. Any failure undoes it
 * all through tessera_spawn_destroy, which only needs the range.
 */
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/objects.h>
#include "invoke.h"
#include "spawn_internal.h"
#include "tcb.h"
#include "vspace.h"

/* The process range starts with these; frames and page tables follow. */
enum { RANGE_TCB, RANGE_CNODE, RANGE_VSPACE, RANGE_FIXED };

static int fail(struct tessera_process *p, const char *step, int err)
{
        if (err && !p->failed)
                p->failed = step;
        return err;
}

/* ---- checks ---------------------------------------------------------- */

static int check_shares(const struct tessera_spawn_args *args)
{
        if (args->share_count > TESSERA_SPAWN_MAX_SHARES)
                return TESSERA_ERR_RANGE;
        for (unsigned i = 0; i < args->share_count; i++) {
                const struct tessera_spawn_share *s = &args->shares[i];

                if (s->vaddr >= TESSERA_ELF_VA_LIMIT)
                        return TESSERA_ERR_RANGE;
                if (s->vaddr & (SPAWN_PAGE - 1))
                        return TESSERA_ERR_ALIGNMENT;
                if (!(s->rights & TESSERA_RIGHT_READ) ||
                    (s->rights & ~(TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE)))
                        return TESSERA_ERR_INVALID_ARGUMENT;
        }
        return TESSERA_OK;
}

/* The arguments, with defaults filled into b. */
static int check_args(const struct tessera_spawn_args *args, struct spawn_build *b)
{
        unsigned bits = args->cnode_bits ? args->cnode_bits : TESSERA_SPAWN_CNODE_BITS;

        b->stack_pages = args->stack_pages ? args->stack_pages : TESSERA_SPAWN_STACK_PAGES;
        b->proc->cnode_bits = bits;
        if (!args->elf)
                return TESSERA_ERR_INVALID_ARGUMENT;
        /* The fixed slots and the caps handed over must fit in the CNode. */
        if (bits < 1 || bits > TESSERA_CNODE_MAX_RADIX || args->cap_count > TESSERA_SPAWN_MAX_CAPS ||
            TESSERA_SLOT_FIRST_FREE_FIXED + args->cap_count > 1ull << bits)
                return TESSERA_ERR_RANGE;
        if (b->stack_pages > TESSERA_SPAWN_MAX_STACK_PAGES || args->priority >= TESSERA_PRIORITY_COUNT)
                return TESSERA_ERR_RANGE;
        return check_shares(args);
}

static int check_image(struct spawn_build *b)
{
        int err = tessera_elf_parse(b->args->elf, b->args->elf_size,
                                    spawn_stack_floor(b->stack_pages), &b->image);

        b->proc->elf_error = err;
        if (err)
                return fail(b->proc, "check the ELF image", TESSERA_SPAWN_ELF_ERROR(err));
        b->proc->entry = b->image.entry;
        return TESSERA_OK;
}

static int reserve_slots(struct spawn_build *b)
{
        struct tessera_process *p = b->proc;

        p->slot_count = RANGE_FIXED + spawn_vspace_slots(b);
        p->first_slot = tessera_alloc_slots(b->alloc, p->slot_count);
        if (!p->first_slot) {
                p->slot_count = 0;
                return fail(p, "reserve slots", TESSERA_ERR_NOT_ENOUGH_MEMORY);
        }
        p->tcb = p->first_slot + RANGE_TCB;
        p->cnode = p->first_slot + RANGE_CNODE;
        p->vspace = p->first_slot + RANGE_VSPACE;
        b->next = p->first_slot + RANGE_FIXED;
        return TESSERA_OK;
}

/* ---- objects, CSpace, thread ----------------------------------------- */

static int make_objects(struct spawn_build *b)
{
        struct tessera_process *p = b->proc;
        int err = tessera_alloc_retype(b->alloc, TESSERA_OBJ_CNODE, p->cnode_bits, p->cnode, 1);

        if (err)
                return fail(p, "retype the CNode", err);
        err = tessera_alloc_retype(b->alloc, TESSERA_OBJ_VSPACE, 0, p->vspace, 1);
        if (err)
                return fail(p, "retype the VSpace", err);
        err = tessera_asid_assign(TESSERA_SLOT_ASID_CONTROL, p->vspace);
        if (err)
                return fail(p, "assign an ASID", err);
        return fail(p, "retype the TCB", tessera_alloc_retype(b->alloc, TESSERA_OBJ_TCB, 0, p->tcb, 1));
}

static uint64_t child_guard(const struct tessera_process *p)
{
        return TESSERA_CNODE_GUARD(0, 64 - p->cnode_bits);
}

/* A copy of one of the spawner's caps into the child's slot `dest`. */
static int give(const struct tessera_process *p, uint64_t dest, uint64_t src)
{
        return tessera_cnode_copy(p->cnode, dest, p->cnode_bits, SPAWN_ROOT, src, SPAWN_ROOT_DEPTH,
                                  TESSERA_RIGHTS_ALL);
}

static int fill_cspace(struct spawn_build *b)
{
        struct tessera_process *p = b->proc;
        int err = give(p, TESSERA_SLOT_TCB, p->tcb);

        if (!err)
                err = tessera_cnode_mint(p->cnode, TESSERA_SLOT_CNODE, p->cnode_bits, SPAWN_ROOT,
                                         p->cnode, SPAWN_ROOT_DEPTH, TESSERA_RIGHTS_ALL,
                                         child_guard(p));
        if (!err)
                err = give(p, TESSERA_SLOT_VSPACE, p->vspace);
        if (!err)
                err = give(p, TESSERA_SLOT_IPC_BUFFER, b->ipc_frame);
        for (unsigned i = 0; !err && i < b->args->cap_count; i++)
                err = give(p, TESSERA_SLOT_FIRST_FREE_FIXED + i, b->args->caps[i]);
        return fail(p, "fill the child's CNode", err);
}

static int start_thread(struct spawn_build *b)
{
        struct tessera_process *p = b->proc;
        uint64_t regs[] = { [TESSERA_REG_PC] = p->entry, [TESSERA_REG_SP] = TESSERA_ROOT_STACK_TOP,
                            [TESSERA_REG_NZCV] = 0, [TESSERA_REG_X0] = b->args->arg };
        int err = tessera_tcb_configure(p->tcb, 0, p->cnode, child_guard(p), p->vspace,
                                        TESSERA_ROOT_IPC_BUFFER_VADDR, b->ipc_frame);

        if (err)
                return fail(p, "configure the TCB", err);
        err = tessera_tcb_set_priority(p->tcb, TESSERA_SLOT_TCB, b->args->priority);
        if (err)
                return fail(p, "set the priority", err);
        if (b->args->name) {
                err = tessera_tcb_set_name(p->tcb, b->args->name);
                if (err)
                        return fail(p, "set the name", err);
        }
        err = tessera_tcb_write_registers(p->tcb, 0, sizeof(regs) / sizeof(regs[0]), regs);
        if (err)
                return fail(p, "write the registers", err);
        return fail(p, "resume the thread", tessera_tcb_resume(p->tcb));
}

/* ---- spawn and destroy ----------------------------------------------- */

/* The reservation counted page tables generously: give back the slots after
 * `next`, which were never used, so the process holds exactly its caps. */
static void trim_slots(struct tessera_alloc *a, struct tessera_process *p, uint64_t next)
{
        tessera_alloc_free_slots(a, next, p->first_slot + p->slot_count - next);
        p->slot_count = next - p->first_slot;
}

int tessera_spawn(struct tessera_alloc *a, const struct tessera_spawn_args *args,
                  struct tessera_process *p)
{
        struct spawn_build b = { .alloc = a, .proc = p, .args = args };
        int err;

        *p = (struct tessera_process){ 0 };
        err = fail(p, "check the arguments", check_args(args, &b));
        if (!err)
                err = check_image(&b);
        if (!err)
                err = reserve_slots(&b);
        if (!err)
                err = make_objects(&b);
        if (!err)
                err = spawn_load(&b);
        if (!err)
                err = fill_cspace(&b);
        if (!err)
                err = start_thread(&b);
        if (p->slot_count)
                trim_slots(a, p, b.next);
        if (err && p->slot_count)
                tessera_spawn_destroy(a, p);
        return err;
}

/* Revoke, then delete (an empty slot is fine for both); the first error is kept. */
static void delete_slot(uint64_t slot, int *first_err)
{
        int revoked = tessera_cnode_revoke(SPAWN_ROOT, slot, SPAWN_ROOT_DEPTH);
        int deleted = tessera_cnode_delete(SPAWN_ROOT, slot, SPAWN_ROOT_DEPTH);

        if (!*first_err)
                *first_err = revoked ? revoked : deleted;
}

/* The thread goes first, so nothing runs in what follows; then its CNode,
 * with the child's copies in it; the VSpace last, after everything mapped
 * in it. */
int tessera_spawn_destroy(struct tessera_alloc *a, struct tessera_process *p)
{
        uint64_t end = p->first_slot + p->slot_count;
        int err = TESSERA_OK;

        if (!p->slot_count)
                return TESSERA_OK;
        tessera_tcb_suspend(p->tcb);    /* fails only if the TCB was never made */
        delete_slot(p->tcb, &err);
        delete_slot(p->cnode, &err);
        for (uint64_t s = p->first_slot + RANGE_FIXED; s < end; s++)
                delete_slot(s, &err);
        delete_slot(p->vspace, &err);
        tessera_alloc_free_slots(a, p->first_slot, p->slot_count);
        p->slot_count = 0;
        return err;
}
