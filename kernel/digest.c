/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The image digest in every core's "up" line. It covers the kernel's text and
 * read-only data as this core runs them; the host computes the same function
 * over the flat image to check that every core runs identical bytes.
 */
#include <kernel/core.h>

/* FNV-1a, 64 bit: cheap, and equal bytes give equal digests on every core. */
uint64_t image_digest(const void *start, uint64_t len)
{
        const unsigned char *p = start;
        uint64_t h = 0xcbf29ce484222325ull;

        for (uint64_t i = 0; i < len; i++) {
                h ^= p[i];
                h *= 0x100000001b3ull;
        }
        return h;
}
