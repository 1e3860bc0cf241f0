/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User-side printf formatting. The kernel's formatter (kernel/string.c) is
 * the same freestanding code; user programs get it compiled into their own
 * image, so no kernel code runs on their behalf.
 */
#include <kernel/string.h>
#include "format.h"

int format_string(char *buf, size_t size, const char *fmt, va_list ap)
{
        return kvsnprintf(buf, size, fmt, ap);
}
