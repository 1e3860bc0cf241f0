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
void *arch_kernel_region_va(uint64_t pa);               /* PA inside this kernel's window */
/* Store a word another agent polls with its caches off (the partitioner), make
 * it visible at the point of coherency and wake waiters in WFE. */
void arch_publish(volatile uint64_t *word, uint64_t value);

/* Interrupt controller, configured by the platform (see arch/gic.h). */
int arch_irq_init_core(bool init_distributor);   /* 0, or -1 if this core has no interface */
void arch_irq_enable(unsigned irq);
unsigned arch_irq_controller_version(void);
void arch_irq_enable_local(void);
void arch_irq_disable_local(void);
void arch_wait_for_interrupt(void);

/* Generic timer. */
uint64_t arch_counter_now(void);
uint64_t arch_counter_freq(void);
void arch_timer_start(uint64_t period_ticks);

/* Ends: stop this core only, or end the whole emulated system with a status. */
_Noreturn void arch_stop_core(void);
_Noreturn void arch_exit_system(int status);

/* Calls from arch into generic code. */
void kernel_timer_tick(void);
void kernel_irq(unsigned irq);
_Noreturn void kernel_fatal(void);

#endif
