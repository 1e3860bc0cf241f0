/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GIC configuration handed from the platform (which reads the device tree or
 * the boot info) to the arch interrupt layer. Two drivers implement struct
 * gic_ops: gicv2.c (memory-mapped CPU interface) and gicv3.c (system-register
 * CPU interface, per-core redistributor).
 */
#ifndef ARCH_GIC_H
#define ARCH_GIC_H

#include <stdbool.h>
#include <stdint.h>

struct gic_config {
        unsigned version;               /* 2 or 3 */
        uint64_t dist_pa, dist_size;
        uint64_t cpu_pa, cpu_size;      /* v2: CPU interface */
        uint64_t redist_pa, redist_size;/* v3: redistributor region */
        unsigned timer_intid;           /* EL1 physical timer PPI */
};

struct gic_ops {
        int (*map)(const struct gic_config *cfg);
        void (*init_distributor)(void);
        /* Deliver an SPI to one core (partitioner only, before cores start). */
        void (*route)(unsigned intid, unsigned cpu_index, uint64_t mpidr);
        int (*init_cpu)(void);
        void (*enable)(unsigned intid);
        void (*disable)(unsigned intid);        /* done (not only posted) on return */
        /* The INTID taken, and in *token what end_of_interrupt needs back
         * (GICv2 keeps an SGI's source CPU beside its INTID). */
        unsigned (*acknowledge)(unsigned *token);
        void (*end_of_interrupt)(unsigned token);
        /* Raise SGI `sgi` on one core (its CPU index and MPIDR affinity). */
        void (*send_sgi)(unsigned sgi, unsigned cpu_index, uint64_t mpidr);
};

#define GIC_INTID_SPURIOUS 1023u
#define GIC_SGI_INBOX      8u          /* the cross-core link's one SGI (ipi/port.c) */
#define GIC_SPI_BASE       32u
#define GIC_MAX_INTID      1019u

extern const struct gic_ops gicv2_ops;
extern const struct gic_ops gicv3_ops;

/* Called by the platform once the device tree or boot info is read. */
int gic_configure(const struct gic_config *cfg);

enum psci_conduit { PSCI_NONE, PSCI_HVC, PSCI_SMC };
void psci_configure(enum psci_conduit conduit);
int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

#define PSCI_CPU_OFF     0x84000002u
#define PSCI_SYSTEM_OFF  0x84000008u
#define PSCI_CPU_ON      0xc4000003u

#endif
