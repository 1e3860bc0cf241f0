/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared fixture for the channel host tests (test_channel*.c; TAP output is ipi_tap.h):
 * a fake wake per side (a sticky word, a mutex and a condvar: signal sets
 * the peer's word, wait blocks until it is set or the deadline passes, then
 * clears it), a clock in nanoseconds, and a link: one exact region with both
 * sides attached. Every wait is bounded: a wait with no deadline gives up
 * after GUARD_NS, records that it did (guard_fired) and fails (-1, which
 * the library reports as IPI_ERR_WAKE), so a lost wake-up fails a test
 * instead of hanging it.
 */
#ifndef CHANNEL_TEST_H
#define CHANNEL_TEST_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <ipi/channel.h>
#include "ipi_tap.h"

#define NS_PER_MS 1000000ull
#define NS_PER_S  1000000000ull
#define GUARD_NS  (10 * NS_PER_S)
#define MSG_MAX   512                   /* the longest stream message */

struct wake_side {
        pthread_mutex_t lock;
        pthread_cond_t cond;
        bool poked;
        int fail_signals;               /* signal returns -1 while set */
};

struct wake_ctx {
        struct wake_side *self, *peer;
};

/* Both sides of one channel in one exact, zeroed region. */
struct link {
        uint8_t *region;
        uint64_t size;
        struct wake_side wake[2];
        struct wake_ctx ctx[2];
        struct ipi_channel ch[2];
};

extern const struct ipi_wake_ops fake_ops;
extern unsigned guard_fired;            /* a wait with no deadline ran out of GUARD_NS */

uint64_t now_ns(void);
void wake_side_init(struct wake_side *w);
void wake_side_fini(struct wake_side *w);
/* Attaches both sides; 0 on success. */
int link_open(struct link *l, uint64_t size, enum ipi_ring_kind kind);
void link_close(struct link *l);
void *region_alloc(uint64_t size);

/* Stream messages: sequence number in the first 8 bytes, a length and
 * content that follow from it. */
uint32_t msg_len(uint64_t seq, uint32_t max);
void msg_fill(uint8_t *buf, uint64_t seq, uint32_t len);
bool msg_check(const uint8_t *buf, uint32_t len, uint64_t seq, uint32_t max);
/* A busy wait of a random length, now and then a yield. */
void tiny_delay(unsigned *seed);

void test_channel_streams(void);
void test_channel_rpc(void);
void test_channel_malicious(void);

#endif
