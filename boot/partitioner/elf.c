/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ELF64 placement for root images. Every field is read byte-wise (the image
 * may sit at any alignment and the partitioner runs with -mstrict-align) and
 * checked before use: the header, the program-header table's bounds, each
 * loadable segment's file and memory extents, and the user address limit.
 * Segments land one after another, page aligned, from dest.
 */
#include <stdbool.h>
#include <stddef.h>
#include "elf.h"

#define EM_AARCH64   183
#define ET_EXEC      2
#define PT_LOAD      1
#define PF_X         1u
#define PF_W         2u
#define PF_R         4u
#define EHDR_SIZE    64
#define PHDR_SIZE    56
#define PAGE         0x1000ull

static uint64_t le(const uint8_t *p, unsigned bytes)
{
        uint64_t v = 0;

        while (bytes--)
                v = v << 8 | p[bytes];
        return v;
}

static uint64_t page_down(uint64_t v) { return v & ~(PAGE - 1); }
static uint64_t page_up(uint64_t v) { return (v + PAGE - 1) & ~(PAGE - 1); }

static const char *check_header(const uint8_t *e, uint64_t size)
{
        if (size < EHDR_SIZE || e[0] != 0x7f || e[1] != 'E' || e[2] != 'L' || e[3] != 'F')
                return "not an ELF file";
        if (e[4] != 2 || e[5] != 1)
                return "not a 64-bit little-endian ELF";
        if (le(e + 16, 2) != ET_EXEC || le(e + 18, 2) != EM_AARCH64)
                return "not an AArch64 executable";
        if (le(e + 54, 2) != PHDR_SIZE || le(e + 56, 2) == 0)
                return "program header table missing or of an unknown size";
        if (le(e + 32, 8) > size || le(e + 56, 2) * PHDR_SIZE > size - le(e + 32, 8))
                return "program header table outside the file";
        return NULL;
}

static uint32_t segment_flags(uint32_t pf)
{
        return ((pf & PF_R) ? BOOTINFO_SEG_READ : 0) | ((pf & PF_W) ? BOOTINFO_SEG_WRITE : 0) |
               ((pf & PF_X) ? BOOTINFO_SEG_EXECUTE : 0);
}

/* One PT_LOAD entry: sound extents, then its place after what came before. */
static const char *plan_segment(const uint8_t *ph, uint64_t size, uint64_t *next, uint64_t limit,
                                struct elf_layout *out)
{
        uint64_t offset = le(ph + 8, 8), vaddr = le(ph + 16, 8);
        uint64_t filesz = le(ph + 32, 8), memsz = le(ph + 40, 8);
        unsigned i = out->count;
        uint64_t span;

        if (filesz > memsz || offset > size || filesz > size - offset)
                return "a segment's file extent is outside the file";
        if (memsz == 0)
                return NULL;            /* an empty segment loads nothing */
        if (vaddr >= BOOTINFO_USER_VA_LIMIT || memsz > BOOTINFO_USER_VA_LIMIT - vaddr)
                return "a segment lies outside the user address range";
        if (i == BOOTINFO_MAX_SEGMENTS)
                return "too many loadable segments";
        span = page_up(vaddr + memsz) - page_down(vaddr);
        if (span > limit - *next)
                return "the image does not fit in the core's user memory";
        out->segments[i] = (struct bootinfo_segment){ page_down(vaddr), *next, span,
                                                      segment_flags((uint32_t)le(ph + 4, 4)), 0 };
        out->file_offset[i] = offset;
        out->file_size[i] = filesz;
        out->page_offset[i] = vaddr - page_down(vaddr);
        out->count++;
        *next += span;
        return NULL;
}

const char *elf_plan(const uint8_t *elf, uint64_t size, uint64_t dest, uint64_t room,
                     struct elf_layout *out)
{
        const char *why = check_header(elf, size);
        uint64_t next = dest;

        if (why)
                return why;
        *out = (struct elf_layout){ .entry = le(elf + 24, 8) };
        for (uint64_t i = 0; i < le(elf + 56, 2); i++) {
                const uint8_t *ph = elf + le(elf + 32, 8) + i * PHDR_SIZE;

                if (le(ph, 4) != PT_LOAD)
                        continue;
                why = plan_segment(ph, size, &next, dest + room, out);
                if (why)
                        return why;
        }
        out->end = next;
        if (out->count == 0)
                return "no loadable segments";
        return NULL;
}

void elf_load(const uint8_t *elf, const struct elf_layout *layout)
{
        for (unsigned i = 0; i < layout->count; i++) {
                const struct bootinfo_segment *s = &layout->segments[i];
                volatile uint64_t *words = (volatile uint64_t *)(uintptr_t)s->paddr;
                volatile uint8_t *bytes = (volatile uint8_t *)(uintptr_t)(s->paddr + layout->page_offset[i]);

                for (uint64_t w = 0; w < s->size / 8; w++)
                        words[w] = 0;
                for (uint64_t b = 0; b < layout->file_size[i]; b++)
                        bytes[b] = elf[layout->file_offset[i] + b];
        }
}
