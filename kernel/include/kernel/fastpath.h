/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC fast path (kernel/fastpath.c): Call and ReplyRecv in the common
 * case, decided and done in one short function before the general system
 * call path. It applies only when the outcome is certain to be the slow
 * path's: a short message (at most 4 words, no caps), an endpoint cap found
 * in one CNode level with the rights the slow path demands, a partner
 * already waiting, and that partner being the thread the scheduler would
 * pick next. Anything else returns NULL and the slow path runs, so results
 * are identical with the fast path on or off (tessera.fastpath=off).
 */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

#include <stdbool.h>
#include <arch/arch.h>

extern bool fastpath_enabled;           /* the vectors test it first */
void fastpath_init(bool enabled);
/* A Call, or a ReplyRecv, of the running thread (ctx is its saved
 * context), from the EL0 vector: the context to resume if the fast path
 * did it all, else NULL (nothing changed; take the general path). */
struct arch_context *fastpath_call(struct arch_context *ctx);
struct arch_context *fastpath_reply_recv(struct arch_context *ctx);

#endif
