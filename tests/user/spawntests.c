/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes at EL0, as a root task: the allocator over the boot info, then
 * spawn (lib/tessera/spawn.h) of the child program embedded in this image
 * (tests/user/child.c). Two children in address spaces of their own write
 * a marker at the same virtual address and each reads back its own; each
 * finds its own caps in its fixed slots; a child that faults is reported and
 * stopped while this task goes on; destroyed processes give their slots
 * back and the next spawn works; corrupted images and bad arguments are
 * refused with their error, leaving nothing behind. Output is TAP; the exit
 * status is the number of failures.
 */
#include <stddef.h>
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/objects.h>
#include <tessera/syscall.h>
#include <tessera/alloc.h>
#include <tessera/invoke.h>
#include "suite.h"
#include "tap.h"
#include <tessera/spawn.h>
#include <tessera/tcb.h>
#include "spawn_child.h"

#define TOP        255
#define WAIT_YIELDS 2000
#define ELF_COPY_MAX (256 * 1024)

/* The child's ELF, embedded by objcopy (examples/meson.build). */
extern const uint8_t _binary_examples_child_elf_start[], _binary_examples_child_elf_end[];

static struct tessera_alloc alloc;
static uint8_t elf_copy[ELF_COPY_MAX];

static struct child_page *const page = (struct child_page *)(uintptr_t)CHILD_SHARED_VADDR;

static size_t child_elf_size(void)
{
        return (size_t)(_binary_examples_child_elf_end - _binary_examples_child_elf_start);
}

static struct tessera_spawn_args child_args(unsigned mode, unsigned id, const char *name)
{
        return (struct tessera_spawn_args){
                .elf = _binary_examples_child_elf_start, .elf_size = child_elf_size(),
                .name = name, .arg = CHILD_ARG(mode, id), .priority = TOP,
        };
}

/* Yields until the record reaches `state`; 1 if it did. */
static int wait_state(const struct child_record *r, uint64_t state)
{
        for (unsigned i = 0; i < WAIT_YIELDS; i++) {
                if (r->state == state)
                        return 1;
                tessera_yield();
        }
        return r->state == state;
}

static void test_alloc(void)
{
        uint64_t free_before = alloc.free_slots, first, again, ep;

        first = tessera_alloc_slots(&alloc, 10);
        expect_true("ten consecutive slots inside the empty range",
                    first >= alloc.first && first + 10 <= alloc.end);
        tessera_alloc_free_slots(&alloc, first, 10);
        again = tessera_alloc_slots(&alloc, 10);
        expect("freed slots are handed out again", (int64_t)again, (int64_t)first);
        tessera_alloc_free_slots(&alloc, again, 10);
        expect("an endpoint from the untypeds",
               tessera_alloc_object(&alloc, TESSERA_OBJ_ENDPOINT, 0, &ep), TESSERA_OK);
        expect("its slot is full: Mint onto it is refused",
               tessera_cnode_mint(TESSERA_SLOT_CNODE, ep + 0, 64, TESSERA_SLOT_CNODE, ep, 64,
                                  TESSERA_RIGHTS_ALL, 1), TESSERA_ERR_DELETE_FIRST);
        expect("an unknown type: INVALID_ARGUMENT",
               tessera_alloc_object(&alloc, 99, 0, &first), TESSERA_ERR_INVALID_ARGUMENT);
        expect("an untyped bigger than any: NOT_ENOUGH_MEMORY after trying them all",
               tessera_alloc_object(&alloc, TESSERA_OBJ_UNTYPED, TESSERA_UNTYPED_MAX_BITS, &first),
               TESSERA_ERR_NOT_ENOUGH_MEMORY);
        expect("a refused object gives its slot back", (int64_t)alloc.free_slots,
               (int64_t)free_before - 1);
        tessera_cnode_delete(TESSERA_SLOT_CNODE, ep, 64);
        tessera_alloc_free_slot(&alloc, ep);
}

/* The page both sides see, mapped here at the address the children use. */
static uint64_t share_page(void)
{
        uint64_t frame = 0;
        int err = tessera_alloc_object(&alloc, TESSERA_OBJ_FRAME_4K, 0, &frame);

        if (!err)
                err = tessera_spawn_map_own(&alloc, frame, CHILD_SHARED_VADDR,
                                            TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, TESSERA_FRAME_CACHED);
        expect("a shared frame mapped in the parent (page tables made as needed)", err, TESSERA_OK);
        return err ? 0 : frame;
}

static int spawn_child(struct tessera_process *p, unsigned mode, unsigned id, const char *name,
                       uint64_t frame, uint64_t gift)
{
        struct tessera_spawn_args args = child_args(mode, id, name);
        int err;

        args.shares[args.share_count++] = (struct tessera_spawn_share){
                frame, CHILD_SHARED_VADDR, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE };
        if (gift)
                args.caps[args.cap_count++] = gift;
        err = tessera_spawn(&alloc, &args, p);
        if (err)
                tessera_printf("# spawn %s: status %d at \"%s\"\n", name, err,
                               p->failed ? p->failed : "?");
        return err;
}

static void check_isolated(const struct child_record *r, unsigned id, const char *who)
{
        tessera_printf("# %s: state %llu, marker at 0x%llx, seen 0x%llx, caps %lld\n", who,
                       (unsigned long long)r->state, (unsigned long long)r->marker_vaddr,
                       (unsigned long long)r->seen, (long long)r->cap_status);
        expect_true("the child finished", r->state == CHILD_DONE);
        expect("it received its argument in x0", (int64_t)r->arg, (int64_t)CHILD_ARG(CHILD_ISOLATION, id));
        expect_true("its .data was loaded as linked and its .bss is zero", r->image_ok == 1);
        expect("its fixed slots hold its own TCB, CNode, VSpace, IPC buffer and the gift",
               r->cap_status, 0);
        expect("it read back its own marker", (int64_t)r->seen, (int64_t)CHILD_MARKER(id));
}

/* Two children of the same image: the same address, different memory. */
static void test_isolation(uint64_t frame, uint64_t gift)
{
        struct tessera_process a, b;

        expect("spawn child 0", spawn_child(&a, CHILD_ISOLATION, 0, "spawn-a", frame, gift), TESSERA_OK);
        expect("spawn child 1", spawn_child(&b, CHILD_ISOLATION, 1, "spawn-b", frame, gift), TESSERA_OK);
        expect_true("child 0 wrote its marker", wait_state(&page->child[0], CHILD_WROTE));
        expect_true("child 1 wrote its marker", wait_state(&page->child[1], CHILD_WROTE));
        expect_true("both markers sit at the same virtual address",
                    page->child[0].marker_vaddr != 0 &&
                    page->child[0].marker_vaddr == page->child[1].marker_vaddr);
        page->go = 1;
        wait_state(&page->child[0], CHILD_DONE);
        wait_state(&page->child[1], CHILD_DONE);
        check_isolated(&page->child[0], 0, "child 0");
        check_isolated(&page->child[1], 1, "child 1");
        expect("destroy child 0", tessera_spawn_destroy(&alloc, &a), TESSERA_OK);
        expect("destroy child 1", tessera_spawn_destroy(&alloc, &b), TESSERA_OK);
}

/* A fault stops only the child: this task reads its registers and goes on. */
static void test_fault(uint64_t frame)
{
        struct tessera_process p;
        uint64_t regs[TESSERA_REG_X0 + 1] = { 0 };
        uint64_t free_before = alloc.free_slots;

        expect("spawn a child that faults", spawn_child(&p, CHILD_FAULT, 2, "spawn-fault", frame, 0),
               TESSERA_OK);
        expect_true("it ran up to the fault", wait_state(&page->child[2], CHILD_FAULTING));
        for (unsigned i = 0; i < 10; i++)
                tessera_yield();
        expect("its registers can be read", tessera_tcb_read_registers(p.tcb, TESSERA_REG_X0 + 1, regs),
               TESSERA_OK);
        expect_true("it stopped inside its text, past its entry",
                    regs[TESSERA_REG_PC] > p.entry && regs[TESSERA_REG_PC] < p.entry + 0x100000);
        expect_true("it never got further", page->child[2].state == CHILD_FAULTING);
        expect("destroy the faulted child", tessera_spawn_destroy(&alloc, &p), TESSERA_OK);
        expect("its slots are all given back", (int64_t)alloc.free_slots, (int64_t)free_before);
}

/* After destroying, the same slots serve the next process. */
static void test_respawn(uint64_t frame, uint64_t gift)
{
        struct tessera_process p;

        page->child[3].state = CHILD_NOT_STARTED;
        expect("spawn again after the destroys",
               spawn_child(&p, CHILD_ISOLATION, 3, "spawn-again", frame, gift), TESSERA_OK);
        expect_true("the new child finishes", wait_state(&page->child[3], CHILD_DONE));
        expect("it read back its own marker", (int64_t)page->child[3].seen, (int64_t)CHILD_MARKER(3));
        expect("destroy it", tessera_spawn_destroy(&alloc, &p), TESSERA_OK);
}

/* A fresh copy of the child's image with `bytes` bytes at `offset` set to
 * `value`, little-endian. */
static const uint8_t *corrupt(size_t offset, unsigned bytes, uint64_t value)
{
        for (size_t i = 0; i < child_elf_size(); i++)
                elf_copy[i] = _binary_examples_child_elf_start[i];
        for (unsigned i = 0; i < bytes; i++)
                elf_copy[offset + i] = (uint8_t)(value >> (8 * i));
        return elf_copy;
}

static uint64_t header_word(size_t offset)
{
        uint64_t v = 0;

        for (unsigned i = 8; i--;)
                v = v << 8 | _binary_examples_child_elf_start[offset + i];
        return v;
}

/* Spawn's answer; -1 instead if it kept any slot. */
static int64_t spawn_leaving_nothing(const struct tessera_spawn_args *args)
{
        struct tessera_process p;
        uint64_t free_before = alloc.free_slots;
        int err = tessera_spawn(&alloc, args, &p);

        return p.slot_count == 0 && alloc.free_slots == free_before ? err : -1;
}

static void expect_refused(const char *what, const uint8_t *elf, size_t size, int elf_error)
{
        struct tessera_spawn_args args = child_args(CHILD_ISOLATION, 3, "spawn-bad");

        args.elf = elf;
        args.elf_size = size;
        expect(what, spawn_leaving_nothing(&args), TESSERA_SPAWN_ELF_ERROR(elf_error));
}

/* Program header 0 is the text segment (lib/tessera/user.ld). */
static void test_bad_images(void)
{
        size_t size = child_elf_size(), ph = (size_t)header_word(32);

        if (size > ELF_COPY_MAX) {
                expect_true("the child image fits the copy buffer", 0);
                return;
        }
        expect_refused("a truncated image: TRUNCATED", _binary_examples_child_elf_start, 40,
                       TESSERA_ELF_ERR_TRUNCATED);
        expect_refused("a big-endian image: CLASS", corrupt(5, 1, 2), size, TESSERA_ELF_ERR_CLASS);
        expect_refused("an x86-64 image: MACHINE", corrupt(18, 2, 62), size, TESSERA_ELF_ERR_MACHINE);
        expect_refused("program headers past the end: PHDR_BOUNDS", corrupt(32, 8, size), size,
                       TESSERA_ELF_ERR_PHDR_BOUNDS);
        expect_refused("text both writable and executable: SEGMENT_WX", corrupt(ph + 4, 4, 7), size,
                       TESSERA_ELF_ERR_SEGMENT_WX);
        expect_refused("text over the stack: SEGMENT_RANGE",
                       corrupt(ph + 16, 8, TESSERA_ROOT_STACK_TOP - 0x2000), size,
                       TESSERA_ELF_ERR_SEGMENT_RANGE);
        expect_refused("the entry outside the text: ENTRY", corrupt(24, 8, 0x10), size,
                       TESSERA_ELF_ERR_ENTRY);
}

static void expect_bad_args(const char *what, struct tessera_spawn_args args, int want)
{
        expect(what, spawn_leaving_nothing(&args), want);
}

static void test_bad_args(uint64_t frame)
{
        struct tessera_spawn_args args = child_args(CHILD_ISOLATION, 3, "spawn-bad");
        struct tessera_spawn_args bad;

        bad = args;
        bad.elf = 0;
        expect_bad_args("no image: INVALID_ARGUMENT", bad, TESSERA_ERR_INVALID_ARGUMENT);
        bad = args;
        bad.priority = TESSERA_PRIORITY_COUNT;
        expect_bad_args("priority 256: RANGE", bad, TESSERA_ERR_RANGE);
        bad = args;
        bad.stack_pages = TESSERA_SPAWN_MAX_STACK_PAGES + 1;
        expect_bad_args("too big a stack: RANGE", bad, TESSERA_ERR_RANGE);
        bad = args;
        bad.cnode_bits = TESSERA_CNODE_MAX_RADIX + 1;
        expect_bad_args("too big a CNode: RANGE", bad, TESSERA_ERR_RANGE);
        bad = args;
        bad.share_count = 1;
        bad.shares[0] = (struct tessera_spawn_share){ frame, CHILD_SHARED_VADDR + 8, TESSERA_RIGHT_READ };
        expect_bad_args("a share at a misaligned address: ALIGNMENT", bad, TESSERA_ERR_ALIGNMENT);
        bad.shares[0] = (struct tessera_spawn_share){ frame, CHILD_SHARED_VADDR, TESSERA_RIGHT_WRITE };
        expect_bad_args("a write-only share: INVALID_ARGUMENT", bad, TESSERA_ERR_INVALID_ARGUMENT);
        /* Refused by the kernel halfway: everything made so far goes. */
        bad.shares[0] = (struct tessera_spawn_share){ frame, TESSERA_ROOT_IPC_BUFFER_VADDR,
                                                      TESSERA_RIGHT_READ };
        expect_bad_args("a share over the IPC buffer: MAPPING, undone", bad, TESSERA_ERR_MAPPING);
}

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        uint64_t frame, gift = 0;

        tessera_printf("# spawntests on core %u: child image %llu bytes\n", bi->core_id,
                       (unsigned long long)child_elf_size());
        tessera_alloc_init(&alloc, bi);
        test_alloc();
        frame = share_page();
        tessera_alloc_object(&alloc, TESSERA_OBJ_ENDPOINT, 0, &gift);
        if (frame) {
                test_isolation(frame, gift);
                test_fault(frame);
                test_respawn(frame, gift);
        }
        test_bad_images();
        if (frame)
                test_bad_args(frame);
        tessera_printf("1..%u\n", tap_checks());
        return suite_finish(bi, tap_failures());
}
