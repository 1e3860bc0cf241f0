/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Arm semihosting SYS_EXIT: how a guest hands QEMU its exit status (QEMU runs
 * with -semihosting-config enable=on,target=native). Without semihosting the
 * `hlt` is an undefined instruction; callers must be ready for that trap.
 */
#include <stdint.h>
#include <arch/semihost.h>

#define SEMIHOST_SYS_EXIT          0x18
#define SEMIHOST_ADP_APP_EXIT      0x20026

void semihost_exit(int status)
{
        static volatile uint64_t block[2];

        block[0] = SEMIHOST_ADP_APP_EXIT;
        block[1] = (uint64_t)(int64_t)status;
        register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
        register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;
        __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}
