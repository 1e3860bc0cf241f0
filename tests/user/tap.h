/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TAP output for the EL0 test programs: every check is one "ok N - what"
 * or "not ok N - what" line, with the value got and, when wrong, marked
 * unexpected. The harness (tests/qemu/qemu_tap.py) reads the lines; the
 * program prints the plan ("1..N", tap_checks()) and ends with
 * tap_failures() as its status (or through suite_finish on four cores).
 */
#ifndef TESTS_USER_TAP_H
#define TESTS_USER_TAP_H

#include <stdint.h>

void expect(const char *what, int64_t got, int64_t want);
void expect_true(const char *what, int cond);
/* The number for a result line the program prints itself (a SKIP). */
unsigned tap_next(void);
unsigned tap_checks(void);
unsigned tap_failures(void);

#endif
