/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A root task that makes a system call that does not exist and then one with
 * a bad argument. The bad argument must come back as an error code; the
 * unknown call must be reported as a fault of this thread only.
 */
#include <tessera/bootinfo.h>
#include <tessera/errors.h>
#include <tessera/syscall.h>

int main(const struct tessera_bootinfo *bi);

int main(const struct tessera_bootinfo *bi)
{
        struct tessera_msg m = { .info = tessera_msg_info(0, 0, 33) };

        tessera_syscall(TESSERA_SYS_DEBUG_PUTS, 0, &m);
        tessera_printf("%sok 1 - DebugPuts with 33 bytes returns RANGE (got %llu)\n",
                       m.badge == TESSERA_ERR_RANGE ? "" : "not ", (unsigned long long)m.badge);
        tessera_printf("badsys on core %u: calling system call 99\n", bi->core_id);
        m = (struct tessera_msg){ 0 };
        tessera_syscall(99, 0, &m);
        tessera_printf("not ok 2 - system call 99 returned\n");
        return 1;
}
