/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot info: the only thing the partitioner tells a kernel. The partitioner
 * writes one per core at the top of that core's kernel region and starts the
 * core with x0 = its physical address. The kernel checks magic, version and size
 * and that every range lies where the partition says before it uses anything.
 *
 * Layout rules: fixed-size arrays, explicit padding, every field naturally
 * aligned; the static asserts below pin the offsets that both sides rely on.
 * Bump BOOTINFO_VERSION for any change.
 */
#ifndef MULTIKERNEL_BOOTINFO_H
#define MULTIKERNEL_BOOTINFO_H

#include <stdint.h>

#define BOOTINFO_MAGIC          0x3149424152455354ull   /* "TSERABI1" little-endian */
#define BOOTINFO_VERSION        3u
#define BOOTINFO_OFFSET         0x1f0000ull             /* from the kernel region base */
#define BOOTINFO_MAX_SIZE       0x10000ull              /* the last 64 KiB of the region */

#define BOOTINFO_MAX_CORES      8
#define BOOTINFO_MAX_DEVICES    8
#define BOOTINFO_MAX_DEVICE_IRQS 4
#define BOOTINFO_MAX_IRQS       32
#define BOOTINFO_MAX_SHARED     16
#define BOOTINFO_MAX_PORTS      64
#define BOOTINFO_MAX_PROGRAMS   8
#define BOOTINFO_NAME_MAX       32
#define BOOTINFO_PATH_MAX       64
#define BOOTINFO_ARGS_MAX       256
#define BOOTINFO_MAX_SEGMENTS   4
#define BOOTINFO_USER_VA_LIMIT  0x8000000000ull         /* root image below 512 GiB */

#define BOOTINFO_SEG_READ       1u
#define BOOTINFO_SEG_WRITE      2u
#define BOOTINFO_SEG_EXECUTE    4u

/* This kernel ends the system (its exit status is the system's); set on the
 * core the partitioner enters last. */
#define BOOTINFO_FLAG_SYSTEM_EXIT 1u
#define BOOTINFO_FLAGS_KNOWN      BOOTINFO_FLAG_SYSTEM_EXIT
#define BOOTINFO_INBOX_PORTS      512u                  /* 64-bit words in a 4 KiB inbox */
#define BOOTINFO_PAGE             0x1000ull

enum bootinfo_psci { BOOTINFO_PSCI_NONE = 0, BOOTINFO_PSCI_HVC = 1, BOOTINFO_PSCI_SMC = 2 };
enum bootinfo_port_dir { BOOTINFO_PORT_RECEIVE = 0, BOOTINFO_PORT_SEND = 1 };

struct bootinfo_range {
        uint64_t base, size;
};

struct bootinfo_device {
        char path[BOOTINFO_PATH_MAX];           /* machine device-tree node path */
        struct bootinfo_range mmio;
        uint32_t irq_count;
        uint32_t irqs[BOOTINFO_MAX_DEVICE_IRQS];/* GIC INTIDs */
        uint32_t pad;
};

struct bootinfo_shared {
        char name[BOOTINFO_NAME_MAX];           /* the channel's node name in the spec */
        struct bootinfo_range range;
        uint32_t peers;                         /* bitmask of member cores */
        uint32_t pad;
};

/* One IPI port: RECEIVE ports are words in this core's inbox that `peer_core`
 * may signal; SEND ports are words in `peer_core`'s inbox this core may signal. */
struct bootinfo_port {
        uint32_t direction;
        uint32_t peer_core;
        uint32_t port;                          /* word index in the destination inbox */
        uint32_t shared_index;                  /* the channel it belongs to */
};

/* One loadable segment of the root task, already laid out by the partitioner in
 * this core's user memory: map [paddr, paddr + size) at vaddr (page aligned). */
struct bootinfo_segment {
        uint64_t vaddr, paddr, size;
        uint32_t flags;                         /* BOOTINFO_SEG_* */
        uint32_t pad;
};

struct bootinfo_program {
        char name[BOOTINFO_NAME_MAX];
};

struct bootinfo {
        uint64_t magic;
        uint32_t version;
        uint32_t size;                          /* sizeof(struct bootinfo) */
        uint32_t core_id;                       /* this core's index (MPIDR Aff0 on virt) */
        uint32_t core_count;                    /* kernels in the system */
        uint64_t mpidr;
        struct bootinfo_range ram;              /* the machine's RAM */
        struct bootinfo_range kernel;           /* this core's kernel region */
        struct bootinfo_range memory;           /* this core's user memory */
        struct bootinfo_range shared_area;      /* everything kernels or programs share */
        uint64_t inbox[BOOTINFO_MAX_CORES];     /* each core's inbox page; 0 = no kernel */
        uint64_t console_lock;                  /* the console line lock word */
        uint32_t gic_version;
        uint32_t timer_intid;
        struct bootinfo_range gicd, gicc, gicr; /* gicc for v2; gicr for v3: this core's frame */
        uint32_t psci;                          /* enum bootinfo_psci */
        uint32_t flags;                         /* BOOTINFO_FLAG_* */
        char bootargs[BOOTINFO_ARGS_MAX];
        uint32_t device_count, irq_count, shared_count, port_count, program_count, pad;
        struct bootinfo_device devices[BOOTINFO_MAX_DEVICES];
        uint32_t irqs[BOOTINFO_MAX_IRQS];       /* every SPI this core owns */
        struct bootinfo_shared shared[BOOTINFO_MAX_SHARED];
        struct bootinfo_port ports[BOOTINFO_MAX_PORTS];
        struct bootinfo_program programs[BOOTINFO_MAX_PROGRAMS];
        uint64_t root_entry;                    /* the root task's first instruction */
        uint32_t root_segment_count, pad2;
        struct bootinfo_segment root_segments[BOOTINFO_MAX_SEGMENTS];
        uint64_t core_mpidr[BOOTINFO_MAX_CORES];/* each kernel's MPIDR affinity (SGI targets) */
        uint64_t started;                       /* the kernel writes 1 once it is up */
};

_Static_assert(sizeof(struct bootinfo_range) == 16, "bootinfo_range layout");
_Static_assert(sizeof(struct bootinfo_device) == 104, "bootinfo_device layout");
_Static_assert(sizeof(struct bootinfo_shared) == 56, "bootinfo_shared layout");
_Static_assert(sizeof(struct bootinfo_port) == 16, "bootinfo_port layout");
_Static_assert(sizeof(struct bootinfo_segment) == 32, "bootinfo_segment layout");
_Static_assert(__builtin_offsetof(struct bootinfo, ram) == 32, "bootinfo.ram offset");
_Static_assert(__builtin_offsetof(struct bootinfo, inbox) == 96, "bootinfo.inbox offset");
_Static_assert(__builtin_offsetof(struct bootinfo, bootargs) == 232, "bootinfo.bootargs offset");
_Static_assert(__builtin_offsetof(struct bootinfo, devices) == 512, "bootinfo.devices offset");
_Static_assert(sizeof(struct bootinfo) % 8 == 0, "bootinfo size");
_Static_assert(sizeof(struct bootinfo) <= BOOTINFO_MAX_SIZE, "bootinfo fits its slot");

/* Checks everything a kernel relies on, given where it runs. Returns NULL when
 * the boot info is sound, else what is wrong (a constant string). */
const char *bootinfo_check(const struct bootinfo *bi, uint64_t phys_base, uint64_t image_size);

#endif
