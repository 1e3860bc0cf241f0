/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPI ports: this kernel's half of the cross-core link (ipi/port.c). The
 * kernel side of DESIGN.md's "cross-core link": IPI send caps signal a word
 * in another core's inbox and raise an SGI there; IPI port caps bind a word
 * of this core's inbox to a notification. Ports exist only as the spec made
 * them (plat_boot.ports): no cap names any other core or word.
 */
#ifndef IPI_PORT_H
#define IPI_PORT_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/cap.h>
#include <kernel/invocation.h>
#include <plat/plat.h>

/* Map this core's inbox and every inbox it may signal, note its receive
 * ports. 0, or -1 when an inbox cannot be mapped (nothing is then usable). */
int ipi_init(const struct plat_boot *b, bool allow_lse);
/* The root task's cap for plat_boot.ports[i]. */
struct cap ipi_root_cap(const struct plat_port *p);

/* Signal on an IPI send cap (WRITE checked by the caller). */
void ipi_signal(const struct cap *send);
void invoke_ipi_port(const struct invocation *inv);
void ipi_port_destroyed(const struct cap *final);
void ipi_notification_destroyed(uint64_t notification);
/* Debug invariant check of an IPI cap: NULL, or what is wrong. */
const char *ipi_check_cap(const struct cap *c);

#endif
