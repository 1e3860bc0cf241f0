/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Scripted worker threads for ipctests (ipc_test.h): threads in the root
 * task's own CSpace and VSpace, each with its own stack and its own IPC
 * buffer page, that run a list of system calls and record what each gave.
 *
 * Workers never call the runtime's invocation stubs: those go through
 * tessera_ipc, the root task's buffer, not the worker's. Everything a
 * worker sends or receives beyond four registers goes through
 * worker_buffer(i), the page its TCB names.
 */
#include <stdint.h>
#include <tessera/errors.h>
#include <tessera/invocations.h>
#include <tessera/invoke.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/spawn.h>
#include <tessera/tcb.h>
#include "ipc_proto.h"
#include "ipc_test.h"

#define STACK_WORDS 512                 /* 4 KiB: one frame each */
#define PAGE        0x1000ull

struct ipc_worker ipc_workers[IPC_WORKERS];
static uint64_t stacks[IPC_WORKERS][STACK_WORDS] __attribute__((aligned(16)));
static uint64_t buffer_frames[IPC_WORKERS];
static volatile unsigned redirect_index;

struct tessera_ipc_buffer *worker_buffer(unsigned i)
{
        return (struct tessera_ipc_buffer *)(uintptr_t)(IPC_WORKER_BUFFERS + i * PAGE);
}

uint64_t worker_stack_base(unsigned i)
{
        return (uint64_t)(uintptr_t)&stacks[i][0];
}

uint64_t worker_stack_top(unsigned i)
{
        return (uint64_t)(uintptr_t)&stacks[i][STACK_WORDS];
}

__attribute__((noinline)) uint64_t worker_touch(uint64_t addr)
{
        return *(volatile uint64_t *)(uintptr_t)addr;
}

/* The buffer as the step wants it before its call: where caps may land,
 * the caps to send, the long pattern. */
static void prepare_buffer(struct tessera_ipc_buffer *b, const struct ipc_step *s)
{
        unsigned len = tessera_msg_length(s->msg.info);

        b->receive_cnode = ROOT;
        b->receive_index = s->receive_slot;
        b->receive_depth = s->receive_slot ? DEPTH : 0;
        for (unsigned i = 0; i < TESSERA_MSG_MAX_CAPS; i++) {
                b->caps[i] = s->caps[i];
                b->badges[i] = 0;
        }
        for (unsigned i = TESSERA_MSG_REGS_IN_CPU; s->seed && i < len && i < TESSERA_MSG_MAX_LENGTH; i++)
                b->mr[i] = ipc_word(s->seed, i);
}

/* Answers `count` Calls with the echo: the first by Recv, the last by Reply. */
static int echo_server(uint64_t ep, uint64_t count, struct tessera_ipc_buffer *b, uint64_t *served)
{
        struct tessera_msg m = { 0 };
        int st = tessera_recv(ep, &m);

        for (*served = 0; st == TESSERA_OK; ) {
                ipc_echo(&m, b);
                if (++*served == count)
                        return tessera_reply(&m);
                st = tessera_reply_recv(ep, &m);
        }
        return st;
}

static int do_call(const struct ipc_step *s, struct tessera_msg *m, struct ipc_result *r,
                   struct tessera_ipc_buffer *b)
{
        switch (s->op) {
        case OP_SEND: return tessera_send(s->cap, m);
        case OP_NB_SEND: return tessera_nb_send(s->cap, m);
        case OP_CALL: return tessera_call(s->cap, m);
        case OP_RECV: return tessera_recv(s->cap, m);
        case OP_NB_RECV: return tessera_nb_recv(s->cap, m);
        case OP_REPLY: return tessera_reply(m);
        case OP_REPLY_RECV: return tessera_reply_recv(s->cap, m);
        case OP_SIGNAL: return tessera_signal(s->cap);
        case OP_WAIT: return tessera_wait(s->cap, &m->badge);
        case OP_POLL: return tessera_poll(s->cap, &m->badge);
        case OP_ECHO_SERVER: return echo_server(s->cap, s->arg, b, &r->value);
        case OP_TOUCH:
        case OP_TOUCH_REDIRECT:
                r->value = worker_touch(s->arg);
                return TESSERA_OK;
        case OP_BAD_SYSCALL: {
                int st = (int)tessera_syscall(s->arg, 0, m);

                r->value = 1;   /* it came back */
                return st;
        }
        default: return -1;
        }
}

static void run_step(unsigned index, unsigned k)
{
        struct ipc_worker *w = &ipc_workers[index];
        const struct ipc_step *s = &w->step[k];
        struct ipc_result *r = &w->res[k];
        struct tessera_ipc_buffer *b = worker_buffer(index);
        struct tessera_msg m = s->msg;
        unsigned len;

        prepare_buffer(b, s);
        if (s->op == OP_TOUCH_REDIRECT)
                redirect_index = index;
        r->status = do_call(s, &m, r, b);
        r->msg = m;
        len = tessera_msg_length(m.info);
        r->long_hash = ipc_hash_words(b->mr, TESSERA_MSG_REGS_IN_CPU,
                                      len < TESSERA_MSG_MAX_LENGTH ? len : TESSERA_MSG_MAX_LENGTH);
        for (unsigned i = 0; i < TESSERA_MSG_MAX_CAPS; i++)
                r->badges[i] = b->badges[i];
}

static _Noreturn void worker_loop(unsigned index)
{
        struct ipc_worker *w = &ipc_workers[index];

        while (w->done < w->steps) {
                run_step(index, w->done);
                w->done = w->done + 1;
        }
        tessera_debug_halt((int)index);
}

static _Noreturn void worker_main(uint64_t index)
{
        worker_loop((unsigned)index);
}

/* A fault handler's new pc: the touching step counts as done, the script goes on. */
_Noreturn void worker_redirected(void)
{
        unsigned index = redirect_index;

        ipc_workers[index].redirected = ipc_workers[index].redirected + 1;
        ipc_workers[index].done = ipc_workers[index].done + 1;
        worker_loop(index);
}

void workers_init(void)
{
        int bad = 0;

        for (unsigned i = 0; i < IPC_WORKERS; i++) {
                buffer_frames[i] = new_object(TESSERA_OBJ_FRAME_4K);
                if (tessera_spawn_map_own(&ipc_alloc, buffer_frames[i], (uint64_t)(uintptr_t)worker_buffer(i),
                                          TESSERA_RIGHT_READ | TESSERA_RIGHT_WRITE, TESSERA_FRAME_CACHED))
                        bad++;
        }
        expect("map an IPC buffer page for each worker thread", bad, 0);
}

int worker_make(unsigned i, unsigned priority, int with_buffer, uint64_t fault_ep)
{
        struct ipc_worker *w = &ipc_workers[i];
        uint64_t regs[] = { [TESSERA_REG_PC] = (uint64_t)(uintptr_t)worker_main,
                            [TESSERA_REG_SP] = worker_stack_top(i), [TESSERA_REG_NZCV] = 0,
                            [TESSERA_REG_X0] = i };
        int err;

        w->done = 0;
        w->redirected = 0;
        err = tessera_alloc_object(&ipc_alloc, TESSERA_OBJ_TCB, 0, &w->tcb);
        if (err) {
                w->tcb = 0;
                return err;
        }
        err = tessera_tcb_configure(w->tcb, fault_ep, ROOT, 0, TESSERA_SLOT_VSPACE,
                                    with_buffer ? (uint64_t)(uintptr_t)worker_buffer(i) : 0,
                                    with_buffer ? buffer_frames[i] : 0);
        if (!err)
                err = tessera_tcb_set_priority(w->tcb, TESSERA_SLOT_TCB, priority);
        if (!err)
                err = tessera_tcb_write_registers(w->tcb, 0, sizeof(regs) / sizeof(regs[0]), regs);
        return err;
}

void worker_go(unsigned i)
{
        int err = tessera_tcb_resume(ipc_workers[i].tcb);

        if (err)
                expect("resume a worker", err, TESSERA_OK);
}

void worker_start(unsigned i, unsigned priority)
{
        int err = worker_make(i, priority, 1, 0);

        if (err)
                expect("make a worker thread", err, TESSERA_OK);
        worker_go(i);
        settle();
}

struct ipc_step *worker_step(unsigned i, unsigned op, uint64_t cap, uint64_t info)
{
        struct ipc_worker *w = &ipc_workers[i];
        struct ipc_step *s = &w->step[w->steps < IPC_STEPS ? w->steps++ : IPC_STEPS - 1];

        *s = (struct ipc_step){ .op = op, .cap = cap, .msg = { .info = info } };
        return s;
}

struct ipc_step *worker_step_words(unsigned i, unsigned op, uint64_t cap, uint64_t label, unsigned len,
                                   uint64_t seed)
{
        struct ipc_step *s = worker_step(i, op, cap, tessera_msg_info(label, 0, len));

        s->seed = seed;
        for (unsigned r = 0; r < TESSERA_MSG_REGS_IN_CPU && r < len; r++)
                s->msg.mr[r] = ipc_word(seed, r);
        return s;
}

void worker_kill(unsigned i)
{
        struct ipc_worker *w = &ipc_workers[i];

        if (w->tcb)
                drop(w->tcb);
        *w = (struct ipc_worker){ 0 };
}

void settle(void)
{
        tessera_tcb_set_priority(TESSERA_SLOT_TCB, TESSERA_SLOT_TCB, IPC_SETTLE_PRIORITY);
        tessera_tcb_set_priority(TESSERA_SLOT_TCB, TESSERA_SLOT_TCB, IPC_ROOT_PRIORITY);
}
