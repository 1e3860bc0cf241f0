/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipcbench on one core (ipcbench.h), every busy core at once:
 *  - ipc-inter-0w / -4w: Call + ReplyRecv round trips to a server in an
 *    address space of its own (the ipcperf server, spawned from the ELF
 *    embedded in this image), with 0- and 4-word requests;
 *  - ipc-intra-0w / -4w: the same to a server thread in this address space;
 *  - ntfn-latency: hand-offs between two threads through two notifications
 *    (one signals, the other was waiting and runs), iters = hand-offs.
 * Servers run at the client's priority, as in ipcperf (docs/benchmarks.md).
 * Every answer is checked; a wrong one is reported and ends the benchmark.
 */
#include <tessera/errors.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/spawn.h>
#include <tessera/syscall.h>
#include <tessera/tcb.h>
#include "../../tests/user/ipcperf.h"
#include "ipcbench.h"

#define ROOT             TESSERA_SLOT_CNODE
#define STACK_WORDS      1024
#define THREAD_IPC_VADDR 0x30000000ull

extern const uint8_t _binary_examples_ipcperf_server_elf_start[], _binary_examples_ipcperf_server_elf_end[];

static uint64_t stacks[2][STACK_WORDS] __attribute__((aligned(16)));
static uint64_t ntfn_ping, ntfn_pong;

static int thread_start(struct bench *b, uint64_t *tcb, void (*entry)(uint64_t), uint64_t arg,
                        uint64_t *stack_top, uint64_t ipc_vaddr, uint64_t ipc_frame)
{
        uint64_t regs[4] = { (uint64_t)(uintptr_t)entry, (uint64_t)(uintptr_t)stack_top, 0, arg };
        int err = tessera_alloc_object(&b->alloc, TESSERA_OBJ_TCB, 0, tcb);

        if (!err)
                err = tessera_tcb_configure(*tcb, 0, ROOT, 0, TESSERA_SLOT_VSPACE, ipc_vaddr, ipc_frame);
        if (!err)
                err = tessera_tcb_set_priority(*tcb, TESSERA_SLOT_TCB, BENCH_PRIORITY);
        if (!err)
                err = tessera_tcb_write_registers(*tcb, TESSERA_TCB_WRITE_RESUME, 4, regs);
        return err;
}

/* n round trips; how many answers were wrong. */
static unsigned round_trips(uint64_t ep, unsigned length, unsigned n)
{
        unsigned wrong = 0;

        for (unsigned i = 0; i < n; i++) {
                struct tessera_msg m = { .info = tessera_msg_info(i + 1, 0, length),
                                         .mr = { i, i ^ 0x55, i * 7, ~(uint64_t)i } };
                uint64_t want = tessera_msg_info(ipcperf_answer(i + 1, length, m.mr), 0, 0);

                wrong += tessera_call(ep, &m) != TESSERA_OK || m.info != want;
        }
        return wrong;
}

static bool measure_ipc(struct bench *b, const char *name, uint64_t ep, unsigned length)
{
        unsigned wrong = round_trips(ep, length, BENCH_WARMUP);

        for (unsigned s = 0; s < BENCH_SAMPLES && !wrong; s++) {
                struct bench_sample sample;

                bench_begin(b, &sample);
                wrong += round_trips(ep, length, BENCH_IPC_ITERS);
                bench_end(b, &sample);
                bench_report(b, name, "main", -1, BENCH_IPC_ITERS, 0, &sample);
        }
        if (wrong)
                tessera_printf("bench: error core=%u %s: %u wrong answers\n", b->bi->core_id, name, wrong);
        return !wrong;
}

static void run_inter_as(struct bench *b, uint64_t ep)
{
        struct tessera_spawn_args args = {
                .elf = _binary_examples_ipcperf_server_elf_start,
                .elf_size = (size_t)(_binary_examples_ipcperf_server_elf_end -
                                     _binary_examples_ipcperf_server_elf_start),
                .name = "bench-server", .priority = BENCH_PRIORITY, .cap_count = 1, .caps = { ep },
        };
        struct tessera_process p;

        if (tessera_spawn(&b->alloc, &args, &p) != TESSERA_OK) {
                tessera_printf("bench: error core=%u: cannot spawn the server\n", b->bi->core_id);
                return;
        }
        if (measure_ipc(b, "ipc-inter-0w", ep, 0))
                measure_ipc(b, "ipc-inter-4w", ep, 4);
        tessera_spawn_destroy(&b->alloc, &p);
}

static _Noreturn void thread_server(uint64_t ep)
{
        ipcperf_serve(ep);
}

static void run_intra_as(struct bench *b, uint64_t ep)
{
        uint64_t frame = 0, tcb = 0;
        int err = tessera_alloc_object(&b->alloc, TESSERA_OBJ_FRAME_4K, 0, &frame);

        if (!err)
                err = tessera_spawn_map_own(&b->alloc, frame, THREAD_IPC_VADDR,
                                            TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, TESSERA_FRAME_CACHED);
        if (!err)
                err = thread_start(b, &tcb, thread_server, ep, &stacks[0][STACK_WORDS], THREAD_IPC_VADDR, frame);
        if (err) {
                tessera_printf("bench: error core=%u: cannot start the server thread\n", b->bi->core_id);
                return;
        }
        if (measure_ipc(b, "ipc-intra-0w", ep, 0))
                measure_ipc(b, "ipc-intra-4w", ep, 4);
        tessera_cnode_delete(ROOT, tcb, 64);
}

/* The other side of the hand-offs: wait for ping, signal pong, forever. */
static _Noreturn void ntfn_partner(uint64_t unused)
{
        uint64_t word;

        (void)unused;
        for (;;) {
                tessera_wait(ntfn_ping, &word);
                tessera_signal(ntfn_pong);
        }
}

/* n round trips of two hand-offs each; how many failed. */
static unsigned handoffs(unsigned n)
{
        unsigned failed = 0;
        uint64_t word;

        for (unsigned i = 0; i < n; i++)
                failed += tessera_signal(ntfn_ping) != TESSERA_OK ||
                          tessera_wait(ntfn_pong, &word) != TESSERA_OK;
        return failed;
}

static void run_notification(struct bench *b)
{
        uint64_t tcb = 0;
        unsigned failed;

        if (tessera_alloc_object(&b->alloc, TESSERA_OBJ_NOTIFICATION, 0, &ntfn_ping) ||
            tessera_alloc_object(&b->alloc, TESSERA_OBJ_NOTIFICATION, 0, &ntfn_pong) ||
            thread_start(b, &tcb, ntfn_partner, 0, &stacks[1][STACK_WORDS], 0, 0)) {
                tessera_printf("bench: error core=%u: cannot start the notification partner\n", b->bi->core_id);
                return;
        }
        failed = handoffs(BENCH_WARMUP);
        for (unsigned s = 0; s < BENCH_SAMPLES && !failed; s++) {
                struct bench_sample sample;

                bench_begin(b, &sample);
                failed += handoffs(BENCH_NTFN_ITERS / 2);
                bench_end(b, &sample);
                bench_report(b, "ntfn-latency", "main", -1, BENCH_NTFN_ITERS, 0, &sample);
        }
        if (failed)
                tessera_printf("bench: error core=%u ntfn-latency: %u failed\n", b->bi->core_id, failed);
        tessera_cnode_delete(ROOT, tcb, 64);
}

void bench_local(struct bench *b)
{
        uint64_t ep_inter = 0, ep_intra = 0;

        if (tessera_alloc_object(&b->alloc, TESSERA_OBJ_ENDPOINT, 0, &ep_inter) ||
            tessera_alloc_object(&b->alloc, TESSERA_OBJ_ENDPOINT, 0, &ep_intra)) {
                tessera_printf("bench: error core=%u: no endpoints\n", b->bi->core_id);
                return;
        }
        run_inter_as(b, ep_inter);
        run_intra_as(b, ep_intra);
        run_notification(b);
}
