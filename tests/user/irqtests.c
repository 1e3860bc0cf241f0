/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Devices, shared regions and interrupts at EL0, as a root task on a core
 * that owns the UART (INTID 33) and shares one channel with another core
 * (tests/qemu/specs/user-irqtests.dts): the boot info's device untyped and
 * shared-region frames, and every IRQ control and IRQ handler invocation on
 * its success paths and each error path; and the UART's interrupt, taken for
 * real, delivered to a notification with the SetNotification cap's badge.
 * Output is TAP; the exit status is the number of failures.
 */
#include <kernel/string.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/irq.h>
#include <tessera/objects.h>
#include <tessera/syscall.h>
#include "suite.h"
#include "tap.h"

#define ROOT  TESSERA_SLOT_CNODE
#define IRQS  TESSERA_SLOT_IRQ_CONTROL
#define DEPTH 64                /* the root CNode resolves a whole word in one level */
#define PAGE  4096ull

#define UART_PADDR     0x9000000ull
#define UART_INTID     33
#define UART_IMSC      0x38             /* PL011 interrupt mask set/clear */
#define UART_MIS       0x40             /* masked interrupt status */
#define UART_ICR       0x44             /* interrupt clear */
#define UART_TX        (1u << 5)        /* transmit interrupt: raised by every write to DR */
#define UART_VADDR     0x40000000ull    /* where the test maps the UART: no tables yet */
#define CHANNEL_NAME   "irqlink"        /* the spec's channel */
#define CHANNEL_SIZE   0x4000ull
#define CHANNEL_PEERS  3u               /* cores 0 and 1 */

/* Frame GetAddress: the status, and the address in *pa. */
static int frame_address(uint64_t frame, uint64_t *pa)
{
        struct tessera_msg m = { .info = tessera_msg_info(TESSERA_INV_FRAME_GET_ADDRESS, 0, 0) };

        tessera_syscall(TESSERA_SYS_CALL, frame, &m);
        *pa = m.mr[0];
        return (int)tessera_msg_label(m.info);
}

/* The device untyped at paddr, or the untyped count when there is none. */
static unsigned device_untyped(const struct tessera_bootinfo *bi, uint64_t paddr)
{
        for (unsigned i = 0; i < bi->untyped_count; i++)
                if (bi->untyped_list[i].is_device && bi->untyped_list[i].paddr == paddr)
                        return i;
        return bi->untyped_count;
}

static void test_device_untyped(const struct tessera_bootinfo *bi, uint64_t e)
{
        unsigned i = device_untyped(bi, UART_PADDR), aligned = 1;
        uint64_t ut = bi->untyped.start + i;

        for (unsigned j = 0; j < bi->untyped_count; j++)
                if (bi->untyped_list[j].is_device && (bi->untyped_list[j].paddr & (PAGE - 1)))
                        aligned = 0;
        expect_true("every device untyped is page aligned", aligned);
        expect_true("the boot info lists the UART's device untyped", i < bi->untyped_count);
        if (i == bi->untyped_count)
                return;
        expect("the UART's device untyped is one page", bi->untyped_list[i].size_bits, 12);
        expect("retype a TCB from device memory: ILLEGAL_OPERATION",
               tessera_untyped_retype(ut, TESSERA_OBJ_TCB, 0, ROOT, e, 1), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("retype an endpoint from device memory: ILLEGAL_OPERATION",
               tessera_untyped_retype(ut, TESSERA_OBJ_ENDPOINT, 0, ROOT, e, 1),
               TESSERA_ERR_ILLEGAL_OPERATION);
        expect("retype a CNode from device memory: ILLEGAL_OPERATION",
               tessera_untyped_retype(ut, TESSERA_OBJ_CNODE, 4, ROOT, e, 1), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("retype a 2 MiB frame from one page: NOT_ENOUGH_MEMORY",
               tessera_untyped_retype(ut, TESSERA_OBJ_FRAME_2M, 0, ROOT, e, 1),
               TESSERA_ERR_NOT_ENOUGH_MEMORY);
        expect("retype a 4 KiB frame from the device untyped",
               tessera_untyped_retype(ut, TESSERA_OBJ_FRAME_4K, 0, ROOT, e, 1), TESSERA_OK);
        expect("a second frame from the same page: NOT_ENOUGH_MEMORY",
               tessera_untyped_retype(ut, TESSERA_OBJ_FRAME_4K, 0, ROOT, e + 1, 1),
               TESSERA_ERR_NOT_ENOUGH_MEMORY);
        expect("revoke the device untyped", tessera_cnode_revoke(ROOT, ut, DEPTH), TESSERA_OK);
        expect("retype the frame again after the revoke (never cleared)",
               tessera_untyped_retype(ut, TESSERA_OBJ_FRAME_4K, 0, ROOT, e, 1), TESSERA_OK);
        expect("a 4 KiB device untyped child instead: NOT_ENOUGH_MEMORY while the frame lives",
               tessera_untyped_retype(ut, TESSERA_OBJ_UNTYPED, 12, ROOT, e + 1, 1),
               TESSERA_ERR_NOT_ENOUGH_MEMORY);
        expect("delete the device frame", tessera_cnode_delete(ROOT, e, DEPTH), TESSERA_OK);
}

/* The boot info's slot ranges follow each other, the empty range last. */
static void test_slot_ranges(const struct tessera_bootinfo *bi)
{
        uint64_t end = bi->untyped.end;

        expect_true("image frames, then untypeds", bi->image_frames.end == bi->untyped.start);
        for (unsigned i = 0; i < bi->shared_count; i++) {
                expect_true("each shared region's frames follow the previous range",
                            bi->shared[i].frames.start == end);
                end = bi->shared[i].frames.end;
        }
        for (unsigned i = 0; i < bi->port_count; i++)
                expect_true("then one IPI cap per port, in order", bi->ports[i].slot == end++);
        expect_true("the empty range comes last and runs to the CNode's end",
                    bi->empty.start == end && bi->empty.end == 1u << TESSERA_ROOT_CNODE_BITS);
}

/* The frames name the region's pages, in order. */
static void test_shared_addresses(const struct tessera_shared_desc *s)
{
        uint64_t first = 0, last = 0;

        expect("GetAddress of the region's first frame", frame_address(s->frames.start, &first),
               TESSERA_OK);
        expect("GetAddress of its last frame", frame_address(s->frames.end - 1, &last), TESSERA_OK);
        expect_true("the frames are the region's first and last pages",
                    first == s->paddr && last == s->paddr + s->size - PAGE);
}

static void test_shared_frames(const struct tessera_bootinfo *bi, uint64_t e)
{
        const struct tessera_shared_desc *s = &bi->shared[0];

        expect("the boot info lists the channel's shared region", bi->shared_count, 1);
        if (bi->shared_count == 0)
                return;
        expect("the region has the channel's name", kstrcmp(s->name, CHANNEL_NAME), 0);
        expect_true("the region has the channel's size", s->size == CHANNEL_SIZE);
        expect("the region's peers are cores 0 and 1", (int)s->peers, CHANNEL_PEERS);
        expect("the region is page aligned", (int)(s->paddr & (PAGE - 1)), 0);
        expect_true("one frame cap per page of the region",
                    s->frames.end - s->frames.start == CHANNEL_SIZE / PAGE);
        expect("copy the region's first frame",
               tessera_cnode_copy(ROOT, e, DEPTH, ROOT, s->frames.start, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_OK);
        expect("copy the region's last frame",
               tessera_cnode_copy(ROOT, e + 1, DEPTH, ROOT, s->frames.end - 1, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_OK);
        expect("delete the copies", tessera_cnode_delete(ROOT, e, DEPTH) |
               tessera_cnode_delete(ROOT, e + 1, DEPTH), TESSERA_OK);
        test_shared_addresses(s);
}

static int get(uint64_t intid, uint64_t root, uint64_t slot, unsigned depth)
{
        return tessera_irq_control_get(IRQS, intid, root, slot, depth);
}

/* Every refusal of Get while the UART's INTID is still free; none issues it. */
static void test_get_errors(uint64_t e, uint64_t endpoint)
{
        expect("Get into a full slot: DELETE_FIRST", get(UART_INTID, ROOT, TESSERA_SLOT_TCB, DEPTH),
               TESSERA_ERR_DELETE_FIRST);
        expect("Get with depth 0: RANGE", get(UART_INTID, ROOT, e, 0), TESSERA_ERR_RANGE);
        expect("Get with depth 65: RANGE", get(UART_INTID, ROOT, e, 65), TESSERA_ERR_RANGE);
        expect("Get into a slot address with guard bits: FAILED_LOOKUP",
               get(UART_INTID, ROOT, e | 1ull << 40, DEPTH), TESSERA_ERR_FAILED_LOOKUP);
        expect("Get through an endpoint as the root: INVALID_CAPABILITY",
               get(UART_INTID, endpoint, e, DEPTH), TESSERA_ERR_INVALID_CAPABILITY);
        expect("Get through an empty slot as the root: INVALID_CAPABILITY",
               get(UART_INTID, e + 9, e, DEPTH), TESSERA_ERR_INVALID_CAPABILITY);
        expect("Get through an unresolvable root address: FAILED_LOOKUP",
               get(UART_INTID, ROOT | 1ull << 63, e, DEPTH), TESSERA_ERR_FAILED_LOOKUP);
        expect("mint a read-only root CNode cap",
               tessera_cnode_mint(ROOT, e + 8, DEPTH, ROOT, ROOT, DEPTH, TESSERA_RIGHT_READ, 0),
               TESSERA_OK);
        expect("Get through a root without WRITE: INSUFFICIENT_RIGHTS",
               get(UART_INTID, e + 8, e, DEPTH), TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("delete the read-only root", tessera_cnode_delete(ROOT, e + 8, DEPTH), TESSERA_OK);
        expect("Get with two arguments: TRUNCATED_MESSAGE",
               tessera_invoke(IRQS, TESSERA_INV_IRQ_CONTROL_GET, (const uint64_t[]){ UART_INTID, e }, 2,
                              (const uint64_t[]){ ROOT }, 1),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("Get without the destination root: TRUNCATED_MESSAGE",
               tessera_invoke(IRQS, TESSERA_INV_IRQ_CONTROL_GET,
                              (const uint64_t[]){ UART_INTID, e, DEPTH }, 3, 0, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("a handler label on IRQ control: ILLEGAL_OPERATION",
               tessera_invoke(IRQS, TESSERA_INV_IRQ_HANDLER_ACK, 0, 0, 0, 0),
               TESSERA_ERR_ILLEGAL_OPERATION);
        expect("copy the IRQ control cap: ILLEGAL_OPERATION",
               tessera_cnode_copy(ROOT, e, DEPTH, ROOT, IRQS, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_ERR_ILLEGAL_OPERATION);
}

static void test_not_owned(uint64_t e)
{
        expect("Get the RTC's INTID 34 (another device's): RANGE", get(34, ROOT, e, DEPTH),
               TESSERA_ERR_RANGE);
        expect("Get the virtual timer's PPI 27: RANGE", get(27, ROOT, e, DEPTH), TESSERA_ERR_RANGE);
        expect("Get the kernel timer's PPI 30: RANGE", get(30, ROOT, e, DEPTH), TESSERA_ERR_RANGE);
        expect("Get SGI 1: RANGE", get(1, ROOT, e, DEPTH), TESSERA_ERR_RANGE);
        expect("Get INTID 5000: RANGE", get(5000, ROOT, e, DEPTH), TESSERA_ERR_RANGE);
        expect("Get INTID 2^32 + 33: RANGE", get((1ull << 32) + UART_INTID, ROOT, e, DEPTH),
               TESSERA_ERR_RANGE);
}

static void test_handler(uint64_t h, uint64_t endpoint, uint64_t ntfn, uint64_t e)
{
        expect("Ack", tessera_irq_handler_ack(h), TESSERA_OK);
        expect("Clear", tessera_irq_handler_clear(h), TESSERA_OK);
        expect("Ack after Clear", tessera_irq_handler_ack(h), TESSERA_OK);
        expect("SetNotification with an endpoint: INVALID_CAPABILITY",
               tessera_irq_handler_set_notification(h, endpoint), TESSERA_ERR_INVALID_CAPABILITY);
        expect("SetNotification with an empty slot: INVALID_CAPABILITY",
               tessera_irq_handler_set_notification(h, e + 9), TESSERA_ERR_INVALID_CAPABILITY);
        expect("SetNotification with the handler itself: INVALID_CAPABILITY",
               tessera_irq_handler_set_notification(h, h), TESSERA_ERR_INVALID_CAPABILITY);
        expect("SetNotification without the cap: TRUNCATED_MESSAGE",
               tessera_invoke(h, TESSERA_INV_IRQ_HANDLER_SET_NOTIFICATION, 0, 0, 0, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("mint a read-only notification cap",
               tessera_cnode_mint(ROOT, e + 7, DEPTH, ROOT, ntfn, DEPTH, TESSERA_RIGHT_READ, 0),
               TESSERA_OK);
        expect("SetNotification with a notification without WRITE: INSUFFICIENT_RIGHTS",
               tessera_irq_handler_set_notification(h, e + 7), TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("delete the read-only notification cap", tessera_cnode_delete(ROOT, e + 7, DEPTH), TESSERA_OK);
        expect("SetNotification with a notification", tessera_irq_handler_set_notification(h, ntfn),
               TESSERA_OK);
        expect("Clear unbinds it", tessera_irq_handler_clear(h), TESSERA_OK);
        expect("bind it again", tessera_irq_handler_set_notification(h, ntfn), TESSERA_OK);
        expect("an IRQ control label on a handler: ILLEGAL_OPERATION",
               tessera_invoke(h, TESSERA_INV_IRQ_CONTROL_GET, 0, 0, 0, 0), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("an unknown label on a handler: ILLEGAL_OPERATION", tessera_invoke(h, 999, 0, 0, 0, 0),
               TESSERA_ERR_ILLEGAL_OPERATION);
}

/* A handler cap goes with its last copy, or with a revoke of IRQ control. */
static void test_lifetime(uint64_t h)
{
        expect("copy the handler", tessera_cnode_copy(ROOT, h + 1, DEPTH, ROOT, h, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_OK);
        expect("delete the original", tessera_cnode_delete(ROOT, h, DEPTH), TESSERA_OK);
        expect("Get while the copy lives: REVOKE_FIRST", get(UART_INTID, ROOT, h, DEPTH),
               TESSERA_ERR_REVOKE_FIRST);
        expect("the copy works", tessera_irq_handler_ack(h + 1), TESSERA_OK);
        expect("delete the copy", tessera_cnode_delete(ROOT, h + 1, DEPTH), TESSERA_OK);
        expect("Get again once the last handler cap is gone", get(UART_INTID, ROOT, h, DEPTH), TESSERA_OK);
        expect("copy it", tessera_cnode_copy(ROOT, h + 1, DEPTH, ROOT, h, DEPTH, TESSERA_RIGHTS_ALL),
               TESSERA_OK);
        expect("revoke IRQ control", tessera_cnode_revoke(ROOT, IRQS, DEPTH), TESSERA_OK);
        expect("the handler is gone: INVALID_CAPABILITY", tessera_irq_handler_ack(h),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect("its copy is gone too: INVALID_CAPABILITY", tessera_irq_handler_ack(h + 1),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect("Get again after the revoke", get(UART_INTID, ROOT, h, DEPTH), TESSERA_OK);
        expect("delete it", tessera_cnode_delete(ROOT, h, DEPTH), TESSERA_OK);
}

static void test_irqs(const struct tessera_bootinfo *bi, uint64_t e)
{
        uint64_t ut = suite_largest_untyped(bi, 0), endpoint = e + 20, ntfn = e + 21, h = e + 30;

        expect("retype an endpoint", tessera_untyped_retype(ut, TESSERA_OBJ_ENDPOINT, 0, ROOT, endpoint, 1),
               TESSERA_OK);
        expect("retype a notification",
               tessera_untyped_retype(ut, TESSERA_OBJ_NOTIFICATION, 0, ROOT, ntfn, 1), TESSERA_OK);
        test_get_errors(e, endpoint);
        test_not_owned(e);
        expect("Get the UART's INTID 33", get(UART_INTID, ROOT, h, DEPTH), TESSERA_OK);
        expect("Get it a second time: REVOKE_FIRST", get(UART_INTID, ROOT, h + 1, DEPTH),
               TESSERA_ERR_REVOKE_FIRST);
        test_handler(h, endpoint, ntfn, e);
        expect("delete the bound notification", tessera_cnode_delete(ROOT, ntfn, DEPTH), TESSERA_OK);
        expect("Clear after its notification went", tessera_irq_handler_clear(h), TESSERA_OK);
        test_lifetime(h);
}

/* Map a frame at vaddr, making the page tables on the way from ut into
 * slots tables, tables + 1, ... as the walk asks for them. */
static int map_frame(uint64_t frame, uint64_t vaddr, uint64_t ut, uint64_t tables)
{
        const uint64_t vspace = TESSERA_SLOT_VSPACE;
        int err = TESSERA_ERR_FAILED_LOOKUP;

        for (unsigned level = 0; err == TESSERA_ERR_FAILED_LOOKUP && level <= 3; level++) {
                err = tessera_invoke(frame, TESSERA_INV_FRAME_MAP,
                                     (const uint64_t[]){ vaddr, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, 0 },
                                     3, &vspace, 1);
                if (err != TESSERA_ERR_FAILED_LOOKUP)
                        break;
                err = tessera_untyped_retype(ut, TESSERA_OBJ_PAGE_TABLE, 0, ROOT, tables + level, 1);
                if (!err)
                        err = tessera_invoke(tables + level, TESSERA_INV_PAGE_TABLE_MAP,
                                             (const uint64_t[]){ vaddr }, 1, &vspace, 1);
                if (!err)
                        err = TESSERA_ERR_FAILED_LOOKUP;
        }
        return err;
}

/* Polls until the notification's word arrives (the interrupt is taken on
 * the way back to EL0, so at most a few yields); WOULD_BLOCK if it never does. */
static int poll_for_word(uint64_t ntfn, uint64_t *word)
{
        int st = TESSERA_ERR_WOULD_BLOCK;

        for (unsigned i = 0; i < 10 && st == TESSERA_ERR_WOULD_BLOCK; i++) {
                st = tessera_poll(ntfn, word);
                if (st == TESSERA_ERR_WOULD_BLOCK)
                        tessera_yield();
        }
        return st;
}

/* With a notification bound, each Ack lets the raised interrupt in once
 * more: the kernel masks it and signals the notification with the badge of
 * the cap SetNotification was given. Slots ntfn and ntfn + 1. */
static void test_delivery(const struct tessera_bootinfo *bi, uint64_t h, uint64_t ntfn)
{
        uint64_t badged = ntfn + 1, word = 0;

        expect("retype a notification",
               tessera_untyped_retype(suite_largest_untyped(bi, 0), TESSERA_OBJ_NOTIFICATION, 0, ROOT, ntfn, 1), TESSERA_OK);
        expect("mint a cap of it with badge 0x21",
               tessera_cnode_mint(ROOT, badged, DEPTH, ROOT, ntfn, DEPTH, TESSERA_RIGHT_WRITE, 0x21), TESSERA_OK);
        expect("SetNotification with the badged cap", tessera_irq_handler_set_notification(h, badged), TESSERA_OK);
        expect("Ack: the raised interrupt comes in", tessera_irq_handler_ack(h), TESSERA_OK);
        expect("Poll: the notification was signalled", poll_for_word(ntfn, &word), TESSERA_OK);
        expect("with the SetNotification cap's badge 0x21", (int)word, 0x21);
        expect("Poll again: nothing more until the next Ack (masked)", tessera_poll(ntfn, &word),
               TESSERA_ERR_WOULD_BLOCK);
        expect("Ack again", tessera_irq_handler_ack(h), TESSERA_OK);
        if (word == 0x21) {
                word = 0;
                expect("Wait: the interrupt's signal arrives", tessera_wait(ntfn, &word), TESSERA_OK);
                expect("with badge 0x21", (int)word, 0x21);
        }
        expect("Clear the handler's notification", tessera_irq_handler_clear(h), TESSERA_OK);
        expect("delete the notification's caps", tessera_cnode_delete(ROOT, badged, DEPTH) |
               tessera_cnode_delete(ROOT, ntfn, DEPTH), TESSERA_OK);
}

/* The UART's transmit interrupt is level-triggered and stays raised: each
 * time the handler is acked the kernel takes it, masks it and counts it, so
 * this thread runs on. Without the mask it would take the core for ever. */
static void test_firing(const struct tessera_bootinfo *bi, uint64_t e)
{
        uint64_t ut = bi->untyped.start + device_untyped(bi, UART_PADDR), pa = 0;
        uint64_t frame = e + 40, h = e + 41, tables = e + 42;
        volatile uint32_t *uart = (volatile uint32_t *)(uintptr_t)UART_VADDR;

        expect("retype the UART's frame", tessera_untyped_retype(ut, TESSERA_OBJ_FRAME_4K, 0, ROOT, frame, 1),
               TESSERA_OK);
        expect("GetAddress of the UART's frame", frame_address(frame, &pa), TESSERA_OK);
        expect_true("the frame is the UART's page", pa == UART_PADDR);
        expect("map the UART's frame", map_frame(frame, UART_VADDR, suite_largest_untyped(bi, 0), tables), TESSERA_OK);
        expect("Get the UART's INTID", get(UART_INTID, ROOT, h, DEPTH), TESSERA_OK);
        uart[UART_IMSC / 4] |= UART_TX;
        expect_true("the UART raises its transmit interrupt", uart[UART_MIS / 4] & UART_TX);
        for (unsigned i = 0; i < 3; i++) {
                expect("Ack: the raised interrupt is taken and masked again", tessera_irq_handler_ack(h),
                       TESSERA_OK);
                tessera_yield();
        }
        expect_true("still raised, and this thread runs on", uart[UART_MIS / 4] & UART_TX);
        test_delivery(bi, h, e + 50);
        expect("Clear", tessera_irq_handler_clear(h), TESSERA_OK);
        uart[UART_IMSC / 4] &= ~UART_TX;
        uart[UART_ICR / 4] = UART_TX;
        expect("delete the handler", tessera_cnode_delete(ROOT, h, DEPTH), TESSERA_OK);
        expect("unmap the UART's frame", tessera_invoke(frame, TESSERA_INV_FRAME_UNMAP, 0, 0, 0, 0),
               TESSERA_OK);
}

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        uint64_t e = bi->empty.start;

        tessera_printf("# irqtests on core %u: %u untyped, %u shared regions; free slots %llu-%llu\n",
                       bi->core_id, bi->untyped_count, bi->shared_count,
                       (unsigned long long)bi->empty.start, (unsigned long long)bi->empty.end);
        expect("the boot info is the kernel's", bi->magic == TESSERA_BOOTINFO_MAGIC, 1);
        test_slot_ranges(bi);
        test_device_untyped(bi, e);
        test_shared_frames(bi, e);
        test_irqs(bi, e);
        test_firing(bi, e);
        tessera_printf("1..%u\n", tap_checks());
        return (int)tap_failures();
}
