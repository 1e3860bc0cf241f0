/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipcbench: the benchmark program `./tessera bench` boots on every busy core
 * (tools/bench.py writes the spec). What its parts share: the sample line
 * the runner parses, the windows the instruction-counting plugin sees, the
 * barrier between phases, and the sizes of each benchmark.
 *
 * Output, one line per sample, each sample bracketed on its core by exactly
 * one plugin window (hint #0x70 ... hint #0x71; tools/insncount):
 *
 *   bench: name=NAME role=ROLE core=C busy=N peer=P iters=I bytes=B ticks=T pmu=X
 *
 * ticks: CNTVCT ticks the sample took; pmu: PMEVCNTR0 instructions (EL0 and
 * EL1) when the PMU is readable (tessera.pmu=user under -icount), else '-'.
 * docs/benchmarks.md lists the benchmarks.
 */
#ifndef EXAMPLES_IPCBENCH_H
#define EXAMPLES_IPCBENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/alloc.h>
#include <tessera/bootinfo.h>

#define BENCH_SAMPLES     5
#define BENCH_PRIORITY    200
#if TESSERA_DEBUG
#define BENCH_IPC_ITERS    50           /* debug kernels check invariants per call */
#define BENCH_NTFN_ITERS   50
#define BENCH_PING_ITERS   50
#define BENCH_STREAM_MSGS  500
#else
#define BENCH_IPC_ITERS    2000
#define BENCH_NTFN_ITERS   1000
#define BENCH_PING_ITERS   200
#define BENCH_STREAM_MSGS  2000
#endif
#define BENCH_WARMUP       20
#define BENCH_STREAM_BYTES 48           /* payload of a stream message: one slot with room */
#define BENCH_STREAM_BATCH 16           /* messages per flush */
#define BENCH_PING_SPIN    20000        /* polls before a ping-pong receive sleeps */
#define BENCH_BURST_MSGS   128          /* half the 256-slot ring of a 64 KiB channel: fits
                                           beside the quarter a receiver may hold unreleased */

struct bench {
        const struct tessera_bootinfo *bi;
        struct tessera_alloc alloc;
        bool pmu;                       /* PMEVCNTR0 readable at EL0 */
};

/* One sample being measured: open, run, close, print. */
struct bench_sample {
        uint64_t ticks, pmu;
};

static inline void bench_window_open(void)
{
        __asm__ volatile("hint #0x70" ::: "memory");
}

static inline void bench_window_close(void)
{
        __asm__ volatile("hint #0x71" ::: "memory");
}

void bench_begin(const struct bench *b, struct bench_sample *s);
void bench_end(const struct bench *b, struct bench_sample *s);
/* peer < 0: none. */
void bench_report(const struct bench *b, const char *name, const char *role, int peer, unsigned iters,
                  unsigned bytes, const struct bench_sample *s);
/* Every busy core reaches `phase` (a barrier over the "suite" channel). */
bool bench_barrier(struct bench *b, uint64_t phase);

/* ipcbench_local.c: same-core Call + ReplyRecv and notification hand-offs. */
void bench_local(struct bench *b);
/* ipcbench_cross.c: channel ping-pong per pair, streams with all pairs busy. */
void bench_cross(struct bench *b);

#endif
