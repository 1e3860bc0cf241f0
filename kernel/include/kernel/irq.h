/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The interrupts a user handler may take: exactly the SPIs this core owns
 * (plat_boot's irqs, routed here by the partitioner). The timer PPI and the
 * SGIs are the kernel's and never appear. Each owned INTID has one line in a
 * per-core table: whether a handler cap exists for it, the notification
 * bound to it, and how often it fired undelivered.
 *
 * Masking: an owned INTID is masked at the GIC unless its handler was acked
 * since it last fired. It starts masked (the partitioner leaves every SPI
 * disabled); Ack unmasks it; when it fires the kernel masks it again and
 * counts it pending. Clear and the handler's destruction mask it too.
 * A firing signals the bound notification with the badge of the cap
 * SetNotification was given; with none bound it is counted pending.
 *
 * Invariant: a line is issued iff a handler cap with its INTID exists
 * (IRQControl Get sets it, irq_handler_destroy clears it).
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/cap.h>

/* For IRQControl Get: TESSERA_ERR_RANGE if this core does not own intid,
 * TESSERA_ERR_REVOKE_FIRST if a handler cap for it exists, else OK. */
int irq_issue_check(uint64_t intid);
/* The handler cap for an INTID irq_issue_check accepted (it is now issued). */
struct cap irq_issue(unsigned intid);

/* Handler invocations (the INTID of an existing handler cap). */
void irq_ack(unsigned intid);                   /* unmask */
void irq_clear(unsigned intid);                 /* unbind and mask */
void irq_set_notification(unsigned intid, uint64_t notification, uint64_t badge);

/* An interrupt arrived (kernel_irq). true when it is an issued INTID's: it
 * is then masked and delivered (or counted); false leaves it to the caller. */
bool irq_fired(unsigned intid);
/* Firings of an issued INTID since it was issued or cleared that no
 * notification was bound to receive. */
uint64_t irq_pending(unsigned intid);

/* The last cap to an IRQ handler is going: mask, unbind; the INTID can be
 * issued again. */
void irq_handler_destroy(const struct cap *final);
/* A notification object is being destroyed: no INTID stays bound to it. */
void irq_notification_destroyed(uint64_t notification);

#endif
