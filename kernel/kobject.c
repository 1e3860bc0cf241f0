/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's side of the capability core's object hooks (kobject.h):
 * clearing memory for untyped reuse, initialising a freshly made object, and
 * tearing objects (and per-cap state such as mappings) down. Each type's
 * work lives with the type; this file only dispatches.
 */
#include <ipi/port.h>
#include <kernel/cdt.h>
#include <kernel/core.h>
#include <kernel/ipc.h>
#include <kernel/irq.h>
#include <kernel/kobject.h>
#include <kernel/string.h>
#include <kernel/thread.h>
#include <kernel/vspace.h>

void kobject_clear(uintptr_t va, uint64_t bytes)
{
        memset((void *)va, 0, bytes);
}

/* Memory is zero already (untyped.h); only non-zero defaults are set here. */
void kobject_init(enum tessera_object_type type, uintptr_t va, unsigned obj_bits)
{
        (void)obj_bits;
        if (type == TESSERA_OBJ_TCB) {
                struct tcb *t = (struct tcb *)va;

                t->state = THREAD_INACTIVE;
                kstrlcpy(t->name, "thread", sizeof(t->name));
        }
}

void kobject_cap_removed(const struct cap *gone)
{
        if (gone->type == CAP_FRAME || gone->type == CAP_PAGE_TABLE)
                vspace_cap_removed(gone);
}

void kobject_destroy(const struct cap *final)
{
        switch (final->type) {
        case CAP_TCB:
                ipc_thread_gone((struct tcb *)(uintptr_t)final->object);
                thread_destroy((struct tcb *)(uintptr_t)final->object);
                break;
        case CAP_ENDPOINT: endpoint_destroy((struct endpoint *)(uintptr_t)final->object); break;
        case CAP_VSPACE: case CAP_PAGE_TABLE: case CAP_FRAME: vspace_destroy(final); break;
        case CAP_IRQ_HANDLER: irq_handler_destroy(final); break;
        case CAP_IPI_PORT: ipi_port_destroyed(final); break;
        case CAP_NOTIFICATION:
                notification_destroy((struct notification *)(uintptr_t)final->object);
                irq_notification_destroyed(final->object);
                ipi_notification_destroyed(final->object);
                break;
        default: break;
        }
}

struct cte *kobject_cap_slots(const struct cap *c, unsigned *radix)
{
        if (c->type != CAP_TCB)
                return NULL;
        *radix = TCB_SLOT_RADIX;
        return ((struct tcb *)(uintptr_t)c->object)->slots;
}

struct cdt_reaper *cdt_reaper(void)
{
        return &core()->reaper;
}
