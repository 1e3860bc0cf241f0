/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's half of the cross-core link at EL0, run as the root task of
 * every core at once (tests/qemu/specs/user-ipitests.dts), or alone.
 *
 *  1. The boot info lists exactly the IPI caps the spec allows: one send
 *     and one receive port per channel and other member, nothing else.
 *  2. Refusals: Signal through a port cap, through a send cap without
 *     WRITE, through a deleted or a revoked copy; every Bind error;
 *     invoking a send cap. The original keeps working.
 *  3. Every ordered core pair, ROUNDS times: each core signals every other
 *     one with a badge naming itself, over the "all" channel's ports bound
 *     unbadged to one notification; the word received must name only
 *     members, and a round ends when every peer's counter in the channel's
 *     page says it got there (a lost signal hangs the run: the harness
 *     times out).
 *  4. Unbound ports keep their signals: with its ports unbound a core is
 *     signalled by every peer, its notification stays quiet, and a Bind
 *     delivers them all at once.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ipi/link.h>
#include <tessera/alloc.h>
#include <tessera/errors.h>
#include <tessera/format.h>
#include <tessera/invoke.h>
#include <tessera/invocations.h>
#include <tessera/ipc.h>
#include <tessera/objects.h>
#include "suite.h"
#include "tap.h"

#define ROOT        TESSERA_SLOT_CNODE
#define PAIR_ROUNDS 10                  /* signals per ordered pair */
#define NOISE_BADGE (1ull << 40)        /* signals sent by the refusal tests, last */
#define PAGE_VADDR  0x30000000000ull    /* the "all" channel's page */
#define MAX_CORES   8
#define SPIN_YIELDS 50000000u
/* The values of the barrier counters: every core bound, then the unbound
 * test's three steps. */
#define BOUND       1u
#define LAST_ROUND  BOUND

static struct tessera_alloc alloc;

/* ---- 1. the IPI caps in the boot info -------------------------------- */

static unsigned expected_ports(const struct tessera_bootinfo *bi)
{
        unsigned n = 0;

        for (unsigned i = 0; i < bi->shared_count; i++)
                for (uint32_t others = bi->shared[i].peers & ~(1u << bi->core_id); others;
                     others &= others - 1)
                        n += 2;
        return n;
}

static unsigned count_ports(const struct tessera_bootinfo *bi, unsigned shared, unsigned peer,
                            unsigned send)
{
        unsigned n = 0;

        for (unsigned i = 0; i < bi->port_count; i++)
                if (bi->ports[i].shared_index == shared && bi->ports[i].peer_core == peer &&
                    bi->ports[i].send == send)
                        n++;
        return n;
}

static void test_port_list(const struct tessera_bootinfo *bi)
{
        unsigned wrong = 0;

        expect("ports: one send and one receive per channel and other member",
               bi->port_count, expected_ports(bi));
        for (unsigned s = 0; s < bi->shared_count; s++)
                for (unsigned c = 0; c < MAX_CORES; c++) {
                        unsigned want = c != bi->core_id && (bi->shared[s].peers & (1u << c)) ? 1 : 0;

                        wrong += count_ports(bi, s, c, 1) != want || count_ports(bi, s, c, 0) != want;
                }
        expect("ports: every (channel, peer) has exactly its two, no port to a non-member",
               wrong, 0);
        for (unsigned i = 0; i < bi->port_count; i++) {
                const struct tessera_port_desc *p = &bi->ports[i];

                int unbind = tessera_invoke(p->slot, TESSERA_INV_IPI_PORT_UNBIND, NULL, 0, NULL, 0);

                wrong += p->slot < bi->untyped.end || p->slot >= bi->empty.start ||
                         unbind != (p->send ? TESSERA_ERR_ILLEGAL_OPERATION : TESSERA_OK);
        }
        expect("ports: each slot holds its cap (send caps refuse invocations, port caps Unbind)",
               wrong, 0);
}

/* ---- 2. refusals ------------------------------------------------------- */

static uint64_t mint(uint64_t src, unsigned rights, uint64_t badge)
{
        uint64_t slot = tessera_alloc_slot(&alloc);

        if (tessera_cnode_mint(ROOT, slot, 64, ROOT, src, 64, rights, badge) != TESSERA_OK)
                return 0;
        return slot;
}

static uint64_t first_port(const struct tessera_bootinfo *bi, unsigned send)
{
        for (unsigned i = 0; i < bi->port_count; i++)
                if (bi->ports[i].send == send)
                        return bi->ports[i].slot;
        return 0;
}

static void test_signal_refusals(uint64_t send, uint64_t port)
{
        uint64_t ro = mint(send, TESSERA_RIGHT_READ, NOISE_BADGE);
        uint64_t copy = mint(send, TESSERA_RIGHTS_ALL, NOISE_BADGE);
        uint64_t child = mint(send, TESSERA_RIGHTS_ALL, NOISE_BADGE);

        expect("Signal through an IPI port cap: INVALID_CAPABILITY", tessera_signal(port),
               TESSERA_ERR_INVALID_CAPABILITY);
        expect("Signal through a send cap without WRITE: INSUFFICIENT_RIGHTS", tessera_signal(ro),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("Signal through a badged copy", tessera_signal(copy), TESSERA_OK);
        expect("delete the copy", tessera_cnode_delete(ROOT, copy, 64), TESSERA_OK);
        expect("Signal through the deleted copy (an empty slot): INVALID_CAPABILITY",
               tessera_signal(copy), TESSERA_ERR_INVALID_CAPABILITY);
        expect("Signal through a second copy", tessera_signal(child), TESSERA_OK);
        expect("revoke the original", tessera_cnode_revoke(ROOT, send, 64), TESSERA_OK);
        expect("Signal through the revoked copy (an empty slot): INVALID_CAPABILITY",
               tessera_signal(child), TESSERA_ERR_INVALID_CAPABILITY);
        expect("the original still signals", tessera_signal(send), TESSERA_OK);
        expect("the READ-only copy went with the revoke", tessera_signal(ro),
               TESSERA_ERR_INVALID_CAPABILITY);
}

static int bind(uint64_t port, uint64_t ntfn)
{
        return tessera_invoke(port, TESSERA_INV_IPI_PORT_BIND, NULL, 0, &ntfn, ntfn ? 1 : 0);
}

static void test_bind_refusals(uint64_t port)
{
        uint64_t ep = 0, ntfn = 0, ro;

        expect("make an endpoint", tessera_alloc_object(&alloc, TESSERA_OBJ_ENDPOINT, 0, &ep), TESSERA_OK);
        expect("make a notification", tessera_alloc_object(&alloc, TESSERA_OBJ_NOTIFICATION, 0, &ntfn),
               TESSERA_OK);
        ro = mint(ntfn, TESSERA_RIGHT_READ, 0);
        expect("Bind without an extra cap: TRUNCATED_MESSAGE", bind(port, 0),
               TESSERA_ERR_TRUNCATED_MESSAGE);
        expect("Bind to an endpoint: INVALID_CAPABILITY", bind(port, ep), TESSERA_ERR_INVALID_CAPABILITY);
        expect("Bind to a notification without WRITE: INSUFFICIENT_RIGHTS", bind(port, ro),
               TESSERA_ERR_INSUFFICIENT_RIGHTS);
        expect("an unknown IPI port invocation: ILLEGAL_OPERATION",
               tessera_invoke(port, 99, NULL, 0, NULL, 0), TESSERA_ERR_ILLEGAL_OPERATION);
        expect("Bind, then Bind again (replaces)", bind(port, ntfn) | bind(port, ntfn), TESSERA_OK);
        expect("delete the bound notification", tessera_cnode_delete(ROOT, ntfn, 64) |
               tessera_cnode_delete(ROOT, ro, 64), TESSERA_OK);
        expect("Unbind after the notification went", tessera_invoke(port, TESSERA_INV_IPI_PORT_UNBIND,
               NULL, 0, NULL, 0), TESSERA_OK);
}

/* ---- 3 and 4: signals between every pair ------------------------------ */

struct all_channel {
        unsigned index;
        uint32_t peers;                 /* other members */
        uint64_t send[MAX_CORES];       /* badged with 1 << this core */
        uint64_t port[MAX_CORES];
        uint64_t ntfn;
        volatile uint64_t *counter;     /* core c's at word 8 * c of the page */
};

/* The shared region named "all", if the spec has one. */
static int find_all(const struct tessera_bootinfo *bi, struct all_channel *ch)
{
        static const char name[] = "all";

        for (unsigned i = 0; i < bi->shared_count; i++) {
                unsigned n = 0;

                while (n < sizeof(name) && bi->shared[i].name[n] == name[n])
                        n++;
                if (n == sizeof(name)) {
                        ch->index = i;
                        return 0;
                }
        }
        return -1;
}

static int setup_all(const struct tessera_bootinfo *bi, struct all_channel *ch)
{
        const struct tessera_shared_desc *s = &bi->shared[ch->index];
        struct ipi_link l = { .shared = s, .size = 0x1000 };
        int err = tessera_alloc_object(&alloc, TESSERA_OBJ_NOTIFICATION, 0, &ch->ntfn);

        ch->peers = s->peers & ~(1u << bi->core_id);
        for (unsigned i = 0; i < bi->port_count; i++) {
                const struct tessera_port_desc *p = &bi->ports[i];

                if (p->shared_index != ch->index)
                        continue;
                if (p->send)
                        ch->send[p->peer_core] = mint(p->slot, TESSERA_RIGHTS_ALL, 1ull << bi->core_id);
                else
                        ch->port[p->peer_core] = p->slot;
        }
        if (!err)
                err = ipi_link_map(&l, &alloc, PAGE_VADDR);
        ch->counter = (volatile uint64_t *)l.region;
        return err;
}

static int bind_all(const struct all_channel *ch, int bound)
{
        int err = 0;

        for (unsigned c = 0; c < MAX_CORES; c++)
                if (ch->peers & (1u << c))
                        err |= bound ? bind(ch->port[c], ch->ntfn)
                                     : tessera_invoke(ch->port[c], TESSERA_INV_IPI_PORT_UNBIND, NULL, 0, NULL, 0);
        return err;
}

static uint64_t counter(const struct all_channel *ch, unsigned core)
{
        return __atomic_load_n(&ch->counter[8 * core], __ATOMIC_ACQUIRE);
}

static bool peers_reached(const struct all_channel *ch, uint64_t round)
{
        for (unsigned c = 0; c < MAX_CORES; c++)
                if ((ch->peers & (1u << c)) && counter(ch, c) < round)
                        return false;
        return true;
}

/* Publish `round`, then wait (spinning with yields, no signals) for every
 * peer to publish it too. */
static bool barrier(const struct all_channel *ch, unsigned me, uint64_t round)
{
        __atomic_store_n(&ch->counter[8 * me], round, __ATOMIC_RELEASE);
        for (unsigned i = 0; i < SPIN_YIELDS; i++) {
                if (peers_reached(ch, round))
                        return true;
                tessera_yield();
        }
        return false;
}

static int signal_peers(const struct all_channel *ch)
{
        int err = 0;

        for (unsigned c = 0; c < MAX_CORES; c++)
                if (ch->peers & (1u << c))
                        err |= tessera_signal(ch->send[c]);
        return err;
}

static uint64_t peer_bits(const struct all_channel *ch)
{
        uint64_t bits = 0;

        for (unsigned c = 0; c < MAX_CORES; c++)
                if (ch->peers & (1u << c))
                        bits |= 1ull << c;
        return bits;
}

/* The page's words: barrier counters at 8 * core, then the pair steps. */
#define STEP_WORD   64
#define READY_WORD  72                  /* + 8 * core: the step it waits in */
#define TOKEN_WORD  136                 /* what the step's sender wrote */

static uint64_t load(const struct all_channel *ch, unsigned word)
{
        return __atomic_load_n(&ch->counter[word], __ATOMIC_ACQUIRE);
}

static void store(const struct all_channel *ch, unsigned word, uint64_t value)
{
        __atomic_store_n(&ch->counter[word], value, __ATOMIC_RELEASE);
}

/* Step s is ordered pair s % pairs of the members: sender *a, receiver *b. */
static void step_pair(const struct all_channel *ch, unsigned me, uint64_t s, unsigned *a, unsigned *b)
{
        unsigned members[MAX_CORES], n = 0, pairs, k;

        for (unsigned c = 0; c < MAX_CORES; c++)
                if ((ch->peers | 1u << me) & (1u << c))
                        members[n++] = c;
        pairs = n * (n - 1);
        k = (unsigned)(s % pairs);
        *a = members[k / (n - 1)];
        *b = members[(k % (n - 1) + k / (n - 1) + 1) % n];
}

struct pair_result {
        unsigned failed, bad_word, bad_token, stuck, steps;
};

/* Spin, yielding, until the word reaches `value`; false if it never does. */
static bool await_word(const struct all_channel *ch, unsigned word, uint64_t value)
{
        for (unsigned i = 0; i < SPIN_YIELDS; i++) {
                if (load(ch, word) >= value)
                        return true;
                tessera_yield();
        }
        return false;
}

/* The receiver says it is about to Wait, then Waits, and never looks at
 * the page to decide: only the sender's signal can end its Wait, so a
 * signal the kernel loses hangs the run. The sender writes the token, then
 * signals once the receiver is ready. */
static void run_step(const struct all_channel *ch, unsigned me, uint64_t s, struct pair_result *r)
{
        unsigned a, b;
        uint64_t word = 0;

        step_pair(ch, me, s, &a, &b);
        if (me == b) {
                store(ch, READY_WORD + 8 * me, s);
                r->failed += tessera_wait(ch->ntfn, &word) != TESSERA_OK;
                r->bad_word += word != 1ull << a;
                r->bad_token += load(ch, TOKEN_WORD) != s;
                r->steps++;
                store(ch, STEP_WORD, s + 1);
        } else if (me == a) {
                r->stuck += !await_word(ch, READY_WORD + 8 * b, s);
                store(ch, TOKEN_WORD, s);
                r->failed += tessera_signal(ch->send[b]) != TESSERA_OK;
        }
        r->stuck += !await_word(ch, STEP_WORD, s + 1);
}

static void test_every_pair(const struct all_channel *ch, unsigned me)
{
        struct pair_result r = { 0 };
        unsigned others = 0;

        for (uint32_t p = ch->peers; p; p &= p - 1)
                others++;

        for (uint64_t s = 1; s <= (uint64_t)PAIR_ROUNDS * (others + 1) * others; s++)
                run_step(ch, me, s, &r);
        expect("every ordered pair: Signals accepted, Waits returned", r.failed, 0);
        expect("every step finished (no core waited in vain)", r.stuck, 0);
        expect("each Wait's word is exactly the sender's badge", r.bad_word, 0);
        expect("each Wait saw the token written before the signal", r.bad_token, 0);
        expect("this core received from each peer PAIR_ROUNDS times", r.steps, PAIR_ROUNDS * others);
}

static void test_unbound_keeps(const struct all_channel *ch, unsigned me)
{
        uint64_t word = 0;

        expect("Unbind every port", bind_all(ch, 0), TESSERA_OK);
        while (tessera_poll(ch->ntfn, &word) == TESSERA_OK)
                ;                       /* what the last rounds left */
        expect_true("barrier: every core unbound", barrier(ch, me, LAST_ROUND + 1));
        expect("signal every peer while they are unbound", signal_peers(ch), TESSERA_OK);
        expect_true("barrier: every core signalled", barrier(ch, me, LAST_ROUND + 2));
        expect("unbound: nothing reached the notification", tessera_poll(ch->ntfn, &word),
               TESSERA_ERR_WOULD_BLOCK);
        expect("Bind again", bind_all(ch, 1), TESSERA_OK);
        expect("Bind delivered what came while unbound", tessera_poll(ch->ntfn, &word), TESSERA_OK);
        expect("... from every peer", (int64_t)(word & peer_bits(ch)), (int64_t)peer_bits(ch));
        expect_true("barrier: done", barrier(ch, me, LAST_ROUND + 3));
}

int main(const struct tessera_bootinfo *bi)
{
        struct all_channel ch = { 0 };
        uint64_t send = first_port(bi, 1), port = first_port(bi, 0);

        tessera_alloc_init(&alloc, bi);
        tessera_printf("ipitests on core %u of %u: %u IPI caps\n", bi->core_id, bi->core_count,
                       bi->port_count);
        test_port_list(bi);
        if (port)
                test_bind_refusals(port);
        if (find_all(bi, &ch) == 0) {
                expect("set up the \"all\" channel", setup_all(bi, &ch), TESSERA_OK);
                expect("bind its ports, unbadged, to one notification", bind_all(&ch, 1), TESSERA_OK);
                expect_true("barrier: every core bound", barrier(&ch, bi->core_id, BOUND));
                test_every_pair(&ch, bi->core_id);
                test_unbound_keeps(&ch, bi->core_id);
        }
        if (send && port)
                test_signal_refusals(send, port);     /* last: revokes a boot cap's copies */
        tessera_printf("1..%u\n", tap_checks());
        return suite_finish(bi, tap_failures());
}
