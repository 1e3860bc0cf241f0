/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kprintf: formats into a line buffer and hands the console whole lines, so a
 * line from one core is never split by another core's output.
 */
#include <stdarg.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <plat/plat.h>

#define LINE_MAX 256

void kprintf(const char *fmt, ...)
{
        char line[LINE_MAX];
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = kvsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        if (n >= (int)sizeof(line)) {
                n = sizeof(line) - 1;
                line[n - 1] = '\n';
        }
        plat_console_write(line, (size_t)n);
}
