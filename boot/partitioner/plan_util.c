// SPDX-License-Identifier: BSD-2-Clause
/*
 * The planner's small tools: the refusal line (one fixed buffer, filled left to
 * right), the formatting spec.py uses in messages (fmt_size, fmt_range), node
 * paths, and property readers that mirror spec.py's: a property is read exactly
 * as tools/spec.py reads the same bytes, so both accept and refuse alike.
 */
#include <stdarg.h>

#include <kernel/string.h>

#include "plan_internal.h"

#define KIB 1024ull
#define MIB (1024ull * KIB)
#define GIB (1024ull * MIB)

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (sb->len + 1 >= sb->size)
		return;
	room = sb->size - sb->len;
	va_start(ap, fmt);
	n = kvsnprintf(sb->buf + sb->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb->len += (size_t)n < room ? (size_t)n : room - 1;
}

/* A byte count as people read it: GiB, MiB or KiB when exact, else bytes. */
void sb_size(struct strbuf *sb, uint64_t n)
{
	if (n && n % GIB == 0)
		sb_printf(sb, "%llu GiB", (unsigned long long)(n / GIB));
	else if (n && n % MIB == 0)
		sb_printf(sb, "%llu MiB", (unsigned long long)(n / MIB));
	else if (n && n % KIB == 0)
		sb_printf(sb, "%llu KiB", (unsigned long long)(n / KIB));
	else
		sb_printf(sb, "%llu bytes", (unsigned long long)n);
}

/* [base, base+size) as 0xSTART-0xEND; an end past 2^64 is printed whole, as Python does. */
void sb_range(struct strbuf *sb, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	if (end < base)
		sb_printf(sb, "0x%llx-0x1%016llx", (unsigned long long)base, (unsigned long long)end);
	else
		sb_printf(sb, "0x%llx-0x%llx", (unsigned long long)base, (unsigned long long)end);
}

/* The node's ancestors below the root, deepest first; returns how many. */
static unsigned node_chain(const struct fdt *fdt, int node, int chain[FDT_MAX_DEPTH])
{
	int root = fdt_root(fdt);
	unsigned depth = 0;

	for (int n = node; n >= 0 && n != root && depth < FDT_MAX_DEPTH; n = fdt_parent(fdt, n))
		chain[depth++] = n;
	return depth;
}

void sb_node_path(struct strbuf *sb, const struct fdt *fdt, int node)
{
	int chain[FDT_MAX_DEPTH];
	unsigned depth = node_chain(fdt, node, chain);

	if (depth == 0)
		sb_printf(sb, "/");
	while (depth--)
		sb_printf(sb, "/%s", fdt_name(fdt, chain[depth]));
}

size_t plan_node_path_len(const struct fdt *fdt, int node)
{
	int chain[FDT_MAX_DEPTH];
	unsigned depth = node_chain(fdt, node, chain);
	size_t len = depth ? 0 : 1;

	while (depth--)
		len += 1 + kstrlen(fdt_name(fdt, chain[depth]));
	return len;
}

bool plan_node_path(const struct fdt *fdt, int node, char *buf, size_t size)
{
	return fdt_node_path(fdt, node, buf, size) == FDT_OK;
}

static struct strbuf *refuse_start(struct plan_ctx *ctx)
{
	ctx->err.len = 0;
	if (ctx->err.size)
		ctx->err.buf[0] = '\0';
	sb_printf(&ctx->err, "spec: ");
	return &ctx->err;
}

struct strbuf *plan_refuse(struct plan_ctx *ctx, const char *node, const char *rule)
{
	struct strbuf *sb = refuse_start(ctx);

	sb_printf(sb, "%s: %s: ", node, rule);
	return sb;
}

struct strbuf *plan_refuse_at(struct plan_ctx *ctx, const struct fdt *fdt, int node,
			      const char *rule)
{
	struct strbuf *sb = refuse_start(ctx);

	sb_node_path(sb, fdt, node);
	sb_printf(sb, ": %s: ", rule);
	return sb;
}

struct strbuf *plan_machine_error(struct plan_ctx *ctx)
{
	struct strbuf *sb = refuse_start(ctx);

	sb_printf(sb, "machine: ");
	return sb;
}

struct plan_prop plan_prop_get(const struct fdt *fdt, int node, const char *name)
{
	struct plan_prop p;

	p.data = fdt_prop(fdt, node, name, &p.len);
	p.present = p.data != NULL;
	return p;
}

bool plan_cells_ok(struct plan_prop p)
{
	return p.len % 4 == 0;
}

uint32_t plan_cell_count(struct plan_prop p)
{
	return p.len / 4;
}

uint32_t plan_cell(struct plan_prop p, uint32_t index)
{
	return fdt_be32(p.data + 4 * index);
}

uint64_t plan_cells_int(const uint8_t *cells, uint32_t count)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < count; i++)
		n = n << 32 | fdt_be32(cells + 4 * i);
	return n;
}

/* One or more non-empty ASCII strings, each NUL-terminated. */
bool plan_strings_ok(struct plan_prop p)
{
	if (p.len == 0 || p.data[p.len - 1] != 0 || p.data[0] == 0)
		return false;
	for (uint32_t i = 0; i + 1 < p.len; i++) {
		if (p.data[i] >= 0x80 || (p.data[i] == 0 && p.data[i + 1] == 0))
			return false;
	}
	return true;
}

const char *plan_string_next(struct plan_prop p, const char *s)
{
	const char *next = s + kstrlen(s) + 1;

	return next < (const char *)p.data + p.len ? next : NULL;
}

uint32_t plan_string_count(struct plan_prop p)
{
	uint32_t n = 0;

	for (const char *s = (const char *)p.data; s; s = plan_string_next(p, s))
		n++;
	return n;
}

bool plan_strings_contain(struct plan_prop p, const char *want)
{
	if (!plan_strings_ok(p))
		return false;
	for (const char *s = (const char *)p.data; s; s = plan_string_next(p, s)) {
		if (kstrcmp(s, want) == 0)
			return true;
	}
	return false;
}

bool plan_strings_equal_one(struct plan_prop p, const char *want)
{
	return plan_strings_ok(p) && plan_string_count(p) == 1 &&
	       kstrcmp((const char *)p.data, want) == 0;
}

/* #address-cells and the like: the first cell, else the default (as spec.py's cells_of). */
uint32_t plan_cells_of(const struct fdt *fdt, int node, const char *name, uint32_t def)
{
	struct plan_prop p = plan_prop_get(fdt, node, name);

	return plan_cells_ok(p) && plan_cell_count(p) ? plan_cell(p, 0) : def;
}

bool plan_reg_open(struct plan_prop p, uint32_t ac, uint32_t sc, struct plan_reg *reg)
{
	uint32_t step = ac + sc;

	if (!plan_cells_ok(p) || ac > 2 || sc > 2 || step == 0 || plan_cell_count(p) % step)
		return false;
	reg->data = p.data;
	reg->count = plan_cell_count(p) / step;
	reg->ac = ac;
	reg->sc = sc;
	return true;
}

struct plan_range plan_reg_at(const struct plan_reg *reg, uint32_t index)
{
	const uint8_t *entry = reg->data + 4 * index * (reg->ac + reg->sc);
	struct plan_range r;

	r.base = plan_cells_int(entry, reg->ac);
	r.size = plan_cells_int(entry + 4 * reg->ac, reg->sc);
	return r;
}

int plan_child(const struct fdt *fdt, int parent, const char *name)
{
	for (int n = fdt_first_child(fdt, parent); n >= 0; n = fdt_next_sibling(fdt, n)) {
		if (kstrcmp(fdt_name(fdt, n), name) == 0)
			return n;
	}
	return FDT_ERR_NOT_FOUND;
}

bool plan_starts_with(const char *s, const char *prefix)
{
	return kstrncmp(s, prefix, kstrlen(prefix)) == 0;
}

/* Callers only pass ranges whose ends do not wrap (both inside RAM). */
bool plan_overlaps(uint64_t a_base, uint64_t a_size, uint64_t b_base, uint64_t b_size)
{
	return a_base < b_base + b_size && b_base < a_base + a_size;
}

uint64_t plan_align_up(uint64_t n, uint64_t a)
{
	return (n + a - 1) / a * a;
}

uint64_t plan_align_down(uint64_t n, uint64_t a)
{
	return n / a * a;
}
