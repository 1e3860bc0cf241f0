/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Object invocations through Call: find the invoked cap in the caller's
 * CSpace, gather its arguments (message registers 0-3 from the CPU, the rest
 * and the extra caps' addresses from the IPC buffer), let the object's decode
 * check everything, then invoke. The reply's label is the status (0 on
 * success). Work that may be long (clearing an untyped, deleting or revoking
 * many caps) runs in bounded steps: when a step does not finish, the call is
 * restarted (the thread re-executes its svc), so interrupts are taken
 * between steps and no call holds the kernel for long.
 */
#include <kernel/cnode.h>
#include <kernel/cspace_ops.h>
#include <kernel/thread.h>
#include <kernel/untyped.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>

#define STEP_BUDGET 64          /* units of work between preemption points */
#define SVC_BYTES 4

struct invocation {
        struct tcb *caller;
        struct cte *slot;               /* the invoked cap */
        uint64_t label;
        unsigned length, extra_caps;
        const struct syscall_args *args;
};

static uint64_t mr(const struct invocation *inv, unsigned i)
{
        return i < TESSERA_MSG_REGS_IN_CPU ? inv->args->mr[i] : inv->caller->ipc_buffer->mr[i];
}

static void reply(struct tcb *t, uint64_t status)
{
        static const uint64_t none[4];

        arch_syscall_return(&t->ctx, 0, tessera_msg_info(status, 0, 0), none);
}

/* Re-execute the svc later: the registers still hold the call. */
static void restart(struct tcb *t)
{
        t->ctx.pc -= SVC_BYTES;
}

static int extra_cap(const struct invocation *inv, unsigned i, struct cte **slot)
{
        if (i >= inv->extra_caps)
                return TESSERA_ERR_TRUNCATED_MESSAGE;
        return cnode_lookup_cap(&inv->caller->cspace_root, inv->caller->ipc_buffer->caps[i], slot);
}

static void invoke_untyped(const struct invocation *inv)
{
        struct untyped_plan plan;
        struct cte *dest;
        int err;

        if (inv->label != TESSERA_INV_UNTYPED_RETYPE) {
                reply(inv->caller, TESSERA_ERR_ILLEGAL_OPERATION);
                return;
        }
        err = inv->length < 4 ? TESSERA_ERR_TRUNCATED_MESSAGE : extra_cap(inv, 0, &dest);
        if (!err)
                err = untyped_retype_decode(inv->slot, mr(inv, 0), mr(inv, 1), &dest->cap,
                                            mr(inv, 2), mr(inv, 3), &plan);
        if (err) {
                reply(inv->caller, (uint64_t)err);
                return;
        }
        if (plan.reset && !untyped_reset_step(inv->slot, STEP_BUDGET)) {
                restart(inv->caller);
                return;
        }
        untyped_retype_invoke(&plan);
        reply(inv->caller, TESSERA_OK);
}

/* Message registers each CNode invocation needs (invocations.h). */
static unsigned cnode_arg_count(uint64_t label)
{
        switch (label) {
        case TESSERA_INV_CNODE_DELETE: case TESSERA_INV_CNODE_REVOKE: return 2;
        case TESSERA_INV_CNODE_MOVE: return 4;
        case TESSERA_INV_CNODE_COPY: return 5;
        case TESSERA_INV_CNODE_MINT: case TESSERA_INV_CNODE_MUTATE: return 6;
        case TESSERA_INV_CNODE_ROTATE: return 9;
        default: return 0;
        }
}

static int cnode_roots(const struct invocation *inv, unsigned needed, struct cspace_roots *roots)
{
        struct cte *src = NULL, *pivot = NULL;
        int err = TESSERA_OK;

        roots->dest = &inv->slot->cap;
        if (needed > 2)
                err = extra_cap(inv, 0, &src);
        if (!err && inv->label == TESSERA_INV_CNODE_ROTATE)
                err = extra_cap(inv, 1, &pivot);
        roots->src = src ? &src->cap : NULL;
        roots->pivot = pivot ? &pivot->cap : NULL;
        return err;
}

static void invoke_cnode(const struct invocation *inv)
{
        unsigned needed = cnode_arg_count(inv->label);
        struct cspace_args args;
        struct cspace_roots roots;
        struct cspace_op op;
        int err;

        if (!needed) {
                reply(inv->caller, TESSERA_ERR_ILLEGAL_OPERATION);
                return;
        }
        err = inv->length < needed ? TESSERA_ERR_TRUNCATED_MESSAGE : cnode_roots(inv, needed, &roots);
        args = (struct cspace_args){
                .dest_index = mr(inv, 0), .dest_depth = mr(inv, 1),
                .src_index = mr(inv, 2), .src_depth = mr(inv, 3),
                .rights = needed > 4 ? mr(inv, 4) : 0, .data = needed > 5 ? mr(inv, 5) : 0,
                .pivot_index = needed > 6 ? mr(inv, 6) : 0, .pivot_depth = needed > 7 ? mr(inv, 7) : 0,
                .src_data = needed > 8 ? mr(inv, 8) : 0,
        };
        if (!err)
                err = cspace_decode((enum tessera_invocation)inv->label, &roots, &args, &op);
        if (err) {
                reply(inv->caller, (uint64_t)err);
                return;
        }
        if (!cspace_invoke(&op, STEP_BUDGET)) {
                restart(inv->caller);
                return;
        }
        reply(inv->caller, TESSERA_OK);
}

void kernel_invoke(struct tcb *t, const struct syscall_args *a)
{
        struct invocation inv = {
                .caller = t, .label = tessera_msg_label(a->info),
                .length = tessera_msg_length(a->info), .extra_caps = tessera_msg_caps(a->info),
                .args = a,
        };
        int err = cnode_lookup_cap(&t->cspace_root, a->cptr, &inv.slot);

        if (err) {
                reply(t, (uint64_t)err);
                return;
        }
        switch (inv.slot->cap.type) {
        case CAP_UNTYPED: invoke_untyped(&inv); break;
        case CAP_CNODE: invoke_cnode(&inv); break;
        case CAP_NULL: reply(t, TESSERA_ERR_INVALID_CAPABILITY); break;
        default: reply(t, TESSERA_ERR_ILLEGAL_OPERATION); break;
        }
}
