/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TAP output shared by the channel library's host tests (test_ring*.c,
 * test_channel*.c): one "ok N - ..." or "not ok N - ..." line per check,
 * flushed at once (threads print too), then the plan and the status.
 */
#ifndef TESTS_UNIT_IPI_TAP_H
#define TESTS_UNIT_IPI_TAP_H

#include <ipi/ring.h>

void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the plan; the exit status: 0 when every check passed. */
int tap_finish(void);
const char *kind_name(enum ipi_ring_kind kind);

#endif
