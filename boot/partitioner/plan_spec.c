// SPDX-License-Identifier: BSD-2-Clause
/*
 * The structural phase: is the blob a spec, and does every node and property
 * have the shape docs/spec.md gives it (spec.py: spec_parse and its helpers).
 * Values are only typed here; what they mean for the machine is the planner's
 * business. Checks run in tree order, and the first refusal ends the run. The
 * capacity rules that depend only on the spec (names, programs, how many cores
 * and channels) are checked here too, in the same places as spec.py.
 */
#include <kernel/string.h>

#include "plan_internal.h"

#define SPEC_COMPATIBLE "tessera,system-v1"
#define CORE_COMPATIBLE "tessera,core"
#define CHANNEL_COMPATIBLE "tessera,channel"
#define ADAPT_PROP "tessera,adapt-to-machine"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct prop_list {
	const char *const *names;
	unsigned count;
};

static const char *const root_props[] = {
	"compatible", "model", ADAPT_PROP, "#address-cells", "#size-cells",
};
static const char *const container_props[] = { "#address-cells", "#size-cells", "phandle" };
static const char *const core_props[] = {
	"compatible", "reg", "memory-rest", "memory-size", "memory-range", "devices",
	"interrupts", "programs", "phandle",
};
static const char *const channel_props[] = { "compatible", "cores", "size", "phandle" };
static const char *const memory_props[] = { "memory-rest", "memory-size", "memory-range" };

#define PROP_LIST(a) ((struct prop_list){ (a), ARRAY_LEN(a) })

static bool prop_list_has(struct prop_list known, const char *name)
{
	for (unsigned i = 0; i < known.count; i++) {
		if (kstrcmp(known.names[i], name) == 0)
			return true;
	}
	return false;
}

static void sb_prop_list(struct strbuf *sb, struct prop_list list)
{
	for (unsigned i = 0; i < list.count; i++)
		sb_printf(sb, "%s%s", i ? ", " : "", list.names[i]);
}

/* Refuse properties the format does not define, so that typos are not ignored. */
static int spec_check_props(struct plan_ctx *ctx, int node, struct prop_list known)
{
	for (int p = fdt_first_prop(ctx->spec, node); p >= 0; p = fdt_next_prop(ctx->spec, p)) {
		const char *name;
		struct strbuf *sb;

		fdt_prop_at(ctx->spec, p, &name, NULL);
		if (prop_list_has(known, name))
			continue;
		sb = plan_refuse_at(ctx, ctx->spec, node, "bad-property");
		sb_printf(sb, "unknown property \"%s\" (known: ", name);
		sb_prop_list(sb, known);
		sb_printf(sb, ")");
		return PLAN_REFUSED;
	}
	return PLAN_OK;
}

static int spec_check_compatible(struct plan_ctx *ctx, int node, const char *expected)
{
	if (plan_strings_equal_one(plan_prop_get(ctx->spec, node, "compatible"), expected))
		return PLAN_OK;
	sb_printf(plan_refuse_at(ctx, ctx->spec, node, "bad-property"),
		  "compatible must be \"%s\"", expected);
	return PLAN_REFUSED;
}

static int spec_refuse(struct plan_ctx *ctx, int node, const char *rule, const char *detail)
{
	sb_printf(plan_refuse_at(ctx, ctx->spec, node, rule), "%s", detail);
	return PLAN_REFUSED;
}

static int spec_root_compatible(struct plan_ctx *ctx, int root)
{
	struct plan_prop compat = plan_prop_get(ctx->spec, root, "compatible");
	struct strbuf *sb;

	if (plan_strings_contain(compat, SPEC_COMPATIBLE))
		return PLAN_OK;
	sb = plan_refuse(ctx, "/", "not-a-spec");
	sb_printf(sb, "root compatible is ");
	if (!plan_strings_ok(compat)) {
		sb_printf(sb, "missing");
	} else {
		sb_printf(sb, "\"");
		for (const char *s = (const char *)compat.data; s; s = plan_string_next(compat, s))
			sb_printf(sb, "%s%s", s == (const char *)compat.data ? "" : ", ", s);
		sb_printf(sb, "\"");
	}
	sb_printf(sb, ", expected \"%s\"", SPEC_COMPATIBLE);
	return PLAN_REFUSED;
}

/* Root compatible, its flags, and which children it may have. */
static int spec_parse_root(struct plan_ctx *ctx, int root)
{
	struct plan_spec *spec = &ctx->plan->spec;
	struct plan_prop adapt = plan_prop_get(ctx->spec, root, ADAPT_PROP);
	struct plan_prop model = plan_prop_get(ctx->spec, root, "model");

	if (spec_root_compatible(ctx, root) || spec_check_props(ctx, root, PROP_LIST(root_props)))
		return PLAN_REFUSED;
	if (adapt.len)
		return spec_refuse(ctx, root, "bad-property", ADAPT_PROP " takes no value");
	spec->adapt = adapt.present;
	spec->model = "";
	if (model.present && !(plan_strings_ok(model) && plan_string_count(model) == 1))
		return spec_refuse(ctx, root, "bad-property", "model must be one string");
	if (model.present)
		spec->model = (const char *)model.data;
	for (int n = fdt_first_child(ctx->spec, root); n >= 0; n = fdt_next_sibling(ctx->spec, n)) {
		const char *name = fdt_name(ctx->spec, n);

		if (kstrcmp(name, "cores") && kstrcmp(name, "channels"))
			return spec_refuse(ctx, n, "bad-node",
					   "unknown node; the root holds only /cores and /channels");
	}
	if (plan_child(ctx->spec, root, "cores") < 0)
		return spec_refuse(ctx, root, "bad-node", "no /cores node");
	return PLAN_OK;
}

static int spec_memory_shape(struct plan_ctx *ctx, int node, unsigned kind, struct plan_prop value)
{
	uint32_t cells = plan_cells_ok(value) ? plan_cell_count(value) : 0;

	if (kind == PLAN_MEMORY_REST && value.len)
		return spec_refuse(ctx, node, "bad-property", "memory-rest takes no value");
	if (kind == PLAN_MEMORY_SIZE && (!plan_cells_ok(value) || cells != 2))
		return spec_refuse(ctx, node, "bad-property",
				   "memory-size must be 2 cells (a 64-bit size)");
	if (kind == PLAN_MEMORY_RANGE && (!plan_cells_ok(value) || cells != 4))
		return spec_refuse(ctx, node, "bad-property",
				   "memory-range must be 4 cells (a 64-bit base, then a 64-bit size)");
	return PLAN_OK;
}

/* Exactly one of memory-rest, memory-size, memory-range. */
static int spec_parse_memory(struct plan_ctx *ctx, int node, struct plan_core_spec *core)
{
	unsigned present[ARRAY_LEN(memory_props)], count = 0;
	struct plan_prop value;
	struct strbuf *sb;

	for (unsigned i = 0; i < ARRAY_LEN(memory_props); i++) {
		if (plan_prop_get(ctx->spec, node, memory_props[i]).present)
			present[count++] = i;
	}
	if (count == 0)
		return spec_refuse(ctx, node, "bad-property",
				   "needs one of memory-rest, memory-size, memory-range");
	if (count > 1) {
		sb = plan_refuse_at(ctx, ctx->spec, node, "bad-property");
		sb_printf(sb, "has ");
		for (unsigned i = 0; i < count; i++)
			sb_printf(sb, "%s%s", i ? " and " : "", memory_props[present[i]]);
		sb_printf(sb, "; give exactly one");
		return PLAN_REFUSED;
	}
	value = plan_prop_get(ctx->spec, node, memory_props[present[0]]);
	if (spec_memory_shape(ctx, node, present[0], value))
		return PLAN_REFUSED;
	core->memory = present[0];
	if (core->memory == PLAN_MEMORY_SIZE)
		core->size = plan_cells_int(value.data, 2);
	if (core->memory == PLAN_MEMORY_RANGE) {
		core->base = plan_cells_int(value.data, 2);
		core->size = plan_cells_int(value.data + 8, 2);
	}
	return PLAN_OK;
}

/* devices, interrupts and programs: only their shape here. */
static int spec_core_lists(struct plan_ctx *ctx, int node)
{
	struct plan_prop devices = plan_prop_get(ctx->spec, node, "devices");
	struct plan_prop irqs = plan_prop_get(ctx->spec, node, "interrupts");
	struct plan_prop programs = plan_prop_get(ctx->spec, node, "programs");

	if (devices.present && !plan_strings_ok(devices))
		return spec_refuse(ctx, node, "bad-property",
				   "devices must be a list of non-empty strings");
	if (irqs.present && (!plan_cells_ok(irqs) || irqs.len == 0))
		return spec_refuse(ctx, node, "bad-property",
				   "interrupts must be one or more cells (INTIDs)");
	if (!programs.present)
		return spec_refuse(ctx, node, "bad-property",
				   "programs is missing; name at least one program");
	if (!plan_strings_ok(programs))
		return spec_refuse(ctx, node, "bad-property",
				   "programs must be a list of non-empty strings");
	return PLAN_OK;
}

/* A name the boot info stores in a field of `limit` bytes, NUL included. */
static int spec_name_fits(struct plan_ctx *ctx, int node, const char *what, const char *quoted,
			  size_t len, size_t limit)
{
	struct strbuf *sb;

	if (len < limit)
		return PLAN_OK;
	sb = plan_refuse_at(ctx, ctx->spec, node, "name-too-long");
	if (quoted)
		sb_printf(sb, "%s \"%s\"", what, quoted);
	else
		sb_printf(sb, "%s", what);
	sb_printf(sb, " is %zu characters; at most %zu fit", len, limit - 1);
	return PLAN_REFUSED;
}

/* What one core's boot info can hold: its node path, and its programs. */
static int spec_core_capacity(struct plan_ctx *ctx, int node)
{
	struct plan_prop programs = plan_prop_get(ctx->spec, node, "programs");
	uint32_t count = plan_string_count(programs);

	if (spec_name_fits(ctx, node, "the node path", NULL, plan_node_path_len(ctx->spec, node),
			   PLAN_PATH_MAX))
		return PLAN_REFUSED;
	if (count > PLAN_MAX_PROGRAMS) {
		sb_printf(plan_refuse_at(ctx, ctx->spec, node, "too-many-programs"),
			  "%u programs; a core starts at most %u", count, PLAN_MAX_PROGRAMS);
		return PLAN_REFUSED;
	}
	for (const char *s = (const char *)programs.data; s; s = plan_string_next(programs, s)) {
		if (spec_name_fits(ctx, node, "program", s, kstrlen(s), PLAN_NAME_MAX))
			return PLAN_REFUSED;
	}
	return PLAN_OK;
}

/* One core node, typed; stored while there is room (the count is checked later). */
static int spec_parse_core(struct plan_ctx *ctx, int node)
{
	struct plan_spec *spec = &ctx->plan->spec;
	struct plan_prop reg = plan_prop_get(ctx->spec, node, "reg");
	struct plan_core_spec core = { .node = node };

	if (spec_check_compatible(ctx, node, CORE_COMPATIBLE) ||
	    spec_check_props(ctx, node, PROP_LIST(core_props)))
		return PLAN_REFUSED;
	if (!plan_cells_ok(reg) || plan_cell_count(reg) != 1)
		return spec_refuse(ctx, node, "bad-property", "reg must be one cell: the CPU index");
	core.reg = plan_cell(reg, 0);
	if (spec_parse_memory(ctx, node, &core) || spec_core_lists(ctx, node) ||
	    spec_core_capacity(ctx, node))
		return PLAN_REFUSED;
	if (spec->core_count < PLAN_MAX_CORES)
		spec->cores[spec->core_count] = core;
	spec->core_count++;
	return PLAN_OK;
}

/* One channel node, typed; stored while there is room. */
static int spec_parse_channel(struct plan_ctx *ctx, int node)
{
	struct plan_spec *spec = &ctx->plan->spec;
	struct plan_prop cores = plan_prop_get(ctx->spec, node, "cores");
	struct plan_prop size = plan_prop_get(ctx->spec, node, "size");
	const char *name = fdt_name(ctx->spec, node);
	struct plan_channel_spec channel = { .node = node, .name = name };

	if (spec_check_compatible(ctx, node, CHANNEL_COMPATIBLE) ||
	    spec_check_props(ctx, node, PROP_LIST(channel_props)))
		return PLAN_REFUSED;
	if (!plan_cells_ok(cores) || cores.len == 0)
		return spec_refuse(ctx, node, "bad-property",
				   "cores must be one or more cells (core regs)");
	if (!plan_cells_ok(size) || size.len == 0 || plan_cell_count(size) > 2)
		return spec_refuse(ctx, node, "bad-property", "size must be 1 or 2 cells (bytes)");
	if (spec_name_fits(ctx, node, "the channel name", NULL, kstrlen(name), PLAN_NAME_MAX))
		return PLAN_REFUSED;
	channel.size = plan_cells_int(size.data, plan_cell_count(size));
	channel.cores = cores.data;
	channel.core_count = plan_cell_count(cores);
	if (spec->channel_count < PLAN_MAX_CHANNELS)
		spec->channels[spec->channel_count] = channel;
	spec->channel_count++;
	return PLAN_OK;
}

/* Each child of /cores or /channels; nested nodes are not part of the format. */
static int spec_parse_children(struct plan_ctx *ctx, int container,
			       int (*parse)(struct plan_ctx *, int))
{
	const struct fdt *fdt = ctx->spec;

	if (spec_check_props(ctx, container, PROP_LIST(container_props)))
		return PLAN_REFUSED;
	for (int n = fdt_first_child(fdt, container); n >= 0; n = fdt_next_sibling(fdt, n)) {
		int nested = fdt_first_child(fdt, n);

		if (nested >= 0)
			return spec_refuse(ctx, nested, "bad-node",
					   "unknown node; cores and channels have no subnodes");
		if (parse(ctx, n))
			return PLAN_REFUSED;
	}
	return PLAN_OK;
}

/* How many cores and channels a system may have at all. */
static int spec_check_counts(struct plan_ctx *ctx)
{
	const struct plan_spec *spec = &ctx->plan->spec;

	if (spec->core_count > PLAN_MAX_CORES) {
		sb_printf(plan_refuse(ctx, "/cores", "too-many-cores"),
			  "%u core nodes; a system runs at most %u kernels", spec->core_count,
			  PLAN_MAX_CORES);
		return PLAN_REFUSED;
	}
	if (spec->channel_count > PLAN_MAX_CHANNELS) {
		sb_printf(plan_refuse(ctx, "/channels", "too-many-channels"),
			  "%u channels; a system has at most %u", spec->channel_count,
			  PLAN_MAX_CHANNELS);
		return PLAN_REFUSED;
	}
	return PLAN_OK;
}

int plan_spec_parse(struct plan_ctx *ctx)
{
	int root = fdt_root(ctx->spec);
	int cores, channels;

	if (root < 0)
		return spec_refuse(ctx, 0, "not-a-spec", "no root node");
	if (spec_parse_root(ctx, root))
		return PLAN_REFUSED;
	cores = plan_child(ctx->spec, root, "cores");
	if (fdt_first_child(ctx->spec, cores) < 0)
		return spec_refuse(ctx, cores, "bad-node", "no core nodes; add at least one core@N");
	if (spec_parse_children(ctx, cores, spec_parse_core))
		return PLAN_REFUSED;
	channels = plan_child(ctx->spec, root, "channels");
	if (channels >= 0 && spec_parse_children(ctx, channels, spec_parse_channel))
		return PLAN_REFUSED;
	return spec_check_counts(ctx);
}
