/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests for bootinfo_check(): a sound boot info passes, and each way of
 * breaking it is refused with its own reason. A kernel that took a broken boot
 * info would map or touch memory outside its partition.
 */
#include <stdio.h>
#include <string.h>
#include <multikernel/bootinfo.h>

#define BASE 0x42200000ull

static unsigned failures, checks;

static void good(struct bootinfo *bi)
{
        memset(bi, 0, sizeof(*bi));
        bi->magic = BOOTINFO_MAGIC;
        bi->version = BOOTINFO_VERSION;
        bi->size = sizeof(*bi);
        bi->core_id = 1;
        bi->core_count = 2;
        bi->ram = (struct bootinfo_range){ 0x40000000, 0x40000000 };
        bi->kernel = (struct bootinfo_range){ BASE, 0x200000 };
        bi->memory = (struct bootinfo_range){ BASE + 0x200000, 0x4000000 };
        bi->shared_area = (struct bootinfo_range){ 0x42000000, 0x200000 };
        bi->console_lock = 0x42000000;
        bi->inbox[0] = 0x42001000;
        bi->inbox[1] = 0x42002000;
        bi->mpidr = 1;
        bi->core_mpidr[0] = 0;
        bi->core_mpidr[1] = 1;
        bi->gic_version = 3;
        bi->gicd = (struct bootinfo_range){ 0x08000000, 0x10000 };
        bi->gicr = (struct bootinfo_range){ 0x080a0000, 0xf60000 };
        bi->timer_intid = 30;
        bi->psci = BOOTINFO_PSCI_HVC;
        bi->irq_count = 1;
        bi->irqs[0] = 33;
        bi->device_count = 1;
        strcpy(bi->devices[0].path, "/pl011@9000000");
        bi->devices[0].mmio = (struct bootinfo_range){ 0x09000000, 0x1000 };
        bi->shared_count = 1;
        strcpy(bi->shared[0].name, "console1");
        bi->shared[0].range = (struct bootinfo_range){ 0x42003000, 0x10000 };
        bi->shared[0].peers = 3;
        bi->port_count = 1;
        bi->ports[0] = (struct bootinfo_port){ BOOTINFO_PORT_SEND, 0, 0, 0 };
        bi->root_entry = 0x400010;
        bi->root_segment_count = 2;
        bi->root_segments[0] = (struct bootinfo_segment){ 0x400000, BASE + 0x200000, 0x2000,
                                                          BOOTINFO_SEG_READ | BOOTINFO_SEG_EXECUTE, 0 };
        bi->root_segments[1] = (struct bootinfo_segment){ 0x402000, BASE + 0x202000, 0x1000,
                                                          BOOTINFO_SEG_READ | BOOTINFO_SEG_WRITE, 0 };
}

static void expect(const char *name, const struct bootinfo *bi, const char *want)
{
        const char *got = bootinfo_check(bi, BASE, 0x20000);
        int ok = want ? (got && strcmp(got, want) == 0) : got == NULL;

        checks++;
        printf("%sok %u - %s%s%s\n", ok ? "" : "not ", checks, name,
               ok ? "" : ": got ", ok ? "" : (got ? got : "(accepted)"));
        failures += !ok;
}

#define CASE(name, mutation, want) do {           \
                struct bootinfo bi_;              \
                good(&bi_);                       \
                { struct bootinfo *bi = &bi_; mutation; } \
                expect(name, &bi_, want);         \
        } while (0)

int main(void)
{
        CASE("a sound boot info is accepted", (void)bi, NULL);
        CASE("bad magic", bi->magic ^= 1, "bad magic");
        CASE("other version", bi->version = 1, "unsupported version");
        CASE("other layout size", bi->size -= 8, "size does not match this kernel's layout");
        CASE("core id beyond the maximum", bi->core_id = 8, "core id or core count out of range");
        CASE("no cores", bi->core_count = 0, "core id or core count out of range");
        CASE("unknown flag", bi->flags = 0x80, "unknown flags");
        CASE("unterminated bootargs", memset(bi->bootargs, 'a', sizeof(bi->bootargs)),
             "bootargs not terminated");
        CASE("kernel region elsewhere", bi->kernel.base += 0x200000,
             "kernel region is not where this kernel runs");
        CASE("kernel region beyond RAM", (bi->ram.size = 0x2200000),
             "kernel region is not where this kernel runs");
        CASE("user memory wraps", bi->memory.size = ~0ull,
             "user memory outside RAM or overlapping the kernel");
        CASE("user memory over the kernel", bi->memory.base = BASE,
             "user memory outside RAM or overlapping the kernel");
        CASE("shared area over user memory", bi->shared_area.base = BASE + 0x400000,
             "shared area outside RAM or overlapping this partition");
        CASE("console lock outside the shared area", bi->console_lock = BASE,
             "console lock outside the shared area");
        CASE("misaligned console lock", bi->console_lock += 4, "console lock outside the shared area");
        CASE("inbox outside the shared area", bi->inbox[1] = BASE + 0x1000,
             "an inbox lies outside the shared area");
        CASE("own inbox missing", (bi->inbox[1] = 0, bi->core_mpidr[1] = 0),
             "inboxes do not match the cores");
        CASE("inbox count differs from cores", (bi->inbox[2] = 0x42004000, bi->core_mpidr[2] = 2),
             "inboxes do not match the cores");
        CASE("own MPIDR differs from the core list", bi->mpidr = 2,
             "this core's MPIDR differs from its entry in the core list");
        CASE("GIC version 4", bi->gic_version = 4, "interrupt controller description invalid");
        CASE("redistributor inside RAM", bi->gicr.base = 0x50000000,
             "interrupt controller description invalid");
        CASE("timer INTID not a PPI", bi->timer_intid = 33, "distributor or timer interrupt invalid");
        CASE("PSCI conduit unknown", bi->psci = 7, "unknown PSCI conduit");
        CASE("owned interrupt is a PPI", bi->irqs[0] = 27, "an owned interrupt is not an SPI");
        CASE("interrupt count too large", bi->irq_count = BOOTINFO_MAX_IRQS + 1, "too many interrupts");
        CASE("device count too large", bi->device_count = BOOTINFO_MAX_DEVICES + 1, "too many devices");
        CASE("device MMIO inside RAM", bi->devices[0].mmio.base = 0x48000000, "a device entry is invalid");
        CASE("shared region outside the area", bi->shared[0].range.base = BASE,
             "a shared region is invalid");
        CASE("shared region this core is not in", bi->shared[0].peers = 1, "a shared region is invalid");
        CASE("port to a core without a kernel", bi->ports[0].peer_core = 5, "an IPI port is invalid");
        CASE("port number beyond the inbox", bi->ports[0].port = BOOTINFO_INBOX_PORTS,
             "an IPI port is invalid");
        CASE("port on a missing channel", bi->ports[0].shared_index = 1, "an IPI port is invalid");
        CASE("port to this core itself", bi->ports[0].peer_core = 1, "an IPI port is invalid");
        CASE("port to a core outside its channel", (bi->shared[0].peers = 2), "an IPI port is invalid");
        CASE("two receive ports on one word",
             (bi->port_count = 2, bi->ports[0].direction = BOOTINFO_PORT_RECEIVE,
              bi->ports[1] = bi->ports[0]), "two IPI ports name the same inbox word");
        CASE("two send ports on one word of one peer",
             (bi->port_count = 2, bi->ports[1] = bi->ports[0]), "two IPI ports name the same inbox word");
        CASE("send ports on one word of different peers",
             (bi->port_count = 2, bi->inbox[2] = 0x42004000, bi->core_mpidr[2] = 2, bi->core_count = 3,
              bi->shared[0].peers = 7, bi->ports[1] = bi->ports[0], bi->ports[1].peer_core = 2), NULL);
        CASE("too many ports", bi->port_count = BOOTINFO_MAX_PORTS + 1,
             "too many shared regions, ports or programs");
        CASE("no root image", bi->root_segment_count = 0, "root image has no or too many segments");
        CASE("root segment misaligned", bi->root_segments[1].vaddr += 8,
             "a root image segment is invalid");
        CASE("root segment outside user memory", bi->root_segments[1].paddr = BASE,
             "a root image segment is invalid");
        CASE("root segment beyond the user VA limit", bi->root_segments[1].vaddr = BOOTINFO_USER_VA_LIMIT,
             "a root image segment is invalid");
        CASE("root segments overlap in VA", bi->root_segments[1].vaddr = 0x401000,
             "root image segments overlap");
        CASE("root segments share memory", bi->root_segments[1].paddr = BASE + 0x201000,
             "root image segments overlap");
        CASE("entry outside executable code", bi->root_entry = 0x402000,
             "root entry point is not in an executable segment");
        printf("1..%u\n", checks);
        return failures ? 1 : 0;
}
