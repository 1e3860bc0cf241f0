/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The system-spec planner: the C twin of tools/spec.py. Given the compiled spec
 * and the machine's device tree, it refuses the spec with one line
 * `spec: <node>: <rule>: <detail>` or fills in a struct plan: every core's
 * region, devices and SPIs, the shared area (system page, inboxes, channel
 * regions) and the IPI ports. The partitioner turns the plan into per-core boot
 * info; the host test (tests/unit/test_plan.c) prints it as the JSON of
 * `spec.py plan --json`, and tests/spec/crosscheck.py compares the two.
 *
 * Same rules, same order, same messages and the same arithmetic as spec.py;
 * docs/spec.md is the reference. Freestanding: no libc, no allocation. The plan
 * lives in fixed arrays sized like the boot info (multikernel/bootinfo.h), and a
 * spec that needs more is refused by a capacity rule that spec.py knows too.
 *
 * The plan points into both blobs (model, compatible strings): they must outlive it.
 */
#ifndef PARTITIONER_PLAN_H
#define PARTITIONER_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <multikernel/bootinfo.h>

#include "fdt.h"

/* The planner's constants (spec.py has the same). */
#define PLAN_PARTITIONER_RESERVE 0x02000000ull  /* RAM start: DTB, partitioner, images */
#define PLAN_KERNEL_REGION       0x00200000ull  /* first 2 MiB of a core: kernel */
#define PLAN_MIN_CORE_MEMORY     0x00400000ull  /* kernel window plus one block */
#define PLAN_SYSTEM_PAGE_SIZE    0x1000ull      /* console line lock word at offset 0 */
#define PLAN_INBOX_SIZE          0x1000ull      /* one page of port words per core */
#define PLAN_PAGE                0x1000ull
#define PLAN_BLOCK               0x00200000ull
#define PLAN_SPI_FIRST           32u
#define PLAN_SPI_LAST            1019u

/* Capacities: what the boot info carries. Names and paths count their NUL. */
#define PLAN_MAX_CORES        BOOTINFO_MAX_CORES        /* kernels, on CPUs 0-7 */
#define PLAN_MAX_CHANNELS     BOOTINFO_MAX_SHARED       /* channels in a system */
#define PLAN_MAX_CORE_PORTS   BOOTINFO_MAX_PORTS        /* per core, sent and received */
#define PLAN_MAX_DEVICES      BOOTINFO_MAX_DEVICES      /* per core */
#define PLAN_MAX_IRQS         BOOTINFO_MAX_IRQS         /* SPIs per core */
#define PLAN_MAX_PROGRAMS     BOOTINFO_MAX_PROGRAMS     /* per core */
#define PLAN_MAX_DEVICE_REGS  4                         /* MMIO ranges per device */
#define PLAN_MAX_DEVICE_SPIS  BOOTINFO_MAX_DEVICE_IRQS  /* SPIs per device */
#define PLAN_NAME_MAX         BOOTINFO_NAME_MAX
#define PLAN_PATH_MAX         BOOTINFO_PATH_MAX
#define PLAN_MAX_CPUS         512                       /* machine CPUs read */
/* Every port counts on two cores, so this many can never be exceeded. */
#define PLAN_MAX_PORTS        (PLAN_MAX_CORES * PLAN_MAX_CORE_PORTS / 2)
/* Free RAM starts as one range; each explicit range splits at most one. */
#define PLAN_MAX_FREE         (PLAN_MAX_CORES + 1)

enum plan_status {
	PLAN_OK = 0,
	PLAN_REFUSED = -1,      /* the spec breaks a rule: err holds the line */
	PLAN_MACHINE = -2,      /* the machine DTB lacks what the planner reads */
};

enum plan_memory { PLAN_MEMORY_REST, PLAN_MEMORY_SIZE, PLAN_MEMORY_RANGE };
enum plan_psci { PLAN_PSCI_NONE, PLAN_PSCI_HVC, PLAN_PSCI_SMC };

struct plan_range {
	uint64_t base, size;
};

/* A core node as written (tree order), after the structural checks. */
struct plan_core_spec {
	int node;                       /* offset in the spec blob */
	uint32_t reg;                   /* CPU index */
	uint32_t memory;                /* enum plan_memory */
	uint64_t base, size;            /* memory-range base (else 0); its size or memory-size */
};

/* A channel node as written (tree order). */
struct plan_channel_spec {
	int node;                       /* offset in the spec blob */
	const char *name;               /* its node name, in the spec blob */
	uint64_t size;
	const uint8_t *cores;           /* big-endian cells of `cores`, in the spec blob */
	uint32_t core_count;
};

struct plan_spec {
	const char *model;              /* "" when absent */
	bool adapt;                     /* tessera,adapt-to-machine */
	uint32_t core_count, channel_count;
	struct plan_core_spec cores[PLAN_MAX_CORES];
	struct plan_channel_spec channels[PLAN_MAX_CHANNELS];
};

/* What the partitioner needs from the machine DTB. */
struct plan_machine {
	struct plan_range ram;          /* the first memory range, as the DTB gives it */
	uint32_t cpu_count;
	uint32_t gic_version;           /* 2 or 3 */
	struct plan_range gicd;         /* distributor */
	struct plan_range gicc;         /* GICv2 CPU interface; zero on GICv3 */
	struct plan_range gicr;         /* GICv3 redistributors (first region); zero on GICv2 */
	uint32_t timer_intid;           /* EL1 physical timer PPI as an INTID; 0 = none */
	uint32_t psci;                  /* enum plan_psci */
	uint64_t cpus[PLAN_MAX_CPUS];   /* CPU reg (MPIDR affinity) values, ascending */
};

struct plan_device {
	int node;                       /* offset in the machine blob */
	char path[PLAN_PATH_MAX];
	const char *compatible;         /* the node's string list in the machine blob, or NULL */
	uint32_t compatible_len;        /* its bytes, NULs included */
	uint32_t reg_count, spi_count;
	struct plan_range regs[PLAN_MAX_DEVICE_REGS];
	uint32_t spis[PLAN_MAX_DEVICE_SPIS];    /* GIC INTIDs */
};

struct plan_core {
	uint32_t reg;                   /* CPU index = core id */
	uint32_t memory;                /* enum plan_memory, as the spec asked */
	uint64_t mpidr;
	char node[PLAN_PATH_MAX];       /* the spec node */
	struct plan_range region;       /* kernel window, then user memory */
	struct plan_range kernel, user;
	uint64_t inbox;                 /* its inbox page */
	uint32_t device_count, irq_count, program_count, spec_index;
	struct plan_device devices[PLAN_MAX_DEVICES];
	uint32_t irqs[PLAN_MAX_IRQS];   /* every SPI it owns, ascending */
	char programs[PLAN_MAX_PROGRAMS][PLAN_NAME_MAX];
};

struct plan_channel {
	char name[PLAN_NAME_MAX];       /* node /channels/<name> */
	uint64_t base, size;
	uint32_t members;               /* bit n: core reg n */
	uint32_t spec_index;
};

/* src signals dst by ORing into word `port` of dst's inbox. */
struct plan_port {
	uint32_t channel;               /* index into plan.channels */
	uint32_t src, dst, port;
};

struct plan {
	struct plan_spec spec;
	struct plan_machine machine;
	struct plan_range reserve;      /* partitioner reserve: RAM start, 32 MiB */
	struct plan_range shared;       /* system page, inboxes, channels; 2 MiB granular */
	uint64_t system_page;
	uint64_t ram_base, ram_end;     /* usable RAM, whole 2 MiB blocks */
	uint32_t core_count, channel_count, port_count, free_count;
	uint32_t dropped_core_count, dropped_channel_count;
	struct plan_core cores[PLAN_MAX_CORES];         /* ascending reg */
	struct plan_channel channels[PLAN_MAX_CHANNELS];/* spec order */
	struct plan_port ports[PLAN_MAX_PORTS];         /* allocation order */
	struct plan_range free[PLAN_MAX_FREE];          /* RAM left unused */
	uint32_t dropped_cores[PLAN_MAX_CORES];         /* regs, when adapting */
	uint32_t dropped_channels[PLAN_MAX_CHANNELS];   /* indices into spec.channels */
};

struct plan_options {
	const char *const *programs;    /* the programs the build provides; */
	unsigned program_count;         /* programs == NULL: names are not checked */
};

/*
 * Check the spec against the machine and plan it. Returns PLAN_OK with *out
 * filled in, or PLAN_REFUSED / PLAN_MACHINE with the one-line reason (no
 * newline) in err, truncated to err_len. opts may be NULL.
 */
int plan_build(const struct fdt *spec, const struct fdt *machine, const struct plan_options *opts,
	       struct plan *out, char *err, size_t err_len);

/* "rest", "size" or "range"; "hvc", "smc" or "none". */
const char *plan_memory_name(uint32_t memory);
const char *plan_psci_name(uint32_t psci);

#endif /* PARTITIONER_PLAN_H */
