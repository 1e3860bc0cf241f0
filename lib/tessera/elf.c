/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ELF64 parsing for user-space loaders (elf.h). Every field is read byte-wise
 * (an embedded image may sit at any alignment) and only after the bytes it
 * lives in are known to be inside the image; every sum of two file or memory
 * quantities is checked against its limit by subtraction, so nothing wraps.
 */
#include "elf.h"

#define ELF_HEADER_SIZE     64
#define ELF_PHDR_SIZE       56
#define ELF_CLASS64         2
#define ELF_DATA_LSB        1
#define ELF_VERSION         1
#define ELF_TYPE_EXEC       2
#define ELF_MACHINE_AARCH64 183
#define ELF_PT_LOAD         1

/* Header field offsets (ELF64). */
#define EH_TYPE      16
#define EH_MACHINE   18
#define EH_ENTRY     24
#define EH_PHOFF     32
#define EH_PHENTSIZE 54
#define EH_PHNUM     56

/* Program header field offsets. */
#define PH_TYPE   0
#define PH_FLAGS  4
#define PH_OFFSET 8
#define PH_VADDR  16
#define PH_FILESZ 32
#define PH_MEMSZ  40

static uint64_t read_le(const uint8_t *p, unsigned bytes)
{
        uint64_t v = 0;

        while (bytes--)
                v = v << 8 | p[bytes];
        return v;
}

static uint64_t page_down(uint64_t v) { return v & ~(TESSERA_ELF_PAGE - 1); }
static uint64_t page_up(uint64_t v) { return page_down(v + TESSERA_ELF_PAGE - 1); }

void tessera_elf_segment_pages(const struct tessera_elf_segment *s, uint64_t *start, uint64_t *end)
{
        *start = page_down(s->vaddr);
        *end = page_up(s->vaddr + s->memsz);
}

static int check_header(const uint8_t *e, size_t size)
{
        if (size < ELF_HEADER_SIZE)
                return TESSERA_ELF_ERR_TRUNCATED;
        if (e[0] != 0x7f || e[1] != 'E' || e[2] != 'L' || e[3] != 'F')
                return TESSERA_ELF_ERR_MAGIC;
        if (e[4] != ELF_CLASS64 || e[5] != ELF_DATA_LSB || e[6] != ELF_VERSION)
                return TESSERA_ELF_ERR_CLASS;
        if (read_le(e + EH_TYPE, 2) != ELF_TYPE_EXEC)
                return TESSERA_ELF_ERR_TYPE;
        if (read_le(e + EH_MACHINE, 2) != ELF_MACHINE_AARCH64)
                return TESSERA_ELF_ERR_MACHINE;
        if (read_le(e + EH_PHENTSIZE, 2) != ELF_PHDR_SIZE || read_le(e + EH_PHNUM, 2) == 0)
                return TESSERA_ELF_ERR_PHDR_FORMAT;
        /* phnum < 2^16, so the table's size cannot wrap. */
        if (read_le(e + EH_PHOFF, 8) > size ||
            read_le(e + EH_PHNUM, 2) * ELF_PHDR_SIZE > size - read_le(e + EH_PHOFF, 8))
                return TESSERA_ELF_ERR_PHDR_BOUNDS;
        return TESSERA_ELF_OK;
}

/* One PT_LOAD entry's extents, on their own. */
static int check_segment(const struct tessera_elf_segment *s, size_t size, uint64_t limit)
{
        if (s->filesz > s->memsz || s->offset > size || s->filesz > size - s->offset)
                return TESSERA_ELF_ERR_SEGMENT_FILE;
        if (s->memsz == 0)
                return TESSERA_ELF_OK;  /* an empty segment loads nothing */
        if (s->vaddr >= limit || s->memsz > limit - s->vaddr)
                return TESSERA_ELF_ERR_SEGMENT_RANGE;
        if ((s->vaddr ^ s->offset) & (TESSERA_ELF_PAGE - 1))
                return TESSERA_ELF_ERR_SEGMENT_ALIGN;
        if ((s->flags & TESSERA_ELF_W) && (s->flags & TESSERA_ELF_X))
                return TESSERA_ELF_ERR_SEGMENT_WX;
        return TESSERA_ELF_OK;
}

static int pages_overlap(const struct tessera_elf_segment *a, const struct tessera_elf_segment *b)
{
        uint64_t a_start, a_end, b_start, b_end;

        tessera_elf_segment_pages(a, &a_start, &a_end);
        tessera_elf_segment_pages(b, &b_start, &b_end);
        return a_start < b_end && b_start < a_end;
}

static int add_segment(const uint8_t *ph, size_t size, uint64_t limit, struct tessera_elf_image *out)
{
        struct tessera_elf_segment s = {
                .vaddr = read_le(ph + PH_VADDR, 8), .memsz = read_le(ph + PH_MEMSZ, 8),
                .offset = read_le(ph + PH_OFFSET, 8), .filesz = read_le(ph + PH_FILESZ, 8),
                .flags = (uint32_t)read_le(ph + PH_FLAGS, 4) &
                         (TESSERA_ELF_R | TESSERA_ELF_W | TESSERA_ELF_X),
        };
        int err = check_segment(&s, size, limit);

        if (err || s.memsz == 0)
                return err;
        if (out->count == TESSERA_ELF_MAX_SEGMENTS)
                return TESSERA_ELF_ERR_TOO_MANY;
        for (unsigned i = 0; i < out->count; i++)
                if (pages_overlap(&s, &out->segments[i]))
                        return TESSERA_ELF_ERR_OVERLAP;
        out->segments[out->count++] = s;
        return TESSERA_ELF_OK;
}

static int entry_is_executable(const struct tessera_elf_image *img)
{
        for (unsigned i = 0; i < img->count; i++) {
                const struct tessera_elf_segment *s = &img->segments[i];

                if ((s->flags & TESSERA_ELF_X) && img->entry >= s->vaddr &&
                    img->entry - s->vaddr < s->memsz)
                        return 1;
        }
        return 0;
}

int tessera_elf_parse(const void *elf, size_t size, uint64_t va_limit,
                      struct tessera_elf_image *out)
{
        const uint8_t *e = elf;
        uint64_t limit = page_down(va_limit < TESSERA_ELF_VA_LIMIT ? va_limit : TESSERA_ELF_VA_LIMIT);
        int err = check_header(e, size);

        if (err)
                return err;
        *out = (struct tessera_elf_image){ .entry = read_le(e + EH_ENTRY, 8) };
        for (uint64_t i = 0; i < read_le(e + EH_PHNUM, 2); i++) {
                const uint8_t *ph = e + read_le(e + EH_PHOFF, 8) + i * ELF_PHDR_SIZE;

                if (read_le(ph + PH_TYPE, 4) != ELF_PT_LOAD)
                        continue;
                err = add_segment(ph, size, limit, out);
                if (err)
                        return err;
        }
        if (out->count == 0)
                return TESSERA_ELF_ERR_NO_SEGMENTS;
        if (!entry_is_executable(out))
                return TESSERA_ELF_ERR_ENTRY;
        return TESSERA_ELF_OK;
}

static const char *const elf_errors[TESSERA_ELF_ERR_COUNT] = {
        [TESSERA_ELF_OK] = "no error",
        [TESSERA_ELF_ERR_TRUNCATED] = "shorter than an ELF header",
        [TESSERA_ELF_ERR_MAGIC] = "not an ELF file",
        [TESSERA_ELF_ERR_CLASS] = "not a 64-bit little-endian ELF of version 1",
        [TESSERA_ELF_ERR_TYPE] = "not an executable (ET_EXEC)",
        [TESSERA_ELF_ERR_MACHINE] = "not for AArch64",
        [TESSERA_ELF_ERR_PHDR_FORMAT] = "program headers missing or of an unknown size",
        [TESSERA_ELF_ERR_PHDR_BOUNDS] = "the program header table leaves the file",
        [TESSERA_ELF_ERR_SEGMENT_FILE] =
                "a segment's file bytes leave the file or exceed its memory size",
        [TESSERA_ELF_ERR_SEGMENT_RANGE] = "a segment lies outside the user address range",
        [TESSERA_ELF_ERR_SEGMENT_ALIGN] = "a segment's address and file offset differ within the page",
        [TESSERA_ELF_ERR_SEGMENT_WX] = "a segment is both writable and executable",
        [TESSERA_ELF_ERR_TOO_MANY] = "too many loadable segments",
        [TESSERA_ELF_ERR_OVERLAP] = "two segments share a page",
        [TESSERA_ELF_ERR_NO_SEGMENTS] = "no loadable segments",
        [TESSERA_ELF_ERR_ENTRY] = "the entry point is not in an executable segment",
};

const char *tessera_elf_strerror(int error)
{
        if (error < 0 || error >= TESSERA_ELF_ERR_COUNT)
                return "unknown ELF error";
        return elf_errors[error];
}
