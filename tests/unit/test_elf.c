/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests for elf_plan(): the real hello.elf the build makes is placed as
 * expected; every truncation and thousands of random corruptions are either
 * refused or planned inside the given room, and never read out of bounds
 * (the buffer is exactly the file's size, so ASan sees any overread).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "elf.h"

#define DEST 0x42400000ull
#define ROOM 0x01000000ull

static unsigned checks, failures;

static void check(int ok, const char *what)
{
        checks++;
        failures += !ok;
        printf("%sok %u - %s\n", ok ? "" : "not ", checks, what);
}

static uint8_t *read_file(const char *path, size_t *size)
{
        FILE *f = fopen(path, "rb");
        uint8_t *buf;

        if (!f || fseek(f, 0, SEEK_END) != 0)
                return NULL;
        *size = (size_t)ftell(f);
        rewind(f);
        buf = malloc(*size);
        if (!buf || fread(buf, 1, *size, f) != *size)
                return NULL;
        fclose(f);
        return buf;
}

/* A plan that was accepted keeps every segment page aligned and in the room. */
static int layout_sound(const struct elf_layout *l)
{
        for (unsigned i = 0; i < l->count; i++) {
                const struct bootinfo_segment *s = &l->segments[i];

                if ((s->vaddr | s->paddr | s->size) & 0xfff || s->paddr < DEST ||
                    s->paddr + s->size > DEST + ROOM || s->vaddr >= BOOTINFO_USER_VA_LIMIT)
                        return 0;
        }
        return l->end <= DEST + ROOM;
}

static void test_real_image(const uint8_t *elf, size_t size)
{
        struct elf_layout l;
        const char *why = elf_plan(elf, size, DEST, ROOM, &l);

        check(why == NULL, "hello.elf is accepted");
        check(l.count >= 1 && l.segments[0].vaddr == 0x400000 && l.segments[0].paddr == DEST,
              "its text lands at 0x400000, first in the room");
        check((l.segments[0].flags & BOOTINFO_SEG_EXECUTE) && !(l.segments[0].flags & BOOTINFO_SEG_WRITE),
              "text is executable and read-only");
        check(l.entry == 0x400000, "the entry point is _start");
        check(layout_sound(&l), "the layout is page aligned and inside the room");
        check(elf_plan(elf, size, DEST, 0x1000, &l) != NULL, "a room too small is refused");
}

static void test_truncations(const uint8_t *elf, size_t size)
{
        int all_refused = 1;

        for (size_t n = 0; n < size; n++) {
                uint8_t *cut = malloc(n ? n : 1);
                struct elf_layout l;

                memcpy(cut, elf, n);
                if (elf_plan(cut, n, DEST, ROOM, &l) == NULL && (n < 64 || !layout_sound(&l)))
                        all_refused = 0;
                free(cut);
        }
        check(all_refused, "every truncation is refused or planned soundly");
}

static void test_corruptions(const uint8_t *elf, size_t size)
{
        unsigned seed = 12345, sound = 1;

        for (int round = 0; round < 20000; round++) {
                uint8_t *copy = malloc(size);
                struct elf_layout l;

                memcpy(copy, elf, size);
                for (int k = 0; k < 1 + round % 6; k++) {
                        seed = seed * 1103515245u + 12345u;
                        copy[(seed >> 8) % (round % 3 ? 128 : size)] ^= (uint8_t)(seed >> 20);
                }
                if (elf_plan(copy, size, DEST, ROOM, &l) == NULL && !layout_sound(&l))
                        sound = 0;
                free(copy);
        }
        check(sound, "20000 corrupted images are refused or planned soundly");
}

int main(int argc, char **argv)
{
        size_t size = 0;
        uint8_t *elf = argc == 2 ? read_file(argv[1], &size) : NULL;

        if (!elf) {
                printf("1..1\nnot ok 1 - cannot read the ELF given on the command line\n");
                return 1;
        }
        test_real_image(elf, size);
        test_truncations(elf, size);
        test_corruptions(elf, size);
        printf("1..%u\n", checks);
        free(elf);
        return failures ? 1 : 0;
}
