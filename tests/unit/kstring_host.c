// SPDX-License-Identifier: BSD-2-Clause
/*
 * The kernel's string routines (kernel/string.c) for host tests: the real file,
 * so the planner is tested with the kernel's own ksnprintf, but with its
 * memset/memcpy/memcmp renamed. Under their own names they would replace libc's
 * (and ASan's interceptors) for the whole test process.
 */
#define memset kstring_host_memset
#define memcpy kstring_host_memcpy
#define memcmp kstring_host_memcmp
#include "../../kernel/string.c"
