/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC stress test's objects and threads (ipcstress.h), made at the start
 * and made again after the controller deleted them: endpoints with their
 * caps, notifications, the workers' TCBs, IPC buffers and stacks, and the
 * idle thread.
 */
#include <stdint.h>
#include <tessera/alloc.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/invoke.h>
#include <tessera/objects.h>
#include <tessera/spawn.h>
#include <tessera/tcb.h>
#include <tessera/vspace.h>
#include "ipcstress.h"

#define ROOT            TESSERA_SLOT_CNODE
#define DEPTH           64
#define OK_             ST_BIT(TESSERA_OK)
#define IPC_VADDR       0x30000000ull   /* worker i's IPC buffer at + i pages */
#define STACK_WORDS     2048
#define CTL_PRIORITY    200
#define IDLE_PRIORITY   10

struct stress_thread stress_threads[STRESS_IDS];
struct stress_slots stress_caps;
volatile uint32_t stress_ep_epoch[STRESS_ENDPOINTS];
volatile uint32_t stress_ntfn_epoch[STRESS_NTFNS];
volatile uint64_t stress_progress;
unsigned stress_core;

static struct tessera_alloc alloc;
static uint64_t (*const stacks)[STACK_WORDS] = (uint64_t (*)[STACK_WORDS])(uintptr_t)STRESS_STACKS_VADDR;
_Static_assert(STRESS_IDS * STACK_WORDS * 8 <= 0x100000, "the stacks fit their MiB");
static struct stress_thread *const ctl = &stress_threads[STRESS_CONTROLLER];

int stress_must(int st, const char *what)
{
        return stress_status(ctl, st, OK_, what);
}

static uint64_t slot(void)
{
        return tessera_alloc_slot(&alloc);
}

static uint64_t mint(uint64_t src, unsigned rights, uint64_t badge)
{
        uint64_t s = slot();

        stress_must(tessera_cnode_mint(ROOT, s, DEPTH, ROOT, src, DEPTH, rights, badge), "mint a cap");
        return s;
}

/* The threads that send: the workers and the controller. */
static int sender(unsigned id)
{
        return id < STRESS_WORKERS || id == STRESS_CONTROLLER;
}

/* The endpoint in its slot (again), and every cap the threads use on it:
 * the original (SEL_ORIG) and the read-only cap, one badged cap per sender
 * (SEL_OWN), one write-only and one write + grant-reply cap for all. */
void stress_ep_make(unsigned e, int again)
{
        static const unsigned rights[SEL_COUNT] = {
                TESSERA_RIGHTS_ALL, TESSERA_RIGHTS_ALL, TESSERA_RIGHT_WRITE,
                TESSERA_RIGHT_WRITE | TESSERA_RIGHT_GRANT_REPLY };
        struct stress_slots *c = &stress_caps;

        stress_must(tessera_alloc_retype(&alloc, TESSERA_OBJ_ENDPOINT, 0, c->ep[e], 1), "retype an endpoint");
        if (!again) {
                c->ep_read[e] = slot();
                for (unsigned sel = 0; sel < SEL_COUNT; sel++)
                        for (unsigned id = 0; id < STRESS_IDS; id++)
                                c->ep_sel[e][sel][id] = sel == SEL_ORIG ? c->ep[e] :
                                        sel == SEL_OWN ? (sender(id) ? slot() : 0) :
                                        id == 0 ? slot() : c->ep_sel[e][sel][0];
        }
        stress_must(tessera_cnode_mint(ROOT, c->ep_read[e], DEPTH, ROOT, c->ep[e], DEPTH, TESSERA_RIGHT_READ, 0),
             "mint a read-only endpoint cap");
        for (unsigned sel = 0; sel < SEL_COUNT; sel++)
                for (unsigned id = 0; id < STRESS_IDS; id++) {
                        int own = sel == SEL_OWN && sender(id), shared = sel != SEL_OWN && sel != SEL_ORIG && id == 0;

                        if (own || shared)
                                stress_must(tessera_cnode_mint(ROOT, c->ep_sel[e][sel][id], DEPTH, ROOT, c->ep[e], DEPTH,
                                                        rights[sel], stress_badge(e, sel, id)),
                                     "mint an endpoint cap");
                }
}

/* Notification n in its slot (again), with its read-only cap and each
 * sender's badged signal cap. */
void stress_ntfn_make(unsigned n, int again)
{
        struct stress_slots *c = &stress_caps;

        if (!again) {
                c->ntfn[n] = slot();
                c->ntfn_read[n] = slot();
                for (unsigned id = 0; id < STRESS_IDS; id++)
                        c->ntfn_sig[n][id] = sender(id) ? slot() : 0;
        }
        stress_must(tessera_alloc_retype(&alloc, TESSERA_OBJ_NOTIFICATION, 0, c->ntfn[n], 1), "a notification");
        stress_must(tessera_cnode_mint(ROOT, c->ntfn_read[n], DEPTH, ROOT, c->ntfn[n], DEPTH, TESSERA_RIGHT_READ, 0),
             "mint a read-only notification cap");
        for (unsigned id = 0; id < STRESS_IDS; id++)
                if (sender(id))
                        stress_must(tessera_cnode_mint(ROOT, c->ntfn_sig[n][id], DEPTH, ROOT, c->ntfn[n], DEPTH,
                                                TESSERA_RIGHT_WRITE, 1ull << id), "mint a signal cap");
}

static uint64_t ntfn_plain(void)
{
        uint64_t s = slot();

        stress_must(tessera_alloc_retype(&alloc, TESSERA_OBJ_NOTIFICATION, 0, s, 1), "a notification");
        return s;
}

static void ntfn_create(void)
{
        struct stress_slots *c = &stress_caps;

        for (unsigned n = 0; n < STRESS_NTFNS; n++)
                stress_ntfn_make(n, 0);
        c->ctl = ntfn_plain();
        for (unsigned id = 0; id < STRESS_IDS; id++)
                if (id < STRESS_WORKERS || id == STRESS_IDLE)
                        c->ctl_sig[id] = mint(c->ctl, TESSERA_RIGHT_WRITE, 1ull << id);
        c->gift_orig = ntfn_plain();
        c->gift = mint(c->gift_orig, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, 0x4242);
        c->park = ntfn_plain();
        c->empty = slot();
}

static void thread_seed(struct stress_thread *t)
{
        t->rng = 0x9e3779b97f4a7c15ull * (stress_core + 1) ^ 0xd1b54a32d192ed03ull * (t->id + 1) ^
                 0x8cb92ba72f3d8dd7ull * (t->incarnation + 1) ^ 0xa0761d6478bd642full * STRESS_SEED;
        stress_rand(t, 1);
}

/* A TCB in t's slot, configured to run entry(t->id) on its own stack. */
void stress_thread_make(struct stress_thread *t, void (*entry)(uint64_t))
{
        uint64_t regs[4] = { (uint64_t)(uintptr_t)entry, (uint64_t)(uintptr_t)&stacks[t->id][STACK_WORDS],
                             0, t->id };
        char name[16] = "ipc-w0";

        name[5] = (char)('0' + t->id % 10);
        if (t->id == STRESS_IDLE)
                name[4] = 'i', name[5] = 0;
        stress_must(tessera_alloc_retype(&alloc, TESSERA_OBJ_TCB, 0, t->tcb, 1), "retype a TCB");
        stress_must(tessera_tcb_configure(t->tcb, 0, ROOT, 0, TESSERA_SLOT_VSPACE, t->ipc_vaddr, t->frame),
             "configure a thread");
        stress_must(tessera_tcb_set_priority(t->tcb, TESSERA_SLOT_TCB, t->priority), "set a thread's priority");
        stress_must(tessera_tcb_set_name(t->tcb, name), "name a thread");
        stress_must(tessera_tcb_write_registers(t->tcb, 0, 4, regs), "set a thread's registers");
        t->blocked_op = -1;
        t->absent = 0;
        thread_seed(t);
}

static void worker_setup(struct stress_thread *t, unsigned id, unsigned ops)
{
        t->id = id;
        t->priority = 100 + 10 * (id % 3);
        t->ops_left = ops;
        t->tcb = slot();
        t->recv_slot = slot();
        t->ipc_vaddr = IPC_VADDR + id * 0x1000ull;
        stress_must(tessera_alloc_object(&alloc, TESSERA_OBJ_FRAME_4K, 0, &t->frame), "an IPC buffer frame");
        stress_must(tessera_spawn_map_own(&alloc, t->frame, t->ipc_vaddr, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE,
                                   TESSERA_FRAME_CACHED), "map an IPC buffer");
        t->ipc = (struct tessera_ipc_buffer *)(uintptr_t)t->ipc_vaddr;
        t->ipc->receive_cnode = ROOT;
        t->ipc->receive_index = t->recv_slot;
        t->ipc->receive_depth = DEPTH;
        stress_thread_make(t, stress_worker_main);
}

static void objects_and_threads(unsigned ops)
{
        struct stress_thread *idle = &stress_threads[STRESS_IDLE];
        uint64_t big;

        ctl->id = STRESS_CONTROLLER;
        ctl->ipc = tessera_ipc;
        tessera_ipc->receive_depth = 0;         /* the controller accepts no caps */
        thread_seed(ctl);
        stress_must(tessera_tcb_set_priority(TESSERA_SLOT_TCB, TESSERA_SLOT_TCB, CTL_PRIORITY), "lower the root");
        for (unsigned e = 0; e < STRESS_ENDPOINTS; e++) {
                stress_caps.ep[e] = slot();
                stress_ep_make(e, 0);
        }
        ntfn_create();
        for (unsigned id = 0; id < STRESS_WORKERS; id++)
                worker_setup(&stress_threads[id], id, ops);
        /* Beside the IPC buffers, in the level-2 table the image's mapping made. */
        stress_must(tessera_alloc_object(&alloc, TESSERA_OBJ_FRAME_2M, 0, &big), "a 2 MiB frame");
        stress_must(tessera_frame_map(big, TESSERA_SLOT_VSPACE, STRESS_BIG_VADDR, TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE,
                               TESSERA_FRAME_CACHED), "map the stacks and records");
        stress_must(tessera_tcb_bind_notification(stress_threads[0].tcb, stress_caps.ntfn[1]), "bind to worker 0");
        *idle = (struct stress_thread){ .id = STRESS_IDLE, .priority = IDLE_PRIORITY, .tcb = slot() };
        stress_thread_make(idle, stress_idle_main);
        for (unsigned id = 0; id < STRESS_WORKERS; id++)
                stress_must(tessera_tcb_resume(stress_threads[id].tcb), "start a worker");
        stress_must(tessera_tcb_resume(idle->tcb), "start the idle thread");
}

void stress_setup(const struct tessera_bootinfo *bi, unsigned ops)
{
        stress_core = bi->core_id;
        tessera_alloc_init(&alloc, bi);
        objects_and_threads(ops);
}
