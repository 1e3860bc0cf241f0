/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCB invocations (ABI in include/tessera/invocations.h).
 *
 * Configure puts derived copies of the CSpace root, VSpace and IPC buffer
 * frame caps into the thread's slots (thread.h). Slots that are full are
 * emptied first, in preemptible steps since the old cap may be the last one
 * to a CNode; each source slot must still hold its cap afterwards, since
 * that deletion may have reached the caller's CSpace (FAILED_LOOKUP if not).
 * When the emptying is preempted the call restarts and is decoded afresh:
 * a thread reconfiguring itself whose old CSpace was the last cap to a
 * large CNode then finds no CSpace and fails with FAILED_LOOKUP.
 *
 * Priorities are bounded by an authority: SetPriority and SetMCP succeed only
 * if the value is at most the authority TCB's maximum controlled priority
 * (MCP). A thread made by Retype has priority 0 and MCP 0; the root task has
 * both at 255.
 *
 * A thread cannot read or write its own registers (ILLEGAL_OPERATION): the
 * values would be those of the call in progress.
 */
#include <kernel/cdt.h>
#include <kernel/cnode.h>
#include <kernel/cspace_ops.h>
#include <kernel/invocation.h>
#include <kernel/ipc.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>

#define PAGE_MASK      0xfffull
#define USER_VA_LIMIT  (1ull << 48)
#define NZCV_MASK      0xf0000000ull

static struct tcb *target(const struct invocation *inv)
{
        return (struct tcb *)(uintptr_t)inv->slot->cap.object;
}

/* ---- Configure ------------------------------------------------------- */

struct configure_plan {
        struct cte *src[TCB_SLOT_RESERVED];     /* NULL: leave that slot empty */
        struct cap cap[TCB_SLOT_RESERVED];
        uint64_t fault_endpoint, buffer_vaddr;
};

static int derive_cspace(const struct invocation *inv, struct configure_plan *p)
{
        struct cte *s;
        uint64_t guard;
        unsigned guard_bits;
        int err = inv_extra_cap(inv, 0, &s);

        if (err)
                return err;
        if (s->cap.type != CAP_CNODE)
                return TESSERA_ERR_INVALID_CAPABILITY;
        err = cspace_derive(s, &p->cap[TCB_SLOT_CSPACE]);
        if (!err && inv_mr(inv, 1)) {
                err = cnode_guard_decode(inv_mr(inv, 1), s->cap.size_bits, &guard, &guard_bits);
                p->cap[TCB_SLOT_CSPACE].data = guard;
                p->cap[TCB_SLOT_CSPACE].guard_bits = (uint8_t)guard_bits;
        }
        p->src[TCB_SLOT_CSPACE] = s;
        return err;
}

static int derive_vspace(const struct invocation *inv, struct configure_plan *p)
{
        struct cte *s;
        int err = inv_extra_cap(inv, 1, &s);

        if (err)
                return err;
        if (s->cap.type != CAP_VSPACE || !(s->cap.flags & CAP_FLAG_MAPPED))
                return TESSERA_ERR_INVALID_CAPABILITY;
        p->src[TCB_SLOT_VSPACE] = s;
        return cspace_derive(s, &p->cap[TCB_SLOT_VSPACE]);
}

/* The kernel reads and writes the buffer: normal memory, READ and WRITE. */
static int derive_buffer(const struct invocation *inv, struct configure_plan *p)
{
        const unsigned needed = TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE;
        uint64_t vaddr = inv_mr(inv, 2);
        struct cte *s;
        int err;

        if (inv->extra_caps < 3)
                return vaddr ? TESSERA_ERR_INVALID_ARGUMENT : TESSERA_OK;
        err = inv_extra_cap(inv, 2, &s);
        if (err)
                return err;
        if (s->cap.type != CAP_FRAME || (s->cap.flags & CAP_FLAG_DEVICE))
                return TESSERA_ERR_INVALID_CAPABILITY;
        if ((s->cap.rights & needed) != needed)
                return TESSERA_ERR_INSUFFICIENT_RIGHTS;
        if (vaddr >= USER_VA_LIMIT)
                return TESSERA_ERR_RANGE;
        if (vaddr & PAGE_MASK)
                return TESSERA_ERR_ALIGNMENT;
        p->src[TCB_SLOT_IPC_BUFFER] = s;
        p->buffer_vaddr = vaddr;
        return cspace_derive(s, &p->cap[TCB_SLOT_IPC_BUFFER]);
}

static int configure_decode(const struct invocation *inv, struct configure_plan *p)
{
        int err;

        *p = (struct configure_plan){ .fault_endpoint = inv_mr(inv, 0) };
        if (inv->length < 3 || inv->extra_caps < 2)
                return TESSERA_ERR_TRUNCATED_MESSAGE;
        err = derive_cspace(inv, p);
        if (!err)
                err = derive_vspace(inv, p);
        if (!err)
                err = derive_buffer(inv, p);
        return err;
}

/* Empties the thread's slots; false if preempted. */
static bool clear_slots(struct tcb *t)
{
        unsigned budget = INV_STEP_BUDGET;

        for (unsigned i = 0; i < TCB_SLOT_RESERVED; i++)
                if (!cdt_delete_step(&t->slots[i], budget))
                        return false;
        return true;
}

static bool slots_empty(const struct tcb *t)
{
        for (unsigned i = 0; i < TCB_SLOT_RESERVED; i++)
                if (!cap_is_null(&t->slots[i].cap))
                        return false;
        return true;
}

/* After emptying the slots: every source must still hold the cap planned
 * (the deletion may have reached the caller's CSpace). */
static int recheck(const struct configure_plan *p)
{
        for (unsigned i = 0; i < TCB_SLOT_RESERVED; i++)
                if (p->src[i] && !cap_same_object(&p->src[i]->cap, &p->cap[i]))
                        return TESSERA_ERR_FAILED_LOOKUP;
        return TESSERA_OK;
}

static void tcb_configure(const struct invocation *inv)
{
        struct tcb *t = target(inv);
        struct configure_plan p;
        int err = configure_decode(inv, &p);

        if (!err && !slots_empty(t)) {
                if (!clear_slots(t)) {
                        inv_restart(inv);
                        return;
                }
                err = recheck(&p);
        }
        if (err) {
                inv_reply(inv, err);
                return;
        }
        for (unsigned i = 0; i < TCB_SLOT_RESERVED; i++)
                if (p.src[i])
                        cspace_insert_copy(p.src[i], &t->slots[i], &p.cap[i]);
        t->fault_endpoint = p.fault_endpoint;
        t->ipc_buffer_vaddr = p.buffer_vaddr;
        inv_reply(inv, TESSERA_OK);
}

/* ---- Priorities -------------------------------------------------------- */

static int authority(const struct invocation *inv, uint64_t value, struct tcb **auth)
{
        struct cte *s;
        int err;

        if (inv->length < 1)
                return TESSERA_ERR_TRUNCATED_MESSAGE;
        err = inv_extra_cap(inv, 0, &s);
        if (err)
                return err;
        if (s->cap.type != CAP_TCB)
                return TESSERA_ERR_INVALID_CAPABILITY;
        *auth = (struct tcb *)(uintptr_t)s->cap.object;
        if (value >= TESSERA_PRIORITY_COUNT || value > (*auth)->mcp)
                return TESSERA_ERR_RANGE;
        return TESSERA_OK;
}

static void tcb_set_priority(const struct invocation *inv)
{
        struct tcb *auth;
        uint64_t prio = inv_mr(inv, 0);
        int err = authority(inv, prio, &auth);

        if (!err)
                thread_set_priority(target(inv), (unsigned)prio);
        inv_reply(inv, err);
}

static void tcb_set_mcp(const struct invocation *inv)
{
        struct tcb *auth;
        uint64_t mcp = inv_mr(inv, 0);
        int err = authority(inv, mcp, &auth);

        if (!err)
                target(inv)->mcp = (uint8_t)mcp;
        inv_reply(inv, err);
}

/* ---- Registers ------------------------------------------------------- */

static uint64_t *reg_slot(struct arch_context *ctx, unsigned i)
{
        switch (i) {
        case TESSERA_REG_PC: return &ctx->pc;
        case TESSERA_REG_SP: return &ctx->sp;
        case TESSERA_REG_NZCV: return &ctx->spsr;
        default: return &ctx->x[i - TESSERA_REG_X0];
        }
}

static void tcb_read_registers(const struct invocation *inv)
{
        struct tcb *t = target(inv);
        uint64_t regs[TESSERA_TCB_REG_COUNT];
        uint64_t count = inv_mr(inv, 0);

        if (inv->length < 1) {
                inv_reply(inv, TESSERA_ERR_TRUNCATED_MESSAGE);
                return;
        }
        if (count == 0 || count > TESSERA_TCB_REG_COUNT) {
                inv_reply(inv, TESSERA_ERR_RANGE);
                return;
        }
        if (t == inv->caller) {
                inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION);
                return;
        }
        for (unsigned i = 0; i < count; i++)
                regs[i] = *reg_slot(&t->ctx, i);
        regs[TESSERA_REG_NZCV] &= NZCV_MASK;
        inv_reply_mrs(inv, regs, (unsigned)count);
}

/* A thread blocked in IPC leaves it first and will re-execute its system
 * call (seL4's restart); a stopped thread simply runs again. */
static void resume(struct tcb *t)
{
        if (t->state == THREAD_RUNNABLE)
                return;
        ipc_cancel(t);
        thread_make_runnable(t);
}

/* Only the condition flags of the saved PSTATE are the user's to set: the
 * exception level and interrupt masks stay the kernel's. */
static void tcb_write_registers(const struct invocation *inv)
{
        struct tcb *t = target(inv);
        uint64_t flags = inv_mr(inv, 0), count = inv_mr(inv, 1);

        if (inv->length < 2) {
                inv_reply(inv, TESSERA_ERR_TRUNCATED_MESSAGE);
                return;
        }
        if (count > TESSERA_TCB_REG_COUNT || (flags & ~(uint64_t)TESSERA_TCB_WRITE_RESUME)) {
                inv_reply(inv, count > TESSERA_TCB_REG_COUNT ? TESSERA_ERR_RANGE
                                                              : TESSERA_ERR_INVALID_ARGUMENT);
                return;
        }
        if (inv->length < 2 + count) {
                inv_reply(inv, TESSERA_ERR_TRUNCATED_MESSAGE);
                return;
        }
        if (t == inv->caller) {
                inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION);
                return;
        }
        for (unsigned i = 0; i < count; i++) {
                uint64_t v = inv_mr(inv, 2 + i);

                if (i == TESSERA_REG_NZCV)
                        v = (t->ctx.spsr & ~NZCV_MASK) | (v & NZCV_MASK);
                *reg_slot(&t->ctx, i) = v;
        }
        if (flags & TESSERA_TCB_WRITE_RESUME)
                resume(t);
        inv_reply(inv, TESSERA_OK);
}

/* ---- Run state, name ------------------------------------------------- */

static void tcb_resume(const struct invocation *inv)
{
        resume(target(inv));
        inv_reply(inv, TESSERA_OK);
}

/* Suspend takes a thread out of any IPC it is blocked in; it keeps a reply
 * capability it holds and its bound notification. */
static void tcb_suspend(const struct invocation *inv)
{
        struct tcb *t = target(inv);

        inv_reply(inv, TESSERA_OK);     /* before: the caller may be the thread */
        ipc_cancel(t);
        thread_stop(t, THREAD_INACTIVE);
}

static void tcb_bind_notification(const struct invocation *inv)
{
        struct cte *s;
        int err = inv_extra_cap(inv, 0, &s);

        if (!err && s->cap.type != CAP_NOTIFICATION)
                err = TESSERA_ERR_INVALID_CAPABILITY;
        if (!err && !(s->cap.rights & TESSERA_RIGHT_READ))
                err = TESSERA_ERR_INSUFFICIENT_RIGHTS;
        if (!err)
                err = notification_bind(target(inv), (struct notification *)(uintptr_t)s->cap.object);
        inv_reply(inv, err);
}

static void tcb_set_name(const struct invocation *inv)
{
        struct tcb *t = target(inv);

        if (inv->length < 2) {
                inv_reply(inv, TESSERA_ERR_TRUNCATED_MESSAGE);
                return;
        }
        for (unsigned i = 0; i < THREAD_NAME_MAX - 1; i++)
                t->name[i] = (char)(inv_mr(inv, i / 8) >> (8 * (i % 8)));
        t->name[THREAD_NAME_MAX - 1] = '\0';
        if (!t->name[0])
                kstrlcpy(t->name, "thread", sizeof(t->name));
        inv_reply(inv, TESSERA_OK);
}

void invoke_tcb(const struct invocation *inv)
{
        switch (inv->label) {
        case TESSERA_INV_TCB_CONFIGURE: tcb_configure(inv); break;
        case TESSERA_INV_TCB_SET_PRIORITY: tcb_set_priority(inv); break;
        case TESSERA_INV_TCB_SET_MCP: tcb_set_mcp(inv); break;
        case TESSERA_INV_TCB_READ_REGISTERS: tcb_read_registers(inv); break;
        case TESSERA_INV_TCB_WRITE_REGISTERS: tcb_write_registers(inv); break;
        case TESSERA_INV_TCB_RESUME: tcb_resume(inv); break;
        case TESSERA_INV_TCB_SUSPEND: tcb_suspend(inv); break;
        case TESSERA_INV_TCB_SET_NAME: tcb_set_name(inv); break;
        case TESSERA_INV_TCB_BIND_NOTIFICATION: tcb_bind_notification(inv); break;
        case TESSERA_INV_TCB_UNBIND_NOTIFICATION: inv_reply(inv, notification_unbind(target(inv))); break;
        default: inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION); break;
        }
}
