// SPDX-License-Identifier: BSD-2-Clause
/*
 * The planner's entry and its flat list of phases (spec.py: plan_from_args and
 * plan_system): the spec's shape, then the machine, then cores, memory, devices,
 * channels and programs. Each phase stops at its first refusal, so the line
 * reported is the one spec.py reports. This file also holds the small phases:
 * which cores run a kernel, the IPI ports of each channel, and the programs.
 */
#include <kernel/string.h>

#include "plan_internal.h"

const char *plan_memory_name(uint32_t memory)
{
	return memory == PLAN_MEMORY_SIZE ? "size" : memory == PLAN_MEMORY_RANGE ? "range" : "rest";
}

const char *plan_psci_name(uint32_t psci)
{
	return psci == PLAN_PSCI_HVC ? "hvc" : psci == PLAN_PSCI_SMC ? "smc" : "none";
}

static void sb_cpus(struct strbuf *sb, uint32_t ncpus)
{
	if (ncpus > 1)
		sb_printf(sb, "CPUs 0-%u", ncpus - 1);
	else
		sb_printf(sb, "only CPU 0");
}

/* Which core nodes name a CPU that does not exist, or that no kernel may run on. */
static int cores_check_exist(struct plan_ctx *ctx)
{
	struct plan *plan = ctx->plan;
	uint32_t ncpus = plan->machine.cpu_count;

	for (uint32_t i = 0; i < plan->spec.core_count; i++) {
		const struct plan_core_spec *core = &plan->spec.cores[i];
		struct strbuf *sb;

		if (core->reg >= ncpus && plan->spec.adapt) {
			plan->dropped_cores[plan->dropped_core_count++] = core->reg;
		} else if (core->reg >= ncpus) {
			sb = plan_refuse_at(ctx, ctx->spec, core->node, "core-missing");
			sb_printf(sb, "CPU %u does not exist; the machine has ", core->reg);
			sb_cpus(sb, ncpus);
			return PLAN_REFUSED;
		} else if (core->reg >= PLAN_MAX_CORES) {
			sb_printf(plan_refuse_at(ctx, ctx->spec, core->node, "too-many-cores"),
				  "CPU %u exists, but kernels run only on CPUs 0-%u", core->reg,
				  PLAN_MAX_CORES - 1);
			return PLAN_REFUSED;
		}
	}
	return PLAN_OK;
}

static int cores_check_duplicates(struct plan_ctx *ctx)
{
	const struct plan_spec *spec = &ctx->plan->spec;
	char first[PLAN_PATH_MAX];

	for (uint32_t i = 0; i < spec->core_count; i++) {
		for (uint32_t j = 0; j < i; j++) {
			if (spec->cores[j].reg != spec->cores[i].reg)
				continue;
			plan_node_path(ctx->spec, spec->cores[j].node, first, sizeof(first));
			sb_printf(plan_refuse_at(ctx, ctx->spec, spec->cores[i].node, "core-duplicate"),
				  "CPU %u is already given to %s", spec->cores[i].reg, first);
			return PLAN_REFUSED;
		}
	}
	return PLAN_OK;
}

static void core_init(struct plan_ctx *ctx, struct plan_core *core, uint32_t spec_index)
{
	const struct plan_core_spec *spec = &ctx->plan->spec.cores[spec_index];
	struct plan_prop programs = plan_prop_get(ctx->spec, spec->node, "programs");

	memset(core, 0, sizeof(*core));
	core->reg = spec->reg;
	core->memory = spec->memory;
	core->mpidr = ctx->plan->machine.cpus[spec->reg];
	core->spec_index = spec_index;
	plan_node_path(ctx->spec, spec->node, core->node, sizeof(core->node));
	for (const char *s = (const char *)programs.data; s; s = plan_string_next(programs, s))
		kstrlcpy(core->programs[core->program_count++], s, PLAN_NAME_MAX);
}

/* The cores that run a kernel, ascending reg (regs are distinct by now). */
static void cores_select(struct plan_ctx *ctx)
{
	struct plan *plan = ctx->plan;

	for (uint32_t reg = 0; reg < PLAN_MAX_CORES && reg < plan->machine.cpu_count; reg++) {
		for (uint32_t i = 0; i < plan->spec.core_count; i++) {
			if (plan->spec.cores[i].reg == reg)
				core_init(ctx, &plan->cores[plan->core_count++], i);
		}
	}
}

static bool core_dropped(const struct plan *plan, uint32_t reg)
{
	for (uint32_t i = 0; i < plan->dropped_core_count; i++) {
		if (plan->dropped_cores[i] == reg)
			return true;
	}
	return false;
}

/* Channels that stay: when adapting, a channel naming a dropped core goes too. */
static void channels_select(struct plan *plan)
{
	for (uint32_t i = 0; i < plan->spec.channel_count; i++) {
		const struct plan_channel_spec *spec = &plan->spec.channels[i];
		struct plan_channel *ch = &plan->channels[plan->channel_count];
		bool dropped = false;

		for (uint32_t j = 0; j < spec->core_count; j++)
			dropped |= core_dropped(plan, fdt_be32(spec->cores + 4 * j));
		if (dropped) {
			plan->dropped_channels[plan->dropped_channel_count++] = i;
			continue;
		}
		memset(ch, 0, sizeof(*ch));
		kstrlcpy(ch->name, spec->name, sizeof(ch->name));
		ch->size = spec->size;
		ch->spec_index = i;
		plan->channel_count++;
	}
}

/* Which cores run a kernel: count, existence, duplicates; adapting drops absent ones. */
int plan_cores(struct plan_ctx *ctx)
{
	struct plan *plan = ctx->plan;
	uint32_t ncpus = plan->machine.cpu_count;
	struct strbuf *sb;

	if (!plan->spec.adapt && plan->spec.core_count > ncpus) {
		sb_printf(plan_refuse(ctx, "/cores", "too-many-cores"),
			  "%u core nodes but the machine has %u CPUs", plan->spec.core_count, ncpus);
		return PLAN_REFUSED;
	}
	if (cores_check_exist(ctx) || cores_check_duplicates(ctx))
		return PLAN_REFUSED;
	cores_select(ctx);
	if (plan->core_count == 0) {
		sb = plan_refuse(ctx, "/cores", "core-missing");
		sb_printf(sb, "none of the cores exists; the machine has ");
		sb_cpus(sb, ncpus);
		return PLAN_REFUSED;
	}
	channels_select(plan);
	return PLAN_OK;
}

static const struct plan_core *core_by_reg(const struct plan *plan, uint32_t reg)
{
	for (uint32_t i = 0; i < plan->core_count; i++) {
		if (plan->cores[i].reg == reg)
			return &plan->cores[i];
	}
	return NULL;
}

/* Two or more distinct members, each a core that runs a kernel. */
static int channel_check_members(struct plan_ctx *ctx, struct plan_channel *ch)
{
	const struct plan *plan = ctx->plan;
	const struct plan_channel_spec *spec = &plan->spec.channels[ch->spec_index];
	struct strbuf *sb;

	for (uint32_t i = 0; i < spec->core_count; i++) {
		uint32_t reg = fdt_be32(spec->cores + 4 * i);

		for (uint32_t j = 0; j < i; j++) {
			if (fdt_be32(spec->cores + 4 * j) != reg)
				continue;
			sb_printf(plan_refuse_at(ctx, ctx->spec, spec->node, "channel-members"),
				  "core %u is listed twice", reg);
			return PLAN_REFUSED;
		}
	}
	if (spec->core_count < 2) {
		sb_printf(plan_refuse_at(ctx, ctx->spec, spec->node, "channel-members"),
			  "needs at least 2 distinct cores, has %u", spec->core_count);
		return PLAN_REFUSED;
	}
	for (uint32_t i = 0; i < spec->core_count; i++) {
		uint32_t reg = fdt_be32(spec->cores + 4 * i);

		if (core_by_reg(plan, reg)) {
			ch->members |= 1u << reg;
			continue;
		}
		sb = plan_refuse_at(ctx, ctx->spec, spec->node, "channel-core");
		sb_printf(sb, "core %u runs no kernel (the cores are ", reg);
		for (uint32_t j = 0; j < plan->core_count; j++)
			sb_printf(sb, "%s%u", j ? ", " : "", plan->cores[j].reg);
		sb_printf(sb, ")");
		return PLAN_REFUSED;
	}
	return PLAN_OK;
}

/* One port from src to dst; each counts against both cores' PLAN_MAX_CORE_PORTS. */
static int channel_port(struct plan_ctx *ctx, uint32_t channel, uint32_t src, uint32_t dst,
			uint32_t used[], uint32_t next_port[])
{
	struct plan *plan = ctx->plan;
	uint32_t full = used[dst] >= PLAN_MAX_CORE_PORTS ? dst : src;

	if (used[full] >= PLAN_MAX_CORE_PORTS) {
		sb_printf(plan_refuse_at(ctx, ctx->spec,
					 plan->spec.channels[plan->channels[channel].spec_index].node,
					 "ports-exhausted"),
			  "core %u has no IPI port left (%u per core, sent and received)", full,
			  PLAN_MAX_CORE_PORTS);
		return PLAN_REFUSED;
	}
	plan->ports[plan->port_count++] = (struct plan_port){ channel, src, dst, next_port[dst]++ };
	used[dst]++;
	used[src]++;
	return PLAN_OK;
}

/* Step 7: for each channel, each destination, each source: the next port on dst. */
int plan_channels(struct plan_ctx *ctx)
{
	struct plan *plan = ctx->plan;
	uint32_t used[PLAN_MAX_CORES] = { 0 }, next_port[PLAN_MAX_CORES] = { 0 };

	for (uint32_t c = 0; c < plan->channel_count; c++) {
		uint32_t members;

		if (channel_check_members(ctx, &plan->channels[c]))
			return PLAN_REFUSED;
		members = plan->channels[c].members;
		for (uint32_t dst = 0; dst < PLAN_MAX_CORES; dst++) {
			for (uint32_t src = 0; src < PLAN_MAX_CORES; src++) {
				if (src == dst || !(members >> dst & 1) || !(members >> src & 1))
					continue;
				if (channel_port(ctx, c, src, dst, used, next_port))
					return PLAN_REFUSED;
			}
		}
	}
	return PLAN_OK;
}

static bool program_known(const struct plan_options *opts, const char *name)
{
	for (unsigned i = 0; i < opts->program_count; i++) {
		if (kstrcmp(opts->programs[i], name) == 0)
			return true;
	}
	return false;
}

/* The known programs, sorted and each once, as spec.py prints sorted(set(...)). */
static void sb_known_programs(struct strbuf *sb, const struct plan_options *opts)
{
	const char *last = NULL;
	bool any = false;

	for (;;) {
		const char *next = NULL;

		for (unsigned i = 0; i < opts->program_count; i++) {
			const char *p = opts->programs[i];

			if (p[0] && (!last || kstrcmp(p, last) > 0) && (!next || kstrcmp(p, next) < 0))
				next = p;
		}
		if (!next)
			break;
		sb_printf(sb, "%s%s", any ? ", " : "", next);
		any = true;
		last = next;
	}
	if (!any)
		sb_printf(sb, "none");
}

/* Every program a core starts must be one the build provides (when told which). */
int plan_programs(struct plan_ctx *ctx)
{
	const struct plan *plan = ctx->plan;
	struct strbuf *sb;

	if (!ctx->opts || !ctx->opts->programs)
		return PLAN_OK;
	for (uint32_t i = 0; i < plan->core_count; i++) {
		const struct plan_core *core = &plan->cores[i];

		for (uint32_t j = 0; j < core->program_count; j++) {
			if (program_known(ctx->opts, core->programs[j]))
				continue;
			sb = plan_refuse(ctx, core->node, "program-missing");
			sb_printf(sb, "program \"%s\" is not built (known: ", core->programs[j]);
			sb_known_programs(sb, ctx->opts);
			sb_printf(sb, ")");
			return PLAN_REFUSED;
		}
	}
	return PLAN_OK;
}

int plan_build(const struct fdt *spec, const struct fdt *machine, const struct plan_options *opts,
	       struct plan *out, char *err, size_t err_len)
{
	struct plan_ctx ctx = {
		.spec = spec, .machine = machine, .opts = opts, .plan = out,
		.err = { err, err_len, 0 }, .ram_node = -1, .gic_node = -1,
	};
	int status;

	memset(out, 0, sizeof(*out));
	if (err_len)
		err[0] = '\0';
	/* Phases in spec.py's order: the spec's shape comes before the machine. */
	if ((status = plan_spec_parse(&ctx)) || (status = plan_machine_read(&ctx)) ||
	    (status = plan_cores(&ctx)) || (status = plan_memory(&ctx)) ||
	    (status = plan_devices(&ctx)) || (status = plan_channels(&ctx)) ||
	    (status = plan_programs(&ctx)))
		return status;
	return PLAN_OK;
}
