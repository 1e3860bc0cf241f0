/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The server ipcperf spawns in an address space of its own (embedded in
 * ipcperf's image, not a root task): it answers Calls on the endpoint spawn
 * gave it, forever (ipcperf.h).
 */
#include <stdint.h>
#include "ipcperf.h"

int main(uint64_t arg);

int main(uint64_t arg)
{
        (void)arg;
        ipcperf_serve(IPCPERF_SERVER_EP);
}
