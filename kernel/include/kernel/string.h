/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The few string and memory routines the kernel needs. memset/memcpy/memcmp
 * keep their standard names because the compiler may emit calls to them.
 */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t kstrlen(const char *s);
int kstrcmp(const char *a, const char *b);
int kstrncmp(const char *a, const char *b, size_t n);
size_t kstrlcpy(char *dst, const char *src, size_t size);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* Parses 0x-prefixed hex or decimal; returns 0 and sets *out on success. */
int kparse_u64(const char *s, size_t len, uint64_t *out);

#endif
