/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The user programs this partitioner carries, by the names a spec uses. Each
 * is an ELF embedded by objcopy (see meson.build); a core's root task is the
 * first program its spec node lists.
 */
#include <kernel/string.h>
#include "partitioner.h"

#define PROGRAM(name, sym) \
        extern const uint8_t _binary_examples_##sym##_elf_start[], _binary_examples_##sym##_elf_end[];
PROGRAM("hello", hello)
PROGRAM("fault", fault)
PROGRAM("badsys", badsys)
PROGRAM("captests", captests)
#undef PROGRAM

static const struct program programs[] = {
        { "hello", _binary_examples_hello_elf_start, _binary_examples_hello_elf_end },
        { "fault", _binary_examples_fault_elf_start, _binary_examples_fault_elf_end },
        { "badsys", _binary_examples_badsys_elf_start, _binary_examples_badsys_elf_end },
        { "captests", _binary_examples_captests_elf_start, _binary_examples_captests_elf_end },
};

static const char *const program_names[] = { "hello", "fault", "badsys", "captests" };

_Static_assert(sizeof(programs) / sizeof(programs[0]) ==
               sizeof(program_names) / sizeof(program_names[0]), "one name per program");

const struct program *program_find(const char *name)
{
        for (unsigned i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
                if (kstrcmp(programs[i].name, name) == 0)
                        return &programs[i];
        return NULL;
}

const char *const *program_list(unsigned *count)
{
        *count = sizeof(program_names) / sizeof(program_names[0]);
        return program_names;
}
