/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Debug console and halt through the debug system calls. Text travels in the
 * four message registers, 32 bytes per call; the kernel prints a line when it
 * sees the newline, so lines from one thread stay whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <tessera/syscall.h>
#include "format.h"

void tessera_debug_puts(const char *s)
{
        while (*s) {
                struct tessera_msg m = { 0 };
                unsigned n = 0;

                for (; n < 32 && s[n]; n++)
                        m.mr[n / 8] |= (uint64_t)(unsigned char)s[n] << (8 * (n % 8));
                m.info = tessera_msg_info(0, 0, n);
                tessera_syscall(TESSERA_SYS_DEBUG_PUTS, 0, &m);
                s += n;
        }
}

_Noreturn void tessera_debug_halt(int status)
{
        struct tessera_msg m = { .mr = { (uint64_t)(int64_t)status } };

        for (;;)
                tessera_syscall(TESSERA_SYS_DEBUG_HALT, 0, &m);
}

int tessera_printf(const char *fmt, ...)
{
        char line[256];
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = format_string(line, sizeof(line), fmt, ap);
        va_end(ap);
        tessera_debug_puts(line);
        return n;
}
