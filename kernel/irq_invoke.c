/* SPDX-License-Identifier: BSD-2-Clause */
/* IRQ control and handler invocations (stub: being written). */
#include <kernel/invocation.h>
#include <kernel/irq.h>
#include <tessera/errors.h>

void invoke_irq_control(const struct invocation *inv) { inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION); }
void invoke_irq_handler(const struct invocation *inv) { inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION); }
void irq_handler_destroy(const struct cap *final) { (void)final; }
