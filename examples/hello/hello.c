/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The smallest root task: it says where it runs and ends with status 0.
 *
 * In a system with console channels (the default spec: "console1" to
 * "console3" between core 0 and the others) the hellos of cores 1-3 travel
 * over them to core 0, whose hello serves the console (ipi/console.h) until
 * every client has said goodbye, and prints them:
 *
 *     [core 2 hello] hello from EL0 on core 2 of 4
 *
 * Without one, hello prints through its kernel's debug console.
 */
#include <ipi/console.h>
#include <tessera/alloc.h>
#include <tessera/bootinfo.h>
#include <tessera/syscall.h>

#define CONSOLE_VADDR   0x10000000000ull
#define CONSOLE_SECONDS 60              /* for every client's goodbye */

int main(const struct tessera_bootinfo *bi);

static struct tessera_alloc alloc;
static struct ipi_console con;
static struct ipi_console_server server;

int main(const struct tessera_bootinfo *bi)
{
        int clients;

        tessera_alloc_init(&alloc, bi);
        if (ipi_console_open(&con, bi, &alloc, "hello", CONSOLE_VADDR) == IPI_OK) {
                ipi_console_printf(&con, "hello from EL0 on core %u of %u\n", bi->core_id,
                                   bi->core_count);
                return ipi_console_close(&con) != IPI_OK;
        }
        tessera_printf("hello from EL0 on core %u of %u\n", bi->core_id, bi->core_count);
        clients = ipi_console_server_open(&server, bi, &alloc, CONSOLE_VADDR);
        if (clients < 0) {
                tessera_printf("hello: cannot serve the console: %s\n", ipi_strerror(clients));
                return 1;
        }
        if (clients > 0 &&
            ipi_console_server_run(&server, CONSOLE_SECONDS * ipi_link_ticks_per_second()) != 0)
                return 1;
        tessera_yield();
        return 0;
}
