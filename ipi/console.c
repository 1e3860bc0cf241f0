/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console over channels (console.h): the client sends lines, the server
 * checks and prints them with their origin. The server prints through this
 * core's kernel console (the debug console call), which writes whole lines
 * under the line lock the kernels share, so its lines never interleave with
 * a kernel's own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <ipi/console.h>
#include <tessera/errors.h>
#include <tessera/format.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include <tessera/syscall.h>

#define MSG_NAME 'N'
#define MSG_LINE 'L'
#define MSG_BYE  'B'
#define MSG_MAX  (1 + IPI_CONSOLE_LINE_MAX)

/* "console<N>": the client core N, or -1 for another name. */
static int console_client_core(const char *name)
{
        static const char prefix[] = "console";
        int core = 0;
        unsigned i = 0;

        for (; prefix[i]; i++)
                if (name[i] != prefix[i])
                        return -1;
        if (name[i] < '0' || name[i] > '9')
                return -1;
        for (; name[i] >= '0' && name[i] <= '9' && core < 1000; i++)
                core = core * 10 + (name[i] - '0');
        return name[i] == '\0' ? core : -1;
}

static int send_message(struct ipi_console *con, char type, const char *text, unsigned len)
{
        char msg[MSG_MAX];
        int err;

        msg[0] = type;
        for (unsigned i = 0; i < len && i < IPI_CONSOLE_LINE_MAX; i++)
                msg[1 + i] = text[i];
        err = ipi_channel_send(&con->ch, msg, 1 + (len < IPI_CONSOLE_LINE_MAX ? len : IPI_CONSOLE_LINE_MAX));
        return err ? err : ipi_channel_flush(&con->ch);
}

int ipi_console_open(struct ipi_console *con, const struct tessera_bootinfo *bi,
                     struct tessera_alloc *a, const char *name, uint64_t vaddr)
{
        char channel[] = "console?";
        unsigned len = 0;
        int err;

        con->open = false;
        if (bi->core_id > 9)
                return IPI_ERR_NO_CHANNEL;
        channel[7] = (char)('0' + bi->core_id);
        err = ipi_link_open(&con->ch, &con->link, bi, a, channel, vaddr, IPI_RING_BYTES);
        if (err)
                return err;
        while (len < IPI_CONSOLE_NAME_MAX && name[len])
                len++;
        con->open = true;
        return send_message(con, MSG_NAME, name, len);
}

int ipi_console_printf(struct ipi_console *con, const char *fmt, ...)
{
        char text[512];
        va_list ap;
        int err = IPI_OK;
        unsigned start = 0, n;

        va_start(ap, fmt);
        format_string(text, sizeof(text), fmt, ap);
        va_end(ap);
        if (!con || !con->open) {
                tessera_debug_puts(text);
                return IPI_OK;
        }
        for (n = 0; text[n]; n++)
                if (text[n] == '\n') {
                        err = err ? err : send_message(con, MSG_LINE, text + start, n - start);
                        start = n + 1;
                }
        if (n > start && !err)
                err = send_message(con, MSG_LINE, text + start, n - start);
        return err;
}

int ipi_console_close(struct ipi_console *con)
{
        int err = con->open ? send_message(con, MSG_BYE, NULL, 0) : IPI_OK;

        con->open = false;
        return err;
}

/* ---- server ---- */

int ipi_console_server_open(struct ipi_console_server *s, const struct tessera_bootinfo *bi,
                            struct tessera_alloc *a, uint64_t vaddr)
{
        s->count = 0;
        if (tessera_alloc_object(a, TESSERA_OBJ_NOTIFICATION, 0, &s->ntfn) != TESSERA_OK)
                return IPI_ERR_WAKE;
        for (unsigned i = 0; i < bi->shared_count && s->count < IPI_CONSOLE_MAX_CLIENTS; i++) {
                struct ipi_console_client *c = &s->client[s->count];
                int core = console_client_core(bi->shared[i].name);
                int err;

                if (core < 0 || (unsigned)core == bi->core_id)
                        continue;
                *c = (struct ipi_console_client){ .name = "?" };
                err = ipi_link_find(bi, bi->shared[i].name, &c->link);
                if (!err && c->link.peer_core != (unsigned)core)
                        err = IPI_ERR_PEER;
                if (!err)
                        err = ipi_link_map(&c->link, a, vaddr);
                if (!err)
                        err = ipi_link_bind(&c->link, a, s->ntfn, 1ull << s->count);
                if (!err)
                        err = ipi_channel_attach(&c->ch, c->link.region, c->link.size, c->link.side,
                                                 IPI_RING_BYTES, &ipi_link_wake_ops, &c->link);
                if (err)
                        return err;
                vaddr += c->link.size;
                s->count++;
        }
        return (int)s->count;
}

/* Only printable ASCII reaches the console: a client cannot move the
 * cursor, clear the screen or forge another line. */
static void printable(char *text, unsigned len)
{
        for (unsigned i = 0; i < len; i++)
                if (text[i] < ' ' || text[i] > '~')
                        text[i] = '?';
        text[len] = '\0';
}

static void handle(struct ipi_console_client *c, char *msg, uint32_t len)
{
        unsigned core = c->link.peer_core;

        if (len == 0 || (msg[0] == MSG_NAME && len > 1 + IPI_CONSOLE_NAME_MAX)) {
                tessera_printf("[console] core %u: malformed message refused\n", core);
                return;
        }
        printable(msg + 1, len - 1);
        switch (msg[0]) {
        case MSG_NAME:
                for (unsigned i = 0; i < len; i++)
                        c->name[i] = msg[1 + i];
                break;
        case MSG_LINE:
                c->lines++;
                tessera_printf("[core %u %s] %s\n", core, c->name, msg + 1);
                break;
        case MSG_BYE:
                c->done = true;
                break;
        default:
                tessera_printf("[console] core %u: unknown message type refused\n", core);
                break;
        }
}

static unsigned poll_client(struct ipi_console_client *c)
{
        char msg[MSG_MAX + 1];
        uint32_t len;
        unsigned taken = 0;
        int err;

        while (!c->done && (err = ipi_channel_poll(&c->ch, msg, MSG_MAX, &len)) != IPI_ERR_EMPTY) {
                taken++;
                if (err == IPI_OK) {
                        handle(c, msg, len);
                } else if (err == IPI_ERR_TOO_BIG) {
                        tessera_printf("[console] core %u: a line of %u bytes refused\n",
                                       c->link.peer_core, len);
                        if (ipi_channel_discard(&c->ch) != IPI_OK)
                                err = IPI_ERR_CORRUPT;
                }
                if (err != IPI_OK && err != IPI_ERR_TOO_BIG) {
                        tessera_printf("[console] core %u: channel broken (%s); no longer served\n",
                                       c->link.peer_core, ipi_strerror(err));
                        c->done = true;
                }
        }
        return taken;
}

unsigned ipi_console_server_poll(struct ipi_console_server *s)
{
        unsigned taken = 0;

        for (unsigned i = 0; i < s->count; i++)
                taken += poll_client(&s->client[i]);
        return taken;
}

bool ipi_console_server_done(const struct ipi_console_server *s)
{
        for (unsigned i = 0; i < s->count; i++)
                if (!s->client[i].done)
                        return false;
        return true;
}

bool ipi_console_server_prepare_sleep(struct ipi_console_server *s)
{
        for (unsigned i = 0; i < s->count; i++) {
                if (s->client[i].done)
                        continue;
                if (!ipi_channel_prepare_sleep(&s->client[i].ch)) {
                        while (i-- > 0)
                                if (!s->client[i].done)
                                        ipi_channel_end_sleep(&s->client[i].ch);
                        return false;
                }
        }
        return true;
}

void ipi_console_server_end_sleep(struct ipi_console_server *s)
{
        for (unsigned i = 0; i < s->count; i++)
                if (!s->client[i].done)
                        ipi_channel_end_sleep(&s->client[i].ch);
}

unsigned ipi_console_server_run(struct ipi_console_server *s, uint64_t timeout_ticks)
{
        uint64_t deadline = timeout_ticks ? ipi_link_now() + timeout_ticks : 0;
        unsigned missing = 0;

        while (!ipi_console_server_done(s) && (!deadline || ipi_link_now() < deadline)) {
                uint64_t word;

                if (ipi_console_server_poll(s) || !ipi_console_server_prepare_sleep(s))
                        continue;
                if (deadline)
                        tessera_yield();        /* no timed wait: look again soon */
                else
                        tessera_wait(s->ntfn, &word);
                ipi_console_server_end_sleep(s);
        }
        for (unsigned i = 0; i < s->count; i++)
                if (!s->client[i].done) {
                        tessera_printf("[console] core %u: no goodbye in time\n", s->client[i].link.peer_core);
                        missing++;
                }
        return missing;
}
