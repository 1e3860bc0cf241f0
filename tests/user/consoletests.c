/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A hostile console client (tests/qemu/specs/user-console.dts): on core 1,
 * beside an honest hello on core 2, it sends the console server on core 0
 * what a broken or malicious program might:
 *   - a line with control characters (printed with '?' in their place);
 *   - a message of unknown type, an empty message, an over-long name (each
 *     refused, with a line saying so);
 *   - a line longer than the server takes (refused, skipped);
 *   - a good line after all that (still served);
 *   - finally a corrupt ring: its head moved far past the tail, after the
 *     server has read everything before it. The server must report the
 *     channel broken, stop serving it, and still serve core 2 and end.
 * The harness checks the server's lines (tests/qemu/meson.build).
 */
#include <stdint.h>
#include <ipi/console.h>
#include <tessera/alloc.h>
#include <tessera/ipc.h>
#include <tessera/syscall.h>

#define CONSOLE_VADDR 0x10000000000ull

int main(const struct tessera_bootinfo *bi);

static struct tessera_alloc alloc;
static struct ipi_console con;

static void send_raw(const char *msg, uint32_t len)
{
        if (ipi_channel_send(&con.ch, msg, len) != IPI_OK || ipi_channel_flush(&con.ch) != IPI_OK)
                tessera_printf("consoletests: a raw message could not be sent\n");
}

/* The server has taken everything sent so far. */
static void await_drained(void)
{
        for (;;) {
                uint64_t tail = __atomic_load_n(&con.ch.tx.shared->consumer.tail, __ATOMIC_ACQUIRE);

                if (tail == con.ch.tx.head_published)
                        return;
                tessera_yield();
        }
}

int main(const struct tessera_bootinfo *bi)
{
        static char long_line[301];
        static const char long_name[] = "Nconsoletests-with-a-name-far-too-long-to-keep";

        tessera_alloc_init(&alloc, bi);
        if (ipi_console_open(&con, bi, &alloc, "consoletests", CONSOLE_VADDR) != IPI_OK) {
                tessera_printf("consoletests: no console channel\n");
                return 1;
        }
        ipi_console_printf(&con, "plain line\n");
        ipi_console_printf(&con, "bell\a and escape\x1b[2J here\n");
        send_raw("Xwhat is this", 13);
        send_raw("", 0);
        send_raw(long_name, sizeof(long_name) - 1);
        long_line[0] = 'L';
        for (unsigned i = 1; i < sizeof(long_line); i++)
                long_line[i] = 'x';
        send_raw(long_line, sizeof(long_line));
        ipi_console_printf(&con, "still served\n");
        await_drained();
        __atomic_store_n(&con.ch.tx.shared->producer.head, con.ch.tx.head_published + (1ull << 40),
                         __ATOMIC_RELEASE);
        tessera_signal(con.link.send);
        return 0;
}
