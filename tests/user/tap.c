/* SPDX-License-Identifier: BSD-2-Clause */
/* TAP result lines for the EL0 test programs (tap.h). */
#include <tessera/syscall.h>
#include "tap.h"

static unsigned checks, failures;

void expect(const char *what, int64_t got, int64_t want)
{
        checks++;
        if (got != want)
                failures++;
        tessera_printf("%sok %u - %s (got %lld%s)\n", got == want ? "" : "not ", checks, what,
                       (long long)got, got == want ? "" : ", unexpected");
}

void expect_true(const char *what, int cond)
{
        expect(what, cond ? 1 : 0, 1);
}

unsigned tap_next(void)
{
        return ++checks;
}

unsigned tap_checks(void)
{
        return checks;
}

unsigned tap_failures(void)
{
        return failures;
}
