/* SPDX-License-Identifier: BSD-2-Clause */
/* printf-style formatting for user programs (see format.c). */
#ifndef LIB_TESSERA_FORMAT_H
#define LIB_TESSERA_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

int format_string(char *buf, size_t size, const char *fmt, va_list ap);

#endif
