// SPDX-License-Identifier: BSD-2-Clause
/*
 * The memory phase (docs/spec.md, "The planner", steps 1-6; spec.py plan_memory):
 * usable RAM, the shared area (system page, inboxes, channel regions), explicit
 * ranges, then sized cores first fit, then the rest split evenly. All arithmetic
 * is 64-bit and never forms a sum that could wrap: sizes are compared with what
 * is left (`size > end - base`) before any `base + size` is computed.
 */
#include "plan_internal.h"

/* Usable RAM: the first memory range, trimmed to whole 2 MiB blocks. */
static int memory_ram(struct plan_ctx *ctx)
{
	struct plan *plan = ctx->plan;
	struct plan_range ram = plan->machine.ram;
	struct strbuf *sb;

	/* The machine reader refused a RAM range that ends at or past 2^64. */
	plan->ram_end = plan_align_down(ram.base + ram.size, PLAN_BLOCK);
	if (ram.base <= UINT64_MAX - (PLAN_BLOCK - 1)) {
		plan->ram_base = plan_align_up(ram.base, PLAN_BLOCK);
		if (plan->ram_end >= plan->ram_base &&
		    plan->ram_end - plan->ram_base >= PLAN_PARTITIONER_RESERVE + PLAN_BLOCK)
			return PLAN_OK;
	}
	sb = plan_refuse(ctx, "/", "region-oversized");
	sb_printf(sb, "RAM ");
	sb_range(sb, ram.base, ram.size);
	sb_printf(sb, " is too small for the ");
	sb_size(sb, PLAN_PARTITIONER_RESERVE);
	sb_printf(sb, " partitioner reserve");
	return PLAN_REFUSED;
}

static const char *channel_node(struct plan_ctx *ctx, const struct plan_channel *ch, char *buf)
{
	plan_node_path(ctx->spec, ctx->plan->spec.channels[ch->spec_index].node, buf, PLAN_PATH_MAX);
	return buf;
}

static int channel_place(struct plan_ctx *ctx, struct plan_channel *ch, uint64_t *cursor)
{
	struct plan *plan = ctx->plan;
	char node[PLAN_PATH_MAX];
	struct strbuf *sb;

	if (ch->size == 0) {
		sb_printf(plan_refuse(ctx, channel_node(ctx, ch, node), "region-empty"), "size is 0");
		return PLAN_REFUSED;
	}
	if (ch->size % PLAN_PAGE) {
		sb_printf(plan_refuse(ctx, channel_node(ctx, ch, node), "memory-misaligned"),
			  "size 0x%llx is not a multiple of 4 KiB", (unsigned long long)ch->size);
		return PLAN_REFUSED;
	}
	ch->base = plan_align_up(*cursor, PLAN_PAGE);
	if (ch->size > plan->ram_end - ch->base) {
		sb = plan_refuse(ctx, channel_node(ctx, ch, node), "region-oversized");
		sb_printf(sb, "size 0x%llx (", (unsigned long long)ch->size);
		sb_size(sb, ch->size);
		sb_printf(sb, ") does not fit: the shared area would end past RAM end 0x%llx",
			  (unsigned long long)plan->ram_end);
		return PLAN_REFUSED;
	}
	*cursor = ch->base + ch->size;
	return PLAN_OK;
}

/* Step 1: the system page, inbox pages (ascending reg), channel regions (spec order). */
static int memory_shared_area(struct plan_ctx *ctx)
{
	struct plan *plan = ctx->plan;
	uint64_t cursor;

	plan->reserve = (struct plan_range){ plan->ram_base, PLAN_PARTITIONER_RESERVE };
	plan->shared.base = plan->ram_base + PLAN_PARTITIONER_RESERVE;
	plan->system_page = plan->shared.base;
	cursor = plan->shared.base + PLAN_SYSTEM_PAGE_SIZE;
	for (uint32_t i = 0; i < plan->core_count; i++) {
		plan->cores[i].inbox = cursor;
		cursor += PLAN_INBOX_SIZE;
	}
	for (uint32_t i = 0; i < plan->channel_count; i++) {
		if (channel_place(ctx, &plan->channels[i], &cursor))
			return PLAN_REFUSED;
	}
	plan->shared.size = plan_align_up(cursor, PLAN_BLOCK) - plan->shared.base;
	return PLAN_OK;
}

static const char *core_size_name(const struct plan_core *core)
{
	return core->memory == PLAN_MEMORY_SIZE ? "memory-size" : "memory-range size";
}

static const struct plan_core_spec *core_spec(struct plan_ctx *ctx, const struct plan_core *core)
{
	return &ctx->plan->spec.cores[core->spec_index];
}

/* A core's size (and base) must be whole 2 MiB blocks, and at least the minimum. */
static int memory_check_block(struct plan_ctx *ctx, const struct plan_core *core)
{
	const struct plan_core_spec *spec = core_spec(ctx, core);
	struct strbuf *sb;

	if (spec->memory == PLAN_MEMORY_RANGE && spec->base % PLAN_BLOCK) {
		sb_printf(plan_refuse(ctx, core->node, "memory-misaligned"),
			  "base 0x%llx is not 2 MiB aligned", (unsigned long long)spec->base);
		return PLAN_REFUSED;
	}
	if (spec->size % PLAN_BLOCK) {
		sb_printf(plan_refuse(ctx, core->node, "memory-misaligned"),
			  "%s 0x%llx is not a multiple of 2 MiB", core_size_name(core),
			  (unsigned long long)spec->size);
		return PLAN_REFUSED;
	}
	if (spec->size < PLAN_MIN_CORE_MEMORY) {
		sb = plan_refuse(ctx, core->node, "region-empty");
		sb_printf(sb, "%s 0x%llx (", core_size_name(core), (unsigned long long)spec->size);
		sb_size(sb, spec->size);
		sb_printf(sb, ") is below the ");
		sb_size(sb, PLAN_MIN_CORE_MEMORY);
		sb_printf(sb, " minimum");
		return PLAN_REFUSED;
	}
	return PLAN_OK;
}

/* A region larger than all of RAM can never fit. */
static int memory_check_ram_size(struct plan_ctx *ctx, const struct plan_core *core)
{
	struct plan *plan = ctx->plan;
	uint64_t size = core_spec(ctx, core)->size, ram = plan->ram_end - plan->ram_base;
	struct strbuf *sb;

	if (size <= ram)
		return PLAN_OK;
	sb = plan_refuse(ctx, core->node, "region-oversized");
	sb_printf(sb, "%s 0x%llx (", core_size_name(core), (unsigned long long)size);
	sb_size(sb, size);
	sb_printf(sb, ") is larger than RAM ");
	sb_range(sb, plan->ram_base, ram);
	sb_printf(sb, " (");
	sb_size(sb, ram);
	sb_printf(sb, ")");
	return PLAN_REFUSED;
}

static int refuse_overlap(struct plan_ctx *ctx, const struct plan_core *core, const char *name,
			  struct plan_range other)
{
	struct strbuf *sb = plan_refuse(ctx, core->node, "memory-overlap");

	sb_range(sb, core->region.base, core->region.size);
	sb_printf(sb, " overlaps %s at ", name);
	sb_range(sb, other.base, other.size);
	return PLAN_REFUSED;
}

/* Step 2: a memory-range core is placed as given, after checking where that is. */
static int memory_explicit_range(struct plan_ctx *ctx, struct plan_core *core,
				 const struct plan_core **placed, uint32_t placed_count)
{
	struct plan *plan = ctx->plan;
	const struct plan_core_spec *spec = core_spec(ctx, core);
	uint64_t base = spec->base, size = spec->size;
	struct strbuf *sb;

	if (memory_check_block(ctx, core) || memory_check_ram_size(ctx, core))
		return PLAN_REFUSED;
	if (base < plan->ram_base || base > plan->ram_end || size > plan->ram_end - base) {
		sb = plan_refuse(ctx, core->node, "memory-outside-ram");
		sb_range(sb, base, size);
		sb_printf(sb, " is outside RAM ");
		sb_range(sb, plan->ram_base, plan->ram_end - plan->ram_base);
		return PLAN_REFUSED;
	}
	core->region = (struct plan_range){ base, size };
	if (plan_overlaps(base, size, plan->reserve.base, plan->reserve.size))
		return refuse_overlap(ctx, core, "the partitioner reserve", plan->reserve);
	if (plan_overlaps(base, size, plan->shared.base, plan->shared.size))
		return refuse_overlap(ctx, core, "the shared area", plan->shared);
	for (uint32_t i = 0; i < placed_count; i++) {
		if (plan_overlaps(base, size, placed[i]->region.base, placed[i]->region.size))
			return refuse_overlap(ctx, core, placed[i]->node, placed[i]->region);
	}
	return PLAN_OK;
}

static void free_drop_empty(struct plan *plan)
{
	uint32_t kept = 0;

	for (uint32_t i = 0; i < plan->free_count; i++) {
		if (plan->free[i].size)
			plan->free[kept++] = plan->free[i];
	}
	plan->free_count = kept;
}

/* Remove [base, base+size) from the free ranges, keeping address order. */
static void free_subtract(struct plan *plan, struct plan_range cut)
{
	struct plan_range out[PLAN_MAX_FREE + 1];
	uint32_t n = 0;

	for (uint32_t i = 0; i < plan->free_count; i++) {
		struct plan_range f = plan->free[i];

		if (!plan_overlaps(f.base, f.size, cut.base, cut.size)) {
			out[n++] = f;
			continue;
		}
		if (f.base < cut.base)
			out[n++] = (struct plan_range){ f.base, cut.base - f.base };
		if (cut.base + cut.size < f.base + f.size)
			out[n++] = (struct plan_range){ cut.base + cut.size,
							f.base + f.size - cut.base - cut.size };
	}
	for (uint32_t i = 0; i < n && i < PLAN_MAX_FREE; i++)
		plan->free[i] = out[i];
	plan->free_count = n < PLAN_MAX_FREE ? n : PLAN_MAX_FREE;
}

/* Step 3: free space is RAM past the shared area, minus the explicit ranges. */
static int memory_explicit_ranges(struct plan_ctx *ctx)
{
	struct plan *plan = ctx->plan;
	const struct plan_core *placed[PLAN_MAX_CORES];
	uint32_t placed_count = 0;
	uint64_t shared_end = plan->shared.base + plan->shared.size;

	for (uint32_t i = 0; i < plan->core_count; i++) {
		struct plan_core *core = &plan->cores[i];

		if (core->memory != PLAN_MEMORY_RANGE)
			continue;
		if (memory_explicit_range(ctx, core, placed, placed_count))
			return PLAN_REFUSED;
		placed[placed_count++] = core;
	}
	plan->free[0] = (struct plan_range){ shared_end, plan->ram_end - shared_end };
	plan->free_count = 1;
	for (uint32_t i = 0; i < placed_count; i++)
		free_subtract(plan, placed[i]->region);
	free_drop_empty(plan);
	return PLAN_OK;
}

/* First fit at the lowest address. */
static bool free_take(struct plan *plan, uint64_t size, uint64_t *base)
{
	for (uint32_t i = 0; i < plan->free_count; i++) {
		if (plan->free[i].size < size)
			continue;
		*base = plan->free[i].base;
		plan->free[i].base += size;
		plan->free[i].size -= size;
		free_drop_empty(plan);
		return true;
	}
	return false;
}

/* The largest free range (the lowest of equals), for the detail of a refusal. */
static void sb_free_largest(struct strbuf *sb, const struct plan *plan)
{
	const struct plan_range *best = NULL;

	for (uint32_t i = 0; i < plan->free_count; i++) {
		if (!best || plan->free[i].size > best->size ||
		    (plan->free[i].size == best->size && plan->free[i].base < best->base))
			best = &plan->free[i];
	}
	if (!best) {
		sb_printf(sb, "no free memory is left");
		return;
	}
	sb_printf(sb, "the largest free range is 0x%llx (", (unsigned long long)best->size);
	sb_size(sb, best->size);
	sb_printf(sb, ") at 0x%llx", (unsigned long long)best->base);
}

static int memory_place(struct plan_ctx *ctx, struct plan_core *core, uint64_t size,
			const char *what)
{
	struct strbuf *sb;
	uint64_t base;

	if (free_take(ctx->plan, size, &base)) {
		core->region = (struct plan_range){ base, size };
		return PLAN_OK;
	}
	sb = plan_refuse(ctx, core->node, "region-oversized");
	sb_printf(sb, "%s 0x%llx (", what, (unsigned long long)size);
	sb_size(sb, size);
	sb_printf(sb, ") does not fit: ");
	sb_free_largest(sb, ctx->plan);
	return PLAN_REFUSED;
}

/* Step 4: memory-size cores, ascending reg, first fit. */
static int memory_sized(struct plan_ctx *ctx)
{
	struct plan *plan = ctx->plan;

	for (uint32_t i = 0; i < plan->core_count; i++) {
		struct plan_core *core = &plan->cores[i];

		if (core->memory != PLAN_MEMORY_SIZE)
			continue;
		if (memory_check_block(ctx, core) || memory_check_ram_size(ctx, core) ||
		    memory_place(ctx, core, core_spec(ctx, core)->size, "memory-size"))
			return PLAN_REFUSED;
	}
	return PLAN_OK;
}

static int refuse_share(struct plan_ctx *ctx, const struct plan_core *first, uint64_t total,
			uint32_t rest, uint64_t share)
{
	struct strbuf *sb = plan_refuse(ctx, first->node, "region-empty");

	sb_printf(sb, "the rest of RAM, 0x%llx (", (unsigned long long)total);
	sb_size(sb, total);
	sb_printf(sb, ") over %u memory-rest cores, is 0x%llx (", rest, (unsigned long long)share);
	sb_size(sb, share);
	sb_printf(sb, ") each, below the ");
	sb_size(sb, PLAN_MIN_CORE_MEMORY);
	sb_printf(sb, " minimum");
	return PLAN_REFUSED;
}

/* Step 5: the free bytes split evenly in whole blocks among memory-rest cores. */
static int memory_rest(struct plan_ctx *ctx)
{
	struct plan *plan = ctx->plan;
	struct plan_core *first = NULL;
	uint64_t total = 0, share;
	uint32_t rest = 0;

	for (uint32_t i = 0; i < plan->core_count; i++) {
		if (plan->cores[i].memory != PLAN_MEMORY_REST)
			continue;
		first = first ? first : &plan->cores[i];
		rest++;
	}
	if (!rest)
		return PLAN_OK;
	for (uint32_t i = 0; i < plan->free_count; i++)
		total += plan->free[i].size;
	share = total / rest / PLAN_BLOCK * PLAN_BLOCK;
	if (share < PLAN_MIN_CORE_MEMORY)
		return refuse_share(ctx, first, total, rest, share);
	for (uint32_t i = 0; i < plan->core_count; i++) {
		if (plan->cores[i].memory == PLAN_MEMORY_REST &&
		    memory_place(ctx, &plan->cores[i], share, "memory-rest share"))
			return PLAN_REFUSED;
	}
	return PLAN_OK;
}

/* Step 6: each region is its kernel window, then its user memory. */
static void memory_split(struct plan *plan)
{
	for (uint32_t i = 0; i < plan->core_count; i++) {
		struct plan_core *core = &plan->cores[i];

		core->kernel = (struct plan_range){ core->region.base, PLAN_KERNEL_REGION };
		core->user = (struct plan_range){ core->region.base + PLAN_KERNEL_REGION,
						  core->region.size - PLAN_KERNEL_REGION };
	}
}

int plan_memory(struct plan_ctx *ctx)
{
	if (memory_ram(ctx) || memory_shared_area(ctx) || memory_explicit_ranges(ctx) ||
	    memory_sized(ctx) || memory_rest(ctx))
		return PLAN_REFUSED;
	memory_split(ctx->plan);
	return PLAN_OK;
}
