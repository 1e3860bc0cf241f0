/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Untyped Retype: decode, reset, invoke (rules and invariants in untyped.h).
 */
#include <kernel/assert.h>
#include <kernel/cdt.h>
#include <kernel/cnode.h>
#include <kernel/untyped.h>
#include <tessera/errors.h>

/* The cap type each object type's caps have, and the fixed sizes. */
static const struct {
        uint8_t cap_type;
        uint8_t bits;           /* 0: the caller's size_bits decide */
} object_types[TESSERA_OBJ_TYPE_COUNT] = {
        [TESSERA_OBJ_UNTYPED] = { CAP_UNTYPED, 0 },
        [TESSERA_OBJ_TCB] = { CAP_TCB, TESSERA_TCB_BITS },
        [TESSERA_OBJ_ENDPOINT] = { CAP_ENDPOINT, TESSERA_ENDPOINT_BITS },
        [TESSERA_OBJ_NOTIFICATION] = { CAP_NOTIFICATION, TESSERA_NOTIFICATION_BITS },
        [TESSERA_OBJ_CNODE] = { CAP_CNODE, 0 },
        [TESSERA_OBJ_REPLY] = { CAP_REPLY, TESSERA_REPLY_BITS },
        [TESSERA_OBJ_FRAME_4K] = { CAP_FRAME, TESSERA_FRAME_4K_BITS },
        [TESSERA_OBJ_FRAME_2M] = { CAP_FRAME, TESSERA_FRAME_2M_BITS },
        [TESSERA_OBJ_VSPACE] = { CAP_VSPACE, TESSERA_TABLE_BITS },
        [TESSERA_OBJ_PAGE_TABLE] = { CAP_PAGE_TABLE, TESSERA_TABLE_BITS },
};

int untyped_object_bits(uint64_t type, uint64_t size_bits, unsigned *obj_bits)
{
        if (type >= TESSERA_OBJ_TYPE_COUNT)
                return TESSERA_ERR_INVALID_ARGUMENT;
        if (type == TESSERA_OBJ_UNTYPED) {
                if (size_bits < TESSERA_UNTYPED_MIN_BITS || size_bits > TESSERA_UNTYPED_MAX_BITS)
                        return TESSERA_ERR_RANGE;
                *obj_bits = (unsigned)size_bits;
        } else if (type == TESSERA_OBJ_CNODE) {
                if (size_bits < 1 || size_bits > TESSERA_CNODE_MAX_RADIX)
                        return TESSERA_ERR_RANGE;
                *obj_bits = (unsigned)size_bits + TESSERA_SLOT_BITS;
        } else {
                *obj_bits = object_types[type].bits;
        }
        return TESSERA_OK;
}

static bool device_may_make(uint64_t type)
{
        return type == TESSERA_OBJ_FRAME_4K || type == TESSERA_OBJ_FRAME_2M ||
               type == TESSERA_OBJ_UNTYPED;
}

/* Destination slots: in range, then empty. */
static int check_destination(const struct cap *cnode, uint64_t offset, uint64_t count)
{
        uint64_t slots;

        if (cnode->type != CAP_CNODE)
                return TESSERA_ERR_INVALID_CAPABILITY;
        slots = (uint64_t)1 << cnode->size_bits;
        if (offset >= slots || count > slots - offset)
                return TESSERA_ERR_RANGE;
        for (uint64_t i = 0; i < count; i++)
                if (!cap_is_null(&cnode_slot(cnode, offset + i)->cap))
                        return TESSERA_ERR_DELETE_FIRST;
        return TESSERA_OK;
}

/* Places the objects: from the free index (0 after a reset) aligned up. */
static int place(const struct cte *untyped, struct untyped_plan *p)
{
        const struct cap *ut = &untyped->cap;
        uint64_t size = (uint64_t)1 << ut->size_bits, align = (uint64_t)1 << p->obj_bits;
        uint64_t free = untyped->first_child ? ut->data : 0;

        if (p->obj_bits > ut->size_bits)
                return TESSERA_ERR_NOT_ENOUGH_MEMORY;
        p->first = (free + align - 1) & ~(align - 1);
        if (p->first > size || p->count > (size - p->first) >> p->obj_bits)
                return TESSERA_ERR_NOT_ENOUGH_MEMORY;
        return TESSERA_OK;
}

int untyped_retype_decode(struct cte *untyped, uint64_t type, uint64_t size_bits,
                          const struct cap *dest_cnode, uint64_t dest_offset, uint64_t count,
                          struct untyped_plan *plan)
{
        const struct cap *ut = &untyped->cap;
        int err;

        if (ut->type != CAP_UNTYPED)
                return TESSERA_ERR_INVALID_CAPABILITY;
        err = untyped_object_bits(type, size_bits, &plan->obj_bits);
        if (err)
                return err;
        if ((ut->flags & CAP_FLAG_DEVICE) && !device_may_make(type))
                return TESSERA_ERR_ILLEGAL_OPERATION;
        if (count == 0 || count > UNTYPED_RETYPE_MAX_COUNT)
                return TESSERA_ERR_RANGE;
        err = check_destination(dest_cnode, dest_offset, count);
        if (err)
                return err;
        plan->untyped = untyped;
        plan->type = (enum tessera_object_type)type;
        plan->count = count;
        plan->dest = cnode_slot(dest_cnode, dest_offset);
        plan->reset = !untyped->first_child && ut->data != 0;
        return place(untyped, plan);
}

bool untyped_reset_step(struct cte *untyped, unsigned budget)
{
        struct cap *ut = &untyped->cap;

        kassert(ut->type == CAP_UNTYPED && !untyped->first_child);
        if (ut->flags & CAP_FLAG_DEVICE)
                ut->data = 0;
        for (; budget && ut->data; budget--) {
                uint64_t low = (ut->data - 1) & ~(uint64_t)(UNTYPED_CLEAR_CHUNK - 1);

                kobject_clear((uintptr_t)(ut->object + low), ut->data - low);
                ut->data = low;
        }
        return ut->data == 0;
}

static struct cap object_cap(const struct untyped_plan *p, uint64_t va, uint32_t device)
{
        struct cap c = {
                .type = object_types[p->type].cap_type,
                .rights = TESSERA_RIGHTS_ALL,
                .size_bits = (uint8_t)p->obj_bits,
                .object = va,
        };

        if (p->type == TESSERA_OBJ_CNODE)
                c.size_bits = (uint8_t)(p->obj_bits - TESSERA_SLOT_BITS);
        if (c.type == CAP_UNTYPED || c.type == CAP_FRAME)
                c.flags = device;
        return c;
}

void untyped_retype_invoke(const struct untyped_plan *p)
{
        struct cap *ut = &p->untyped->cap;
        uint32_t device = ut->flags & CAP_FLAG_DEVICE;

        kassert(!p->reset || ut->data == 0);
        for (uint64_t i = 0; i < p->count; i++) {
                uint64_t va = ut->object + p->first + (i << p->obj_bits);
                struct cap c = object_cap(p, va, device);

                if (!device && p->type != TESSERA_OBJ_UNTYPED)
                        kobject_init(p->type, (uintptr_t)va, p->obj_bits);
                cdt_insert(p->untyped, p->dest + i, &c);
        }
        ut->data = p->first + (p->count << p->obj_bits);
}
