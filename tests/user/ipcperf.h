/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What ipcperf (the client, a root task) and its servers agree on: the
 * server loop, which answers every Call with a 0-length reply whose label
 * proves it saw the request (label and, for a 4-word request, its words),
 * and where a spawned server finds its endpoint. The same loop runs in a
 * process of its own (ipcperf_server.c) and as a thread of the client's.
 */
#ifndef TESTS_USER_IPCPERF_H
#define TESTS_USER_IPCPERF_H

#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/ipc.h>

/* The spawned server's endpoint: the first cap spawn copies (spawn.h). */
#define IPCPERF_SERVER_EP TESSERA_SLOT_FIRST_FREE_FIXED

#define IPCPERF_LABEL_MASK ((1ull << 52) - 1)

static inline uint64_t ipcperf_answer(uint64_t label, unsigned length, const uint64_t *mr)
{
        uint64_t words = length == 4 ? mr[0] + 3 * mr[1] + 5 * mr[2] + 7 * mr[3] : 0;

        return ((label ^ words) + 1) & IPCPERF_LABEL_MASK;
}

/* Receives on ep, then answers each request and waits for the next, forever
 * (ipcperf_serve.c: one copy of the code for both servers, so the user
 * instruction counts of the two compare). */
_Noreturn void ipcperf_serve(uint64_t ep);

#endif
