/* SPDX-License-Identifier: BSD-2-Clause */
/* VSpace object invocations (stub: being written). */
#include <kernel/invocation.h>
#include <kernel/vspace.h>
#include <tessera/errors.h>

void invoke_frame(const struct invocation *inv) { inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION); }
void invoke_page_table(const struct invocation *inv) { inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION); }
void invoke_vspace(const struct invocation *inv) { inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION); }
void invoke_asid_control(const struct invocation *inv) { inv_reply(inv, TESSERA_ERR_ILLEGAL_OPERATION); }
void vspace_cap_removed(const struct cap *gone) { (void)gone; }
void vspace_destroy(const struct cap *final) { (void)final; }
