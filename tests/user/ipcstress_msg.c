/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC stress test's messages and the checks on them (ipcstress.h): a
 * label that describes its message and carries a check byte, words that are
 * a hash of the label and their index, badges that follow from the cap used,
 * and one record per (sender, sequence number) of what the sender was told
 * and how many times the message arrived. Counters that several threads
 * update use atomics: a thread may be preempted anywhere.
 */
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/invoke.h>
#include <tessera/syscall.h>
#include "ipcstress.h"

#define FAILURES_SHOWN 24
#define SIGNAL_MASK    (((1ull << STRESS_WORKERS) - 1) | 1ull << STRESS_CONTROLLER)

enum record_state { REC_UNUSED, REC_PENDING, REC_OK, REC_FAILED };

struct record {
        uint8_t kind, state, received;
        uint8_t suspends;               /* the sender's suspensions when it sent (mod 256) */
};

static struct record (*const records)[STRESS_SEQ_MAX] =
        (struct record (*)[STRESS_SEQ_MAX])(uintptr_t)STRESS_RECORDS_VADDR;
_Static_assert(sizeof(struct record) * STRESS_IDS * STRESS_SEQ_MAX <= STRESS_STACKS_VADDR - STRESS_RECORDS_VADDR,
               "the records fit below the stacks");
static volatile uint32_t signals[STRESS_NTFNS][STRESS_IDS], seen[STRESS_NTFNS][STRESS_IDS];
static volatile uint32_t failures_shown;

/* Label layout: length 7 | caps 2 | sel 2 | ep 2 | sender 4 | kind 3 | seq 12 |
 * caller 4 | check 16 = 52 bits, the width of a message label. */
static uint64_t field(uint64_t v, unsigned shift, unsigned bits)
{
        return (v & ((1ull << bits) - 1)) << shift;
}

static uint64_t mix(uint64_t x)
{
        x += 0x9e3779b97f4a7c15ull;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
        return x ^ (x >> 31);
}

uint64_t stress_label_make(const struct stress_label *f)
{
        uint64_t body = field(f->len, 0, 7) | field(f->caps, 7, 2) | field(f->sel, 9, 2) |
                        field(f->ep, 11, 2) | field(f->sender, 13, 4) | field(f->kind, 17, 3) |
                        field(f->seq, 20, 12) | field(f->caller, 32, 4);

        return body | field(mix(body), 36, 16);
}

int stress_label_parse(uint64_t label, struct stress_label *f)
{
        uint64_t body = label & ((1ull << 36) - 1);

        *f = (struct stress_label){
                .len = body & 0x7f, .caps = (body >> 7) & 3, .sel = (body >> 9) & 3,
                .ep = (body >> 11) & 3, .sender = (body >> 13) & 15, .kind = (body >> 17) & 7,
                .seq = (body >> 20) & 0xfff, .caller = (body >> 32) & 15,
        };
        return label >> 52 == 0 && label >> 36 == (mix(body) & 0xffff);
}

uint64_t stress_word(uint64_t label, unsigned k)
{
        return mix(label * 131 + k + 1);
}

uint64_t stress_badge(unsigned ep, unsigned sel, unsigned sender)
{
        switch (sel) {
        case SEL_OWN: return 0x100ull * (ep + 1) + sender + 1;
        case SEL_WRITE_ONLY: return 0xa00ull + ep;
        case SEL_WRITE_REPLY: return 0xb00ull + ep;
        default: return 0;
        }
}

uint64_t stress_ep_cap(unsigned ep, unsigned sel, unsigned sender)
{
        return stress_caps.ep_sel[ep][sel][sender];
}

void stress_fill(struct tessera_msg *m, struct tessera_ipc_buffer *b, uint64_t label,
                 unsigned ncaps)
{
        unsigned len = label & 0x7f;

        m->badge = 0;
        m->info = tessera_msg_info(label, ncaps, len);
        for (unsigned k = 0; k < TESSERA_MSG_REGS_IN_CPU; k++)
                m->mr[k] = k < len ? stress_word(label, k) : 0;
        for (unsigned k = TESSERA_MSG_REGS_IN_CPU; k < len && k < TESSERA_MSG_MAX_LENGTH; k++)
                b->mr[k] = stress_word(label, k);
}

uint64_t stress_rand(struct stress_thread *t, uint64_t n)
{
        t->rng ^= t->rng << 13;
        t->rng ^= t->rng >> 7;
        t->rng ^= t->rng << 17;
        return n ? (t->rng * 0x2545f4914f6cdd1dull >> 11) % n : 0;
}

uint32_t stress_next_seq(struct stress_thread *t)
{
        t->seq++;
        stress_check(t, CAT_RECORD, t->seq < STRESS_SEQ_MAX, "sequence numbers last the run", t->seq);
        return t->seq & (STRESS_SEQ_MAX - 1);
}

int stress_check(struct stress_thread *t, enum stress_cat cat, int ok, const char *what,
                 uint64_t detail)
{
        t->stats.checks[cat]++;
        if (ok)
                return 1;
        t->stats.failures[cat]++;
        if (__atomic_fetch_add(&failures_shown, 1, __ATOMIC_RELAXED) < FAILURES_SHOWN)
                tessera_printf("# FAIL core %u thread %u (seq %u): %s (0x%llx)\n", stress_core, t->id,
                               t->seq, what, (unsigned long long)detail);
        return 0;
}

int stress_status(struct stress_thread *t, int st, uint32_t allowed, const char *what)
{
        int known = st == TESSERA_RECV_SIGNALLED || (st >= 0 && st < TESSERA_ERR_COUNT);

        if (known && st != TESSERA_OK && (allowed & ST_BIT(st)))
                t->stats.expected_errors++;
        return stress_check(t, CAT_STATUS, known && (allowed & ST_BIT(st)), what, (uint64_t)st);
}

uint32_t stress_allowed(uint32_t e0, uint32_t e1, uint32_t normal)
{
        uint32_t gone = ST_BIT(TESSERA_ERR_FAILED_LOOKUP) | ST_BIT(TESSERA_ERR_INVALID_CAPABILITY);

        if (e0 != e1)
                return normal | gone;
        return e0 & 1 ? gone : normal;
}

static uint64_t word_at(const struct tessera_msg *m, const struct tessera_ipc_buffer *b, unsigned k)
{
        return k < TESSERA_MSG_REGS_IN_CPU ? m->mr[k] : b->mr[k];
}

/* The words and the length: 1 if all match the label. */
static int words_match(struct stress_thread *t, const struct tessera_msg *m,
                       const struct tessera_ipc_buffer *b, uint64_t label)
{
        unsigned len = label & 0x7f;

        if (tessera_msg_length(m->info) != len)
                return 0;
        for (unsigned k = 0; k < len; k++)
                if (word_at(m, b, k) != stress_word(label, k))
                        return 0;
        t->stats.words += len;
        return 1;
}

static void empty_slot(struct stress_thread *t)
{
        int st = tessera_cnode_delete(TESSERA_SLOT_CNODE, t->recv_slot, 64);

        stress_check(t, CAT_CAPS, st == TESSERA_OK, "a received cap can be deleted", (uint64_t)st);
        t->slot_full = 0;
}

/* The gift landed in t's receive slot: it must be a readable notification
 * nobody signals. Now and then it stays there, so the next gift finds the
 * slot full. */
static void take_gift(struct stress_thread *t)
{
        struct tessera_msg m = { 0 };
        int st = (int)tessera_syscall(TESSERA_SYS_POLL, t->recv_slot, &m);

        stress_check(t, CAT_CAPS, st == TESSERA_ERR_WOULD_BLOCK && m.badge == 0,
                     "a received cap is the gift notification", (uint64_t)st);
        t->stats.gifts++;
        t->slot_full = stress_rand(t, 3) == 0;
        if (!t->slot_full)
                empty_slot(t);
}

static void check_caps(struct stress_thread *t, const struct stress_label *f,
                       const struct tessera_msg *m, const struct tessera_ipc_buffer *b)
{
        unsigned caps = tessera_msg_caps(m->info), unwrapped = tessera_msg_unwrapped(m->info);
        unsigned unwrap = f->caps == CAPS_UNWRAP || f->caps == CAPS_UNWRAP_GIFT;
        unsigned gift = f->caps == CAPS_GIFT || f->caps == CAPS_UNWRAP_GIFT;
        int lands = gift && t->recv_slot && !t->slot_full, was_full = gift && t->slot_full;

        /* Caps are processed in order; an unwrapped one always counts, the
         * gift only if it lands, and a refused one ends the transfer. */
        if (!stress_check(t, CAT_CAPS, caps == unwrap + (unsigned)lands && unwrapped == unwrap,
                          "caps arrive as sent: unwrapped, granted into an empty slot, or stopped", m->info))
                return;
        if (unwrap) {
                stress_check(t, CAT_CAPS, b->badges[0] == stress_badge(f->ep, f->sel, f->sender),
                             "a cap naming the endpoint arrives unwrapped, with its badge", b->badges[0]);
                t->stats.unwraps++;
        }
        if (lands)
                take_gift(t);
        else if (was_full) {
                t->stats.gifts_refused++;
                empty_slot(t);
        }
}

/* A Call arrives again only if it started again: its sender was suspended
 * after sending (while blocked, even waiting for the reply), and Resume
 * re-executes the call. A Send that was delivered has completed, so it
 * never arrives twice. */
static void record_arrival(struct stress_thread *t, const struct stress_label *f)
{
        struct record *r = &records[f->sender][f->seq & (STRESS_SEQ_MAX - 1)];
        uint8_t suspends = (uint8_t)stress_threads[f->sender].suspends;

        if (!stress_check(t, CAT_RECORD, r->state != REC_UNUSED && r->kind == f->kind,
                          "a message arrives only after its sender sent it", f->seq))
                return;
        if (r->received)
                stress_check(t, CAT_RECORD, f->kind == KIND_CALL && r->suspends != suspends,
                             "a message arrives once (a Call again only after a Suspend)",
                             (uint64_t)f->sender << 32 | f->seq);
        if (r->received < 255)
                r->received++;
}

uint64_t stress_verify_message(struct stress_thread *t, unsigned ep, const struct tessera_msg *m,
                               const struct tessera_ipc_buffer *b)
{
        uint64_t label = tessera_msg_label(m->info);
        struct stress_label f;
        int from_ok;

        if (!stress_check(t, CAT_MESSAGE, stress_label_parse(label, &f), "a received label is intact",
                          m->info))
                return 0;
        from_ok = (f.kind == KIND_SEND || f.kind == KIND_CALL) ? f.sender < STRESS_WORKERS :
                  f.kind == KIND_DRAIN && f.sender == STRESS_CONTROLLER;
        if (!stress_check(t, CAT_MESSAGE, from_ok && f.ep == ep, "a message comes from a sender, on its endpoint",
                          label))
                return 0;
        stress_check(t, CAT_MESSAGE, m->badge == stress_badge(ep, f.sel, f.sender),
                     "the badge is the sending cap's", m->badge);
        stress_check(t, CAT_MESSAGE, words_match(t, m, b, label), "every word and the length arrive intact",
                     m->info);
        check_caps(t, &f, m, b);
        record_arrival(t, &f);
        t->stats.messages++;
        return label;
}

void stress_verify_reply(struct stress_thread *t, uint32_t seq, const struct tessera_msg *m,
                         const struct tessera_ipc_buffer *b)
{
        uint64_t label = tessera_msg_label(m->info);
        struct stress_label f;
        int ok = stress_label_parse(label, &f) && f.kind == KIND_REPLY && f.caller == t->id &&
                 f.seq == seq && (f.sender < STRESS_WORKERS || f.sender == STRESS_CONTROLLER);

        if (!stress_check(t, CAT_REPLY, ok, "a Call's reply answers that Call", m->info))
                return;
        stress_check(t, CAT_REPLY, m->badge == 0 && tessera_msg_caps(m->info) == 0 &&
                     words_match(t, m, b, label), "a reply arrives intact, with badge 0", m->info);
        t->stats.replies++;
}

void stress_count_signal(unsigned n, unsigned sender)
{
        __atomic_fetch_add(&signals[n][sender], 1, __ATOMIC_RELAXED);
}

void stress_verify_word(struct stress_thread *t, unsigned n, uint64_t word)
{
        stress_check(t, CAT_NOTIFY, (word & ~SIGNAL_MASK) == 0, "a notification word holds only badges signalled",
                     word);
        for (unsigned i = 0; i < STRESS_IDS; i++) {
                if (!(word & SIGNAL_MASK & (1ull << i)))
                        continue;
                uint32_t got = __atomic_add_fetch(&seen[n][i], 1, __ATOMIC_RELAXED);

                stress_check(t, CAT_NOTIFY, got <= signals[n][i], "a badge is seen no more often than signalled",
                             (uint64_t)n << 8 | i);
        }
        t->stats.signal_words++;
}

void stress_sent_begin(struct stress_thread *t, uint32_t seq, unsigned kind)
{
        struct record *r = &records[t->id][seq];

        r->kind = (uint8_t)kind;
        r->suspends = (uint8_t)t->suspends;
        r->state = REC_PENDING;
}

void stress_sent_end(struct stress_thread *t, uint32_t seq, int status)
{
        records[t->id][seq].state = status == TESSERA_OK ? REC_OK : REC_FAILED;
}

/* One record after the run; counts a Send told OK that nobody recorded. */
static void check_record(struct stress_thread *ctl, const struct stress_thread *s, const struct record *r,
                         unsigned *unrecorded)
{
        int send = r->kind != KIND_CALL;

        switch (r->state) {
        case REC_PENDING:
                stress_check(ctl, CAT_RECORD, s->deletions > 0 && (!send || r->received <= 1),
                             "only a deleted thread leaves a call unfinished", s->id);
                break;
        case REC_OK:
                if (send && r->received == 0)
                        ++*unrecorded;
                else
                        stress_check(ctl, CAT_RECORD, send ? r->received == 1 : r->received >= 1,
                                     "a message sent with success arrived once", s->id);
                break;
        case REC_FAILED:
                stress_check(ctl, CAT_RECORD, !send || r->received == 0,
                             "a message whose Send failed never arrived", s->id);
                break;
        default:
                break;
        }
}

void stress_check_records(struct stress_thread *ctl, unsigned thread_deletions)
{
        unsigned unrecorded = 0;

        for (unsigned id = 0; id < STRESS_IDS; id++) {
                const struct stress_thread *s = &stress_threads[id];

                for (uint32_t seq = 1; seq <= s->seq && seq < STRESS_SEQ_MAX; seq++)
                        check_record(ctl, s, &records[id][seq], &unrecorded);
        }
        /* A receiver deleted between its Recv and its record loses one. */
        stress_check(ctl, CAT_RECORD, unrecorded <= thread_deletions,
                     "every Send told OK arrived (but for receivers deleted)", unrecorded);
}

void stress_sum_stats(struct stress_stats *s)
{
        for (unsigned id = 0; id < STRESS_IDS; id++) {
                const struct stress_stats *t = &stress_threads[id].stats;

                for (unsigned i = 0; i < OP_COUNT; i++)
                        s->ops[i] += t->ops[i];
                for (unsigned i = 0; i < CAT_COUNT; i++) {
                        s->checks[i] += t->checks[i];
                        s->failures[i] += t->failures[i];
                }
                s->messages += t->messages;
                s->words += t->words;
                s->replies += t->replies;
                s->gifts += t->gifts;
                s->gifts_refused += t->gifts_refused;
                s->unwraps += t->unwraps;
                s->signal_words += t->signal_words;
                s->expected_errors += t->expected_errors;
        }
}
