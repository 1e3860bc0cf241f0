/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRQ control and IRQ handler invocations (arguments in
 * tessera/invocations.h, behaviour in irq.h): decode checks every argument
 * with no effects, then the act cannot fail. A handler cap is a child of
 * the IRQ control cap it came from, so revoking IRQ control takes every
 * handler back.
 */
#include <kernel/cdt.h>
#include <kernel/cnode.h>
#include <kernel/invocation.h>
#include <kernel/irq.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>

#define IRQ_GET_ARGS 3                  /* INTID, dest index, dest depth */

/* Get's destination: through a CNode cap with WRITE, found and empty (the
 * rule of the CNode invocations' destinations, cspace_ops.h). */
static int lookup_dest(const struct cap *root, uint64_t index, uint64_t depth, struct cte **slot)
{
        int err;

        if (root->type != CAP_CNODE)
                return TESSERA_ERR_INVALID_CAPABILITY;
        if (!(root->rights & TESSERA_RIGHT_WRITE))
                return TESSERA_ERR_INSUFFICIENT_RIGHTS;
        if (depth == 0 || depth > 64)
                return TESSERA_ERR_RANGE;
        err = cnode_lookup(root, index, (unsigned)depth, slot);
        if (!err && !cap_is_null(&(*slot)->cap))
                return TESSERA_ERR_DELETE_FIRST;
        return err;
}

static int irq_get_decode(const struct invocation *inv, struct cte **dest)
{
        struct cte *root;
        int err;

        if (inv->length < IRQ_GET_ARGS)
                return TESSERA_ERR_TRUNCATED_MESSAGE;
        err = inv_extra_cap(inv, 0, &root);
        if (!err)
                err = irq_issue_check(inv_mr(inv, 0));
        if (!err)
                err = lookup_dest(&root->cap, inv_mr(inv, 1), inv_mr(inv, 2), dest);
        return err;
}

void invoke_irq_control(const struct invocation *inv)
{
        struct cte *dest;
        struct cap handler;
        int err;

        if (inv->label != TESSERA_INV_IRQ_CONTROL_GET) {
                inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION);
                return;
        }
        err = irq_get_decode(inv, &dest);
        if (err) {
                inv_reply(inv, err);
                return;
        }
        handler = irq_issue((unsigned)inv_mr(inv, 0));
        cdt_insert(inv->slot, dest, &handler);
        inv_reply(inv, TESSERA_OK);
}

void invoke_irq_handler(const struct invocation *inv)
{
        unsigned intid = (unsigned)inv->slot->cap.data;
        struct cte *ntfn;
        int err = TESSERA_OK;

        switch (inv->label) {
        case TESSERA_INV_IRQ_HANDLER_ACK:
                irq_ack(intid);
                break;
        case TESSERA_INV_IRQ_HANDLER_CLEAR:
                irq_clear(intid);
                break;
        case TESSERA_INV_IRQ_HANDLER_SET_NOTIFICATION:
                err = inv_extra_notification(inv, 0, &ntfn);
                if (!err)
                        irq_set_notification(intid, ntfn->cap.object, ntfn->cap.data);
                break;
        default:
                err = TESSERA_ERR_ILLEGAL_OPERATION;
                break;
        }
        inv_reply(inv, err);
}
