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
#include <tessera/ipc_buffer.h>

enum thread_state {
        THREAD_INACTIVE,        /* created or suspended */
        THREAD_RUNNABLE,
        THREAD_FAULTED,         /* stopped by a fault nobody handles yet */
        THREAD_EXITED,
};

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
        char name[THREAD_NAME_MAX];
        unsigned line_len;              /* debug console: the line being assembled */
        char line[THREAD_LINE_MAX];
        _Alignas(TCB_SLOTS_OFFSET) struct cte slots[TCB_SLOT_COUNT];
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
void thread_stop(struct tcb *t, enum thread_state why);
void thread_yield(struct tcb *t);
void thread_tick(void);
int root_task_create(void);
/* The thread is going (its last cap is deleted): stop it for good. */
void thread_destroy(struct tcb *t);
/* Change priority, requeueing if it is ready. */
void thread_set_priority(struct tcb *t, unsigned priority);
/* Call on an object capability (invoke.c). */
void kernel_invoke(struct tcb *t, const struct syscall_args *a);
/* Kernel memory handed out at boot, before any untyped exists (boot_alloc.c). */
void boot_alloc_init(uint64_t base, uint64_t end);
uint64_t boot_alloc(uint64_t bytes, uint64_t align);
uint64_t boot_alloc_used_end(void);

#endif
