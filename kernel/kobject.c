/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's side of the capability core's object hooks: clearing memory
 * for untyped reuse, initialising a freshly made object, and destroying an
 * object when its last capability goes. None of these touch a capability slot.
 */
#include <kernel/cdt.h>
#include <kernel/core.h>
#include <kernel/kobject.h>
#include <kernel/string.h>
#include <kernel/thread.h>

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

void kobject_destroy(const struct cap *final)
{
        if (final->type == CAP_TCB)
                thread_stop((struct tcb *)(uintptr_t)final->object, THREAD_INACTIVE);
}

struct cdt_reaper *cdt_reaper(void)
{
        return &core()->reaper;
}
