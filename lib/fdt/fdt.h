/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small, freestanding reader for flattened device trees (DTB, versions 16
 * and 17). The boot loader uses it to find memory, CPUs and devices; the
 * kernel uses it for the same facts about its partition. Because the blob
 * comes from firmware we do not control, every read is bounds-checked:
 * fdt_init validates the header and walks the whole structure block once,
 * and every later call checks again, so no input can make the reader touch
 * memory outside [blob, blob + avail).
 *
 * Node handles are byte offsets of FDT_BEGIN_NODE tokens inside the structure
 * block; property handles are byte offsets of FDT_PROP tokens. Both are
 * non-negative ints, and a negative return is an enum fdt_status. A function
 * given a handle that is not 4-aligned, not inside the structure block or not
 * the right token returns FDT_ERR_BAD_OFFSET (or NULL, or false). A forged
 * offset that points into property data and happens to look like a token
 * gives meaningless but memory-safe answers, as in libfdt: proving that an
 * offset is a real token boundary would cost a walk from the root per call.
 *
 * Nothing here allocates or writes to the blob; a struct fdt is a read-only
 * view and may be shared between cores.
 */
#ifndef FDT_H
#define FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deepest node nesting fdt_init accepts; the root is depth 1. */
#define FDT_MAX_DEPTH 64

/* Largest #address-cells / #size-cells value accepted (as in libfdt). */
#define FDT_MAX_CELLS 4

enum fdt_status {
	FDT_OK = 0,
	FDT_ERR_TRUNCATED = -1,     /* the blob does not fit in avail */
	FDT_ERR_BAD_MAGIC = -2,     /* not a DTB at all */
	FDT_ERR_BAD_VERSION = -3,   /* version < 16 or last_comp_version > 17 */
	FDT_ERR_BAD_HEADER = -4,    /* blocks misaligned, outside, overlapping, or an unterminated reservation map */
	FDT_ERR_BAD_STRUCTURE = -5, /* malformed structure block (tokens, names, nesting) */
	FDT_ERR_NOT_FOUND = -6,     /* no such node, property, index or next item */
	FDT_ERR_BAD_OFFSET = -7,    /* a handle that is not a node (or property) */
	FDT_ERR_BAD_VALUE = -8,     /* bad argument, or a property of the wrong shape */
};

/*
 * A validated blob. Offsets are from the start of the blob; struct_size
 * ends just after the FDT_END token. Only fdt_init fills it in.
 */
struct fdt {
	const uint8_t *blob;
	uint32_t total_size;
	uint32_t struct_off, struct_size;
	uint32_t strings_off, strings_size;
};

/* A short English description of a status, for boot logs. Never NULL. */
const char *fdt_strerror(int status);

/*
 * Validate the blob (header, reservation map and the whole structure block)
 * and fill in *fdt. Reads nothing outside [blob, blob + avail). On failure
 * *fdt is zeroed, so a caller that ignores the error gets errors, not reads.
 * FDT_ERR_BAD_VALUE if fdt or blob is NULL.
 */
int fdt_init(struct fdt *fdt, const void *blob, size_t avail);

/* Big-endian loads, byte by byte: safe at any alignment (-mstrict-align). */
uint32_t fdt_be32(const void *p);
uint64_t fdt_be64(const void *p);

/*
 * The header's totalsize, or 0 if avail < 8 or the magic is wrong. Lets a
 * caller that has mapped only the first page learn how much to map.
 * Not validated: still call fdt_init on the full blob.
 */
uint32_t fdt_header_total_size(const void *blob, size_t avail);

/*
 * The index-th memory reservation (/memreserve/) entry. FDT_ERR_NOT_FOUND
 * past the last one. addr and size may be NULL.
 */
int fdt_mem_rsv(const struct fdt *fdt, uint32_t index, uint64_t *addr, uint64_t *size);

/* Offset of the root node (normally 0). */
int fdt_root(const struct fdt *fdt);

/*
 * The node after `node` in depth-first order, or FDT_ERR_NOT_FOUND at the
 * end of the tree. If depth is not NULL it is moved by the change in depth:
 * +1 to a first child, 0 to a sibling, -k when climbing k levels first. To
 * walk only the subtree under n: depth = 0, and stop when depth <= 0.
 */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);

/* First child / next sibling of a node, or FDT_ERR_NOT_FOUND. */
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);

/* The parent of a node (found by descending from the root); NOT_FOUND for the root. */
int fdt_parent(const struct fdt *fdt, int node);

/*
 * The child of parent called name. "cpu@1" must match exactly; a name
 * without '@' such as "memory" matches "memory" or else the first
 * "memory@<unit>". FDT_ERR_BAD_VALUE if name is NULL. Sibling names should
 * be unique (dtc ensures it); if a blob repeats one, the first is found.
 */
int fdt_subnode(const struct fdt *fdt, int parent, const char *name);

/*
 * Look up an absolute path ("/", "/chosen", "/cpus/cpu@0"; empty components
 * and a trailing '/' are ignored) or an alias: a path not starting with '/'
 * begins with a property name of /aliases whose value is an absolute path,
 * e.g. "serial0" or "gic/v2m@8020000". FDT_ERR_BAD_VALUE for a NULL path or
 * an alias value that is not an absolute, NUL-terminated path.
 */
int fdt_path(const struct fdt *fdt, const char *path);

/* The node's name ("" for the root, "cpu@0" otherwise); NULL for a bad handle. */
const char *fdt_name(const struct fdt *fdt, int node);

/*
 * Write the node's full path ("/" or "/a/b@1") with its NUL into buf.
 * FDT_ERR_BAD_VALUE if buf is NULL or too small (buf then holds "").
 */
int fdt_node_path(const struct fdt *fdt, int node, char *buf, size_t buflen);

/*
 * The value of the node's property called name, and its length in *len
 * (len may be NULL; *len is 0 when NULL is returned). An empty property
 * such as "ranges;" gives a non-NULL pointer and length 0.
 */
const void *fdt_prop(const struct fdt *fdt, int node, const char *name, uint32_t *len);

/*
 * Property iteration, in blob order: the offset of the node's first property,
 * of the property after prop, or FDT_ERR_NOT_FOUND when there are no more.
 */
int fdt_first_prop(const struct fdt *fdt, int node);
int fdt_next_prop(const struct fdt *fdt, int prop);

/*
 * A property's value by handle; its name in *name and length in *len (both
 * may be NULL). *name is NULL only if the handle was forged (see above).
 */
const void *fdt_prop_at(const struct fdt *fdt, int prop, const char **name, uint32_t *len);

/*
 * The index-th 32-bit cell of a property. FDT_ERR_NOT_FOUND if the property
 * is absent or index is past its end; FDT_ERR_BAD_VALUE if its length is not
 * a multiple of 4.
 */
int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t index,
		 uint32_t *out);

/*
 * The index-th value of a property read as an array of ncells-cell numbers
 * (ncells 1 or 2, else FDT_ERR_BAD_VALUE, as is a length that is not a
 * multiple of 4 * ncells). FDT_ERR_NOT_FOUND if absent or index is too big.
 */
int fdt_prop_cells(const struct fdt *fdt, int node, const char *name, uint32_t index,
		   uint32_t ncells, uint64_t *out);

/*
 * The index-th string of a string-list property ("a\0b\0"), or NULL if the
 * property is absent, has fewer strings, or that string is not terminated.
 */
const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name, uint32_t index);

/* Whether compat is one of the strings of the node's "compatible" property. */
bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat);

/*
 * The first node after `after` in depth-first order that is compatible with
 * compat; after = -1 starts with the root. FDT_ERR_NOT_FOUND at the end.
 */
int fdt_find_compatible(const struct fdt *fdt, int after, const char *compat);

/*
 * The node's #address-cells / #size-cells, which describe its children's
 * reg. Default 2 and 1 when absent; FDT_ERR_BAD_VALUE if the property is not
 * one cell or is above FDT_MAX_CELLS.
 */
int fdt_address_cells(const struct fdt *fdt, int node);
int fdt_size_cells(const struct fdt *fdt, int node);

/*
 * The index-th (address, size) pair of the node's "reg", decoded with the
 * PARENT's #address-cells and #size-cells. addr and size may be NULL.
 * FDT_ERR_NOT_FOUND for the root, an absent reg or an index past the end;
 * FDT_ERR_BAD_VALUE if the parent's cells are 0 (address) or above 2, or
 * reg's length is not a whole number of entries.
 */
int fdt_reg(const struct fdt *fdt, int node, uint32_t index, uint64_t *addr, uint64_t *size);

#endif /* FDT_H */
