/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Flattened device tree reader; see fdt.h for the contract. It is built into
 * the kernel (-ffreestanding -fno-builtin) and the boot loader
 * (-mstrict-align), so it calls no libc, never dereferences a multi-byte
 * pointer into the blob (fdt_be32 reads bytes), and never builds a pointer
 * past the checked bounds. All structure-block arithmetic is done on offsets
 * checked against struct_size before use, in 64 bits where a sum could wrap.
 *
 * One file, longer than the house ~500-line guide: the validator and the
 * readers share the token decoder, and splitting them would export it.
 */
#include "fdt.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_FIRST_VERSION 16u
#define FDT_LAST_COMP_VERSION 17u

/* Structure-block tokens. FDT_TAG_BAD is not in the spec: "cannot decode". */
#define FDT_BEGIN_NODE 0x1u
#define FDT_END_NODE 0x2u
#define FDT_PROP 0x3u
#define FDT_NOP 0x4u
#define FDT_END 0x9u
#define FDT_TAG_BAD 0x0u

/* Header field offsets; size_dt_struct exists only from version 17. */
#define FDT_HDR_MAGIC 0u
#define FDT_HDR_TOTAL_SIZE 4u
#define FDT_HDR_OFF_STRUCT 8u
#define FDT_HDR_OFF_STRINGS 12u
#define FDT_HDR_OFF_RSVMAP 16u
#define FDT_HDR_VERSION 20u
#define FDT_HDR_LAST_COMP 24u
#define FDT_HDR_SIZE_STRINGS 32u
#define FDT_HDR_SIZE_STRUCT 36u
#define FDT_V16_HEADER_SIZE 36u
#define FDT_V17_HEADER_SIZE 40u

#define FDT_RSV_ENTRY_SIZE 16u
#define FDT_PROP_HEADER_SIZE 12u
/* Handles are ints, so every offset must fit in one. */
#define FDT_MAX_TOTAL_SIZE 0x7fffffffu

uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_be64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)fdt_be32(b) << 32 | fdt_be32(b + 4);
}

/* Length of the string at s if a NUL occurs within its first max bytes. */
static bool fdt_strnlen(const uint8_t *s, uint32_t max, uint32_t *len)
{
	for (uint32_t i = 0; i < max; i++) {
		if (s[i] == 0) {
			*len = i;
			return true;
		}
	}
	return false;
}

/* Length of a caller's string, which is trusted to be NUL-terminated. */
static size_t fdt_cstr_len(const char *s)
{
	size_t n = 0;

	while (s[n] != 0)
		n++;
	return n;
}

/* Whether s (max readable bytes) holds exactly want[0..len) followed by NUL. */
static bool fdt_str_equals(const uint8_t *s, uint32_t max, const char *want, size_t len)
{
	if (len >= max)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != (uint8_t)want[i])
			return false;
	}
	return s[len] == 0;
}

/* Whether two non-empty byte ranges [a, a+an) and [b, b+bn) intersect. */
static bool fdt_ranges_overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return an != 0 && bn != 0 && a < b + bn && b < a + an;
}

const char *fdt_strerror(int status)
{
	switch (status) {
	case FDT_OK: return "ok";
	case FDT_ERR_TRUNCATED: return "blob truncated";
	case FDT_ERR_BAD_MAGIC: return "bad magic";
	case FDT_ERR_BAD_VERSION: return "unsupported version";
	case FDT_ERR_BAD_HEADER: return "bad header block layout";
	case FDT_ERR_BAD_STRUCTURE: return "malformed structure block";
	case FDT_ERR_NOT_FOUND: return "not found";
	case FDT_ERR_BAD_OFFSET: return "bad node or property offset";
	case FDT_ERR_BAD_VALUE: return "bad value";
	default: return "unknown error";
	}
}

uint32_t fdt_header_total_size(const void *blob, size_t avail)
{
	if (blob == NULL || avail < 8 || fdt_be32(blob) != FDT_MAGIC)
		return 0;
	return fdt_be32((const uint8_t *)blob + FDT_HDR_TOTAL_SIZE);
}

/*
 * Decode the token at structure offset off (4-aligned) and set *next to the
 * offset of the token after it. The whole token, padding included, must lie
 * inside the structure block and a node name must be NUL-terminated there;
 * otherwise FDT_TAG_BAD. Every walk goes through here, and *next > off, so
 * every walk ends within struct_size / 4 steps.
 */
static uint32_t fdt_next_tag(const struct fdt *fdt, uint32_t off, uint32_t *next)
{
	const uint8_t *s = fdt->blob + fdt->struct_off;
	uint32_t tag, name_len;
	uint64_t end;

	if (off > fdt->struct_size || fdt->struct_size - off < 4)
		return FDT_TAG_BAD;
	tag = fdt_be32(s + off);
	switch (tag) {
	case FDT_BEGIN_NODE:
		if (!fdt_strnlen(s + off + 4, fdt->struct_size - off - 4, &name_len))
			return FDT_TAG_BAD;
		end = (uint64_t)off + 4 + name_len + 1;
		break;
	case FDT_PROP:
		if (fdt->struct_size - off < FDT_PROP_HEADER_SIZE)
			return FDT_TAG_BAD;
		end = (uint64_t)off + FDT_PROP_HEADER_SIZE + fdt_be32(s + off + 4);
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		end = (uint64_t)off + 4;
		break;
	default:
		return FDT_TAG_BAD;
	}
	end = (end + 3) & ~(uint64_t)3;
	if (end > fdt->struct_size)
		return FDT_TAG_BAD;
	*next = (uint32_t)end;
	return tag;
}

/* The first token at or after off that is not a NOP; its offset in *at. */
static uint32_t fdt_skip_nops(const struct fdt *fdt, uint32_t off, uint32_t *at)
{
	uint32_t tag, next;

	while ((tag = fdt_next_tag(fdt, off, &next)) == FDT_NOP)
		off = next;
	*at = off;
	return tag;
}

/* The first token at or after off that is neither a property nor a NOP. */
static uint32_t fdt_skip_props(const struct fdt *fdt, uint32_t off, uint32_t *at)
{
	uint32_t tag, next;

	for (;;) {
		tag = fdt_next_tag(fdt, off, &next);
		if (tag != FDT_PROP && tag != FDT_NOP)
			break;
		off = next;
	}
	*at = off;
	return tag;
}

static bool fdt_usable(const struct fdt *fdt)
{
	return fdt != NULL && fdt->blob != NULL;
}

/* Whether handle is a 4-aligned offset of a `want` token; if so, *next follows it. */
static bool fdt_token_ok(const struct fdt *fdt, int handle, uint32_t want, uint32_t *next)
{
	if (!fdt_usable(fdt) || handle < 0 || (handle & 3) != 0)
		return false;
	return fdt_next_tag(fdt, (uint32_t)handle, next) == want;
}

static bool fdt_node_ok(const struct fdt *fdt, int node, uint32_t *body)
{
	return fdt_token_ok(fdt, node, FDT_BEGIN_NODE, body);
}

/* Whether nameoff names a string equal to want[0..len) inside the strings block. */
static bool fdt_string_equals(const struct fdt *fdt, uint32_t nameoff, const char *want,
			      size_t len)
{
	if (nameoff >= fdt->strings_size)
		return false;
	return fdt_str_equals(fdt->blob + fdt->strings_off + nameoff,
			      fdt->strings_size - nameoff, want, len);
}

/* The NUL-terminated string at nameoff in the strings block, or NULL. */
static const char *fdt_string(const struct fdt *fdt, uint32_t nameoff)
{
	uint32_t len;
	const uint8_t *s;

	if (nameoff >= fdt->strings_size)
		return NULL;
	s = fdt->blob + fdt->strings_off + nameoff;
	if (!fdt_strnlen(s, fdt->strings_size - nameoff, &len))
		return NULL;
	return (const char *)s;
}

/* ---- Validation (fdt_init) ---- */

static void fdt_clear(struct fdt *fdt)
{
	fdt->blob = NULL;
	fdt->total_size = 0;
	fdt->struct_off = 0;
	fdt->struct_size = 0;
	fdt->strings_off = 0;
	fdt->strings_size = 0;
}

static bool fdt_block_inside(uint32_t off, uint32_t size, uint32_t hdr_size, uint32_t total)
{
	return off >= hdr_size && (uint64_t)off + size <= total;
}

/*
 * Version 16 has no size_dt_struct: bound the block by whichever of the
 * strings block, the reservation map or the end comes next. The structure
 * walk then trims it to end at FDT_END.
 */
static uint32_t fdt_v16_struct_size(uint32_t struct_off, uint32_t strings_off, uint32_t rsv_off,
				    uint32_t total)
{
	uint32_t end = total;

	if (strings_off > struct_off && strings_off < end)
		end = strings_off;
	if (rsv_off > struct_off && rsv_off < end)
		end = rsv_off;
	return end - struct_off;
}

static uint32_t fdt_header_size(uint32_t version)
{
	return version >= 17 ? FDT_V17_HEADER_SIZE : FDT_V16_HEADER_SIZE;
}

/* Check the magic, versions and block layout; fill in f on success. */
static int fdt_check_header(struct fdt *f, const uint8_t *b, size_t avail)
{
	uint32_t version, hdr_size, total;

	if (avail < 4)
		return FDT_ERR_TRUNCATED;
	if (fdt_be32(b + FDT_HDR_MAGIC) != FDT_MAGIC)
		return FDT_ERR_BAD_MAGIC;
	if (avail < FDT_V17_HEADER_SIZE)
		return FDT_ERR_TRUNCATED;
	version = fdt_be32(b + FDT_HDR_VERSION);
	if (version < FDT_FIRST_VERSION || fdt_be32(b + FDT_HDR_LAST_COMP) > FDT_LAST_COMP_VERSION)
		return FDT_ERR_BAD_VERSION;
	hdr_size = fdt_header_size(version);
	total = fdt_be32(b + FDT_HDR_TOTAL_SIZE);
	if (total < hdr_size)
		return FDT_ERR_BAD_HEADER;
	if (total > avail)
		return FDT_ERR_TRUNCATED;
	if (total > FDT_MAX_TOTAL_SIZE)
		return FDT_ERR_BAD_HEADER;

	f->blob = b;
	f->total_size = total;
	f->struct_off = fdt_be32(b + FDT_HDR_OFF_STRUCT);
	f->strings_off = fdt_be32(b + FDT_HDR_OFF_STRINGS);
	f->strings_size = fdt_be32(b + FDT_HDR_SIZE_STRINGS);
	if ((f->struct_off & 3) != 0 || f->struct_off > total)
		return FDT_ERR_BAD_HEADER;
	if (version >= 17)
		f->struct_size = fdt_be32(b + FDT_HDR_SIZE_STRUCT);
	else
		f->struct_size = fdt_v16_struct_size(f->struct_off, f->strings_off,
						     fdt_be32(b + FDT_HDR_OFF_RSVMAP), total);
	if (!fdt_block_inside(f->struct_off, f->struct_size, hdr_size, total) ||
	    !fdt_block_inside(f->strings_off, f->strings_size, hdr_size, total) ||
	    fdt_ranges_overlap(f->struct_off, f->struct_size, f->strings_off, f->strings_size))
		return FDT_ERR_BAD_HEADER;
	return FDT_OK;
}

/*
 * The reservation map has no size field: it runs to a (0, 0) entry. That
 * entry must come before the next block (or the end), and the map must not
 * start inside the header or another block.
 */
static int fdt_check_rsvmap(const struct fdt *f)
{
	uint32_t hdr_size = fdt_header_size(fdt_be32(f->blob + FDT_HDR_VERSION));
	uint32_t off = fdt_be32(f->blob + FDT_HDR_OFF_RSVMAP);
	uint64_t limit = f->total_size;
	const uint8_t *e;

	if ((off & 7) != 0 || off < hdr_size || off >= f->total_size)
		return FDT_ERR_BAD_HEADER;
	if (f->struct_size != 0 && f->struct_off >= off && f->struct_off < limit)
		limit = f->struct_off;
	if (f->strings_size != 0 && f->strings_off >= off && f->strings_off < limit)
		limit = f->strings_off;
	for (uint64_t at = off; at + FDT_RSV_ENTRY_SIZE <= limit; at += FDT_RSV_ENTRY_SIZE) {
		e = f->blob + at;
		if (fdt_be64(e) != 0 || fdt_be64(e + 8) != 0)
			continue;
		at += FDT_RSV_ENTRY_SIZE;
		if (fdt_ranges_overlap(off, at - off, f->struct_off, f->struct_size) ||
		    fdt_ranges_overlap(off, at - off, f->strings_off, f->strings_size))
			return FDT_ERR_BAD_HEADER;
		return FDT_OK;
	}
	/* Its terminator is what gives the map a size, so this is a layout error. */
	return FDT_ERR_BAD_HEADER;
}

/* Non-root names must be non-empty and free of '/', so paths round-trip. */
static bool fdt_check_node_name(const struct fdt *f, uint32_t node, int depth)
{
	const uint8_t *name = f->blob + f->struct_off + node + 4;

	if (depth == 0)
		return true;
	if (name[0] == 0)
		return false;
	for (uint32_t i = 0; name[i] != 0; i++) {
		if (name[i] == '/')
			return false;
	}
	return true;
}

/* A property's value is in bounds (fdt_next_tag); its name must be too. */
static bool fdt_check_prop_name(const struct fdt *f, uint32_t prop)
{
	uint32_t nameoff = fdt_be32(f->blob + f->struct_off + prop + 8);

	return fdt_string(f, nameoff) != NULL;
}

/*
 * Walk the structure block once: exactly one root, balanced nodes at most
 * FDT_MAX_DEPTH deep, properties only inside a node and before its
 * children, then FDT_END. f->struct_size is trimmed to end there, so later
 * walks never see what a header's oversized block may hold beyond it.
 */
static int fdt_check_structure(struct fdt *f)
{
	uint32_t off = 0, next, tag;
	int depth = 0;
	bool seen_root = false, had_child = false;

	for (;;) {
		tag = fdt_next_tag(f, off, &next);
		switch (tag) {
		case FDT_BEGIN_NODE:
			if ((depth == 0 && seen_root) || depth == FDT_MAX_DEPTH ||
			    !fdt_check_node_name(f, off, depth))
				return FDT_ERR_BAD_STRUCTURE;
			seen_root = true;
			had_child = false;
			depth++;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return FDT_ERR_BAD_STRUCTURE;
			depth--;
			had_child = true; /* we are back in a node that has a child */
			break;
		case FDT_PROP:
			if (depth == 0 || had_child || !fdt_check_prop_name(f, off))
				return FDT_ERR_BAD_STRUCTURE;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth != 0 || !seen_root)
				return FDT_ERR_BAD_STRUCTURE;
			f->struct_size = next;
			return FDT_OK;
		default:
			return FDT_ERR_BAD_STRUCTURE;
		}
		off = next;
	}
}

int fdt_init(struct fdt *fdt, const void *blob, size_t avail)
{
	int status;

	if (fdt == NULL)
		return FDT_ERR_BAD_VALUE;
	fdt_clear(fdt);
	if (blob == NULL)
		return FDT_ERR_BAD_VALUE;
	status = fdt_check_header(fdt, blob, avail);
	if (status == FDT_OK)
		status = fdt_check_rsvmap(fdt);
	if (status == FDT_OK)
		status = fdt_check_structure(fdt);
	if (status != FDT_OK)
		fdt_clear(fdt);
	return status;
}

int fdt_mem_rsv(const struct fdt *fdt, uint32_t index, uint64_t *addr, uint64_t *size)
{
	uint64_t at;
	uint64_t a, s;

	if (!fdt_usable(fdt) || fdt->total_size < FDT_V16_HEADER_SIZE)
		return FDT_ERR_BAD_VALUE;
	at = fdt_be32(fdt->blob + FDT_HDR_OFF_RSVMAP);
	for (uint64_t i = 0; at + FDT_RSV_ENTRY_SIZE <= fdt->total_size; i++) {
		a = fdt_be64(fdt->blob + at);
		s = fdt_be64(fdt->blob + at + 8);
		if (a == 0 && s == 0)
			break;
		if (i == index) {
			if (addr != NULL)
				*addr = a;
			if (size != NULL)
				*size = s;
			return FDT_OK;
		}
		at += FDT_RSV_ENTRY_SIZE;
	}
	return FDT_ERR_NOT_FOUND;
}

/* ---- Tree navigation ---- */

int fdt_root(const struct fdt *fdt)
{
	uint32_t at;

	if (!fdt_usable(fdt))
		return FDT_ERR_BAD_VALUE;
	if (fdt_skip_nops(fdt, 0, &at) != FDT_BEGIN_NODE)
		return FDT_ERR_BAD_STRUCTURE;
	return (int)at;
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
	uint32_t off, next, tag;

	if (!fdt_node_ok(fdt, node, &off))
		return FDT_ERR_BAD_OFFSET;
	for (;; off = next) {
		tag = fdt_next_tag(fdt, off, &next);
		if (tag == FDT_BEGIN_NODE) {
			if (depth != NULL)
				(*depth)++;
			return (int)off;
		}
		if (tag == FDT_END_NODE && depth != NULL)
			(*depth)--;
		else if (tag == FDT_END)
			return FDT_ERR_NOT_FOUND;
		else if (tag == FDT_TAG_BAD)
			return FDT_ERR_BAD_STRUCTURE;
	}
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	uint32_t body, at, tag;

	if (!fdt_node_ok(fdt, node, &body))
		return FDT_ERR_BAD_OFFSET;
	tag = fdt_skip_props(fdt, body, &at);
	if (tag == FDT_BEGIN_NODE)
		return (int)at;
	return tag == FDT_END_NODE ? FDT_ERR_NOT_FOUND : FDT_ERR_BAD_STRUCTURE;
}

/* Offset just past the END_NODE that closes the node at off (checked by the caller). */
static bool fdt_subtree_end(const struct fdt *fdt, uint32_t off, uint32_t *end)
{
	uint32_t next, tag;
	int depth = 0;

	do {
		tag = fdt_next_tag(fdt, off, &next);
		if (tag == FDT_BEGIN_NODE)
			depth++;
		else if (tag == FDT_END_NODE)
			depth--;
		else if (tag != FDT_PROP && tag != FDT_NOP)
			return false;
		off = next;
	} while (depth > 0);
	*end = off;
	return true;
}

/* The node starting at or after end (just past a sibling's END_NODE), or NOT_FOUND. */
static int fdt_sibling_from(const struct fdt *fdt, uint32_t end)
{
	uint32_t at, tag = fdt_skip_nops(fdt, end, &at);

	if (tag == FDT_BEGIN_NODE)
		return (int)at;
	return tag == FDT_END_NODE || tag == FDT_END ? FDT_ERR_NOT_FOUND : FDT_ERR_BAD_STRUCTURE;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	uint32_t body, end;

	if (!fdt_node_ok(fdt, node, &body))
		return FDT_ERR_BAD_OFFSET;
	if (!fdt_subtree_end(fdt, (uint32_t)node, &end))
		return FDT_ERR_BAD_STRUCTURE;
	return fdt_sibling_from(fdt, end);
}

/* The child of parent whose subtree holds target, or a negative status. */
static int fdt_child_containing(const struct fdt *fdt, int parent, uint32_t target)
{
	uint32_t end;
	int child = fdt_first_child(fdt, parent);

	while (child >= 0) {
		if (target < (uint32_t)child)
			return FDT_ERR_NOT_FOUND;
		if (!fdt_subtree_end(fdt, (uint32_t)child, &end))
			return FDT_ERR_BAD_STRUCTURE;
		if (target < end)
			return child;
		child = fdt_sibling_from(fdt, end);
	}
	return child;
}

int fdt_parent(const struct fdt *fdt, int node)
{
	uint32_t body;
	int parent, child;

	if (!fdt_node_ok(fdt, node, &body))
		return FDT_ERR_BAD_OFFSET;
	parent = fdt_root(fdt);
	if (parent < 0)
		return parent;
	if (parent == node)
		return FDT_ERR_NOT_FOUND;
	/* Each step goes one level down; a validated tree is at most FDT_MAX_DEPTH deep. */
	for (int level = 0; level < FDT_MAX_DEPTH; level++) {
		child = fdt_child_containing(fdt, parent, (uint32_t)node);
		if (child < 0)
			return child;
		if (child == node)
			return parent;
		parent = child;
	}
	return FDT_ERR_BAD_STRUCTURE;
}

/* Whether a node name matches name[0..len): exactly, or as name@unit if name has no '@'. */
static bool fdt_name_matches(const char *node_name, const char *name, size_t len, bool *exact)
{
	bool has_unit = false;

	for (size_t i = 0; i < len; i++) {
		if (node_name[i] != name[i])
			return false;
		has_unit |= name[i] == '@';
	}
	*exact = node_name[len] == 0;
	return *exact || (node_name[len] == '@' && !has_unit);
}

/* fdt_subnode with a counted name; an exact match beats name@unit. */
static int fdt_subnode_n(const struct fdt *fdt, int parent, const char *name, size_t len)
{
	int child, first_unit = FDT_ERR_NOT_FOUND;
	bool exact;

	for (child = fdt_first_child(fdt, parent); child >= 0;
	     child = fdt_next_sibling(fdt, child)) {
		const char *child_name = fdt_name(fdt, child);

		if (child_name == NULL || !fdt_name_matches(child_name, name, len, &exact))
			continue;
		if (exact)
			return child;
		if (first_unit < 0)
			first_unit = child;
	}
	return child == FDT_ERR_NOT_FOUND ? first_unit : child;
}

int fdt_subnode(const struct fdt *fdt, int parent, const char *name)
{
	uint32_t body;

	if (!fdt_node_ok(fdt, parent, &body))
		return FDT_ERR_BAD_OFFSET;
	if (name == NULL)
		return FDT_ERR_BAD_VALUE;
	return fdt_subnode_n(fdt, parent, name, fdt_cstr_len(name));
}

/* Resolve '/'-separated components of path under node; empty components are skipped. */
static int fdt_path_from(const struct fdt *fdt, int node, const char *path, size_t len)
{
	size_t at = 0, end;

	while (at < len && node >= 0) {
		if (path[at] == '/') {
			at++;
			continue;
		}
		for (end = at; end < len && path[end] != '/'; end++)
			;
		node = fdt_subnode_n(fdt, node, path + at, end - at);
		at = end;
	}
	return node;
}

/* The node an /aliases entry alias[0..len) names. */
static int fdt_alias_node(const struct fdt *fdt, int root, const char *alias, size_t len);

int fdt_path(const struct fdt *fdt, const char *path)
{
	size_t len, alias_len = 0;
	int node = fdt_root(fdt);

	if (node < 0)
		return node;
	if (path == NULL)
		return FDT_ERR_BAD_VALUE;
	len = fdt_cstr_len(path);
	if (path[0] != '/') {
		while (alias_len < len && path[alias_len] != '/')
			alias_len++;
		node = fdt_alias_node(fdt, node, path, alias_len);
		if (node < 0)
			return node;
	}
	return fdt_path_from(fdt, node, path + alias_len, len - alias_len);
}

const char *fdt_name(const struct fdt *fdt, int node)
{
	uint32_t body;

	if (!fdt_node_ok(fdt, node, &body))
		return NULL;
	return (const char *)(fdt->blob + fdt->struct_off + (uint32_t)node + 4);
}

/* Append '/' (unless buf is just "/") and name at *pos, if that leaves room for the NUL. */
static bool fdt_path_append(char *buf, size_t buflen, size_t *pos, const char *name)
{
	size_t n, sep = *pos > 1 ? 1 : 0;

	if (name == NULL)
		return false;
	n = fdt_cstr_len(name);
	if (sep + n >= buflen - *pos)
		return false;
	if (sep != 0)
		buf[(*pos)++] = '/';
	for (size_t i = 0; i < n; i++)
		buf[(*pos)++] = name[i];
	return true;
}

int fdt_node_path(const struct fdt *fdt, int node, char *buf, size_t buflen)
{
	uint32_t body;
	size_t pos = 1;
	int at;

	if (buf == NULL || buflen == 0)
		return FDT_ERR_BAD_VALUE;
	buf[0] = 0;
	if (!fdt_node_ok(fdt, node, &body))
		return FDT_ERR_BAD_OFFSET;
	if (buflen < 2)
		return FDT_ERR_BAD_VALUE;
	buf[0] = '/';
	at = fdt_root(fdt);
	/* Descend one level per step; a validated tree is at most FDT_MAX_DEPTH deep. */
	for (int level = 0; at >= 0 && at != node && level < FDT_MAX_DEPTH; level++) {
		at = fdt_child_containing(fdt, at, (uint32_t)node);
		if (at >= 0 && !fdt_path_append(buf, buflen, &pos, fdt_name(fdt, at)))
			at = FDT_ERR_BAD_VALUE;
	}
	if (at != node) {
		buf[0] = 0;
		return at < 0 ? at : FDT_ERR_BAD_STRUCTURE;
	}
	buf[pos] = 0;
	return FDT_OK;
}

/* ---- Properties ---- */

/* The offset of the node's property called name[0..len), or a negative status. */
static int fdt_find_prop(const struct fdt *fdt, int node, const char *name, size_t len)
{
	int prop;

	for (prop = fdt_first_prop(fdt, node); prop >= 0; prop = fdt_next_prop(fdt, prop)) {
		uint32_t nameoff = fdt_be32(fdt->blob + fdt->struct_off + (uint32_t)prop + 8);

		if (fdt_string_equals(fdt, nameoff, name, len))
			return prop;
	}
	return prop;
}

/* The first property at or after off (skipping NOPs), or NOT_FOUND. */
static int fdt_prop_from(const struct fdt *fdt, uint32_t off)
{
	uint32_t at;

	return fdt_skip_nops(fdt, off, &at) == FDT_PROP ? (int)at : FDT_ERR_NOT_FOUND;
}

int fdt_first_prop(const struct fdt *fdt, int node)
{
	uint32_t body;

	if (!fdt_node_ok(fdt, node, &body))
		return FDT_ERR_BAD_OFFSET;
	return fdt_prop_from(fdt, body);
}

int fdt_next_prop(const struct fdt *fdt, int prop)
{
	uint32_t next;

	if (!fdt_token_ok(fdt, prop, FDT_PROP, &next))
		return FDT_ERR_BAD_OFFSET;
	return fdt_prop_from(fdt, next);
}

const void *fdt_prop_at(const struct fdt *fdt, int prop, const char **name, uint32_t *len)
{
	const uint8_t *p;
	uint32_t next;

	if (name != NULL)
		*name = NULL;
	if (len != NULL)
		*len = 0;
	if (!fdt_token_ok(fdt, prop, FDT_PROP, &next))
		return NULL;
	p = fdt->blob + fdt->struct_off + (uint32_t)prop;
	if (name != NULL)
		*name = fdt_string(fdt, fdt_be32(p + 8));
	if (len != NULL)
		*len = fdt_be32(p + 4);
	return p + FDT_PROP_HEADER_SIZE;
}

/* fdt_prop with a counted name. */
static const void *fdt_prop_n(const struct fdt *fdt, int node, const char *name, size_t n,
			      uint32_t *len)
{
	int prop = fdt_find_prop(fdt, node, name, n);

	if (prop < 0) {
		*len = 0;
		return NULL;
	}
	return fdt_prop_at(fdt, prop, NULL, len);
}

const void *fdt_prop(const struct fdt *fdt, int node, const char *name, uint32_t *len)
{
	uint32_t ignored;

	if (len == NULL)
		len = &ignored;
	*len = 0;
	if (name == NULL)
		return NULL;
	return fdt_prop_n(fdt, node, name, fdt_cstr_len(name), len);
}

static int fdt_alias_node(const struct fdt *fdt, int root, const char *alias, size_t len)
{
	const char *target;
	uint32_t target_len, n;
	int aliases = fdt_subnode_n(fdt, root, "aliases", 7);

	if (aliases < 0)
		return aliases;
	target = fdt_prop_n(fdt, aliases, alias, len, &target_len);
	if (target == NULL)
		return FDT_ERR_NOT_FOUND;
	/* Absolute only, so an alias can never lead to another alias. */
	if (!fdt_strnlen((const uint8_t *)target, target_len, &n) || target[0] != '/')
		return FDT_ERR_BAD_VALUE;
	return fdt_path_from(fdt, root, target, n);
}

/* Read a big-endian number of ncells (0..2) cells. */
static uint64_t fdt_read_cells(const uint8_t *p, uint32_t ncells)
{
	if (ncells == 0)
		return 0;
	return ncells == 1 ? fdt_be32(p) : fdt_be64(p);
}

int fdt_prop_cells(const struct fdt *fdt, int node, const char *name, uint32_t index,
		   uint32_t ncells, uint64_t *out)
{
	const uint8_t *data;
	uint32_t body, len;
	uint64_t at;

	if (!fdt_node_ok(fdt, node, &body))
		return FDT_ERR_BAD_OFFSET;
	if (name == NULL || out == NULL || ncells < 1 || ncells > 2)
		return FDT_ERR_BAD_VALUE;
	at = (uint64_t)index * 4 * ncells;
	data = fdt_prop(fdt, node, name, &len);
	if (data == NULL)
		return FDT_ERR_NOT_FOUND;
	if (len % (4 * ncells) != 0)
		return FDT_ERR_BAD_VALUE;
	if (at >= len)
		return FDT_ERR_NOT_FOUND;
	*out = fdt_read_cells(data + at, ncells);
	return FDT_OK;
}

int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t index,
		 uint32_t *out)
{
	uint64_t value;
	int status;

	if (out == NULL)
		return FDT_ERR_BAD_VALUE;
	status = fdt_prop_cells(fdt, node, name, index, 1, &value);
	if (status == FDT_OK)
		*out = (uint32_t)value;
	return status;
}

/* The index-th NUL-terminated string in data[0..len), or NULL. */
static const char *fdt_stringlist_get(const uint8_t *data, uint32_t len, uint32_t index)
{
	uint32_t at = 0, n;

	for (uint32_t i = 0; at < len; i++) {
		if (!fdt_strnlen(data + at, len - at, &n))
			return NULL;
		if (i == index)
			return (const char *)(data + at);
		at += n + 1;
	}
	return NULL;
}

const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name, uint32_t index)
{
	uint32_t len;
	const uint8_t *data = fdt_prop(fdt, node, name, &len);

	return data == NULL ? NULL : fdt_stringlist_get(data, len, index);
}

bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
	uint32_t len, at = 0;
	const uint8_t *data = fdt_prop(fdt, node, "compatible", &len);
	size_t want;

	if (data == NULL || compat == NULL)
		return false;
	want = fdt_cstr_len(compat);
	while (at < len) {
		if (fdt_str_equals(data + at, len - at, compat, want))
			return true;
		while (at < len && data[at] != 0)
			at++;
		at++;
	}
	return false;
}

int fdt_find_compatible(const struct fdt *fdt, int after, const char *compat)
{
	int node;

	if (compat == NULL)
		return FDT_ERR_BAD_VALUE;
	if (after == -1)
		node = fdt_root(fdt);
	else
		node = fdt_next_node(fdt, after, NULL);
	while (node >= 0 && !fdt_is_compatible(fdt, node, compat))
		node = fdt_next_node(fdt, node, NULL);
	return node;
}

/* A one-cell #...-cells property, or fallback when absent. */
static int fdt_cells_prop(const struct fdt *fdt, int node, const char *name, int fallback)
{
	uint32_t body, len, value;
	const uint8_t *data;

	if (!fdt_node_ok(fdt, node, &body))
		return FDT_ERR_BAD_OFFSET;
	data = fdt_prop(fdt, node, name, &len);
	if (data == NULL)
		return fallback;
	if (len != 4)
		return FDT_ERR_BAD_VALUE;
	value = fdt_be32(data);
	return value <= FDT_MAX_CELLS ? (int)value : FDT_ERR_BAD_VALUE;
}

int fdt_address_cells(const struct fdt *fdt, int node)
{
	return fdt_cells_prop(fdt, node, "#address-cells", 2);
}

int fdt_size_cells(const struct fdt *fdt, int node)
{
	return fdt_cells_prop(fdt, node, "#size-cells", 1);
}

int fdt_reg(const struct fdt *fdt, int node, uint32_t index, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent(fdt, node);
	int ac, sc;
	uint32_t len, entry;
	uint64_t at;
	const uint8_t *data;

	if (parent < 0)
		return parent;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 0 || sc < 0)
		return ac < 0 ? ac : sc;
	if (ac == 0 || ac > 2 || sc > 2)
		return FDT_ERR_BAD_VALUE;
	data = fdt_prop(fdt, node, "reg", &len);
	if (data == NULL)
		return FDT_ERR_NOT_FOUND;
	entry = 4 * (uint32_t)(ac + sc);
	at = (uint64_t)index * entry;
	if (len % entry != 0)
		return FDT_ERR_BAD_VALUE;
	if (at >= len)
		return FDT_ERR_NOT_FOUND;
	if (addr != NULL)
		*addr = fdt_read_cells(data + at, (uint32_t)ac);
	if (size != NULL)
		*size = fdt_read_cells(data + at + 4 * (uint32_t)ac, (uint32_t)sc);
	return FDT_OK;
}
