/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One object invocation (a Call on an object capability), as each object's
 * decoder sees it, and the helpers every decoder uses to read arguments and
 * answer. invoke.c finds the invoked cap and dispatches on its type to the
 * invoke_* function of the object's file; that function checks every
 * argument (decode: no effects), then acts (cannot fail), then answers with
 * inv_reply / inv_reply_mrs, or calls inv_restart to re-run the whole call
 * after a preemption point.
 *
 * Message registers: MR0-MR3 arrive in CPU registers, MR4 and up and the
 * extra caps' addresses in the caller's IPC buffer. A caller without an IPC
 * buffer has only MR0-MR3 and no extra caps (length and caps are clipped).
 */
#ifndef KERNEL_INVOCATION_H
#define KERNEL_INVOCATION_H

#include <stdint.h>
#include <kernel/cap.h>
#include <kernel/thread.h>

struct invocation {
        struct tcb *caller;
        struct cte *slot;               /* the invoked cap */
        struct tessera_ipc_buffer *buffer;      /* the caller's IPC buffer, or NULL */
        uint64_t label;
        unsigned length, extra_caps;    /* as usable (see above) */
        const struct syscall_args *args;
};

#define INV_STEP_BUDGET 64              /* units of work between preemption points */

/* Message register i (i < inv->length is the caller's promise). */
uint64_t inv_mr(const struct invocation *inv, unsigned i);
/* Looks up extra cap i in the caller's CSpace. TRUNCATED_MESSAGE when the
 * message has fewer extra caps, else as cnode_lookup_cap. The slot may be
 * empty. */
int inv_extra_cap(const struct invocation *inv, unsigned i, struct cte **slot);
/* Extra cap i, which must be a notification the caller may signal with
 * (WRITE): what IRQ handlers and IPI ports are bound to. */
int inv_extra_notification(const struct invocation *inv, unsigned i, struct cte **slot);
/* Answers with a status (enum tessera_error) and no results. */
void inv_reply(const struct invocation *inv, int status);
/* Answers TESSERA_OK with `count` result words in MR0.. (those past MR3 go
 * to the caller's IPC buffer; without one the reply is clipped to 4). */
void inv_reply_mrs(const struct invocation *inv, const uint64_t *mrs, unsigned count);
/* Re-execute the caller's svc later: its registers still hold the call. */
void inv_restart(const struct invocation *inv);

/* Per-object decoders (one file each). */
void invoke_untyped(const struct invocation *inv);
void invoke_cnode(const struct invocation *inv);
void invoke_tcb(const struct invocation *inv);              /* tcb_invoke.c */
void invoke_frame(const struct invocation *inv);            /* vspace_invoke.c */
void invoke_page_table(const struct invocation *inv);
void invoke_vspace(const struct invocation *inv);
void invoke_asid_control(const struct invocation *inv);
void invoke_irq_control(const struct invocation *inv);      /* irq_invoke.c */
void invoke_irq_handler(const struct invocation *inv);

#endif
