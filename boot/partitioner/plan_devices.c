// SPDX-License-Identifier: BSD-2-Clause
/*
 * The device phase (docs/spec.md step 8; spec.py plan_devices): each core's
 * `devices` entries, by core reg and in the order written, are resolved to
 * machine nodes and given to the core with their SPIs; then its extra
 * `interrupts`. A device, a 4 KiB MMIO page or an SPI belongs to one core only.
 * Ownership is read back from the cores already planned, so no table is kept.
 */
#include <kernel/string.h>

#include "plan_internal.h"

/* A u128 holds a page end that a device's reg may push past 2^64. */
__extension__ typedef unsigned __int128 plan_u128;

/* Start a refusal whose detail opens with the machine device's path. */
static struct strbuf *refuse_device(struct plan_ctx *ctx, const struct plan_core *core,
				    const char *rule, int node)
{
	struct strbuf *sb = plan_refuse(ctx, core->node, rule);

	sb_node_path(sb, ctx->machine, node);
	return sb;
}

static int resolve_compatible(struct plan_ctx *ctx, const struct plan_core *core,
			      const char *name, int *found)
{
	struct strbuf *sb;
	uint32_t count = 0;
	int first = plan_machine_next_compatible(ctx, -1, name);

	for (int n = first; n >= 0; n = plan_machine_next_compatible(ctx, n, name))
		count++;
	if (count == 0) {
		sb_printf(plan_refuse(ctx, core->node, "device-unknown"),
			  "no machine node is compatible with \"%s\"", name);
		return PLAN_REFUSED;
	}
	if (count > 1) {
		sb = plan_refuse(ctx, core->node, "device-ambiguous");
		sb_printf(sb, "\"%s\" matches %u machine nodes (", name, count);
		for (int n = first, i = 0; n >= 0 && i < 3; n = plan_machine_next_compatible(ctx, n, name), i++) {
			sb_printf(sb, "%s", i ? ", " : "");
			sb_node_path(sb, ctx->machine, n);
		}
		sb_printf(sb, "%s); name one by path", count > 3 ? ", ..." : "");
		return PLAN_REFUSED;
	}
	*found = first;
	return PLAN_OK;
}

/* A device the boot info can describe: its path fits, few MMIO ranges and SPIs. */
static int device_supported(struct plan_ctx *ctx, const struct plan_core *core,
			    const struct plan_machine_device *dev)
{
	size_t len = plan_node_path_len(ctx->machine, dev->node);
	struct strbuf *sb;

	if (len >= PLAN_PATH_MAX) {
		sb = refuse_device(ctx, core, "name-too-long", dev->node);
		sb_printf(sb, " is %zu characters; at most %u fit", len, PLAN_PATH_MAX - 1);
		return PLAN_REFUSED;
	}
	if (dev->reg_count > PLAN_MAX_DEVICE_REGS) {
		sb = refuse_device(ctx, core, "device-unsupported", dev->node);
		sb_printf(sb, " has %u MMIO ranges; a device may have at most %u", dev->reg_count,
			  PLAN_MAX_DEVICE_REGS);
		return PLAN_REFUSED;
	}
	if (dev->spi_count > PLAN_MAX_DEVICE_SPIS) {
		sb = refuse_device(ctx, core, "device-unsupported", dev->node);
		sb_printf(sb, " has %u SPIs; a device may have at most %u", dev->spi_count,
			  PLAN_MAX_DEVICE_SPIS);
		return PLAN_REFUSED;
	}
	return PLAN_OK;
}

/* A devices entry (a node path, or a compatible matching one node) to its device. */
static int device_resolve(struct plan_ctx *ctx, const struct plan_core *core, const char *name,
			  struct plan_machine_device *dev)
{
	int node;

	if (name[0] == '/') {
		node = plan_machine_device_at(ctx, name);
		if (node < 0) {
			sb_printf(plan_refuse(ctx, core->node, "device-unknown"),
				  "\"%s\" is not a node with a reg in the machine's device tree", name);
			return PLAN_REFUSED;
		}
	} else if (resolve_compatible(ctx, core, name, &node)) {
		return PLAN_REFUSED;
	}
	plan_machine_device_read(ctx, node, dev);
	if (dev->reserved) {
		sb_printf(refuse_device(ctx, core, "device-reserved", node), " is %s", dev->reserved);
		return PLAN_REFUSED;
	}
	return device_supported(ctx, core, dev);
}

/* The lowest 4 KiB page that two devices' MMIO both touch; false if none. */
static bool device_shared_page(const struct plan_range *a, uint32_t a_count,
			       const struct plan_device *b, uint64_t *page)
{
	bool found = false;

	for (uint32_t i = 0; i < a_count; i++) {
		for (uint32_t j = 0; j < b->reg_count; j++) {
			uint64_t a_lo = plan_align_down(a[i].base, PLAN_PAGE);
			uint64_t b_lo = plan_align_down(b->regs[j].base, PLAN_PAGE);
			plan_u128 a_hi = (plan_u128)a[i].base + a[i].size + PLAN_PAGE - 1;
			plan_u128 b_hi = (plan_u128)b->regs[j].base + b->regs[j].size + PLAN_PAGE - 1;
			uint64_t lo = a_lo > b_lo ? a_lo : b_lo;

			if (!a[i].size || !b->regs[j].size)
				continue;
			a_hi -= a_hi % PLAN_PAGE;
			b_hi -= b_hi % PLAN_PAGE;
			if (a_lo < b_hi && b_lo < a_hi && (!found || lo < *page)) {
				*page = lo;
				found = true;
			}
		}
	}
	return found;
}

static const struct plan_core *device_owner(const struct plan *plan, int node)
{
	for (uint32_t i = 0; i < plan->core_count; i++) {
		for (uint32_t j = 0; j < plan->cores[i].device_count; j++) {
			if (plan->cores[i].devices[j].node == node)
				return &plan->cores[i];
		}
	}
	return NULL;
}

/* No other core may own a device with MMIO in the same 4 KiB page. */
static int device_check_pages(struct plan_ctx *ctx, const struct plan_core *core,
			      const struct plan_machine_device *dev)
{
	const struct plan *plan = ctx->plan;
	struct strbuf *sb;
	uint64_t page = 0;

	for (uint32_t i = 0; i < plan->core_count; i++) {
		const struct plan_core *other = &plan->cores[i];

		if (other == core)
			continue;
		for (uint32_t j = 0; j < other->device_count; j++) {
			if (!device_shared_page(dev->regs, dev->reg_count, &other->devices[j], &page))
				continue;
			sb = refuse_device(ctx, core, "device-shared-page", dev->node);
			sb_printf(sb, " shares the 4 KiB page 0x%llx with %s, given to %s",
				  (unsigned long long)page, other->devices[j].path, other->node);
			return PLAN_REFUSED;
		}
	}
	return PLAN_OK;
}

static const struct plan_core *irq_owner(const struct plan *plan, uint64_t intid)
{
	for (uint32_t i = 0; i < plan->core_count; i++) {
		for (uint32_t j = 0; j < plan->cores[i].irq_count; j++) {
			if (plan->cores[i].irqs[j] == intid)
				return &plan->cores[i];
		}
	}
	return NULL;
}

/* Give one SPI to a core; the same core naming it again is harmless. */
static int plan_irq(struct plan_ctx *ctx, struct plan_core *core, uint64_t intid)
{
	const struct plan_core *owner;

	if (intid < PLAN_SPI_FIRST || intid > PLAN_SPI_LAST) {
		sb_printf(plan_refuse(ctx, core->node, "irq-invalid"), "INTID %llu is not an SPI (%u-%u)",
			  (unsigned long long)intid, PLAN_SPI_FIRST, PLAN_SPI_LAST);
		return PLAN_REFUSED;
	}
	owner = irq_owner(ctx->plan, intid);
	if (owner && owner != core) {
		sb_printf(plan_refuse(ctx, core->node, "irq-duplicate"), "INTID %llu is already given to %s",
			  (unsigned long long)intid, owner->node);
		return PLAN_REFUSED;
	}
	if (owner)
		return PLAN_OK;
	if (core->irq_count >= PLAN_MAX_IRQS) {
		sb_printf(plan_refuse(ctx, core->node, "too-many-irqs"),
			  "INTID %llu would be SPI %u; a core owns at most %u", (unsigned long long)intid,
			  core->irq_count + 1, PLAN_MAX_IRQS);
		return PLAN_REFUSED;
	}
	core->irqs[core->irq_count++] = (uint32_t)intid;
	return PLAN_OK;
}

static void device_add(struct plan_ctx *ctx, struct plan_core *core,
		       const struct plan_machine_device *dev)
{
	struct plan_device *d = &core->devices[core->device_count++];

	d->node = dev->node;
	plan_node_path(ctx->machine, dev->node, d->path, sizeof(d->path));
	d->compatible = (const char *)dev->compatible.data;
	d->compatible_len = dev->compatible.len;
	d->reg_count = dev->reg_count;
	d->spi_count = dev->spi_count;
	memcpy(d->regs, dev->regs, sizeof(d->regs));
	for (uint32_t i = 0; i < dev->spi_count; i++)
		d->spis[i] = (uint32_t)dev->spis[i];
}

/* Give one device to a core, then its SPIs. */
static int plan_device(struct plan_ctx *ctx, struct plan_core *core, const char *name)
{
	struct plan_machine_device dev;
	const struct plan_core *owner;

	if (device_resolve(ctx, core, name, &dev))
		return PLAN_REFUSED;
	owner = device_owner(ctx->plan, dev.node);
	if (owner && owner != core) {
		sb_printf(refuse_device(ctx, core, "device-duplicate", dev.node),
			  " is already given to %s", owner->node);
		return PLAN_REFUSED;
	}
	if (owner)
		return PLAN_OK;
	if (device_check_pages(ctx, core, &dev))
		return PLAN_REFUSED;
	if (core->device_count >= PLAN_MAX_DEVICES) {
		sb_printf(refuse_device(ctx, core, "too-many-devices", dev.node),
			  " would be device %u; a core owns at most %u", core->device_count + 1,
			  PLAN_MAX_DEVICES);
		return PLAN_REFUSED;
	}
	device_add(ctx, core, &dev);
	for (uint32_t i = 0; i < dev.spi_count; i++) {
		if (plan_irq(ctx, core, dev.spis[i]))
			return PLAN_REFUSED;
	}
	return PLAN_OK;
}

static void irqs_sort(uint32_t *irqs, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t v = irqs[i], j = i;

		for (; j > 0 && irqs[j - 1] > v; j--)
			irqs[j] = irqs[j - 1];
		irqs[j] = v;
	}
}

static int plan_core_devices(struct plan_ctx *ctx, struct plan_core *core)
{
	int node = ctx->plan->spec.cores[core->spec_index].node;
	struct plan_prop devices = plan_prop_get(ctx->spec, node, "devices");
	struct plan_prop irqs = plan_prop_get(ctx->spec, node, "interrupts");

	for (const char *s = devices.present ? (const char *)devices.data : NULL; s;
	     s = plan_string_next(devices, s)) {
		if (plan_device(ctx, core, s))
			return PLAN_REFUSED;
	}
	for (uint32_t i = 0; i < plan_cell_count(irqs); i++) {
		if (plan_irq(ctx, core, plan_cell(irqs, i)))
			return PLAN_REFUSED;
	}
	irqs_sort(core->irqs, core->irq_count);
	return PLAN_OK;
}

int plan_devices(struct plan_ctx *ctx)
{
	for (uint32_t i = 0; i < ctx->plan->core_count; i++) {
		if (plan_core_devices(ctx, &ctx->plan->cores[i]))
			return PLAN_REFUSED;
	}
	return PLAN_OK;
}
