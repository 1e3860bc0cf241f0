/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kassert: a kernel invariant. Debug builds check it and treat a violation as
 * a kernel fault (report, then the fatal policy); release builds compile it
 * away, so nothing on a hot path pays for it.
 */
#ifndef KERNEL_ASSERT_H
#define KERNEL_ASSERT_H

_Noreturn void kassert_failed(const char *expr, const char *file, int line);

#if TESSERA_DEBUG
#define kassert(expr) ((expr) ? (void)0 : kassert_failed(#expr, __FILE__, __LINE__))
#else
#define kassert(expr) ((void)sizeof(expr))
#endif

#endif
