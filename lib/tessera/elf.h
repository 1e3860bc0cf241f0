/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ELF64 images for user space: tessera_elf_parse() checks an AArch64 ET_EXEC
 * image held in memory and describes its loadable segments, so a loader
 * (spawn.c) only copies bytes that are known to be inside the image into
 * pages that are known to be inside the address space. Pure code: it only
 * reads the bytes it is given, never past `size`, and builds for the host
 * too (tests/unit/test_user_elf.c).
 */
#ifndef LIB_TESSERA_ELF_H
#define LIB_TESSERA_ELF_H

#include <stddef.h>
#include <stdint.h>

#define TESSERA_ELF_MAX_SEGMENTS 8
#define TESSERA_ELF_PAGE         0x1000ull
#define TESSERA_ELF_VA_LIMIT     (1ull << 48)   /* user addresses are 48 bits */

/* Segment permissions (the ELF p_flags bits). */
#define TESSERA_ELF_X 1u
#define TESSERA_ELF_W 2u
#define TESSERA_ELF_R 4u

/* Why an image is refused; tessera_elf_strerror() says it in words. The
 * header is checked first, then the program header table, then each PT_LOAD
 * entry in table order (file, range, alignment, rights, count, overlap with
 * the ones before it), then the whole; the first failure is the answer. */
enum tessera_elf_error {
        TESSERA_ELF_OK = 0,
        TESSERA_ELF_ERR_TRUNCATED,      /* shorter than an ELF header */
        TESSERA_ELF_ERR_MAGIC,          /* no \177ELF */
        TESSERA_ELF_ERR_CLASS,          /* not ELF64, little-endian, version 1 */
        TESSERA_ELF_ERR_TYPE,           /* not ET_EXEC */
        TESSERA_ELF_ERR_MACHINE,        /* not EM_AARCH64 */
        TESSERA_ELF_ERR_PHDR_FORMAT,    /* no program headers, or not 56 bytes each */
        TESSERA_ELF_ERR_PHDR_BOUNDS,    /* the program header table leaves the file */
        TESSERA_ELF_ERR_SEGMENT_FILE,   /* file bytes leave the file, or exceed memsz */
        TESSERA_ELF_ERR_SEGMENT_RANGE,  /* memory reaches the address limit, or wraps */
        TESSERA_ELF_ERR_SEGMENT_ALIGN,  /* vaddr and offset differ modulo the page */
        TESSERA_ELF_ERR_SEGMENT_WX,     /* writable and executable */
        TESSERA_ELF_ERR_TOO_MANY,       /* more than TESSERA_ELF_MAX_SEGMENTS loadable */
        TESSERA_ELF_ERR_OVERLAP,        /* two segments share a page */
        TESSERA_ELF_ERR_NO_SEGMENTS,    /* nothing to load */
        TESSERA_ELF_ERR_ENTRY,          /* the entry point is not in an executable segment */
        TESSERA_ELF_ERR_COUNT
};

/* One loadable segment: memory [vaddr, vaddr + memsz), whose first filesz
 * bytes are the image's bytes [offset, offset + filesz) and the rest zero. */
struct tessera_elf_segment {
        uint64_t vaddr, memsz;
        uint64_t offset, filesz;
        uint32_t flags;                 /* TESSERA_ELF_R / _W / _X */
};

struct tessera_elf_image {
        uint64_t entry;
        unsigned count;
        struct tessera_elf_segment segments[TESSERA_ELF_MAX_SEGMENTS];
};

/*
 * Checks `size` bytes at `elf` (any alignment) and fills `out`. Every
 * segment, rounded out to whole pages, lies below va_limit (at most
 * TESSERA_ELF_VA_LIMIT; a smaller one keeps room for a stack), and no two
 * share a page, so each page can be one frame with its segment's rights.
 * PT_LOAD entries with memsz 0 are skipped. Returns an enum tessera_elf_error;
 * `out` is meaningful only on TESSERA_ELF_OK.
 */
int tessera_elf_parse(const void *elf, size_t size, uint64_t va_limit,
                      struct tessera_elf_image *out);

/* The refusal in words ("the program header table leaves the file"). */
const char *tessera_elf_strerror(int error);

/* The segment's page-rounded span [*start, *end). */
void tessera_elf_segment_pages(const struct tessera_elf_segment *s, uint64_t *start, uint64_t *end);

#endif
