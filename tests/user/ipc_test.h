/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the parts of ipctests share: the TAP helpers and the digest
 * (ipctests.c), the allocator, and scripted worker threads in the root
 * task's own address space (ipc_workers.c).
 *
 * A worker runs a script of up to IPC_STEPS system calls, one after the
 * other, recording each one's status and what came back, then halts. The
 * root task (priority IPC_ROOT_PRIORITY, above every worker) lets the
 * workers run with settle(): it drops below them until every one is
 * blocked or finished. So a test starts workers, settles, acts, settles and
 * reads the workers' records: every step happens in an order fixed by the
 * priorities and the kernel's FIFO queues, never by the timer, which keeps
 * the results (and the digest) the same run after run.
 */
#ifndef TESTS_USER_IPC_TEST_H
#define TESTS_USER_IPC_TEST_H

#include <stdint.h>
#include <tessera/alloc.h>
#include <tessera/bootinfo.h>
#include <tessera/ipc_buffer.h>
#include <tessera/syscall.h>

#define ROOT               TESSERA_SLOT_CNODE
#define DEPTH              64
#define IPC_ROOT_PRIORITY  255u
#define IPC_SETTLE_PRIORITY 1u          /* below every worker */

#define IPC_WORKERS        8
#define IPC_STEPS          8
#define IPC_WORKER_BUFFERS 0x31000000ull        /* worker i's IPC buffer: + i pages */
#define IPC_FAULT_PAGES    0x32000000ull        /* never mapped unless a test maps it */

extern struct tessera_alloc ipc_alloc;

/* TAP (ipctests.c). Every checked value also goes into the digest. */
void expect(const char *what, int64_t got, int64_t want);
void expect_true(const char *what, int cond);
void digest_fold(uint64_t value);
/* The badge, info and the delivered registers 0..3 of a message. */
void digest_msg(const struct tessera_msg *m);

/* Objects and caps, from the allocator; each failure is a failed result. */
uint64_t new_object(unsigned type);
uint64_t new_slot(void);
uint64_t mint(uint64_t src, unsigned rights, uint64_t badge);
void drop(uint64_t slot);               /* delete the cap, give the slot back */
int slot_is_empty(uint64_t slot);
uint64_t frame_paddr(uint64_t frame);   /* 0 when GetAddress fails */

/* The word i of a long-message pattern; a hash of words [from, to). */
uint64_t ipc_word(uint64_t seed, unsigned i);
uint64_t ipc_hash_words(const uint64_t *words, unsigned from, unsigned to);
/* The hash of pattern words [4, len) plus `add`, as a receiver would see them. */
uint64_t ipc_pattern_hash(uint64_t seed, unsigned len, uint64_t add);

/* One Call of `len` pattern words (seed) to an echo server; 1 when every
 * word of the answer is right (ipctests.c). */
int echo_check(uint64_t ep, uint64_t label, unsigned len, uint64_t seed);

/* The root task's receive slot for caps (0: accepts none). */
void root_receive_slot(uint64_t slot);

/* ---- scripted workers (ipc_workers.c) ---- */

enum ipc_op {
        OP_SEND = 1, OP_NB_SEND, OP_CALL, OP_RECV, OP_NB_RECV, OP_REPLY, OP_REPLY_RECV,
        OP_SIGNAL, OP_WAIT, OP_POLL,
        OP_ECHO_SERVER,         /* answer `arg` Calls on cap with the echo, the last by Reply */
        OP_TOUCH,               /* read the word at address `arg` */
        OP_TOUCH_REDIRECT,      /* as OP_TOUCH; the handler moves it to worker_redirected */
        OP_BAD_SYSCALL,         /* system call number `arg` */
};

struct ipc_step {
        unsigned op;
        uint64_t cap;
        struct tessera_msg msg;         /* what to send (the badge is ignored) */
        uint64_t seed;                  /* nonzero: message registers 4.. are ipc_word(seed, i) */
        uint64_t caps[TESSERA_MSG_MAX_CAPS];    /* caps to send (msg's info says how many) */
        uint64_t receive_slot;          /* where a received cap may land; 0: nowhere */
        uint64_t arg;
};

struct ipc_result {
        int status;
        struct tessera_msg msg;         /* what the call returned */
        uint64_t badges[TESSERA_MSG_MAX_CAPS];
        uint64_t long_hash;             /* ipc_hash_words of the buffer's mr[4..length) */
        uint64_t value;                 /* TOUCH: the word read; ECHO_SERVER: Calls answered */
};

struct ipc_worker {
        uint64_t tcb;                   /* its TCB cap; 0 when it has none */
        unsigned steps;
        struct ipc_step step[IPC_STEPS];
        struct ipc_result res[IPC_STEPS];
        volatile unsigned done;         /* steps finished */
        volatile unsigned redirected;   /* times it resumed at worker_redirected */
};

extern struct ipc_worker ipc_workers[IPC_WORKERS];

/* Maps every worker's IPC buffer frame; once, at the start. */
void workers_init(void);
/* Worker i's thread, ready but not started: a fresh TCB in the root's CSpace
 * and VSpace, its own stack, its IPC buffer unless with_buffer is 0, the
 * fault endpoint fault_ep (a root slot, 0: none). Returns its status. */
int worker_make(unsigned i, unsigned priority, int with_buffer, uint64_t fault_ep);
void worker_go(unsigned i);
/* make + go with a buffer and no fault endpoint, then settle. */
void worker_start(unsigned i, unsigned priority);
/* Appends a step; returns it for the details. */
struct ipc_step *worker_step(unsigned i, unsigned op, uint64_t cap, uint64_t info);
/* A step sending `len` pattern words ipc_word(seed, i) with `label`. */
struct ipc_step *worker_step_words(unsigned i, unsigned op, uint64_t cap, uint64_t label, unsigned len,
                                   uint64_t seed);
/* Deletes its TCB (whatever it is doing) and forgets its script. */
void worker_kill(unsigned i);
struct tessera_ipc_buffer *worker_buffer(unsigned i);
void settle(void);

/* The fault test's landmarks: the load that faults, and where a handler
 * may resume a worker instead (it then runs the rest of its script). */
uint64_t worker_touch(uint64_t addr);
_Noreturn void worker_redirected(void);
uint64_t worker_stack_base(unsigned i);
uint64_t worker_stack_top(unsigned i);

/* The cases. */
void test_badges_and_rights(uint64_t server_ep, uint64_t server_badged);
void test_cap_transfer(uint64_t server_ep, uint64_t server_badged, uint64_t gift);
void test_long_messages(uint64_t server_ep);
void test_reply_caps(void);
void test_notifications(void);
void test_faults(void);
void test_deletion(void);

#define IPC_SERVER_BADGE 0x1234ull

#endif
