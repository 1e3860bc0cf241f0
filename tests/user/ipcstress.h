/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the parts of the IPC stress test (ipcstress.c: the controller;
 * ipcstress_setup.c: objects and threads; ipcstress_worker.c: the workers'
 * random operations; ipcstress_msg.c: message encoding, records and checks)
 * share. Every thread of the test lives in the root task's address space, so
 * this state is plain memory all of them read and write.
 *
 * A message carries its own proof: its label names the kind (Send, Call,
 * reply, the controller's drain), the sender, the sender's sequence number,
 * the endpoint, which of the sender's caps it went through, the cap it
 * carries, its length and (for a reply) the caller; a check byte covers the
 * rest. Every word k is a hash of the label and k. So a receiver can check
 * each word, the badge (a function of the endpoint, the cap and the
 * sender), the length and the caps field without asking anyone, and a
 * per-(sender, sequence) record catches a message delivered twice, one
 * delivered though its Send failed, and one lost though its Send succeeded.
 */
#ifndef TESTS_USER_IPCSTRESS_H
#define TESTS_USER_IPCSTRESS_H

#include <stdint.h>
#include <tessera/ipc_buffer.h>
#include <tessera/syscall.h>

#define STRESS_WORKERS     10
#define STRESS_ENDPOINTS   4
#define STRESS_NTFNS       2            /* 0: anyone's; 1: bound to worker 0 */
#define STRESS_IDLE        14           /* the idle thread's id (signals only) */
#define STRESS_CONTROLLER  15           /* the root thread's sender id */
#define STRESS_IDS         16
#define STRESS_SEQ_MAX     2048         /* sequence numbers per sender */
/* Each worker's operation budget: on one core, and on each of several (four
 * kernels share the host's CPUs under TCG: each runs some four times slower). */
#ifndef STRESS_OPS
#define STRESS_OPS         200
#endif
#define STRESS_OPS_SMP     100
#ifndef STRESS_SEED
#define STRESS_SEED        0            /* another value: other sequences (-DSTRESS_SEED=n) */
#endif
/* Stacks and records live in one 2 MiB frame mapped here at the start: one
 * cap, where the same memory in .bss would be some fifty image frames (each
 * one more cap for the debug kernel's invariant checker to compare). */
#define STRESS_BIG_VADDR   0x30200000ull
#define STRESS_RECORDS_VADDR STRESS_BIG_VADDR
#define STRESS_STACKS_VADDR  (STRESS_BIG_VADDR + 0x100000ull)

enum stress_kind { KIND_SEND = 1, KIND_CALL = 2, KIND_REPLY = 3, KIND_DRAIN = 4 };

/* Which endpoint cap a sender uses: its own badged one, the unbadged original,
 * a write-only or a write + grant-reply copy (both badged per endpoint). */
enum stress_sel { SEL_OWN, SEL_ORIG, SEL_WRITE_ONLY, SEL_WRITE_REPLY, SEL_COUNT };

/* The extra caps a message carries: none, the gift notification (lands in
 * the receiver's slot if it accepts one and the slot is empty), the sending
 * cap itself (unwrapped: only its badge arrives), or both, unwrapped first. */
enum stress_carry { CAPS_NONE, CAPS_GIFT, CAPS_UNWRAP, CAPS_UNWRAP_GIFT };

enum stress_op {
        OP_SEND, OP_NB_SEND, OP_CALL, OP_RECV, OP_NB_RECV, OP_REPLY, OP_REPLY_RECV,
        OP_SIGNAL, OP_WAIT, OP_POLL, OP_YIELD, OP_WAKE, OP_BAD, OP_COUNT
};

/* What each check is about; the final TAP has one result per category. */
enum stress_cat {
        CAT_STATUS, CAT_MESSAGE, CAT_REPLY, CAT_NOTIFY, CAT_CAPS, CAT_RECORD, CAT_COUNT
};

/* Whether a thread holds a reply capability, as far as it can tell. */
enum stress_reply { REPLY_NONE, REPLY_HELD, REPLY_MAYBE };

struct stress_label {
        unsigned kind, sender, seq, ep, sel, caps, len, caller;
};

struct stress_stats {
        uint32_t ops[OP_COUNT];
        uint32_t checks[CAT_COUNT], failures[CAT_COUNT];
        uint32_t messages, words, replies, gifts, gifts_refused, unwraps, signal_words, expected_errors;
};

/* One thread of the test; the controller's and the idle thread's too. */
struct stress_thread {
        unsigned id, priority;
        uint64_t tcb, frame, recv_slot, ipc_vaddr;
        int slot_full;                  /* it kept the last gift: the next cannot land */
        struct tessera_ipc_buffer *ipc;
        uint64_t rng;
        uint32_t seq;                   /* last sequence number used */
        unsigned ops_left, incarnation;
        enum stress_reply reply;
        uint64_t reply_label;           /* the Call whose reply cap it holds */
        /* Read by the controller. */
        volatile unsigned done, suspended, absent, deletions, suspends;
        volatile int blocked_op;        /* OP_* while in a blocking call, else -1 */
        volatile unsigned blocked_on;   /* its endpoint or notification */
        struct stress_stats stats;
};

/* Cap slots, all in the root CNode. */
struct stress_slots {
        uint64_t ep[STRESS_ENDPOINTS];                  /* originals: all rights, badge 0 */
        uint64_t ep_read[STRESS_ENDPOINTS];             /* READ only */
        uint64_t ep_sel[STRESS_ENDPOINTS][SEL_COUNT][STRESS_IDS];
        uint64_t ntfn[STRESS_NTFNS];                    /* originals */
        uint64_t ntfn_read[STRESS_NTFNS];               /* READ only, badge 0 */
        uint64_t ntfn_sig[STRESS_NTFNS][STRESS_IDS];    /* WRITE only, badge 1 << id */
        uint64_t ctl, ctl_sig[STRESS_IDS];              /* wakes the controller */
        uint64_t gift, gift_orig, park, empty;
};

extern struct stress_thread stress_threads[STRESS_IDS];
extern struct stress_slots stress_caps;
/* Bumped when the object is deleted and again when it is back: odd while
 * it is gone. Notification 0 is deleted now and then, 1 (bound) never. */
extern volatile uint32_t stress_ep_epoch[STRESS_ENDPOINTS];
extern volatile uint32_t stress_ntfn_epoch[STRESS_NTFNS];
extern volatile uint64_t stress_progress;                     /* worker ops completed */
extern unsigned stress_core;

/* ipcstress_msg.c: encoding. */
uint64_t stress_label_make(const struct stress_label *f);
int stress_label_parse(uint64_t label, struct stress_label *f);
uint64_t stress_word(uint64_t label, unsigned k);
uint64_t stress_badge(unsigned ep, unsigned sel, unsigned sender);
uint64_t stress_ep_cap(unsigned ep, unsigned sel, unsigned sender);
/* Fills m (and b->mr[4..]) with the message the label describes. */
void stress_fill(struct tessera_msg *m, struct tessera_ipc_buffer *b, uint64_t label,
                 unsigned ncaps);
uint64_t stress_rand(struct stress_thread *t, uint64_t n);
/* The next sequence number of a sender (1, 2, ...). */
uint32_t stress_next_seq(struct stress_thread *t);

/* ipcstress_msg.c: checks. Each counts in t's stats; a failure is reported. */
int stress_check(struct stress_thread *t, enum stress_cat cat, int ok, const char *what,
                 uint64_t detail);
#define ST_BIT(st) (1u << ((st) == TESSERA_RECV_SIGNALLED ? 31 : (st)))
int stress_status(struct stress_thread *t, int st, uint32_t allowed, const char *what);
/* The statuses allowed for an operation on an object whose epoch was e0
 * before and e1 after: `normal`, or "the cap is gone" around a delete. */
uint32_t stress_allowed(uint32_t e0, uint32_t e1, uint32_t normal);
/* A message received on endpoint ep with status OK; returns its label (0
 * when it is not intact). */
uint64_t stress_verify_message(struct stress_thread *t, unsigned ep, const struct tessera_msg *m,
                               const struct tessera_ipc_buffer *b);
void stress_verify_reply(struct stress_thread *t, uint32_t seq, const struct tessera_msg *m,
                         const struct tessera_ipc_buffer *b);
/* A notification word received from notification n (or the bound one). */
void stress_verify_word(struct stress_thread *t, unsigned n, uint64_t word);
void stress_count_signal(unsigned n, unsigned sender);
/* The sender's record of sequence number seq: before and after the call. */
void stress_sent_begin(struct stress_thread *t, uint32_t seq, unsigned kind);
void stress_sent_end(struct stress_thread *t, uint32_t seq, int status);
/* After the run: every record against what was received. */
void stress_check_records(struct stress_thread *ctl, unsigned thread_deletions);
/* Every thread's stats, added up. */
void stress_sum_stats(struct stress_stats *s);

/* ipcstress_setup.c: the objects and threads, made again after a delete. */
struct tessera_bootinfo;
void stress_setup(const struct tessera_bootinfo *bi, unsigned ops_per_worker);
int stress_must(int status, const char *what);          /* the controller's call must succeed */
void stress_ep_make(unsigned ep, int again);
void stress_ntfn_make(unsigned n, int again);
void stress_thread_make(struct stress_thread *t, void (*entry)(uint64_t));

/* ipcstress_worker.c */
_Noreturn void stress_worker_main(uint64_t id);
_Noreturn void stress_idle_main(uint64_t id);

#endif
