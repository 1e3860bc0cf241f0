// SPDX-License-Identifier: BSD-2-Clause
/*
 * Host driver for the C planner (boot/partitioner/plan*.c):
 *
 *     test_plan SPEC.dtb MACHINE.dtb [--programs a,b]
 *
 * prints the plan as JSON on stdout, with the keys, order and values of
 * `tools/spec.py plan --json`, and exits 0; or prints the refusal line on
 * stderr and exits 1 (2 when the machine DTB is at fault, as spec.py does).
 * tests/spec/crosscheck.py runs it against spec.py for every fixture and for
 * hundreds of random specs and machines. Output is compact JSON; compare it
 * parsed, not as text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

#define MAX_PROGRAMS 64

static struct plan plan;        /* as in the partitioner: static, not on the stack */

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)len + 1);
		if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)len;
	}
	fclose(f);
	return buf;
}

static void json_string(const char *s, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_str(const char *s)
{
	json_string(s, strlen(s));
}

static void json_span(const char *key, uint64_t base, uint64_t size)
{
	printf("\"%s\":{\"base\":%llu,\"size\":%llu}", key, (unsigned long long)base,
	       (unsigned long long)size);
}

static void json_u32_list(const uint32_t *v, uint32_t n)
{
	putchar('[');
	for (uint32_t i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", v[i]);
	putchar(']');
}

static void print_machine(const struct plan_machine *m)
{
	printf("\"machine\":{");
	json_span("ram", m->ram.base, m->ram.size);
	printf(",\"cpus\":[");
	for (uint32_t i = 0; i < m->cpu_count; i++)
		printf("%s%llu", i ? "," : "", (unsigned long long)m->cpus[i]);
	printf("],\"gic\":%u,", m->gic_version);
	json_span("gicd", m->gicd.base, m->gicd.size);
	putchar(',');
	json_span("gicc", m->gicc.base, m->gicc.size);
	putchar(',');
	json_span("gicr", m->gicr.base, m->gicr.size);
	printf(",\"timer_intid\":%u,\"psci\":\"%s\"}", m->timer_intid, plan_psci_name(m->psci));
}

static void print_constants(void)
{
	printf("\"constants\":{\"partitioner_reserve\":%llu,\"kernel_region\":%llu,"
	       "\"min_core_memory\":%llu,\"inbox_size\":%llu,\"page\":%llu,\"block\":%llu,"
	       "\"max_ports\":%u}",
	       PLAN_PARTITIONER_RESERVE, PLAN_KERNEL_REGION, PLAN_MIN_CORE_MEMORY, PLAN_INBOX_SIZE,
	       PLAN_PAGE, PLAN_BLOCK, PLAN_MAX_CORE_PORTS);
}

static void print_device(const struct plan_device *d)
{
	printf("{\"path\":");
	json_str(d->path);
	printf(",\"compatible\":[");
	for (uint32_t off = 0, n = 0; d->compatible && off < d->compatible_len; n++) {
		size_t len = strlen(d->compatible + off);

		printf("%s", n ? "," : "");
		json_string(d->compatible + off, len);
		off += (uint32_t)len + 1;
	}
	printf("],\"regs\":[");
	for (uint32_t i = 0; i < d->reg_count; i++) {
		printf("%s{\"base\":%llu,\"size\":%llu}", i ? "," : "",
		       (unsigned long long)d->regs[i].base, (unsigned long long)d->regs[i].size);
	}
	printf("],\"spis\":");
	json_u32_list(d->spis, d->spi_count);
	putchar('}');
}

static void print_core(const struct plan_core *c)
{
	printf("{\"reg\":%u,\"node\":", c->reg);
	json_str(c->node);
	printf(",\"mpidr\":%llu,\"memory\":\"%s\",", (unsigned long long)c->mpidr,
	       plan_memory_name(c->memory));
	json_span("region", c->region.base, c->region.size);
	putchar(',');
	json_span("kernel", c->kernel.base, c->kernel.size);
	putchar(',');
	json_span("user", c->user.base, c->user.size);
	printf(",\"inbox\":%llu,\"devices\":[", (unsigned long long)c->inbox);
	for (uint32_t i = 0; i < c->device_count; i++) {
		printf("%s", i ? "," : "");
		print_device(&c->devices[i]);
	}
	printf("],\"irqs\":");
	json_u32_list(c->irqs, c->irq_count);
	printf(",\"programs\":[");
	for (uint32_t i = 0; i < c->program_count; i++) {
		printf("%s", i ? "," : "");
		json_str(c->programs[i]);
	}
	printf("]}");
}

static void print_channel(const struct plan_channel *ch)
{
	char node[sizeof("/channels/") + PLAN_NAME_MAX];

	snprintf(node, sizeof(node), "/channels/%s", ch->name);
	printf("{\"name\":");
	json_str(ch->name);
	printf(",\"node\":");
	json_str(node);
	printf(",\"base\":%llu,\"size\":%llu,\"cores\":[", (unsigned long long)ch->base,
	       (unsigned long long)ch->size);
	for (uint32_t reg = 0, n = 0; reg < 32; reg++) {
		if (ch->members >> reg & 1)
			printf("%s%u", n++ ? "," : "", reg);
	}
	printf("]}");
}

static void print_lists(void)
{
	printf(",\"ports\":[");
	for (uint32_t i = 0; i < plan.port_count; i++) {
		const struct plan_port *p = &plan.ports[i];

		printf("%s{\"channel\":", i ? "," : "");
		json_str(plan.channels[p->channel].name);
		printf(",\"src\":%u,\"dst\":%u,\"port\":%u}", p->src, p->dst, p->port);
	}
	printf("],\"free\":[");
	for (uint32_t i = 0; i < plan.free_count; i++) {
		printf("%s{\"base\":%llu,\"size\":%llu}", i ? "," : "",
		       (unsigned long long)plan.free[i].base, (unsigned long long)plan.free[i].size);
	}
	printf("],\"dropped\":{\"cores\":");
	json_u32_list(plan.dropped_cores, plan.dropped_core_count);
	printf(",\"channels\":[");
	for (uint32_t i = 0; i < plan.dropped_channel_count; i++) {
		printf("%s", i ? "," : "");
		json_str(plan.spec.channels[plan.dropped_channels[i]].name);
	}
	printf("]}");
}

static void print_plan(void)
{
	printf("{\"spec\":{\"model\":");
	json_str(plan.spec.model);
	printf(",\"adapt\":%s},", plan.spec.adapt ? "true" : "false");
	print_machine(&plan.machine);
	putchar(',');
	print_constants();
	putchar(',');
	json_span("reserve", plan.reserve.base, plan.reserve.size);
	putchar(',');
	json_span("shared", plan.shared.base, plan.shared.size);
	printf(",\"system_page\":%llu,\"cores\":[", (unsigned long long)plan.system_page);
	for (uint32_t i = 0; i < plan.core_count; i++) {
		printf("%s", i ? "," : "");
		print_core(&plan.cores[i]);
	}
	printf("],\"channels\":[");
	for (uint32_t i = 0; i < plan.channel_count; i++) {
		printf("%s", i ? "," : "");
		print_channel(&plan.channels[i]);
	}
	putchar(']');
	print_lists();
	printf("}\n");
}

/* "a,b,,c" -> {"a", "b", "c"}: empty names are dropped, as spec.py does. */
static unsigned split_programs(char *list, const char **out)
{
	unsigned n = 0;

	for (char *s = strtok(list, ","); s && n < MAX_PROGRAMS; s = strtok(NULL, ","))
		out[n++] = s;
	return n;
}

static int load(const char *path, struct fdt *fdt, void **blob, const char *what)
{
	size_t size = 0;
	int status;

	*blob = read_file(path, &size);
	if (!*blob) {
		fprintf(stderr, "spec: %s: cannot read\n", path);
		return 2;
	}
	status = fdt_init(fdt, *blob, size);
	if (status == FDT_OK)
		return 0;
	if (strcmp(what, "spec") == 0) {
		fprintf(stderr, "spec: %s: syntax: not a flattened device tree (%s)\n", path,
			fdt_strerror(status));
		return 1;
	}
	fprintf(stderr, "spec: machine: %s: %s\n", path, fdt_strerror(status));
	return 2;
}

int main(int argc, char **argv)
{
	static const char *programs[MAX_PROGRAMS];
	struct plan_options opts = { NULL, 0 };
	struct fdt spec, machine;
	void *spec_blob = NULL, *machine_blob = NULL;
	char err[1024];
	int status;

	if (argc == 5 && strcmp(argv[3], "--programs") == 0) {
		opts.program_count = split_programs(argv[4], programs);
		opts.programs = programs;
	} else if (argc != 3) {
		fprintf(stderr, "usage: test_plan SPEC.dtb MACHINE.dtb [--programs a,b]\n");
		return 2;
	}
	if ((status = load(argv[1], &spec, &spec_blob, "spec")) ||
	    (status = load(argv[2], &machine, &machine_blob, "machine")))
		goto out;
	status = plan_build(&spec, &machine, &opts, &plan, err, sizeof(err));
	if (status == PLAN_OK)
		print_plan();
	else
		fprintf(stderr, "%s\n", err);
	status = status == PLAN_OK ? 0 : status == PLAN_REFUSED ? 1 : 2;
out:
	free(spec_blob);
	free(machine_blob);
	return status;
}
