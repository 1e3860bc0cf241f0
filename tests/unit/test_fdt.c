/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests for lib/fdt: every call on known trees with exact expected
 * values, then hostile input — each header field corrupted, every truncation
 * of a good blob, hand-built malformed structure blocks (one per validation
 * rule, since dtc will not emit them), forged handles, and a deterministic
 * byte-flip fuzz loop. Blobs are always copied into heap buffers of exactly
 * the size passed as avail, so the sanitizers (host_cflags) catch any read
 * outside them.
 *
 * Usage: test_fdt qemu_virt.dtb qemu_virt_v16.dtb edge_cases.dtb
 * (the order tests/unit/meson.build passes them in). Prints TAP; exits
 * non-zero if any check fails.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fdt.h"

/* Header field offsets, from the devicetree specification. */
enum {
	HDR_MAGIC = 0, HDR_TOTAL_SIZE = 4, HDR_OFF_STRUCT = 8, HDR_OFF_STRINGS = 12,
	HDR_OFF_RSVMAP = 16, HDR_VERSION = 20, HDR_LAST_COMP = 24, HDR_BOOT_CPU = 28,
	HDR_SIZE_STRINGS = 32, HDR_SIZE_STRUCT = 36, HDR_SIZE = 40,
};

/* Deterministic by default; override both for a longer one-off hunt. */
#ifndef FUZZ_ITERATIONS
#define FUZZ_ITERATIONS 20000
#endif
#ifndef FUZZ_SEED
#define FUZZ_SEED 0x9e3779b97f4a7c15ull
#endif
#define PATH_MAX_LEN 16384

struct blob {
	uint8_t *data;
	size_t size;
};

static struct blob virt, virt_v16, edge;
static unsigned long check_count, check_failures;

/* ---- Checks ---- */

static bool check(bool ok, const char *what, const char *file, int line)
{
	check_count++;
	if (!ok) {
		check_failures++;
		printf("# FAIL %s:%d: %s\n", file, line, what);
	}
	return ok;
}

static bool check_int(long long got, long long want, const char *what, const char *file,
		      int line)
{
	check_count++;
	if (got != want) {
		check_failures++;
		printf("# FAIL %s:%d: %s = %lld, want %lld (%s)\n", file, line, what, got, want,
		       want <= 0 ? fdt_strerror((int)want) : "a value");
	}
	return got == want;
}

static bool check_u64(uint64_t got, uint64_t want, const char *what, const char *file, int line)
{
	check_count++;
	if (got != want) {
		check_failures++;
		printf("# FAIL %s:%d: %s = %#llx, want %#llx\n", file, line, what,
		       (unsigned long long)got, (unsigned long long)want);
	}
	return got == want;
}

static bool check_str(const char *got, const char *want, const char *what, const char *file,
		      int line)
{
	bool ok = (got == NULL || want == NULL) ? got == want : strcmp(got, want) == 0;

	check_count++;
	if (!ok) {
		check_failures++;
		printf("# FAIL %s:%d: %s = \"%s\", want \"%s\"\n", file, line, what,
		       got ? got : "(null)", want ? want : "(null)");
	}
	return ok;
}

#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)
#define CHECK_INT(got, want) check_int((long long)(got), (long long)(want), #got, __FILE__, __LINE__)
#define CHECK_U64(got, want) check_u64((got), (want), #got, __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str((got), (want), #got, __FILE__, __LINE__)

/* ---- Blobs ---- */

static struct blob blob_copy(const uint8_t *data, size_t size)
{
	struct blob b = { malloc(size ? size : 1), size };

	if (b.data == NULL) {
		perror("malloc");
		exit(2);
	}
	memcpy(b.data, data, size);
	return b;
}

static struct blob blob_load(const char *path)
{
	static uint8_t buf[1 << 20];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return blob_copy(buf, n);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* fdt_init on an exact-size copy that the caller must free with blob.data. */
static int init_copy(struct fdt *f, const struct blob *src, struct blob *copy)
{
	*copy = blob_copy(src->data, src->size);
	return fdt_init(f, copy->data, copy->size);
}

static int path_of(const struct fdt *f, const char *path)
{
	int node = fdt_path(f, path);

	if (node < 0)
		printf("# path %s: %s\n", path, fdt_strerror(node));
	return node;
}

/* ---- Known values on the QEMU virt tree ---- */

static void test_byte_order(void)
{
	static const uint8_t bytes[] = { 0xff, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };
	uint8_t small[7];

	CHECK_U64(fdt_be32(bytes + 1), 0x01020304);
	CHECK_U64(fdt_be64(bytes + 1), 0x0102030405060708ull);
	CHECK_U64(fdt_header_total_size(virt.data, virt.size), virt.size);
	CHECK_U64(fdt_header_total_size(virt.data, 8), virt.size);
	memcpy(small, virt.data, sizeof(small));
	CHECK_U64(fdt_header_total_size(small, sizeof(small)), 0);
	CHECK_U64(fdt_header_total_size(bytes, sizeof(bytes)), 0);
	CHECK_U64(fdt_header_total_size(NULL, 64), 0);
}

static void test_strerror(void)
{
	for (int a = FDT_ERR_BAD_VALUE; a <= FDT_OK; a++) {
		CHECK(fdt_strerror(a) != NULL);
		for (int b = FDT_ERR_BAD_VALUE; b < a; b++)
			CHECK(strcmp(fdt_strerror(a), fdt_strerror(b)) != 0);
	}
	CHECK_STR(fdt_strerror(-9), "unknown error");
	CHECK_STR(fdt_strerror(1), "unknown error");
}

static void test_virt_init(void)
{
	struct fdt f;
	uint64_t addr = 1;

	CHECK_INT(fdt_init(&f, virt.data, virt.size), FDT_OK);
	CHECK(f.blob == virt.data);
	CHECK_U64(f.total_size, virt.size);
	CHECK_U64(f.struct_off, get_be32(virt.data + HDR_OFF_STRUCT));
	CHECK_U64(f.struct_size, get_be32(virt.data + HDR_SIZE_STRUCT));
	CHECK_U64(f.strings_off, get_be32(virt.data + HDR_OFF_STRINGS));
	CHECK_U64(f.strings_size, get_be32(virt.data + HDR_SIZE_STRINGS));
	CHECK_INT(fdt_root(&f), 0);
	CHECK_INT(fdt_mem_rsv(&f, 0, &addr, NULL), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_init(NULL, virt.data, virt.size), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_init(&f, NULL, virt.size), FDT_ERR_BAD_VALUE);
	CHECK(f.blob == NULL);
	CHECK_INT(fdt_root(&f), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_root(NULL), FDT_ERR_BAD_VALUE);
}

/* Depth-first order of the virt tree, with depths below the root. */
static const struct {
	const char *path;
	int depth;
} virt_nodes[] = {
	{ "/", 0 }, { "/psci", 1 }, { "/memory@40000000", 1 }, { "/platform-bus@c000000", 1 },
	{ "/fw-cfg@9020000", 1 }, { "/virtio_mmio@a000000", 1 }, { "/virtio_mmio@a000200", 1 },
	{ "/gpio-keys", 1 }, { "/gpio-keys/poweroff", 2 }, { "/pl061@9030000", 1 },
	{ "/pcie@10000000", 1 }, { "/pl031@9010000", 1 }, { "/pl011@9000000", 1 }, { "/pmu", 1 },
	{ "/intc@8000000", 1 }, { "/intc@8000000/v2m@8020000", 2 }, { "/flash@0", 1 },
	{ "/cpus", 1 }, { "/cpus/cpu-map", 2 }, { "/cpus/cpu-map/socket0", 3 },
	{ "/cpus/cpu-map/socket0/cluster0", 4 }, { "/cpus/cpu-map/socket0/cluster0/core0", 5 },
	{ "/cpus/cpu-map/socket0/cluster0/core1", 5 },
	{ "/cpus/cpu-map/socket0/cluster0/core2", 5 },
	{ "/cpus/cpu-map/socket0/cluster0/core3", 5 }, { "/cpus/cpu@0", 2 },
	{ "/cpus/cpu@1", 2 }, { "/cpus/cpu@2", 2 }, { "/cpus/cpu@3", 2 }, { "/timer", 1 },
	{ "/apb-pclk", 1 }, { "/chosen", 1 }, { "/aliases", 1 },
};
#define VIRT_NODE_COUNT (sizeof(virt_nodes) / sizeof(virt_nodes[0]))

/* The parent part of an absolute path ("/" for "/a"). */
static void dirname_of(const char *path, char *out)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash == path ? 1 : (size_t)(slash - path);

	memcpy(out, path, n);
	out[n] = 0;
}

static void check_walk_entry(const struct fdt *f, int node, size_t i)
{
	char buf[256], parent_path[256];
	const char *name = fdt_name(f, node);

	CHECK_INT(fdt_node_path(f, node, buf, sizeof(buf)), FDT_OK);
	CHECK_STR(buf, virt_nodes[i].path);
	CHECK_INT(fdt_path(f, virt_nodes[i].path), node);
	CHECK_STR(name, i == 0 ? "" : strrchr(virt_nodes[i].path, '/') + 1);
	if (i == 0) {
		CHECK_INT(fdt_parent(f, node), FDT_ERR_NOT_FOUND);
		return;
	}
	dirname_of(virt_nodes[i].path, parent_path);
	CHECK_INT(fdt_parent(f, node), fdt_path(f, parent_path));
	CHECK_INT(fdt_subnode(f, fdt_parent(f, node), name), node);
}

/* Walk with fdt_next_node, checking path, depth, name and parent of each node. */
static void check_virt_walk(const struct fdt *f)
{
	int depth = 0, node = fdt_root(f);
	size_t i;

	for (i = 0; node >= 0 && i < VIRT_NODE_COUNT; i++) {
		CHECK_INT(depth, virt_nodes[i].depth);
		check_walk_entry(f, node, i);
		node = fdt_next_node(f, node, &depth);
	}
	CHECK_U64(i, VIRT_NODE_COUNT);
	CHECK_INT(node, FDT_ERR_NOT_FOUND);
}

/* Count nodes by first_child/next_sibling recursion; must agree with the walk. */
static size_t count_by_children(const struct fdt *f, int node)
{
	size_t n = 1;
	int child;

	for (child = fdt_first_child(f, node); child >= 0; child = fdt_next_sibling(f, child))
		n += count_by_children(f, child);
	CHECK_INT(child, FDT_ERR_NOT_FOUND);
	return n;
}

static void test_virt_walk(void)
{
	static const char *const cpus_children[] = { "cpu-map", "cpu@0", "cpu@1", "cpu@2", "cpu@3" };
	struct fdt f;
	int cpus, child, depth = 0, node, in_subtree = 0;
	size_t i = 0;

	CHECK_INT(fdt_init(&f, virt.data, virt.size), FDT_OK);
	check_virt_walk(&f);
	CHECK_U64(count_by_children(&f, fdt_root(&f)), VIRT_NODE_COUNT);
	cpus = path_of(&f, "/cpus");
	for (child = fdt_first_child(&f, cpus); child >= 0; child = fdt_next_sibling(&f, child), i++)
		CHECK_STR(fdt_name(&f, child), i < 5 ? cpus_children[i] : "(too many)");
	CHECK_U64(i, 5);
	for (node = fdt_next_node(&f, cpus, &depth); node >= 0 && depth > 0;
	     node = fdt_next_node(&f, node, &depth))
		in_subtree++;
	CHECK_INT(in_subtree, 11);
	CHECK_INT(node, path_of(&f, "/timer"));
	CHECK_INT(depth, 0);
	CHECK_INT(fdt_first_child(&f, path_of(&f, "/psci")), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_next_sibling(&f, path_of(&f, "/aliases")), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_next_sibling(&f, fdt_root(&f)), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_next_sibling(&f, path_of(&f, "/intc/v2m")), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_next_node(&f, path_of(&f, "/aliases"), NULL), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_next_node(&f, path_of(&f, "/cpus/cpu@3"), NULL), path_of(&f, "/timer"));
}

static void test_virt_lookup(void)
{
	struct fdt f;
	int root, cpus;

	CHECK_INT(fdt_init(&f, virt.data, virt.size), FDT_OK);
	root = fdt_root(&f);
	cpus = fdt_subnode(&f, root, "cpus");
	CHECK(cpus > 0);
	CHECK_INT(fdt_path(&f, "/"), root);
	CHECK_INT(fdt_path(&f, "/cpus/"), cpus);
	CHECK_INT(fdt_path(&f, "//cpus//cpu@1"), fdt_subnode(&f, cpus, "cpu@1"));
	CHECK_INT(fdt_path(&f, "/memory"), fdt_path(&f, "/memory@40000000"));
	CHECK_INT(fdt_path(&f, "/cpus/cpu"), fdt_path(&f, "/cpus/cpu@0"));
	CHECK_INT(fdt_path(&f, "/pl011"), fdt_path(&f, "/pl011@9000000"));
	CHECK_INT(fdt_path(&f, "/cpus/cpu@4"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_path(&f, "/cpus/cpu@"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_path(&f, "/memory@4000000"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_path(&f, "/memory@400000000"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_path(&f, "/nonexistent"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_path(&f, "/cpus/cpu@0/x"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_path(&f, "serial0"), fdt_path(&f, "/pl011@9000000"));
	CHECK_INT(fdt_path(&f, "serial0/"), fdt_path(&f, "/pl011@9000000"));
	CHECK_INT(fdt_path(&f, "gic/v2m@8020000"), fdt_path(&f, "/intc@8000000/v2m@8020000"));
	CHECK_INT(fdt_path(&f, "gic/v2m"), fdt_path(&f, "/intc@8000000/v2m@8020000"));
	CHECK_INT(fdt_path(&f, "serial1"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_path(&f, "serial"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_path(&f, ""), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_path(&f, NULL), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_subnode(&f, cpus, "cpu@2"), fdt_path(&f, "/cpus/cpu@2"));
	CHECK_INT(fdt_subnode(&f, cpus, "cpu-map"), fdt_path(&f, "/cpus/cpu-map"));
	CHECK_INT(fdt_subnode(&f, cpus, "cpu-"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_subnode(&f, cpus, ""), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_subnode(&f, cpus, NULL), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_subnode(&f, root, "cpu@0"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_parent(&f, fdt_path(&f, "/cpus/cpu-map/socket0/cluster0/core3")),
		  fdt_path(&f, "/cpus/cpu-map/socket0/cluster0"));
}

static void check_psci_props(const struct fdt *f, int psci)
{
	static const char *const names[] = { "migrate", "cpu_on", "cpu_off", "cpu_suspend",
					     "method", "compatible" };
	static const uint32_t lens[] = { 4, 4, 4, 4, 4, 35 };
	const char *name;
	uint32_t len;
	const uint8_t *value;
	int prop;
	size_t i = 0;

	for (prop = fdt_first_prop(f, psci); prop >= 0; prop = fdt_next_prop(f, prop), i++) {
		value = fdt_prop_at(f, prop, &name, &len);
		CHECK(value != NULL);
		CHECK_STR(name, i < 6 ? names[i] : "(too many)");
		CHECK_U64(len, i < 6 ? lens[i] : 0);
		CHECK(value == fdt_prop(f, psci, name, NULL));
	}
	CHECK_U64(i, 6);
	CHECK_INT(prop, FDT_ERR_NOT_FOUND);
	value = fdt_prop_at(f, fdt_first_prop(f, psci), NULL, NULL);
	CHECK(value != NULL && fdt_be32(value) == 0xc4000005);
	CHECK_STR(fdt_prop_string(f, psci, "method", 0), "hvc");
	CHECK_STR(fdt_prop_string(f, psci, "compatible", 0), "arm,psci-1.0");
	CHECK_STR(fdt_prop_string(f, psci, "compatible", 1), "arm,psci-0.2");
	CHECK_STR(fdt_prop_string(f, psci, "compatible", 2), "arm,psci");
	CHECK_STR(fdt_prop_string(f, psci, "compatible", 3), NULL);
	CHECK_STR(fdt_prop_string(f, psci, "compatible", UINT32_MAX), NULL);
}

static void check_cell_props(const struct fdt *f)
{
	int memory = path_of(f, "/memory@40000000"), timer = path_of(f, "/timer");
	uint32_t u32 = 0;
	uint64_t u64 = 0;

	CHECK_INT(fdt_prop_u32(f, path_of(f, "/cpus/cpu@2"), "reg", 0, &u32), FDT_OK);
	CHECK_U64(u32, 2);
	CHECK_INT(fdt_prop_u32(f, path_of(f, "/cpus/cpu@2"), "reg", 1, &u32), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_prop_u32(f, path_of(f, "/apb-pclk"), "clock-frequency", 0, &u32), FDT_OK);
	CHECK_U64(u32, 24000000);
	CHECK_INT(fdt_prop_u32(f, fdt_root(f), "model", 0, &u32), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_prop_u32(f, fdt_root(f), "nope", 0, &u32), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_prop_u32(f, fdt_root(f), "model", 0, NULL), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_prop_u32(f, path_of(f, "/cpus/cpu@2"), "reg", 0, NULL), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_prop_cells(f, path_of(f, "/cpus/cpu@2"), "reg", 0, 1, NULL), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_prop_cells(f, memory, "reg", 0, 2, &u64), FDT_OK);
	CHECK_U64(u64, 0x40000000);
	CHECK_INT(fdt_prop_cells(f, memory, "reg", 1, 2, &u64), FDT_OK);
	CHECK_U64(u64, 0x40000000);
	CHECK_INT(fdt_prop_cells(f, memory, "reg", 2, 2, &u64), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_prop_cells(f, memory, "reg", UINT32_MAX, 2, &u64), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_prop_cells(f, memory, "reg", 0, 0, &u64), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_prop_cells(f, memory, "reg", 0, 3, &u64), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_prop_cells(f, memory, NULL, 0, 1, &u64), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_prop_cells(f, timer, "interrupts", 11, 1, &u64), FDT_OK);
	CHECK_U64(u64, 0xf04);
	CHECK_INT(fdt_prop_cells(f, timer, "interrupts", 0, 2, &u64), FDT_OK);
	CHECK_U64(u64, 0x000000010000000dull);
	CHECK_INT(fdt_prop_cells(f, path_of(f, "/chosen"), "kaslr-seed", 0, 2, &u64), FDT_OK);
	CHECK_U64(u64, 0x9d1bbda85c6f0395ull);
	CHECK_INT(fdt_prop_cells(f, path_of(f, "/chosen"), "rng-seed", 0, 2, &u64), FDT_OK);
	CHECK_U64(u64, 0xe66f04d71369ea41ull);
}

static void test_virt_props(void)
{
	struct fdt f;
	uint32_t len = 99;
	int root, chosen, pl011;

	CHECK_INT(fdt_init(&f, virt.data, virt.size), FDT_OK);
	root = fdt_root(&f);
	chosen = path_of(&f, "/chosen");
	pl011 = path_of(&f, "/pl011@9000000");
	CHECK_STR(fdt_prop(&f, root, "model", &len), "linux,dummy-virt");
	CHECK_U64(len, 17);
	CHECK_STR(fdt_prop_string(&f, root, "model", 0), "linux,dummy-virt");
	CHECK_STR(fdt_prop_string(&f, root, "model", 1), NULL);
	CHECK(fdt_prop(&f, root, "nope", &len) == NULL);
	CHECK_U64(len, 0);
	CHECK(fdt_prop(&f, root, NULL, &len) == NULL);
	CHECK(fdt_prop(&f, root, "", &len) == NULL);
	CHECK(fdt_prop(&f, root, "#size", NULL) == NULL);
	CHECK(fdt_prop(&f, path_of(&f, "/timer"), "always-on", &len) != NULL);
	CHECK_U64(len, 0);
	CHECK_STR(fdt_prop_string(&f, path_of(&f, "/timer"), "always-on", 0), NULL);
	CHECK_STR(fdt_prop_string(&f, chosen, "stdout-path", 0), "/pl011@9000000");
	CHECK_STR(fdt_prop_string(&f, chosen, "bootargs", 0), "console=ttyAMA0 earlycon");
	CHECK_STR(fdt_prop_string(&f, chosen, NULL, 0), NULL);
	CHECK_INT(fdt_first_prop(&f, path_of(&f, "/cpus/cpu-map")), FDT_ERR_NOT_FOUND);
	check_psci_props(&f, path_of(&f, "/psci"));
	check_cell_props(&f);
	CHECK(fdt_is_compatible(&f, pl011, "arm,pl011"));
	CHECK(fdt_is_compatible(&f, pl011, "arm,primecell"));
	CHECK(!fdt_is_compatible(&f, pl011, "arm,pl01"));
	CHECK(!fdt_is_compatible(&f, pl011, "arm,pl011x"));
	CHECK(!fdt_is_compatible(&f, pl011, "pl011"));     /* only whole strings match */
	CHECK(!fdt_is_compatible(&f, pl011, "primecell"));
	CHECK(!fdt_is_compatible(&f, pl011, ""));
	CHECK(!fdt_is_compatible(&f, pl011, NULL));
	CHECK(!fdt_is_compatible(&f, chosen, "arm,pl011"));
	CHECK(fdt_is_compatible(&f, root, "linux,dummy-virt"));
	CHECK(fdt_is_compatible(&f, path_of(&f, "/timer"), "arm,armv7-timer"));
}

/* The nodes fdt_find_compatible visits for compat, as paths, joined by spaces. */
static void find_all(const struct fdt *f, const char *compat, char *out, size_t outlen)
{
	char path[256];
	int node;

	out[0] = 0;
	for (node = fdt_find_compatible(f, -1, compat); node >= 0;
	     node = fdt_find_compatible(f, node, compat)) {
		fdt_node_path(f, node, path, sizeof(path));
		snprintf(out + strlen(out), outlen - strlen(out), "%s%s", out[0] ? " " : "", path);
	}
	CHECK_INT(node, FDT_ERR_NOT_FOUND);
}

static void test_virt_compatible(void)
{
	struct fdt f;
	char found[1024];

	CHECK_INT(fdt_init(&f, virt.data, virt.size), FDT_OK);
	find_all(&f, "arm,cortex-a72", found, sizeof(found));
	CHECK_STR(found, "/cpus/cpu@0 /cpus/cpu@1 /cpus/cpu@2 /cpus/cpu@3");
	find_all(&f, "arm,primecell", found, sizeof(found));
	CHECK_STR(found, "/pl061@9030000 /pl031@9010000 /pl011@9000000");
	find_all(&f, "linux,dummy-virt", found, sizeof(found));
	CHECK_STR(found, "/");
	find_all(&f, "arm,psci-0.2", found, sizeof(found));
	CHECK_STR(found, "/psci");
	find_all(&f, "arm,cortex-a15-gic", found, sizeof(found));
	CHECK_STR(found, "/intc@8000000");
	find_all(&f, "arm,armv8-timer", found, sizeof(found));
	CHECK_STR(found, "/timer");
	find_all(&f, "virtio,mmio", found, sizeof(found));
	CHECK_STR(found, "/virtio_mmio@a000000 /virtio_mmio@a000200");
	find_all(&f, "nope", found, sizeof(found));
	CHECK_STR(found, "");
	CHECK_INT(fdt_find_compatible(&f, -1, NULL), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_find_compatible(&f, 3, "virtio,mmio"), FDT_ERR_BAD_OFFSET);
	CHECK_INT(fdt_find_compatible(&f, -2, "virtio,mmio"), FDT_ERR_BAD_OFFSET);
}

static void check_reg(const struct fdt *f, const char *path, uint32_t index, int status,
		      uint64_t want_addr, uint64_t want_size)
{
	uint64_t addr = 0xdead, size = 0xbeef;
	int got = fdt_reg(f, fdt_path(f, path), index, &addr, &size);

	if (!CHECK_INT(got, status))
		printf("#   reg %s [%u]\n", path, index);
	if (status == FDT_OK && got == FDT_OK) {
		CHECK_U64(addr, want_addr);
		CHECK_U64(size, want_size);
	}
}

static void test_virt_reg(void)
{
	struct fdt f;

	CHECK_INT(fdt_init(&f, virt.data, virt.size), FDT_OK);
	CHECK_INT(fdt_address_cells(&f, fdt_root(&f)), 2);
	CHECK_INT(fdt_size_cells(&f, fdt_root(&f)), 2);
	CHECK_INT(fdt_address_cells(&f, path_of(&f, "/cpus")), 1);
	CHECK_INT(fdt_size_cells(&f, path_of(&f, "/cpus")), 0);
	CHECK_INT(fdt_address_cells(&f, path_of(&f, "/memory")), 2);
	CHECK_INT(fdt_size_cells(&f, path_of(&f, "/memory")), 1);
	CHECK_INT(fdt_address_cells(&f, path_of(&f, "/pcie")), 3);
	CHECK_INT(fdt_size_cells(&f, path_of(&f, "/platform-bus")), 1);
	check_reg(&f, "/memory@40000000", 0, FDT_OK, 0x40000000, 0x40000000);
	check_reg(&f, "/memory@40000000", 1, FDT_ERR_NOT_FOUND, 0, 0);
	check_reg(&f, "/intc@8000000", 0, FDT_OK, 0x8000000, 0x10000);
	check_reg(&f, "/intc@8000000", 1, FDT_OK, 0x8010000, 0x10000);
	check_reg(&f, "/intc@8000000", 2, FDT_ERR_NOT_FOUND, 0, 0);
	check_reg(&f, "/intc@8000000/v2m@8020000", 0, FDT_OK, 0x8020000, 0x1000);
	check_reg(&f, "/pl011@9000000", 0, FDT_OK, 0x9000000, 0x1000);
	check_reg(&f, "/pcie@10000000", 0, FDT_OK, 0x4010000000ull, 0x10000000);
	check_reg(&f, "/flash@0", 1, FDT_OK, 0x4000000, 0x4000000);
	check_reg(&f, "/cpus/cpu@3", 0, FDT_OK, 3, 0);
	check_reg(&f, "/chosen", 0, FDT_ERR_NOT_FOUND, 0, 0);
	check_reg(&f, "/", 0, FDT_ERR_NOT_FOUND, 0, 0);
	check_reg(&f, "/nope", 0, FDT_ERR_BAD_OFFSET, 0, 0);
	CHECK_INT(fdt_reg(&f, path_of(&f, "/memory"), 0, NULL, NULL), FDT_OK);
}

static void test_node_path_buffers(void)
{
	static const char deep[] = "/cpus/cpu-map/socket0/cluster0/core3";
	struct fdt f;
	char buf[64];
	int core3;

	CHECK_INT(fdt_init(&f, virt.data, virt.size), FDT_OK);
	core3 = path_of(&f, deep);
	CHECK_INT(fdt_node_path(&f, core3, buf, sizeof(deep)), FDT_OK);
	CHECK_STR(buf, deep);
	CHECK_INT(fdt_node_path(&f, core3, buf, sizeof(deep) - 1), FDT_ERR_BAD_VALUE);
	CHECK_STR(buf, "");
	CHECK_INT(fdt_node_path(&f, core3, buf, 6), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_node_path(&f, core3, buf, 7), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_node_path(&f, fdt_root(&f), buf, 2), FDT_OK);
	CHECK_STR(buf, "/");
	CHECK_INT(fdt_node_path(&f, fdt_root(&f), buf, 1), FDT_ERR_BAD_VALUE);
	CHECK_STR(buf, "");
	CHECK_INT(fdt_node_path(&f, fdt_root(&f), buf, 0), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_node_path(&f, fdt_root(&f), NULL, 64), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_node_path(&f, 1, buf, sizeof(buf)), FDT_ERR_BAD_OFFSET);
	CHECK_STR(buf, "");
	CHECK_INT(fdt_node_path(&f, path_of(&f, "/cpus"), buf, 6), FDT_OK);
	CHECK_STR(buf, "/cpus");
}

/* ---- Bad handles ---- */

/* Every node-taking call must refuse handle, which is not a node. */
static void check_rejects_handle(const struct fdt *f, int handle)
{
	char buf[64];
	uint32_t u32, len = 1;
	uint64_t u64;
	int depth = 0;

	CHECK_INT(fdt_next_node(f, handle, &depth), FDT_ERR_BAD_OFFSET);
	CHECK_INT(depth, 0);
	CHECK_INT(fdt_first_child(f, handle), FDT_ERR_BAD_OFFSET);
	CHECK_INT(fdt_next_sibling(f, handle), FDT_ERR_BAD_OFFSET);
	CHECK_INT(fdt_parent(f, handle), FDT_ERR_BAD_OFFSET);
	CHECK_INT(fdt_subnode(f, handle, "cpus"), FDT_ERR_BAD_OFFSET);
	CHECK(fdt_name(f, handle) == NULL);
	CHECK_INT(fdt_node_path(f, handle, buf, sizeof(buf)), FDT_ERR_BAD_OFFSET);
	CHECK(fdt_prop(f, handle, "reg", &len) == NULL && len == 0);
	CHECK_INT(fdt_first_prop(f, handle), FDT_ERR_BAD_OFFSET);
	CHECK_INT(fdt_prop_u32(f, handle, "reg", 0, &u32), FDT_ERR_BAD_OFFSET);
	CHECK_INT(fdt_prop_cells(f, handle, "reg", 0, 1, &u64), FDT_ERR_BAD_OFFSET);
	CHECK(fdt_prop_string(f, handle, "compatible", 0) == NULL);
	CHECK(!fdt_is_compatible(f, handle, "arm,pl011"));
	if (handle != -1)
		CHECK_INT(fdt_find_compatible(f, handle, "arm,pl011"), FDT_ERR_BAD_OFFSET);
	CHECK_INT(fdt_address_cells(f, handle), FDT_ERR_BAD_OFFSET);
	CHECK_INT(fdt_size_cells(f, handle), FDT_ERR_BAD_OFFSET);
	CHECK_INT(fdt_reg(f, handle, 0, &u64, &u64), FDT_ERR_BAD_OFFSET);
}

/* Call everything on node (any offset) and ignore the answers: for ASan/UBSan. */
static void exercise_node(const struct fdt *f, int node);

static void test_bad_handles(void)
{
	struct fdt f, zero = { 0 };
	struct blob copy;
	int root, prop, end_node, handles[12], n = 0;

	CHECK_INT(init_copy(&f, &virt, &copy), FDT_OK);
	root = fdt_root(&f);
	prop = fdt_first_prop(&f, root);
	end_node = fdt_first_prop(&f, path_of(&f, "/cpus/cpu-map/socket0/cluster0/core3")) + 16;
	CHECK_U64(get_be32(copy.data + f.struct_off + end_node), 2);
	handles[n++] = -1, handles[n++] = -4, handles[n++] = 1, handles[n++] = 2;
	handles[n++] = 3, handles[n++] = INT_MIN, handles[n++] = INT_MAX;
	handles[n++] = (int)f.struct_size, handles[n++] = (int)f.struct_size + 4;
	handles[n++] = (int)f.struct_size - 4, handles[n++] = prop, handles[n++] = end_node;
	for (int i = 0; i < n; i++)
		check_rejects_handle(&f, handles[i]);
	CHECK_INT(fdt_next_prop(&f, root), FDT_ERR_BAD_OFFSET);
	CHECK(fdt_prop_at(&f, root, NULL, NULL) == NULL);
	CHECK(fdt_prop_at(&f, prop + 1, NULL, NULL) == NULL);
	CHECK_INT(fdt_next_prop(&f, -4), FDT_ERR_BAD_OFFSET);
	check_rejects_handle(&zero, 0);
	check_rejects_handle(NULL, 0);
	CHECK_INT(fdt_path(&zero, "/"), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_mem_rsv(&zero, 0, NULL, NULL), FDT_ERR_BAD_VALUE);
	/* Forged offsets, including ones inside property data: safe, if meaningless. */
	for (int off = -8; off < (int)f.struct_size + 16; off++)
		exercise_node(&f, off);
	free(copy.data);
}

/* ---- Other fixtures ---- */

/* The paths of all nodes in depth-first order, one per line. */
static void all_paths(const struct fdt *f, char *out, size_t outlen)
{
	char path[256];

	out[0] = 0;
	for (int node = fdt_root(f); node >= 0; node = fdt_next_node(f, node, NULL)) {
		fdt_node_path(f, node, path, sizeof(path));
		snprintf(out + strlen(out), outlen - strlen(out), "%s\n", path);
	}
}

static void test_version_16(void)
{
	static char want[4096], got[4096];
	struct fdt f17, f16, fpatched;
	struct blob patched;

	CHECK_INT(fdt_init(&f17, virt.data, virt.size), FDT_OK);
	CHECK_INT(get_be32(virt_v16.data + HDR_VERSION), 16);
	CHECK_INT(fdt_init(&f16, virt_v16.data, virt_v16.size), FDT_OK);
	CHECK_U64(f16.struct_size, f17.struct_size);
	all_paths(&f17, want, sizeof(want));
	all_paths(&f16, got, sizeof(got));
	CHECK_STR(got, want);
	check_virt_walk(&f16);
	/* A v17 blob relabelled 16: size_dt_struct must be ignored. */
	patched = blob_copy(virt.data, virt.size);
	put_be32(patched.data + HDR_VERSION, 16);
	put_be32(patched.data + HDR_SIZE_STRUCT, 0xffffffff);
	CHECK_INT(fdt_init(&fpatched, patched.data, patched.size), FDT_OK);
	CHECK_U64(fpatched.struct_size, f17.struct_size);
	free(patched.data);
}

static void check_edge_strings(const struct fdt *f, int root)
{
	uint32_t len = 0, u32 = 0;
	uint64_t u64 = 0;

	CHECK(fdt_is_compatible(f, root, "tessera,test"));
	CHECK_STR(fdt_prop_string(f, root, "empty-string", 0), "");
	CHECK_STR(fdt_prop_string(f, root, "empty-string", 1), NULL);
	CHECK_STR(fdt_prop_string(f, root, "three-strings", 0), "one");
	CHECK_STR(fdt_prop_string(f, root, "three-strings", 1), "");
	CHECK_STR(fdt_prop_string(f, root, "three-strings", 2), "three");
	CHECK_STR(fdt_prop_string(f, root, "three-strings", 3), NULL);
	CHECK(fdt_prop(f, root, "unterminated", &len) != NULL && len == 3);
	CHECK_STR(fdt_prop_string(f, root, "unterminated", 0), NULL);
	CHECK_INT(fdt_prop_u32(f, root, "odd-length", 0, &u32), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_prop_cells(f, root, "odd-length", 0, 2, &u64), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_prop_cells(f, root, "u64-pair", 0, 2, &u64), FDT_OK);
	CHECK_U64(u64, 0x123456789abcdef0ull);
	CHECK_INT(fdt_prop_cells(f, root, "u64-pair", 1, 2, &u64), FDT_OK);
	CHECK_U64(u64, 1);
	CHECK_INT(fdt_prop_cells(f, root, "u64-pair", 2, 2, &u64), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_prop_u32(f, root, "u64-pair", 1, &u32), FDT_OK);
	CHECK_U64(u32, 0x9abcdef0);
	CHECK_INT(fdt_prop_u32(f, root, "u64-pair", 3, &u32), FDT_OK);
	CHECK_U64(u32, 1);
	CHECK(fdt_prop(f, root, "empty", &len) != NULL && len == 0);
	CHECK_INT(fdt_prop_u32(f, root, "empty", 0, &u32), FDT_ERR_NOT_FOUND);
	CHECK(!fdt_is_compatible(f, path_of(f, "/unterminated-compat"), "abc"));
	CHECK(!fdt_is_compatible(f, path_of(f, "/unterminated-compat"), "ab"));
	CHECK_STR(fdt_prop_string(f, path_of(f, "/unterminated-compat"), "compatible", 0), NULL);
}

static void check_edge_cells(const struct fdt *f)
{
	CHECK_INT(fdt_address_cells(f, fdt_root(f)), 1);
	CHECK_INT(fdt_size_cells(f, fdt_root(f)), 1);
	CHECK_INT(fdt_address_cells(f, path_of(f, "/bus3")), 3);
	CHECK_INT(fdt_address_cells(f, path_of(f, "/bus-two-cell-prop")), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_size_cells(f, path_of(f, "/bus-two-cell-prop")), 1);
	CHECK_INT(fdt_address_cells(f, path_of(f, "/bus-too-many")), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_size_cells(f, path_of(f, "/bus-too-many")), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_address_cells(f, path_of(f, "/bus-zero")), 0);
	check_reg(f, "/memory", 0, FDT_OK, 0x1000, 0x10);
	check_reg(f, "/memory@80000000", 0, FDT_OK, 0x80000000, 0x1000);
	check_reg(f, "/memory@80000000", 1, FDT_OK, 0x90000000, 0x2000);
	check_reg(f, "/memory@80000000", 2, FDT_ERR_NOT_FOUND, 0, 0);
	check_reg(f, "/mem", 0, FDT_OK, 0, 8);
	check_reg(f, "/bad-reg-len", 0, FDT_ERR_BAD_VALUE, 0, 0);
	check_reg(f, "/no-reg", 0, FDT_ERR_NOT_FOUND, 0, 0);
	check_reg(f, "/bus64/dev@100000000", 0, FDT_OK, 0x100000000ull, 0);
	check_reg(f, "/bus3/dev@0", 0, FDT_ERR_BAD_VALUE, 0, 0);
	check_reg(f, "/bus-two-cell-prop/dev", 0, FDT_ERR_BAD_VALUE, 0, 0);
	check_reg(f, "/bus-zero/dev", 0, FDT_ERR_BAD_VALUE, 0, 0);
}

static void test_edge_cases(void)
{
	struct fdt f;
	uint64_t addr = 0, size = 0;
	int root;

	CHECK_INT(fdt_init(&f, edge.data, edge.size), FDT_OK);
	root = fdt_root(&f);
	CHECK_INT(fdt_mem_rsv(&f, 0, &addr, &size), FDT_OK);
	CHECK_U64(addr, 0x48000000);
	CHECK_U64(size, 0x100000);
	CHECK_INT(fdt_mem_rsv(&f, 1, &addr, NULL), FDT_OK);
	CHECK_U64(addr, 0x123456789000ull);
	CHECK_INT(fdt_mem_rsv(&f, 2, &addr, &size), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_mem_rsv(&f, UINT32_MAX, NULL, NULL), FDT_ERR_NOT_FOUND);
	check_edge_strings(&f, root);
	check_edge_cells(&f);
	/* An exact "memory" beats "memory@80000000", which comes first. */
	CHECK_STR(fdt_name(&f, fdt_path(&f, "/memory")), "memory");
	CHECK_STR(fdt_name(&f, fdt_subnode(&f, root, "memory")), "memory");
	CHECK_STR(fdt_name(&f, fdt_path(&f, "/mem")), "mem@0");
	CHECK_INT(fdt_path(&f, "mem"), fdt_path(&f, "/memory@80000000"));
	CHECK_INT(fdt_path(&f, "bus/dev"), fdt_path(&f, "/bus64/dev@100000000"));
	CHECK_INT(fdt_path(&f, "relative"), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_path(&f, "unterminated"), FDT_ERR_BAD_VALUE);
	CHECK_INT(fdt_path(&f, "dangling"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_path(&f, "mem@0"), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_path(&f, "/aliases/mem"), FDT_ERR_NOT_FOUND);
}

/* ---- Corrupted headers and truncation ---- */

struct header_case {
	const char *what;
	uint32_t field;
	uint32_t value;
	bool relative; /* value is added to the field */
	int want;
};

static const struct header_case header_cases[] = {
	{ "magic off by one", HDR_MAGIC, 0xd00dfeee, false, FDT_ERR_BAD_MAGIC },
	{ "magic zero", HDR_MAGIC, 0, false, FDT_ERR_BAD_MAGIC },
	{ "totalsize past avail", HDR_TOTAL_SIZE, 1, true, FDT_ERR_TRUNCATED },
	{ "totalsize all ones", HDR_TOTAL_SIZE, 0xffffffff, false, FDT_ERR_TRUNCATED },
	{ "totalsize below header", HDR_TOTAL_SIZE, 39, false, FDT_ERR_BAD_HEADER },
	{ "totalsize zero", HDR_TOTAL_SIZE, 0, false, FDT_ERR_BAD_HEADER },
	{ "totalsize cuts strings", HDR_TOTAL_SIZE, (uint32_t)-1, true, FDT_ERR_BAD_HEADER },
	{ "struct unaligned", HDR_OFF_STRUCT, 2, true, FDT_ERR_BAD_HEADER },
	{ "struct in header", HDR_OFF_STRUCT, 0, false, FDT_ERR_BAD_HEADER },
	{ "struct overlaps strings", HDR_OFF_STRUCT, 4, true, FDT_ERR_BAD_HEADER },
	{ "struct past end", HDR_OFF_STRUCT, 0xfffffffc, false, FDT_ERR_BAD_HEADER },
	{ "strings in header", HDR_OFF_STRINGS, 0, false, FDT_ERR_BAD_HEADER },
	{ "strings overlap struct", HDR_OFF_STRINGS, (uint32_t)-4, true, FDT_ERR_BAD_HEADER },
	{ "strings past end", HDR_OFF_STRINGS, 0xffffffff, false, FDT_ERR_BAD_HEADER },
	{ "strings end past end", HDR_OFF_STRINGS, 1, true, FDT_ERR_BAD_HEADER },
	{ "rsvmap unaligned", HDR_OFF_RSVMAP, 4, true, FDT_ERR_BAD_HEADER },
	{ "rsvmap in header", HDR_OFF_RSVMAP, 0, false, FDT_ERR_BAD_HEADER },
	{ "rsvmap past end", HDR_OFF_RSVMAP, 0xfffffff8, false, FDT_ERR_BAD_HEADER },
	{ "rsvmap at struct", HDR_OFF_RSVMAP, 16, true, FDT_ERR_BAD_HEADER },
	{ "rsvmap inside struct", HDR_OFF_RSVMAP, 24, true, FDT_ERR_BAD_HEADER },
	{ "version 15", HDR_VERSION, 15, false, FDT_ERR_BAD_VERSION },
	{ "version 1", HDR_VERSION, 1, false, FDT_ERR_BAD_VERSION },
	{ "version 16", HDR_VERSION, 16, false, FDT_OK },
	{ "version 18", HDR_VERSION, 18, false, FDT_OK },
	{ "last_comp 18", HDR_LAST_COMP, 18, false, FDT_ERR_BAD_VERSION },
	{ "last_comp all ones", HDR_LAST_COMP, 0xffffffff, false, FDT_ERR_BAD_VERSION },
	{ "boot cpu all ones", HDR_BOOT_CPU, 0xffffffff, false, FDT_OK },
	{ "strings size past end", HDR_SIZE_STRINGS, 1, true, FDT_ERR_BAD_HEADER },
	{ "strings size all ones", HDR_SIZE_STRINGS, 0xffffffff, false, FDT_ERR_BAD_HEADER },
	{ "strings size zero", HDR_SIZE_STRINGS, 0, false, FDT_ERR_BAD_STRUCTURE },
	{ "strings size cuts last NUL", HDR_SIZE_STRINGS, (uint32_t)-1, true, FDT_ERR_BAD_STRUCTURE },
	{ "struct size overlaps strings", HDR_SIZE_STRUCT, 4, true, FDT_ERR_BAD_HEADER },
	{ "struct size all ones", HDR_SIZE_STRUCT, 0xffffffff, false, FDT_ERR_BAD_HEADER },
	{ "struct size cuts FDT_END", HDR_SIZE_STRUCT, (uint32_t)-4, true, FDT_ERR_BAD_STRUCTURE },
	{ "struct size cuts a name", HDR_SIZE_STRUCT, 6, false, FDT_ERR_BAD_STRUCTURE },
	{ "struct size zero", HDR_SIZE_STRUCT, 0, false, FDT_ERR_BAD_STRUCTURE },
};

static void test_header_fields(void)
{
	const size_t n = sizeof(header_cases) / sizeof(header_cases[0]);
	struct fdt f;

	for (size_t i = 0; i < n; i++) {
		const struct header_case *c = &header_cases[i];
		struct blob copy = blob_copy(virt.data, virt.size);
		uint32_t old = get_be32(copy.data + c->field);

		put_be32(copy.data + c->field, c->relative ? old + c->value : c->value);
		if (!CHECK_INT(fdt_init(&f, copy.data, copy.size), c->want))
			printf("#   header case: %s\n", c->what);
		if (c->want != FDT_OK)
			CHECK(f.blob == NULL && f.struct_size == 0 && fdt_root(&f) < 0);
		free(copy.data);
	}
}

/* A totalsize no int handle can reach is refused before any block is read. */
static void test_header_huge_total(void)
{
	struct blob copy = blob_copy(virt.data, virt.size);
	struct fdt f;

	put_be32(copy.data + HDR_TOTAL_SIZE, 0x80000000u);
	/* avail is a lie here, but only header fields before the check are read. */
	CHECK_INT(fdt_init(&f, copy.data, 0x80000000u), FDT_ERR_BAD_HEADER);
	free(copy.data);
}

static void check_truncations(const struct blob *src)
{
	struct fdt f;

	for (size_t len = 0; len < src->size; len++) {
		struct blob copy = blob_copy(src->data, len);

		if (!CHECK_INT(fdt_init(&f, copy.data, len), FDT_ERR_TRUNCATED))
			printf("#   avail %zu of %zu\n", len, src->size);
		CHECK_U64(fdt_header_total_size(copy.data, len), len >= 8 ? src->size : 0);
		free(copy.data);
	}
}

static void test_truncation(void)
{
	struct blob bigger = { calloc(1, virt.size + 64), virt.size + 64 };
	struct fdt f;

	memcpy(bigger.data, virt.data, virt.size);
	check_truncations(&virt);
	check_truncations(&edge);
	CHECK_INT(fdt_init(&f, bigger.data, bigger.size), FDT_OK);
	CHECK_U64(f.total_size, virt.size);
	free(bigger.data);
}

/* ---- Hand-built structure blocks ---- */

enum { TOK_BEGIN = 1, TOK_END_NODE = 2, TOK_PROP = 3, TOK_NOP = 4, TOK_END = 9 };

struct builder {
	uint8_t structure[4096];
	uint32_t struct_len;
	uint8_t strings[256];
	uint32_t strings_len;
	uint64_t rsv[4][2];
	uint32_t rsv_count;
	bool rsv_unterminated;
	uint32_t rsv_off; /* 0: straight after the header (and rsv_gap) */
	uint32_t rsv_gap, struct_gap; /* padding before the map, and before the structure */
};

static void b_bytes(struct builder *b, const void *data, uint32_t len)
{
	memcpy(b->structure + b->struct_len, data, len);
	b->struct_len += len;
	while (b->struct_len % 4 != 0)
		b->structure[b->struct_len++] = 0;
}

static void b_word(struct builder *b, uint32_t v)
{
	put_be32(b->structure + b->struct_len, v);
	b->struct_len += 4;
}

static void b_begin(struct builder *b, const char *name)
{
	b_word(b, TOK_BEGIN);
	b_bytes(b, name, (uint32_t)strlen(name) + 1);
}

static uint32_t b_string(struct builder *b, const char *s)
{
	uint32_t off = b->strings_len;

	memcpy(b->strings + off, s, strlen(s) + 1);
	b->strings_len += (uint32_t)strlen(s) + 1;
	return off;
}

/* A property whose header says len/nameoff, followed by data_len real bytes. */
static void b_prop_raw(struct builder *b, uint32_t len, uint32_t nameoff, const void *data,
		       uint32_t data_len)
{
	b_word(b, TOK_PROP);
	b_word(b, len);
	b_word(b, nameoff);
	if (data_len != 0)
		b_bytes(b, data, data_len);
}

static void b_prop(struct builder *b, const char *name, const void *data, uint32_t len)
{
	b_prop_raw(b, len, b_string(b, name), data, len);
}

/* Lay out header, reservation map, structure and strings in an exact-size heap blob. */
static struct blob b_finish(const struct builder *b)
{
	uint32_t rsv_len = 16 * (b->rsv_count + (b->rsv_unterminated ? 0 : 1));
	uint32_t off_rsv = HDR_SIZE + b->rsv_gap, off_struct = off_rsv + rsv_len + b->struct_gap;
	uint32_t off_strings = off_struct + b->struct_len;
	uint32_t total = off_strings + b->strings_len;
	struct blob blob = { calloc(1, total), total };
	uint8_t *h = blob.data;

	put_be32(h + HDR_MAGIC, 0xd00dfeed);
	put_be32(h + HDR_TOTAL_SIZE, total);
	put_be32(h + HDR_OFF_STRUCT, off_struct);
	put_be32(h + HDR_OFF_STRINGS, off_strings);
	put_be32(h + HDR_OFF_RSVMAP, b->rsv_off != 0 ? b->rsv_off : off_rsv);
	put_be32(h + HDR_VERSION, 17);
	put_be32(h + HDR_LAST_COMP, 16);
	put_be32(h + HDR_SIZE_STRINGS, b->strings_len);
	put_be32(h + HDR_SIZE_STRUCT, b->struct_len);
	for (uint32_t i = 0; i < b->rsv_count; i++) {
		for (int j = 0; j < 2; j++) {
			put_be32(h + off_rsv + 16 * i + 8 * j, (uint32_t)(b->rsv[i][j] >> 32));
			put_be32(h + off_rsv + 16 * i + 8 * j + 4, (uint32_t)b->rsv[i][j]);
		}
	}
	memcpy(h + off_struct, b->structure, b->struct_len);
	memcpy(h + off_strings, b->strings, b->strings_len);
	return blob;
}

/* Each builder below makes one blob; the table says what fdt_init must return. */
static void build_minimal(struct builder *b)
{
	b_begin(b, "");
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

static void build_no_root(struct builder *b) { b_word(b, TOK_END); }
static void build_empty_struct(struct builder *b) { (void)b; }

static void build_prop_outside_root(struct builder *b)
{
	b_prop(b, "x", "abc", 4);
	build_minimal(b);
}

/* Balanced overall (-1 + 1 = 0), so only the depth check at END_NODE catches it. */
static void build_end_node_first(struct builder *b)
{
	b_word(b, TOK_END_NODE);
	b_begin(b, "r");
	b_word(b, TOK_END);
}

static void build_bad_token(struct builder *b)
{
	b_begin(b, "");
	b_word(b, 5);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

static void build_zero_token(struct builder *b)
{
	b_begin(b, "");
	b_word(b, 0);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

static void build_missing_end(struct builder *b)
{
	b_begin(b, "");
	b_word(b, TOK_END_NODE);
}

static void build_end_inside_node(struct builder *b)
{
	b_begin(b, "");
	b_word(b, TOK_END);
}

static void build_unclosed_child(struct builder *b)
{
	b_begin(b, "");
	b_begin(b, "a");
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

static void build_two_roots(struct builder *b)
{
	b_begin(b, "");
	b_word(b, TOK_END_NODE);
	build_minimal(b);
}

static void build_extra_end_node(struct builder *b)
{
	b_begin(b, "");
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

/* The name runs to the very end of the blob with no NUL. */
static void build_unterminated_name(struct builder *b)
{
	b_begin(b, "");
	b_word(b, TOK_BEGIN);
	memcpy(b->structure + b->struct_len, "abcdefgh", 8);
	b->struct_len += 8;
}

static void build_prop_past_block(struct builder *b)
{
	b_begin(b, "");
	b_prop_raw(b, 100, b_string(b, "x"), NULL, 0);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

static void build_prop_len_wraps(struct builder *b)
{
	b_begin(b, "");
	b_prop_raw(b, 0xfffffffd, b_string(b, "x"), NULL, 0);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

/* FDT_PROP is the last word of the blob (no strings block): its length is beyond. */
static void build_prop_header_cut(struct builder *b)
{
	b_begin(b, "");
	b_word(b, TOK_PROP);
}

static void build_prop_nameoff_cut(struct builder *b)
{
	b_begin(b, "");
	b_word(b, TOK_PROP);
	b_word(b, 0);
}

static void build_nameoff_past_strings(struct builder *b)
{
	b_begin(b, "");
	b_prop_raw(b, 0, b_string(b, "x") + 2, NULL, 0);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

static void build_nameoff_huge(struct builder *b)
{
	b_begin(b, "");
	b_prop_raw(b, 0, 0xffffffff, NULL, 0);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

/* The strings block is "ab" with no NUL: the name would run off the blob. */
static void build_name_unterminated_in_strings(struct builder *b)
{
	b_begin(b, "");
	b_prop_raw(b, 0, 0, NULL, 0);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
	memcpy(b->strings, "ab", 2);
	b->strings_len = 2;
}

static void build_nested(struct builder *b, int depth)
{
	b_begin(b, "");
	for (int i = 1; i < depth; i++)
		b_begin(b, "n");
	for (int i = 0; i < depth; i++)
		b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

static void build_depth_max(struct builder *b) { build_nested(b, FDT_MAX_DEPTH); }
static void build_depth_over(struct builder *b) { build_nested(b, FDT_MAX_DEPTH + 1); }

static void build_prop_after_child(struct builder *b)
{
	b_begin(b, "");
	b_begin(b, "a");
	b_word(b, TOK_END_NODE);
	b_prop(b, "x", "abc", 4);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

static void build_named_child(struct builder *b, const char *name)
{
	b_begin(b, "");
	b_begin(b, name);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
}

static void build_empty_child_name(struct builder *b) { build_named_child(b, ""); }
static void build_slash_in_name(struct builder *b) { build_named_child(b, "a/b"); }

/* NOPs wherever the spec allows them, and junk after FDT_END: both accepted. */
static void build_nops(struct builder *b)
{
	static const uint8_t one[4] = { 0, 0, 0, 1 };

	b_word(b, TOK_NOP);
	b_begin(b, "");
	b_word(b, TOK_NOP);
	b_prop(b, "#address-cells", one, 4);
	b_word(b, TOK_NOP);
	b_prop(b, "#size-cells", one, 4);
	b_word(b, TOK_NOP);
	b_begin(b, "a@10");
	b_word(b, TOK_NOP);
	b_prop(b, "reg", "\0\0\0\x10\0\0\0\x20", 8);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_NOP);
	b_begin(b, "b");
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_NOP);
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_NOP);
	b_word(b, TOK_END);
	b_word(b, 0x12345678);
}

static void build_rsv_entries(struct builder *b)
{
	b->rsv[0][0] = 0x1000, b->rsv[0][1] = 0x2000;
	b->rsv[1][0] = 0, b->rsv[1][1] = 0x10; /* zero address alone does not terminate */
	b->rsv_count = 2;
	build_minimal(b);
}

static void build_rsv_unterminated(struct builder *b)
{
	b->rsv[0][0] = 0x1000, b->rsv[0][1] = 0x2000;
	b->rsv_count = 1;
	b->rsv_unterminated = true;
	build_minimal(b);
}

/* The map points at zeroed property data: terminated, but inside the structure block. */
static void build_rsv_inside_struct(struct builder *b)
{
	static const uint8_t zeros[32];

	b_begin(b, "");
	b_prop(b, "z", zeros, sizeof(zeros));
	b_word(b, TOK_END_NODE);
	b_word(b, TOK_END);
	b->rsv_off = HDR_SIZE + 16 + 24; /* struct offset 24 is inside the data at 20..52 */
}

/* Misaligned blocks that would otherwise parse: only the alignment checks refuse them. */
static void build_struct_misaligned(struct builder *b)
{
	b->struct_gap = 2;
	build_minimal(b);
}

static void build_struct_gap(struct builder *b)
{
	b->struct_gap = 4;
	build_minimal(b);
}

static void build_rsv_misaligned(struct builder *b)
{
	b->rsv_gap = 4;
	build_minimal(b);
}

static const struct structure_case {
	const char *what;
	void (*build)(struct builder *b);
	int want;
} structure_cases[] = {
	{ "minimal tree", build_minimal, FDT_OK },
	{ "no root node", build_no_root, FDT_ERR_BAD_STRUCTURE },
	{ "empty structure block", build_empty_struct, FDT_ERR_BAD_STRUCTURE },
	{ "property outside the root", build_prop_outside_root, FDT_ERR_BAD_STRUCTURE },
	{ "END_NODE without BEGIN_NODE", build_end_node_first, FDT_ERR_BAD_STRUCTURE },
	{ "unknown token 5", build_bad_token, FDT_ERR_BAD_STRUCTURE },
	{ "token 0", build_zero_token, FDT_ERR_BAD_STRUCTURE },
	{ "missing FDT_END", build_missing_end, FDT_ERR_BAD_STRUCTURE },
	{ "FDT_END inside the root", build_end_inside_node, FDT_ERR_BAD_STRUCTURE },
	{ "child never closed", build_unclosed_child, FDT_ERR_BAD_STRUCTURE },
	{ "two roots", build_two_roots, FDT_ERR_BAD_STRUCTURE },
	{ "extra END_NODE", build_extra_end_node, FDT_ERR_BAD_STRUCTURE },
	{ "unterminated node name", build_unterminated_name, FDT_ERR_BAD_STRUCTURE },
	{ "property data past the block", build_prop_past_block, FDT_ERR_BAD_STRUCTURE },
	{ "property length wraps", build_prop_len_wraps, FDT_ERR_BAD_STRUCTURE },
	{ "property length cut off", build_prop_header_cut, FDT_ERR_BAD_STRUCTURE },
	{ "property nameoff cut off", build_prop_nameoff_cut, FDT_ERR_BAD_STRUCTURE },
	{ "nameoff past strings", build_nameoff_past_strings, FDT_ERR_BAD_STRUCTURE },
	{ "nameoff 0xffffffff", build_nameoff_huge, FDT_ERR_BAD_STRUCTURE },
	{ "name unterminated in strings", build_name_unterminated_in_strings,
	  FDT_ERR_BAD_STRUCTURE },
	{ "nesting at the limit", build_depth_max, FDT_OK },
	{ "nesting past the limit", build_depth_over, FDT_ERR_BAD_STRUCTURE },
	{ "property after a child", build_prop_after_child, FDT_ERR_BAD_STRUCTURE },
	{ "empty child name", build_empty_child_name, FDT_ERR_BAD_STRUCTURE },
	{ "'/' in a node name", build_slash_in_name, FDT_ERR_BAD_STRUCTURE },
	{ "NOPs and junk after FDT_END", build_nops, FDT_OK },
	{ "reservation entries", build_rsv_entries, FDT_OK },
	{ "unterminated reservation map", build_rsv_unterminated, FDT_ERR_BAD_HEADER },
	{ "reservation map inside the structure", build_rsv_inside_struct, FDT_ERR_BAD_HEADER },
	{ "reservation map not 8-aligned", build_rsv_misaligned, FDT_ERR_BAD_HEADER },
	{ "structure block not 4-aligned", build_struct_misaligned, FDT_ERR_BAD_HEADER },
	{ "gap before the structure block", build_struct_gap, FDT_OK },
};

static void test_structure_errors(void)
{
	const size_t n = sizeof(structure_cases) / sizeof(structure_cases[0]);

	for (size_t i = 0; i < n; i++) {
		struct builder b = { 0 };
		struct blob blob;
		struct fdt f;
		int status;

		structure_cases[i].build(&b);
		blob = b_finish(&b);
		status = fdt_init(&f, blob.data, blob.size);
		if (!CHECK_INT(status, structure_cases[i].want))
			printf("#   structure case: %s\n", structure_cases[i].what);
		if (status == FDT_OK)
			exercise_node(&f, fdt_root(&f));
		free(blob.data);
	}
}

/* The accepted oddities must also read back correctly. */
static void test_structure_accepted(void)
{
	struct builder b = { 0 };
	struct blob blob;
	struct fdt f;
	char path[64];
	uint64_t addr = 0, size = 0;
	int a, deepest = 0, depth = 0;

	build_nops(&b);
	blob = b_finish(&b);
	CHECK_INT(fdt_init(&f, blob.data, blob.size), FDT_OK);
	CHECK_U64(f.struct_size, b.struct_len - 4);
	CHECK_INT(fdt_root(&f), 4);
	a = fdt_path(&f, "/a");
	CHECK_INT(fdt_first_child(&f, fdt_root(&f)), a);
	CHECK_STR(fdt_name(&f, fdt_next_sibling(&f, a)), "b");
	CHECK_INT(fdt_parent(&f, fdt_path(&f, "/b")), 4);
	CHECK_INT(fdt_reg(&f, a, 0, &addr, &size), FDT_OK);
	CHECK_U64(addr, 0x10);
	CHECK_U64(size, 0x20);
	CHECK_INT(fdt_node_path(&f, a, path, sizeof(path)), FDT_OK);
	CHECK_STR(path, "/a@10");
	CHECK_INT(fdt_size_cells(&f, fdt_root(&f)), 1);
	free(blob.data);

	memset(&b, 0, sizeof(b));
	build_rsv_entries(&b);
	blob = b_finish(&b);
	CHECK_INT(fdt_init(&f, blob.data, blob.size), FDT_OK);
	CHECK_INT(fdt_mem_rsv(&f, 1, &addr, &size), FDT_OK);
	CHECK_U64(addr, 0);
	CHECK_U64(size, 0x10);
	CHECK_INT(fdt_mem_rsv(&f, 2, &addr, &size), FDT_ERR_NOT_FOUND);
	free(blob.data);

	memset(&b, 0, sizeof(b));
	build_depth_max(&b);
	blob = b_finish(&b);
	CHECK_INT(fdt_init(&f, blob.data, blob.size), FDT_OK);
	for (int node = fdt_root(&f); node >= 0; node = fdt_next_node(&f, node, &depth))
		deepest = node;
	CHECK_INT(depth, -1);
	CHECK_INT(fdt_node_path(&f, deepest, path, sizeof(path)), FDT_ERR_BAD_VALUE);
	CHECK(fdt_parent(&f, deepest) >= 0);
	free(blob.data);
}

/*
 * A property whose value looks like a node holding a property with a wild
 * nameoff. fdt_init never sees it as a node, but a caller can forge the
 * handle; every call must stay in bounds and must not place it in the tree.
 */
static void test_forged_node(void)
{
	static const uint8_t fake[] = { 0, 0, 0, TOK_BEGIN, 0, 0, 0, 0,
					0, 0, 0, TOK_PROP, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xf0,
					0, 0, 0, TOK_END_NODE };
	struct builder b = { 0 };
	struct blob blob;
	struct fdt f;
	const char *name = "x";
	char path[64];
	uint32_t len = 1;
	const int forged = 8 + 12; /* root BEGIN_NODE and "", then the property header */

	b_begin(&b, "");
	b_prop(&b, "fake", fake, sizeof(fake));
	b_word(&b, TOK_END_NODE);
	b_word(&b, TOK_END);
	blob = b_finish(&b);
	CHECK_INT(fdt_init(&f, blob.data, blob.size), FDT_OK);
	CHECK_INT(fdt_next_node(&f, fdt_root(&f), NULL), FDT_ERR_NOT_FOUND);
	CHECK_STR(fdt_name(&f, forged), "");
	CHECK(fdt_prop(&f, forged, "x", &len) == NULL && len == 0);
	CHECK_INT(fdt_first_prop(&f, forged), forged + 8);
	CHECK(fdt_prop_at(&f, forged + 8, &name, NULL) != NULL && name == NULL);
	CHECK_INT(fdt_parent(&f, forged), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_node_path(&f, forged, path, sizeof(path)), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_reg(&f, forged, 0, NULL, NULL), FDT_ERR_NOT_FOUND);
	CHECK_INT(fdt_next_sibling(&f, forged), FDT_ERR_NOT_FOUND);
	exercise_node(&f, forged);
	free(blob.data);
}

/* ---- Fuzz ---- */

static uint64_t rng_state = FUZZ_SEED;

static uint32_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static void exercise_props(const struct fdt *f, int node)
{
	const char *name;
	uint32_t len, u32;
	uint64_t u64;
	int prop, count = 0;

	for (prop = fdt_first_prop(f, node); prop >= 0 && count < 1000;
	     prop = fdt_next_prop(f, prop), count++) {
		const void *value = fdt_prop_at(f, prop, &name, &len);

		CHECK(value != NULL);
		if (name == NULL) /* possible only for a forged node handle */
			continue;
		CHECK(fdt_prop(f, node, name, NULL) != NULL);
		(void)fdt_prop_string(f, node, name, count % 3);
		(void)fdt_prop_u32(f, node, name, count % 2, &u32);
		(void)fdt_prop_cells(f, node, name, 1, 2, &u64);
		(void)fdt_is_compatible(f, node, name);
	}
}

/* Invariants that hold for any node of any blob fdt_init accepted. */
static void check_node_invariants(const struct fdt *f, int node)
{
	static char path[PATH_MAX_LEN], again[PATH_MAX_LEN];
	int parent = fdt_parent(f, node), found, child;

	CHECK(fdt_name(f, node) != NULL);
	for (int prop = fdt_first_prop(f, node); prop >= 0; prop = fdt_next_prop(f, prop)) {
		const char *name;

		CHECK(fdt_prop_at(f, prop, &name, NULL) != NULL && name != NULL);
	}
	/*
	 * A mutant may repeat a sibling's name; lookups take the first match and
	 * do not backtrack, so the path may lead nowhere, but never elsewhere.
	 */
	if (fdt_node_path(f, node, path, sizeof(path)) == FDT_OK) {
		found = fdt_path(f, path);
		CHECK(found >= 0 || found == FDT_ERR_NOT_FOUND);
		if (found >= 0) {
			CHECK_INT(fdt_node_path(f, found, again, sizeof(again)), FDT_OK);
			CHECK_STR(again, path);
		}
	}
	if (node == fdt_root(f)) {
		CHECK_INT(parent, FDT_ERR_NOT_FOUND);
		return;
	}
	CHECK(parent >= 0);
	for (child = fdt_first_child(f, parent); child >= 0 && child != node;
	     child = fdt_next_sibling(f, child))
		;
	CHECK_INT(child, node);
}

static void exercise_node(const struct fdt *f, int node)
{
	static char path[PATH_MAX_LEN];
	const char *compat = fdt_prop_string(f, node, "compatible", 0);
	uint64_t addr, size;
	int depth = 0;

	(void)fdt_name(f, node);
	(void)fdt_node_path(f, node, path, sizeof(path));
	(void)fdt_next_node(f, node, &depth);
	(void)fdt_first_child(f, node);
	(void)fdt_next_sibling(f, node);
	(void)fdt_subnode(f, node, "memory");
	(void)fdt_address_cells(f, node);
	(void)fdt_size_cells(f, node);
	for (uint32_t i = 0; i < 3; i++)
		(void)fdt_reg(f, node, i, &addr, &size);
	if (compat != NULL) {
		CHECK(fdt_is_compatible(f, node, compat));
		(void)fdt_find_compatible(f, node, compat);
	}
	exercise_props(f, node);
}

static void exercise_tree(const struct fdt *f)
{
	uint64_t addr, size;
	int node, count = 0, depth = 0;

	for (uint32_t i = 0; fdt_mem_rsv(f, i, &addr, &size) == FDT_OK; i++)
		;
	(void)fdt_path(f, "serial0");
	(void)fdt_path(f, "/cpus/cpu@0");
	for (node = fdt_root(f); node >= 0 && count < 100000;
	     node = fdt_next_node(f, node, &depth), count++) {
		exercise_node(f, node);
		check_node_invariants(f, node);
	}
	CHECK_INT(node, FDT_ERR_NOT_FOUND);
	CHECK(depth <= 0);
}

/*
 * Change 1-8 bytes. One mutant in four may hit the header, which is small
 * but dense; the rest spare it, so that enough mutants pass fdt_init to
 * exercise the readers on strange but valid trees.
 */
static void mutate(uint8_t *data, size_t size)
{
	static const uint8_t interesting[] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x09, 0x2f, 0x40,
					       0x7f, 0x80, 0xfe, 0xff };
	uint32_t count = 1 + rng_next() % 8;
	size_t first = rng_next() % 4 == 0 ? 0 : HDR_SIZE;

	for (uint32_t i = 0; i < count; i++) {
		size_t pos = first + rng_next() % (size - first);

		switch (rng_next() % 3) {
		case 0: data[pos] = (uint8_t)rng_next(); break;
		case 1: data[pos] ^= (uint8_t)(1u << (rng_next() % 8)); break;
		default: data[pos] = interesting[rng_next() % sizeof(interesting)]; break;
		}
	}
}

static void test_fuzz(void)
{
	const struct blob *sources[] = { &virt, &edge };
	unsigned long accepted = 0, by_status[9] = { 0 };
	struct fdt f;

	for (int i = 0; i < FUZZ_ITERATIONS; i++) {
		const struct blob *src = sources[i % 2];
		struct blob copy = blob_copy(src->data, src->size);
		int status;

		mutate(copy.data, copy.size);
		status = fdt_init(&f, copy.data, copy.size);
		by_status[-status]++;
		if (status == FDT_OK) {
			accepted++;
			exercise_tree(&f);
		} else {
			CHECK(f.blob == NULL);
		}
		free(copy.data);
	}
	printf("# fuzz: %d mutants, %lu accepted; rejected: truncated %lu, magic %lu, version %lu, "
	       "header %lu, structure %lu\n", FUZZ_ITERATIONS, accepted, by_status[1],
	       by_status[2], by_status[3], by_status[4], by_status[5]);
	CHECK(accepted > FUZZ_ITERATIONS / 10);
	CHECK_U64(by_status[6] + by_status[7] + by_status[8], 0);
}

/* ---- Driver ---- */

static const struct {
	const char *name;
	void (*run)(void);
} tests[] = {
	{ "byte order and header size", test_byte_order },
	{ "strerror", test_strerror },
	{ "virt: init", test_virt_init },
	{ "virt: depth-first walk", test_virt_walk },
	{ "virt: path and subnode lookup", test_virt_lookup },
	{ "virt: properties", test_virt_props },
	{ "virt: compatible search", test_virt_compatible },
	{ "virt: cells and reg", test_virt_reg },
	{ "node path buffers", test_node_path_buffers },
	{ "bad and forged handles", test_bad_handles },
	{ "version 16", test_version_16 },
	{ "edge cases fixture", test_edge_cases },
	{ "each header field corrupted", test_header_fields },
	{ "totalsize beyond int", test_header_huge_total },
	{ "every truncation", test_truncation },
	{ "malformed structure blocks", test_structure_errors },
	{ "accepted oddities read back", test_structure_accepted },
	{ "forged node inside property data", test_forged_node },
	{ "byte-flip fuzz", test_fuzz },
};

int main(int argc, char **argv)
{
	const size_t n = sizeof(tests) / sizeof(tests[0]);
	unsigned long failed_tests = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: %s qemu_virt.dtb qemu_virt_v16.dtb edge_cases.dtb\n",
			argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0); /* keep the TAP lines if a sanitizer aborts */
	virt = blob_load(argv[1]);
	virt_v16 = blob_load(argv[2]);
	edge = blob_load(argv[3]);
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		unsigned long before = check_failures;
		clock_t start = clock();

		tests[i].run();
		printf("%s %zu - %s (%.2f s)\n", check_failures == before ? "ok" : "not ok", i + 1,
		       tests[i].name, (double)(clock() - start) / CLOCKS_PER_SEC);
		failed_tests += check_failures != before;
	}
	printf("# %lu checks, %lu failed, in %lu of %zu tests\n", check_count, check_failures,
	       failed_tests, n);
	free(virt.data);
	free(virt_v16.data);
	free(edge.data);
	return check_failures == 0 ? 0 : 1;
}
