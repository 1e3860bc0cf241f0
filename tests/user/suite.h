/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Ending a test program that runs as the root task of every core at once.
 * With a channel named "suite" shared by all cores, each core posts its
 * failure count there; the core whose kernel ends the system (core 0) waits
 * for every other member, reports each as a TAP result, and ends with the
 * total. Without that channel (a one-core run) it just returns the count.
 */
#ifndef TESTS_USER_SUITE_H
#define TESTS_USER_SUITE_H

#include <stdint.h>
#include <tessera/bootinfo.h>

/* Returns the exit status for main: this core's failures, plus on core 0
 * every other core's (and one for each core that never reported). */
int suite_finish(const struct tessera_bootinfo *bi, unsigned failures);

/* The slot of the largest normal (not device) untyped the kernel handed
 * over, where test programs make their objects; its size in *bits if bits
 * is not NULL. */
uint64_t suite_largest_untyped(const struct tessera_bootinfo *bi, unsigned *bits);

#endif
