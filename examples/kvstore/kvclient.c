/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A kvstore client (kvproto.h): REQUESTS random gets, puts and deletes on
 * keys of its own (its core in the high bits, so clients never share one),
 * each answer checked against a model of what the store must hold. It
 * prints through the console server and ends by telling the server its
 * tally; its exit status is the number of wrong answers (and 100 when the
 * server could not be reached).
 */
#include <stdbool.h>
#include <stdint.h>
#include <ipi/console.h>
#include <tessera/alloc.h>
#include <tessera/syscall.h>
#include "kvproto.h"

#define REQUESTS     1000
#define KEYS         64
#define WAIT_SECONDS 30

int main(const struct tessera_bootinfo *bi);

static struct tessera_alloc alloc;
static struct ipi_console con;
static struct ipi_link link;
static struct ipi_channel ch;

struct model {
        bool present[KEYS];
        uint64_t value[KEYS];
};

static uint64_t random_next(uint64_t *state)
{
        uint64_t x = *state;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return *state = x;
}

static int call(const struct kv_request *req, struct kv_response *resp)
{
        uint32_t len = 0;
        int err = ipi_rpc_call(&ch, req, sizeof(*req), resp, sizeof(*resp), &len,
                               WAIT_SECONDS * ipi_link_ticks_per_second());

        return !err && len != sizeof(*resp) ? IPI_ERR_CORRUPT : err;
}

/* One random request; whether its answer is what the model says. */
static bool one_request(unsigned core, struct model *m, uint64_t *rng, int *err)
{
        uint64_t r = random_next(rng);
        unsigned k = (unsigned)(r % KEYS), op = (unsigned)(r >> 32) % 5;
        struct kv_request req = { .key = core << 16 | k, .value = random_next(rng) };
        struct kv_response resp = { 0 };

        req.op = op < 2 ? KV_GET : op < 4 ? KV_PUT : KV_DELETE;
        *err = call(&req, &resp);
        if (*err)
                return false;
        switch (req.op) {
        case KV_GET:
                return m->present[k] ? resp.status == KV_OK && resp.value == m->value[k]
                                     : resp.status == KV_NOT_FOUND;
        case KV_PUT:
                if (resp.status != KV_OK || resp.existed != m->present[k])
                        return false;
                m->present[k] = true;
                m->value[k] = req.value;
                return true;
        default:
                if (resp.status != (m->present[k] ? KV_OK : KV_NOT_FOUND))
                        return false;
                m->present[k] = false;
                return true;
        }
}

int main(const struct tessera_bootinfo *bi)
{
        static struct model m;
        uint64_t rng = 0x9e3779b97f4a7c15ull * (bi->core_id + 1);
        unsigned right = 0, wrong = 0;
        char name[] = "kv?";
        int err;

        tessera_alloc_init(&alloc, bi);
        ipi_console_open(&con, bi, &alloc, "kvclient", KV_CONSOLE_VADDR);
        name[2] = (char)('0' + bi->core_id);            /* "kv<core>": cores 1..7 */
        err = ipi_link_open(&ch, &link, bi, &alloc, name, KV_CHANNEL_VADDR, IPI_RING_SLOTS);
        if (!err)
                err = ipi_link_await_peer(&ch, WAIT_SECONDS * ipi_link_ticks_per_second());
        for (unsigned i = 0; i < REQUESTS && !err; i++) {
                bool ok = one_request(bi->core_id, &m, &rng, &err);

                right += ok;
                wrong += !ok && !err;
        }
        if (!err) {
                struct kv_request done = { .op = KV_DONE, .value = wrong, .count = right + wrong };
                struct kv_response resp;

                err = call(&done, &resp);
        }
        ipi_console_printf(&con, "%u requests, %u answers right, %u wrong%s%s\n", right + wrong,
                           right, wrong, err ? "; stopped: " : "", err ? ipi_strerror(err) : "");
        ipi_console_close(&con);
        return err ? 100 : (int)wrong;
}
