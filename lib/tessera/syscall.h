/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System-call stubs for user programs, written against include/tessera/
 * syscalls.h only: x7 = number, x0 = cap address, x1 = message info,
 * x2..x5 = message registers; the same registers come back, and the
 * status in x6 is the stub's return value.
 */
#ifndef LIB_TESSERA_SYSCALL_H
#define LIB_TESSERA_SYSCALL_H

#include <stdint.h>
#include <tessera/syscalls.h>

struct tessera_msg {
        uint64_t badge, info;
        uint64_t mr[TESSERA_MSG_REGS_IN_CPU];
};

static inline uint64_t tessera_syscall(uint64_t number, uint64_t cptr, struct tessera_msg *m)
{
        register uint64_t x0 __asm__("x0") = cptr;
        register uint64_t x1 __asm__("x1") = m->info;
        register uint64_t x2 __asm__("x2") = m->mr[0];
        register uint64_t x3 __asm__("x3") = m->mr[1];
        register uint64_t x4 __asm__("x4") = m->mr[2];
        register uint64_t x5 __asm__("x5") = m->mr[3];
        register uint64_t x6 __asm__("x6");
        register uint64_t x7 __asm__("x7") = number;

        __asm__ volatile("svc #0"
                         : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "=r"(x6)
                         : "r"(x7)
                         : "memory");
        m->badge = x0;
        m->info = x1;
        m->mr[0] = x2;
        m->mr[1] = x3;
        m->mr[2] = x4;
        m->mr[3] = x5;
        return x6;
}

static inline void tessera_yield(void)
{
        struct tessera_msg m = { 0 };

        tessera_syscall(TESSERA_SYS_YIELD, 0, &m);
}

/* Debug builds: one line to the kernel console (up to 4 * 8 bytes per call are
 * packed in the message registers; debug_puts splits longer strings). */
void tessera_debug_puts(const char *s);
_Noreturn void tessera_debug_halt(int status);
int tessera_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
