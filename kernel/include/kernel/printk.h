/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel console output. kprintf assembles a whole line before it reaches the
 * console, so lines from different cores never interleave mid-line.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
