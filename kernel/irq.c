/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * This core's IRQ handler table (rules in irq.h). Line i belongs to the i-th
 * INTID of plat_boot's irqs, so the table needs no setup: all zero is every
 * INTID unissued, unbound, masked. The GIC is reached only through arch_*.
 */
#include <arch/arch.h>
#include <kernel/assert.h>
#include <kernel/core.h>
#include <kernel/ipc.h>
#include <kernel/irq.h>
#include <tessera/errors.h>

struct irq_line {
        bool issued;                    /* a handler cap exists */
        uint64_t notification;          /* bound notification object, 0: none */
        uint64_t badge;                 /* what a firing signals it with */
        uint64_t pending;               /* firings not yet delivered */
};

static struct irq_line lines[PLAT_MAX_IRQS];

/* The line of an INTID this core owns, or NULL. */
static struct irq_line *irq_line(uint64_t intid)
{
        const struct plat_boot *b = &core()->boot;

        for (unsigned i = 0; i < b->irq_count; i++)
                if (b->irqs[i] == intid)
                        return &lines[i];
        return NULL;
}

/* The line of an issued INTID: a handler cap names it (irq.h's invariant). */
static struct irq_line *issued_line(unsigned intid)
{
        struct irq_line *l = irq_line(intid);

        kassert(l && l->issued);
        return l;
}

int irq_issue_check(uint64_t intid)
{
        const struct irq_line *l = irq_line(intid);

        if (!l)
                return TESSERA_ERR_RANGE;
        return l->issued ? TESSERA_ERR_REVOKE_FIRST : TESSERA_OK;
}

struct cap irq_issue(unsigned intid)
{
        struct irq_line *l = irq_line(intid);

        kassert(l && !l->issued);
        *l = (struct irq_line){ .issued = true };
        return (struct cap){ .type = CAP_IRQ_HANDLER, .rights = TESSERA_RIGHTS_ALL, .data = intid };
}

void irq_ack(unsigned intid)
{
        (void)issued_line(intid);
        arch_irq_enable(intid);
}

void irq_clear(unsigned intid)
{
        struct irq_line *l = issued_line(intid);

        arch_irq_disable(intid);
        l->notification = 0;
        l->pending = 0;
}

void irq_set_notification(unsigned intid, uint64_t notification, uint64_t badge)
{
        struct irq_line *l = issued_line(intid);

        l->notification = notification;
        l->badge = badge;
}

/* An owned INTID is masked whether issued or not: without a handler nobody
 * would ever ack it, and a level interrupt would fire again at once. */
bool irq_fired(unsigned intid)
{
        struct irq_line *l = irq_line(intid);

        if (!l)
                return false;
        arch_irq_disable(intid);        /* until the handler acks it */
        if (!l->issued)
                return false;
        if (l->notification)
                notification_signal((struct notification *)(uintptr_t)l->notification, l->badge);
        else
                l->pending++;
        return true;
}

uint64_t irq_pending(unsigned intid)
{
        const struct irq_line *l = irq_line(intid);

        return l ? l->pending : 0;
}

void irq_handler_destroy(const struct cap *final)
{
        struct irq_line *l = irq_line(final->data);

        kassert(final->type == CAP_IRQ_HANDLER && l && l->issued);
        arch_irq_disable((unsigned)final->data);
        *l = (struct irq_line){ .issued = false };
}

void irq_notification_destroyed(uint64_t notification)
{
        for (unsigned i = 0; i < PLAT_MAX_IRQS; i++)
                if (lines[i].notification == notification)
                        lines[i].notification = 0;
}
