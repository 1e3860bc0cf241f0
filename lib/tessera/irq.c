/* SPDX-License-Identifier: BSD-2-Clause */
/* IRQ control and handler invocation stubs over tessera_invoke (irq.h). */
#include <tessera/invocations.h>
#include "invoke.h"
#include "irq.h"

int tessera_irq_control_get(uint64_t irq_control, uint64_t intid, uint64_t root, uint64_t index,
                            unsigned depth)
{
        uint64_t mrs[] = { intid, index, depth };

        return tessera_invoke(irq_control, TESSERA_INV_IRQ_CONTROL_GET, mrs, 3, &root, 1);
}

int tessera_irq_handler_ack(uint64_t handler)
{
        return tessera_invoke(handler, TESSERA_INV_IRQ_HANDLER_ACK, 0, 0, 0, 0);
}

int tessera_irq_handler_clear(uint64_t handler)
{
        return tessera_invoke(handler, TESSERA_INV_IRQ_HANDLER_CLEAR, 0, 0, 0, 0);
}

int tessera_irq_handler_set_notification(uint64_t handler, uint64_t notification)
{
        return tessera_invoke(handler, TESSERA_INV_IRQ_HANDLER_SET_NOTIFICATION, 0, 0,
                              &notification, 1);
}
