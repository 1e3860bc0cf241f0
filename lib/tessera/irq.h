/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRQ control and IRQ handler invocations (include/tessera/invocations.h,
 * docs/api.md): each wraps one Call and returns the kernel's status (enum
 * tessera_error, 0 on success).
 */
#ifndef LIB_TESSERA_IRQ_H
#define LIB_TESSERA_IRQ_H

#include <stdint.h>

/* A handler cap for `intid` into slot `index` (resolved with `depth` bits) of
 * the CNode `root`. Only the SPIs this core owns. */
int tessera_irq_control_get(uint64_t irq_control, uint64_t intid, uint64_t root, uint64_t index,
                            unsigned depth);
/* Unmask the interrupt (the kernel masks it each time it fires). */
int tessera_irq_handler_ack(uint64_t handler);
/* Unbind the notification and mask the interrupt. */
int tessera_irq_handler_clear(uint64_t handler);
int tessera_irq_handler_set_notification(uint64_t handler, uint64_t notification);

#endif
