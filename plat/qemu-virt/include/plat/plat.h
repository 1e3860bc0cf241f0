/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The platform contract: what generic kernel code may ask of the board. Defined
 * only in plat/qemu-virt/. plat_init() reads the boot argument (a device tree
 * when the kernel was booted alone, the partitioner's boot info otherwise),
 * configures the console, interrupt controller, timer and firmware interface,
 * and describes the result in struct plat_boot.
 */
#ifndef PLAT_PLAT_H
#define PLAT_PLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLAT_BOOTARGS_MAX 256
#define PLAT_DESCRIPTION_MAX 160
#define PLAT_MAX_SEGMENTS 4
#define PLAT_MAX_DEVICES 8
#define PLAT_MAX_IRQS 32
#define PLAT_MAX_SHARED 16
#define PLAT_NAME_MAX 32
#define PLAT_MAX_CORES 8
#define PLAT_MAX_PORTS 64

/* A root-task segment already in user memory: map paddr at vaddr. */
struct plat_segment {
        uint64_t vaddr, paddr, size;
        unsigned rights;                /* ARCH_MAP_* */
};

/* Physical memory that is not this partition's: a device's MMIO, a channel's region. */
struct plat_range {
        uint64_t base, size;
};

/* A channel's shared region: every member core maps all of it. */
struct plat_shared {
        char name[PLAT_NAME_MAX];       /* the channel's name in the spec */
        struct plat_range range;
        uint32_t peers;                 /* bitmask of member cores */
};

/* An IPI port (docs/spec.md, "IPI ports"): a word of a core's inbox page.
 * A receive port is a word of this core's inbox that peer_core may signal;
 * a send port is a word of peer_core's inbox this core may signal. */
struct plat_port {
        bool send;
        unsigned peer_core;
        unsigned port;                  /* word index in the destination's inbox */
        unsigned shared_index;          /* the channel (index into shared[]) */
};

struct plat_boot {
        bool from_boot_info;            /* started by the partitioner */
        bool ends_system;               /* this kernel's exit status is the system's */
        unsigned core_id, core_count;
        uint64_t ram_base, ram_size;    /* the machine's RAM */
        uint64_t kernel_base, kernel_size; /* this partition (boot info only) */
        uint64_t memory_base, memory_size;
        char bootargs[PLAT_BOOTARGS_MAX];
        uint64_t root_entry;            /* 0: no root task (single-kernel mode) */
        unsigned root_segment_count;
        struct plat_segment root_segments[PLAT_MAX_SEGMENTS];
        /* What this core owns besides its memory (boot info only; none otherwise). */
        unsigned device_count;
        struct plat_range devices[PLAT_MAX_DEVICES];    /* each device's MMIO */
        unsigned irq_count;
        unsigned irqs[PLAT_MAX_IRQS];   /* its SPIs: the INTIDs user handlers may take */
        unsigned shared_count;
        struct plat_shared shared[PLAT_MAX_SHARED];
        uint64_t inbox[PLAT_MAX_CORES]; /* each kernel's inbox page; 0: no kernel there */
        uint64_t core_mpidr[PLAT_MAX_CORES];    /* each kernel's MPIDR affinity */
        unsigned port_count;
        struct plat_port ports[PLAT_MAX_PORTS];
        char description[PLAT_DESCRIPTION_MAX]; /* one line for the boot report */
};

enum plat_status {
        PLAT_OK = 0,
        PLAT_ERR_BOOT_ARG = -1,         /* boot argument unmappable or of unknown kind */
        PLAT_ERR_DEVICE_TREE = -2,      /* device tree malformed */
        PLAT_ERR_NO_IRQ_CONTROLLER = -3,
        PLAT_ERR_NO_MEMORY = -4,
        PLAT_ERR_BOOT_INFO = -5,        /* boot info refused; description says why */
};

void plat_console_init(void);
void plat_console_write(const char *s, size_t len);
int plat_init(uint64_t boot_arg_pa, struct plat_boot *out);
const char *plat_strerror(int status);
/* Tell the partitioner this kernel is up (boot info only; no-op otherwise). */
void plat_boot_complete(void);

/* Internal to plat/: the boot-info path and the console's shared line lock. */
int plat_init_from_boot_info(uint64_t pa, const void *mapped, struct plat_boot *out);
void plat_console_share(volatile uint64_t *line_lock);

#endif
