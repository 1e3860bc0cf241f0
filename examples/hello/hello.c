/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The smallest root task: it says where it runs and ends with status 0.
 */
#include <tessera/bootinfo.h>
#include <tessera/syscall.h>

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        tessera_printf("hello from EL0 on core %u of %u\n", bi->core_id, bi->core_count);
        tessera_yield();
        return 0;
}
