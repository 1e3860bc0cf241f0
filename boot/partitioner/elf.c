/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ELF64 placement for root images. The checks are the user runtime's
 * (lib/tessera/elf.c: header, program-header bounds, each segment's file
 * and memory extents, W^X, no shared pages, an executable entry), so a
 * program the partitioner starts and one spawn loads pass the same rules.
 * Here the checked segments land one after another, page aligned, from dest.
 */
#include <stdbool.h>
#include <stddef.h>
#include <tessera/elf.h>
#include "elf.h"

#define PAGE TESSERA_ELF_PAGE

static uint64_t page_down(uint64_t v) { return v & ~(PAGE - 1); }
static uint64_t page_up(uint64_t v) { return (v + PAGE - 1) & ~(PAGE - 1); }

static uint32_t segment_flags(uint32_t pf)
{
        return ((pf & TESSERA_ELF_R) ? BOOTINFO_SEG_READ : 0) |
               ((pf & TESSERA_ELF_W) ? BOOTINFO_SEG_WRITE : 0) |
               ((pf & TESSERA_ELF_X) ? BOOTINFO_SEG_EXECUTE : 0);
}

/* One checked segment, placed after what came before. */
static const char *plan_segment(const struct tessera_elf_segment *s, uint64_t *next, uint64_t limit,
                                struct elf_layout *out)
{
        unsigned i = out->count;
        uint64_t span = page_up(s->vaddr + s->memsz) - page_down(s->vaddr);

        if (span > limit - *next)
                return "the image does not fit in the core's user memory";
        out->segments[i] = (struct bootinfo_segment){ page_down(s->vaddr), *next, span,
                                                      segment_flags(s->flags), 0 };
        out->file_offset[i] = s->offset;
        out->file_size[i] = s->filesz;
        out->page_offset[i] = s->vaddr - page_down(s->vaddr);
        out->count++;
        *next += span;
        return NULL;
}

const char *elf_plan(const uint8_t *elf, uint64_t size, uint64_t dest, uint64_t room,
                     struct elf_layout *out)
{
        struct tessera_elf_image img;
        int err = tessera_elf_parse(elf, (size_t)size, BOOTINFO_USER_VA_LIMIT, &img);
        uint64_t next = dest;

        if (err)
                return tessera_elf_strerror(err);
        if (img.count > BOOTINFO_MAX_SEGMENTS)
                return "too many loadable segments for the boot info";
        *out = (struct elf_layout){ .entry = img.entry };
        for (unsigned i = 0; i < img.count; i++) {
                const char *why = plan_segment(&img.segments[i], &next, dest + room, out);

                if (why)
                        return why;
        }
        out->end = next;
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
