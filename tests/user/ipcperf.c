/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPC cost in instructions, as a root task: Call + ReplyRecv round trips to
 * a server at the same priority, (1) in a process of its own, spawned from
 * the ELF embedded in this image (ipcperf_server.c), and (2) a thread in
 * this address space; with 0-word and 4-word requests and 0-word replies.
 * Each variant warms up, then reads the PMU's event counters around the
 * measured round trips: PMEVCNTR0_EL0 counts instructions at EL0 and EL1,
 * PMEVCNTR1_EL0 at EL0 only (the kernel sets them up and lets EL0 read them
 * with the boot option tessera.pmu=user). Counts are exact and repeatable
 * only under QEMU -icount shift=0,sleep=off on one core (FACTS.md); they
 * count both sides, client and server, and every timer tick in between.
 *
 * Whether EL0 may read a counter is found out safely first (counters.h).
 * CNTVCT_EL0, if readable, is also reported (in ticks of 16 instructions
 * under icount shift=0).
 *
 * Output: one line per variant, e.g.
 *   ipcperf: inter-as 0-word: 296.4 instructions per round trip (user 40.0, kernel 256.4) over 2000
 * and TAP results: every round trip's answer was right. Debug builds check
 * the kernel's invariants after every slow-path system call, millions of
 * instructions each: they run fewer round trips, and their counts measure
 * the checker, not IPC.
 */
#include <stdint.h>
#include <tessera/alloc.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/spawn.h>
#include <tessera/tcb.h>
#include "counters.h"
#include "ipcperf.h"

#define ROOT        TESSERA_SLOT_CNODE
#define DEPTH       64
#define PRIORITY    200
#define STACK_WORDS 1024
#define THREAD_IPC_VADDR 0x30000000ull
#if TESSERA_DEBUG
#define WARMUP      4
#define ROUND_TRIPS 40
#else
#define WARMUP      100
#define ROUND_TRIPS 2000
#endif

/* The server's ELF, embedded by objcopy (examples/meson.build). */
extern const uint8_t _binary_examples_ipcperf_server_elf_start[], _binary_examples_ipcperf_server_elf_end[];

static struct tessera_alloc alloc;
static uint64_t thread_stack[2][STACK_WORDS] __attribute__((aligned(16)));
static uint64_t probe_ep;
static unsigned checks, failures;

static int expect(const char *what, int ok, long long detail)
{
        checks++;
        failures += !ok;
        tessera_printf("%sok %u - %s (%lld)\n", ok ? "" : "not ", checks, what, detail);
        return ok;
}

/* A thread in this address space at PRIORITY running entry(arg); ipc_frame 0: none. */
static int thread_start(uint64_t *tcb, void (*entry)(uint64_t), uint64_t arg, uint64_t *stack_top,
                        uint64_t fault_ep, uint64_t ipc_vaddr, uint64_t ipc_frame)
{
        uint64_t regs[4] = { (uint64_t)(uintptr_t)entry, (uint64_t)(uintptr_t)stack_top, 0, arg };
        int err = tessera_alloc_object(&alloc, TESSERA_OBJ_TCB, 0, tcb);

        if (!err)
                err = tessera_tcb_configure(*tcb, fault_ep, ROOT, 0, TESSERA_SLOT_VSPACE, ipc_vaddr, ipc_frame);
        if (!err)
                err = tessera_tcb_set_priority(*tcb, TESSERA_SLOT_TCB, PRIORITY);
        if (!err)
                err = tessera_tcb_write_registers(*tcb, TESSERA_TCB_WRITE_RESUME, 4, regs);
        return err;
}

static int probe(enum counter c)
{
        return counters_probe(&alloc, c, probe_ep, &thread_stack[1][STACK_WORDS], PRIORITY);
}

/* n round trips; the number whose answer was wrong. */
static unsigned round_trips(uint64_t ep, unsigned length, unsigned n, uint64_t first_label)
{
        unsigned wrong = 0;

        for (unsigned i = 0; i < n; i++) {
                struct tessera_msg m = { .info = tessera_msg_info(first_label + i, 0, length),
                                         .mr = { i, i ^ 0x55, i * 7, ~(uint64_t)i } };
                uint64_t want = tessera_msg_info(ipcperf_answer(first_label + i, length, m.mr), 0, 0);
                int st = tessera_call(ep, &m);

                wrong += st != TESSERA_OK || m.info != want || m.badge != 0;
        }
        return wrong;
}

/* x/n in tenths, rounded. */
static unsigned long long tenths(uint64_t x, unsigned n)
{
        return (x * 10 + n / 2) / n;
}

static void measure(const char *name, uint64_t ep, unsigned length, int timer)
{
        uint64_t before[COUNTER_COUNT] = { 0 }, after[COUNTER_COUNT] = { 0 };
        unsigned long long all, user;
        unsigned wrong = round_trips(ep, length, WARMUP, 0x1000);

        before[COUNTER_TIMER] = timer ? read_counter(COUNTER_TIMER) : 0;
        before[COUNTER_USER] = read_counter(COUNTER_USER);
        before[COUNTER_ALL] = read_counter(COUNTER_ALL);
        wrong += round_trips(ep, length, ROUND_TRIPS, 0x100000);
        after[COUNTER_ALL] = read_counter(COUNTER_ALL);
        after[COUNTER_USER] = read_counter(COUNTER_USER);
        after[COUNTER_TIMER] = timer ? read_counter(COUNTER_TIMER) : 0;
        /* PMUv3 event counters are 32 bits wide. */
        all = tenths((uint32_t)(after[COUNTER_ALL] - before[COUNTER_ALL]), ROUND_TRIPS);
        user = tenths((uint32_t)(after[COUNTER_USER] - before[COUNTER_USER]), ROUND_TRIPS);
        tessera_printf("ipcperf: %s %u-word: %llu.%llu instructions per round trip (user %llu.%llu, kernel "
                       "%llu.%llu) over %u", name, length, all / 10, all % 10, user / 10, user % 10,
                       (all - user) / 10, (all - user) % 10, ROUND_TRIPS);
        if (timer) {
                unsigned long long ticks = tenths(after[COUNTER_TIMER] - before[COUNTER_TIMER], ROUND_TRIPS);

                tessera_printf("; %llu.%llu counter ticks", ticks / 10, ticks % 10);
        }
        tessera_printf("\n");
        checks++;
        failures += wrong != 0;
        tessera_printf("%sok %u - %s %u-word: all %u round trips answered right (%u wrong)\n", wrong ? "not " : "",
                       checks, name, length, WARMUP + ROUND_TRIPS, wrong);
}

static void run_inter_as(uint64_t ep, int timer)
{
        struct tessera_spawn_args args = {
                .elf = _binary_examples_ipcperf_server_elf_start,
                .elf_size = (size_t)(_binary_examples_ipcperf_server_elf_end - _binary_examples_ipcperf_server_elf_start),
                .name = "ipcperf-server", .priority = PRIORITY, .cap_count = 1, .caps = { ep },
        };
        struct tessera_process p;
        int err = tessera_spawn(&alloc, &args, &p);

        if (!expect("spawn the server in an address space of its own", err == TESSERA_OK, err))
                return;
        measure("inter-as", ep, 0, timer);
        measure("inter-as", ep, 4, timer);
        expect("destroy the server process", tessera_spawn_destroy(&alloc, &p) == TESSERA_OK, 0);
}

static _Noreturn void thread_server(uint64_t ep)
{
        ipcperf_serve(ep);
}

static void run_intra_as(uint64_t ep, int timer)
{
        uint64_t frame = 0, tcb = 0;
        int err = tessera_alloc_object(&alloc, TESSERA_OBJ_FRAME_4K, 0, &frame);

        if (!err)
                err = tessera_spawn_map_own(&alloc, frame, THREAD_IPC_VADDR, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE,
                                            TESSERA_FRAME_CACHED);
        if (!err)
                err = thread_start(&tcb, thread_server, ep, &thread_stack[0][STACK_WORDS], 0, THREAD_IPC_VADDR,
                                   frame);
        if (!expect("start the server thread in this address space", err == TESSERA_OK, err))
                return;
        measure("intra-as", ep, 0, timer);
        measure("intra-as", ep, 4, timer);
        expect("delete the server thread", tessera_cnode_delete(ROOT, tcb, DEPTH) == TESSERA_OK, 0);
}

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        uint64_t ep_inter = 0, ep_intra = 0;
        int pmu, timer;

        tessera_printf("# ipcperf on core %u: %u round trips per variant after %u to warm up\n", bi->core_id,
                       ROUND_TRIPS, WARMUP);
        tessera_alloc_init(&alloc, bi);
        expect("lower the root task to the servers' priority",
               tessera_tcb_set_priority(TESSERA_SLOT_TCB, TESSERA_SLOT_TCB, PRIORITY) == TESSERA_OK, 0);
        expect("three endpoints", !tessera_alloc_object(&alloc, TESSERA_OBJ_ENDPOINT, 0, &probe_ep) &&
               !tessera_alloc_object(&alloc, TESSERA_OBJ_ENDPOINT, 0, &ep_inter) &&
               !tessera_alloc_object(&alloc, TESSERA_OBJ_ENDPOINT, 0, &ep_intra), 0);
        pmu = probe(COUNTER_ALL) && probe(COUNTER_USER);
        timer = probe(COUNTER_TIMER);
        tessera_printf("# CNTVCT_EL0 is %sreadable at EL0\n", timer ? "" : "not ");
        if (expect("the PMU's event counters are readable at EL0 (boot with tessera.pmu=user)", pmu, 0)) {
                run_inter_as(ep_inter, timer);
                run_intra_as(ep_intra, timer);
        }
        tessera_printf("1..%u\n", checks);
        return (int)failures;
}
