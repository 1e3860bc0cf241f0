// SPDX-License-Identifier: BSD-2-Clause
/*
 * insncount: a QEMU TCG plugin that counts the instructions each vCPU
 * executes, split by exception level, in windows the guest marks (issue 7).
 *
 *     qemu-system-aarch64 ... -plugin insncount.so,outfile=PATH
 *
 * Markers. `hint #0x70` (0xd5032e1f) opens a window on the vCPU that runs
 * it, `hint #0x71` (0xd5032e3f) closes it; both are NOPs to QEMU and to real
 * CPUs. A window holds exactly the instructions that vCPU executes after the
 * start marker and before the end marker, markers excluded. Windows do not
 * nest: a start while one is open restarts it, an end with none open is
 * ignored; both count as errors. A window still open at exit is not reported.
 *
 * Exception level. API version 1 cannot read registers, so the level is
 * told by address: an instruction at a virtual address at or above
 * 0xffff000000000000 (the kernel's half) counts as EL1, any other as EL0.
 * Code that runs with the MMU off (early boot) therefore counts as EL0.
 *
 * How a translation block is counted. At translation the block is split at
 * its markers into segments; each non-empty segment gets one callback on its
 * first instruction that adds the segment's length, and each marker gets a
 * callback that opens or closes the window. Callbacks run before their
 * instruction, in program order, so when a marker's callback runs every
 * segment before it has been added and none after it: the window's counts
 * are the difference of the running totals at its two markers. The totals
 * include the markers themselves (they are executed instructions).
 *
 * Where this is not exact. A segment is counted in full when its first
 * instruction starts. If an exception leaves the block part-way (a faulting
 * load or store, an undefined instruction), the segment's instructions after
 * the faulting one are counted although they did not run, and the faulting
 * one is counted again when it restarts after the handler. Interrupts are
 * taken only between blocks, and SVC, HVC, SMC and ERET end their block, so
 * system calls and IRQs leave counts exact: the benchmark loops take no other
 * exception inside a window.
 *
 * Threads. Under multi-threaded TCG every vCPU runs on its own thread (under
 * single-threaded TCG one thread runs them all), and all of a vCPU's state
 * is written only by the thread running that vCPU: no counter is shared
 * between writers. State is indexed by vcpu_index and padded to a cache
 * line; vCPUs from 64 up are not counted. The report is written by QEMU's
 * atexit callback, which may run on a vCPU thread (a semihosting exit) while
 * the other vCPUs still run, so every field the report reads is written
 * with atomic stores, and a window record is published by a release store
 * of the window count after it is complete.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- QEMU plugin API version 1 (QEMU 7.2), the part used here ---------- */

#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;

/* Same layout as QEMU's qemu_info_t. */
struct qemu_plugin_info {
        const char *target_name;
        struct {
                int min;
                int cur;
        } version;
        bool system_emulation;
        union {
                struct {
                        int smp_vcpus;
                        int max_vcpus;
                } system;
        };
};

struct qemu_plugin_tb;
struct qemu_plugin_insn;

enum qemu_plugin_cb_flags {
        QEMU_PLUGIN_CB_NO_REGS,
        QEMU_PLUGIN_CB_R_REGS,
        QEMU_PLUGIN_CB_RW_REGS,
};

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

/* What QEMU looks up in the shared object. */
QEMU_PLUGIN_EXPORT extern int qemu_plugin_version;
QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_plugin_info *info,
                                           int argc, char **argv);

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

/* ---- Per-vCPU state --------------------------------------------------- */

#define MAX_VCPUS       64
#define EL1_BASE        0xffff000000000000ull
#define MARK_START      0xd5032e1fu         /* hint #0x70 */
#define MARK_END        0xd5032e3fu         /* hint #0x71 */
#define CHUNK_WINDOWS   1024
#define CACHE_LINE      64

enum { EL0, EL1, LEVELS };

struct window {
        uint64_t count[LEVELS];
};

/* Closed windows, in order, in a list of chunks that only grows. */
struct window_chunk {
        struct window_chunk *next;
        struct window w[CHUNK_WINDOWS];
};

/* Written only by the thread running the vCPU; read at exit (see above). */
struct vcpu_state {
        uint64_t count[LEVELS];         /* every instruction so far, markers too */
        uint64_t open_at[LEVELS];       /* count[] just after the start marker */
        bool open;
        uint64_t windows;               /* closed windows, published with release */
        uint64_t errors;                /* restarts and unmatched ends */
        struct window_chunk *first, *last;
} __attribute__((aligned(CACHE_LINE)));

static struct vcpu_state vcpus[MAX_VCPUS];
static FILE *report;

static struct vcpu_state *vcpu_get(unsigned int vcpu_index)
{
        return vcpu_index < MAX_VCPUS ? &vcpus[vcpu_index] : NULL;
}

/* Single writer: a plain read of its own field, an atomic store for the reader. */
static void vcpu_add(uint64_t *field, uint64_t n)
{
        __atomic_store_n(field, __atomic_load_n(field, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
}

/* The slot for the next window, in a new chunk when the last one is full;
 * NULL (the window is dropped, as an error) if memory runs out. */
static struct window *vcpu_next_window(struct vcpu_state *v)
{
        uint64_t k = v->windows % CHUNK_WINDOWS;

        if (k == 0 && (v->windows > 0 || v->first == NULL)) {
                struct window_chunk *c = calloc(1, sizeof(*c));

                if (c == NULL)
                        return NULL;
                if (v->last != NULL)
                        v->last->next = c;
                else
                        v->first = c;
                v->last = c;
        }
        return &v->last->w[k];
}

/* ---- Execution callbacks ---------------------------------------------- */

/* A segment's user data: its length and level, packed in the pointer. */
static void *segment_pack(size_t length, unsigned level)
{
        return (void *)(uintptr_t)(length << 1 | level);
}

static void on_segment(unsigned int vcpu_index, void *udata)
{
        struct vcpu_state *v = vcpu_get(vcpu_index);
        uintptr_t packed = (uintptr_t)udata;

        if (v != NULL)
                vcpu_add(&v->count[packed & 1], packed >> 1);
}

/* The start marker: counted, then the window opens after it. */
static void on_window_start(unsigned int vcpu_index, void *udata)
{
        struct vcpu_state *v = vcpu_get(vcpu_index);
        unsigned level = (unsigned)(uintptr_t)udata;

        if (v == NULL)
                return;
        if (v->open)
                vcpu_add(&v->errors, 1);
        vcpu_add(&v->count[level], 1);
        memcpy(v->open_at, v->count, sizeof(v->open_at));
        v->open = true;
}

/* The end marker: the window closes before it, then it is counted. */
static void on_window_end(unsigned int vcpu_index, void *udata)
{
        struct vcpu_state *v = vcpu_get(vcpu_index);
        unsigned level = (unsigned)(uintptr_t)udata;
        struct window *w;

        if (v == NULL)
                return;
        if (!v->open) {
                vcpu_add(&v->errors, 1);
        } else if ((w = vcpu_next_window(v)) == NULL) {
                vcpu_add(&v->errors, 1);
                v->open = false;
        } else {
                for (unsigned l = 0; l < LEVELS; l++)
                        w->count[l] = v->count[l] - v->open_at[l];
                v->open = false;
                __atomic_store_n(&v->windows, v->windows + 1, __ATOMIC_RELEASE);
        }
        vcpu_add(&v->count[level], 1);
}

/* ---- Translation ------------------------------------------------------ */

static uint32_t insn_word(const struct qemu_plugin_insn *insn)
{
        const uint8_t *b = qemu_plugin_insn_data(insn);

        if (qemu_plugin_insn_size(insn) != 4)
                return 0;
        /* A64 instructions are little-endian in memory whatever the data order. */
        return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static unsigned insn_level(const struct qemu_plugin_insn *insn)
{
        return qemu_plugin_insn_vaddr(insn) >= EL1_BASE ? EL1 : EL0;
}

/* Instructions [from, to) of the block, none a marker: one callback on the first. */
static void instrument_segment(struct qemu_plugin_tb *tb, size_t from, size_t to)
{
        struct qemu_plugin_insn *first;

        if (from >= to)
                return;
        first = qemu_plugin_tb_get_insn(tb, from);
        qemu_plugin_register_vcpu_insn_exec_cb(first, on_segment, QEMU_PLUGIN_CB_NO_REGS,
                                               segment_pack(to - from, insn_level(first)));
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
        size_t n = qemu_plugin_tb_n_insns(tb), from = 0;

        (void)id;
        for (size_t i = 0; i < n; i++) {
                struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
                uint32_t word = insn_word(insn);
                void *level = (void *)(uintptr_t)insn_level(insn);

                if (word != MARK_START && word != MARK_END)
                        continue;
                instrument_segment(tb, from, i);
                qemu_plugin_register_vcpu_insn_exec_cb(insn,
                        word == MARK_START ? on_window_start : on_window_end,
                        QEMU_PLUGIN_CB_NO_REGS, level);
                from = i + 1;
        }
        instrument_segment(tb, from, n);
}

/* ---- Report ----------------------------------------------------------- */

static void report_vcpu(FILE *f, unsigned index, const struct vcpu_state *v)
{
        uint64_t windows = __atomic_load_n(&v->windows, __ATOMIC_ACQUIRE);
        uint64_t el0 = __atomic_load_n(&v->count[EL0], __ATOMIC_RELAXED);
        uint64_t el1 = __atomic_load_n(&v->count[EL1], __ATOMIC_RELAXED);
        uint64_t errors = __atomic_load_n(&v->errors, __ATOMIC_RELAXED);
        const struct window_chunk *c = v->first;

        if (el0 + el1 == 0)
                return;                 /* this vCPU never ran */
        for (uint64_t k = 0; k < windows; k++) {
                const struct window *w = &c->w[k % CHUNK_WINDOWS];

                fprintf(f, "window vcpu=%u index=%llu el0=%llu el1=%llu\n", index,
                        (unsigned long long)k, (unsigned long long)w->count[EL0],
                        (unsigned long long)w->count[EL1]);
                if (k % CHUNK_WINDOWS == CHUNK_WINDOWS - 1)
                        c = c->next;
        }
        fprintf(f, "total vcpu=%u el0=%llu el1=%llu windows=%llu errors=%llu\n", index,
                (unsigned long long)el0, (unsigned long long)el1,
                (unsigned long long)windows, (unsigned long long)errors);
}

static void on_exit_write_report(qemu_plugin_id_t id, void *udata)
{
        (void)id;
        (void)udata;
        if (report == NULL)
                return;
        for (unsigned i = 0; i < MAX_VCPUS; i++)
                report_vcpu(report, i, &vcpus[i]);
        if (fclose(report) != 0)
                fprintf(stderr, "insncount: writing the report failed\n");
        report = NULL;
}

/* ---- Installation ----------------------------------------------------- */

/* The one argument, outfile=PATH; NULL (with a message) if it is missing
 * or anything else is given. */
static const char *parse_outfile(int argc, char **argv)
{
        static const char key[] = "outfile=";
        const char *path = NULL;

        for (int i = 0; i < argc; i++) {
                if (strncmp(argv[i], key, sizeof(key) - 1) == 0 && argv[i][sizeof(key) - 1] != '\0') {
                        path = argv[i] + sizeof(key) - 1;
                } else {
                        fprintf(stderr, "insncount: unknown argument '%s' (only outfile=PATH)\n", argv[i]);
                        return NULL;
                }
        }
        if (path == NULL)
                fprintf(stderr, "insncount: outfile=PATH is required\n");
        return path;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_plugin_info *info,
                                           int argc, char **argv)
{
        const char *path = parse_outfile(argc, argv);

        if (path == NULL)
                return -1;
        if (info->system_emulation && info->system.max_vcpus > MAX_VCPUS)
                fprintf(stderr, "insncount: only vCPUs 0-%d are counted\n", MAX_VCPUS - 1);
        report = fopen(path, "w");
        if (report == NULL) {
                fprintf(stderr, "insncount: cannot open %s for writing\n", path);
                return -1;
        }
        qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
        qemu_plugin_register_atexit_cb(id, on_exit_write_report, NULL);
        return 0;
}
