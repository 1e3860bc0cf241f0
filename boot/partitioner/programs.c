/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The user programs this partitioner carries, by the names a spec uses. Each
 * is an ELF embedded by objcopy (see meson.build); a core's root task is the
 * first program its spec node lists.
 */
#include <kernel/string.h>
#include "partitioner.h"

/* Every embedded program, one line each: its name is also its ELF's file name. */
#define PROGRAMS(X) \
        X(hello) \
        X(pingpong) \
        X(kvserver) \
        X(kvclient) \
        X(ipcbench) \
        X(fault) \
        X(badsys) \
        X(captests) \
        X(tcbtests) \
        X(irqtests) \
        X(vmtests) \
        X(spawntests) \
        X(ipctests) \
        X(ipcstress) \
        X(ipcperf) \
        X(badargs) \
        X(fputests) \
        X(ipitests) \
        X(chantests) \
        X(consoletests) \
        X(markers)

#define DECLARE(sym) \
        extern const uint8_t _binary_examples_##sym##_elf_start[], _binary_examples_##sym##_elf_end[];
#define ENTRY(sym) { #sym, _binary_examples_##sym##_elf_start, _binary_examples_##sym##_elf_end },
#define NAME(sym) #sym,

PROGRAMS(DECLARE)

static const struct program programs[] = { PROGRAMS(ENTRY) };
static const char *const program_names[] = { PROGRAMS(NAME) };

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
