/* SPDX-License-Identifier: BSD-2-Clause */
/* TCB invocations (being written). */
#include <kernel/invocation.h>
#include <tessera/errors.h>

void invoke_tcb(const struct invocation *inv) { inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION); }
