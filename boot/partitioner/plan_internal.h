/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by the planner's files only: the planning context, the refusal line
 * builder, and property readers that mirror spec.py's prop_u32s / prop_strings /
 * prop_reg exactly (an absent property reads as empty, as `props.get(name, b"")`).
 */
#ifndef PARTITIONER_PLAN_INTERNAL_H
#define PARTITIONER_PLAN_INTERNAL_H

#include "plan.h"

/* A growing line in a fixed buffer; output past the end is dropped. */
struct strbuf {
	char *buf;
	size_t size, len;
};

struct plan_ctx {
	const struct fdt *spec, *machine;
	const struct plan_options *opts;
	struct plan *plan;
	struct strbuf err;
	/* Machine nodes found once (offsets in the machine blob). */
	int ram_node, gic_node;
	bool gic_has_phandle;
	uint32_t gic_phandle;
};

/* A property's bytes; absent = present false, data NULL, len 0. */
struct plan_prop {
	const uint8_t *data;
	uint32_t len;
	bool present;
};

/* reg entries: ac address cells then sc size cells, each at most 2. */
struct plan_reg {
	const uint8_t *data;
	uint32_t count, ac, sc;
};

void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_size(struct strbuf *sb, uint64_t n);
void sb_range(struct strbuf *sb, uint64_t base, uint64_t size);
void sb_node_path(struct strbuf *sb, const struct fdt *fdt, int node);

/* Start the line "spec: <node>: <rule>: "; the caller appends the detail. */
struct strbuf *plan_refuse(struct plan_ctx *ctx, const char *node, const char *rule);
struct strbuf *plan_refuse_at(struct plan_ctx *ctx, const struct fdt *fdt, int node,
			      const char *rule);
/* Start the line "spec: machine: " for a machine DTB the planner cannot read. */
struct strbuf *plan_machine_error(struct plan_ctx *ctx);

struct plan_prop plan_prop_get(const struct fdt *fdt, int node, const char *name);
bool plan_cells_ok(struct plan_prop p);                 /* length a multiple of 4 */
uint32_t plan_cell_count(struct plan_prop p);
uint32_t plan_cell(struct plan_prop p, uint32_t index);
uint64_t plan_cells_int(const uint8_t *cells, uint32_t count);  /* count <= 2 */
bool plan_strings_ok(struct plan_prop p);               /* spec.py's prop_strings is not None */
uint32_t plan_string_count(struct plan_prop p);
const char *plan_string_next(struct plan_prop p, const char *s);   /* NULL after the last */
bool plan_strings_contain(struct plan_prop p, const char *s);
bool plan_strings_equal_one(struct plan_prop p, const char *s);     /* exactly [s] */
uint32_t plan_cells_of(const struct fdt *fdt, int node, const char *name, uint32_t def);
bool plan_reg_open(struct plan_prop p, uint32_t ac, uint32_t sc, struct plan_reg *reg);
struct plan_range plan_reg_at(const struct plan_reg *reg, uint32_t index);

int plan_child(const struct fdt *fdt, int parent, const char *name);  /* exact name */
bool plan_starts_with(const char *s, const char *prefix);
size_t plan_node_path_len(const struct fdt *fdt, int node);
bool plan_node_path(const struct fdt *fdt, int node, char *buf, size_t size);
bool plan_overlaps(uint64_t a_base, uint64_t a_size, uint64_t b_base, uint64_t b_size);
uint64_t plan_align_up(uint64_t n, uint64_t a);        /* n must not wrap */
uint64_t plan_align_down(uint64_t n, uint64_t a);

/* The phases, in order; each returns PLAN_OK or the status of its refusal. */
int plan_spec_parse(struct plan_ctx *ctx);
int plan_machine_read(struct plan_ctx *ctx);
int plan_cores(struct plan_ctx *ctx);
int plan_memory(struct plan_ctx *ctx);
int plan_devices(struct plan_ctx *ctx);
int plan_channels(struct plan_ctx *ctx);
int plan_programs(struct plan_ctx *ctx);

/* Machine devices, for the device phase (plan_machine.c). */
struct plan_machine_device {
	int node;
	struct plan_prop compatible;    /* data NULL when not a valid string list */
	uint32_t reg_count, spi_count;  /* counts may exceed the stored arrays */
	struct plan_range regs[PLAN_MAX_DEVICE_REGS];
	uint64_t spis[PLAN_MAX_DEVICE_SPIS];
	const char *reserved;           /* why no core may own it, or NULL */
};

/* The machine node at exactly this path that has a reg (not the root), or < 0. */
int plan_machine_device_at(struct plan_ctx *ctx, const char *path);
/* The next node with a reg after `after` (-1: the first) compatible with compat, or < 0. */
int plan_machine_next_compatible(struct plan_ctx *ctx, int after, const char *compat);
void plan_machine_device_read(struct plan_ctx *ctx, int node, struct plan_machine_device *dev);

#endif /* PARTITIONER_PLAN_INTERNAL_H */
