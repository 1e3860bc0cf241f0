/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RPC over channels (fixture: channel_test.h): round trips to a server
 * thread that answers with a function of the request, which the client
 * checks; a server that polls (ipi_rpc_poll); a server that never answers (IPI_ERR_TIMEOUT); late responses to
 * calls that timed out, small and too big, dropped by the next call; a
 * response too big for the caller; a peer not attached, of another kind, or
 * restarting mid-call (IPI_ERR_PEER).
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <time.h>
#include "channel_test.h"

#define RPC_BUF 512

/* The answer to a request: its length, then its bytes reversed and flipped. */
static uint32_t rpc_answer(const uint8_t *req, uint32_t len, uint8_t *out)
{
        out[0] = (uint8_t)len;
        for (uint32_t i = 0; i < len; i++)
                out[1 + i] = req[len - 1 - i] ^ 0x5a;
        return len + 1;
}

struct rpc_server {
        struct ipi_channel *ch;
        unsigned answers;               /* stop after this many (0: until "quit") */
        uint32_t extra;                 /* answer this many bytes longer (too big tests) */
        uint64_t served, bad;
};

static void *rpc_serve(void *arg)
{
        struct rpc_server *sv = arg;
        uint8_t req[RPC_BUF], resp[RPC_BUF];
        uint32_t len;
        uint64_t id;

        for (;;) {
                int rc = ipi_rpc_recv(sv->ch, req, sizeof(req), &len, &id, GUARD_NS);

                if (rc != IPI_OK) {
                        sv->bad++;
                        break;
                }
                if (len == 4 && memcmp(req, "quit", 4) == 0) {
                        sv->bad += ipi_rpc_reply(sv->ch, id, "bye", 3) != IPI_OK;
                        break;
                }
                uint32_t n = rpc_answer(req, len, resp) + sv->extra;

                sv->bad += ipi_rpc_reply(sv->ch, id, resp, n) != IPI_OK;
                sv->served++;
                if (sv->answers && --sv->answers == 0)
                        break;
        }
        return NULL;
}

/* One call whose answer is checked. */
static bool rpc_check_call(struct ipi_channel *c, const uint8_t *req, uint32_t len)
{
        uint8_t resp[RPC_BUF], want[RPC_BUF];
        uint32_t got = 0;
        uint32_t n = rpc_answer(req, len, want);

        return ipi_rpc_call(c, req, len, resp, sizeof(resp), &got, GUARD_NS) == IPI_OK &&
               got == n && memcmp(resp, want, n) == 0;
}

static void test_rpc_round_trips(enum ipi_ring_kind kind, unsigned calls)
{
        struct link l;
        struct rpc_server sv = { .answers = 0 };
        pthread_t t;
        uint8_t req[RPC_BUF], resp[8];
        uint32_t len;
        unsigned seed = 5, good = 0;

        link_open(&l, 4096, kind);
        sv.ch = &l.ch[1];
        uint32_t max_req = ipi_ring_max_msg(&l.ch[0].tx) - 8 - 1;   /* id, answer's length */

        pthread_create(&t, NULL, rpc_serve, &sv);
        for (unsigned i = 0; i < calls && good == i; i++) {
                seed = seed * 1103515245u + 12345u;
                uint32_t n = (seed >> 8) % (max_req + 1);

                for (uint32_t j = 0; j < n; j++)
                        req[j] = (uint8_t)(seed >> (j % 24)) | 0x80;    /* never "quit" */
                good += rpc_check_call(&l.ch[0], req, n);
        }
        check(ipi_rpc_call(&l.ch[0], "quit", 4, resp, sizeof(resp), &len, GUARD_NS) == IPI_OK &&
              len == 3, "%s: the server quits on request", kind_name(kind));
        pthread_join(t, NULL);
        check(good == calls && sv.bad == 0 && sv.served == calls,
              "%s: %u round trips of 0..%u bytes answered right", kind_name(kind), calls, max_req);
        link_close(&l);
}

/* Calls that time out, their late answers, and the calls after them. */
static void test_rpc_timeouts(void)
{
        struct link l;
        struct rpc_server sv = { .answers = 1 };
        pthread_t t;
        uint8_t buf[RPC_BUF];
        uint32_t len;
        uint64_t id_a, id_c, t0 = now_ns();

        link_open(&l, 4096, IPI_RING_BYTES);
        struct ipi_channel *client = &l.ch[0], *server = &l.ch[1];

        check(ipi_rpc_call(client, "A", 1, buf, sizeof(buf), &len, 30 * NS_PER_MS) ==
              IPI_ERR_TIMEOUT && now_ns() - t0 >= 30 * NS_PER_MS,
              "a server that never answers: the call times out after 30 ms");
        check(ipi_rpc_recv(server, buf, sizeof(buf), &len, &id_a, NS_PER_S) == IPI_OK &&
              len == 1 && buf[0] == 'A', "the server gets the request late");
        ipi_rpc_reply(server, id_a, "late", 4);
        sv.ch = server;
        pthread_create(&t, NULL, rpc_serve, &sv);
        check(rpc_check_call(client, (const uint8_t *)"B", 1) && client->stats.rpc_stale == 1,
              "the next call drops the late answer and gets its own");
        pthread_join(t, NULL);

        ipi_rpc_call(client, "C", 1, buf, sizeof(buf), &len, 10 * NS_PER_MS);
        ipi_rpc_recv(server, buf, sizeof(buf), &len, &id_c, NS_PER_S);
        memset(buf, 0xee, 200);
        ipi_rpc_reply(server, id_c, buf, 200);
        sv.answers = 1;
        pthread_create(&t, NULL, rpc_serve, &sv);
        uint8_t small[16];

        check(ipi_rpc_call(client, "D", 1, small, sizeof(small), &len, GUARD_NS) == IPI_OK &&
              len == 2 && client->stats.rpc_stale == 2,
              "a late answer too big for the buffer is dropped as well");
        pthread_join(t, NULL);

        sv.answers = 2;
        sv.extra = 20;
        pthread_create(&t, NULL, rpc_serve, &sv);
        check(ipi_rpc_call(client, "E", 1, small, sizeof(small), &len, GUARD_NS) ==
              IPI_ERR_TOO_BIG && len == 22, "an answer too big: IPI_ERR_TOO_BIG and its size");
        check(ipi_rpc_call(client, "F", 1, buf, sizeof(buf), &len, GUARD_NS) == IPI_OK &&
              len == 22 && buf[0] == 1 && buf[1] == ('F' ^ 0x5a),
              "and the call after it gets its own answer");
        pthread_join(t, NULL);
        link_close(&l);
}

struct reattach {
        struct link *l;
        uint64_t delay_ns;
};

static void *reattach_later(void *arg)
{
        struct reattach *r = arg;
        struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)r->delay_ns };

        nanosleep(&ts, NULL);
        ipi_channel_attach(&r->l->ch[1], r->l->region, r->l->size, 1, IPI_RING_SLOTS, &fake_ops,
                           &r->l->ctx[1]);
        return NULL;
}

static void test_rpc_peer(void)
{
        struct link l;
        uint8_t buf[64];
        uint32_t len;

        link_open(&l, 4096, IPI_RING_SLOTS);
        ipi_channel_detach(&l.ch[1]);
        check(ipi_rpc_call(&l.ch[0], "x", 1, buf, sizeof(buf), &len, GUARD_NS) == IPI_ERR_PEER,
              "peer detached: IPI_ERR_PEER at once");
        ipi_channel_attach(&l.ch[1], l.region, l.size, 1, IPI_RING_BYTES, &fake_ops, &l.ctx[1]);
        check(ipi_rpc_call(&l.ch[0], "x", 1, buf, sizeof(buf), &len, GUARD_NS) == IPI_ERR_PEER,
              "peer of another kind: IPI_ERR_PEER");
        ipi_channel_attach(&l.ch[1], l.region, l.size, 1, IPI_RING_SLOTS, &fake_ops, &l.ctx[1]);
        struct reattach r = { .l = &l, .delay_ns = 5 * NS_PER_MS };
        pthread_t t;

        pthread_create(&t, NULL, reattach_later, &r);
        check(ipi_rpc_call(&l.ch[0], "x", 1, buf, sizeof(buf), &len, 50 * NS_PER_MS) ==
              IPI_ERR_PEER, "peer restarted during the call: IPI_ERR_PEER");
        pthread_join(t, NULL);
        link_close(&l);
}

/* A client thread's one call, for the polling server below. */
struct rpc_client {
        struct ipi_channel *ch;
        bool ok;
};

static void *rpc_call_once(void *arg)
{
        struct rpc_client *cl = arg;

        cl->ok = rpc_check_call(cl->ch, (const uint8_t *)"poll me", 7);
        return NULL;
}

/* ipi_rpc_poll never blocks: EMPTY with nothing there, then the request
 * with its id once the client's call arrives. */
static void test_rpc_poll(void)
{
        struct link l;
        struct rpc_client cl;
        pthread_t t;
        uint8_t req[RPC_BUF], resp[RPC_BUF];
        uint32_t len = 0;
        uint64_t id = 0, start;
        int rc;

        if (link_open(&l, 4096, IPI_RING_SLOTS) != 0) {
                check(0, "rpc poll: link opens");
                return;
        }
        check(ipi_rpc_poll(&l.ch[1], req, sizeof(req), &len, &id) == IPI_ERR_EMPTY,
              "rpc poll: nothing there is EMPTY, at once");
        cl = (struct rpc_client){ .ch = &l.ch[0] };
        pthread_create(&t, NULL, rpc_call_once, &cl);
        start = now_ns();
        while ((rc = ipi_rpc_poll(&l.ch[1], req, sizeof(req), &len, &id)) == IPI_ERR_EMPTY &&
               now_ns() - start < GUARD_NS)
                ;
        check(rc == IPI_OK && len == 7 && memcmp(req, "poll me", 7) == 0,
              "rpc poll: the request comes with its id");
        check(ipi_rpc_reply(&l.ch[1], id, resp, rpc_answer(req, len, resp)) == IPI_OK,
              "rpc poll: the reply to that id goes out");
        pthread_join(t, NULL);
        check(cl.ok, "rpc poll: the client got the right answer");
        link_close(&l);
}

void test_channel_rpc(void)
{
        test_rpc_poll();
        test_rpc_round_trips(IPI_RING_SLOTS, 10000);
        test_rpc_round_trips(IPI_RING_BYTES, 10000);
        test_rpc_timeouts();
        test_rpc_peer();
}
