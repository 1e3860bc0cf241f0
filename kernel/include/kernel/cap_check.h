/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Debug invariant checker for the capability core: walks every CNode
 * reachable from a root cap, through slots or through the derivation tree
 * (and the CNodes of zombies on the reaper), and checks the invariants
 * stated in cdt.h, untyped.h and cdt_delete.c.
 * Costs up to O(n^2) in the number of caps: for tests and debug builds.
 */
#ifndef KERNEL_CAP_CHECK_H
#define KERNEL_CAP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <kernel/cap.h>

struct cap_check {
        const struct cap **nodes;       /* caller's scratch: the CNodes walked */
        size_t capacity;                /* entries in nodes */
        bool strict;                    /* every tree link must lead into a walked CNode;
                                           off when caps live outside CNodes (e.g. in TCBs) */
        bool scan_free;                 /* normal memory above each free index must be zero */
        struct cte **live;              /* optional scratch: the live caps (faster pair checks) */
        size_t live_capacity;           /* entries in live; too few falls back to the slow walk */
        /* Optional: the objects' own invariants, asked of every cap walked
         * (NULL, or what is wrong with the object it names). */
        const char *(*visit)(const struct cap *c);
        size_t count;                   /* out: CNodes walked */
        size_t caps;                    /* out: caps seen */
        char message[192];              /* out: the first violation */
};

/* NULL when every invariant holds, else a description of the first broken one. */
const char *cap_check(const struct cap *root, struct cap_check *ck);

#endif
