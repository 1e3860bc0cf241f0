/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The only ways the library touches memory shared with the other core:
 * relaxed, acquire and release atomics of 32 and 64 bits, the full fence of
 * the sleep protocol, and payload copies made of relaxed 64-bit accesses.
 * The peer may change any word at any time, so each load is a single atomic
 * access whose result the caller checks once and then keeps in a local.
 * Private to ipi/.
 */
#ifndef IPI_SHARED_ACCESS_H
#define IPI_SHARED_ACCESS_H

#include <stdint.h>

static inline uint64_t load64(const uint64_t *p)
{
        return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline uint64_t load64_acquire(const uint64_t *p)
{
        return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline uint32_t load32(const uint32_t *p)
{
        return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline uint32_t load32_acquire(const uint32_t *p)
{
        return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void store64(uint64_t *p, uint64_t v)
{
        __atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static inline void store64_release(uint64_t *p, uint64_t v)
{
        __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline void store32(uint32_t *p, uint32_t v)
{
        __atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static inline void store32_release(uint32_t *p, uint32_t v)
{
        __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* The store-then-load barrier of the sleep protocol (dmb ish on aarch64):
 * "store my flag" may not pass "load the other's index". */
static inline void full_fence(void)
{
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* ---- payloads: 64-bit relaxed accesses to shared words only ---- */

/* Private memory to and from words: whole words as the machine lays them out
 * (__builtin_memcpy of a constant 8 bytes is one unaligned load or store, no
 * call), the last 1..7 bytes by shifts. Writer and reader split a message
 * the same way, so each part reads back as it was written. */
static inline uint64_t tail_to_word(const uint8_t *p, uint32_t n)
{
        uint64_t w = 0;

        for (uint32_t i = 0; i < n; i++)
                w |= (uint64_t)p[i] << (8 * i);
        return w;
}

static inline void word_to_tail(uint64_t w, uint8_t *p, uint32_t n)
{
        for (uint32_t i = 0; i < n; i++)
                p[i] = (uint8_t)(w >> (8 * i));
}

/* Stores the optional tag and len bytes of src into the words at dst; the
 * last word is zero-padded. The caller checked that they fit. */
static inline void copy_in(uint64_t *dst, const uint64_t *tag, const uint8_t *src, uint32_t len)
{
        uint32_t whole = len / 8;

        if (tag)
                store64(dst++, *tag);
        for (uint32_t i = 0; i < whole; i++) {
                uint64_t w;

                __builtin_memcpy(&w, src + 8 * i, 8);
                store64(&dst[i], w);
        }
        if (len % 8)
                store64(&dst[whole], tail_to_word(src + 8 * whole, len % 8));
}

/* The reverse: len bytes from the words at src into dst. The caller checked
 * that the words lie inside the slot or record. */
static inline void copy_out(const uint64_t *src, uint8_t *dst, uint32_t len)
{
        uint32_t whole = len / 8;

        for (uint32_t i = 0; i < whole; i++) {
                uint64_t w = load64(&src[i]);

                __builtin_memcpy(dst + 8 * i, &w, 8);
        }
        if (len % 8)
                word_to_tail(load64(&src[whole]), dst + 8 * whole, len % 8);
}

#endif
