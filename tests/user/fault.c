/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A root task that touches memory nobody mapped for it. The kernel must
 * report the fault and stop this thread; nothing else may break.
 */
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/syscall.h>

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        tessera_printf("fault test on core %u: reading 0xdead0000\n", bi->core_id);
        return (int)*(volatile uint64_t *)0xdead0000ull;
}
