/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Threads (the TCB object) and the scheduler's view of them. The register
 * context comes first so the vectors can save into it directly.
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/arch.h>
#include <kernel/cap.h>
#include <kernel/fpu.h>
#include <tessera/ipc_buffer.h>

enum thread_state {
        THREAD_INACTIVE,        /* created or suspended */
        THREAD_RUNNABLE,
        THREAD_FAULTED,         /* stopped by a fault nobody handles */
        THREAD_EXITED,
        THREAD_BLOCKED_SEND,    /* in an endpoint's queue (ipc_object), sending */
        THREAD_BLOCKED_RECV,    /* in an endpoint's queue, receiving */
        THREAD_BLOCKED_REPLY,   /* after a Call (or a fault), waiting for the reply */
        THREAD_BLOCKED_NOTIFICATION,    /* in a notification's queue (Wait) */
};

/* What a blocked sender's message carries besides its registers (ipc_flags). */
#define IPC_FLAG_CALL        (1u << 0)  /* wants a reply: Call or a fault */
#define IPC_FLAG_GRANT       (1u << 1)  /* its cap had GRANT: caps may go */
#define IPC_FLAG_GRANT_REPLY (1u << 2)  /* its cap had GRANT_REPLY */
#define IPC_FLAG_FAULT       (1u << 3)  /* the message is a fault (fault_*) */

#define THREAD_NAME_MAX 16
#define THREAD_LINE_MAX 160

/* A TCB's capability slots (kernel/tcb.c): the caps it runs with, held as
 * derived copies in the derivation tree so the objects live while it does. */
enum tcb_slot {
        TCB_SLOT_CSPACE = 0,            /* CNode: its CSpace root */
        TCB_SLOT_VSPACE = 1,            /* VSpace with an ASID */
        TCB_SLOT_IPC_BUFFER = 2,        /* Frame holding its IPC buffer */
        TCB_SLOT_RESERVED = 3,
        TCB_SLOT_COUNT = 4,
};
#define TCB_SLOT_RADIX   2
#define TCB_SLOTS_OFFSET 1024

struct tcb {
        struct arch_context ctx;
        enum thread_state state;
        uint8_t priority;
        uint8_t mcp;                    /* highest priority it may give (SetPriority) */
        struct tcb *sched_next, *sched_prev;    /* ready queue of its priority */
        uint64_t ipc_buffer_vaddr;      /* where the thread sees its IPC buffer */
        uint64_t fault_endpoint;        /* cptr in its own CSpace (used once IPC exists) */
        bool queued;
        /* IPC (kernel/ipc.c). */
        void *ipc_object;               /* endpoint or notification blocked on */
        struct tcb *ipc_next, *ipc_prev;        /* its queue */
        uint64_t ipc_badge;             /* blocked sender: its cap's badge */
        unsigned ipc_flags;             /* blocked sender: IPC_FLAG_* */
        struct tcb *caller;             /* reply capability held: the thread it answers */
        bool reply_grant;               /* that reply may carry caps */
        struct tcb *replier;            /* blocked on reply: who holds the reply cap, or NULL */
        struct notification *bound;     /* bound notification (BindNotification) */
        struct user_fault fault;        /* the fault being reported (IPC_FLAG_FAULT) */
        char name[THREAD_NAME_MAX];
        unsigned line_len;              /* debug console: the line being assembled */
        char line[THREAD_LINE_MAX];
        _Alignas(TCB_SLOTS_OFFSET) struct cte slots[TCB_SLOT_COUNT];
        struct arch_fpu_state fpu;      /* saved FP/SIMD state (kernel/fpu.c) */
};

_Static_assert(__builtin_offsetof(struct tcb, ctx) == 0, "the vectors save into tcb.ctx");
_Static_assert(__builtin_offsetof(struct tcb, slots) == TCB_SLOTS_OFFSET, "TCB slots at a fixed offset");
_Static_assert(sizeof(struct tcb) <= 1u << TESSERA_TCB_BITS, "a TCB fits its object (TESSERA_TCB_BITS)");
_Static_assert(TCB_SLOT_COUNT == 1u << TCB_SLOT_RADIX, "TCB slots are a power of two");

/*
 * What a thread runs with is read from its slots each time, never cached:
 * any of those caps can be deleted (Revoke reaches them through the tree),
 * and then the thread simply has none.
 */
static inline const struct cap *tcb_cspace(const struct tcb *t)
{
        return &t->slots[TCB_SLOT_CSPACE].cap;
}

/* The kernel's view of its IPC buffer, or NULL if it has none. */
static inline struct tessera_ipc_buffer *tcb_ipc_buffer(const struct tcb *t)
{
        const struct cap *f = &t->slots[TCB_SLOT_IPC_BUFFER].cap;

        if (f->type != CAP_FRAME)
                return NULL;
        return (struct tessera_ipc_buffer *)(uintptr_t)
               (f->object + (t->ipc_buffer_vaddr & (((uint64_t)1 << f->size_bits) - 1)));
}

struct tcb *thread_current(void);
void thread_make_runnable(struct tcb *t);
/* Make t runnable as the candidate to run next (thread.c's rule): for IPC
 * that blocks the running thread and wakes t. */
void thread_switch_to(struct tcb *t);
/* What runs on this core now (thread.c owns it; inline readers below). */
#define THREAD_TIME_SLICE_TICKS 5
struct thread_cpu {
        struct tcb *current;
        uint64_t vspace_root, vspace_asid;      /* installed address space; 0: none */
        unsigned slice_left;                    /* ticks left of current's slice */
};
extern struct thread_cpu thread_cpu;
void thread_switch_vspace(uint64_t root, uint64_t asid);

/* t runs next: its address space and FP/SIMD access installed, its slice
 * renewed if it is not the thread that ran. Inline: the IPC fast path does
 * this on every call. A thread whose VSpace slot holds no VSpace runs with
 * none, so every user access faults. */
static inline void thread_run(struct tcb *t)
{
        const struct cap *v = &t->slots[TCB_SLOT_VSPACE].cap;
        uint64_t root = v->object, asid = v->data;

        if (v->type != CAP_VSPACE || !(v->flags & CAP_FLAG_MAPPED))
                root = asid = 0;
        if (root != thread_cpu.vspace_root || asid != thread_cpu.vspace_asid)
                thread_switch_vspace(root, asid);
        fpu_switch_to(t);
        if (t != thread_cpu.current)
                thread_cpu.slice_left = THREAD_TIME_SLICE_TICKS;
        thread_cpu.current = t;
}
void thread_stop(struct tcb *t, enum thread_state why);
void thread_yield(struct tcb *t);
void thread_tick(void);
int root_task_create(void);
/* The thread is going (its last cap is deleted): stop it for good. */
void thread_destroy(struct tcb *t);
/* Change priority, requeueing if it is ready. */
void thread_set_priority(struct tcb *t, unsigned priority);
/* Call on an object capability (invoke.c): `slot` is what the cptr named
 * in t's CSpace, or NULL with the lookup's error in lookup_err. */
void kernel_invoke(struct tcb *t, const struct syscall_args *a, struct cte *slot, int lookup_err);
/* Kernel memory handed out at boot, before any untyped exists (boot_alloc.c). */
void boot_alloc_init(uint64_t base, uint64_t end);
uint64_t boot_alloc(uint64_t bytes, uint64_t align);
uint64_t boot_alloc_used_end(void);

#endif
