// SPDX-License-Identifier: BSD-2-Clause
/*
 * The machine, as the planner sees it (spec.py: machine_from_tree): RAM, CPUs,
 * the GIC (version, distributor, CPU interface or redistributors), the EL1
 * physical timer's INTID and the PSCI conduit, read in spec.py's order so that
 * the same broken DTB gets the same "spec: machine: ..." line. Devices are not
 * collected up front: a spec names a few, and each is looked up when needed.
 */
#include <kernel/string.h>

#include "plan_internal.h"

static const struct {
	const char *compatible;
	uint32_t version;
} gic_versions[] = {
	{ "arm,cortex-a15-gic", 2 }, { "arm,gic-400", 2 }, { "arm,gic-v3", 3 },
};
static const char *const timer_compatible[] = { "arm,armv8-timer", "arm,armv7-timer" };
static const char *const psci_compatible[] = { "arm,psci", "arm,psci-0.2", "arm,psci-1.0" };

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Every node in tree order, the root first (spec.py iterates its tree dict so). */
static int machine_next(const struct fdt *fdt, int node)
{
	return node < 0 ? fdt_root(fdt) : fdt_next_node(fdt, node, NULL);
}

static bool compatible_with_any(struct plan_prop compat, const char *const *names, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (plan_strings_contain(compat, names[i]))
			return true;
	}
	return false;
}

static int machine_fail(struct plan_ctx *ctx, const char *detail)
{
	sb_printf(plan_machine_error(ctx), "%s", detail);
	return PLAN_MACHINE;
}

/* A memory node: named memory@... or device_type "memory". */
static bool is_memory_node(const struct fdt *fdt, int node)
{
	struct plan_prop type = plan_prop_get(fdt, node, "device_type");

	return plan_starts_with(fdt_name(fdt, node), "memory@") ||
	       (type.len == 7 && memcmp(type.data, "memory", 7) == 0);
}

/* The first memory node's first reg range. */
static int machine_ram(struct plan_ctx *ctx)
{
	const struct fdt *fdt = ctx->machine;
	int root = fdt_root(fdt);
	uint32_t ac = plan_cells_of(fdt, root, "#address-cells", 2);
	uint32_t sc = plan_cells_of(fdt, root, "#size-cells", 1);
	struct plan_reg reg;

	for (int n = fdt_first_child(fdt, root); n >= 0; n = fdt_next_sibling(fdt, n)) {
		struct plan_range ram;
		struct strbuf *sb;

		if (!is_memory_node(fdt, n) || !plan_reg_open(plan_prop_get(fdt, n, "reg"), ac, sc, &reg) ||
		    reg.count == 0)
			continue;
		ram = plan_reg_at(&reg, 0);
		if (ram.base + ram.size < ram.base) {
			sb = plan_machine_error(ctx);
			sb_node_path(sb, fdt, n);
			sb_printf(sb, ": RAM ");
			sb_range(sb, ram.base, ram.size);
			sb_printf(sb, " does not end below 2^64");
			return PLAN_MACHINE;
		}
		ctx->ram_node = n;
		ctx->plan->machine.ram = ram;
		return PLAN_OK;
	}
	return machine_fail(ctx, "no /memory node with a reg");
}

/* The GIC: the first interrupt controller with a GIC compatible, in tree order. */
static int machine_gic(struct plan_ctx *ctx)
{
	const struct fdt *fdt = ctx->machine;

	for (int n = machine_next(fdt, -1); n >= 0; n = machine_next(fdt, n)) {
		struct plan_prop compat = plan_prop_get(fdt, n, "compatible");
		struct plan_prop phandle = plan_prop_get(fdt, n, "phandle");

		if (!plan_prop_get(fdt, n, "interrupt-controller").present || !plan_strings_ok(compat))
			continue;
		for (const char *s = (const char *)compat.data; s; s = plan_string_next(compat, s)) {
			for (unsigned i = 0; i < ARRAY_LEN(gic_versions); i++) {
				if (kstrcmp(s, gic_versions[i].compatible))
					continue;
				ctx->gic_node = n;
				ctx->gic_has_phandle = plan_cells_ok(phandle) && phandle.len;
				ctx->gic_phandle = ctx->gic_has_phandle ? plan_cell(phandle, 0) : 0;
				ctx->plan->machine.gic_version = gic_versions[i].version;
				return PLAN_OK;
			}
		}
	}
	return machine_fail(ctx, "no GIC interrupt controller (arm,cortex-a15-gic or arm,gic-v3)");
}

static void cpus_sort(uint64_t *cpus, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint64_t v = cpus[i];
		uint32_t j = i;

		for (; j > 0 && cpus[j - 1] > v; j--)
			cpus[j] = cpus[j - 1];
		cpus[j] = v;
	}
}

/* CPU reg values of /cpus/cpu@* nodes, ascending. */
static int machine_cpus(struct plan_ctx *ctx)
{
	const struct fdt *fdt = ctx->machine;
	struct plan_machine *m = &ctx->plan->machine;
	int cpus = plan_child(fdt, fdt_root(fdt), "cpus");
	uint32_t ac, count = 0;

	if (cpus < 0)
		return machine_fail(ctx, "no /cpus node");
	ac = plan_cells_of(fdt, cpus, "#address-cells", 1);
	if (ac > 2) {
		sb_printf(plan_machine_error(ctx), "/cpus: #address-cells is %u; at most 2 are read", ac);
		return PLAN_MACHINE;
	}
	for (int n = fdt_first_child(fdt, cpus); n >= 0; n = fdt_next_sibling(fdt, n)) {
		struct plan_prop reg = plan_prop_get(fdt, n, "reg");
		uint32_t cells = plan_cell_count(reg);

		if (!plan_starts_with(fdt_name(fdt, n), "cpu@") || !plan_cells_ok(reg) || cells == 0)
			continue;
		if (count < PLAN_MAX_CPUS)
			m->cpus[count] = plan_cells_int(reg.data, ac < cells ? ac : cells);
		count++;
	}
	if (count == 0)
		return machine_fail(ctx, "no /cpus/cpu@ nodes");
	if (count > PLAN_MAX_CPUS) {
		sb_printf(plan_machine_error(ctx), "%u CPUs; the planner reads at most %u", count,
			  PLAN_MAX_CPUS);
		return PLAN_MACHINE;
	}
	m->cpu_count = count;
	cpus_sort(m->cpus, count);
	return PLAN_OK;
}

/* Registers read with the parent's cells (the root's own for the root, as spec.py's
 * parent_of); false if reg does not fit them. */
static bool node_regs(const struct fdt *fdt, int node, struct plan_reg *reg)
{
	int parent = node == fdt_root(fdt) ? node : fdt_parent(fdt, node);

	return parent >= 0 &&
	       plan_reg_open(plan_prop_get(fdt, node, "reg"),
			     plan_cells_of(fdt, parent, "#address-cells", 2),
			     plan_cells_of(fdt, parent, "#size-cells", 1), reg);
}

/* GICv2: GICD then GICC; GICv3: GICD then the (first) redistributor region. */
static int machine_gic_regs(struct plan_ctx *ctx)
{
	struct plan_machine *m = &ctx->plan->machine;
	struct plan_reg reg;
	struct strbuf *sb;

	if (!node_regs(ctx->machine, ctx->gic_node, &reg) || reg.count < 2) {
		sb = plan_machine_error(ctx);
		sb_node_path(sb, ctx->machine, ctx->gic_node);
		sb_printf(sb, ": reg must give the distributor and the %s",
			  m->gic_version == 2 ? "CPU interface" : "redistributors");
		return PLAN_MACHINE;
	}
	m->gicd = plan_reg_at(&reg, 0);
	if (m->gic_version == 2)
		m->gicc = plan_reg_at(&reg, 1);
	else
		m->gicr = plan_reg_at(&reg, 1);
	return PLAN_OK;
}

/* The EL1 physical timer: 2nd interrupts entry of the first timer node, a PPI. */
static void machine_timer(struct plan_ctx *ctx)
{
	const struct fdt *fdt = ctx->machine;

	for (int n = machine_next(fdt, -1); n >= 0; n = machine_next(fdt, n)) {
		struct plan_prop irqs = plan_prop_get(fdt, n, "interrupts");
		uint32_t cells = plan_cell_count(irqs);

		if (!compatible_with_any(plan_prop_get(fdt, n, "compatible"), timer_compatible,
					 ARRAY_LEN(timer_compatible)))
			continue;
		if (plan_cells_ok(irqs) && cells >= 6 && cells % 3 == 0 && plan_cell(irqs, 3) == 1 &&
		    plan_cell(irqs, 4) < 16)
			ctx->plan->machine.timer_intid = 16 + plan_cell(irqs, 4);
		return;
	}
}

static void machine_psci(struct plan_ctx *ctx)
{
	const struct fdt *fdt = ctx->machine;

	for (int n = machine_next(fdt, -1); n >= 0; n = machine_next(fdt, n)) {
		struct plan_prop method = plan_prop_get(fdt, n, "method");

		if (!compatible_with_any(plan_prop_get(fdt, n, "compatible"), psci_compatible,
					 ARRAY_LEN(psci_compatible)))
			continue;
		if (plan_strings_equal_one(method, "hvc"))
			ctx->plan->machine.psci = PLAN_PSCI_HVC;
		else if (plan_strings_equal_one(method, "smc"))
			ctx->plan->machine.psci = PLAN_PSCI_SMC;
		return;
	}
}

int plan_machine_read(struct plan_ctx *ctx)
{
	int status;

	if ((status = machine_ram(ctx)) || (status = machine_gic(ctx)) ||
	    (status = machine_cpus(ctx)) || (status = machine_gic_regs(ctx)))
		return status;
	machine_timer(ctx);
	machine_psci(ctx);
	return PLAN_OK;
}

/* A machine device: any node but the root with a reg property. */
static bool is_device(const struct fdt *fdt, int node)
{
	return node != fdt_root(fdt) && plan_prop_get(fdt, node, "reg").present;
}

/* The child whose name is exactly the len bytes at name. */
static int child_named(const struct fdt *fdt, int parent, const char *name, size_t len)
{
	for (int n = fdt_first_child(fdt, parent); n >= 0; n = fdt_next_sibling(fdt, n)) {
		const char *have = fdt_name(fdt, n);

		if (kstrncmp(have, name, len) == 0 && have[len] == '\0')
			return n;
	}
	return FDT_ERR_NOT_FOUND;
}

int plan_machine_device_at(struct plan_ctx *ctx, const char *path)
{
	const struct fdt *fdt = ctx->machine;
	int node = fdt_root(fdt);

	if (path[0] != '/' || path[1] == '\0')
		return FDT_ERR_NOT_FOUND;
	for (const char *p = path + 1; node >= 0; ) {
		size_t len = 0;

		while (p[len] && p[len] != '/')
			len++;
		if (len == 0)
			return FDT_ERR_NOT_FOUND;
		node = child_named(fdt, node, p, len);
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	return node >= 0 && is_device(fdt, node) ? node : FDT_ERR_NOT_FOUND;
}

int plan_machine_next_compatible(struct plan_ctx *ctx, int after, const char *compat)
{
	const struct fdt *fdt = ctx->machine;

	for (int n = machine_next(fdt, after); n >= 0; n = machine_next(fdt, n)) {
		if (is_device(fdt, n) && plan_strings_contain(plan_prop_get(fdt, n, "compatible"), compat))
			return n;
	}
	return FDT_ERR_NOT_FOUND;
}

/* The phandle of a node's interrupt parent, inherited from its ancestors. */
static bool interrupt_parent(const struct fdt *fdt, int node, uint32_t *phandle)
{
	for (int n = node; n >= 0; n = fdt_parent(fdt, n)) {
		struct plan_prop p = plan_prop_get(fdt, n, "interrupt-parent");

		if (plan_cells_ok(p) && p.len) {
			*phandle = plan_cell(p, 0);
			return true;
		}
	}
	return false;
}

/* SPIs: `interrupts` as <type number flags> triples, type 0, when the GIC is the parent. */
static void device_spis(struct plan_ctx *ctx, int node, struct plan_machine_device *dev)
{
	struct plan_prop irqs = plan_prop_get(ctx->machine, node, "interrupts");
	uint32_t cells = plan_cell_count(irqs), parent = 0;
	bool has_parent = interrupt_parent(ctx->machine, node, &parent);

	if (!plan_cells_ok(irqs) || cells == 0 || cells % 3 || has_parent != ctx->gic_has_phandle ||
	    parent != ctx->gic_phandle)
		return;
	for (uint32_t i = 0; i < cells; i += 3) {
		if (plan_cell(irqs, i) != 0)
			continue;
		if (dev->spi_count < PLAN_MAX_DEVICE_SPIS)
			dev->spis[dev->spi_count] = PLAN_SPI_FIRST + (uint64_t)plan_cell(irqs, i + 1);
		dev->spi_count++;
	}
}

static bool is_descendant_or_self(const struct fdt *fdt, int node, int ancestor)
{
	for (int n = node; n >= 0; n = fdt_parent(fdt, n)) {
		if (n == ancestor)
			return true;
	}
	return false;
}

/* Under /cpus/ (but not /cpus itself): the path starts with "/cpus/". */
static bool is_under_cpus(const struct fdt *fdt, int node)
{
	int root = fdt_root(fdt), top = node, parent;

	while ((parent = fdt_parent(fdt, top)) >= 0 && parent != root)
		top = parent;
	return parent == root && top != node && kstrcmp(fdt_name(fdt, top), "cpus") == 0;
}

static const char *device_reserved(struct plan_ctx *ctx, int node)
{
	if (node == ctx->ram_node)
		return "RAM, which the planner divides";
	if (is_under_cpus(ctx->machine, node))
		return "a CPU, which is given by core reg";
	if (is_descendant_or_self(ctx->machine, node, ctx->gic_node))
		return "part of the interrupt controller, which the partitioner keeps";
	return NULL;
}

void plan_machine_device_read(struct plan_ctx *ctx, int node, struct plan_machine_device *dev)
{
	struct plan_reg reg;

	memset(dev, 0, sizeof(*dev));
	dev->node = node;
	dev->compatible = plan_prop_get(ctx->machine, node, "compatible");
	if (!plan_strings_ok(dev->compatible))
		dev->compatible = (struct plan_prop){ 0 };
	if (node_regs(ctx->machine, node, &reg)) {
		dev->reg_count = reg.count;
		for (uint32_t i = 0; i < reg.count && i < PLAN_MAX_DEVICE_REGS; i++)
			dev->regs[i] = plan_reg_at(&reg, i);
	}
	device_spis(ctx, node, dev);
	dev->reserved = device_reserved(ctx, node);
}
