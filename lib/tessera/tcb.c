/* SPDX-License-Identifier: BSD-2-Clause */
/* TCB invocation stubs over tessera_invoke (tcb.h). */
#include <tessera/syscall.h>
#include "invoke.h"
#include "tcb.h"

int tessera_tcb_configure(uint64_t tcb, uint64_t fault_ep, uint64_t cspace_root,
                          uint64_t cspace_data, uint64_t vspace, uint64_t ipc_vaddr,
                          uint64_t ipc_frame)
{
        uint64_t mrs[] = { fault_ep, cspace_data, ipc_vaddr };
        uint64_t caps[] = { cspace_root, vspace, ipc_frame };

        return tessera_invoke(tcb, TESSERA_INV_TCB_CONFIGURE, mrs, 3, caps, ipc_frame ? 3 : 2);
}

int tessera_tcb_set_priority(uint64_t tcb, uint64_t authority, unsigned priority)
{
        uint64_t mrs[] = { priority };

        return tessera_invoke(tcb, TESSERA_INV_TCB_SET_PRIORITY, mrs, 1, &authority, 1);
}

int tessera_tcb_set_mcp(uint64_t tcb, uint64_t authority, unsigned mcp)
{
        uint64_t mrs[] = { mcp };

        return tessera_invoke(tcb, TESSERA_INV_TCB_SET_MCP, mrs, 1, &authority, 1);
}

int tessera_tcb_read_registers(uint64_t tcb, unsigned count, uint64_t *regs)
{
        struct tessera_msg m = { .info = tessera_msg_info(TESSERA_INV_TCB_READ_REGISTERS, 0, 1),
                                 .mr = { count } };
        unsigned got;

        tessera_syscall(TESSERA_SYS_CALL, tcb, &m);
        if (tessera_msg_label(m.info) != 0)
                return (int)tessera_msg_label(m.info);
        got = tessera_msg_length(m.info);
        for (unsigned i = 0; i < got && i < count; i++)
                regs[i] = i < TESSERA_MSG_REGS_IN_CPU ? m.mr[i] : tessera_ipc->mr[i];
        return 0;
}

int tessera_tcb_write_registers(uint64_t tcb, unsigned flags, unsigned count, const uint64_t *regs)
{
        uint64_t mrs[2 + TESSERA_TCB_REG_COUNT] = { flags, count };

        if (count > TESSERA_TCB_REG_COUNT)
                count = TESSERA_TCB_REG_COUNT + 1;      /* let the kernel refuse it */
        for (unsigned i = 0; i < count && i < TESSERA_TCB_REG_COUNT; i++)
                mrs[2 + i] = regs[i];
        return tessera_invoke(tcb, TESSERA_INV_TCB_WRITE_REGISTERS, mrs,
                              count > TESSERA_TCB_REG_COUNT ? 2 : 2 + count, 0, 0);
}

int tessera_tcb_resume(uint64_t tcb)
{
        return tessera_invoke(tcb, TESSERA_INV_TCB_RESUME, 0, 0, 0, 0);
}

int tessera_tcb_suspend(uint64_t tcb)
{
        return tessera_invoke(tcb, TESSERA_INV_TCB_SUSPEND, 0, 0, 0, 0);
}

int tessera_tcb_set_name(uint64_t tcb, const char *name)
{
        uint64_t mrs[2] = { 0, 0 };

        for (unsigned i = 0; i < 15 && name[i]; i++)
                mrs[i / 8] |= (uint64_t)(unsigned char)name[i] << (8 * (i % 8));
        return tessera_invoke(tcb, TESSERA_INV_TCB_SET_NAME, mrs, 2, 0, 0);
}

int tessera_tcb_bind_notification(uint64_t tcb, uint64_t ntfn)
{
        return tessera_invoke(tcb, TESSERA_INV_TCB_BIND_NOTIFICATION, 0, 0, &ntfn, 1);
}

int tessera_tcb_unbind_notification(uint64_t tcb)
{
        return tessera_invoke(tcb, TESSERA_INV_TCB_UNBIND_NOTIFICATION, 0, 0, 0, 0);
}
