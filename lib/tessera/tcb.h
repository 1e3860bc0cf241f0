/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TCB invocations (include/tessera/invocations.h): each wraps one Call and
 * returns the kernel's status (enum tessera_error, 0 on success).
 */
#ifndef LIB_TESSERA_TCB_H
#define LIB_TESSERA_TCB_H

#include <stdint.h>
#include <tessera/invocations.h>

/* ipc_frame 0: the thread gets no IPC buffer (ipc_vaddr must then be 0). */
int tessera_tcb_configure(uint64_t tcb, uint64_t fault_ep, uint64_t cspace_root,
                          uint64_t cspace_data, uint64_t vspace, uint64_t ipc_vaddr,
                          uint64_t ipc_frame);
int tessera_tcb_set_priority(uint64_t tcb, uint64_t authority, unsigned priority);
int tessera_tcb_set_mcp(uint64_t tcb, uint64_t authority, unsigned mcp);
/* regs[0..count) in tessera_tcb_reg order. */
int tessera_tcb_read_registers(uint64_t tcb, unsigned count, uint64_t *regs);
int tessera_tcb_write_registers(uint64_t tcb, unsigned flags, unsigned count, const uint64_t *regs);
int tessera_tcb_resume(uint64_t tcb);
int tessera_tcb_suspend(uint64_t tcb);
int tessera_tcb_set_name(uint64_t tcb, const char *name);
/* A thread with a bound notification also wakes from Recv when it is signalled. */
int tessera_tcb_bind_notification(uint64_t tcb, uint64_t ntfn);
int tessera_tcb_unbind_notification(uint64_t tcb);

#endif
