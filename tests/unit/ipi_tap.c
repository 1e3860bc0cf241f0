/* SPDX-License-Identifier: BSD-2-Clause */
/* TAP output for the channel library's host tests (ipi_tap.h). */
#include <stdarg.h>
#include <stdio.h>
#include "ipi_tap.h"

static unsigned checks, failures;

void check(int ok, const char *fmt, ...)
{
        va_list ap;

        checks++;
        failures += !ok;
        printf("%sok %u - ", ok ? "" : "not ", checks);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
        fflush(stdout);
}

int tap_finish(void)
{
        printf("1..%u\n", checks);
        return failures ? 1 : 0;
}

const char *kind_name(enum ipi_ring_kind kind)
{
        return kind == IPI_RING_SLOTS ? "slots" : "bytes";
}
