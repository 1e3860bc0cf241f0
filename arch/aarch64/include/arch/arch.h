/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The architecture contract: everything generic kernel code may ask of the CPU
 * architecture. Defined only in arch/aarch64/; Meson picks the directory, no
 * #ifdef chooses it. Interrupt numbers are opaque to generic code.
 */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Boot: set this core up (vectors live, boot identity map gone). */
void arch_init_core(uint64_t phys_base);
uint64_t arch_phys_base(void);
/* Digest range: the image bytes every core runs (text and read-only data). */
const void *arch_image_start(void);
size_t arch_image_ro_size(void);
size_t arch_image_total_size(void);     /* image plus .bss, as mapped */

/* Mappings the kernel makes for itself. 0 / NULL when the range is unacceptable. */
uintptr_t arch_map_device(uint64_t pa, uint64_t size);
const void *arch_map_boot_data(uint64_t pa, uint64_t size);
volatile void *arch_map_shared_page(uint64_t pa);      /* Normal memory, shared with other kernels */
/* Store a word another agent polls with its caches off (the partitioner), make
 * it visible at the point of coherency and wake waiters in WFE. */
void arch_publish(volatile uint64_t *word, uint64_t value);

/* The cross-core link (ipi/port.c). Inbox words are Normal memory that other
 * kernels share: written only with arch_shared_or, read only with
 * arch_shared_swap, each atomic and ordered (acquire and release).
 * arch_atomics_init picks the ARMv8.1 LSE form when the CPU has it and
 * allow_lse, else the load/store-exclusive loop; it says which. */
bool arch_atomics_init(bool allow_lse);
void arch_shared_or(volatile uint64_t *word, uint64_t bits);
uint64_t arch_shared_swap(volatile uint64_t *word, uint64_t value);
/* Raise the inbox SGI on another core (its index and MPIDR affinity), after
 * every earlier store, the inbox OR included, is visible to it. */
void arch_ipi_send(unsigned core_index, uint64_t mpidr);

/* Interrupt controller, configured by the platform (see arch/gic.h). */
int arch_irq_init_core(bool init_distributor);   /* 0, or -1 if this core has no interface */
void arch_irq_enable(unsigned irq);
void arch_irq_disable(unsigned irq);  /* masked at the controller when this returns */
unsigned arch_irq_controller_version(void);
void arch_irq_enable_local(void);
void arch_irq_disable_local(void);
void arch_wait_for_interrupt(void);

/* Benchmarks (tessera.pmu=user): let EL0 read two instruction counters,
 * PMEVCNTR0_EL0 (EL0 and EL1) and PMEVCNTR1_EL0 (EL0 only). */
void arch_pmu_user_enable(void);

/* Generic timer. */
uint64_t arch_counter_now(void);
uint64_t arch_counter_freq(void);
void arch_timer_start(uint64_t period_ticks);

/* Ends: stop this core only, or end the whole emulated system with a status. */
_Noreturn void arch_stop_core(void);
_Noreturn void arch_exit_system(int status);

/* The physical window (layout.h): a 2 MiB-aligned part of this core's partition
 * at PHYSMAP_VBASE + pa, and conversions for addresses in it. */
int arch_map_physical(uint64_t pa, uint64_t size);
uint64_t arch_kva_to_pa(const void *kva);
void *arch_pa_to_kva(uint64_t pa);
/* Make code written to [kva, kva + size) visible to instruction fetch. */
void arch_sync_icache(const void *kva, uint64_t size);
/* Physical addresses below this have a window address (arch_pa_to_kva), mapped
 * or not: caps name memory outside the partition by it, never dereferenced. */
uint64_t arch_physical_window_limit(void);

/* A user thread's registers, saved by the vectors straight into its TCB. The
 * layout is the trap frame's (trap.h checks it); generic code only stores it. */
struct arch_context {
        uint64_t x[31];
        uint64_t pc, spsr, sp;
} __attribute__((aligned(16)));

/* Where the system-call convention (syscalls.h) keeps its words in a saved
 * context's x[]: badge, message info, MR0 (MR1-MR3 follow), status. */
#define ARCH_REG_BADGE  0
#define ARCH_REG_INFO   1
#define ARCH_REG_MR0    2
#define ARCH_REG_STATUS 6
#define ARCH_REG_CPTR   0       /* in: the capability address */
#define ARCH_REG_NUMBER 7       /* in: the system call number */

struct syscall_args {
        uint64_t number, cptr, info, mr[4];
};

struct user_fault {
        const char *kind;               /* in words, for reports and fault messages */
        unsigned type;                  /* enum tessera_fault (syscalls.h) */
        uint64_t pc, address, syndrome;
};

/* A thread's FP/SIMD registers (V0-V31, FPSR, FPCR), saved in its TCB only
 * while another thread owns the FPU (lazy switching, kernel/fpu.c). */
struct arch_fpu_state {
        uint64_t v[64];                 /* V0..V31, low half first */
        uint64_t fpsr, fpcr;
} __attribute__((aligned(16)));

/* EL0 use of FP/SIMD: allowed, or trapped (a fault of class "FP/SIMD use"
 * that arch hands to kernel_fpu_trap). Inline and free with no change: every
 * return to user (the IPC fast path's included) asks. */
extern bool arch_fpu_el0_allowed;       /* what CPACR_EL1 says now (fpu.c) */
void arch_fpu_write_access(bool allowed);
static inline void arch_fpu_set_access(bool allowed)
{
        if (allowed != arch_fpu_el0_allowed)
                arch_fpu_write_access(allowed);
}
void arch_fpu_save(struct arch_fpu_state *s);
void arch_fpu_restore(const struct arch_fpu_state *s);

void arch_context_init(struct arch_context *ctx, uint64_t pc, uint64_t sp, uint64_t arg0);
void arch_syscall_args(const struct arch_context *ctx, struct syscall_args *out);
/* The syndrome of the system call being handled (for a fault message). */
uint64_t arch_syscall_syndrome(void);
void arch_syscall_return(struct arch_context *ctx, uint64_t badge, uint64_t info,
                         const uint64_t mr[4]);
_Noreturn void arch_resume_user(struct arch_context *ctx);
/* The thread will execute its system call instruction again when it runs. */
static inline void arch_restart_syscall(struct arch_context *ctx)
{
        ctx->pc -= 4;
}

/* User address spaces: 48-bit, four levels (0..3) of 4 KiB tables, one page
 * each; the level-0 table is the address space's root. An entry of a
 * level-L table maps 2^arch_vspace_entry_bits(L) bytes: a next-level table,
 * a leaf (a 4 KiB page at level 3, a 2 MiB block at level 2), or nothing. */
#define ARCH_USER_VA_BITS   48
#define ARCH_PAGE_LEVEL     3           /* 4 KiB pages */
#define ARCH_BLOCK_LEVEL    2           /* 2 MiB blocks */
#define ARCH_TABLE_ENTRIES  512
static inline unsigned arch_vspace_entry_bits(unsigned level) { return 39 - 9 * level; }

#define ARCH_MAP_READ     1u
#define ARCH_MAP_WRITE    2u
#define ARCH_MAP_EXECUTE  4u
#define ARCH_MAP_UNCACHED 8u            /* normal memory, non-cacheable */
#define ARCH_MAP_DEVICE   16u           /* device memory (never executable) */
typedef uint64_t (*arch_table_alloc_fn)(void *cookie);  /* PA of a zeroed page, or 0 */
int arch_vspace_map_page(uint64_t root_pa, uint64_t vaddr, uint64_t pa, unsigned rights,
                         arch_table_alloc_fn alloc, void *cookie);
/* Install the address space whose level-0 table is at kernel address root
 * (in the physical window, as every kernel object is). */
void arch_vspace_activate(const void *root, unsigned asid);

/* Where a walk towards a virtual address stopped. `entry` is opaque to
 * generic code: it only hands the walk back to the calls below. */
enum arch_entry_kind { ARCH_ENTRY_EMPTY, ARCH_ENTRY_TABLE, ARCH_ENTRY_LEAF };
struct arch_walk {
        void *entry;
        unsigned level;                 /* of the table holding the entry */
        enum arch_entry_kind kind;
        uint64_t pa;                    /* what a table or leaf entry points at */
};
/* Follows tables from the root towards vaddr (< 2^ARCH_USER_VA_BITS) and
 * stops at the entry of the level-`level` table, or earlier at the first
 * entry that is not a table. Reads only. */
void arch_vspace_walk(uint64_t root_pa, uint64_t vaddr, unsigned level, struct arch_walk *w);
/* Fill an empty entry: a leaf (page or block by the walk's level) with
 * ARCH_MAP_* attributes, or a zeroed next-level table. */
void arch_vspace_set_leaf(const struct arch_walk *w, uint64_t pa, unsigned attrs);
void arch_vspace_set_table(const struct arch_walk *w, uint64_t table_pa);
/* Empty an entry; the caller then flushes what the TLB may hold of it. */
void arch_vspace_clear_entry(const struct arch_walk *w);
/* Empty all entries of a table no address space links any more. */
void arch_vspace_clear_table(uint64_t table_pa);
/* This core's TLB only (ASIDs are per core): one page of an ASID, or all
 * of an ASID's entries, cached table walks included. */
void arch_tlb_flush_page(unsigned asid, uint64_t vaddr);
void arch_tlb_flush_asid(unsigned asid);
/* No user address space: EL0 accesses fault (ASID 0 is never a VSpace's). */
void arch_vspace_deactivate(void);

/* Calls from arch into generic code. */
void kernel_syscall(struct arch_context *ctx);
void kernel_user_fault(struct arch_context *ctx, const struct user_fault *fault);
void kernel_fpu_trap(void);                 /* the current thread touched FP/SIMD while trapped */
struct arch_context *kernel_resume(void);   /* the thread to run next (may idle first) */
void kernel_timer_tick(void);
void kernel_irq(unsigned irq);
void kernel_inbox_signalled(void);          /* the inbox SGI: another core signalled a port */
_Noreturn void kernel_fatal(void);

#endif
