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

struct tcb {
        struct arch_context ctx;
        enum thread_state state;
        uint8_t priority;
        uint16_t asid;
        uint64_t vspace_root;           /* PA of its level-0 table */
        struct tcb *sched_next, *sched_prev;    /* ready queue of its priority */
        struct cap cspace_root;         /* its CSpace (a copy, not in the tree yet) */
        struct tessera_ipc_buffer *ipc_buffer;  /* kernel view of its IPC buffer */
        bool queued;
        char name[THREAD_NAME_MAX];
        unsigned line_len;              /* debug console: the line being assembled */
        char line[THREAD_LINE_MAX];
};

_Static_assert(__builtin_offsetof(struct tcb, ctx) == 0, "the vectors save into tcb.ctx");
_Static_assert(sizeof(struct tcb) <= 1024, "a TCB object is 1 KiB (TESSERA_TCB_BITS)");

struct tcb *thread_current(void);
void thread_make_runnable(struct tcb *t);
void thread_stop(struct tcb *t, enum thread_state why);
void thread_yield(struct tcb *t);
void thread_tick(void);
int root_task_create(void);
/* Call on an object capability (invoke.c). */
void kernel_invoke(struct tcb *t, const struct syscall_args *a);
/* Kernel memory handed out at boot, before any untyped exists (boot_alloc.c). */
void boot_alloc_init(uint64_t base, uint64_t end);
uint64_t boot_alloc(uint64_t bytes, uint64_t align);
uint64_t boot_alloc_used_end(void);

#endif
