/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What spawntests (the parent) and child (the program it spawns) agree on:
 * the child's argument word and the page they share, where each child
 * reports in its own record. Fields are volatile: the other side polls them.
 */
#ifndef TESTS_USER_SPAWN_CHILD_H
#define TESTS_USER_SPAWN_CHILD_H

#include <stdint.h>

#define CHILD_SHARED_VADDR 0x10000000ull        /* in the parent and in every child */
#define CHILD_MAX          4
#define CHILD_MARKER(id)   (0xc0de0000ull + (id))
#define CHILD_DATA_INIT    0x5a5a5a5a5a5a5a5aull  /* the child's initialised global */

/* x0 at entry: what to do, and which record is the child's. */
enum child_mode {
        CHILD_ISOLATION = 1,    /* write a marker, wait for "go", read it back */
        CHILD_FAULT = 2,        /* read an unmapped address */
};
#define CHILD_ARG(mode, id)  ((uint64_t)(mode) << 8 | (id))
#define CHILD_ARG_MODE(arg)  ((unsigned)((arg) >> 8))
#define CHILD_ARG_ID(arg)    ((unsigned)((arg) & 0xff))

enum child_state {
        CHILD_NOT_STARTED = 0,
        CHILD_WROTE = 1,        /* the marker is written: waiting for go */
        CHILD_DONE = 2,         /* seen and the checks are filled in */
        CHILD_FAULTING = 3,     /* the next instruction faults */
};

struct child_record {
        volatile uint64_t state;
        volatile uint64_t marker_vaddr;         /* where its marker lives */
        volatile uint64_t seen;                 /* the marker read back after go */
        volatile uint64_t image_ok;             /* .data as linked, .bss zero */
        volatile int64_t cap_status;            /* its own CNode / TCB / VSpace slots work */
        volatile uint64_t arg;                  /* x0 as received */
};

struct child_page {
        volatile uint64_t go;
        struct child_record child[CHILD_MAX];
};

#endif
