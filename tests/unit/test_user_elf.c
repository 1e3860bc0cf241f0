/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests for tessera_elf_parse() (lib/tessera/elf.c), the check spawn
 * runs on an image before loading it: the real user ELFs the build makes are
 * accepted as linked; every truncation is refused with the error a simple
 * model predicts; one corrupted field per error is refused with that error;
 * and thousands of random corruptions are refused or described soundly.
 * Every image sits in a heap buffer of exactly its size, so ASan reports
 * any read past it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/elf.h>

#define PHDR 56
#define LIMIT TESSERA_ELF_VA_LIMIT

static unsigned checks, failures;

static void check(int ok, const char *what)
{
        checks++;
        failures += !ok;
        printf("%sok %u - %s\n", ok ? "" : "not ", checks, what);
}

static void expect_error(int got, int want, const char *what)
{
        char line[200];

        if (got == want)
                snprintf(line, sizeof(line), "%s: %s", what, tessera_elf_strerror(want));
        else
                snprintf(line, sizeof(line), "%s: %s (got: %s)", what, tessera_elf_strerror(want),
                         tessera_elf_strerror(got));
        check(got == want, line);
}

static uint8_t *read_file(const char *path, size_t *size)
{
        FILE *f = fopen(path, "rb");
        uint8_t *buf = NULL;

        if (!f)
                return NULL;
        if (fseek(f, 0, SEEK_END) == 0 && ftell(f) > 0) {
                *size = (size_t)ftell(f);
                rewind(f);
                buf = malloc(*size);
                if (buf && fread(buf, 1, *size, f) != *size) {
                        free(buf);
                        buf = NULL;
                }
        }
        fclose(f);
        return buf;
}

static uint64_t get(const uint8_t *p, unsigned bytes)
{
        uint64_t v = 0;

        while (bytes--)
                v = v << 8 | p[bytes];
        return v;
}

static void put(uint8_t *p, unsigned bytes, uint64_t v)
{
        for (unsigned i = 0; i < bytes; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

/* Parse a private copy of exactly `size` bytes, so ASan sees any overread. */
static int parse_copy(const uint8_t *elf, size_t size, uint64_t limit, struct tessera_elf_image *out)
{
        uint8_t *copy = malloc(size ? size : 1);
        int err;

        memcpy(copy, elf, size);
        err = tessera_elf_parse(copy, size, limit, out);
        free(copy);
        return err;
}

/* ---- what an accepted image must satisfy ------------------------------ */

static int segment_sound(const struct tessera_elf_segment *s, size_t size, uint64_t limit)
{
        uint64_t start, end;

        tessera_elf_segment_pages(s, &start, &end);
        return s->memsz > 0 && s->filesz <= s->memsz && s->offset <= size &&
               s->filesz <= size - s->offset && s->vaddr < limit && end <= limit && start < end &&
               !((s->flags & TESSERA_ELF_W) && (s->flags & TESSERA_ELF_X));
}

static int image_sound(const struct tessera_elf_image *img, size_t size, uint64_t limit)
{
        int entry_ok = 0;

        if (img->count == 0 || img->count > TESSERA_ELF_MAX_SEGMENTS)
                return 0;
        for (unsigned i = 0; i < img->count; i++) {
                const struct tessera_elf_segment *s = &img->segments[i];
                uint64_t a0, a1;

                if (!segment_sound(s, size, limit))
                        return 0;
                tessera_elf_segment_pages(s, &a0, &a1);
                for (unsigned j = 0; j < i; j++) {
                        uint64_t b0, b1;

                        tessera_elf_segment_pages(&img->segments[j], &b0, &b1);
                        if (a0 < b1 && b0 < a1)
                                return 0;
                }
                if ((s->flags & TESSERA_ELF_X) && img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
                        entry_ok = 1;
        }
        return entry_ok;
}

/* ---- the real image ---------------------------------------------------- */

static void test_real_image(const char *name, const uint8_t *elf, size_t size)
{
        struct tessera_elf_image img;
        char line[160];
        int err = parse_copy(elf, size, LIMIT, &img);

        snprintf(line, sizeof(line), "%s is accepted", name);
        expect_error(err, TESSERA_ELF_OK, line);
        snprintf(line, sizeof(line), "%s: text first at 0x400000, read + execute, entry in it", name);
        check(!err && img.count >= 2 && img.segments[0].vaddr == 0x400000 &&
              img.segments[0].flags == (TESSERA_ELF_R | TESSERA_ELF_X) && img.entry == 0x400000, line);
        snprintf(line, sizeof(line), "%s: a writable segment that is not executable", name);
        check(!err && (img.segments[img.count - 1].flags & TESSERA_ELF_W) &&
              !(img.segments[img.count - 1].flags & TESSERA_ELF_X), line);
        snprintf(line, sizeof(line), "%s: the description is sound", name);
        check(!err && image_sound(&img, size, LIMIT), line);
        snprintf(line, sizeof(line), "%s below a limit inside its text", name);
        expect_error(parse_copy(elf, size, 0x401000, &img), TESSERA_ELF_ERR_SEGMENT_RANGE, line);
}

/* What a prefix of n bytes of a valid image must give: the model of the
 * checks' order that the parser documents. */
static int truncation_model(const uint8_t *elf, size_t n)
{
        uint64_t phoff = get(elf + 32, 8), phnum = get(elf + 56, 2);

        if (n < 64)
                return TESSERA_ELF_ERR_TRUNCATED;
        if (n < phoff + phnum * PHDR)
                return TESSERA_ELF_ERR_PHDR_BOUNDS;
        for (uint64_t i = 0; i < phnum; i++) {
                const uint8_t *ph = elf + phoff + i * PHDR;
                uint64_t end = get(ph + 8, 8) + get(ph + 32, 8);

                if (get(ph, 4) == 1 && n < end)
                        return TESSERA_ELF_ERR_SEGMENT_FILE;
        }
        return TESSERA_ELF_OK;
}

static uint64_t load_end(const uint8_t *elf)
{
        uint64_t phoff = get(elf + 32, 8), phnum = get(elf + 56, 2), end = phoff + phnum * PHDR;

        for (uint64_t i = 0; i < phnum; i++) {
                const uint8_t *ph = elf + phoff + i * PHDR;

                if (get(ph, 4) == 1 && get(ph + 8, 8) + get(ph + 32, 8) > end)
                        end = get(ph + 8, 8) + get(ph + 32, 8);
        }
        return end;
}

static void test_truncations(const uint8_t *elf, size_t size)
{
        struct tessera_elf_image img;
        size_t wrong = 0, first_wrong = 0;

        /* Every length up to a page past the last loaded byte, then a sample
         * of the rest (section headers and debug information nobody reads). */
        for (size_t n = 0; n < size; n += n < load_end(elf) + 0x1000 ? 1 : 997) {
                if (parse_copy(elf, n, LIMIT, &img) != truncation_model(elf, n) && !wrong++)
                        first_wrong = n;
        }
        if (wrong)
                printf("# %zu truncations disagree with the model, first at %zu bytes\n", wrong, first_wrong);
        check(wrong == 0, "each of the image's truncations is refused with the expected error");
}

/* ---- one corrupted field per error ------------------------------------- */

static uint8_t *phdr(uint8_t *e, unsigned i)
{
        return e + get(e + 32, 8) + (uint64_t)i * PHDR;
}

static unsigned phnum(const uint8_t *e)
{
        return (unsigned)get(e + 56, 2);
}

/* The real images have text, read-only data, then data (user.ld). */
#define TEXT(e) phdr(e, 0)
#define RODATA(e) phdr(e, 1)
#define DATA(e) phdr(e, phnum(e) - 1)

static void bad_magic(uint8_t *e, size_t n) { (void)n; e[1] = 'X'; }
static void class32(uint8_t *e, size_t n) { (void)n; e[4] = 1; }
static void big_endian(uint8_t *e, size_t n) { (void)n; e[5] = 2; }
static void version0(uint8_t *e, size_t n) { (void)n; e[6] = 0; }
static void shared_object(uint8_t *e, size_t n) { (void)n; put(e + 16, 2, 3); }
static void x86_64(uint8_t *e, size_t n) { (void)n; put(e + 18, 2, 62); }
static void phentsize32(uint8_t *e, size_t n) { (void)n; put(e + 54, 2, 32); }
static void no_phdrs(uint8_t *e, size_t n) { (void)n; put(e + 56, 2, 0); }
static void phoff_past_end(uint8_t *e, size_t n) { put(e + 32, 8, n - 8); }
static void phoff_wraps(uint8_t *e, size_t n) { (void)n; put(e + 32, 8, ~0ull - 7); }
static void phnum_max(uint8_t *e, size_t n) { (void)n; put(e + 56, 2, 0xffff); }
static void filesz_above_memsz(uint8_t *e, size_t n) { (void)n; put(TEXT(e) + 32, 8, get(TEXT(e) + 40, 8) + 1); }
static void offset_past_end(uint8_t *e, size_t n) { put(TEXT(e) + 8, 8, n + 0x1000); }
static void bytes_past_end(uint8_t *e, size_t n) { put(TEXT(e) + 8, 8, n - 0x10); }
static void file_extent_wraps(uint8_t *e, size_t n)
{
        put(TEXT(e) + 8, 8, n - 1);
        put(TEXT(e) + 32, 8, ~0ull);
        put(TEXT(e) + 40, 8, ~0ull);
}
static void vaddr_at_limit(uint8_t *e, size_t n) { (void)n; put(TEXT(e) + 16, 8, 1ull << 48); }
static void vaddr_top(uint8_t *e, size_t n) { (void)n; put(TEXT(e) + 16, 8, ~0xfffull); }
static void memsz_wraps(uint8_t *e, size_t n) { (void)n; put(TEXT(e) + 40, 8, ~0ull - 0xfff); }
static void crosses_limit(uint8_t *e, size_t n) { (void)n; put(TEXT(e) + 16, 8, (1ull << 48) - 0x1000); }
static void misaligned(uint8_t *e, size_t n) { (void)n; put(TEXT(e) + 16, 8, get(TEXT(e) + 16, 8) + 0x10); }
static void text_writable(uint8_t *e, size_t n) { (void)n; put(TEXT(e) + 4, 4, 7); }
static void data_on_text(uint8_t *e, size_t n)
{
        (void)n;
        put(DATA(e) + 16, 8, 0x400000 + (get(DATA(e) + 8, 8) & 0xfff));
}
static void no_loads(uint8_t *e, size_t n)
{
        (void)n;
        for (unsigned i = 0; i < phnum(e); i++)
                put(phdr(e, i), 4, 4);          /* PT_NOTE */
}
static void entry_nowhere(uint8_t *e, size_t n) { (void)n; put(e + 24, 8, 0x10); }
static void entry_in_rodata(uint8_t *e, size_t n) { (void)n; put(e + 24, 8, get(RODATA(e) + 16, 8)); }
static void text_not_executable(uint8_t *e, size_t n) { (void)n; put(TEXT(e) + 4, 4, 4); }

static const struct fixture {
        const char *what;
        void (*apply)(uint8_t *elf, size_t size);
        int want;
} fixtures[] = {
        { "bad magic", bad_magic, TESSERA_ELF_ERR_MAGIC },
        { "32-bit class", class32, TESSERA_ELF_ERR_CLASS },
        { "big-endian", big_endian, TESSERA_ELF_ERR_CLASS },
        { "ELF version 0", version0, TESSERA_ELF_ERR_CLASS },
        { "a shared object", shared_object, TESSERA_ELF_ERR_TYPE },
        { "an x86-64 executable", x86_64, TESSERA_ELF_ERR_MACHINE },
        { "32-byte program headers", phentsize32, TESSERA_ELF_ERR_PHDR_FORMAT },
        { "no program headers", no_phdrs, TESSERA_ELF_ERR_PHDR_FORMAT },
        { "program headers past the end", phoff_past_end, TESSERA_ELF_ERR_PHDR_BOUNDS },
        { "a program header offset that wraps", phoff_wraps, TESSERA_ELF_ERR_PHDR_BOUNDS },
        { "65535 program headers", phnum_max, TESSERA_ELF_ERR_PHDR_BOUNDS },
        { "file size above memory size", filesz_above_memsz, TESSERA_ELF_ERR_SEGMENT_FILE },
        { "a file offset past the end", offset_past_end, TESSERA_ELF_ERR_SEGMENT_FILE },
        { "file bytes running past the end", bytes_past_end, TESSERA_ELF_ERR_SEGMENT_FILE },
        { "a file extent that wraps", file_extent_wraps, TESSERA_ELF_ERR_SEGMENT_FILE },
        { "a segment at 2^48", vaddr_at_limit, TESSERA_ELF_ERR_SEGMENT_RANGE },
        { "a segment in the last page of 2^64", vaddr_top, TESSERA_ELF_ERR_SEGMENT_RANGE },
        { "a memory size that wraps", memsz_wraps, TESSERA_ELF_ERR_SEGMENT_RANGE },
        { "a segment across 2^48", crosses_limit, TESSERA_ELF_ERR_SEGMENT_RANGE },
        { "address and offset differ in the page", misaligned, TESSERA_ELF_ERR_SEGMENT_ALIGN },
        { "writable text", text_writable, TESSERA_ELF_ERR_SEGMENT_WX },
        { "data on the text's page", data_on_text, TESSERA_ELF_ERR_OVERLAP },
        { "no PT_LOAD entries", no_loads, TESSERA_ELF_ERR_NO_SEGMENTS },
        { "the entry outside every segment", entry_nowhere, TESSERA_ELF_ERR_ENTRY },
        { "the entry in read-only data", entry_in_rodata, TESSERA_ELF_ERR_ENTRY },
        { "text that is not executable", text_not_executable, TESSERA_ELF_ERR_ENTRY },
};

static void test_fixtures(const uint8_t *elf, size_t size)
{
        for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
                uint8_t *copy = malloc(size);
                struct tessera_elf_image img;

                memcpy(copy, elf, size);
                fixtures[i].apply(copy, size);
                expect_error(tessera_elf_parse(copy, size, LIMIT, &img), fixtures[i].want, fixtures[i].what);
                free(copy);
        }
}

/* ---- synthetic images: the segment count ------------------------------ */

/* `loads` PT_LOAD entries of one bss page each, the first executable; the
 * last one empty (memsz 0) at an address no check would pass, if asked. */
static uint8_t *synthetic(unsigned loads, int empty_last, size_t *size)
{
        uint8_t *e;

        *size = 64 + (size_t)loads * PHDR;
        e = calloc(1, *size);
        memcpy(e, "\177ELF\2\1\1", 7);
        put(e + 16, 2, 2);
        put(e + 18, 2, 183);
        put(e + 24, 8, 0x400000);
        put(e + 32, 8, 64);
        put(e + 54, 2, PHDR);
        put(e + 56, 2, loads);
        for (unsigned i = 0; i < loads; i++) {
                uint8_t *ph = e + 64 + (size_t)i * PHDR;

                put(ph, 4, 1);
                put(ph + 4, 4, i == 0 ? 5 : 6);
                put(ph + 16, 8, 0x400000 + 0x1000ull * i);
                put(ph + 40, 8, 0x1000);
        }
        if (empty_last) {
                put(e + 64 + (size_t)(loads - 1) * PHDR + 16, 8, ~0xfffull);
                put(e + 64 + (size_t)(loads - 1) * PHDR + 40, 8, 0);
        }
        return e;
}

static void test_segment_count(void)
{
        struct tessera_elf_image img;
        size_t size;
        uint8_t *e = synthetic(TESSERA_ELF_MAX_SEGMENTS, 0, &size);

        expect_error(tessera_elf_parse(e, size, LIMIT, &img), TESSERA_ELF_OK, "eight bss segments");
        check(img.count == TESSERA_ELF_MAX_SEGMENTS && img.segments[7].filesz == 0,
              "each is described, with no file bytes");
        free(e);
        e = synthetic(TESSERA_ELF_MAX_SEGMENTS + 1, 0, &size);
        expect_error(tessera_elf_parse(e, size, LIMIT, &img), TESSERA_ELF_ERR_TOO_MANY, "nine segments");
        free(e);
        e = synthetic(TESSERA_ELF_MAX_SEGMENTS + 1, 1, &size);
        expect_error(tessera_elf_parse(e, size, LIMIT, &img), TESSERA_ELF_OK,
                     "nine entries, the last empty and out of range: skipped");
        check(img.count == TESSERA_ELF_MAX_SEGMENTS, "the empty one is not described");
        free(e);
}

/* ---- fuzzing ----------------------------------------------------------- */

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
        rng_state = rng_state * 1103515245u + 12345u;
        return rng_state >> 8;
}

/* Random byte changes, mostly in the header and program headers. */
static void test_corruptions(const uint8_t *elf, size_t size)
{
        size_t table_end = (size_t)(get(elf + 32, 8) + phnum(elf) * PHDR);
        unsigned sound = 1, refused = 0, in_enum = 1;

        for (int round = 0; round < 20000; round++) {
                uint8_t *copy = malloc(size);
                struct tessera_elf_image img;
                int err;

                memcpy(copy, elf, size);
                for (int k = 0; k < 1 + round % 4; k++) {
                        size_t at = rng() % (round % 5 ? table_end : size);

                        copy[at] = round % 2 ? (uint8_t)rng() : copy[at] ^ (uint8_t)(1u << (rng() % 8));
                }
                err = tessera_elf_parse(copy, size, LIMIT, &img);
                in_enum &= err >= 0 && err < TESSERA_ELF_ERR_COUNT;
                if (err == TESSERA_ELF_OK)
                        sound &= image_sound(&img, size, LIMIT);
                refused += err != TESSERA_ELF_OK;
                free(copy);
        }
        printf("# %u of 20000 corrupted images refused\n", refused);
        check(in_enum, "every corrupted image gets an error from the enum");
        check(sound, "every accepted corrupted image is described soundly");
        check(refused > 1000, "corruption is noticed");
}

/* Random bytes of random sizes, half behind a valid header and program headers. */
static void test_random_buffers(const uint8_t *elf, size_t size)
{
        size_t table_end = (size_t)(get(elf + 32, 8) + phnum(elf) * PHDR);
        unsigned sound = 1;

        for (int round = 0; round < 20000; round++) {
                size_t n = rng() % (2 * table_end + 1);
                uint64_t limit = 0x10000000 + (rng() % 4) * 0x1000000000ull;
                uint8_t *buf = malloc(n ? n : 1);
                struct tessera_elf_image img;

                for (size_t i = 0; i < n; i++)
                        buf[i] = (round % 2 && i < table_end && i < size) ? elf[i] : (uint8_t)rng();
                if (tessera_elf_parse(buf, n, limit, &img) == TESSERA_ELF_OK)
                        sound &= image_sound(&img, n, limit);
                free(buf);
        }
        check(sound, "random buffers are refused or described soundly");
}

static void test_strerror(void)
{
        int distinct = 1;

        for (int i = 0; i < TESSERA_ELF_ERR_COUNT; i++)
                for (int j = 0; j < i; j++)
                        distinct &= strcmp(tessera_elf_strerror(i), tessera_elf_strerror(j)) != 0;
        check(distinct, "every error has its own words");
        check(strcmp(tessera_elf_strerror(TESSERA_ELF_ERR_COUNT), "unknown ELF error") == 0 &&
              strcmp(tessera_elf_strerror(-1), "unknown ELF error") == 0, "and out of range, a fallback");
}

static const char *base_name(const char *path)
{
        const char *slash = strrchr(path, '/');

        return slash ? slash + 1 : path;
}

/* argv: user ELFs; all are checked as they are, the first also broken. */
int main(int argc, char **argv)
{
        size_t size = 0;
        uint8_t *elf = NULL;

        for (int i = argc - 1; i >= 1; i--) {
                free(elf);
                elf = read_file(argv[i], &size);
                if (!elf) {
                        printf("1..1\nnot ok 1 - cannot read %s\n", argv[i]);
                        return 1;
                }
                test_real_image(base_name(argv[i]), elf, size);
        }
        if (!elf) {
                printf("1..1\nnot ok 1 - give the user ELFs to check on the command line\n");
                return 1;
        }
        test_truncations(elf, size);
        test_fixtures(elf, size);
        test_segment_count();
        test_corruptions(elf, size);
        test_random_buffers(elf, size);
        test_strerror();
        printf("1..%u\n", checks);
        free(elf);
        return failures ? 1 : 0;
}
