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
#include <ipi/port.h>
#include <kernel/cnode.h>
#include <kernel/cspace_ops.h>
#include <kernel/invocation.h>
#include <kernel/ipc.h>
#include <kernel/untyped.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>

#define SVC_BYTES 4

uint64_t inv_mr(const struct invocation *inv, unsigned i)
{
        return i < TESSERA_MSG_REGS_IN_CPU ? inv->args->mr[i] : inv->buffer->mr[i];
}

void inv_reply(const struct invocation *inv, int status)
{
        static const uint64_t none[4];

        arch_syscall_return(&inv->caller->ctx, 0, tessera_msg_info((uint64_t)status, 0, 0), none);
        ipc_set_status(inv->caller, (uint64_t)status);
}

void inv_reply_mrs(const struct invocation *inv, const uint64_t *mrs, unsigned count)
{
        uint64_t regs[TESSERA_MSG_REGS_IN_CPU] = { 0 };
        struct tessera_ipc_buffer *buf = inv->buffer;

        if (count > TESSERA_MSG_MAX_LENGTH)
                count = TESSERA_MSG_MAX_LENGTH;
        if (!buf && count > TESSERA_MSG_REGS_IN_CPU)
                count = TESSERA_MSG_REGS_IN_CPU;
        for (unsigned i = 0; i < count; i++) {
                if (i < TESSERA_MSG_REGS_IN_CPU)
                        regs[i] = mrs[i];
                else
                        buf->mr[i] = mrs[i];
        }
        arch_syscall_return(&inv->caller->ctx, 0, tessera_msg_info(TESSERA_OK, 0, count), regs);
        ipc_set_status(inv->caller, TESSERA_OK);
}

void inv_restart(const struct invocation *inv)
{
        inv->caller->ctx.pc -= SVC_BYTES;
}

int inv_extra_cap(const struct invocation *inv, unsigned i, struct cte **slot)
{
        if (i >= inv->extra_caps)
                return TESSERA_ERR_TRUNCATED_MESSAGE;
        return cnode_lookup_cap(tcb_cspace(inv->caller), inv->buffer->caps[i], slot);
}

int inv_extra_notification(const struct invocation *inv, unsigned i, struct cte **slot)
{
        int err = inv_extra_cap(inv, i, slot);

        if (err)
                return err;
        if ((*slot)->cap.type != CAP_NOTIFICATION)
                return TESSERA_ERR_INVALID_CAPABILITY;
        if (!((*slot)->cap.rights & TESSERA_RIGHT_WRITE))
                return TESSERA_ERR_INSUFFICIENT_RIGHTS;
        return TESSERA_OK;
}

void invoke_untyped(const struct invocation *inv)
{
        struct untyped_plan plan;
        struct cte *dest;
        int err;

        if (inv->label != TESSERA_INV_UNTYPED_RETYPE) {
                inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION);
                return;
        }
        err = inv->length < 4 ? TESSERA_ERR_TRUNCATED_MESSAGE : inv_extra_cap(inv, 0, &dest);
        if (!err)
                err = untyped_retype_decode(inv->slot, inv_mr(inv, 0), inv_mr(inv, 1), &dest->cap,
                                            inv_mr(inv, 2), inv_mr(inv, 3), &plan);
        if (err) {
                inv_reply(inv, err);
                return;
        }
        if (plan.reset && !untyped_reset_step(inv->slot, INV_STEP_BUDGET)) {
                inv_restart(inv);
                return;
        }
        untyped_retype_invoke(&plan);
        inv_reply(inv, TESSERA_OK);
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
                err = inv_extra_cap(inv, 0, &src);
        if (!err && inv->label == TESSERA_INV_CNODE_ROTATE)
                err = inv_extra_cap(inv, 1, &pivot);
        roots->src = src ? &src->cap : NULL;
        roots->pivot = pivot ? &pivot->cap : NULL;
        return err;
}

void invoke_cnode(const struct invocation *inv)
{
        unsigned needed = cnode_arg_count(inv->label);
        struct cspace_args args;
        struct cspace_roots roots;
        struct cspace_op op;
        int err;

        if (!needed) {
                inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION);
                return;
        }
        err = inv->length < needed ? TESSERA_ERR_TRUNCATED_MESSAGE : cnode_roots(inv, needed, &roots);
        args = (struct cspace_args){
                .dest_index = inv_mr(inv, 0), .dest_depth = inv_mr(inv, 1),
                .src_index = inv_mr(inv, 2), .src_depth = inv_mr(inv, 3),
                .rights = needed > 4 ? inv_mr(inv, 4) : 0, .data = needed > 5 ? inv_mr(inv, 5) : 0,
                .pivot_index = needed > 6 ? inv_mr(inv, 6) : 0, .pivot_depth = needed > 7 ? inv_mr(inv, 7) : 0,
                .src_data = needed > 8 ? inv_mr(inv, 8) : 0,
        };
        if (!err)
                err = cspace_decode((enum tessera_invocation)inv->label, &roots, &args, &op);
        if (err) {
                inv_reply(inv, err);
                return;
        }
        if (!cspace_invoke(&op, INV_STEP_BUDGET)) {
                inv_restart(inv);
                return;
        }
        inv_reply(inv, TESSERA_OK);
}

void kernel_invoke(struct tcb *t, const struct syscall_args *a, struct cte *slot, int err)
{
        struct invocation inv = {
                .caller = t, .slot = slot, .label = tessera_msg_label(a->info),
                .length = tessera_msg_length(a->info), .extra_caps = tessera_msg_caps(a->info),
                .args = a, .buffer = tcb_ipc_buffer(t),
        };

        if (!inv.buffer) {
                inv.extra_caps = 0;
                if (inv.length > TESSERA_MSG_REGS_IN_CPU)
                        inv.length = TESSERA_MSG_REGS_IN_CPU;
        }
        if (err) {
                inv_reply(&inv, err);
                return;
        }
        switch (inv.slot->cap.type) {
        case CAP_UNTYPED: invoke_untyped(&inv); break;
        case CAP_CNODE: invoke_cnode(&inv); break;
        case CAP_TCB: invoke_tcb(&inv); break;
        case CAP_FRAME: invoke_frame(&inv); break;
        case CAP_PAGE_TABLE: invoke_page_table(&inv); break;
        case CAP_VSPACE: invoke_vspace(&inv); break;
        case CAP_ASID_CONTROL: invoke_asid_control(&inv); break;
        case CAP_IRQ_CONTROL: invoke_irq_control(&inv); break;
        case CAP_IRQ_HANDLER: invoke_irq_handler(&inv); break;
        case CAP_IPI_PORT: invoke_ipi_port(&inv); break;
        case CAP_NULL: inv_reply(&inv, TESSERA_ERR_INVALID_CAPABILITY); break;
        default: inv_reply(&inv, TESSERA_ERR_ILLEGAL_OPERATION); break;
        }
}
