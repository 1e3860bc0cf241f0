/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot-time partitioner. It reads the machine's device tree and the system
 * spec (one loaded at BOARD_SPEC_PA by `--spec`, else the default it carries),
 * checks the spec against this machine with the same rules as the host tool,
 * prints the plan and launches one copy of the kernel per planned core.
 *
 * `tessera.base=ADDR` on the command line selects the single-kernel mode
 * instead: one kernel, booted alone at ADDR with the device tree as its boot
 * argument. The system tests use it to show the image runs at any 2 MiB base.
 */
#include <stdarg.h>
#include <arch/semihost.h>
#include <fdt.h>
#include <kernel/string.h>
#include <plat/board.h>
#include <multikernel/bootinfo.h>
#include "partitioner.h"
#include "elf.h"
#include "plan.h"

#define PARTITIONER_FAIL_STATUS 2

void partitioner_main(void);

_Noreturn void partitioner_fail(const char *fmt, ...)
{
        char line[200];
        va_list ap;

        va_start(ap, fmt);
        kvsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        pprintf("partitioner: error: %s\n", line);
        semihost_exit(PARTITIONER_FAIL_STATUS);
        for (;;)
                __asm__ volatile("wfe");
}

/* The value of `key=` in the command line, or NULL. */
static const char *bootarg_value(const char *args, const char *key, size_t *len)
{
        size_t klen = kstrlen(key);

        for (const char *p = args; p && *p; ) {
                size_t n = 0;

                while (*p == ' ')
                        p++;
                while (p[n] && p[n] != ' ')
                        n++;
                if (n > klen && kstrncmp(p, key, klen) == 0 && p[klen] == '=') {
                        *len = n - klen - 1;
                        return p + klen + 1;
                }
                p += n;
        }
        return NULL;
}

static uint64_t choose_base(const struct fdt *fdt, uint64_t ram_base, uint64_t ram_size,
                            uint64_t image_size)
{
        int chosen = fdt_path(fdt, "/chosen");
        const char *args = chosen >= 0 ? fdt_prop_string(fdt, chosen, "bootargs", 0) : NULL;
        size_t len = 0;
        const char *v = bootarg_value(args, "tessera.base", &len);
        uint64_t base = ram_base + PARTITIONER_RESERVE;

        if (v && kparse_u64(v, len, &base) != 0)
                partitioner_fail("tessera.base: '%.*s' is not a number", (int)len, v);
        if (base & (KERNEL_REGION - 1))
                partitioner_fail("kernel base 0x%llx is not 2 MiB aligned", (unsigned long long)base);
        if (base < (uint64_t)(uintptr_t)__partitioner_end || base < ram_base ||
            base + KERNEL_REGION > ram_base + ram_size || image_size > KERNEL_REGION)
                partitioner_fail("kernel region 0x%llx-0x%llx is not free RAM (RAM 0x%llx-0x%llx, partitioner ends at 0x%llx)",
                                 (unsigned long long)base, (unsigned long long)(base + KERNEL_REGION),
                                 (unsigned long long)ram_base, (unsigned long long)(ram_base + ram_size),
                                 (unsigned long long)(uintptr_t)__partitioner_end);
        return base;
}

static const char *machine_bootargs(const struct fdt *fdt)
{
        int chosen = fdt_path(fdt, "/chosen");
        const char *args = chosen >= 0 ? fdt_prop_string(fdt, chosen, "bootargs", 0) : NULL;

        return args ? args : "";
}

static _Noreturn void boot_single_kernel(const struct fdt *fdt, const uint8_t *image, uint64_t size)
{
        int memory = fdt_subnode(fdt, fdt_root(fdt), "memory");
        uint64_t ram_base, ram_size, base;

        if (memory < 0 || fdt_reg(fdt, memory, 0, &ram_base, &ram_size) != FDT_OK)
                partitioner_fail("machine device tree has no usable /memory node");
        base = choose_base(fdt, ram_base, ram_size, size);
        pprintf("partitioner: single-kernel mode: kernel image %llu bytes -> 0x%llx\n",
                (unsigned long long)size, (unsigned long long)base);
        memcpy((void *)(uintptr_t)base, image, size);
        jump_to_kernel(base, BOARD_DTB_PA);
}

/* A spec loaded by --spec wins over the default the image carries. */
static const char *open_spec(struct fdt *spec)
{
        const void *loaded = (const void *)(uintptr_t)BOARD_SPEC_PA;
        const uint8_t *builtin = _binary_specs_default_spec_dtb_start;
        int status;

        if (fdt_header_total_size(loaded, BOARD_SPEC_MAX) != 0) {
                status = fdt_init(spec, loaded, BOARD_SPEC_MAX);
                if (status != FDT_OK)
                        partitioner_fail("spec at 0x%llx: %s", (unsigned long long)BOARD_SPEC_PA,
                                         fdt_strerror(status));
                return "given";
        }
        status = fdt_init(spec, builtin, (size_t)(_binary_specs_default_spec_dtb_end - builtin));
        if (status != FDT_OK)
                partitioner_fail("built-in spec: %s", fdt_strerror(status));
        return "default";
}

static void print_plan(const struct plan *p, const char *which)
{
        pprintf("partitioner: %s spec \"%s\": %u kernels, %u channels, GICv%u, RAM 0x%llx-0x%llx\n",
                which, p->spec.model, p->core_count, p->channel_count, p->machine.gic_version,
                (unsigned long long)p->ram_base, (unsigned long long)p->ram_end);
        pprintf("partitioner: shared 0x%llx-0x%llx (system page 0x%llx)\n",
                (unsigned long long)p->shared.base,
                (unsigned long long)(p->shared.base + p->shared.size),
                (unsigned long long)p->system_page);
        for (unsigned i = 0; i < p->core_count; i++) {
                const struct plan_core *c = &p->cores[i];

                pprintf("partitioner: core %u: kernel 0x%llx-0x%llx, memory 0x%llx-0x%llx, %u devices, %u SPIs, inbox 0x%llx\n",
                        c->reg, (unsigned long long)c->kernel.base,
                        (unsigned long long)(c->kernel.base + c->kernel.size),
                        (unsigned long long)c->user.base,
                        (unsigned long long)(c->user.base + c->user.size),
                        c->device_count, c->irq_count, (unsigned long long)c->inbox);
        }
        for (unsigned i = 0; i < p->channel_count; i++)
                pprintf("partitioner: channel %s: 0x%llx-0x%llx, cores 0x%x\n", p->channels[i].name,
                        (unsigned long long)p->channels[i].base,
                        (unsigned long long)(p->channels[i].base + p->channels[i].size),
                        p->channels[i].members);
}

/* The plan's core running on this CPU, or core_count if none. */
static unsigned own_core(const struct plan *p)
{
        uint64_t mpidr;

        __asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
        for (unsigned i = 0; i < p->core_count; i++)
                if (p->cores[i].mpidr == (mpidr & 0xff00ffffffull))
                        return i;
        return p->core_count;
}

static struct plan plan;
static struct bootinfo boot_infos[PLAN_MAX_CORES];
static struct elf_layout root_layouts[PLAN_MAX_CORES];

/* The core's root task: its first program, laid out at the start of its user
 * memory (the kernel maps these pages and hands out the rest as untyped). */
static void place_root_task(unsigned i)
{
        const struct plan_core *c = &plan.cores[i];
        const struct program *prog = program_find(c->programs[0]);
        struct elf_layout *layout = &root_layouts[i];
        const char *why;

        if (!prog)
                partitioner_fail("core %u: program \"%s\" is not in this image", c->reg, c->programs[0]);
        why = elf_plan(prog->start, (uint64_t)(prog->end - prog->start), c->user.base, c->user.size, layout);
        if (why)
                partitioner_fail("core %u: program \"%s\": %s", c->reg, prog->name, why);
        boot_infos[i].root_entry = layout->entry;
        boot_infos[i].root_segment_count = layout->count;
        for (unsigned s = 0; s < layout->count; s++)
                boot_infos[i].root_segments[s] = layout->segments[s];
        elf_load(prog->start, layout);
}

void partitioner_main(void)
{
        const uint8_t *image = _binary_kernel_kernel_bin_start;
        uint64_t size = (uint64_t)(_binary_kernel_kernel_bin_end - image);
        struct fdt machine, spec;
        struct plan_options options;
        char why[200];
        const char *which, *args;
        unsigned self;
        int status;

        status = fdt_init(&machine, (const void *)(uintptr_t)BOARD_DTB_PA, BOARD_DTB_MAX);
        if (status != FDT_OK)
                partitioner_fail("machine device tree at 0x%llx: %s",
                                 (unsigned long long)BOARD_DTB_PA, fdt_strerror(status));
        args = machine_bootargs(&machine);
        if (bootarg_value(args, "tessera.base", &(size_t){ 0 }))
                boot_single_kernel(&machine, image, size);
        which = open_spec(&spec);
        options.programs = program_list(&options.program_count);
        if (plan_build(&spec, &machine, &options, &plan, why, sizeof(why)) != PLAN_OK)
                partitioner_fail("the %s spec does not fit this machine: %s", which, why);
        print_plan(&plan, which);
        self = own_core(&plan);
        for (unsigned i = 0; i < plan.core_count; i++) {
                const char *bad;

                handoff_fill(&plan, i, args, i == (self < plan.core_count ? self : plan.core_count - 1),
                             &boot_infos[i]);
                place_root_task(i);
                if (!launch_prepare(&boot_infos[i]))
                        partitioner_fail("core %u: no GICv3 redistributor has its affinity",
                                         plan.cores[i].reg);
                bad = bootinfo_check(&boot_infos[i], plan.cores[i].kernel.base, size);
                if (bad)
                        partitioner_fail("boot info for core %u is unsound: %s", plan.cores[i].reg, bad);
        }
        launch_system(boot_infos, plan.core_count, self, image, size);
}
