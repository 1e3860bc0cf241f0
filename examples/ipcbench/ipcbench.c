/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ipcbench (ipcbench.h): the root task of every busy core. It measures on
 * its own core first (ipcbench_local.c), all cores at once, then between
 * cores (ipcbench_cross.c), with a barrier between phases, and core 0 ends
 * the system once every core is done.
 */
#include <tessera/errors.h>
#include <tessera/invoke.h>
#include <tessera/objects.h>
#include <tessera/syscall.h>
#include <tessera/tcb.h>
#include <tessera/vspace.h>
#include "../../tests/user/counters.h"
#include "ipcbench.h"

#define SYNC_VADDR  0x20000000000ull
#define SYNC_WAIT_S 120
#define PHASE_START 1
#define PHASE_LOCAL 2
#define PHASE_CROSS 100              /* after the stream rounds (ipcbench_cross.c) */
#define PHASE_DONE  101

int main(const struct tessera_bootinfo *bi);

static volatile uint64_t *sync_words;   /* core c's phase at word 8 * c */
static uint32_t sync_peers;             /* the busy cores: the channel's members */
static uint64_t probe_stack[512] __attribute__((aligned(16)));

void bench_begin(const struct bench *b, struct bench_sample *s)
{
        s->pmu = b->pmu ? read_counter(COUNTER_ALL) : 0;
        s->ticks = read_counter(COUNTER_TIMER);
        bench_window_open();
}

void bench_end(const struct bench *b, struct bench_sample *s)
{
        bench_window_close();
        s->ticks = read_counter(COUNTER_TIMER) - s->ticks;
        /* PMUv3 event counters are 32 bits wide. */
        s->pmu = b->pmu ? (uint32_t)(read_counter(COUNTER_ALL) - s->pmu) : 0;
}

void bench_report(const struct bench *b, const char *name, const char *role, int peer, unsigned iters,
                  unsigned bytes, const struct bench_sample *s)
{
        char peer_text[8] = "-", pmu_text[24] = "-";

        if (peer >= 0) {
                peer_text[0] = (char)('0' + peer);
                peer_text[1] = '\0';
        }
        if (b->pmu) {
                unsigned n = 0;
                char digits[24];

                for (uint64_t v = s->pmu; n == 0 || v; v /= 10)
                        digits[n++] = (char)('0' + v % 10);
                for (unsigned i = 0; i < n; i++)
                        pmu_text[i] = digits[n - 1 - i];
                pmu_text[n] = '\0';
        }
        tessera_printf("bench: name=%s role=%s core=%u busy=%u peer=%s iters=%u bytes=%u ticks=%llu pmu=%s\n",
                       name, role, b->bi->core_id, b->bi->core_count, peer_text, iters, bytes,
                       (unsigned long long)s->ticks, pmu_text);
}

/* The "suite" channel's first page: core c publishes its phase at 8 * c. */
static bool map_sync(struct bench *b)
{
        const struct tessera_bootinfo *bi = b->bi;

        for (unsigned i = 0; i < bi->shared_count; i++) {
                const char *n = bi->shared[i].name;
                uint64_t table;

                if (!(n[0] == 's' && n[1] == 'u' && n[2] == 'i' && n[3] == 't' && n[4] == 'e' && !n[5]))
                        continue;
                for (unsigned level = 0; level < 3; level++)
                        if (tessera_alloc_object(&b->alloc, TESSERA_OBJ_PAGE_TABLE, 0, &table) ||
                            tessera_page_table_map(table, TESSERA_SLOT_VSPACE, SYNC_VADDR))
                                return false;
                if (tessera_frame_map(bi->shared[i].frames.start, TESSERA_SLOT_VSPACE, SYNC_VADDR,
                                      TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, TESSERA_FRAME_CACHED))
                        return false;
                sync_words = (volatile uint64_t *)(uintptr_t)SYNC_VADDR;
                sync_peers = bi->shared[i].peers;
                return true;
        }
        return bi->core_count == 1;     /* alone, nobody to wait for */
}

bool bench_barrier(struct bench *b, uint64_t phase)
{
        uint64_t deadline;

        if (!sync_words)
                return true;
        __atomic_store_n(&sync_words[8 * b->bi->core_id], phase, __ATOMIC_RELEASE);
        deadline = read_counter(COUNTER_TIMER) + SYNC_WAIT_S * counter_frequency();
        for (unsigned c = 0; c < 8; c++) {
                if (!(sync_peers & (1u << c)))
                        continue;
                while (__atomic_load_n(&sync_words[8 * c], __ATOMIC_ACQUIRE) < phase) {
                        if (read_counter(COUNTER_TIMER) > deadline)
                                return false;
                        tessera_yield();
                }
        }
        return true;
}

int main(const struct tessera_bootinfo *bi)
{
        static struct bench b;
        uint64_t probe_ep = 0;
        bool ok;

        b.bi = bi;
        tessera_alloc_init(&b.alloc, bi);
        tessera_tcb_set_priority(TESSERA_SLOT_TCB, TESSERA_SLOT_TCB, BENCH_PRIORITY);
        if (!tessera_alloc_object(&b.alloc, TESSERA_OBJ_ENDPOINT, 0, &probe_ep))
                b.pmu = counters_probe(&b.alloc, COUNTER_ALL, probe_ep, &probe_stack[512], BENCH_PRIORITY);
        tessera_printf("bench: start core=%u busy=%u freq=%llu\n", bi->core_id, bi->core_count,
                       (unsigned long long)counter_frequency());
        ok = map_sync(&b) && bench_barrier(&b, PHASE_START);
        if (ok) {
                bench_local(&b);
                ok = bench_barrier(&b, PHASE_LOCAL);
        }
        if (ok) {
                bench_cross(&b);
                ok = bench_barrier(&b, PHASE_CROSS);
        }
        /* Said before the last barrier: core 0 ends the system after it. */
        tessera_printf("bench: done core=%u%s\n", bi->core_id, ok ? "" : " (a core never came)");
        return !(ok && bench_barrier(&b, PHASE_DONE));
}
