/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRQ control and IRQ handler caps for the interrupts this core owns.
 * (Stub: being written.)
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <kernel/cap.h>

/* The last cap to an IRQ handler is going: the INTID can be issued again. */
void irq_handler_destroy(const struct cap *final);

#endif
