/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kvstore server (kvproto.h) on the UART's core: it serves every channel
 * "kv<N>" of this core and the console channels of the same clients, in one
 * loop that sleeps on one notification when there is nothing to do. The
 * store is an open-addressing hash table. When every client has said it is
 * done, the server prints the summary and ends the system: status 0 when
 * every client checked every answer and found none wrong.
 */
#include <stdbool.h>
#include <stdint.h>
#include <ipi/console.h>
#include <tessera/alloc.h>
#include <tessera/ipc.h>
#include <tessera/syscall.h>
#include "kvproto.h"

#define TABLE_SIZE      1024            /* a power of two */
#define MAX_CLIENTS     7
#define CONSOLE_SECONDS 30              /* for the clients' last lines */

int main(const struct tessera_bootinfo *bi);

struct entry {
        uint32_t key;
        bool used, deleted;             /* deleted: a tombstone, probing goes on */
        uint64_t value;
};

struct client {
        struct ipi_link link;
        struct ipi_channel ch;
        bool done;
        uint64_t checked, wrong, requests;
};

static struct tessera_alloc alloc;
static struct ipi_console_server console;
static struct client clients[MAX_CLIENTS];
static unsigned client_count;
static struct entry table[TABLE_SIZE];

/* The entry of key, or the first free one on its probe path (NULL: full). */
static struct entry *find(uint32_t key, bool for_insert)
{
        struct entry *free_slot = NULL;
        uint32_t h = key * 2654435761u;

        for (unsigned i = 0; i < TABLE_SIZE; i++) {
                struct entry *e = &table[(h + i) & (TABLE_SIZE - 1)];

                if (e->used && !e->deleted && e->key == key)
                        return e;
                if ((!e->used || e->deleted) && !free_slot)
                        free_slot = e;
                if (!e->used)
                        break;
        }
        return for_insert ? free_slot : NULL;
}

static struct kv_response serve(struct client *c, const struct kv_request *req)
{
        struct entry *e = find(req->key, req->op == KV_PUT);
        bool existed = e && e->used && !e->deleted && e->key == req->key;

        switch (req->op) {
        case KV_GET:
                return existed ? (struct kv_response){ KV_OK, 1, e->value }
                               : (struct kv_response){ KV_NOT_FOUND, 0, 0 };
        case KV_PUT:
                if (!e)
                        return (struct kv_response){ KV_FULL, 0, 0 };
                *e = (struct entry){ .key = req->key, .used = true, .value = req->value };
                return (struct kv_response){ KV_OK, existed, 0 };
        case KV_DELETE:
                if (existed)
                        e->deleted = true;
                return (struct kv_response){ existed ? KV_OK : KV_NOT_FOUND, existed, 0 };
        case KV_DONE:
                c->done = true;
                c->wrong = req->value;
                c->checked = req->count;
                return (struct kv_response){ KV_OK, 0, 0 };
        default:
                return (struct kv_response){ KV_BAD_REQUEST, 0, 0 };
        }
}

/* Answers every request waiting on one client's channel. */
static unsigned serve_client(struct client *c)
{
        struct kv_request req;
        uint32_t len;
        uint64_t id;
        unsigned served = 0;
        int err = IPI_OK;

        while (!c->done && (err = ipi_rpc_poll(&c->ch, &req, sizeof(req), &len, &id)) == IPI_OK) {
                struct kv_response resp = len == sizeof(req) ? serve(c, &req)
                                                             : (struct kv_response){ KV_BAD_REQUEST, 0, 0 };

                c->requests++;
                served++;
                if (ipi_rpc_reply(&c->ch, id, &resp, sizeof(resp)) != IPI_OK)
                        err = IPI_ERR_CORRUPT;
        }
        if (!c->done && err != IPI_ERR_EMPTY && err != IPI_OK) {
                tessera_printf("kvserver: client on core %u: %s; no longer served\n",
                               c->link.peer_core, ipi_strerror(err));
                c->done = true;
                c->wrong = UINT64_MAX;
        }
        return served;
}

static bool all_done(void)
{
        for (unsigned i = 0; i < client_count; i++)
                if (!clients[i].done)
                        return false;
        return true;
}

/* Arms every open channel for sleep; false (nothing left armed) if one has work. */
static bool prepare_sleep(void)
{
        if (!ipi_console_server_prepare_sleep(&console))
                return false;
        for (unsigned i = 0; i < client_count; i++)
                if (!clients[i].done && !ipi_channel_prepare_sleep(&clients[i].ch)) {
                        while (i-- > 0)
                                if (!clients[i].done)
                                        ipi_channel_end_sleep(&clients[i].ch);
                        ipi_console_server_end_sleep(&console);
                        return false;
                }
        return true;
}

static void end_sleep(void)
{
        ipi_console_server_end_sleep(&console);
        for (unsigned i = 0; i < client_count; i++)
                if (!clients[i].done)
                        ipi_channel_end_sleep(&clients[i].ch);
}

static void serve_until_done(void)
{
        while (!all_done()) {
                unsigned work = ipi_console_server_poll(&console);
                uint64_t word;

                for (unsigned i = 0; i < client_count; i++)
                        work += serve_client(&clients[i]);
                if (work || !prepare_sleep())
                        continue;
                tessera_wait(console.ntfn, &word);
                end_sleep();
        }
}

/* Every channel "kv<N>" of this core, its port bound to the console's
 * notification with a badge above the console's. */
static int open_clients(const struct tessera_bootinfo *bi)
{
        uint64_t vaddr = KV_CHANNEL_VADDR;

        for (unsigned n = 1; n <= MAX_CLIENTS && n < 10; n++) {
                char name[] = { 'k', 'v', (char)('0' + n), '\0' };
                struct client *c = &clients[client_count];
                int err = ipi_link_find(bi, name, &c->link);

                if (err == IPI_ERR_NO_CHANNEL)
                        continue;
                if (!err)
                        err = ipi_link_map(&c->link, &alloc, vaddr);
                if (!err)
                        err = ipi_link_bind(&c->link, &alloc, console.ntfn, 1ull << (32 + client_count));
                if (!err)
                        err = ipi_channel_attach(&c->ch, c->link.region, c->link.size, c->link.side,
                                                 IPI_RING_SLOTS, &ipi_link_wake_ops, &c->link);
                if (err)
                        return err;
                vaddr += c->link.size;
                client_count++;
        }
        return IPI_OK;
}

static int summary(void)
{
        uint64_t requests = 0, checked = 0, wrong = 0;
        bool failed = false;

        for (unsigned i = 0; i < client_count; i++) {
                requests += clients[i].requests;
                checked += clients[i].checked;
                wrong += clients[i].wrong == UINT64_MAX ? 0 : clients[i].wrong;
                failed |= clients[i].wrong != 0 || clients[i].checked + 1 != clients[i].requests;
        }
        tessera_printf("kvstore: %u clients, %llu requests served, %llu answers checked by the "
                       "clients, %llu wrong: %s\n", client_count, (unsigned long long)requests,
                       (unsigned long long)checked, (unsigned long long)wrong,
                       failed || !client_count ? "FAILED" : "every answer right");
        return failed || !client_count;
}

int main(const struct tessera_bootinfo *bi)
{
        int err;
        unsigned missing;

        tessera_alloc_init(&alloc, bi);
        err = ipi_console_server_open(&console, bi, &alloc, KV_CONSOLE_VADDR);
        if (err >= 0)
                err = open_clients(bi);
        if (err < 0) {
                tessera_printf("kvserver: cannot open its channels: %s\n", ipi_strerror(err));
                return 2;
        }
        tessera_printf("kvstore: serving %u clients on core %u\n", client_count, bi->core_id);
        serve_until_done();
        missing = ipi_console_server_run(&console, CONSOLE_SECONDS * ipi_link_ticks_per_second());
        return summary() || missing;
}
