/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared fixture for the ring host tests (test_ring.c, test_ring_corrupt.c):
 * TAP output, a ring in an exact, zeroed, 64-byte aligned allocation seen
 * from both sides (so AddressSanitizer catches any access outside it), the
 * shared offsets of ring.h, and messages whose content follows from a seed.
 */
#ifndef RING_TEST_H
#define RING_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <ipi/ring.h>
#include "ipi_tap.h"

#define HEAD_AT 0
#define SPACE_WAIT_AT 8
#define TAIL_AT 64
#define SLEEP_AT 72
#define DATA_AT 128

struct pair {
        uint8_t *mem;
        uint64_t size;
        struct ipi_ring p, c;
};

void pair_open(struct pair *x, uint64_t size, enum ipi_ring_kind kind);
void pair_close(struct pair *x);
/* Shared words by byte offset, for the tests that read or break them. */
uint64_t *word_at(struct pair *x, uint64_t offset);
uint32_t *u32_at(struct pair *x, uint64_t offset);
/* Writes a message of len bytes whose content follows from seed. */
int put(struct ipi_ring *r, uint32_t len, uint32_t seed);
/* Reads one message: true when it has this length and content. */
bool get(struct ipi_ring *r, uint32_t len, uint32_t seed);

void test_ring_corrupt(void);

#endif
