/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console over channels (console.c). The UART belongs to one core; a
 * program elsewhere prints through the console server there, over the spec's
 * channel named "console<N>", N being the client's core: the server is that
 * channel's other member. Each message is one whole line; the server prints
 * it prefixed with the client's core (taken from the channel, never from the
 * message) and the program name the client gave when it opened:
 *
 *     [core 2 kvclient] 1000 requests, every answer right
 *
 * The server trusts nothing a client writes: an unknown message, a name or
 * a line too long, or bytes that do not print are refused or replaced, and
 * a corrupt ring ends that client's service (reported) and nobody else's.
 *
 * Messages (a BYTES ring, client to server only): 'N' + name (at most
 * 31 bytes) first, then 'L' + line text (no newline, at most
 * IPI_CONSOLE_LINE_MAX bytes), and 'B' when the client is done.
 */
#ifndef IPI_CONSOLE_H
#define IPI_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <ipi/channel.h>
#include <ipi/link.h>

#define IPI_CONSOLE_LINE_MAX    150     /* bytes of text in one line */
#define IPI_CONSOLE_NAME_MAX    31
#define IPI_CONSOLE_MAX_CLIENTS 8

/* ---- client ---- */
struct ipi_console {
        struct ipi_link link;
        struct ipi_channel ch;
        bool open;
};

/* Opens this core's "console<core>" channel, mapped at vaddr (as
 * ipi_link_map), and introduces the program as `name`. IPI_ERR_NO_CHANNEL
 * when the spec gives this core no console channel. */
int ipi_console_open(struct ipi_console *con, const struct tessera_bootinfo *bi,
                     struct tessera_alloc *a, const char *name, uint64_t vaddr);
/* Formats and sends whole lines: each '\n' ends one, text left over at the
 * end is a line too. Lines are published at once. Without an open console
 * it prints through the kernel's debug console instead. */
int ipi_console_printf(struct ipi_console *con, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Says goodbye: the server stops waiting for this client. */
int ipi_console_close(struct ipi_console *con);

/* ---- server ---- */
struct ipi_console_client {
        struct ipi_link link;
        struct ipi_channel ch;
        char name[IPI_CONSOLE_NAME_MAX + 1];
        uint64_t lines;
        bool done;                      /* said goodbye, or its ring broke */
};

struct ipi_console_server {
        unsigned count;
        uint64_t ntfn;                  /* every client's port is bound to it */
        struct ipi_console_client client[IPI_CONSOLE_MAX_CLIENTS];
};

/* Opens every "console<N>" channel of this core whose client N is the other
 * member, each mapped at vaddr + i * its size (the regions' sizes summed must
 * fit below the next mapping), all bound to one new notification with badge
 * 1 << i. The number of clients, or an IPI_ERR_* code. */
int ipi_console_server_open(struct ipi_console_server *s, const struct tessera_bootinfo *bi,
                            struct tessera_alloc *a, uint64_t vaddr);
/* Prints every complete line waiting; returns how many messages it took. */
unsigned ipi_console_server_poll(struct ipi_console_server *s);
/* Every client said goodbye (or broke). */
bool ipi_console_server_done(const struct ipi_console_server *s);
/* For a server of more channels: announce sleep on every client (false if
 * there is work after all), and end it after the wait. */
bool ipi_console_server_prepare_sleep(struct ipi_console_server *s);
void ipi_console_server_end_sleep(struct ipi_console_server *s);
/* Serves until every client said goodbye, or until timeout_ticks (0: no
 * limit) pass; then reports each client that did not, and returns how many
 * did not. */
unsigned ipi_console_server_run(struct ipi_console_server *s, uint64_t timeout_ticks);

#endif
