/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot options: space-separated `tessera.KEY=VALUE` words from the command line
 * (the device tree's /chosen/bootargs, or the boot info). Unknown words are
 * ignored, since the line may be shared with other software.
 */
#include <kernel/core.h>
#include <kernel/printk.h>
#include <kernel/string.h>

#define DEFAULT_RUN_TICKS 10

static bool word_is(const char *w, size_t len, const char *key, const char **value)
{
        size_t klen = kstrlen(key);

        if (len <= klen || kstrncmp(w, key, klen) != 0 || w[klen] != '=')
                return false;
        *value = w + klen + 1;
        return true;
}

static void apply_word(const char *w, size_t len, struct boot_options *opts)
{
        const char *v;
        uint64_t n;

        if (word_is(w, len, "tessera.test", &v)) {
                size_t vlen = len - (size_t)(v - w);

                if (vlen < sizeof(opts->test)) {
                        memcpy(opts->test, v, vlen);
                        opts->test[vlen] = '\0';
                }
        } else if (word_is(w, len, "tessera.fatal", &v)) {
                opts->fatal = (len - (size_t)(v - w) == 4 && kstrncmp(v, "exit", 4) == 0)
                                      ? FATAL_EXIT_SYSTEM : FATAL_STOP_CORE;
        } else if (word_is(w, len, "tessera.fastpath", &v)) {
                opts->fastpath = !(len - (size_t)(v - w) == 3 && kstrncmp(v, "off", 3) == 0);
        } else if (word_is(w, len, "tessera.atomics", &v)) {
                opts->atomics_lse = !(len - (size_t)(v - w) == 4 && kstrncmp(v, "llsc", 4) == 0);
        } else if (word_is(w, len, "tessera.pmu", &v)) {
                opts->pmu_user = len - (size_t)(v - w) == 4 && kstrncmp(v, "user", 4) == 0;
        } else if (word_is(w, len, "tessera.ticks", &v)) {
                if (kparse_u64(v, len - (size_t)(v - w), &n) == 0 && n > 0 && n < 1000000)
                        opts->run_ticks = (unsigned)n;
        }
}

void boot_options_parse(const char *args, struct boot_options *opts)
{
        opts->test[0] = '\0';
        opts->fatal = FATAL_STOP_CORE;
        opts->run_ticks = DEFAULT_RUN_TICKS;
        opts->fastpath = true;
        opts->pmu_user = false;
        opts->atomics_lse = true;
        while (*args) {
                size_t len = 0;

                while (*args == ' ')
                        args++;
                while (args[len] && args[len] != ' ')
                        len++;
                if (len)
                        apply_word(args, len, opts);
                args += len;
        }
}
