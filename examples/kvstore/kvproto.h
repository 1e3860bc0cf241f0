/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kvstore protocol: one request and one response per RPC (ipi_rpc_call)
 * over the client's channel "kv<core>", fixed-size slots. Keys are 32-bit,
 * values 64-bit. A client says it is done with KV_DONE, reporting how many
 * answers it checked and how many were wrong.
 */
#ifndef EXAMPLES_KVPROTO_H
#define EXAMPLES_KVPROTO_H

#include <stdint.h>

#define KV_CHANNEL_VADDR 0x10000000000ull      /* the kv channel's region */
#define KV_CONSOLE_VADDR 0x20000000000ull      /* the console channels' regions */

enum kv_op { KV_GET = 1, KV_PUT = 2, KV_DELETE = 3, KV_DONE = 4 };

enum kv_status {
        KV_OK = 0,
        KV_NOT_FOUND = 1,
        KV_FULL = 2,
        KV_BAD_REQUEST = 3,
};

struct kv_request {
        uint32_t op;                    /* enum kv_op */
        uint32_t key;
        uint64_t value;                 /* PUT: the value; DONE: answers wrong */
        uint64_t count;                 /* DONE: answers checked */
};

struct kv_response {
        uint32_t status;                /* enum kv_status */
        uint32_t existed;               /* PUT, DELETE: the key had a value */
        uint64_t value;                 /* GET: the value */
};

_Static_assert(sizeof(struct kv_request) == 24 && sizeof(struct kv_response) == 16,
               "kv messages fit a slot with the RPC id");

#endif
